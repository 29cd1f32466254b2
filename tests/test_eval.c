/*
 * test_eval.c - unit tests for the evaluation API (include/nerq_eval.h, src/eval*.c).
 * Every test adds hand-written gold and prediction lines and checks the
 * exact TP/FP/FN counts described in docs/eval.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nerq.h"
#include "nerq_eval.h"

/* "Nick Bos met Acme Corp in Paris."
 *  Nick Bos [0,8)  Acme Corp [13,22)  Paris [26,31) */
#define TEXT1 "\"text\":\"Nick Bos met Acme Corp in Paris.\""
#define GOLD1                                                         \
  "{\"id\":\"d1\"," TEXT1 ",\"entities\":["                           \
  "{\"start\":0,\"end\":8,\"type\":\"PERSON\",\"flags\":[]},"         \
  "{\"start\":13,\"end\":22,\"type\":\"ORGANISATION\",\"flags\":[]}," \
  "{\"start\":26,\"end\":31,\"type\":\"PLACE\",\"flags\":[]}],"       \
  "\"quotes\":[]}"

/* "He said “We will win the match today,” and then “Nobody can stop us
 * now.” Smith added."  quote 1 [8,38) content [9,36); quote 2 [48,73)
 * content [49,71). */
#define TEXTQ                                                               \
  "\"text\":\"He said \xe2\x80\x9cWe will win the match today,\xe2\x80\x9d" \
  " and then \xe2\x80\x9cNobody can stop us now.\xe2\x80\x9d Smith added.\""

/* Quotes with speakers (180 code points):
 * “Alpha beta gamma,” [0,19) said Maria Lopez [25,36).
 * “Delta epsilon zeta,” [38,59) said John Smith [65,75).
 * “Eta theta iota,” [77,94) he said. “Kappa lambda mu,” [104,122) she
 * said. “Nu xi omicron,” [133,149) said Ann Lee.
 * “Rho sigma tau.” [164,180) */
#define LQ "\xe2\x80\x9c"
#define RQ "\xe2\x80\x9d"
#define TEXTS                                                                \
  "\"text\":\"" LQ "Alpha beta gamma," RQ " said Maria Lopez. " LQ           \
  "Delta epsilon zeta," RQ " said John Smith. " LQ "Eta theta iota," RQ      \
  " he said. " LQ "Kappa lambda mu," RQ " she said. " LQ "Nu xi omicron," RQ \
  " said Ann Lee. " LQ "Rho sigma tau." RQ "\""

static void add_ok(nerq_eval *ev, const char *gold, const char *pred) {
  char *err = NULL;
  nerq_status st = nerq_eval_add(ev, gold, pred, &err);
  if (st != NERQ_OK)
    print_error("nerq_eval_add failed: %s\n", err ? err : "(no message)");
  free(err);
  assert_int_equal(st, NERQ_OK);
}

static void expect(const nerq_eval *ev, const char *scheme, const char *type,
                   long tp, long fp, long fn) {
  long a = 0, b = 0, c = 0;
  nerq_eval_counts(ev, scheme, type, &a, &b, &c);
  assert_int_equal(a, tp);
  assert_int_equal(b, fp);
  assert_int_equal(c, fn);
}

static void expect_quotes(const nerq_eval *ev, long tp, long fp, long fn) {
  long a = 0, b = 0, c = 0;
  nerq_eval_quote_counts(ev, &a, &b, &c);
  assert_int_equal(a, tp);
  assert_int_equal(b, fp);
  assert_int_equal(c, fn);
}

static int setup(void **state) {
  *state = nerq_eval_new();
  return *state ? 0 : -1;
}

