/* pattern_words.c - the words every match of a pattern needs, and the
 * Bloom filter of a document's words they are tested against: a rule
 * is skipped in a document that lacks one (match.c, relate.c).
 *
 * Skipping must not hide a runaway rule (nerq_rule_match names a rule
 * whose attempt ran out of its step budget, depth or a regex limit), so
 * a pattern gets needed words only when no attempt of it can run out:
 * it has no regex test, and a bound on its VM steps and recursion depth
 * over at most NERQ_ENTITY_SPAN tokens (attempt_bounded: the span of
 * entity and relation matches, the only callers) stays within the
 * budget. */
#include <stdlib.h>
#include <string.h>

#include "pattern_impl.h"

/* True if a literal is letters only: a token equal to it is a word with
 * a lexicon entry when the literal has one. */
static int letters_only(const test *t) {
  for (size_t i = 0; i < t->litlen; i++)
    if (!((t->lit[i] | 32) >= 'a' && (t->lit[i] | 32) <= 'z')) return 0;
  return t->litlen > 0;
}

/* One needed-word group from a mandatory instruction's literal (or set
 * of literals), if each is letters only and has a lexicon entry. */
static void need_group(nerq_pattern *pt, const inst *in, const nerq_lexicon *lex) {
  const test *lit = nerq_inst_literal(in);
  if (!lit || pt->ngroups == MAX_NEED) return;
  int n = lit->kind == T_LITSET ? lit->nset : 1;
  const test *one = lit->kind == T_LITSET ? lit->set : lit;
  if (n > MAX_NEED_SET) return;
  for (int j = 0; j < n; j++) {
    const nerq_entry *e = letters_only(&one[j]) ? nerq_lexicon_get(lex, one[j].lit, one[j].litlen) : NULL;
    if (!e) return;
    pt->need[pt->ngroups][j] = e;
  }
  pt->nneed[pt->ngroups++] = n;
}

/* Bounds on one attempt's VM steps and recursion depth, as run() in
 * pattern_match.c counts them, for each instruction pc and each number r
 * of tokens the match may still consume (r = limit - pos, at most
 * SPAN): a token test consumes one, a list up to LIST_LENS; a loop that
 * consumes no token has no bound. */
#define SPAN NERQ_ENTITY_SPAN               /* max_span of the callers (match.c, relate.c) */
#define LIST_LENS (NERQ_MAX_KEY_TOKENS + 2) /* lengths run_list may try */
#define STEPS_OVER (STEP_BUDGET + 1)
#define DEPTH_OVER (VM_DEPTH + 1)
typedef struct {
  const nerq_pattern *pt;
  int32_t steps[SPAN + 1][MAX_PROG];
  int16_t depth[SPAN + 1][MAX_PROG];
  uint8_t state[MAX_PROG]; /* at the level being filled: 0 new, 1 open, 2 done */
} bound;

static void bound_at(bound *b, int r, int pc);

/* Adds what instruction `to` costs with r tokens left (`deeper`: run in
 * a recursive call) to the steps s and the depth d of a caller. */
static void add(bound *b, int r, int to, int same, int deeper, int64_t *s, int *d) {
  if (to < 0 || to >= b->pt->n) {
    *s = STEPS_OVER;
    return;
  }
  if (same) bound_at(b, r, to);
  if (same && b->state[to] != 2) { /* back at an open one: a loop consuming nothing */
    *s = STEPS_OVER;
    return;
  }
  *s += b->steps[r][to];
  if (b->depth[r][to] + deeper > *d) *d = b->depth[r][to] + deeper;
}

/* The first token test run from pc through saves and jumps, counting
 * the steps to it and its own in *steps; NULL if there is none. */
static const inst *first_test(const nerq_pattern *pt, int pc, int *steps) {
  for (int k = 0; k < MAX_PROG && pc >= 0 && pc < pt->n; k++) {
    const inst *in = &pt->prog[pc];
    ++*steps;
    if (in->op == I_TOK) return in;
    if (in->op == I_SAVE) pc++;
    else if (in->op == I_JMP) pc = in->x;
    else return NULL;
  }
  return NULL;
}

