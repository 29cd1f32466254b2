/* pattern.c - the pattern-rule language over tokens (docs/rules.md).
 *
 * A pattern compiles to a small backtracking program, as in Russ Cox's
 * "Regular Expression Matching: the Virtual Machine Approach": each
 * instruction tests one token, or splits, jumps or saves the capture.
 * Every match attempt has a step budget, and PCRE2 regexes run with a
 * match limit, so no rule can hang a run.
 *
 * This file parses a pattern and analyses it (the first-token gate and
 * masks); pattern_match.c runs it; pattern_impl.h is their shared form. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern_impl.h"

typedef struct {
  nerq_lexicon *lex;
  const char *src, *p;
  const char *msg;
  nerq_pattern *pat;
  const nerq_defs *defs;      /* named definitions ($name), or NULL */
  int depth;                  /* definitions being expanded */
  const char *warn, *warn_at; /* the first runaway warning, and where */
} parser;

static const struct {
  const char *name;
  uint32_t flag;
} classes[] = {
    {"Cap", TOK_CAP},
    {"Upper", TOK_UPPER},
    {"Lower", TOK_LOWER},
    {"Num", TOK_NUM},
    {"Punct", TOK_PUNCT},
    {"Word", TOK_WORD},
    {"Any", 0},
    {"Abbr", TOK_ABBR},
    {"Hyphen", TOK_HYPHEN},
    {"Poss", TOK_POSS},
    {"SentStart", TOK_SENT},
    {"ParaStart", TOK_PARA},
    {"Quote", TOK_QUOTE},
    {"CapsLine", TOK_CAPSLINE},
    {"Space", TOK_SPACE},
    {"Newline", TOK_NEWLINE},
    {"Url", TOK_URL},
    {"Person", TOK_PERSON},
    {"Org", TOK_ORGM},
    {"Place", TOK_PLACEM},
    {"QOpen", TOK_QOPEN},
    {"QClose", TOK_QCLOSE},
    {"InQuote", TOK_INQUOTE},
    {"Initial", TOK_INITIAL},
    {"TitleLine", TOK_TITLELINE},
};

/* Skips white space, line breaks (a rule may run over continuation
 * lines) and comments from # to the end of a line. */
static void skip_ws(parser *ps) {
  for (;;) {
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') ps->p++;
    if (*ps->p != '#') return;
    while (*ps->p && *ps->p != '\n') ps->p++;
  }
}

static int fail(parser *ps, const char *msg) {
  if (!ps->msg) ps->msg = msg;
  return -1;
}

static int emit(parser *ps, int op, int x, int y) {
  nerq_pattern *pt = ps->pat;
  if (pt->n >= MAX_PROG) return fail(ps, "pattern too long");
  inst *in = &pt->prog[pt->n];
  memset(in, 0, sizeof *in);
  in->op = op;
  in->x = x;
  in->y = y;
  return pt->n++;
}

/* Reads a delimited body ("..." or /.../) into lexicon memory. */
static const char *delimited(parser *ps, char delim, size_t *len) {
  const char *b = ++ps->p;
  char buf[512];
  size_t n = 0;
  while (*ps->p && *ps->p != delim) {
    if (*ps->p == '\\' && ps->p[1] == delim) ps->p++;
    else if (*ps->p == '\\' && delim == '"' && ps->p[1] == '\\') ps->p++;
    if (n + 1 >= sizeof buf) return fail(ps, "literal too long"), NULL;
    buf[n++] = *ps->p++;
  }
  if (*ps->p != delim) {
    ps->p = b - 1;
    return fail(ps, delim == '"' ? "unterminated literal" : "unterminated regex"), NULL;
  }
  ps->p++;
  *len = n;
  return nerq_lexicon_strdup(ps->lex, buf, n);
}

