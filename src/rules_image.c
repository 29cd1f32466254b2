/* rules_image.c - the compiled rules as one part of an image (image.c):
 * the four rule tables with their patterns (programs, token tests and
 * what pattern.c and pattern_words.c worked out about them), the
 * distinct regexes (text, options, first-byte table), the dispatch
 * table, the list ids, the property names and the loader's warnings.
 * Mapping an image therefore parses and analyses nothing; a regex is
 * compiled on its first use (regex.c).
 *
 * The structures are written as they are in memory, each kind in one
 * table, with every pointer replaced by a number: a string's offset in
 * the string table, or an index into its table, plus one (0 is NULL).
 * Reading copies the tables and turns the numbers back into pointers,
 * checking each number and each value that indexes something (list
 * bits, jump targets, save slots, rule types, dispatch bits), so that a
 * damaged part is refused and never read out of bounds. The static
 * assertions fail when one of these structures changes: a new field,
 * perhaps a pointer, must be looked at here. */
#define _POSIX_C_SOURCE 200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "image.h"
#include "pattern_impl.h"
#include "rules.h"
#include "rules_impl.h"

#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(test) == 64, "test changed: update rules_image.c");
_Static_assert(sizeof(inst) == 56, "inst changed: update rules_image.c");
_Static_assert(sizeof(nerq_pattern) == 448, "nerq_pattern changed: update rules_image.c");
_Static_assert(sizeof(nerq_rule) == 152, "nerq_rule changed: update rules_image.c");
_Static_assert(sizeof(nerq_list_ids) == 44, "nerq_list_ids changed: update rules_image.c");
_Static_assert(sizeof(nerq_dispatch) == 3216, "nerq_dispatch changed: update rules_image.c");
#endif

_Static_assert(KIND_ENTITY == 0 && KIND_QUOTE == 1 && KIND_RELATION == 2 && KIND_REPORTED == 3,
               "the rule tables are written in KIND_* order");

#define RULES_MAGIC 0x3130534c55525100ull /* "\0QRULS01" */
#define NTAB 4                            /* entity, attribution, relation, reported-speech rules */
#define MAX_WARNINGS 100000

typedef struct {
  uint64_t magic;
  uint64_t nstr, nrx, ntest, ninst, npat, nrule[NTAB], nwarn, nprops;
  uint64_t off_str, off_rx, off_test, off_inst, off_pat, off_rule[NTAB], off_warn, off_props;
  uint64_t off_dispatch, off_ids;
} rhead;

typedef struct {
  uint64_t src, len; /* string reference and length */
  uint32_t opts, first_done, has_first, pad;
  uint8_t first[32];
} rxrec;

#define REGEX_OPTS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS)

static void set_ref(void *field, uintptr_t v) { memcpy(field, &v, sizeof v); }

/* The padding of the structures written, cleared in their copies, so
 * that an image is the same bytes each time it is made (and its
 * checksum reads no unset byte): between member a and member b of a
 * struct of type T at p, and after its last member a. */
#define GAP(T, p, a, b) \
  memset((char *)(p) + offsetof(T, a) + sizeof((p)->a), 0, offsetof(T, b) - offsetof(T, a) - sizeof((p)->a))
#define TAIL(T, p, a) memset((char *)(p) + offsetof(T, a) + sizeof((p)->a), 0, sizeof(T) - offsetof(T, a) - sizeof((p)->a))

static void clear_gate(nerq_gate *g) {
  GAP(nerq_gate, g, first_list, must_lists);
  GAP(nerq_gate, g, second_list, span_lists);
}
static uintptr_t get_ref(const void *field) {
  uintptr_t v;
  memcpy(&v, field, sizeof v);
  return v;
}

/* ---------------------------------------------------------------- */
/* Writing                                                           */

typedef struct {
  nerq_buf str, rx, test, inst, pat, rule[NTAB], warn, props;
  const nerq_lexicon *lex;
  int bad;
} writer;

/* A string of n bytes and a NUL into the string table; its reference. */
static uintptr_t put_str(writer *w, const char *s, size_t n) {
  if (!s) return 0;
  uintptr_t ref = w->str.n + 1;
  nerq_buf_put(&w->str, s, n);
  nerq_buf_put(&w->str, "", 1);
  return ref;
}

