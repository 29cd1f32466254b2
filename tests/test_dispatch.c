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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shipped_rules_dispatch),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