static int compile_re(parser *ps, test *t, const char *at) {
  int err = 0;
  size_t off = 0;
  uint32_t opts = PCRE2_UTF | PCRE2_UCP | (t->icase ? PCRE2_CASELESS : 0);
  nerq_regex_set *set = ps->defs ? ps->defs->regexes : NULL;
  if (!set) return fail(ps, "regexes need a rule set");
  t->rx = nerq_regex_get(set, t->lit, t->litlen, opts, &err, &off);
  if (!t->rx && !err) return fail(ps, "out of memory");
  if (!t->rx) {
    static char msg[160];
    char tmp[120];
    pcre2_get_error_message(err, (PCRE2_UCHAR *)tmp, sizeof tmp);
    snprintf(msg, sizeof msg, "bad regex: %s", tmp);
    ps->p = at + 1 + off;
    return fail(ps, msg);
  }
  /* a regex that only names words is answered by them (NULL: by PCRE2) */
  if (!t->rx->words_done) t->rx->words = nerq_re_words(ps->lex, t->lit, t->litlen, t->icase);
  t->rx->words_done = 1;
  return 0; /* first bytes and JIT on first use (test_set_or_re), or for a gate */
}

static int ident_len(const char *p) {
  int n = 0;
  while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
         (p[n] >= '0' && p[n] <= '9') || p[n] == '_' || p[n] == '-' ||
         p[n] == '.')
    n++;
  return n;
}

static int parse_class(parser *ps, test *t) {
  int n = ident_len(ps->p);
  for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
    if ((int)strlen(classes[i].name) == n && !strncmp(classes[i].name, ps->p, (size_t)n)) {
      t->kind = T_CLASS;
      t->flag = classes[i].flag;
      ps->p += n;
      return 0;
    }
  return fail(ps, n ? "unknown token class (see docs/rules.md)" : "expected a token test");
}

static int parse_list(parser *ps, test *t) {
  int n = ident_len(ps->p + 1);
  char name[64];
  if (n == 0 || n >= (int)sizeof name) return fail(ps, "expected a list name after @");
  memcpy(name, ps->p + 1, (size_t)n);
  name[n] = '\0';
  t->kind = T_LIST;
  t->list = nerq_lexicon_find_list(ps->lex, name);
  if (t->list < 0) return fail(ps, "unknown list (no rules/lists or gazetteer file of that name)");
  ps->p += n + 1;
  return 0;
}

/* One test: [!] ( "lit"[i] | /re/[i] | @list | Class ) */
static int parse_test(parser *ps, test *t) {
  memset(t, 0, sizeof *t);
  if (*ps->p == '!') {
    t->neg = 1;
    ps->p++;
  }
  const char *at = ps->p;
  if (*ps->p == '"' || *ps->p == '/') {
    char d = *ps->p;
    t->kind = d == '"' ? T_LIT : T_RE;
    if (!(t->lit = delimited(ps, d, &t->litlen))) return -1;
    if (*ps->p == 'i') {
      t->icase = 1;
      ps->p++;
    }
    if (t->kind == T_LIT && t->litlen == 0) return ps->p = at, fail(ps, "empty literal");
    return t->kind == T_RE ? compile_re(ps, t, at) : 0;
  }
  if (*ps->p == '@') return parse_list(ps, t);
  return parse_class(ps, t);
}

static int parse_alt(parser *ps);

/* The tests of one token: [tests...] or a bare test, into tmp. */
static int parse_tests(parser *ps, int bracket, test *tmp, int *nt) {
  if (bracket) ps->p++;
  do {
    skip_ws(ps);
    if (bracket && *ps->p == ']') break;
    if (bracket && (!*ps->p || *ps->p == '#')) return fail(ps, "expected ]");
    if (*nt == MAX_TESTS) return fail(ps, "too many tests in [ ]");
    if (parse_test(ps, &tmp[(*nt)++])) return -1;
  } while (bracket);
  if (bracket) {
    if (*ps->p != ']') return fail(ps, "expected ]");
    if (*nt == 0) return fail(ps, "empty [ ]");
    ps->p++;
  }
  return 0;
}