static size_t reserve(nerq_buf *b, size_t size, size_t n) {
  size_t at = b->n / size;
  static const char zeros[64];
  for (size_t i = 0; i < n * size; i += sizeof zeros)
    nerq_buf_put(b, zeros, n * size - i < sizeof zeros ? n * size - i : sizeof zeros);
  return at;
}

static void put_test_at(writer *w, size_t at, const test *t) {
  test c = *t;
  GAP(test, &c, icase, lit);
  TAIL(test, &c, nset);
  set_ref(&c.lit, put_str(w, t->lit, t->litlen));
  set_ref(&c.rx, t->rx ? (uintptr_t)t->rx->id + 1 : 0);
  set_ref(&c.set, 0);
  if (t->kind == T_LITSET && t->set) {
    size_t base = reserve(&w->test, sizeof(test), (size_t)t->nset);
    for (int j = 0; j < t->nset; j++) put_test_at(w, base + (size_t)j, &t->set[j]);
    set_ref(&c.set, base + 1);
  }
  if (!w->test.failed) memcpy(w->test.s + at * sizeof c, &c, sizeof c);
}

static uintptr_t put_pattern(writer *w, const nerq_pattern *p) {
  size_t base = reserve(&w->inst, sizeof(inst), (size_t)p->n);
  for (int pc = 0; pc < p->n; pc++) {
    inst c = p->prog[pc];
    set_ref(&c.tests, 0);
    if (c.ntests > 0) {
      size_t tb = reserve(&w->test, sizeof(test), (size_t)c.ntests);
      for (int k = 0; k < c.ntests; k++) put_test_at(w, tb + (size_t)k, &p->prog[pc].tests[k]);
      set_ref(&c.tests, tb + 1);
    }
    if (!w->inst.failed) memcpy(w->inst.s + (base + (size_t)pc) * sizeof c, &c, sizeof c);
  }
  nerq_pattern c = *p;
  GAP(nerq_pattern, &c, use_bytes, must_lists);
  GAP(nerq_pattern, &c, must_flags, span_lists);
  GAP(nerq_pattern, &c, ngroups, second);
  set_ref(&c.prog, base + 1);
  for (int g = 0; g < MAX_NEED; g++)
    for (int k = 0; k < MAX_NEED_SET; k++) {
      long e = g < p->ngroups && k < p->nneed[g] ? nerq_lexicon_entry_index(w->lex, p->need[g][k]) : -1;
      if (g < p->ngroups && k < p->nneed[g] && e < 0) w->bad = 1;
      set_ref(&c.need[g][k], e < 0 ? 0 : (uintptr_t)e + 1);
    }
  c.warn = NULL; /* the loader's warnings are kept whole (nerq_rules.warnings) */
  c.warn_col = 0;
  nerq_buf_put(&w->pat, (const char *)&c, sizeof c);
  return w->pat.n / sizeof c;
}

static void put_rules(writer *w, nerq_buf *b, const nerq_rule *rules, size_t n) {
  for (size_t i = 0; i < n; i++) {
    nerq_rule c = rules[i];
    GAP(nerq_rule, &c, order, pat);
    TAIL(nerq_rule, &c, doc);
    clear_gate(&c.gate);
    set_ref(&c.name, put_str(w, rules[i].name, strlen(rules[i].name)));
    set_ref(&c.source, put_str(w, rules[i].source, strlen(rules[i].source)));
    set_ref(&c.pat, put_pattern(w, rules[i].pat));
    nerq_buf_put(b, (const char *)&c, sizeof c);
  }
}

static void put_regexes(writer *w, const nerq_regex_set *set) {
  for (size_t i = 0; set && i < set->n; i++) {
    nerq_regex *x = set->all[i];
    if (!x->first_done) nerq_re_first_bytes(x); /* every table in the image, none made at load */
    rxrec r = {put_str(w, x->src, x->len), x->len, x->opts, (uint32_t)x->first_done, (uint32_t)x->has_first, 0, {0}};
    memcpy(r.first, x->first, sizeof r.first);
    nerq_buf_put(&w->rx, (const char *)&r, sizeof r);
  }
}

static uint64_t put_part(nerq_buf *b, const nerq_buf *part) {
  static const char zeros[64];
  if (b->n % 64) nerq_buf_put(b, zeros, 64 - b->n % 64);
  uint64_t off = b->n;
  if (part->n) nerq_buf_put(b, part->s, part->n);
  return off;
}