/* True if every literal of t is ASCII punctuation: a token equal to one
 * is not a word and has no letter case (tokenize.c). */
static int punct_literals(const test *t) {
  if (!t) return 0;
  const test *one = t->kind == T_LITSET ? t->set : t;
  for (int j = 0; j < (t->kind == T_LITSET ? t->nset : 1); j++)
    for (size_t i = 0; i < one[j].litlen; i++) {
      unsigned char c = (unsigned char)one[j].lit[i];
      if (c >= 0x80 || (unsigned)((c | 32) - 'a') < 26u || (unsigned)(c - '0') < 10u) return 0;
    }
  return 1;
}

/* True if no token passes both literal tests. */
static int literals_apart(const test *a, const test *b) {
  const test *sa = a->kind == T_LITSET ? a->set : a, *sb = b->kind == T_LITSET ? b->set : b;
  for (int i = 0; i < (a->kind == T_LITSET ? a->nset : 1); i++)
    for (int j = 0; j < (b->kind == T_LITSET ? b->nset : 1); j++) {
      const test *x = &sa[i], *y = &sb[j];
      if (x->litlen == y->litlen && (x->icase || y->icase ? nerq_ascii_caseeq(x->lit, y->lit, x->litlen)
                                                          : !memcmp(x->lit, y->lit, x->litlen)))
        return 0;
    }
  return 1;
}

#define CASED (TOK_WORD | TOK_CAP | TOK_UPPER | TOK_LOWER)

/* True if no token passes both token tests. */
static int exclusive(const inst *a, const inst *b) {
  if ((a->m.req_flags & b->m.forb_flags) || (b->m.req_flags & a->m.forb_flags)) return 1;
  if ((a->m.req_lists & b->m.forb_lists) || (b->m.req_lists & a->m.forb_lists)) return 1;
  const test *la = nerq_inst_literal(a), *lb = nerq_inst_literal(b);
  if ((punct_literals(la) && (b->m.req_flags & CASED)) || (punct_literals(lb) && (a->m.req_flags & CASED)))
    return 1;
  return la && lb && literals_apart(la, lb);
}

/* A split: both sides in turn; but when their first token tests exclude
 * each other, at most one side gets past its first test. */
static void split_cost(bound *b, int r, const inst *in, int64_t *s, int *d) {
  int64_t sx = 0, sy = 0;
  int lx = 0, ly = 0;
  add(b, r, in->x, 1, 1, &sx, d);
  add(b, r, in->y, 1, 0, &sy, d);
  const inst *fx = first_test(b->pt, in->x, &lx), *fy = first_test(b->pt, in->y, &ly);
  if (fx && fy && exclusive(fx, fy)) *s += sx + ly > sy + lx ? sx + ly : sy + lx;
  else *s += sx + sy;
}

static void bound_at(bound *b, int r, int pc) {
  if (b->state[pc]) return;
  b->state[pc] = 1;
  const inst *in = &b->pt->prog[pc];
  int64_t s = 1;
  int d = 0;
  switch (in->op) {
  case I_MATCH:
  case I_ENDNOT: break;
  case I_JMP: add(b, r, in->x, 1, 0, &s, &d); break;
  case I_SPLIT: split_cost(b, r, in, &s, &d); break;
  case I_NOT:
    add(b, r, pc + 1, 1, 1, &s, &d);
    add(b, r, in->y, 1, 0, &s, &d);
    break;
  case I_SAVE: add(b, r, pc + 1, 1, 1, &s, &d); break;
  case I_LIST:
    for (int k = 1; k <= LIST_LENS; k++)
      if (k <= r) add(b, r - k, pc + 1, 0, 1, &s, &d);
      else if (d < 1) d = 1; /* past the limit: returns at once, one deeper */
    break;
  default:
    if (r > 0) add(b, r - 1, pc + 1, 0, 0, &s, &d);
  }
  b->steps[r][pc] = (int32_t)(s > STEPS_OVER ? STEPS_OVER : s);
  b->depth[r][pc] = (int16_t)(d > DEPTH_OVER ? DEPTH_OVER : d);
  b->state[pc] = 2;
}