/* A token test as an instruction. */
static int parse_tok(parser *ps, int bracket) {
  test tmp[MAX_TESTS];
  int nt = 0, pc = -1;
  inst *in = NULL;
  if (!parse_tests(ps, bracket, tmp, &nt)) {
    int multi = !bracket && tmp[0].kind == T_LIST && !tmp[0].neg;
    pc = emit(ps, multi ? I_LIST : I_TOK, multi ? tmp[0].list : 0, 0);
  }
  if (pc >= 0 && !(in = &ps->pat->prog[pc])->tests)
    in->tests = nerq_lexicon_alloc(ps->lex, sizeof(test) * (size_t)nt);
  if (!in || !in->tests) {
    if (in) fail(ps, "out of memory");
    return -1;
  }
  memcpy(in->tests, tmp, sizeof(test) * (size_t)nt);
  in->ntests = nt;
  return 0;
}

/* A group that is only an alternation of single literals, such as
 * ("in" | "near" | "from"), becomes one instruction testing a set of
 * literals: one step instead of a chain of splits. */
static int literal_set(parser *ps, int start) {
  nerq_pattern *pt = ps->pat;
  int nlit = 0, nsplit = 0, njmp = 0;
  for (int pc = start; pc < pt->n; pc++) {
    const inst *in = &pt->prog[pc];
    if (in->op == I_SPLIT) nsplit++;
    else if (in->op == I_JMP) njmp++;
    else if (in->op == I_TOK && in->ntests == 1 && in->tests[0].kind == T_LIT && !in->tests[0].neg) nlit++;
    else return 0;
  }
  if (nlit < 2 || nsplit != nlit - 1 || njmp != nlit - 1) return 0;
  test *set = nerq_lexicon_alloc(ps->lex, sizeof(test) * (size_t)nlit);
  test *t = nerq_lexicon_alloc(ps->lex, sizeof(test));
  if (!set || !t) return fail(ps, "out of memory");
  int k = 0;
  for (int pc = start; pc < pt->n; pc++)
    if (pt->prog[pc].op == I_TOK) set[k++] = pt->prog[pc].tests[0];
  *t = (test){.kind = T_LITSET, .set = set, .nset = nlit};
  pt->n = start;
  int pc = emit(ps, I_TOK, 0, 0);
  if (pc < 0) return -1;
  pt->prog[pc].tests = t;
  pt->prog[pc].ntests = 1;
  return 0;
}

#define MAX_DEF_DEPTH 8

/* $name: the named definition's pattern, parsed in place as a group.
 * An error inside it is reported at the reference. */
static int parse_ref(parser *ps) {
  const char *at = ps->p;
  int n = ident_len(at + 1);
  if (n == 0) return fail(ps, "expected a definition name after $");
  const char *body = ps->defs ? ps->defs->find(ps->defs->ctx, at + 1, (size_t)n) : NULL;
  if (!body) return fail(ps, "unknown definition (define it above: $name = PATTERN)");
  if (ps->depth >= MAX_DEF_DEPTH) return fail(ps, "definitions nested too deeply");
  int start = ps->pat->n, r;
  const char *warned = ps->warn;
  ps->p = body;
  ps->depth++;
  r = parse_alt(ps);
  if (!r) skip_ws(ps);
  if (!r && *ps->p) r = fail(ps, "unexpected character in definition");
  ps->depth--;
  if (!warned && ps->warn) ps->warn_at = at; /* reported at the reference */
  ps->p = r ? at : at + 1 + n;
  return r ? -1 : literal_set(ps, start);
}

/* (?! ... ): a negative lookahead, consuming no token. */
static int parse_not(parser *ps) {
  const char *open = ps->p;
  ps->p += 3;
  int look = emit(ps, I_NOT, 0, 0);
  if (look < 0 || parse_alt(ps)) return -1;
  skip_ws(ps);
  if (*ps->p != ')') return ps->p = open, fail(ps, "unclosed (?!");
  for (int pc = look + 1; pc < ps->pat->n; pc++)
    if (ps->pat->prog[pc].op == I_SAVE || ps->pat->prog[pc].op == I_NOT)
      return ps->p = open, fail(ps, "no capture or (?! inside (?! )");
  ps->p++;
  if (emit(ps, I_ENDNOT, 0, 0) < 0) return -1;
  ps->pat->prog[look].y = ps->pat->n;
  return 0;
}