static void writer_free(writer *w) {
  nerq_buf *all[] = {&w->str, &w->rx, &w->test, &w->inst, &w->pat, &w->rule[0], &w->rule[1],
                     &w->rule[2], &w->rule[3], &w->warn, &w->props};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) free(all[i]->s);
}

int nerq_rules_serialize(const nerq_rules *r, nerq_buf *b) {
  writer w = {0};
  w.lex = r->lex;
  put_regexes(&w, r->regexes);
  const nerq_rule *tabs[NTAB] = {r->rules, r->qrules, r->rrules, r->irules};
  size_t ns[NTAB] = {r->nrules, r->nqrules, r->nrrules, r->nirules};
  for (int t = 0; t < NTAB; t++) put_rules(&w, &w.rule[t], tabs[t], ns[t]);
  for (size_t i = 0; i < r->nwarnings; i++) {
    uintptr_t ref = put_str(&w, r->warnings[i], strlen(r->warnings[i]));
    nerq_buf_put(&w.warn, (const char *)&ref, sizeof ref);
  }
  for (int i = 0; i < r->nprops; i++) {
    uintptr_t ref = put_str(&w, r->props[i], strlen(r->props[i]));
    nerq_buf_put(&w.props, (const char *)&ref, sizeof ref);
  }
  nerq_buf_put(&w.str, "", 1); /* the table ends with a NUL */
  rhead h = {RULES_MAGIC, w.str.n, w.rx.n / sizeof(rxrec), w.test.n / sizeof(test), w.inst.n / sizeof(inst), w.pat.n / sizeof(nerq_pattern), {0}, r->nwarnings, (uint64_t)r->nprops, 0, 0, 0, 0, 0, {0}, 0, 0, 0, 0};
  for (int t = 0; t < NTAB; t++) h.nrule[t] = ns[t];
  size_t start = b->n;
  nerq_buf_put(b, (const char *)&h, sizeof h);
  h.off_str = put_part(b, &w.str) - start;
  h.off_rx = put_part(b, &w.rx) - start;
  h.off_test = put_part(b, &w.test) - start;
  h.off_inst = put_part(b, &w.inst) - start;
  h.off_pat = put_part(b, &w.pat) - start;
  for (int t = 0; t < NTAB; t++) h.off_rule[t] = put_part(b, &w.rule[t]) - start;
  h.off_warn = put_part(b, &w.warn) - start;
  h.off_props = put_part(b, &w.props) - start;
  nerq_dispatch dc = r->dispatch;
  GAP(nerq_dispatch, &dc, enabled, by_list);
  GAP(nerq_dispatch, &dc, ngroups, group_flags);
  GAP(nerq_dispatch, &dc, group_flags, group_rules);
  nerq_buf d = {(char *)&dc, sizeof dc, 0, 0};
  h.off_dispatch = put_part(b, &d) - start;
  nerq_buf ids = {(char *)&r->ids, sizeof r->ids, 0, 0};
  h.off_ids = put_part(b, &ids) - start;
  int failed = w.bad || b->failed;
  nerq_buf *parts[] = {&w.str, &w.rx, &w.test, &w.inst, &w.pat, &w.rule[0], &w.rule[1],
                       &w.rule[2], &w.rule[3], &w.warn, &w.props};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) failed |= parts[i]->failed;
  if (!failed) memcpy(b->s + start, &h, sizeof h);
  writer_free(&w);
  return failed ? -1 : 0;
}

/* ---------------------------------------------------------------- */
/* Reading                                                           */

typedef struct {
  const char *base;
  rhead h;
  const char *str;
  nerq_regex **rx;
  test *test;
  inst *inst;
  nerq_pattern *pat;
  const nerq_lexicon *lex;
} reader;

/* The string of a reference, with at least n bytes before the table's
 * end (the table ends with a NUL, so every string is terminated). */
static const char *str_at(const reader *rd, uintptr_t ref, size_t n) {
  if (!ref || ref - 1 >= rd->h.nstr || n >= rd->h.nstr - (ref - 1)) return NULL;
  return rd->str + ref - 1;
}