/* The levels r worth filling: without a jump back, a match consumes at
 * most one token per test and LIST_LENS per list, and from there on
 * more tokens left change no bound. */
static int levels(const nerq_pattern *pt) {
  int most = 0;
  for (int pc = 0; pc < pt->n; pc++) {
    const inst *in = &pt->prog[pc];
    int back = (in->op == I_JMP || in->op == I_SPLIT) && in->x <= pc;
    if (back || ((in->op == I_SPLIT || in->op == I_NOT) && in->y <= pc))
      return SPAN; /* a loop */
    most += in->op == I_TOK ? 1 : in->op == I_LIST ? LIST_LENS
                                                   : 0;
  }
  return most < SPAN ? most : SPAN;
}

/* True if no attempt of the pattern can run out of its budget: no regex
 * (whose limits depend on the token's text) and bounded steps and depth. */
static int attempt_bounded(const nerq_pattern *pt) {
  for (int pc = 0; pc < pt->n; pc++)
    for (int k = 0; k < pt->prog[pc].ntests; k++)
      if (pt->prog[pc].tests[k].kind == T_RE) return 0;
  bound *b = malloc(sizeof *b);
  if (!b || pt->n < 2) {
    free(b);
    return 0;
  }
  b->pt = pt;
  int top = levels(pt), ok = 1;
  for (int r = 0; r <= top && ok; r++) { /* (the bounds grow with r) */
    memset(b->state, 0, sizeof b->state);
    for (int pc = 0; pc < pt->n; pc++) bound_at(b, r, pc);
    ok = b->steps[r][1] <= STEP_BUDGET && b->depth[r][1] <= VM_DEPTH;
  }
  free(b);
  return ok;
}

/* The lists a token passing instruction in must be in: those it tests
 * and, for a letters-only literal with a lexicon entry (every literal of
 * a set), that entry's lists; a phrase list, that list. */
static uint64_t implied_lists(const inst *in, const nerq_lexicon *lex) {
  if (in->op == I_LIST) return 1ull << in->x;
  if (in->op != I_TOK) return 0;
  const test *lit = nerq_inst_literal(in);
  uint64_t l = ~0ull;
  const test *one = lit && lit->kind == T_LITSET ? lit->set : lit;
  for (int j = 0; lit && j < (lit->kind == T_LITSET ? lit->nset : 1); j++) {
    const nerq_entry *e = letters_only(&one[j]) ? nerq_lexicon_get(lex, one[j].lit, one[j].litlen) : NULL;
    l &= e ? e->lists : 0;
  }
  return in->m.req_lists | (lit ? l : 0);
}

/* The lists every match has a token of (one of the instructions that
 * imply list b is on every path), though maybe in different ones:
 * "Acme Ltd" and "Acme plc" both have a legal form. */
static uint64_t span_lists(const nerq_pattern *pt, const nerq_lexicon *lex) {
  uint64_t imp[MAX_PROG], any = 0, need = 0;
  for (int pc = 0; pc < pt->n; pc++) any |= imp[pc] = implied_lists(&pt->prog[pc], lex);
  for (; any; any &= any - 1) {
    uint64_t bit = any & -any;
    uint8_t avoid[MAX_PROG], seen[MAX_PROG] = {0};
    for (int pc = 0; pc < pt->n; pc++) avoid[pc] = (imp[pc] & bit) != 0;
    if (!nerq_prog_reaches_past(pt, 1, avoid, seen)) need |= bit;
  }
  return need;
}

/* The words every match needs: literals of instructions on every path;
 * none for a pattern whose attempts might run out of budget. */
void nerq_pattern_need_words(nerq_pattern *pt, const nerq_lexicon *lex) {
  for (int pc = 1; pc < pt->n && pt->ngroups < MAX_NEED; pc++) {
    uint8_t seen[MAX_PROG] = {0};
    if (pt->prog[pc].op == I_TOK && nerq_inst_literal(&pt->prog[pc]) &&
        !nerq_prog_reaches(pt, 1, pc, seen))
      need_group(pt, &pt->prog[pc], lex);
  }
  uint64_t span = span_lists(pt, lex) & ~pt->must_lists;
  if ((pt->ngroups || span) && attempt_bounded(pt)) pt->span_lists = span;
  else pt->ngroups = 0;
}