static int parse_atom(parser *ps) {
  char c = *ps->p;
  if (c == '$') return parse_ref(ps);
  if (c == '(' && ps->p[1] == '?' && ps->p[2] == '!') return parse_not(ps);
  if (c == '(' || c == '<') {
    if (c == '<' && ps->pat->has_capture) return fail(ps, "only one capture < > per rule");
    const char *open = ps->p++;
    if (c == '<') {
      ps->pat->has_capture = 1;
      if (emit(ps, I_SAVE, 0, 0) < 0) return -1;
    }
    int start = ps->pat->n;
    if (parse_alt(ps)) return -1;
    skip_ws(ps);
    if (*ps->p != (c == '(' ? ')' : '>'))
      return ps->p = open, fail(ps, c == '(' ? "unclosed (" : "unclosed <");
    ps->p++;
    if (c == '(' && literal_set(ps, start)) return -1;
    return c == '<' ? (emit(ps, I_SAVE, 1, 0) < 0 ? -1 : 0) : 0;
  }
  return parse_tok(ps, c == '[');
}

/* Moves prog[from..n) up by k slots, fixing jump targets. */
static int make_room(parser *ps, int from, int k) {
  nerq_pattern *pt = ps->pat;
  if (pt->n + k > MAX_PROG) return fail(ps, "pattern too long");
  memmove(&pt->prog[from + k], &pt->prog[from], sizeof(inst) * (size_t)(pt->n - from));
  pt->n += k;
  for (int i = from + k; i < pt->n; i++) {
    inst *in = &pt->prog[i];
    if (in->op == I_SPLIT || in->op == I_JMP) {
      if (in->x >= from) in->x += k;
      if (in->op == I_SPLIT && in->y >= from) in->y += k;
    } else if (in->op == I_NOT && in->y >= from) in->y += k;
  }
  return 0;
}

/* True if control can go from pc to `to` (at most MAX_PROG) consuming
 * no token: through splits, jumps, saves and lookaheads. */
static int empty_path(const nerq_pattern *pt, int pc, int to, uint64_t *seen) {
  while (pc != to) {
    if (pc < 0 || pc >= pt->n || ((seen[pc >> 6] >> (pc & 63)) & 1)) return 0;
    seen[pc >> 6] |= 1ull << (pc & 63);
    const inst *in = &pt->prog[pc];
    if (in->op == I_SPLIT && empty_path(pt, in->x, to, seen)) return 1;
    if (in->op == I_SPLIT || in->op == I_NOT) pc = in->y;
    else if (in->op == I_JMP) pc = in->x;
    else if (in->op == I_SAVE) pc++;
    else return 0; /* a token test; or the end of a match or lookahead */
  }
  return 1;
}

/* Instructions [from, n) can be passed through consuming no token. */
static int can_be_empty(const nerq_pattern *pt, int from) {
  uint64_t seen[(MAX_PROG + 63) / 64] = {0};
  return empty_path(pt, from, pt->n, seen);
}

static void warn(parser *ps, const char *at, const char *msg) {
  if (!ps->warn) ps->warn = msg, ps->warn_at = at;
}

static int parse_item(parser *ps) {
  int start = ps->pat->n;
  if (parse_atom(ps)) return -1;
  char q = *ps->p;
  if (q != '?' && q != '*' && q != '+') return 0;
  nerq_pattern *pt = ps->pat;
  if (q != '?' && can_be_empty(pt, start))
    warn(ps, ps->p, "runaway rule: the part before this * or + can match no token, "
                    "so it may repeat to the step budget at every token");
  ps->p++;
  if (q == '+') return emit(ps, I_SPLIT, start, pt->n + 1) < 0 ? -1 : 0;
  if (make_room(ps, start, 1)) return -1;
  if (q == '?') {
    pt->prog[start] = (inst){.op = I_SPLIT, .x = start + 1, .y = pt->n};
    return 0;
  }
  if (emit(ps, I_JMP, start, 0) < 0) return -1;
  pt->prog[start] = (inst){.op = I_SPLIT, .x = start + 1, .y = pt->n};
  return 0;
}

