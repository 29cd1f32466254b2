/* test_unit.c - cmocka unit tests of libnerq through its public API:
 * offsets, UTF-8 repair, the rule parser's errors and entity
 * resolution. Small rule sets are written to a temporary directory so
 * that each test states the rules it depends on. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "nerq.h"

/* ---- helpers ---- */

static char tmpdir[64];

static void write_file(const char *rel, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
  char *slash = strrchr(path, '/');
  *slash = '\0';
  mkdir(path, 0755);
  *slash = '/';
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void clear_dir(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s/*", tmpdir);
  assert_int_equal(system(cmd), 0);
}

static const char base_lists[] =
    "# stop\nThe\nHe\nShe\nIn\n";

/* A rule set made of the given files (NULL-terminated name/text pairs). */
static nerq_rules *rules_with(const char *first, ...) {
  clear_dir();
  write_file("lists/stop.txt", base_lists);
  va_list ap;
  va_start(ap, first);
  for (const char *name = first; name; name = va_arg(ap, const char *))
    write_file(name, va_arg(ap, const char *));
  va_end(ap);
  nerq_rules *r = NULL;
  char *err = NULL;
  nerq_status st = nerq_rules_load(tmpdir, &r, &err);
  if (st) fprintf(stderr, "%s\n", err ? err : "?");
  free(err);
  assert_int_equal(st, NERQ_OK);
  return r;
}

/* The load error for a rule set with one .rules file. */
static char *rule_error(const char *rules_text) {
  clear_dir();
  write_file("lists/stop.txt", base_lists);
  write_file("x.rules", rules_text);
  nerq_rules *r = NULL;
  char *err = NULL;
  assert_int_equal(nerq_rules_load(tmpdir, &r, &err), NERQ_ERR_RULES);
  assert_null(r);
  assert_non_null(err);
  return err;
}

/* Code points of s[0..n) as an array (caller frees), count in *ncp. */
static uint32_t *code_points(const char *s, size_t *ncp) {
  size_t n = strlen(s), k = 0;
  uint32_t *cps = calloc(n + 1, sizeof *cps);
  for (size_t i = 0; i < n; k++) {
    unsigned char c = (unsigned char)s[i];
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2
                         : c < 0xF0   ? 3
                                      : 4;
    uint32_t cp = len == 1 ? c : c & (0x3F >> (len - 1));
    for (int j = 1; j < len; j++) cp = cp << 6 | ((unsigned char)s[i + j] & 0x3F);
    cps[k] = cp;
    i += (size_t)len;
  }
  *ncp = k;
  return cps;
}

/* UTF-8 of code points [a, b) of s (caller frees). */
static char *cp_slice(const char *s, size_t a, size_t b) {
  size_t i = 0, k = 0, start = 0;
  while (s[i] && k < b) {
    if (k == a) start = i;
    unsigned char c = (unsigned char)s[i];
    i += c < 0x80 ? 1 : c < 0xE0 ? 2
                    : c < 0xF0   ? 3
                                 : 4;
    k++;
  }
  if (k == a) start = i;
  return strndup(s + start, i - start);
}

/* Index of the entity named `name`, or -1. */
static long find_entity(const nerq_doc *d, const char *name) {
  for (size_t i = 0; i < nerq_doc_entity_count(d); i++)
    if (!strcmp(nerq_doc_entity_name(d, i), name)) return (long)i;
  return -1;
}

static nerq_doc *process(const nerq_rules *r, const char *text) {
  nerq_doc *d = NULL;
  assert_int_equal(nerq_doc_process(r, text, strlen(text), &d), NERQ_OK);
  return d;
}

static void assert_mention(const nerq_doc *d, long e, size_t m, const char *text,
                           const char *want) {
  size_t a, b;
  assert_true(e >= 0);
  nerq_doc_mention_span(d, (size_t)e, m, &a, &b);
  char *got = cp_slice(text, a, b);
  assert_string_equal(got, want);
  free(got);
}

/* ---- offsets ---- */

static const char gaz_people[] =
    "# name\ttype\tkey\tcanonical\tflags\n"
    "Zoë Ørsted\tPERSON\tp:zoe\t\t\n"
    "José Álvarez\tPERSON\tp:jose\t\t\n"
    "Paris\tPLACE\tgeonames:2988507\t\t\n"
    "Café Noir\tORG\torg:cafe-noir\t\t\n";

static void test_offsets_multibyte(void **state) {
  (void)state;
  nerq_rules *r = rules_with("gazetteer/g.tsv", gaz_people, NULL);
  /* precomposed letters, a combining accent, an emoji, curly quotes */
  const char *text = "Zoë Ørsted 😀 met José Álvarez at Cafe\xCC\x81 and “Café Noir” in Paris.";
  nerq_doc *d = process(r, text);
  size_t ncp;
  free(code_points(text, &ncp));
  assert_int_equal(nerq_doc_length(d), ncp);
  assert_mention(d, find_entity(d, "Zoë Ørsted"), 0, text, "Zoë Ørsted");
  assert_mention(d, find_entity(d, "José Álvarez"), 0, text, "José Álvarez");
  assert_mention(d, find_entity(d, "Café Noir"), 0, text, "Café Noir");
  assert_mention(d, find_entity(d, "Paris"), 0, text, "Paris");
  size_t a, b;
  nerq_doc_mention_span(d, (size_t)find_entity(d, "Paris"), 0, &a, &b);
  assert_int_equal(a, 58);
  assert_int_equal(b, 63);
  nerq_doc_free(d);
  nerq_rules_free(r);
}

static void test_invalid_utf8_repair(void **state) {
  (void)state;
  nerq_rules *r = rules_with("gazetteer/g.tsv", gaz_people, NULL);
  struct {
    const char *bytes;
    size_t len, ncp;
  } cases[] = {
      {"a\xF0\x9F\x98"
       "b",
       5, 3},                     /* truncated 4-byte: one U+FFFD */
      {"\xC0\xAF", 2, 2},         /* overlong: two */
      {"\xED\xA0\x80", 3, 3},     /* surrogate: three */
      {"\xF4\x90\x80\x80", 4, 4}, /* above U+10FFFF: four */
      {"\xE2\x82", 2, 1},         /* truncated 3-byte at end: one */
      {"\x80\x80", 2, 2},         /* lone continuations: two */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    nerq_doc *d = NULL;
    assert_int_equal(nerq_doc_process(r, cases[i].bytes, cases[i].len, &d), NERQ_OK);
    assert_int_equal(nerq_doc_length(d), cases[i].ncp);
    assert_int_equal(nerq_doc_warning_count(d), 1);
    nerq_doc_free(d);
  }
  /* a name after a bad byte keeps Python-compatible offsets */
  nerq_doc *d = NULL;
  const char bad[] = "\xFF\xFE Paris";
  assert_int_equal(nerq_doc_process(r, bad, sizeof bad - 1, &d), NERQ_OK);
  size_t a, b;
  nerq_doc_mention_span(d, (size_t)find_entity(d, "Paris"), 0, &a, &b);
  assert_int_equal(a, 3);
  assert_int_equal(b, 8);
  nerq_doc_free(d);
  nerq_rules_free(r);
}

/* ---- rule parser errors ---- */

static void test_rule_errors(void **state) {
  (void)state;
  struct {
    const char *rule, *want;
  } cases[] = {
      {"a PERSON 5 : [Cap\n", "x.rules:1:18: expected ]"},
      {"a PERSON 5 : ( [Cap]\n", "x.rules:1:14: unclosed ("},
      {"a PERSON 5 : [Cap] )\n", "x.rules:1:20: unmatched )"},
      {"a PERSON 5 : @nolist\n", "x.rules:1:14: unknown list"},
      {"a PERSON 5 : Capital\n", "x.rules:1:14: unknown token class"},
      {"a PERSON 5 : /ab(/\n", "x.rules:1:18: bad regex"},
      {"a PERSON 5 : \"open\n", "x.rules:1:14: unterminated literal"},
      {"a PERSONA 5 : [Cap]\n", "x.rules:1:3: type must be"},
      {"# comment\n\na PERSON : [Cap]\n", "x.rules:3:1: expected NAME TYPE PRIORITY"},
      {"a PERSON 5 : <[Cap]> <[Cap]>\n", "x.rules:1:22: only one capture"},
      {"a PERSON 5 :\n", "x.rules:1:13: empty pattern"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *err = rule_error(cases[i].rule);
    if (!strstr(err, cases[i].want)) fail_msg("case %zu: got '%s', want '%s'", i, err, cases[i].want);
    assert_non_null(strchr(err, '^')); /* the caret line */
    free(err);
  }
}

static void test_gazetteer_error(void **state) {
  (void)state;
  clear_dir();
  write_file("gazetteer/g.tsv", "Paris\tPLACE\tk\nLyon\tTOWN\tk2\n");
  nerq_rules *r = NULL;
  char *err = NULL;
  assert_int_equal(nerq_rules_load(tmpdir, &r, &err), NERQ_ERR_RULES);
  assert_non_null(strstr(err, "g.tsv:2:6: type must be PERSON, ORG or PLACE"));
  assert_non_null(strstr(err, "\nLyon\tTOWN\tk2\n    \t^")); /* line as written; caret aligned */
  free(err);
  assert_int_equal(nerq_rules_load("/nonexistent/rules", &r, &err), NERQ_ERR_IO);
  free(err);
}

/* ---- entity resolution ---- */

static const char gaz_places[] =
    "# name\ttype\tkey\tcanonical\tflags\n"
    "New York\tPLACE\tgeonames:5128581\tNew York City\t\n"
    "York\tPLACE\tgeonames:2633352\t\t\n"
    "United Kingdom\tPLACE\tiso:GB\tUnited Kingdom\t\n"
    "UK\tPLACE\tiso:GB\tUnited Kingdom\t\n"
    "China\tPLACE\tiso:CN\t\t\n"
    "Reading\tPLACE\tgeonames:2639577\t\tambiguous\n"
    "Acme\tORG\torg:acme\t\t\n";

static const char first_names[] = "# name\tgender\nJack\tm\nMary\tf\n";

static const char person_rules[] =
    "person.first-last PERSON 50 : < [@first_names Cap] [Cap Word !@stop] >\n"
    "org.acme-cloud ORG 55 : < \"Acme\" \"Cloud\" >\n"
    "place.in-ambiguous PLACE 40 : \"in\" < [@ambiguous] >\n"
    "veto.new NONE 90 : < \"New\" \"Acme\" >\n";

static nerq_rules *resolution_rules(void) {
  return rules_with("gazetteer/places.tsv", gaz_places, "lists/first_names.txt",
                    first_names, "p.rules", person_rules, NULL);
}

static void test_longest_wins(void **state) {
  (void)state;
  nerq_rules *r = resolution_rules();
  const char *text = "She flew to New York, then York.";
  nerq_doc *d = process(r, text);
  long ny = find_entity(d, "New York City"), york = find_entity(d, "York");
  assert_mention(d, ny, 0, text, "New York");
  assert_mention(d, york, 0, text, "York");
  assert_int_equal(nerq_doc_mention_count(d, (size_t)york), 1);
  nerq_doc_free(d);
  nerq_rules_free(r);
}

static void test_priority_and_veto(void **state) {
  (void)state;
  nerq_rules *r = resolution_rules();
  const char *text = "Acme Cloud grew. Acme shrank. New Acme failed.";
  nerq_doc *d = process(r, text);
  long cloud = find_entity(d, "Acme Cloud"), acme = find_entity(d, "Acme");
  assert_true(cloud >= 0 && acme >= 0 && cloud != acme);        /* two organisations */
  assert_int_equal(nerq_doc_mention_count(d, (size_t)acme), 1); /* "New Acme" vetoed */
  assert_mention(d, acme, 0, text, "Acme");
  nerq_doc_free(d);
  nerq_rules_free(r);
}

static void test_aliases_one_entity(void **state) {
  (void)state;
  nerq_rules *r = resolution_rules();
  const char *text = "The United Kingdom voted. The UK left. China’s reply came.";
  nerq_doc *d = process(r, text);
  long uk = find_entity(d, "United Kingdom");
  assert_int_equal(nerq_doc_mention_count(d, (size_t)uk), 2);
  assert_mention(d, uk, 1, text, "UK");
  assert_string_equal(nerq_doc_entity_key(d, (size_t)uk), "iso:GB");
  assert_mention(d, find_entity(d, "China"), 0, text, "China"); /* not China’s */
  nerq_doc_free(d);
  nerq_rules_free(r);
}

static void test_surname_links(void **state) {
  (void)state;
  nerq_rules *r = resolution_rules();
  const char *text = "Jack Ma retired. Ma said he would teach. Mary Ma did not. Ma Yun is his name.";
  nerq_doc *d = process(r, text);
  long jack = find_entity(d, "Jack Ma");
  assert_true(jack >= 0);
  assert_mention(d, jack, 1, text, "Ma");
  size_t a, b;
  nerq_doc_mention_span(d, (size_t)jack, 1, &a, &b);
  assert_int_equal(a, 17);
  assert_int_equal(b, 19);
  long mary = find_entity(d, "Mary Ma");
  assert_true(mary >= 0 && mary != jack);
  /* "Ma Yun": a capitalised word follows, so it is not the lone surname */
  for (size_t m = 0; m < nerq_doc_mention_count(d, (size_t)jack); m++) {
    nerq_doc_mention_span(d, (size_t)jack, m, &a, &b);
    assert_true(a < 60);
  }
  assert_string_equal(nerq_doc_entity_key(d, (size_t)jack), "person:jack-ma");
  nerq_doc_free(d);
  nerq_rules_free(r);
}

static void test_ambiguous_needs_context(void **state) {
  (void)state;
  nerq_rules *r = resolution_rules();
  const char *text = "Reading is fun. She lives in Reading.";
  nerq_doc *d = process(r, text);
  long rd = find_entity(d, "Reading");
  assert_true(rd >= 0);
  /* one sense per document: the context makes both mentions the town */
  assert_int_equal(nerq_doc_mention_count(d, (size_t)rd), 2);
  assert_string_equal(nerq_doc_entity_key(d, (size_t)rd), "geonames:2639577");
  nerq_doc_free(d);
  nerq_rules_free(r);
}

static void test_deterministic_json(void **state) {
  (void)state;
  nerq_rules *r = resolution_rules();
  const char *text = "Jack Ma met Mary Ma in New York and the UK.";
  nerq_doc *d1 = process(r, text), *d2 = process(r, text);
  char *j1 = nerq_doc_to_json(d1, "x", NULL, 0), *j2 = nerq_doc_to_json(d2, "x", NULL, 0);
  assert_string_equal(j1, j2);
  assert_non_null(strstr(j1, "\"quotes\":[]"));
  free(j1);
  free(j2);
  nerq_doc_free(d1);
  nerq_doc_free(d2);
  nerq_rules_free(r);
}

/* An alternation of literals is compiled to one literal-set test; it
 * must still match each literal, in either case where asked, and no
 * other word. */
static void test_literal_alternation(void **state) {
  (void)state;
  nerq_rules *r = rules_with("p.rules",
                             "place.after PLACE 40 : (\"in\" | \"near\" | \"From\"i) < [Cap Word] >\n"
                             "org.pair ORG 40 : (\"the\" \"big\" | \"a\") < \"Acme\" >\n",
                             NULL);
  const char *text = "in Oslo, near Lima, from Rome, at Bonn; the big Acme, a Acme, the Acme";
  nerq_doc *d = process(r, text);
  assert_true(find_entity(d, "Oslo") >= 0);
  assert_true(find_entity(d, "Lima") >= 0);
  assert_true(find_entity(d, "Rome") >= 0);
  assert_true(find_entity(d, "Bonn") < 0);
  long acme = find_entity(d, "Acme");
  assert_true(acme >= 0);
  /* "the Acme" has no rule of its own, but one sense per document */
  assert_int_equal(nerq_doc_mention_count(d, (size_t)acme), 3);
  nerq_doc_free(d);
  nerq_rules_free(r);
}

/* The rule VM's step budget is exact (a change to the VM must keep
 * it): "( [Lower] | [Lower] )*" tries 2^n paths over n words before a
 * word that is not "said", and the budget (20,000 steps) runs out from
 * 10 words on, at that "Mr" only; the match after it is still made. */
static void test_vm_budget_exact(void **state) {
  (void)state;
  nerq_rules *r = rules_with("p.rules", "x.exp PERSON 10 : \"Mr\" ( [Lower] | [Lower] )* \"said\" < [Cap] >\n", NULL);
  assert_non_null(r);
  for (int n = 8; n <= 12; n++) {
    char text[256] = "Mr ", *p = text + 3;
    for (int i = 0; i < n; i++) p += sprintf(p, "w ");
    p += sprintf(p, "x. Mr ");
    for (int i = 0; i < n; i++) p += sprintf(p, "w ");
    sprintf(p, "said Ann.");
    nerq_doc *d = process(r, text);
    assert_int_equal(nerq_doc_runaway_count(d), n >= 10 ? 1 : 0);
    assert_true(find_entity(d, "Ann") >= 0);
    nerq_doc_free(d);
  }
  nerq_rules_free(r);
}

/* The one writer: --pretty is the compact record laid out exactly as
 * jansson's JSON_INDENT(2) would; meta keeps its tokens; malformed meta
 * is left out; an id that is not UTF-8 is repaired. */
static void test_json_writer(void **state) {
  (void)state;
  nerq_rules *r = resolution_rules();
  nerq_doc *d = process(r, "Jack Ma met Mary Ma in New York.\n\"We\tare \\ here,\" said Ma.");
  const char *meta = " {\"a\": [1, {}, [], -2.5e3], \"b\" : {\"c\": \"x\\\"y\\u00e9\"}, \"d\": null} ";
  char *compact = nerq_doc_to_json(d, "x", meta, 0);
  char *pretty = nerq_doc_to_json(d, "x", meta, NERQ_JSON_PRETTY);
  assert_non_null(strstr(compact, "\"meta\":{\"a\":[1,{},[],-2.5e3],\"b\":{\"c\":\"x\\\"y\\u00e9\"},\"d\":null}"));
  json_t *j = json_loads(compact, 0, NULL);
  assert_non_null(j);
  char *want = json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII);
  json_t *jp = json_loads(pretty, 0, NULL);
  char *got = json_dumps(jp, JSON_INDENT(2) | JSON_ENSURE_ASCII);
  assert_string_equal(got, want); /* same content */
  assert_non_null(strstr(pretty, "\n  \"meta\": {\n    \"a\": [\n      1,\n      {},\n      [],\n      -2.5e3\n    ],"));
  free(want);
  free(got);
  json_decref(j);
  json_decref(jp);
  nerq_rules *full = NULL; /* the shipped rules, for a quote and a speaker */
  assert_int_equal(nerq_rules_load("rules", &full, NULL), NERQ_OK);
  nerq_doc *dq = process(full, "Tim Cook met Jack Ma in Paris.\n\n\"We are\tready,\" Cook said.\n");
  char *c0 = nerq_doc_to_json(dq, "x", NULL, 0), *p0 = nerq_doc_to_json(dq, "x", NULL, NERQ_JSON_PRETTY);
  j = json_loads(c0, 0, NULL);
  want = json_dumps(j, JSON_INDENT(2));
  assert_string_equal(p0, want); /* byte for byte, without meta */
  assert_non_null(strstr(c0, "\"quotes\":[{"));
  free(want);
  free(c0);
  free(p0);
  json_decref(j);
  nerq_doc_free(dq);
  nerq_rules_free(full);
  char *bad = nerq_doc_to_json(d, "x", "{\"a\": [1,}", 0);
  assert_null(strstr(bad, "\"meta\""));
  json_t *jb = json_loads(bad, 0, NULL);
  assert_non_null(jb);
  json_decref(jb);
  char *odd = nerq_doc_to_json(d, "a\xff"
                                  "b",
                               NULL, 0);
  assert_non_null(strstr(odd, "\"doc\":\"a\xEF\xBF\xBD"
                              "b\""));
  free(compact);
  free(pretty);
  free(bad);
  free(odd);
  nerq_doc_free(d);
  nerq_rules_free(r);
}

int main(void) {
  strcpy(tmpdir, "/tmp/nerq-unit-XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_offsets_multibyte),
      cmocka_unit_test(test_invalid_utf8_repair),
      cmocka_unit_test(test_rule_errors),
      cmocka_unit_test(test_gazetteer_error),
      cmocka_unit_test(test_longest_wins),
      cmocka_unit_test(test_priority_and_veto),
      cmocka_unit_test(test_aliases_one_entity),
      cmocka_unit_test(test_surname_links),
      cmocka_unit_test(test_ambiguous_needs_context),
      cmocka_unit_test(test_deterministic_json),
      cmocka_unit_test(test_literal_alternation),
      cmocka_unit_test(test_vm_budget_exact),
      cmocka_unit_test(test_json_writer),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  clear_dir();
  rmdir(tmpdir);
  return failed;
}
