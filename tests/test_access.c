/* test_access.c - cmocka tests of the document accessors (nerq.h): for
 * every article of corpus/articles, every entity, mention and quote field
 * read through the accessors equals the same field of the JSON record;
 * the founding article's two quotes and their speakers; bad indices.
 * Runs from the repository root with the rules in rules/. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nerq.h"

static nerq_rules *rules;

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  buf[n] = '\0';
  *len = (size_t)n;
  return buf;
}

/* A processed document and its parsed record. */
static nerq_doc *load(const char *path, json_t **rec) {
  size_t len;
  char *text = read_all(path, &len);
  nerq_doc *d = NULL;
  assert_int_equal(nerq_doc_process(rules, text, len, &d), NERQ_OK);
  free(text);
  char *js = nerq_doc_to_json(d, path, NULL, 0);
  assert_non_null(js);
  *rec = json_loads(js, 0, NULL);
  assert_non_null(*rec);
  free(js);
  return d;
}

static const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static size_t jnum(json_t *o, const char *k) { return (size_t)json_integer_value(json_object_get(o, k)); }

/* A slice (pointer, length) equals a JSON string. */
static void assert_slice(const char *got, size_t len, const char *want) {
  assert_non_null(got);
  assert_non_null(want);
  assert_int_equal(len, strlen(want));
  assert_memory_equal(got, want, len);
}

/* Two strings equal, or both NULL (JSON null). */
static void assert_str_or_null(const char *got, const char *want) {
  if (want) assert_string_equal(got, want);
  else assert_null(got);
}

/* "eN" -> N - 1, null -> -1. */
static long ref(json_t *v) {
  return json_is_string(v) ? strtol(json_string_value(v) + 1, NULL, 10) - 1 : -1;
}

static void check_entity(const nerq_doc *d, size_t i, json_t *e) {
  assert_string_equal(nerq_doc_entity_id(d, i), jstr(e, "id"));
  assert_string_equal(nerq_doc_entity_type(d, i), jstr(e, "type"));
  assert_string_equal(nerq_doc_entity_name(d, i), jstr(e, "name"));
  assert_string_equal(nerq_doc_entity_key(d, i), jstr(e, "key"));
  json_t *ms = json_object_get(e, "mentions");
  assert_int_equal(nerq_doc_mention_count(d, i), json_array_size(ms));
  for (size_t m = 0; m < json_array_size(ms); m++) {
    json_t *jm = json_array_get(ms, m);
    size_t a, b, len;
    nerq_doc_mention_span(d, i, m, &a, &b);
    assert_int_equal(a, jnum(jm, "start"));
    assert_int_equal(b, jnum(jm, "end"));
    const char *t = nerq_doc_mention_text(d, i, m, &len);
    assert_slice(t, len, jstr(jm, "text"));
    assert_string_equal(nerq_doc_mention_rule(d, i, m), jstr(jm, "rule"));
  }
}

/* An optional span {"text","start","end"} against an accessor's result. */
static void check_span(json_t *js, const char *t, size_t a, size_t b, size_t len) {
  if (json_is_null(js)) {
    assert_null(t);
    return;
  }
  assert_slice(t, len, jstr(js, "text"));
  assert_int_equal(a, jnum(js, "start"));
  assert_int_equal(b, jnum(js, "end"));
}

static void check_speaker(const nerq_doc *d, size_t q, json_t *sp) {
  size_t a = 0, b = 0, len = 0;
  const char *name = nerq_doc_quote_speaker_name(d, q, &len);
  if (json_is_null(sp)) {
    assert_null(name);
    assert_int_equal(nerq_doc_quote_speaker(d, q), -1);
    return;
  }
  assert_slice(name, len, jstr(sp, "name"));
  assert_int_equal(nerq_doc_quote_speaker(d, q), ref(json_object_get(sp, "entity")));
  assert_int_equal(nerq_doc_quote_org(d, q), ref(json_object_get(sp, "org")));
  assert_str_or_null(nerq_doc_quote_role(d, q), jstr(sp, "role"));
  const char *t = nerq_doc_quote_speaker_mention(d, q, &a, &b, &len);
  check_span(json_object_get(sp, "mention"), t, a, b, len);
}