static size_t entry_bit(const nerq_entry *e, size_t mask) {
  return (size_t)(((uint64_t)(uintptr_t)e * 0x9E3779B97F4A7C15ull) >> 24) & mask;
}

int nerq_words_build(nerq_words *w, const nerq_ents *ents, size_t n) {
  size_t bits = 1024;
  while (bits < 16 * n && bits < ((size_t)1 << 22)) bits *= 2;
  w->mask = bits - 1;
  w->bits = calloc(bits / 64, sizeof *w->bits);
  if (!w->bits) return -1;
  for (size_t i = 0; i < n; i++)
    if (ents->ids[i]) {
      size_t b = entry_bit(nerq_ent_get(ents, i), w->mask);
      w->bits[b >> 6] |= 1ull << (b & 63);
    }
  return 0;
}

void nerq_words_free(nerq_words *w) {
  free(w->bits);
  w->bits = NULL;
}

int nerq_pattern_words_ok(const nerq_pattern *p, const nerq_words *w) {
  if (!w || !w->bits) return 1;
  for (int g = 0; g < p->ngroups; g++) {
    int any = 0;
    for (int j = 0; j < p->nneed[g] && !any; j++) {
      size_t b = entry_bit(p->need[g][j], w->mask);
      any = (w->bits[b >> 6] >> (b & 63)) & 1;
    }
    if (!any) return 0;
  }
  return 1;
}

/* ---------------------------------------------------------------- */
/* The first tokens of every match (nerq_pattern_prefix)             */

/* Marks in set the token instructions reachable from pc without
 * consuming a token; 0 if a path reaches anything else (the end, a
 * phrase list) or runs too deep. seen: pt->n entries, per position. */
static int reach_toks(const nerq_pattern *pt, int pc, uint8_t *set, uint8_t *seen, int depth) {
  while (pc < pt->n) {
    if (seen[pc]) return 1; /* explored from here already */
    seen[pc] = 1;
    const inst *in = &pt->prog[pc];
    if (in->op == I_SAVE) pc++;
    else if (in->op == I_JMP) pc = in->x;
    else if (in->op == I_NOT) pc = in->y;
    else if (in->op == I_SPLIT) {
      if (depth >= 32 || !reach_toks(pt, in->x, set, seen, depth + 1)) return 0;
      pc = in->y;
    } else if (in->op == I_TOK) {
      set[pc] = 1;
      return 1;
    } else return 0;
  }
  return 0;
}

static void add_byte(uint8_t b[32], unsigned char c) { b[c >> 3] |= (uint8_t)(1u << (c & 7)); }

/* The bytes a token matching regex test t may begin with, from its words
 * when it only names words at the start (regex_words.c): their first
 * bytes (both cases when caseless), and every byte that is not printable
 * ASCII, as nerq_re_first_bytes leaves them; 0 if it names none. */
static int words_first(const test *t, uint8_t f[32]) {
  const re_words *w = t->rx->words;
  if (!w || w->suffix) return 0;
  memset(f, 0xff, 32);
  for (int c = 0x21; c < 0x7f; c++) f[c >> 3] &= (uint8_t) ~(1u << (c & 7));
  for (int n = 1; n <= RE_WORDS_MAX; n++)
    for (int i = w->off[n]; i < w->off[n + 1]; i += n) {
      unsigned char c = (unsigned char)w->pool[i];
      add_byte(f, c);
      if (w->icase && c >= 'a' && c <= 'z') add_byte(f, (unsigned char)(c - 32));
    }
  return 1;
}

/* Adds to b the bytes a token that passes instruction in may begin
 * with: its literal's, or a required regex's, else every byte. A regex
 * of words gives its words' first bytes without running PCRE2, which
 * load time would pay for each regex after the first token. */