static int parse_seq(parser *ps) {
  for (;;) {
    skip_ws(ps);
    char c = *ps->p;
    if (!c || c == '|' || c == ')' || c == '>' || c == '#') return 0;
    if (parse_item(ps)) return -1;
  }
}

static int parse_alt(parser *ps) {
  int start = ps->pat->n;
  if (parse_seq(ps)) return -1;
  while (*ps->p == '|') {
    ps->p++;
    if (make_room(ps, start, 1)) return -1;
    int jmp = emit(ps, I_JMP, 0, 0);
    if (jmp < 0) return -1;
    ps->pat->prog[start] = (inst){.op = I_SPLIT, .x = start + 1, .y = jmp + 1};
    if (parse_seq(ps)) return -1;
    ps->pat->prog[jmp].x = ps->pat->n;
  }
  return 0;
}

static mask mask_of(const inst *in, int pc) {
  mask m = {0, 0, 0, 0, pc, 1};
  for (int i = 0; i < in->ntests; i++) {
    const test *t = &in->tests[i];
    if (t->kind == T_CLASS && t->flag) *(t->neg ? &m.forb_flags : &m.req_flags) |= t->flag;
    else if (t->kind == T_LIST) *(t->neg ? &m.forb_lists : &m.req_lists) |= 1ull << t->list;
    else if (t->kind != T_CLASS) m.exact = 0;
  }
  return m;
}

/* The literal (or set of literals) an instruction requires, or NULL. */
const test *nerq_inst_literal(const inst *in) {
  for (int i = 0; i < in->ntests; i++)
    if ((in->tests[i].kind == T_LIT || in->tests[i].kind == T_LITSET) && !in->tests[i].neg)
      return &in->tests[i];
  return NULL;
}

static void set_byte(nerq_pattern *pt, unsigned char c) {
  pt->bytes[c >> 3] |= (uint8_t)(1u << (c & 7));
}

/* A regex an instruction requires whose first bytes are known, or NULL. */
static const test *required_regex(const inst *in) {
  for (int i = 0; i < in->ntests; i++) {
    test *t = &in->tests[i];
    if (t->kind != T_RE || t->neg) continue;
    if (!t->rx->first_done) nerq_re_first_bytes(t->rx); /* (at load: not yet shared) */
    if (t->rx->has_first) return t;
  }
  return NULL;
}

/* Narrows the first-token conditions by one more possible instruction. */
static void add_first(nerq_pattern *pt, const inst *in) {
  const test *lit = nerq_inst_literal(in);
  const test *re = lit ? NULL : required_regex(in);
  pt->need_flags = pt->nalt ? pt->need_flags & in->m.req_flags : in->m.req_flags;
  pt->forb_lists = pt->nalt ? pt->forb_lists & in->m.forb_lists : in->m.forb_lists;
  pt->forb_flags = pt->nalt ? pt->forb_flags & in->m.forb_flags : in->m.forb_flags;
  if (pt->nalt == 0 || pt->need_any_lists) /* stays 0 once one needs none */
    pt->need_any_lists = in->m.req_lists ? pt->need_any_lists | in->m.req_lists : 0;
  pt->use_bytes = (pt->nalt == 0 || pt->use_bytes) && (lit || re);
  for (int j = 0; re && j < 32; j++) pt->bytes[j] |= re->rx->first[j];
  const test *one = lit && lit->kind == T_LITSET ? lit->set : lit;
  for (int j = 0; lit && j < (lit->kind == T_LITSET ? lit->nset : 1); j++) {
    unsigned char c = (unsigned char)one[j].lit[0];
    set_byte(pt, c);
    if (one[j].icase && c < 0x80) set_byte(pt, (unsigned char)(c ^ 32));
  }
  pt->nalt++;
}