static void check_quote(const nerq_doc *d, size_t q, json_t *jq) {
  size_t a, b, len;
  assert_string_equal(nerq_doc_quote_id(d, q), jstr(jq, "id"));
  char *text = nerq_doc_quote_text(d, q);
  assert_string_equal(text, jstr(jq, "text"));
  free(text);
  nerq_doc_quote_span(d, q, &a, &b);
  assert_int_equal(a, jnum(jq, "start"));
  assert_int_equal(b, jnum(jq, "end"));
  json_t *segs = json_object_get(jq, "segments");
  assert_int_equal(nerq_doc_quote_segment_count(d, q), json_array_size(segs));
  for (size_t s = 0; s < json_array_size(segs); s++) {
    assert_non_null(nerq_doc_quote_segment(d, q, s, &a, &b, &len));
    assert_int_equal(a, json_integer_value(json_array_get(json_array_get(segs, s), 0)));
    assert_int_equal(b, json_integer_value(json_array_get(json_array_get(segs, s), 1)));
  }
  assert_string_equal(nerq_doc_quote_kind(d, q), jstr(jq, "kind"));
  assert_str_or_null(nerq_doc_quote_how(d, q), jstr(jq, "how"));
  assert_str_or_null(nerq_doc_quote_rule(d, q), jstr(jq, "rule"));
  check_speaker(d, q, json_object_get(jq, "speaker"));
  const char *cue = nerq_doc_quote_cue(d, q, &a, &b, &len);
  check_span(json_object_get(jq, "cue"), cue, a, b, len);
}

static void check_article(const char *path) {
  json_t *rec;
  nerq_doc *d = load(path, &rec);
  json_t *ents = json_object_get(rec, "entities"), *quotes = json_object_get(rec, "quotes");
  assert_int_equal(nerq_doc_entity_count(d), json_array_size(ents));
  for (size_t i = 0; i < json_array_size(ents); i++) check_entity(d, i, json_array_get(ents, i));
  assert_int_equal(nerq_doc_quote_count(d), json_array_size(quotes));
  for (size_t q = 0; q < json_array_size(quotes); q++) check_quote(d, q, json_array_get(quotes, q));
  json_t *w = json_object_get(rec, "warnings");
  assert_int_equal(nerq_doc_warning_count(d), json_array_size(w));
  for (size_t i = 0; i < json_array_size(w); i++)
    assert_string_equal(nerq_doc_warning(d, i), json_string_value(json_array_get(w, i)));
  json_decref(rec);
  nerq_doc_free(d);
}

static void test_every_article_matches_record(void **state) {
  (void)state;
  DIR *dir = opendir("corpus/articles");
  assert_non_null(dir);
  struct dirent *de;
  int n = 0;
  char path[512];
  while ((de = readdir(dir))) {
    size_t l = strlen(de->d_name);
    if (l < 5 || strcmp(de->d_name + l - 4, ".txt")) continue;
    snprintf(path, sizeof path, "corpus/articles/%s", de->d_name);
    check_article(path);
    n++;
  }
  closedir(dir);
  assert_true(n >= 10);
}

/* The founding article: two quotes, by Yeming Wang (named, with his
 * role and organisation) and by Jack Ma (through "He"). */
static void test_founding_quotes(void **state) {
  (void)state;
  json_t *rec;
  nerq_doc *d = load("corpus/articles/alibaba-london.txt", &rec);
  json_decref(rec);
  /* two direct quotes, then reported speech (kind indirect) */
  size_t nq = nerq_doc_quote_count(d), direct = 0;
  for (size_t q = 0; q < nq; q++) direct += strcmp(nerq_doc_quote_kind(d, q), "indirect") != 0;
  assert_int_equal(direct, 2);
  assert_string_equal(nerq_doc_quote_kind(d, 0), "direct");
  assert_string_equal(nerq_doc_quote_kind(d, nq - 1), "indirect");
  char *retiring = nerq_doc_quote_text(d, nq - 1);
  assert_string_equal(retiring, "he was retiring");
  free(retiring);
  assert_string_equal(nerq_doc_entity_name(d, (size_t)nerq_doc_quote_speaker(d, nq - 1)), "Jack Ma");
  size_t len, a, b;
  const char *name = nerq_doc_quote_speaker_name(d, 0, &len);
  assert_slice(name, len, "Yeming Wang");
  assert_string_equal(nerq_doc_quote_role(d, 0), "EMEA general manager");
  long org = nerq_doc_quote_org(d, 0);
  assert_true(org >= 0);
  assert_string_equal(nerq_doc_entity_name(d, (size_t)org), "Alibaba Cloud");
  const char *cue = nerq_doc_quote_cue(d, 0, &a, &b, &len);
  assert_slice(cue, len, "said");
  assert_int_equal(b - a, 4);
  long jack = nerq_doc_quote_speaker(d, 1);
  assert_true(jack >= 0);
  assert_string_equal(nerq_doc_entity_name(d, (size_t)jack), "Jack Ma");
  assert_string_equal(nerq_doc_entity_type(d, (size_t)jack), "PERSON");
  const char *he = nerq_doc_quote_speaker_mention(d, 1, NULL, NULL, &len);
  assert_slice(he, len, "He");
  assert_string_equal(nerq_doc_quote_how(d, 1), "pronoun");
  nerq_doc_free(d);
}