static int part_ok(uint64_t off, uint64_t n, size_t size, size_t len) {
  return off % 8 == 0 && off <= len && n <= (len - off) / size;
}

static const char *check_head(const rhead *h, size_t len) {
  if (h->magic != RULES_MAGIC) return "damaged (rules: not a rule table of this format)";
  int ok = part_ok(h->off_str, h->nstr, 1, len) && h->nstr && part_ok(h->off_rx, h->nrx, sizeof(rxrec), len) &&
           part_ok(h->off_test, h->ntest, sizeof(test), len) && part_ok(h->off_inst, h->ninst, sizeof(inst), len) &&
           part_ok(h->off_pat, h->npat, sizeof(nerq_pattern), len) && h->nrx < UINT32_MAX &&
           part_ok(h->off_warn, h->nwarn, sizeof(uintptr_t), len) && h->nwarn <= MAX_WARNINGS &&
           part_ok(h->off_props, h->nprops, sizeof(uintptr_t), len) && h->nprops <= NERQ_MAX_PROPS &&
           part_ok(h->off_dispatch, 1, sizeof(nerq_dispatch), len) && part_ok(h->off_ids, 1, sizeof(nerq_list_ids), len);
  for (int t = 0; t < NTAB && ok; t++) ok = part_ok(h->off_rule[t], h->nrule[t], sizeof(nerq_rule), len);
  return ok ? NULL : "a table lies outside the image";
}

static const char *read_regexes(reader *rd, nerq_regex_set *set, nerq_lexicon *lex) {
  if (!(rd->rx = calloc(rd->h.nrx ? rd->h.nrx : 1, sizeof *rd->rx))) return "out of memory";
  for (size_t i = 0; i < rd->h.nrx; i++) {
    rxrec x;
    memcpy(&x, rd->base + rd->h.off_rx + i * sizeof x, sizeof x);
    const char *src = x.len < rd->h.nstr ? str_at(rd, (uintptr_t)x.src, (size_t)x.len) : NULL;
    if (!src || (x.opts & ~(uint32_t)REGEX_OPTS) || x.first_done > 1 || x.has_first > 1) return "damaged (rules: bad regex)";
    nerq_regex *rx = nerq_regex_add(set, src, (size_t)x.len, x.opts);
    if (!rx) return "out of memory";
    rx->words = nerq_re_words(lex, src, (size_t)x.len, (x.opts & PCRE2_CASELESS) != 0); /* (regex_words.c) */
    rx->words_done = 1;
    rx->first_done = (int)x.first_done;
    rx->has_first = (int)x.has_first;
    memcpy(rx->first, x.first, sizeof rx->first);
    rd->rx[i] = rx;
  }
  return NULL;
}

/* A copy of table n items of size bytes at off, which the lexicon owns
 * (malloc'd: the arena would clear it first). */
static void *copy_table(nerq_lexicon *lex, const char *base, uint64_t off, uint64_t n, size_t size) {
  void *t = malloc(n ? (size_t)n * size : 1);
  if (t && n) memcpy(t, base + off, (size_t)n * size);
  if (t && nerq_lexicon_adopt(lex, t)) free(t), t = NULL;
  return t;
}

static int list_ok(int id) { return id >= -1 && id < 64; }

static const char *read_tests(reader *rd) {
  for (size_t i = 0; i < rd->h.ntest; i++) {
    test *t = &rd->test[i];
    uintptr_t lit = get_ref(&t->lit), rx = get_ref(&t->rx), set = get_ref(&t->set);
    t->lit = lit ? str_at(rd, lit, t->litlen) : NULL;
    t->rx = rx && rx <= rd->h.nrx ? rd->rx[rx - 1] : NULL;
    t->set = set && set <= rd->h.ntest && t->nset > 0 && (uint64_t)t->nset <= rd->h.ntest - (set - 1) ? &rd->test[set - 1] : NULL;
    if (t->kind < T_LIT || t->kind > T_LITSET || (lit && !t->lit) || (t->kind == T_LIT && !t->lit)) return "damaged (rules: bad token test)";
    if ((t->kind == T_RE && !t->rx) || (t->kind == T_LIST && (t->list < 0 || t->list > 63))) return "damaged (rules: bad token test)";
    if (t->kind == T_LITSET && !t->set) return "damaged (rules: bad token test)";
  }
  for (size_t i = 0; i < rd->h.ntest; i++) /* a set holds literals only */
    for (int j = 0; rd->test[i].kind == T_LITSET && j < rd->test[i].nset; j++)
      if (rd->test[i].set[j].kind != T_LIT) return "damaged (rules: bad token test)";
  return NULL;
}