/* Collects the instructions that may consume the first token, through
 * saves, jumps and both sides of splits. */
static void first_set(nerq_pattern *pt, int pc, int depth) {
  while (pc < pt->n && pt->nalt >= 0 && depth < 32) {
    const inst *in = &pt->prog[pc];
    if (in->op == I_SAVE) pc++;
    else if (in->op == I_JMP) pc = in->x;
    else if (in->op == I_NOT) pc = in->y;
    else if (in->op == I_SPLIT) {
      first_set(pt, in->x, depth + 1);
      pc = in->y;
      depth++;
    } else if (in->op == I_TOK && pt->nalt < MAX_FIRST) {
      add_first(pt, in);
      return;
    } else {
      pt->nalt = -1; /* a phrase list, the end, or too many */
      return;
    }
  }
}

int nerq_prog_reaches_past(const nerq_pattern *pt, int pc, const uint8_t *avoid, uint8_t *seen) {
  while (pc < pt->n && !avoid[pc] && !seen[pc]) {
    seen[pc] = 1;
    const inst *in = &pt->prog[pc];
    if (in->op == I_MATCH) return 1;
    if (in->op == I_JMP) pc = in->x;
    else if (in->op == I_NOT) pc = in->y;
    else if (in->op == I_SPLIT) {
      if (nerq_prog_reaches_past(pt, in->x, avoid, seen)) return 1;
      pc = in->y;
    } else pc++;
  }
  return 0;
}

int nerq_prog_reaches(const nerq_pattern *pt, int pc, int avoid, uint8_t *seen) {
  uint8_t one[MAX_PROG] = {0};
  if (avoid >= 0 && avoid < MAX_PROG) one[avoid] = 1;
  return nerq_prog_reaches_past(pt, pc, one, seen);
}

/* The lists and flags of the instructions that every match runs. */
static void must_masks(nerq_pattern *pt) {
  for (int pc = 1; pc < pt->n; pc++) {
    const inst *in = &pt->prog[pc];
    if (in->op != I_TOK && in->op != I_LIST) continue;
    uint8_t seen[MAX_PROG] = {0};
    if (nerq_prog_reaches(pt, 1, pc, seen)) continue;
    if (in->op == I_LIST) pt->must_lists |= 1ull << in->x;
    else {
      pt->must_lists |= in->m.req_lists;
      pt->must_flags |= in->m.req_flags & ~(uint32_t)DYNAMIC_FLAGS;
    }
  }
}

/* When the first two consumed tokens are fixed (token tests with no
 * split between them), the flags and lists the second must have. */
static void second_mask(nerq_pattern *pt, int pc) {
  pt->second_list = -1;
  if (pc >= pt->n || pt->prog[pc].op != I_TOK) return;
  for (pc++; pc < pt->n && pt->prog[pc].op == I_SAVE; pc++) {}
  if (pc < pt->n && pt->prog[pc].op == I_LIST) pt->second_list = pt->prog[pc].x;
  if (pc >= pt->n || pt->prog[pc].op != I_TOK) return;
  pt->second = pt->prog[pc].m;
  pt->has_second = 1;
}

/* True for a test that the masks do not answer (see nerq_test_slow). */
static int slow_test(const test *t) { return t->kind == T_LIT || t->kind == T_RE || t->kind == T_LITSET; }

/* Puts an instruction's literal and regex tests first, in their order,
 * so that the VM stops at the first flag or list test (which the masks
 * answered); the tests are a conjunction and the others are pure. */
static void slow_first(inst *in) {
  test tmp[MAX_TESTS];
  int k = 0;
  for (int i = 0; i < in->ntests; i++)
    if (slow_test(&in->tests[i])) tmp[k++] = in->tests[i];
  for (int i = 0; i < in->ntests; i++)
    if (!slow_test(&in->tests[i])) tmp[k++] = in->tests[i];
  memcpy(in->tests, tmp, (size_t)in->ntests * sizeof *tmp);
}