static void test_bad_indices(void **state) {
  (void)state;
  nerq_doc *d = NULL;
  const char *text = "Tim Cook visited Paris.";
  size_t len = 7, a = 1, b = 1;
  assert_int_equal(nerq_doc_process(rules, text, strlen(text), &d), NERQ_OK);
  size_t ne = nerq_doc_entity_count(d), nq = nerq_doc_quote_count(d);
  assert_null(nerq_doc_entity_id(d, ne));
  assert_null(nerq_doc_mention_text(d, ne, 0, &len));
  assert_int_equal(len, 0);
  assert_null(nerq_doc_mention_text(d, 0, 99, NULL));
  assert_null(nerq_doc_mention_rule(d, 0, 99));
  assert_null(nerq_doc_quote_id(d, nq));
  assert_null(nerq_doc_quote_text(d, nq));
  nerq_doc_quote_span(d, nq, &a, &b);
  assert_int_equal(a + b, 0);
  assert_int_equal(nerq_doc_quote_segment_count(d, nq), 0);
  assert_null(nerq_doc_quote_segment(d, nq, 0, NULL, NULL, NULL));
  assert_null(nerq_doc_quote_kind(d, nq));
  assert_int_equal(nerq_doc_quote_speaker(d, nq), -1);
  assert_null(nerq_doc_quote_speaker_name(d, nq, NULL));
  assert_null(nerq_doc_quote_cue(d, nq, NULL, NULL, NULL));
  assert_int_equal(nerq_doc_quote_org(d, nq), -1);
  assert_null(nerq_doc_warning(d, 0));
  nerq_doc_free(d);
}

/* A quote whose speaker is a role noun ("the spokeswoman"), no entity:
 * the mention kept as written (issue 9: nominal speakers), and every
 * accessor agrees with the record. */
static void test_speaker_without_entity(void **state) {
  (void)state;
  nerq_doc *d = NULL;
  const char *text = "\"We will build it here,\" the spokeswoman said.\n";
  assert_int_equal(nerq_doc_process(rules, text, strlen(text), &d), NERQ_OK);
  char *js = nerq_doc_to_json(d, NULL, NULL, 0);
  json_t *rec = json_loads(js, 0, NULL);
  free(js);
  json_t *quotes = json_object_get(rec, "quotes");
  assert_int_equal(nerq_doc_quote_count(d), 1);
  assert_int_equal(json_array_size(quotes), 1);
  check_quote(d, 0, json_array_get(quotes, 0));
  char *q = nerq_doc_quote_text(d, 0);
  assert_string_equal(q, "We will build it here,");
  free(q);
  assert_int_equal(nerq_doc_quote_speaker(d, 0), -1);
  size_t nlen = 0;
  const char *name = nerq_doc_quote_speaker_name(d, 0, &nlen);
  assert_slice(name, nlen, "the spokeswoman");
  assert_string_equal(nerq_doc_quote_role(d, 0), "spokeswoman");
  json_decref(rec);
  nerq_doc_free(d);
}

/* Candidates, winners and candidate quotes are kept for nerq_doc_explain
 * only with NERQ_EXPLAIN (issue 11: a big document's memory); the record is the
 * same either way, and explain says what it left out. */