static const char *read_insts(reader *rd) {
  for (size_t i = 0; i < rd->h.ninst; i++) {
    inst *in = &rd->inst[i];
    uintptr_t tests = get_ref(&in->tests);
    int n = in->ntests;
    in->tests = tests && n > 0 && n <= MAX_TESTS && tests <= rd->h.ntest && (uint64_t)n <= rd->h.ntest - (tests - 1)
                    ? &rd->test[tests - 1]
                    : NULL;
    if (in->op < I_TOK || in->op > I_ENDNOT || (n != 0 || tests ? !in->tests : 0)) return "damaged (rules: bad instruction)";
    if ((in->op == I_SAVE && (in->x < 0 || in->x > 2)) || (in->op == I_LIST && (in->x < 0 || in->x > 63)))
      return "damaged (rules: bad instruction)";
  }
  return NULL;
}

/* Jump targets within the program, and an end that stops every path. */
static int prog_ok(const nerq_pattern *p) {
  for (int pc = 0; pc < p->n; pc++) {
    const inst *in = &p->prog[pc];
    int x = in->op == I_SPLIT || in->op == I_JMP, y = in->op == I_SPLIT || in->op == I_NOT;
    if ((x && (in->x < 0 || in->x >= p->n)) || (y && (in->y < 0 || in->y >= p->n))) return 0;
  }
  return p->prog[p->n - 1].op == I_MATCH;
}

static const char *read_patterns(reader *rd) {
  for (size_t i = 0; i < rd->h.npat; i++) {
    nerq_pattern *p = &rd->pat[i];
    uintptr_t prog = get_ref(&p->prog);
    if (p->n < 2 || p->n > MAX_PROG || !prog || prog > rd->h.ninst || (uint64_t)p->n > rd->h.ninst - (prog - 1))
      return "damaged (rules: bad pattern)";
    p->prog = &rd->inst[prog - 1];
    if (!prog_ok(p) || !list_ok(p->any_list) || !list_ok(p->second_list) || p->ngroups < 0 || p->ngroups > MAX_NEED)
      return "damaged (rules: bad pattern)";
    for (int g = 0; g < MAX_NEED; g++) {
      if (g < p->ngroups && (p->nneed[g] < 1 || p->nneed[g] > MAX_NEED_SET)) return "damaged (rules: bad pattern)";
      for (int k = 0; k < MAX_NEED_SET; k++) {
        uintptr_t e = g < p->ngroups && k < p->nneed[g] ? get_ref(&p->need[g][k]) : 0;
        p->need[g][k] = e ? nerq_lexicon_entry_at(rd->lex, e - 1) : NULL;
        if (g < p->ngroups && k < p->nneed[g] && !p->need[g][k]) return "damaged (rules: bad pattern)";
      }
    }
    p->warn = NULL;
  }
  return NULL;
}

/* Table tab holds rules of kind tab (KIND_ENTITY, ..., KIND_REPORTED). */
static int type_ok(int tab, int type) {
  return type >= (tab == KIND_ENTITY ? NERQ_NONE : 1) && type <= nerq_rule_type_max(tab);
}

static const char *read_rules(reader *rd, int tab, nerq_rule **out) {
  size_t n = (size_t)rd->h.nrule[tab];
  nerq_rule *rules = *out = malloc(n ? n * sizeof *rules : 1);
  if (!rules) return "out of memory";
  if (n) memcpy(rules, rd->base + rd->h.off_rule[tab], n * sizeof *rules);
  for (size_t i = 0; i < n; i++) {
    nerq_rule *r = &rules[i];
    uintptr_t pat = get_ref(&r->pat);
    r->name = str_at(rd, get_ref(&r->name), 0);
    r->source = str_at(rd, get_ref(&r->source), 0);
    r->pat = pat && pat <= rd->h.npat ? &rd->pat[pat - 1] : NULL;
    uint32_t props = r->need_props | r->forb_props | r->set_props;
    if (!r->name || !r->source || !r->pat || !type_ok(tab, r->type) || !list_ok(r->gate.first_list) ||
        !list_ok(r->gate.second_list) || (rd->h.nprops < 32 && props >> rd->h.nprops))
      return "damaged (rules: bad rule)"; /* (a property bit names a property: nerq_rules.props) */
  }
  return NULL;
}