static int teardown(void **state) {
  nerq_eval_free(*state);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Entities                                                            */
/* ------------------------------------------------------------------ */

static void test_exact_match(void **state) {
  nerq_eval *ev = *state;
  add_ok(ev, GOLD1,
         "{\"doc\":\"d1\",\"entities\":["
         "{\"id\":\"E1\",\"type\":\"PERSON\",\"name\":\"Nick Bos\","
         "\"mentions\":[{\"start\":0,\"end\":8,\"text\":\"Nick Bos\","
         "\"rule\":\"r1\"}]},"
         "{\"id\":\"E2\",\"type\":\"ORG\",\"mentions\":[{\"start\":13,"
         "\"end\":22,\"rule\":\"r2\"}]},"
         "{\"id\":\"E3\",\"type\":\"PLACE\",\"mentions\":[{\"start\":26,"
         "\"end\":31,\"rule\":\"r3\"}]}],\"quotes\":[],\"warnings\":[]}");
  expect(ev, "strict", "PERSON", 1, 0, 0);
  expect(ev, "strict", "ORG", 1, 0, 0);
  expect(ev, "strict", "PLACE", 1, 0, 0);
  expect(ev, "strict", "ALL", 3, 0, 0);
  expect(ev, "partial", "ALL", 3, 0, 0);
  expect_quotes(ev, 0, 0, 0);
}

static void test_wrong_type(void **state) {
  nerq_eval *ev = *state;
  add_ok(ev, GOLD1,
         "{\"doc\":\"d1\",\"entities\":["
         "{\"type\":\"PERSON\",\"mentions\":[{\"start\":0,\"end\":8}]},"
         "{\"type\":\"ORG\",\"mentions\":[{\"start\":13,\"end\":22},"
         "{\"start\":26,\"end\":31}]}]}");
  expect(ev, "strict", "PERSON", 1, 0, 0);
  expect(ev, "strict", "ORG", 1, 1, 0);
  expect(ev, "strict", "PLACE", 0, 0, 1);
  expect(ev, "strict", "ALL", 2, 1, 1);
  /* a partial match needs the same type too */
  expect(ev, "partial", "ORG", 1, 1, 0);
  expect(ev, "partial", "PLACE", 0, 0, 1);
}

static void test_off_by_one(void **state) {
  nerq_eval *ev = *state;
  add_ok(ev, GOLD1,
         "{\"doc\":\"d1\",\"entities\":["
         "{\"type\":\"PERSON\",\"mentions\":[{\"start\":0,\"end\":7}]},"
         "{\"type\":\"ORG\",\"mentions\":[{\"start\":13,\"end\":22}]},"
         "{\"type\":\"PLACE\",\"mentions\":[{\"start\":25,\"end\":31}]}]}");
  expect(ev, "strict", "PERSON", 0, 1, 1);
  expect(ev, "strict", "PLACE", 0, 1, 1);
  expect(ev, "strict", "ALL", 1, 2, 2);
  expect(ev, "partial", "PERSON", 1, 0, 0);
  expect(ev, "partial", "PLACE", 1, 0, 0);
  expect(ev, "partial", "ALL", 3, 0, 0);
}

static void test_duplicates(void **state) {
  nerq_eval *ev = *state;
  /* gold lists Nick Bos twice; prediction lists it three times */
  add_ok(ev,
         "{\"id\":\"d2\"," TEXT1 ",\"entities\":["
         "{\"start\":0,\"end\":8,\"type\":\"PERSON\"},"
         "{\"start\":0,\"end\":8,\"type\":\"PERSON\"},"
         "{\"start\":26,\"end\":31,\"type\":\"PLACE\"},"
         "{\"start\":26,\"end\":31,\"type\":\"PLACE\"}]}",
         "{\"doc\":\"d2\",\"entities\":["
         "{\"type\":\"PERSON\",\"mentions\":[{\"start\":0,\"end\":8},"
         "{\"start\":0,\"end\":8}]},"
         "{\"type\":\"PERSON\",\"mentions\":[{\"start\":0,\"end\":8}]}]}");
  expect(ev, "strict", "PERSON", 1, 0, 0);
  expect(ev, "strict", "PLACE", 0, 0, 1);
  expect(ev, "partial", "PERSON", 1, 0, 0);
  expect(ev, "partial", "PLACE", 0, 0, 1);
}

static void test_flagged_gold(void **state) {
  nerq_eval *ev = *state;
  add_ok(ev,
         "{\"id\":\"d3\"," TEXT1 ",\"entities\":["
         "{\"start\":0,\"end\":8,\"type\":\"PERSON\","
         "\"flags\":[\"plural_group\"]},"
         "{\"start\":13,\"end\":22,\"type\":\"ORG\",\"flags\":\"title_only\"},"
         "{\"start\":26,\"end\":31,\"type\":\"PLACE\",\"flags\":[]}]}",
         "{\"doc\":\"d3\",\"entities\":["
         "{\"type\":\"PERSON\",\"mentions\":[{\"start\":0,\"end\":8}]},"
         "{\"type\":\"ORG\",\"mentions\":[{\"start\":5,\"end\":8}]},"
         "{\"type\":\"PLACE\",\"mentions\":[{\"start\":15,\"end\":17}]}]}");
  /* all three predictions overlap a flagged entity: neither TP nor FP;
   * the flagged gold entities are not FN; Paris is a plain FN */
  expect(ev, "strict", "PERSON", 0, 0, 0);
  expect(ev, "strict", "ORG", 0, 0, 0);
  expect(ev, "strict", "PLACE", 0, 0, 1);
  expect(ev, "partial", "ALL", 0, 0, 1);
}

static void test_empty_documents(void **state) {
  nerq_eval *ev = *state;
  /* gold without entities, prediction with two */
  add_ok(ev, "{\"id\":\"e1\"," TEXT1 ",\"entities\":[],\"quotes\":[]}",
         "{\"doc\":\"e1\",\"entities\":[{\"type\":\"PERSON\",\"mentions\":["
         "{\"start\":0,\"end\":8},{\"start\":13,\"end\":22}]}]}");
  expect(ev, "strict", "PERSON", 0, 2, 0);
  expect(ev, "partial", "PERSON", 0, 2, 0);
  /* NULL prediction against three gold entities */
  add_ok(ev, GOLD1, NULL);
  expect(ev, "strict", "ALL", 0, 2, 3);
  expect(ev, "partial", "ALL", 0, 2, 3);
  /* both empty; an error record counts as an empty prediction */
  add_ok(ev, "{\"id\":\"e3\",\"text\":\"\"}",
         "{\"doc\":\"e3\",\"entities\":[]}");
  add_ok(ev, "{\"id\":\"e4\",\"text\":\"x\",\"entities\":[]}",
         "{\"doc\":\"e4\",\"error\":\"failed\"}");
  expect(ev, "strict", "ALL", 0, 2, 3);
  expect_quotes(ev, 0, 0, 0);

  char *rep = nerq_eval_report(ev, NERQ_EVAL_JSON);
  assert_non_null(rep);
  json_t *root = json_loads(rep, 0, NULL);
  assert_non_null(root);
  assert_int_equal(json_integer_value(json_object_get(root, "docs")), 4);
  json_decref(root);
  free(rep);
}

static void test_type_aliases(void **state) {
  nerq_eval *ev = *state;
  add_ok(ev,
         "{\"id\":\"a1\"," TEXT1 ",\"entities\":["
         "{\"start\":13,\"end\":22,\"type\":\"ORGANIZATION\"},"
         "{\"start\":26,\"end\":31,\"type\":\"GPE\"},"
         "{\"start\":0,\"end\":4,\"type\":\"LOC\"},"
         "{\"start\":9,\"end\":12,\"type\":\"DATE\"}]}",
         "{\"doc\":\"a1\",\"entities\":["
         "{\"type\":\"ORGANISATION\",\"mentions\":[{\"start\":13,\"end\":22}]},"
         "{\"type\":\"PLACE\",\"mentions\":[{\"start\":26,\"end\":31},"
         "{\"start\":0,\"end\":4}]},"
         "{\"type\":\"MISC\",\"mentions\":[{\"start\":9,\"end\":12}]}]}");
  expect(ev, "strict", "ORG", 1, 0, 0);
  expect(ev, "strict", "PLACE", 2, 0, 0);
  expect(ev, "strict", "PERSON", 0, 0, 0);
  expect(ev, "strict", "ALL", 3, 0, 0);
  /* "PER" (CoNLL's tag) and lower case are PERSON too */
  add_ok(ev,
         "{\"id\":\"a2\"," TEXT1 ",\"entities\":["
         "{\"start\":0,\"end\":8,\"type\":\"PER\"}]}",
         "{\"doc\":\"a2\",\"entities\":["
         "{\"type\":\"person\",\"mentions\":[{\"start\":0,\"end\":8}]}]}");
  expect(ev, "strict", "PERSON", 1, 0, 0);
}

static void test_partial_one_to_one(void **state) {
  nerq_eval *ev = *state;
  /* "New York City and Boston": NYC [0,13), New [0,3), York City [4,13) */
  add_ok(ev,
         "{\"id\":\"p1\",\"text\":\"New York City and Boston\",\"entities\":["
         "{\"start\":0,\"end\":13,\"type\":\"PLACE\"}]}",
         "{\"doc\":\"p1\",\"entities\":[{\"type\":\"PLACE\",\"mentions\":["
         "{\"start\":0,\"end\":3},{\"start\":4,\"end\":13}]}]}");
  expect(ev, "strict", "PLACE", 0, 2, 1);
  /* the gold span takes the larger overlap; the other pred is an FP */
  expect(ev, "partial", "PLACE", 1, 1, 0);
  /* two gold spans against one prediction covering both */
  add_ok(ev,
         "{\"id\":\"p2\",\"text\":\"New York City and Boston\",\"entities\":["
         "{\"start\":0,\"end\":3,\"type\":\"PLACE\"},"
         "{\"start\":4,\"end\":13,\"type\":\"PLACE\"}]}",
         "{\"doc\":\"p2\",\"entities\":[{\"type\":\"PLACE\",\"mentions\":["
         "{\"start\":0,\"end\":13}]}]}");
  expect(ev, "strict", "PLACE", 0, 3, 3);
  expect(ev, "partial", "PLACE", 2, 1, 1);
}

static void test_out_of_range_offsets(void **state) {
  nerq_eval *ev = *state;
  /* text has 32 code points: end 1000 is clamped to 32; spans that are
   * empty after clamping, negative-only or non-integer are skipped */
  add_ok(ev,
         "{\"id\":\"o1\"," TEXT1 ",\"entities\":["
         "{\"start\":26,\"end\":1000,\"type\":\"PLACE\"},"
         "{\"start\":500,\"end\":600,\"type\":\"PERSON\"},"
         "{\"start\":\"x\",\"end\":3,\"type\":\"PERSON\"}],"
         "\"quotes\":[{\"start\":-5,\"end\":99999}]}",
         "{\"doc\":\"o1\",\"entities\":[{\"type\":\"PLACE\",\"mentions\":["
         "{\"start\":26,\"end\":32},{\"start\":-3,\"end\":-1},"
         "{\"start\":40,\"end\":41}]}],"
         "\"quotes\":[{\"start\":0,\"end\":32,\"segments\":[[-1,77],[9,2]]}]}");
  expect(ev, "strict", "PLACE", 1, 0, 0);
  expect(ev, "strict", "PERSON", 0, 0, 0);
  /* gold quote [0,32) vs clamped segment [0,32); [9,2] is empty */
  expect_quotes(ev, 1, 0, 0);
}

static void test_code_points(void **state) {
  nerq_eval *ev = *state;
  /* "José Müller told Reuters\nthat “prices will fall,” said Ann." */
  add_ok(ev,
         "{\"id\":\"u1\",\"text\":\"Jos\xc3\xa9 M\xc3\xbcller told Reuters\\n"
         "that " LQ "prices will fall," RQ " said Ann.\",\"entities\":["
         "{\"start\":0,\"end\":11,\"type\":\"PERSON\"},"
         "{\"start\":17,\"end\":24,\"type\":\"ORG\"}],"
         "\"quotes\":[{\"start\":30,\"end\":49}]}",
         "{\"doc\":\"u1\",\"entities\":["
         "{\"type\":\"PERSON\",\"mentions\":[{\"start\":0,\"end\":11}]},"
         "{\"type\":\"ORG\",\"mentions\":[{\"start\":17,\"end\":24}]}],"
         "\"quotes\":[{\"start\":31,\"end\":47}]}");
  expect(ev, "strict", "ALL", 2, 0, 0);
  expect_quotes(ev, 1, 0, 0);
}

/* ------------------------------------------------------------------ */
/* Quotes                                                              */
/* ------------------------------------------------------------------ */

static void test_quote_two_segments(void **state) {
  nerq_eval *ev = *state;
  add_ok(ev,
         "{\"id\":\"q1\"," TEXTQ ",\"entities\":[],\"quotes\":["
         "{\"start\":8,\"end\":38,\"speaker\":null},"
         "{\"start\":48,\"end\":73,\"speaker\":null}]}",
         "{\"doc\":\"q1\",\"entities\":[],\"quotes\":[{\"id\":\"Q1\","
         "\"start\":8,\"end\":73,\"segments\":[[8,38],[48,73]],"
         "\"speaker\":null,\"how\":\"none\",\"rule\":\"q.split\"}]}");
  expect_quotes(ev, 2, 0, 0);
}

static void test_quote_under_half(void **state) {
  nerq_eval *ev = *state;
  /* gold content [9,36) has 27 code points; [9,18) overlaps 9 < 13.5 */
  add_ok(ev, "{\"id\":\"q2\"," TEXTQ ",\"quotes\":[{\"start\":8,\"end\":38}]}",
         "{\"doc\":\"q2\",\"quotes\":[{\"start\":9,\"end\":18}]}");
  expect_quotes(ev, 0, 1, 1);
  /* [9,22): 13 code points, 26 < 27: still no match */
  add_ok(ev, "{\"id\":\"q3\"," TEXTQ ",\"quotes\":[{\"start\":8,\"end\":38}]}",
         "{\"doc\":\"q3\",\"quotes\":[{\"start\":9,\"end\":22}]}");
  expect_quotes(ev, 0, 2, 2);
  /* [9,23): 14 code points, 28 >= 27: a match */
  add_ok(ev, "{\"id\":\"q4\"," TEXTQ ",\"quotes\":[{\"start\":8,\"end\":38}]}",
         "{\"doc\":\"q4\",\"quotes\":[{\"start\":9,\"end\":23}]}");
  expect_quotes(ev, 1, 2, 2);
  /* gold content [49,71) has 22 code points; [50,61) "obody can s"
   * has 11 and 11 * 2 == 22: exactly half is a match */
  add_ok(ev,
         "{\"id\":\"q4b\"," TEXTQ ",\"quotes\":[{\"start\":48,\"end\":73}]}",
         "{\"doc\":\"q4b\",\"quotes\":[{\"start\":50,\"end\":61}]}");
  expect_quotes(ev, 2, 2, 2);
}

static void test_quote_trimming(void **state) {
  nerq_eval *ev = *state;
  /* gold [8,38) and pred [7,37) both trim to [9,36); the pred segment
   * [37,39) (closing mark and a space) and the gold [37,38) (closing
   * mark) are empty after trimming and skipped */
  add_ok(ev,
         "{\"id\":\"q5\"," TEXTQ ",\"quotes\":[{\"start\":8,\"end\":38},"
         "{\"start\":37,\"end\":38}]}",
         "{\"doc\":\"q5\",\"quotes\":[{\"start\":7,\"end\":39,"
         "\"segments\":[[7,37],[37,39]]}]}");
  expect_quotes(ev, 1, 0, 0);
  /* one pred quote without segments covering both gold quotes: its
   * content [9,71) is too long for either (27*2 < 62): 1 FP, 2 FN */
  add_ok(ev,
         "{\"id\":\"q6\"," TEXTQ ",\"quotes\":[{\"start\":8,\"end\":38},"
         "{\"start\":48,\"end\":73}]}",
         "{\"doc\":\"q6\",\"quotes\":[{\"start\":8,\"end\":73}]}");
  expect_quotes(ev, 1, 1, 2);
}

static void test_speakers(void **state) {
  nerq_eval *ev = *state;
  add_ok(ev,
         "{\"id\":\"s1\"," TEXTS ",\"entities\":[],\"quotes\":["
         "{\"start\":0,\"end\":19,\"speaker\":\"Maria Lopez\"},"
         "{\"start\":38,\"end\":59,\"speaker\":\"John Smith\"},"
         "{\"start\":77,\"end\":94,\"speaker\":null,"
         "\"speaker_start\":65,\"speaker_end\":75},"
         "{\"start\":104,\"end\":122,\"speaker\":\"Maria Lopez\"},"
         "{\"start\":133,\"end\":149,\"speaker\":\"Ann Lee\"},"
         "{\"start\":164,\"end\":180,\"speaker\":null}]}",
         "{\"doc\":\"s1\",\"entities\":[],\"quotes\":["
         /* by name, case-insensitive */
         "{\"start\":0,\"end\":19,\"how\":\"name\",\"speaker\":{\"entity\":"
         "\"E1\",\"name\":\"maria LOPEZ\",\"mention\":{\"start\":25,"
         "\"end\":36}}},"
         /* by last word */
         "{\"start\":38,\"end\":59,\"how\":\"name\",\"speaker\":{\"entity\":"
         "\"E2\",\"name\":\"Mr. Smith\"}},"
         /* by mention span, via a pronoun */
         "{\"start\":77,\"end\":94,\"how\":\"pronoun\",\"speaker\":{"
         "\"entity\":\"E3\",\"name\":\"Jon Smyth\",\"mention\":{"
         "\"start\":65,\"end\":75,\"text\":\"John Smith\"}}},"
         /* wrong, via a pronoun */
         "{\"start\":104,\"end\":122,\"how\":\"pronoun\",\"speaker\":{"
         "\"entity\":\"E4\",\"name\":\"Ann Lee\",\"mention\":{"
         "\"start\":155,\"end\":162}}},"
         /* no predicted speaker */
         "{\"start\":133,\"end\":149,\"how\":\"none\",\"speaker\":null},"
         /* gold has no speaker: not counted */
         "{\"start\":164,\"end\":180,\"how\":\"name\",\"speaker\":{"
         "\"name\":\"Ann Lee\"}}]}");
  expect_quotes(ev, 6, 0, 0);

  char *rep = nerq_eval_report(ev, NERQ_EVAL_JSON);
  assert_non_null(rep);
  json_t *root = json_loads(rep, 0, NULL);
  assert_non_null(root);
  json_t *spk = json_object_get(root, "speakers");
  json_t *pron = json_object_get(spk, "pronoun");
  assert_int_equal(json_integer_value(json_object_get(spk, "correct")), 3);
  assert_int_equal(json_integer_value(json_object_get(spk, "total")), 5);
  assert_true(json_real_value(json_object_get(spk, "accuracy")) == 0.6);
  assert_int_equal(json_integer_value(json_object_get(pron, "correct")), 1);
  assert_int_equal(json_integer_value(json_object_get(pron, "total")), 2);
  assert_true(json_real_value(json_object_get(pron, "accuracy")) == 0.5);
  json_decref(root);
  free(rep);

  rep = nerq_eval_report(ev, 0);
  assert_non_null(rep);
  assert_non_null(strstr(rep, "speakers: 3/5 correct, accuracy 0.600"));
  assert_non_null(strstr(rep, "speakers (pronoun): 1/2 correct, "
                              "accuracy 0.500"));
  free(rep);
}

/* ------------------------------------------------------------------ */
/* Reports, errors, robustness                                         */
/* ------------------------------------------------------------------ */

static json_t *report_object(const nerq_eval *ev, int flags) {
  char *rep = nerq_eval_report(ev, flags);
  assert_non_null(rep);
  json_error_t je;
  json_t *root = json_loads(rep, 0, &je);
  free(rep);
  assert_non_null(root);
  return root;
}

static long jint(json_t *o, const char *path1, const char *path2,
                 const char *key) {
  json_t *v = json_object_get(o, path1);
  if (path2)
    v = json_object_get(v, path2);
  return (long)json_integer_value(json_object_get(v, key));
}

static void test_report_json(void **state) {
  nerq_eval *ev = *state;
  /* strict: PERSON 0/1/1, ORG 1/0/0, PLACE 0/1/1; partial: 3/0/0 */
  add_ok(ev, GOLD1,
         "{\"doc\":\"d1\",\"entities\":["
         "{\"type\":\"PERSON\",\"mentions\":[{\"start\":0,\"end\":7,"
         "\"rule\":\"name.first\"}]},"
         "{\"type\":\"ORG\",\"mentions\":[{\"start\":13,\"end\":22}]},"
         "{\"type\":\"PLACE\",\"mentions\":[{\"start\":25,\"end\":31}]}]}");
  json_t *root = report_object(ev, NERQ_EVAL_JSON);
  json_t *ents = json_object_get(root, "entities");
  assert_int_equal(jint(root, "quotes", NULL, "tp"), 0);
  assert_int_equal(json_integer_value(json_object_get(root, "docs")), 1);
  assert_int_equal(jint(ents, "strict", "ALL", "tp"), 1);
  assert_int_equal(jint(ents, "strict", "ALL", "fp"), 2);
  assert_int_equal(jint(ents, "strict", "ALL", "fn"), 2);
  assert_int_equal(jint(ents, "strict", "PERSON", "fp"), 1);
  assert_int_equal(jint(ents, "partial", "ALL", "tp"), 3);
  json_t *all = json_object_get(json_object_get(ents, "strict"), "ALL");
  assert_true(json_real_value(json_object_get(all, "precision")) ==
              1.0 / 3.0);
  assert_true(json_real_value(json_object_get(all, "recall")) == 1.0 / 3.0);
  assert_true(json_real_value(json_object_get(all, "f1")) > 0.3333 &&
              json_real_value(json_object_get(all, "f1")) < 0.3334);
  json_t *q = json_object_get(root, "quotes");
  assert_true(json_real_value(json_object_get(q, "precision")) == 0.0);
  assert_null(json_object_get(root, "errors"));
  json_decref(root);

  root = report_object(ev, NERQ_EVAL_JSON | NERQ_EVAL_ERRORS);
  json_t *errs = json_object_get(root, "errors");
  assert_int_equal(json_array_size(errs), 4);
  json_t *fp = json_array_get(errs, 0); /* document order: FP [0,7) */
  assert_string_equal(json_string_value(json_object_get(fp, "kind")), "FP");
  assert_string_equal(json_string_value(json_object_get(fp, "type")),
                      "PERSON");
  assert_string_equal(json_string_value(json_object_get(fp, "text")),
                      "Nick Bo");
  assert_string_equal(json_string_value(json_object_get(fp, "rule")),
                      "name.first");
  assert_string_equal(json_string_value(json_object_get(fp, "doc")), "d1");
  assert_string_equal(json_string_value(json_object_get(fp, "right")),
                      "s met Acme Corp in Paris.");
  json_decref(root);
}

/* A gold document without an "entities" (or "quotes") key has no such
 * layer: that layer is not scored for it (CoNLL has no quotes; a quote
 * key has no entities). An empty array is a layer with nothing in it. */
static void test_missing_layers(void **state) {
  nerq_eval *ev = *state;
  const char *pred =
      "{\"doc\":\"m\",\"entities\":[{\"type\":\"PERSON\",\"mentions\":["
      "{\"start\":0,\"end\":3}]}],\"quotes\":[{\"start\":4,\"end\":9}]}";
  add_ok(ev, "{\"id\":\"m\",\"text\":\"Ann \\\"hi yo\\\"\",\"quotes\":[]}", pred);
  expect(ev, "strict", "ALL", 0, 0, 0);
  expect_quotes(ev, 0, 1, 0);
  add_ok(ev, "{\"id\":\"m\",\"text\":\"Ann \\\"hi yo\\\"\",\"entities\":[]}", pred);
  expect(ev, "strict", "ALL", 0, 1, 0);
  expect_quotes(ev, 0, 1, 0);
}

static void test_report_text_errors(void **state) {
  nerq_eval *ev = *state;
  add_ok(ev,
         "{\"id\":\"t1\",\"text\":\"Intro.\\nAnn Lee spoke.\",\"entities\":["
         "{\"start\":7,\"end\":14,\"type\":\"PERSON\"}],\"quotes\":[]}",
         "{\"doc\":\"t1\",\"entities\":[{\"type\":\"PERSON\",\"mentions\":["
         "{\"start\":11,\"end\":14,\"rule\":\"surname\"}]}],"
         "\"quotes\":[{\"start\":0,\"end\":6,\"rule\":\"q.bare\"}]}");
  char *rep = nerq_eval_report(ev, 0);
  assert_non_null(rep);
  assert_non_null(strstr(rep, "strict   PERSON         0        1        1"
                              "  0.000  0.000  0.000"));
  assert_non_null(strstr(rep, "partial  PERSON         1        0        0"
                              "  1.000  1.000  1.000"));
  assert_non_null(strstr(rep, "quotes   QUOTE          0        1        0"));
  assert_non_null(strstr(rep, "docs: 1"));
  assert_null(strstr(rep, "errors"));
  free(rep);

  rep = nerq_eval_report(ev, NERQ_EVAL_ERRORS);
  assert_non_null(rep);
  assert_non_null(strstr(rep, "FN PERSON t1 7-14 \"Ann Lee\""));
  assert_non_null(
      strstr(rep, "FP PERSON t1 11-14 \"Lee\" rule=surname | "
                  "...Intro.\xe2\x8f\x8e"
                  "Ann [Lee] spoke...."));
  assert_non_null(strstr(rep, "FP QUOTE t1 0-6 \"Intro.\" rule=q.bare"));
  free(rep);
}

static void test_malformed_input(void **state) {
  nerq_eval *ev = *state;
  char *err = NULL;
  assert_int_equal(nerq_eval_add(ev, "{\"id\":", NULL, &err), NERQ_ERR_INPUT);
  assert_non_null(err);
  free(err);
  err = NULL;
  assert_int_equal(nerq_eval_add(ev, "{\"id\":\"x\",\"entities\":[]}", NULL,
                                 &err),
                   NERQ_ERR_INPUT);
  assert_non_null(strstr(err, "text"));
  free(err);
  err = NULL;
  assert_int_equal(nerq_eval_add(ev, "[1,2]", NULL, &err), NERQ_ERR_INPUT);
  free(err);
  err = NULL;
  assert_int_equal(nerq_eval_add(ev, GOLD1, "not json", &err),
                   NERQ_ERR_INPUT);
  assert_non_null(err);
  free(err);
  assert_int_equal(nerq_eval_add(ev, GOLD1, "{\"entities\":5}", NULL),
                   NERQ_ERR_INPUT);
  /* failed adds leave the accumulator untouched */
  expect(ev, "strict", "ALL", 0, 0, 0);
  json_t *root = report_object(ev, NERQ_EVAL_JSON);
  assert_int_equal(json_integer_value(json_object_get(root, "docs")), 0);
  json_decref(root);
}

/* Reported speech: indirect predictions are scored against the gold's
 * indirect attributions only, never as quotes (docs/eval.md).
 * "Ann Lee said the plan would fail. Bob Roe said prices would rise. Cy
 * Moe said nothing." Ann Lee [0,7) content [13,32); Bob Roe [34,41)
 * content [47,64); "nothing" [78,85). */
#define TEXTI                                                               \
  "\"text\":\"Ann Lee said the plan would fail. Bob Roe said prices would " \
  "rise. Cy Moe said nothing.\""

static void test_indirect(void **state) {
  nerq_eval *ev = *state;
  const char *gold =
      "{\"id\":\"i1\"," TEXTI ",\"quotes\":[],\"attributions\":["
      "{\"kind\":\"indirect\",\"content\":[[13,33]],\"source\":[[0,7]],"
      "\"source_text\":\"Ann Lee\"},"
      "{\"kind\":\"indirect\",\"content\":[[47,64]],\"source\":[[34,41]],"
      "\"source_text\":\"Bob Roe\"},"
      "{\"kind\":\"mixed\",\"content\":[[78,85]],\"source\":[[66,72]]}]}";
  const char *pred =
      "{\"doc\":\"i1\",\"quotes\":["
      "{\"kind\":\"indirect\",\"segments\":[[13,32]],\"speaker\":{\"name\":\"Lee\","
      "\"mention\":{\"start\":0,\"end\":7}}},"
      "{\"kind\":\"indirect\",\"segments\":[[47,58]],\"speaker\":{\"name\":\"Cy Moe\"}},"
      "{\"kind\":\"indirect\",\"segments\":[[78,85]],\"speaker\":null}]}";
  add_ok(ev, gold, pred);
  expect_quotes(ev, 0, 0, 0); /* not quotes */
  char *rep = nerq_eval_report(ev, NERQ_EVAL_JSON);
  json_t *root = json_loads(rep, 0, NULL), *in = json_object_get(root, "indirect");
  /* [47,58) "prices woul" shares 11 of 17: a match; "nothing" is the mixed
   * entry's, not an indirect one: FP. */
  assert_int_equal(json_integer_value(json_object_get(in, "tp")), 2);
  assert_int_equal(json_integer_value(json_object_get(in, "fp")), 1);
  assert_int_equal(json_integer_value(json_object_get(in, "fn")), 0);
  json_t *sp = json_object_get(in, "speakers");
  assert_int_equal(json_integer_value(json_object_get(sp, "correct")), 1);
  assert_int_equal(json_integer_value(json_object_get(sp, "total")), 2);
  json_decref(root);
  free(rep);
}

/* A gold line without "attributions" scores no reported speech, and the
 * report has no indirect part. */
static void test_indirect_absent(void **state) {
  nerq_eval *ev = *state;
  add_ok(ev, "{\"id\":\"i2\"," TEXTI ",\"quotes\":[]}",
         "{\"doc\":\"i2\",\"quotes\":[{\"kind\":\"indirect\",\"segments\":[[13,32]]}]}");
  expect_quotes(ev, 0, 0, 0);
  char *rep = nerq_eval_report(ev, NERQ_EVAL_JSON);
  json_t *root = json_loads(rep, 0, NULL);
  assert_null(json_object_get(root, "indirect"));
  json_decref(root);
  free(rep);
  rep = nerq_eval_report(ev, 0);
  assert_null(strstr(rep, "indirect"));
  free(rep);
}

static void test_unknown_scheme_or_type(void **state) {
  nerq_eval *ev = *state;
  add_ok(ev, GOLD1, NULL);
  expect(ev, "loose", "ALL", -1, -1, -1);
  expect(ev, "strict", "DATE", -1, -1, -1);
  expect(ev, NULL, "ALL", -1, -1, -1);
  expect(ev, "strict", "ALL", 0, 0, 3);
}

static void expect_metric(const nerq_eval *ev, const char *name, double want) {
  double v = -1;
  if (nerq_eval_metric(ev, name, &v) != NERQ_OK || fabs(v - want) > 1e-12) {
    print_error("metric %s: got %g, want %g\n", name, v, want);
    fail();
  }
}

/* nerq_eval_metric reads every figure of the report by its dotted path. */
static void test_metric_by_name(void **state) {
  nerq_eval *ev = *state;
  /* Nick Bos right, Acme Corp as PLACE (FP PLACE, FN ORG), Paris missed */
  add_ok(ev, GOLD1,
         "{\"doc\":\"d1\",\"entities\":["
         "{\"type\":\"PERSON\",\"mentions\":[{\"start\":0,\"end\":8}]},"
         "{\"type\":\"PLACE\",\"mentions\":[{\"start\":13,\"end\":22}]}]}");
  expect_metric(ev, "strict.ALL.tp", 1);
  expect_metric(ev, "strict.ALL.fp", 1);
  expect_metric(ev, "strict.ALL.fn", 2);
  expect_metric(ev, "strict.ALL.precision", 0.5);
  expect_metric(ev, "strict.ALL.recall", 1.0 / 3);
  expect_metric(ev, "strict.ALL.f1", 2 * 0.5 * (1.0 / 3) / (0.5 + 1.0 / 3));
  expect_metric(ev, "strict.PERSON.f1", 1);
  expect_metric(ev, "strict.ORG.recall", 0);
  expect_metric(ev, "partial.PLACE.fp", 1);
  expect_metric(ev, "quotes.f1", 0);
  expect_metric(ev, "speakers.total", 0);
  expect_metric(ev, "speakers.pronoun.accuracy", 0);
  double v = 42;
  const char *bad[] = {"strict", "strict.ALL", "strict.ALL.f2", "loose.ALL.f1",
                       "strict.DATE.f1", "quotes", "quotes.accuracy",
                       "speakers.f1", "speakers.pronoun", "", "strict.ALL.f1.x"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(nerq_eval_metric(ev, bad[i], &v), NERQ_ERR_USAGE);
  assert_true(v == 42);
  assert_int_equal(nerq_eval_metric(NULL, "quotes.f1", &v), NERQ_ERR_USAGE);
  assert_int_equal(nerq_eval_metric(ev, NULL, &v), NERQ_ERR_USAGE);
  assert_int_equal(nerq_eval_metric(ev, "quotes.f1", NULL), NERQ_ERR_USAGE);
}

/* Scoring a processed document (nerq_eval_add_doc) gives exactly the
 * report of scoring its JSON record (nerq_eval_add), errors included,
 * on the gold files of the corpus. */
static void doc_equals_record(const nerq_rules *rules, const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  nerq_eval *by_doc = nerq_eval_new(), *by_json = nerq_eval_new();
  char *line = NULL;
  size_t cap = 0, lines = 0;
  while (getline(&line, &cap, f) > 0 && lines < 200) {
    json_t *g = json_loads(line, 0, NULL);
    const char *text = json_string_value(json_object_get(g, "text"));
    nerq_doc *doc = NULL;
    assert_non_null(text);
    assert_int_equal(nerq_doc_process(rules, text, strlen(text), &doc), NERQ_OK);
    char *rec = nerq_doc_to_json(doc, "x", NULL, 0);
    assert_int_equal(nerq_eval_add_doc(by_doc, line, doc, NULL), NERQ_OK);
    assert_int_equal(nerq_eval_add(by_json, line, rec, NULL), NERQ_OK);
    free(rec);
    nerq_doc_free(doc);
    json_decref(g);
    lines++;
  }
  free(line);
  fclose(f);
  assert_true(lines > 10);
  for (int flags = 0; flags < 4; flags++) {
    char *a = nerq_eval_report(by_doc, flags), *b = nerq_eval_report(by_json, flags);
    assert_non_null(a);
    assert_string_equal(a, b);
    free(a);
    free(b);
  }
  nerq_eval_free(by_doc);
  nerq_eval_free(by_json);
}

static void test_doc_equals_record(void **state) {
  (void)state;
  nerq_rules *rules = NULL;
  assert_int_equal(nerq_rules_load("rules", &rules, NULL), NERQ_OK);
  doc_equals_record(rules, "corpus/gold/gum_dev.jsonl");
  doc_equals_record(rules, "corpus/gold/quotes_key.jsonl");
  nerq_rules_free(rules);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_exact_match, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_layers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wrong_type, setup, teardown),
      cmocka_unit_test_setup_teardown(test_off_by_one, setup, teardown),
      cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
      cmocka_unit_test_setup_teardown(test_flagged_gold, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_documents, setup, teardown),
      cmocka_unit_test_setup_teardown(test_type_aliases, setup, teardown),
      cmocka_unit_test_setup_teardown(test_partial_one_to_one, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_out_of_range_offsets, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_code_points, setup, teardown),
      cmocka_unit_test_setup_teardown(test_quote_two_segments, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_quote_under_half, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_quote_trimming, setup, teardown),
      cmocka_unit_test_setup_teardown(test_speakers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_json, setup, teardown),
      cmocka_unit_test_setup_teardown(test_report_text_errors, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_malformed_input, setup, teardown),
      cmocka_unit_test_setup_teardown(test_indirect, setup, teardown),
      cmocka_unit_test_setup_teardown(test_indirect_absent, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_scheme_or_type, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_metric_by_name, setup, teardown),
      cmocka_unit_test(test_doc_equals_record),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