/* Computes each instruction's masks and the pattern's quick test. */
static void first_masks(nerq_pattern *pt) {
  for (int pc = 0; pc < pt->n; pc++)
    if (pt->prog[pc].op == I_TOK) {
      pt->prog[pc].m = mask_of(&pt->prog[pc], pc);
      if (pt->prog[pc].ntests > 1 && pt->prog[pc].ntests <= MAX_TESTS) slow_first(&pt->prog[pc]);
    }
  must_masks(pt);
  pt->any_list = -1;
  pt->second_list = -1;
  int pc = 1; /* the first consuming instruction (a lookahead consumes none) */
  while (pc < pt->n && (pt->prog[pc].op == I_SAVE || pt->prog[pc].op == I_NOT))
    pc = pt->prog[pc].op == I_NOT ? pt->prog[pc].y : pc + 1;
  if (pc < pt->n && pt->prog[pc].op == I_LIST) {
    pt->any_list = pt->prog[pc].x;
    return;
  }
  first_set(pt, 1, 0);
  if (pt->nalt <= 0)
    pt->need_flags = pt->forb_flags = 0, pt->need_any_lists = pt->forb_lists = 0, pt->use_bytes = 0;
  second_mask(pt, pc);
}

/* The whole of ps->src into ps->pat's program, ended by I_MATCH, with a
 * warning for a pattern that can match no token: 0, or -1 (ps->msg and
 * ps->p say what and where; ps->msg NULL for a syntax error). */
static int parse_pattern(parser *ps) {
  if (emit(ps, I_SAVE, 2, 0) < 0 || parse_alt(ps)) return -1;
  skip_ws(ps);
  if (*ps->p && *ps->p != '#') {
    fail(ps, *ps->p == ')' ? "unmatched )" : *ps->p == '>' ? "unmatched >"
                                                           : "unexpected character");
    return -1;
  }
  if (ps->pat->n == 1) {
    fail(ps, "empty pattern");
    return -1;
  }
  parser at = *ps; /* where the pattern's text starts */
  at.p = ps->src;
  skip_ws(&at);
  if (can_be_empty(ps->pat, 1))
    warn(ps, at.p, "runaway rule: the pattern can match no token (an empty match is "
                   "dropped), so it is tried to no use at every token");
  return emit(ps, I_MATCH, 0, 0) < 0 ? -1 : 0;
}

static nerq_pattern *compile(nerq_lexicon *lex, const char *src, const nerq_defs *defs,
                             size_t *col, const char **msg, int gate) {
  nerq_pattern *pt = nerq_lexicon_alloc(lex, sizeof *pt);
  inst *scratch = malloc(MAX_PROG * sizeof *scratch); /* emit() clears what it uses */
  if (!pt || !scratch) {
    free(scratch);
    *msg = "out of memory";
    *col = 0;
    return NULL;
  }
  pt->prog = scratch;
  parser ps = {lex, src, src, NULL, pt, defs, 0, NULL, NULL};
  if (parse_pattern(&ps)) goto fail;
  if (gate) first_masks(pt);
  /* the program, at its size, in lexicon memory (a rule set holds a few
   * hundred patterns: MAX_PROG each would be megabytes to clear at load) */
  if (!(pt->prog = nerq_lexicon_alloc(lex, (size_t)pt->n * sizeof *pt->prog))) {
    pt->prog = scratch;
    fail(&ps, "out of memory");
    goto fail;
  }
  memcpy(pt->prog, scratch, (size_t)pt->n * sizeof *pt->prog);
  free(scratch);
  pt->warn = ps.warn;
  pt->warn_col = ps.warn ? (size_t)(ps.warn_at - src) : 0;
  return pt;
fail:
  *msg = ps.msg ? ps.msg : "syntax error";
  *col = (size_t)(ps.p - src);
  free(scratch);
  return NULL;
}

