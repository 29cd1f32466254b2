/* pattern_match.c - running a compiled pattern (pattern_impl.h) at a
 * token, for a caller that checked its gate (pattern.c): the backtracking
 * VM with its step budget, and the token tests (docs/rules.md). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "pattern_impl.h"

typedef struct {
  const nerq_match_env *env;
  const inst *prog;       /* the pattern's program */
  const nerq_token *toks; /* env->toks */
  nerq_ents ents;         /* *env->ents */
  uint32_t newline;       /* TOK_NEWLINE if env->one_line, else 0 */
  size_t save[3];
  int steps;
  size_t limit; /* no match runs past this token */
  size_t end;   /* no token at or past this one is consumed: min(ntok, limit, stop) */
  size_t look;  /* nor tested, in a lookahead: min(ntok, limit) */
  size_t start; /* the match's first token */
  int closed;   /* the capture has closed on this path */
  int spent;    /* the step budget or a regex limit ran out */
} vm;

/* See nerq_match_env.one_line (m->newline is TOK_NEWLINE when it is set). */
static inline int line_ok(const vm *m, size_t pos) {
  return !(m->toks[pos].flags & m->newline) || pos == m->start || m->closed;
}

static inline int lit_eq(const test *t, const char *s, size_t n) {
  if (n != t->litlen) return 0;
  if (t->icase) return nerq_ascii_caseeq(s, t->lit, n);
  for (size_t i = 0; i < n; i++) /* literals are short: no call to memcmp */
    if (s[i] != t->lit[i]) return 0;
  return 1;
}

/* True if a PCRE2 result says a limit ran out (not "no match"). */
static int re_spent(int rc) {
  return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
         rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;
}

/* A regex on one token's bytes. Token texts are valid UTF-8 (the input
 * is repaired as it is decoded, and tokens end at code points), so the
 * JIT code runs directly, without pcre2_match's checks; it gives the
 * same results, limits included. */
static int re_match(const nerq_regex *rx, const char *s, size_t n, const nerq_match_env *env) {
  if (rx->jit_ok)
    return pcre2_jit_match(rx->code, (PCRE2_SPTR)s, n, 0, 0, env->match_data, env->mcontext);
  return pcre2_match(rx->code, (PCRE2_SPTR)s, n, 0, 0, env->match_data, env->mcontext);
}

/* A literal set or a regex on a token's bytes s[0..len). */
static int test_set_or_re(const test *t, vm *m, const char *s, uint32_t len) {
  int r = 0;
  if (t->kind == T_LITSET) {
    for (int j = 0; j < t->nset && !r; j++) r = lit_eq(&t->set[j], s, len);
    return t->neg ? !r : r;
  }
  const pcre2_code *re = nerq_regex_code(t->rx); /* made ready on first use */
  const nerq_regex *rx = t->rx;
  if (re && !(rx->has_first && len && !((rx->first[(unsigned char)*s >> 3] >> ((unsigned char)*s & 7)) & 1))) {
    r = rx->words ? nerq_re_words_match(rx->words, s, len) : -1;
    if (r < 0) { /* not answered by its words */
      r = re_match(rx, s, len, m->env);
      if (re_spent(r)) m->spent = 1;
      r = r >= 0;
    }
  }
  return t->neg ? !r : r;
}

/* The literal and regex tests of an instruction (its flag and list
 * tests are its masks). A compiled pattern has them first (slow_first
 * in pattern.c), so the loop stops at the first other test; an image
 * keeps that order. */
static int slow_ok(const inst *in, vm *m, size_t i) {
  const char *s = m->env->text + m->toks[i].off;
  uint32_t len = nerq_tok_len(m->toks, i);
  for (const test *t = in->tests, *end = t + in->ntests; t < end; t++) {
    if (t->kind == T_LIT) { /* the common case, inline */
      int r = lit_eq(t, s, len);
      if (t->neg ? r : !r) return 0;
      continue;
    }
    if (t->kind != T_RE && t->kind != T_LITSET) break; /* a mask test: the rest are too */
    if (!test_set_or_re(t, m, s, len)) return 0;
  }
  return 1;
}

static int run(vm *m, int pc, size_t pos, int depth);

/* A token instruction at pos (< m->end): line_ok, the flag and list
 * tests through the masks (the token's entry read only if a list is
 * tested), then the literals and regexes. */
static inline int tok_ok(const inst *in, vm *m, size_t pos) {
  uint32_t f = m->toks[pos].flags;
  if (!line_ok(m, pos)) return 0;
  const mask *k = &in->m;
  if ((f & k->req_flags) != k->req_flags || (f & k->forb_flags)) return 0;
  if (k->req_lists | k->forb_lists) {
    const nerq_entry *e = nerq_ent_get(&m->ents, pos);
    uint64_t l = e ? e->lists : 0;
    if ((l & k->req_lists) != k->req_lists || (l & k->forb_lists)) return 0;
  }
  return k->exact || slow_ok(in, m, pos);
}

/* What a failed path must leave as it found it: the saves and whether
 * the capture closed. A save sets its slot and goes on; a failure is
 * undone where another path is tried (a split's second side, another
 * length of a list member), from a copy taken before the first. No
 * save sits inside (?! ) (the parser refuses it), so a lookahead
 * changes nothing. */
typedef struct {
  size_t save[3];
  int closed;
} vm_state;

static vm_state state_of(const vm *m) { return (vm_state){{m->save[0], m->save[1], m->save[2]}, m->closed}; }

static void state_back(vm *m, const vm_state *st) {
  memcpy(m->save, st->save, sizeof st->save);
  m->closed = st->closed;
}

