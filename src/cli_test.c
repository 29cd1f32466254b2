/* cli_test.c - `nerq test [DIR] [--bless] [--rules R]`: snapshot tests.
 * Runs every DIR/articles/NAME.txt and compares the record with
 * DIR/expected/NAME.json semantically: entities, mentions, quotes and
 * warnings are flattened to lines and compared as sets, so the diff
 * reads "+ added" / "- removed". --bless rewrites the expected files. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
  char **v;
  size_t n, cap;
} lines;

static void add_line(lines *l, char *s) {
  if (!s) return;
  if (l->n == l->cap) {
    char **nv = realloc(l->v, (l->cap = l->cap ? l->cap * 2 : 64) * sizeof *nv);
    if (!nv) { free(s); return; }
    l->v = nv;
  }
  l->v[l->n++] = s;
}

static void free_lines(lines *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static char *fmt(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int n = vsnprintf(NULL, 0, f, ap);
  va_end(ap);
  char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (!s) return NULL;
  va_start(ap, f);
  vsnprintf(s, (size_t)n + 1, f, ap);
  va_end(ap);
  return s;
}

static const char *str(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "null";
}

static long num(json_t *o, const char *k) {
  return (long)json_integer_value(json_object_get(o, k));
}

static void flatten_entities(json_t *rec, lines *out) {
  size_t i, k;
  json_t *e, *m;
  json_array_foreach(json_object_get(rec, "entities"), i, e) {
    add_line(out, fmt("entity %s \"%s\" key=%s", str(e, "type"), str(e, "name"), str(e, "key")));
    json_array_foreach(json_object_get(e, "mentions"), k, m)
      add_line(out, fmt("  %s \"%s\" mention [%ld,%ld) \"%s\" by %s", str(e, "type"),
                        str(e, "name"), num(m, "start"), num(m, "end"), str(m, "text"), str(m, "rule")));
  }
}

/* The speaker's name, looked up by entity id when there is one. */
static char *speaker_text(json_t *q) {
  json_t *s = json_object_get(q, "speaker");
  if (!json_is_object(s)) return fmt("null");
  json_t *mn = json_object_get(s, "mention");
  return fmt("\"%s\" (mention \"%s\" role=%s org=%s)", str(s, "name"),
             json_is_object(mn) ? str(mn, "text") : "null", str(s, "role"), str(s, "org"));
}

static void flatten_quotes(json_t *rec, lines *out) {
  size_t i;
  json_t *q, *w;
  json_array_foreach(json_object_get(rec, "quotes"), i, q) {
    char *spk = speaker_text(q);
    char *segs = json_dumps(json_object_get(q, "segments"), JSON_COMPACT);
    add_line(out, fmt("quote [%ld,%ld) %s %s segments=%s speaker=%s how=%s by %s",
                      num(q, "start"), num(q, "end"), str(q, "kind"),
                      str(q, "text"), segs ? segs : "", spk ? spk : "", str(q, "how"),
                      str(q, "rule")));
    free(spk);
    free(segs);
  }
  json_array_foreach(json_object_get(rec, "warnings"), i, w)
    add_line(out, fmt("warning %s", json_string_value(w)));
}

static int cmp_line(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void flatten(json_t *rec, lines *out) {
  flatten_entities(rec, out);
  flatten_quotes(rec, out);
  if (out->n) qsort(out->v, out->n, sizeof *out->v, cmp_line);
}

/* Prints lines only in a with mark; returns how many. */
static size_t only_in(const lines *a, const lines *b, char mark, FILE *to) {
  size_t count = 0;
  for (size_t i = 0; i < a->n; i++)
    if (!bsearch(&a->v[i], b->v, b->n, sizeof *b->v, cmp_line)) {
      if (to) fprintf(to, "    %c %s\n", mark, a->v[i]);
      count++;
    }
  return count;
}

/* Prints the semantic diff of two records; returns the change count. */
static size_t record_diff(json_t *want, json_t *got, FILE *to) {
  lines a = {0}, b = {0};
  flatten(want, &a);
  flatten(got, &b);
  size_t n = only_in(&a, &b, '-', to) + only_in(&b, &a, '+', to);
  free_lines(&a);
  free_lines(&b);
  return n;
}

typedef struct {
  const char *dir, *rules_dir;
  int bless;
  nerq_rules *rules;
  int passed, failed;
} test_run;

static int write_file(const char *path, const char *s) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  int bad = fputs(s, f) < 0 || fputc('\n', f) < 0;
  return fclose(f) != 0 || bad ? -1 : 0;
}