nerq_pattern *nerq_pattern_compile(nerq_lexicon *lex, const char *src, const nerq_defs *defs,
                                   size_t *col, const char **msg) {
  return compile(lex, src, defs, col, msg, 1);
}

nerq_pattern *nerq_pattern_check(nerq_lexicon *lex, const char *src, const nerq_defs *defs,
                                 size_t *col, const char **msg) {
  return compile(lex, src, defs, col, msg, 0);
}

const char *nerq_pattern_warning(const nerq_pattern *p, size_t *col) {
  if (col) *col = p && p->warn ? p->warn_col : 0;
  return p ? p->warn : NULL;
}

#define RE_MATCH_LIMIT 100000
#define RE_DEPTH_LIMIT 2000

int nerq_regex_context(void **match_data, void **mcontext) {
  pcre2_match_data *md = pcre2_match_data_create(4, NULL);
  pcre2_match_context *mc = pcre2_match_context_create(NULL);
  if (!md || !mc) {
    nerq_regex_context_free(md, mc);
    return -1;
  }
  pcre2_set_match_limit(mc, RE_MATCH_LIMIT);
  pcre2_set_depth_limit(mc, RE_DEPTH_LIMIT);
  *match_data = md;
  *mcontext = mc;
  return 0;
}

void nerq_regex_context_free(void *match_data, void *mcontext) {
  pcre2_match_data_free(match_data);
  pcre2_match_context_free(mcontext);
}

/* Interns the literals of the instructions that may consume the first
 * token into list `bit`; returns 0 if one of them is not a word literal. */
static int intern_first(const nerq_pattern *pt, int pc, int depth, nerq_lexicon *lex, int bit) {
  while (pc < pt->n && depth < 32) {
    const inst *in = &pt->prog[pc];
    if (in->op == I_SAVE) pc++;
    else if (in->op == I_JMP) pc = in->x;
    else if (in->op == I_NOT) pc = in->y;
    else if (in->op == I_SPLIT) {
      if (!intern_first(pt, in->x, depth + 1, lex, bit)) return 0;
      pc = in->y;
      depth++;
    } else {
      const test *lit = in->op == I_TOK ? nerq_inst_literal(in) : NULL;
      if (!lit) return 0;
      const test *one = lit->kind == T_LITSET ? lit->set : lit;
      for (int j = 0; j < (lit->kind == T_LITSET ? lit->nset : 1); j++) {
        unsigned char c = (unsigned char)one[j].lit[0];
        if (c < 0x80 && !((c | 32) >= 'a' && (c | 32) <= 'z') && !(c >= '0' && c <= '9')) return 0;
        nerq_entry *e = nerq_lexicon_intern(lex, one[j].lit, one[j].litlen);
        if (!e) return 0;
        if (!((e->lists >> bit) & 1)) e->lists |= 1ull << bit; /* a mapped entry has it */
      }
      return 1;
    }
  }
  return 0;
}

int nerq_pattern_literal_first(const nerq_pattern *p, nerq_lexicon *lex, int bit) {
  return bit >= 0 && p->any_list < 0 && p->nalt > 0 && p->use_bytes &&
         intern_first(p, 1, 0, lex, bit);
}

nerq_gate nerq_pattern_gate(const nerq_pattern *p) {
  nerq_gate g = {p->need_flags, p->forb_flags, p->need_any_lists, p->forb_lists,
                 p->any_list, p->must_lists, p->must_flags, 0, 0, 0, 0, 0,
                 p->second_list, p->span_lists};
  if (p->has_second) {
    g.has_second = 1;
    g.second_flags = p->second.req_flags & ~(uint32_t)DYNAMIC_FLAGS;
    g.second_forb_flags = p->second.forb_flags & ~(uint32_t)DYNAMIC_FLAGS;
    g.second_lists = p->second.req_lists;
    g.second_forb_lists = p->second.forb_lists;
  }
  if (p->any_list >= 0) g.first_flags = g.forb_flags = 0, g.first_any_lists = g.forb_lists = 0;
  return g;
}