static void test_explain_option(void **state) {
  (void)state;
  const char *text = "Tim Cook met officials in Paris.\n\n\"We will build it here,\" Cook said.\n";
  nerq_doc *lean = NULL, *full = NULL;
  assert_int_equal(nerq_doc_process(rules, text, strlen(text), &lean), NERQ_OK);
  assert_int_equal(nerq_doc_process_opts(rules, text, strlen(text), NERQ_EXPLAIN, &full, NULL), NERQ_OK);
  char *a = nerq_doc_to_json(lean, "x", NULL, 0), *b = nerq_doc_to_json(full, "x", NULL, 0);
  assert_string_equal(a, b);
  free(a);
  free(b);
  a = nerq_doc_explain(lean);
  b = nerq_doc_explain(full);
  assert_non_null(strstr(a, "(not kept: process the document with NERQ_EXPLAIN)"));
  assert_null(strstr(a, "WON "));
  assert_null(strstr(b, "not kept"));
  assert_non_null(strstr(b, "WON  PERSON [0,8) \"Tim Cook\""));
  assert_non_null(strstr(b, "candidate 1: marks at"));
  assert_null(strstr(a, "candidate 1: marks at"));
  assert_non_null(strstr(a, "quotes: 1 kept"));
  assert_non_null(strstr(a, "\"Tim Cook\""));
  free(a);
  free(b);
  nerq_doc_free(lean);
  nerq_doc_free(full);
}

/* nerq_doc_write_json's sink: the pieces appended to a buffer; `fail_at`
 * > 0 makes that call fail. */
typedef struct {
  char *s;
  size_t n, calls, biggest;
  size_t fail_at;
} pieces;

static int collect(void *ctx, const char *bytes, size_t n) {
  pieces *p = ctx;
  p->calls++;
  assert_true(n > 0);
  if (p->fail_at && p->calls == p->fail_at) return -1;
  if (n > p->biggest) p->biggest = n;
  p->s = realloc(p->s, p->n + n + 1);
  assert_non_null(p->s);
  memcpy(p->s + p->n, bytes, n);
  p->n += n;
  p->s[p->n] = '\0';
  return 0;
}

/* A record written in pieces is the record, byte for byte, compact and
 * indented; a sink that fails stops the writing (NERQ_ERR_IO). */
static void test_record_in_pieces(void **state) {
  (void)state;
  size_t len, n = 40;
  char *one = read_all("corpus/articles/alibaba-london.txt", &len);
  char *text = malloc(n * (len + 1));
  assert_non_null(text);
  for (size_t i = 0; i < n; i++) memcpy(text + i * (len + 1), one, len), text[i * (len + 1) + len] = '\n';
  nerq_doc *d = NULL;
  assert_int_equal(nerq_doc_process(rules, text, n * (len + 1), &d), NERQ_OK);
  for (int flags = 0; flags <= NERQ_JSON_PRETTY; flags += NERQ_JSON_PRETTY) {
    char *whole = nerq_doc_to_json(d, "a\"b", "{\"src\": 1}", flags);
    assert_non_null(whole);
    pieces p = {0};
    assert_int_equal(nerq_doc_write_json(d, "a\"b", "{\"src\": 1}", flags, collect, &p), NERQ_OK);
    assert_true(p.calls > 2); /* a record of several pieces */
    assert_true(p.biggest < strlen(whole));
    assert_int_equal(p.n, strlen(whole));
    assert_memory_equal(p.s, whole, p.n);
    free(p.s);
    pieces f = {.fail_at = 2};
    assert_int_equal(nerq_doc_write_json(d, "x", NULL, flags, collect, &f), NERQ_ERR_IO);
    assert_int_equal(f.calls, 2); /* no call after the failed one */
    free(f.s);
    free(whole);
  }
  pieces p = {0};
  assert_int_equal(nerq_doc_write_json(NULL, "x", NULL, 0, collect, &p), NERQ_ERR_USAGE);
  assert_int_equal(nerq_doc_write_json(d, "x", NULL, 0, NULL, &p), NERQ_ERR_USAGE);
  assert_int_equal(p.calls, 0);
  nerq_doc_free(d);
  free(text);
  free(one);
}

int main(void) {
  char *err = NULL;
  if (nerq_rules_load("rules", &rules, &err)) {
    fprintf(stderr, "%s\n", err ? err : "rules?");
    free(err);
    return 1;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_article_matches_record),
      cmocka_unit_test(test_founding_quotes),
      cmocka_unit_test(test_bad_indices),
      cmocka_unit_test(test_speaker_without_entity),
      cmocka_unit_test(test_explain_option),
      cmocka_unit_test(test_record_in_pieces),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  nerq_rules_free(rules);
  return failed;
}
