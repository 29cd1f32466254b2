/* test_regex_words.c - cmocka tests of src/regex_words.c (internal):
 * a regex that only names words is answered without PCRE2, and that
 * answer must be PCRE2's (the same options as pattern.c: UTF, UCP,
 * caseless for /.../i) on every token, or the words must leave the token
 * to PCRE2 (-1). Each regex below is compared with PCRE2 on every
 * subject, tricky ones included: a final line feed ($ matches before
 * it), U+017F and U+212A (caseless 's' and 'k' in UTF mode), a long
 * token, empty and partial words. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "pattern_impl.h"

static const char *const word_res[] = {
    "^(the|a|an)$", "^said$", "(ed|es)$", "ing$", "^profits?$", "^labell?ed$",
    "^(spokes|ask|KEY|x-ray|AT&T|o'neil|a_b)$", "^(ab|a|abc)$", "^(e?d|s)$"};
static const char *const other_res[] = {
    "^(a|b)", "^a|b$", "^(a|(b))$", "^\\p{Lu}$", "^(d'|d’)x$", "^a.c$", "^(?:a|b)$", "^()$",
    "^(a||b)$", "^a??$", "^[ab]$", "a$\\", "^$"};
static const char *const subjects[] = {
    "the", "The", "THE", "a", "an", "ann", "", "said", "Said", "said\n", "asked", "asks", "aſks",
    "ASK", "aſk", "key", "\xe2\x84\xaa"
                         "ey",
    "KEY", "x-ray", "X-RAY", "at&t", "O'Neil", "a_b",
    "profit", "profits", "profitss", "labeled", "labelled", "labellled", "ab", "abc", "abcd",
    "d", "ed", "s", "es", "played", "PLAYED", "sing", "singing\n", "caf\xc3\xa9", "ed\xc3\xa9",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaed"};

static int pcre(const char *re, int icase, const char *s) {
  int err;
  PCRE2_SIZE off;
  uint32_t opts = PCRE2_UTF | PCRE2_UCP | (icase ? PCRE2_CASELESS : 0);
  pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, strlen(re), opts, &err, &off, NULL);
  assert_non_null(c);
  pcre2_match_data *md = pcre2_match_data_create(4, NULL);
  int rc = pcre2_match(c, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
  pcre2_match_data_free(md);
  pcre2_code_free(c);
  return rc >= 0;
}

static void test_words_agree_with_pcre2(void **state) {
  (void)state;
  nerq_lexicon *lex = nerq_lexicon_new();
  assert_non_null(lex);
  for (size_t i = 0; i < sizeof word_res / sizeof *word_res; i++)
    for (int icase = 0; icase < 2; icase++) {
      const char *re = word_res[i];
      const re_words *w = nerq_re_words(lex, re, strlen(re), icase);
      assert_non_null(w);
      int decided = 0;
      for (size_t k = 0; k < sizeof subjects / sizeof *subjects; k++) {
        int r = nerq_re_words_match(w, subjects[k], strlen(subjects[k]));
        if (r < 0) continue;
        decided++;
        if (r != pcre(re, icase, subjects[k]))
          fail_msg("/%s/%s on \"%s\": words say %d", re, icase ? "i" : "", subjects[k], r);
      }
      assert_true(decided > 20);
    }
  nerq_lexicon_free(lex);
}

static void test_words_leave_to_pcre2(void **state) {
  (void)state;
  nerq_lexicon *lex = nerq_lexicon_new();
  assert_non_null(lex);
  for (size_t i = 0; i < sizeof other_res / sizeof *other_res; i++)
    if (nerq_re_words(lex, other_res[i], strlen(other_res[i]), 0))
      fail_msg("/%s/ taken as words", other_res[i]);
  const re_words *w = nerq_re_words(lex, "^said$", 6, 1);
  assert_non_null(w);
  assert_int_equal(nerq_re_words_match(w, "said\n", 5), -1); /* $ before a final \n */
  assert_int_equal(nerq_re_words_match(w, "\xc5\xbf"
                                          "aid",
                                       5),
                   -1); /* caseless U+017F */
  char big[RE_WORDS_TOKEN + 1];
  memset(big, 'a', sizeof big);
  assert_int_equal(nerq_re_words_match(w, big, sizeof big), -1); /* long: limits */
  nerq_lexicon_free(lex);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_words_agree_with_pcre2),
      cmocka_unit_test(test_words_leave_to_pcre2),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