/* A multi-token list member: finds every length at which tokens from
 * pos spell a member (extending while the span is a phrase prefix),
 * then tries the longest first. */
static int run_list(vm *m, const inst *in, int pc, size_t pos, int depth) {
  const nerq_match_env *env = m->env;
  const nerq_entry *e = nerq_ent_get(env->ents, pos);
  size_t lens[NERQ_MAX_KEY_TOKENS + 3], nl = 0;
  size_t max = (size_t)nerq_lexicon_max_tokens(env->lex) + 2;
  for (size_t n = 1; e && n <= max && pos + n <= m->end; n++) {
    if (!line_ok(m, pos + n - 1)) break;
    if (n > 1) e = nerq_lexicon_span(env->lex, env->text, env->toks, pos, pos + n);
    if (e && ((e->lists >> in->x) & 1)) lens[nl++] = n;
    if (e && !((e->prefixes >> in->x) & 1)) break;
  }
  vm_state st = state_of(m);
  while (nl-- > 0) {
    if (run(m, pc + 1, pos + lens[nl], depth + 1)) return 1;
    state_back(m, &st);
  }
  return 0;
}

/* The VM from pc at pos. Returns 1 on a match; on 0 the saves may hold
 * the failed path's values (see vm_state). A save counts as a level of
 * depth, as each once ran the rest of the pattern one call deeper. */
static int run(vm *m, int pc, size_t pos, int depth) {
  const inst *prog = m->prog;
  if (depth > VM_DEPTH) return m->spent = 1, 0;
  if (pos > m->limit) return 0;
  for (;;) {
    if (++m->steps > STEP_BUDGET) return m->spent = 1, 0;
    const inst *in = &prog[pc];
    if (in->op == I_TOK) { /* the common step first */
      if (pos >= m->end || !tok_ok(in, m, pos)) return 0;
      pc++;
      pos++;
      continue;
    }
    switch (in->op) {
    case I_MATCH: m->save[2] = pos; return 1;
    case I_ENDNOT: return 1;
    case I_NOT: {
      size_t end = m->end; /* a lookahead may test the tokens from env->stop on */
      m->end = m->look;
      int hit = run(m, pc + 1, pos, depth + 1);
      m->end = end;
      if (hit) return 0;
      pc = in->y;
      continue;
    }
    case I_JMP: pc = in->x; continue;
    case I_SPLIT: {
      const inst *x = &prog[in->x];
      if (x->op == I_TOK && depth < VM_DEPTH && pos <= m->limit) {
        /* run(m, in->x, pos, depth + 1) one step at a time: its token
         * test first, here, with the same step (a side that fails at
         * once costs no call and no copy of the state) */
        if (++m->steps > STEP_BUDGET) return m->spent = 1, 0;
        if (pos >= m->end || !tok_ok(x, m, pos)) {
          pc = in->y;
          continue;
        }
        vm_state st = state_of(m);
        if (run(m, in->x + 1, pos + 1, depth + 1)) return 1;
        state_back(m, &st);
        pc = in->y;
        continue;
      }
      vm_state st = state_of(m);
      if (run(m, in->x, pos, depth + 1)) return 1;
      state_back(m, &st);
      pc = in->y;
      continue;
    }
    case I_SAVE:
      m->save[in->x] = pos;
      m->closed |= in->x == 1;
      if (++depth > VM_DEPTH) return m->spent = 1, 0;
      pc++;
      continue;
    case I_LIST: return pos < m->end && run_list(m, in, pc, pos, depth);
    default: return 0; /* (I_TOK is above; no other op is made) */
    }
  }
}

/* Not inlined into nerq_pattern_match_gated, so that the many calls
 * refused by the first byte return without setting up a VM. */
#ifdef __GNUC__
#define VM_NOINLINE __attribute__((noinline))
#else
#define VM_NOINLINE
#endif
static VM_NOINLINE int match_from(const nerq_pattern *p, const nerq_match_env *env, size_t start,
                                  size_t *cap_first, size_t *cap_end, size_t *end);

/* The first-byte test alone, for callers that checked the gate. */
static int bytes_ok(const nerq_pattern *p, const nerq_match_env *env, size_t i) {
  if (!p->use_bytes) return 1;
  unsigned char c = (unsigned char)env->text[env->toks[i].off];
  return (p->bytes[c >> 3] >> (c & 7)) & 1;
}

int nerq_pattern_match_gated(const nerq_pattern *p, const nerq_match_env *env,
                             size_t start, size_t *cap_first, size_t *cap_end,
                             size_t *end) {
  if (!bytes_ok(p, env, start)) return 0;
  return match_from(p, env, start, cap_first, cap_end, end);
}

static int match_from(const nerq_pattern *p, const nerq_match_env *env,
                      size_t start, size_t *cap_first, size_t *cap_end,
                      size_t *end) {
  size_t limit = start + (env->max_span ? env->max_span : MAX_SPAN);
  size_t look = limit < env->ntok ? limit : env->ntok;
  size_t stop = env->stop && env->stop < look ? env->stop : look;
  vm m = {env, p->prog, env->toks, *env->ents, env->one_line ? TOK_NEWLINE : 0, {start, start, start}, 0, limit, stop, look, start, 0, 0};
  int hit = run(&m, 1, start, 0);
  if (m.spent && env->spent) (*env->spent)++;
  if (!hit) return 0;
  if (p->has_capture) {
    *cap_first = m.save[0];
    *cap_end = m.save[1];
  } else {
    *cap_first = start;
    *cap_end = m.save[2];
  }
  if (end) *end = m.save[2];
  return *cap_end > *cap_first;
}
