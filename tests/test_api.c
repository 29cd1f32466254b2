/* test_api.c - cmocka: every public function of nerq.h given NULL (or
 * an empty value) where a caller could pass one returns an error status,
 * NULL, 0 or -1 instead of crashing (issue 10). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "nerq.h"
#include "nerq_eval.h"

static void test_rules_null(void **state) {
  (void)state;
  nerq_rules *r = (nerq_rules *)1;
  char *err = (char *)1;
  assert_int_equal(nerq_rules_load(NULL, &r, &err), NERQ_ERR_USAGE);
  assert_null(r);
  assert_null(err);
  assert_int_equal(nerq_rules_load("rules", NULL, NULL), NERQ_ERR_USAGE);
  assert_int_equal(nerq_rules_load(NULL, NULL, NULL), NERQ_ERR_USAGE);
  nerq_rules_free(NULL);
  assert_int_equal(nerq_rules_count(NULL), 0);
  assert_non_null(nerq_rules_hash(NULL));
  assert_non_null(nerq_status_message((nerq_status)99));
}

static void test_doc_null(void **state) {
  (void)state;
  nerq_doc *d = (nerq_doc *)1;
  assert_int_equal(nerq_doc_process(NULL, "x", 1, &d), NERQ_ERR_USAGE);
  assert_null(d);
  assert_int_equal(nerq_doc_process(NULL, "x", 1, NULL), NERQ_ERR_USAGE);
  nerq_doc_free(NULL);
  assert_null(nerq_doc_to_json(NULL, "x", NULL, 0));
  assert_null(nerq_doc_to_rdf(NULL, "x", NULL, NULL, NERQ_RDF_NTRIPLES, 0));
  assert_null(nerq_doc_explain(NULL));
  char *e = nerq_error_to_json(NULL, NULL, 0);
  assert_non_null(e);
  assert_string_equal(e, "{\"doc\":null,\"error\":\"\"}");
  free(e);
}

static void test_views_null(void **state) {
  (void)state;
  size_t a = 7, b = 7, n = 7;
  assert_int_equal(nerq_doc_entity_count(NULL), 0);
  assert_null(nerq_doc_entity_type(NULL, 0));
  assert_null(nerq_doc_entity_name(NULL, 0));
  assert_null(nerq_doc_entity_key(NULL, 0));
  assert_null(nerq_doc_entity_id(NULL, 0));
  assert_int_equal(nerq_doc_mention_count(NULL, 0), 0);
  nerq_doc_mention_span(NULL, 0, 0, &a, &b);
  assert_int_equal(a + b, 0);
  nerq_doc_mention_span(NULL, 0, 0, NULL, NULL);
  assert_null(nerq_doc_mention_text(NULL, 0, 0, &n));
  assert_null(nerq_doc_mention_rule(NULL, 0, 0));
  assert_int_equal(nerq_doc_quote_count(NULL), 0);
  assert_int_equal(nerq_doc_relation_count(NULL), 0);
  assert_int_equal(nerq_doc_warning_count(NULL), 0);
  assert_null(nerq_doc_warning(NULL, 0));
  assert_int_equal(nerq_doc_length(NULL), 0);
  assert_null(nerq_doc_quote_id(NULL, 0));
  assert_null(nerq_doc_quote_text(NULL, 0));
  nerq_doc_quote_span(NULL, 0, &a, &b);
  assert_int_equal(nerq_doc_quote_segment_count(NULL, 0), 0);
  assert_null(nerq_doc_quote_segment(NULL, 0, 0, &a, &b, &n));
  assert_null(nerq_doc_quote_kind(NULL, 0));
  assert_int_equal(nerq_doc_quote_speaker(NULL, 0), -1);
  assert_null(nerq_doc_quote_speaker_name(NULL, 0, &n));
  assert_null(nerq_doc_quote_speaker_mention(NULL, 0, &a, &b, &n));
  assert_null(nerq_doc_quote_role(NULL, 0));
  assert_int_equal(nerq_doc_quote_org(NULL, 0), -1);
  assert_null(nerq_doc_quote_cue(NULL, 0, &a, &b, &n));
  assert_null(nerq_doc_quote_how(NULL, 0));
  assert_null(nerq_doc_quote_rule(NULL, 0));
}

static void test_eval_null(void **state) {
  (void)state;
  char *err = (char *)1;
  long tp = 5, fp = 5, fn = 5;
  nerq_eval_free(NULL);
  assert_int_equal(nerq_eval_add(NULL, "{}", NULL, &err), NERQ_ERR_USAGE);
  free(err);
  nerq_eval *ev = nerq_eval_new();
  assert_non_null(ev);
  assert_int_equal(nerq_eval_add(ev, NULL, NULL, NULL), NERQ_ERR_USAGE);
  nerq_eval_counts(ev, NULL, NULL, &tp, &fp, &fn);
  assert_int_equal(tp, -1);
  nerq_eval_counts(ev, "strict", "ALL", NULL, NULL, NULL);
  nerq_eval_free(ev);
  assert_null(nerq_eval_report(NULL, 0));
  nerq_eval_counts(NULL, "strict", "ALL", &tp, &fp, &fn);
  assert_int_equal(tp, -1);
  nerq_eval_quote_counts(NULL, &tp, &fp, &fn);
  assert_int_equal(tp, -1);
  nerq_eval_quote_counts(NULL, NULL, NULL, NULL);
}

/* The one UTF-8 validator: lengths of well-formed sequences, minus the
 * maximal ill-formed subpart otherwise (Unicode 3.9, Table 3-7). */
static void test_utf8(void **state) {
  (void)state;
  assert_int_equal(nerq_utf8_seq("a", 1), 1);
  assert_int_equal(nerq_utf8_seq("", 1), 1); /* NUL is well-formed */
  assert_int_equal(nerq_utf8_seq("x", 0), 0);
  assert_int_equal(nerq_utf8_seq("\xc3\xa9", 2), 2);
  assert_int_equal(nerq_utf8_seq("\xe2\x80\x9c", 3), 3);
  assert_int_equal(nerq_utf8_seq("\xf0\x9f\x98\x80", 4), 4);
  assert_int_equal(nerq_utf8_seq("\xe2\x80\x9c", 2), -2); /* cut short */
  assert_int_equal(nerq_utf8_seq("\xe2\x41", 2), -1);
  assert_int_equal(nerq_utf8_seq("\xc0\xaf", 2), -1);     /* overlong */
  assert_int_equal(nerq_utf8_seq("\xed\xa0\x80", 3), -1); /* surrogate */
  assert_int_equal(nerq_utf8_seq("\xf4\x90\x80\x80", 4), -1);
  assert_int_equal(nerq_utf8_seq("\xff", 1), -1);
  char out[64];
  size_t cps = 0;
  /* a, U+FFFD for "\xe2\x80", b, NUL kept, U+FFFD for \xff */
  size_t n = nerq_utf8_repair(out, "a\xe2\x80"
                                   "b\0\xff",
                              6, 0, &cps);
  assert_int_equal(n, 9);
  assert_memory_equal(out, "a\xef\xbf\xbd"
                           "b\0\xef\xbf\xbd",
                      9);
  assert_int_equal(cps, 5);
  n = nerq_utf8_repair(out, "b\0", 2, 1, NULL); /* NUL replaced */
  assert_int_equal(n, 4);
  assert_memory_equal(out, "b\xef\xbf\xbd", 4);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rules_null),
      cmocka_unit_test(test_doc_null),
      cmocka_unit_test(test_views_null),
      cmocka_unit_test(test_eval_null),
      cmocka_unit_test(test_utf8),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