/* The record of one article, as JSON. */
static json_t *run_article(test_run *t, const char *name, const char *path) {
  char *buf = NULL;
  size_t len = 0;
  int err = cli_read_file(path, &buf, &len);
  if (err) return fprintf(stderr, "nerq test: %s: %s\n", path, strerror(err)), NULL;
  nerq_status st;
  char *json = cli_extract(t->rules, name, buf, len, NULL, NERQ_JSON_PRETTY, &st);
  free(buf);
  json_t *rec = json ? json_loads(json, 0, NULL) : NULL;
  free(json);
  return rec;
}

static void bless(test_run *t, const char *name, const char *exp_path,
                  json_t *want, json_t *got) {
  char *s = json_dumps(got, JSON_INDENT(2));
  if (!s || write_file(exp_path, s)) {
    fprintf(stderr, "nerq test: cannot write %s\n", exp_path);
    t->failed++;
  } else {
    size_t n = want ? record_diff(want, got, NULL) : 1;
    if (n) {
      printf("blessed %s (%zu change%s)\n", name, n, n == 1 ? "" : "s");
      if (want) record_diff(want, got, stdout);
    }
    t->passed++;
  }
  free(s);
}

static void test_one(test_run *t, const char *file) {
  char path[4096], exp_path[4096], name[1024];
  size_t stem = strcspn(file, ".");
  snprintf(name, sizeof name, "%s", file);
  snprintf(path, sizeof path, "%s/articles/%s", t->dir, file);
  snprintf(exp_path, sizeof exp_path, "%s/expected/%.*s.json", t->dir, (int)stem, file);
  json_t *got = run_article(t, name, path);
  json_t *want = json_load_file(exp_path, 0, NULL);
  if (!got) t->failed++;
  else if (t->bless) bless(t, name, exp_path, want, got);
  else if (!want) {
    printf("FAIL %s: no expected output %s (run nerq test --bless)\n", name, exp_path);
    t->failed++;
  } else if (record_diff(want, got, NULL)) {
    printf("FAIL %s (- expected, + actual):\n", name);
    record_diff(want, got, stdout);
    t->failed++;
  } else t->passed++;
  json_decref(got);
  json_decref(want);
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_snapshots(test_run *t) {
  char path[4096];
  snprintf(path, sizeof path, "%s/articles", t->dir);
  DIR *d = opendir(path);
  if (!d) return fprintf(stderr, "nerq test: %s: %s\n", path, strerror(errno)), -1;
  char *names[4096];
  size_t n = 0;
  struct dirent *de;
  while ((de = readdir(d)) && n < 4096)
    if (de->d_name[0] != '.' && strstr(de->d_name, ".txt")) names[n++] = strdup(de->d_name);
  closedir(d);
  qsort(names, n, sizeof *names, cmp_name);
  for (size_t i = 0; i < n; i++) {
    if (names[i]) test_one(t, names[i]);
    free(names[i]);
  }
  return 0;
}

int cli_test(int argc, char **argv) {
  test_run t = {"corpus", NULL, 0, NULL, 0, 0};
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--bless")) t.bless = 1;
    else if (!strcmp(argv[i], "--rules") && i + 1 < argc) t.rules_dir = argv[++i];
    else if (argv[i][0] == '-') return fprintf(stderr, "nerq test: unknown option %s\n", argv[i]), 2;
    else t.dir = argv[i];
  }
  if (!(t.rules = cli_load_rules(t.rules_dir))) return 2;
  int bad = run_snapshots(&t);
  nerq_rules_free(t.rules);
  printf("%d passed, %d failed\n", t.passed, t.failed);
  return bad || t.failed ? 1 : 0;
}