/* The dispatch table names entity rules only, of those there are. */
static int dispatch_ok(const nerq_dispatch *d, size_t nrules) {
  if (d->ngroups < 0 || d->ngroups > NERQ_FLAG_GROUPS) return 0;
  for (int w = 0; w < NERQ_DISPATCH_WORDS; w++) {
    uint64_t any = 0;
    for (int b = 0; b < 64; b++) any |= d->by_list[b][w];
    for (int g = 0; g < NERQ_FLAG_GROUPS; g++) any |= d->group_rules[g][w];
    for (int b = 0; b < 64; b++)
      if ((any >> b) & 1 && (size_t)(w * 64 + b) >= nrules) return 0;
  }
  return 1;
}

static const char *read_misc(reader *rd, nerq_rules *r) {
  memcpy(&r->dispatch, rd->base + rd->h.off_dispatch, sizeof r->dispatch);
  memcpy(&r->ids, rd->base + rd->h.off_ids, sizeof r->ids);
  if (!dispatch_ok(&r->dispatch, r->nrules)) return "damaged (rules: bad dispatch table)";
  const int *ids = (const int *)&r->ids;
  for (size_t i = 0; i < sizeof r->ids / sizeof(int); i++)
    if (!list_ok(ids[i])) return "damaged (rules: bad list id)";
  for (size_t i = 0; i < rd->h.nprops; i++) {
    uintptr_t ref;
    memcpy(&ref, rd->base + rd->h.off_props + i * sizeof ref, sizeof ref);
    if (!(r->props[i] = str_at(rd, ref, 0))) return "damaged (rules: bad property name)";
  }
  r->nprops = (int)rd->h.nprops;
  if (rd->h.nwarn && !(r->warnings = calloc((size_t)rd->h.nwarn, sizeof *r->warnings))) return "out of memory";
  for (size_t i = 0; i < rd->h.nwarn; i++) {
    uintptr_t ref;
    memcpy(&ref, rd->base + rd->h.off_warn + i * sizeof ref, sizeof ref);
    const char *s = str_at(rd, ref, 0);
    if (!s) return "damaged (rules: bad warning)";
    if (!(r->warnings[i] = strdup(s))) return "out of memory";
    r->nwarnings++;
  }
  return NULL;
}

const char *nerq_rules_unserialize(nerq_rules *r, const void *blob, size_t len) {
  reader rd = {blob, {0}, NULL, NULL, NULL, NULL, NULL, r->lex};
  if (len < sizeof rd.h) return "damaged (rules: truncated rule table)";
  memcpy(&rd.h, blob, sizeof rd.h);
  const char *why = check_head(&rd.h, len);
  if (why) return why;
  rd.str = rd.base + rd.h.off_str;
  if (rd.str[rd.h.nstr - 1]) return "damaged (rules: unterminated string table)";
  nerq_lexicon *lex = r->lex;
  rd.test = copy_table(lex, rd.base, rd.h.off_test, rd.h.ntest, sizeof(test));
  rd.inst = copy_table(lex, rd.base, rd.h.off_inst, rd.h.ninst, sizeof(inst));
  rd.pat = copy_table(lex, rd.base, rd.h.off_pat, rd.h.npat, sizeof(nerq_pattern));
  if (!rd.test || !rd.inst || !rd.pat) return "out of memory";
  if (!(why = read_regexes(&rd, r->regexes, r->lex)) && !(why = read_tests(&rd)) && !(why = read_insts(&rd)))
    why = read_patterns(&rd);
  nerq_rule **tabs[NTAB] = {&r->rules, &r->qrules, &r->rrules, &r->irules};
  size_t *ns[NTAB] = {&r->nrules, &r->nqrules, &r->nrrules, &r->nirules};
  for (int t = 0; t < NTAB && !why; t++)
    if (!(why = read_rules(&rd, t, tabs[t]))) *ns[t] = (size_t)rd.h.nrule[t];
  if (!why) why = read_misc(&rd, r);
  free(rd.rx);
  return why;
}
