/* test_dispatch.c - cmocka tests of the matcher's dispatch table
 * (src/dispatch.c, internal): the shipped rules fit it. When they do
 * not (more than NERQ_DISPATCH_RULES entity rules, or more than
 * NERQ_FLAG_GROUPS first-token flag sets), every entity rule is tried
 * at every token: output is the same, but matching takes several times
 * the instructions (issue 11), which no output test would notice. Runs
 * from the repository root with the rules in rules/. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "rules.h"

static void test_shipped_rules_dispatch(void **state) {
  (void)state;
  nerq_rules *r = NULL;
  char *err = NULL;
  assert_int_equal(nerq_rules_load("rules", &r, &err), NERQ_OK);
  assert_true(r->nrules > 0);
  assert_true(r->nrules <= NERQ_DISPATCH_RULES);
  assert_true(r->dispatch.ngroups <= NERQ_FLAG_GROUPS);
  assert_int_equal(r->dispatch.enabled, 1);
  nerq_rules_free(r);
}

/* rules->rep holds every reported-speech rule once, candidate rules
 * first, then end, then speaker rules, each part by descending priority. */
static void test_reported_index(void **state) {
  (void)state;
  nerq_rules *r = NULL;
  char *err = NULL;
  assert_int_equal(nerq_rules_load("rules", &r, &err), NERQ_OK);
  const nerq_rep_index *x = &r->rep;
  assert_true(x->ncand > 0 && x->nend > 0 && x->nspeaker > 0);
  assert_int_equal(x->ncand + x->nend + x->nspeaker, r->nirules);
  char *seen = calloc(r->nirules, 1);
  assert_non_null(seen);
  for (size_t k = 0; k < r->nirules; k++) {
    const nerq_rule *q = &r->irules[x->idx[k]];
    int part = k < x->ncand ? 0 : k < x->ncand + x->nend ? 1
                                                         : 2;
    assert_int_equal(part, q->type == REP_END ? 1 : q->type == REP_SPEAKER ? 2
                                                                           : 0);
    assert_false(seen[x->idx[k]]);
    seen[x->idx[k]] = 1;
    int first = k == 0 || k == x->ncand || k == x->ncand + x->nend;
    if (!first) assert_true(r->irules[x->idx[k - 1]].priority >= q->priority);
  }
  free(seen);
  nerq_rules_free(r);
}

static int has_byte(const uint8_t *b, unsigned char c) { return (b[c >> 3] >> (c & 7)) & 1; }

static const char *no_def(const void *ctx, const char *name, size_t len) {
  (void)ctx, (void)name, (void)len;
  return NULL;
}

static nerq_prefix prefix_of(nerq_lexicon *lex, const char *src) {
  size_t col = 0;
  const char *msg = NULL;
  nerq_regex_set *res = nerq_regex_set_new(); /* owns the pattern's regexes */
  assert_non_null(res);
  nerq_defs defs = {no_def, NULL, res};
  nerq_pattern *p = nerq_pattern_compile(lex, src, &defs, &col, &msg);
  assert_non_null(p);
  nerq_prefix pre;
  nerq_pattern_prefix(p, &pre);
  nerq_regex_set_free(res);
  return pre;
}

/* The first tokens every match consumes: a literal's first byte (both
 * cases when it ignores case), a regex's first bytes, the union over
 * alternatives, flags; a lookahead consumes none; the end of the
 * pattern ends the prefix. */
static void test_pattern_prefix(void **state) {
  (void)state;
  nerq_lexicon *lex = nerq_lexicon_new();
  assert_non_null(lex);
  nerq_prefix p = prefix_of(lex, "\",\" < \"and\"i > [Word]");
  assert_int_equal(p.n, 3);
  assert_true(has_byte(p.bytes[0], ','));
  assert_false(has_byte(p.bytes[0], 'a'));
  assert_true(has_byte(p.bytes[1], 'a') && has_byte(p.bytes[1], 'A'));
  assert_false(has_byte(p.bytes[1], 'b'));
  assert_true(has_byte(p.bytes[2], 'z') && has_byte(p.bytes[2], 0xc3));
  assert_true(p.req_flags[2] & (1u << 0)); /* TOK_WORD */
  p = prefix_of(lex, "[Word] (?! \"not\"i ) < /^(told|asked)$/i > ( \"that\"i | \"whether\"i )");
  assert_int_equal(p.n, 3);
  assert_true(has_byte(p.bytes[1], 't') && has_byte(p.bytes[1], 'a') && has_byte(p.bytes[1], 'T'));
  assert_false(has_byte(p.bytes[1], 'n'));
  assert_true(has_byte(p.bytes[2], 't') && has_byte(p.bytes[2], 'W'));
  assert_false(has_byte(p.bytes[2], 'a'));
  p = prefix_of(lex, "\"a\"i [Word]?");
  assert_int_equal(p.n, 1); /* the second token may be missing */
  nerq_lexicon_free(lex);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shipped_rules_dispatch),
      cmocka_unit_test(test_reported_index),
      cmocka_unit_test(test_pattern_prefix),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