static void inst_bytes(const inst *in, uint8_t b[32]) {
  const test *lit = nerq_inst_literal(in);
  const uint8_t *re = NULL;
  uint8_t words[32];
  for (int i = 0; !lit && !re && i < in->ntests; i++) {
    test *t = &in->tests[i];
    if (t->kind != T_RE || t->neg) continue;
    if (!t->rx->first_done && words_first(t, words)) {
      re = words;
      break;
    }
    if (!t->rx->first_done) nerq_re_first_bytes(t->rx); /* (at load: not yet shared) */
    if (t->rx->has_first) re = t->rx->first;
  }
  if (!lit && !re) memset(b, 0xff, 32);
  for (int j = 0; re && j < 32; j++) b[j] |= re[j];
  const test *one = lit && lit->kind == T_LITSET ? lit->set : lit;
  for (int j = 0; lit && j < (lit->kind == T_LITSET ? lit->nset : 1); j++) {
    unsigned char c = (unsigned char)one[j].lit[0];
    b[c >> 3] |= (uint8_t)(1u << (c & 7));
    if (one[j].icase && c < 0x80) c ^= 32, b[c >> 3] |= (uint8_t)(1u << (c & 7));
  }
}

_Static_assert(RE_WORDS_TOKEN <= NERQ_PLAIN_MAX, "a plain token is one a regex of words answers");

/* Adds byte c to b, and its other case if it is an ASCII letter of a
 * caseless test. */
static void add_case(uint8_t b[32], unsigned char c, int icase) {
  add_byte(b, c);
  if (icase && ((c | 32) >= 'a' && (c | 32) <= 'z')) add_byte(b, (unsigned char)(c ^ 32));
}

/* Adds a word of n bytes at s to the lengths and second bytes. */
static void add_word_shape(const char *s, size_t n, int icase, uint64_t *lens, uint8_t second[32]) {
  *lens |= 1ull << (n < 63 ? n : 63);
  if (n >= 2) add_case(second, (unsigned char)s[1], icase);
}

/* Adds to lens and second the lengths and second bytes of a plain token
 * that passes instruction in: its literals', or its regex's words (a
 * regex of whole words), else any. */
static void inst_shape(const inst *in, uint64_t *lens, uint8_t second[32]) {
  const test *lit = nerq_inst_literal(in);
  const test *one = lit && lit->kind == T_LITSET ? lit->set : lit;
  for (int j = 0; lit && j < (lit->kind == T_LITSET ? lit->nset : 1); j++)
    add_word_shape(one[j].lit, one[j].litlen, one[j].icase, lens, second);
  if (lit) return;
  for (int i = 0; i < in->ntests; i++) {
    const test *t = &in->tests[i];
    const re_words *w = t->kind == T_RE && !t->neg ? t->rx->words : NULL;
    if (!w || w->suffix) continue;
    *lens |= w->lens;
    for (int n = 2; n <= RE_WORDS_MAX; n++)
      for (int k = w->off[n]; k < w->off[n + 1]; k += n) add_case(second, (unsigned char)w->pool[k + 1], w->icase);
    return;
  }
  *lens = ~0ull;
  memset(second, 0xff, 32);
}

/* The prefix of the matches whose first token instructions are those
 * of cur (pt->n entries). */
static void prefix_from(const nerq_pattern *pt, uint8_t *cur, nerq_prefix *out) {
  for (int k = 0; k < NERQ_PREFIX; k++) {
    uint8_t next[MAX_PROG] = {0}, nseen[MAX_PROG] = {0};
    uint32_t req = ~0u, forb = ~0u;
    uint64_t lists = 0;
    int ok = 1, unlisted = 0;
    for (int pc = 1; pc < pt->n; pc++) {
      if (!cur[pc]) continue;
      const inst *in = &pt->prog[pc];
      inst_bytes(in, out->bytes[k]);
      inst_shape(in, &out->lens[k], out->second[k]);
      req &= in->m.req_flags, forb &= in->m.forb_flags;
      lists |= in->m.req_lists, unlisted |= !in->m.req_lists;
      if (ok && !reach_toks(pt, pc + 1, next, nseen, 0)) ok = 0;
    }
    out->req_flags[k] = req & ~(uint32_t)DYNAMIC_FLAGS;
    out->forb_flags[k] = forb & ~(uint32_t)DYNAMIC_FLAGS;
    out->lists[k] = unlisted ? 0 : lists;
    out->n = k + 1;
    if (!ok) return;
    memcpy(cur, next, MAX_PROG);
  }
}

/* If instruction pc (a token test) is all of one alternative of a
 * lookahead (it is followed, through jumps, by the lookahead's end) and
 * tests one flag and nothing else, that flag as a forbidden one
 * ([!ParaStart]: *forb) or a required one ([ParaStart]: *req). */
static void not_alt_flag(const nerq_pattern *pt, int pc, uint32_t *req, uint32_t *forb) {
  const inst *in = &pt->prog[pc];
  int next = pc + 1;
  while (next < pt->n && pt->prog[next].op == I_JMP) next = pt->prog[next].x;
  if (next >= pt->n || pt->prog[next].op != I_ENDNOT || !in->m.exact) return;
  if (in->m.req_lists || in->m.forb_lists || (in->m.req_flags && in->m.forb_flags)) return;
  uint32_t f = in->m.req_flags | in->m.forb_flags;
  if (!f || (f & (f - 1)) || (f & (uint32_t)DYNAMIC_FLAGS)) return;
  *(in->m.forb_flags ? req : forb) |= f;
}

/* The flags the first token must have and must not have for the
 * lookaheads that every match passes before it (at the start of the
 * pattern, before any split): a lookahead one of whose alternatives is
 * a lone [!FLAG] fails at a token without FLAG, so a match needs FLAG
 * there ("(?! [!ParaStart] | ... )"), and one with a lone [FLAG] needs
 * its absence. The match's first token passes line_ok (it is the start),
 * so the lone test answers only by the flag. */
static void lookahead_flags(const nerq_pattern *pt, uint32_t *req, uint32_t *forb) {
  for (int pc = 1; pc < pt->n && (pt->prog[pc].op == I_SAVE || pt->prog[pc].op == I_NOT);) {
    const inst *look = &pt->prog[pc];
    if (look->op == I_SAVE) {
      pc++;
      continue;
    }
    uint8_t set[MAX_PROG] = {0}, seen[MAX_PROG] = {0};
    reach_toks(pt, pc + 1, set, seen, 0); /* the alternatives' first tokens */
    for (int t = pc + 1; t < look->y; t++)
      if (set[t]) not_alt_flag(pt, t, req, forb);
    pc = look->y;
  }
}

/* The prefix of a pattern whose first tokens are not known (a phrase
 * list or a mention run may come first): its first token may be any,
 * but the lookaheads at the start still require or forbid flags there
 * ("(?! [!ParaStart] ) Person+ ..."); none known if they do not. */
static void lookahead_only(const nerq_pattern *pt, nerq_prefix *out) {
  lookahead_flags(pt, &out->req_flags[0], &out->forb_flags[0]);
  if (!out->req_flags[0] && !out->forb_flags[0]) return;
  out->n = 1;
  memset(out->bytes[0], 0xff, sizeof out->bytes[0]);
  memset(out->second[0], 0xff, sizeof out->second[0]);
  out->lens[0] = ~0ull;
}

int nerq_pattern_prefix_alt(const nerq_pattern *pt, int alt, nerq_prefix *out) {
  uint8_t cur[MAX_PROG] = {0}, seen[MAX_PROG] = {0};
  if (out) memset(out, 0, sizeof *out);
  if (pt->n > MAX_PROG) return 0;
  if (!reach_toks(pt, 1, cur, seen, 0)) {
    if (out) lookahead_only(pt, out);
    return 0;
  }
  int nalt = 0;
  for (int pc = 1; pc < pt->n; pc++) {
    if (!cur[pc]) continue;
    if (alt >= 0 && nalt != alt) cur[pc] = 0; /* not the one asked for */
    nalt++;
  }
  if (out && alt < nalt) {
    prefix_from(pt, cur, out);
    lookahead_flags(pt, &out->req_flags[0], &out->forb_flags[0]);
  }
  return nalt;
}

void nerq_pattern_prefix(const nerq_pattern *pt, nerq_prefix *out) { nerq_pattern_prefix_alt(pt, -1, out); }
