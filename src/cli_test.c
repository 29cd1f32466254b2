/* cli_test.c - `nerq test [DIR] [--bless] [--rules R]`: snapshot tests.
 * Runs every DIR/articles/NAME.txt (and NAME.html, a saved web page read
 * as --input html) and compares the record with
 * DIR/expected/NAME.json semantically: entities, mentions, quotes,
 * relations and warnings are flattened to lines and compared as sets, so the diff
 * reads "+ added" / "- removed". --bless rewrites the expected files that
 * differ in more than rule line numbers,
 * but only when every gold floor holds (--force: even then).
 * Then, if DIR/gold.json exists, scores nerq on each gold file it names
 * and checks every score floor (one test each); a failure lists the
 * errors that are not in the gold file's baseline NAME.errors.json,
 * which --bless rewrites. See docs/eval.md. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct {
  char **v;
  size_t n, cap;
} lines;

static void add_line(lines *l, char *s) {
  if (!s) return;
  if (l->n == l->cap) {
    char **nv = realloc(l->v, (l->cap = l->cap ? l->cap * 2 : 64) * sizeof *nv);
    if (!nv) {
      free(s);
      return;
    }
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

/* The length of a rule name without its ":LINE" ("x@f.rules:12" -> 10). */
static size_t rule_stem(const char *r) {
  size_t n = strlen(r), k = n;
  while (k && r[k - 1] >= '0' && r[k - 1] <= '9') k--;
  return k && r[k - 1] == ':' ? k - 1 : n;
}

/* A rule's name without its line number ("org.x@entities.rules:12" ->
 * "org.x@entities.rules"), so that moving a rule within its file is not a
 * change. Returns a pointer into a static buffer, valid until next call. */
static const char *rule_name(json_t *o) {
  static char buf[512];
  const char *r = str(o, "rule");
  size_t n = rule_stem(r);
  if (n == strlen(r) || n >= sizeof buf) return r;
  memcpy(buf, r, n);
  buf[n] = '\0';
  return buf;
}

static void flatten_entities(json_t *rec, lines *out) {
  size_t i, k;
  json_t *e, *m;
  json_array_foreach(json_object_get(rec, "entities"), i, e) {
    add_line(out, fmt("entity %s \"%s\" key=%s", str(e, "type"), str(e, "name"), str(e, "key")));
    json_array_foreach(json_object_get(e, "mentions"), k, m)
        add_line(out, fmt("  %s \"%s\" mention [%ld,%ld) \"%s\" by %s", str(e, "type"),
                          str(e, "name"), num(m, "start"), num(m, "end"), str(m, "text"), rule_name(m)));
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
                      rule_name(q)));
    free(spk);
    free(segs);
  }
  json_array_foreach(json_object_get(rec, "warnings"), i, w)
      add_line(out, fmt("warning %s", json_string_value(w)));
}

/* The name of entity "eN" in the record, or the id itself. */
static const char *entity_name(json_t *rec, const char *id) {
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(rec, "entities"), i, e) if (!strcmp(str(e, "id"), id)) return str(e, "name");
  return id;
}

/* `relation "Yeming Wang" worksFor "Alibaba Cloud" by works.x@relations.rules`;
 * a literal object is written as text="...". */
static void flatten_relations(json_t *rec, lines *out) {
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(rec, "relations"), i, r) {
    json_t *o = json_object_get(r, "object"), *ev = json_object_get(r, "evidence");
    char *obj = json_is_object(o) ? fmt("text=\"%s\"", str(o, "text"))
                                  : fmt("\"%s\"", entity_name(rec, str(r, "object")));
    add_line(out, fmt("relation \"%s\" %s %s by %s", entity_name(rec, str(r, "subject")),
                      str(r, "predicate"), obj ? obj : "", json_is_object(ev) ? rule_name(ev) : "null"));
    free(obj);
  }
}

static void flatten(json_t *rec, lines *out) {
  flatten_entities(rec, out);
  flatten_quotes(rec, out);
  flatten_relations(rec, out);
  if (out->n) qsort(out->v, out->n, sizeof *out->v, nerq_str_cmp);
}

/* Prints lines only in a with mark; returns how many. */
static size_t only_in(const lines *a, const lines *b, char mark, FILE *to) {
  size_t count = 0;
  for (size_t i = 0; i < a->n; i++)
    if (!bsearch(&a->v[i], b->v, b->n, sizeof *b->v, nerq_str_cmp)) {
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
  int bless, force;
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
  const char *dot = strrchr(path, '.'); /* NAME.html is a saved web page */
  int opts = dot && !strcmp(dot, ".html") ? NERQ_IN_HTML : 0;
  char *msg = NULL;
  char *json = cli_extract_opts(t->rules, name, buf, len, NULL,
                                NERQ_JSON_PRETTY | opts << CLI_OPTS_SHIFT, &st, &msg);
  if (!json) fprintf(stderr, "nerq test: %s: %s\n", path, msg ? msg : nerq_status_message(st));
  free(msg);
  free(buf);
  json_t *rec = json ? json_loads(json, 0, NULL) : NULL;
  free(json);
  return rec;
}

/* A snapshot leaves out what changes with every edit of the rules or
 * release ("nerq", "rules") and an empty "relations" array, so that
 * expected files change only when results do. */
static void snapshot_trim(json_t *rec) {
  json_object_del(rec, "nerq");
  json_object_del(rec, "rules");
  json_t *rel = json_object_get(rec, "relations");
  if (json_is_array(rel) && !json_array_size(rel)) json_object_del(rec, "relations");
}

/* Whether K names a rule ("rule", "span_rule", ...): its line number is
 * not a change. */
static int is_rule_key(const char *k) {
  size_t n = strlen(k);
  return !strcmp(k, "rule") || (n > 5 && !strcmp(k + n - 5, "_rule"));
}

/* Whether two JSON values are equal once every rule string ("rule",
 * "span_rule") loses its line number: what --bless need not rewrite,
 * since comparing ignores it. */
static int same_but_rule_lines(json_t *a, json_t *b) {
  if (json_is_object(a) && json_is_object(b)) {
    if (json_object_size(a) != json_object_size(b)) return 0;
    const char *k;
    json_t *va, *vb;
    json_object_foreach(a, k, va) {
      if (!(vb = json_object_get(b, k))) return 0;
      const char *ra = json_string_value(va), *rb = json_string_value(vb);
      if (is_rule_key(k) && ra && rb) {
        size_t n = rule_stem(ra);
        if (n != rule_stem(rb) || memcmp(ra, rb, n)) return 0;
      } else if (!same_but_rule_lines(va, vb)) return 0;
    }
    return 1;
  }
  if (json_is_array(a) && json_is_array(b)) {
    if (json_array_size(a) != json_array_size(b)) return 0;
    for (size_t i = 0; i < json_array_size(a); i++)
      if (!same_but_rule_lines(json_array_get(a, i), json_array_get(b, i))) return 0;
    return 1;
  }
  return json_equal(a, b);
}

/* Rewrites an expected file, unless it differs from the new record only
 * in rule line numbers: then it is left untouched, so that moving rules
 * within their files does not rewrite every snapshot. */
static void bless(test_run *t, const char *name, const char *exp_path,
                  json_t *want, json_t *got) {
  snapshot_trim(got);
  if (want) snapshot_trim(want);
  if (want && same_but_rule_lines(want, got)) {
    t->passed++;
    return;
  }
  char *s = json_dumps(got, JSON_INDENT(2));
  if (!s || write_file(exp_path, s)) {
    fprintf(stderr, "nerq test: cannot write %s\n", exp_path);
    t->failed++;
  } else {
    size_t n = want ? record_diff(want, got, NULL) : 1;
    if (n) {
      printf("blessed %s (%zu change%s)\n", name, n, n == 1 ? "" : "s");
      if (want) record_diff(want, got, stdout);
    } else printf("blessed %s (rewritten: only fields the comparison ignores changed)\n", name);
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

/* A missing articles/ is no error when the directory has a gold.json. */
static int run_snapshots(test_run *t, int has_gold) {
  char path[4096];
  snprintf(path, sizeof path, "%s/articles", t->dir);
  DIR *d = opendir(path);
  if (!d && has_gold && errno == ENOENT) return 0;
  if (!d) return fprintf(stderr, "nerq test: %s: %s\n", path, strerror(errno)), -1;
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) { /* every article: no cap */
    if (de->d_name[0] == '.' || !(strstr(de->d_name, ".txt") || strstr(de->d_name, ".html")))
      continue;
    if (n == cap) {
      char **nn = realloc(names, (cap = cap ? cap * 2 : 256) * sizeof *nn);
      if (!nn) break;
      names = nn;
    }
    names[n++] = strdup(de->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, nerq_str_cmp);
  for (size_t i = 0; i < n; i++) {
    if (names[i]) test_one(t, names[i]);
    else t->failed++; /* out of memory: never a silent skip */
    free(names[i]);
  }
  free(names);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Gold floors: DIR/gold.json names gold files and their score floors. */
/* ------------------------------------------------------------------ */

#define MAX_SHOWN 50 /* new errors listed after a failed floor */

/* Scores nerq on every line of a gold file; NULL after a message. */
static nerq_eval *score_gold(const test_run *t, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return fprintf(stderr, "nerq test: %s: %s\n", path, strerror(errno)), NULL;
  nerq_eval *ev = nerq_eval_new();
  char *line = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t n;
  while (ev && (n = getline(&line, &cap, f)) > 0) {
    lineno++;
    if (n == 1) continue;
    nerq_doc *doc = cli_gold_doc(t->rules, line, (size_t)n, NULL);
    char *err = NULL;
    if (nerq_eval_add_doc(ev, line, doc, &err)) {
      fprintf(stderr, "nerq test: %s:%zu: %s\n", path, lineno, err ? err : "invalid");
      nerq_eval_free(ev);
      ev = NULL;
    }
    free(err);
    nerq_doc_free(doc);
  }
  free(line);
  fclose(f);
  return ev;
}

/* The report's "errors" list, parsed (a new reference), or NULL. */
static json_t *gold_errors(const nerq_eval *ev) {
  char *s = nerq_eval_report(ev, NERQ_EVAL_JSON | NERQ_EVAL_ERRORS);
  json_t *rep = s ? json_loads(s, 0, NULL) : NULL, *errors = json_incref(json_object_get(rep, "errors"));
  free(s);
  json_decref(rep);
  return errors;
}

/* An error's identity: doc, kind, type, start, end. */
static char *error_key(json_t *e) {
  return fmt("%s\t%s\t%s\t%ld\t%ld", str(e, "doc"), str(e, "kind"), str(e, "type"),
             num(e, "start"), num(e, "end"));
}

/* The sorted keys of an error list (NULL is an empty list). */
static void error_keys(json_t *errors, lines *out) {
  size_t i;
  json_t *e;
  json_array_foreach(errors, i, e) add_line(out, error_key(e));
  if (out->n) qsort(out->v, out->n, sizeof *out->v, nerq_str_cmp);
}

static int has_key(const lines *l, const char *k) {
  return l->n && bsearch(&k, l->v, l->n, sizeof *l->v, nerq_str_cmp);
}

/* How many keys of a are not in b. */
static size_t count_missing(const lines *a, const lines *b) {
  size_t n = 0;
  for (size_t i = 0; i < a->n; i++) n += !has_key(b, a->v[i]);
  return n;
}

/* Copies s into out with newlines shown as ⏎; a long text is cut at a
 * character boundary and ends with "...". */
static void clip_text(const char *s, char *out, size_t size) {
  size_t o = 0;
  for (; *s && o + 7 < size; s++) {
    if (*s == '\n') memcpy(out + o, "\xe2\x8f\x8e", 3), o += 3;
    else out[o++] = *s;
  }
  if (*s && ((unsigned char)*s & 0xC0) == 0x80) {
    while (o && ((unsigned char)out[o - 1] & 0xC0) == 0x80) o--;
    if (o) o--;
  }
  if (*s) memcpy(out + o, "...", 3), o += 3;
  out[o] = '\0';
}

/* `  new FN ORG "Microsoft" in doc [120,129)`, plus the rule of an FP. */
static void print_error(json_t *e, const char *prefix) {
  char text[100];
  clip_text(str(e, "text"), text, sizeof text);
  const char *rule = json_string_value(json_object_get(e, "rule"));
  printf("  %s%s %s \"%s\" in %s [%ld,%ld)%s%s\n", prefix, str(e, "kind"), str(e, "type"),
         text, str(e, "doc"), num(e, "start"), num(e, "end"), rule ? " by " : "",
         rule ? rule : "");
}

/* Lists up to MAX_SHOWN errors that are not in the baseline, or the
 * first errors when there is no baseline. */
static void show_new_errors(json_t *errors, json_t *base, const char *base_path) {
  lines now = {0}, known = {0};
  error_keys(errors, &now);
  error_keys(base, &known);
  size_t fresh = base ? count_missing(&now, &known) : json_array_size(errors), shown = 0, i;
  if (base) printf("  %zu new error%s (not in %s):\n", fresh, fresh == 1 ? "" : "s", base_path);
  else printf("  no baseline %s (nerq test --bless writes it); %zu errors:\n", base_path, fresh);
  json_t *e;
  json_array_foreach(errors, i, e) {
    if (shown == MAX_SHOWN) break;
    char *k = base ? error_key(e) : NULL;
    if (!base || (k && !has_key(&known, k))) print_error(e, base ? "new " : ""), shown++;
    free(k);
  }
  if (fresh > shown) printf("  ... and %zu more\n", fresh - shown);
  free_lines(&now);
  free_lines(&known);
}

/* Checks each floor of one gold file: one test each. */
static void check_floors(test_run *t, const char *name, json_t *floors, const nerq_eval *ev,
                         json_t *errors, json_t *base, const char *base_path) {
  const char *metric;
  json_t *floor;
  int below = 0;
  json_object_foreach(floors, metric, floor) {
    double v;
    if (!json_is_number(floor) || nerq_eval_metric(ev, metric, &v)) {
      printf("FAIL %s %s: unknown metric or floor not a number\n", name, metric);
      t->failed++;
    } else if (v < json_number_value(floor)) {
      printf("FAIL %s %s %.3f < floor %.3f\n", name, metric, v, json_number_value(floor));
      t->failed++;
      below++;
    } else t->passed++;
  }
  if (below) show_new_errors(errors, base, base_path);
}

/* The baseline as one compact error per line. */
static int write_errors(const char *path, json_t *errors) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  int bad = fputs("[\n", f) < 0;
  size_t i, n = json_array_size(errors);
  json_t *e;
  json_array_foreach(errors, i, e) {
    char *s = json_dumps(e, JSON_COMPACT);
    bad |= !s || fprintf(f, "%s%s\n", s, i + 1 < n ? "," : "") < 0;
    free(s);
  }
  bad |= fputs("]\n", f) < 0;
  return fclose(f) != 0 || bad ? -1 : 0;
}

/* Rewrites the baseline and says how it changed. */
static void bless_gold(test_run *t, const char *base_path, json_t *errors, json_t *base) {
  lines now = {0}, old = {0};
  error_keys(errors, &now);
  error_keys(base, &old);
  if (base && same_but_rule_lines(base, errors))
    printf("unchanged %s (%zu errors; rule line numbers aside)\n", base_path,
           json_array_size(errors));
  else if (write_errors(base_path, errors)) {
    fprintf(stderr, "nerq test: cannot write %s\n", base_path);
    t->failed++;
  } else
    printf("blessed %s: %zu errors added, %zu removed (%zu in all)\n", base_path,
           count_missing(&now, &old), count_missing(&old, &now), json_array_size(errors));
  free_lines(&now);
  free_lines(&old);
}

/* DIR/gold/NAME.jsonl -> DIR/gold/NAME.errors.json */
static void baseline_path(const char *path, char *out, size_t size) {
  const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
  size_t stem = dot && (!slash || dot > slash + 1) ? (size_t)(dot - path) : strlen(path);
  snprintf(out, size, "%.*s.errors.json", (int)stem, path);
}

/* The old baseline, or NULL (with a warning if it is unreadable). */
static json_t *load_baseline(const char *base_path) {
  json_error_t je;
  json_t *base = json_load_file(base_path, 0, &je);
  if (!base && access(base_path, F_OK) == 0)
    fprintf(stderr, "nerq test: %s: %s\n", base_path, je.text);
  if (base && !json_is_array(base)) {
    fprintf(stderr, "nerq test: %s: not an array; ignored\n", base_path);
    json_decref(base);
    base = NULL;
  }
  return base;
}

static void run_gold_file(test_run *t, json_t *entry) {
  const char *file = json_string_value(json_object_get(entry, "file"));
  json_t *floors = json_object_get(entry, "floors");
  if (!file || !json_is_object(floors)) {
    printf("FAIL gold.json: each entry needs \"file\" and \"floors\"\n");
    t->failed++;
    return;
  }
  char path[4096], base_path[4096];
  snprintf(path, sizeof path, "%s/%s", t->dir, file);
  baseline_path(path, base_path, sizeof base_path);
  nerq_eval *ev = score_gold(t, path);
  json_t *errors = ev ? gold_errors(ev) : NULL;
  json_t *base = load_baseline(base_path);
  if (!errors) {
    printf("FAIL %s: cannot score it\n", file);
    t->failed++;
  } else {
    check_floors(t, file, floors, ev, errors, base, base_path);
    if (t->bless) bless_gold(t, base_path, errors, base);
  }
  json_decref(base);
  json_decref(errors);
  nerq_eval_free(ev);
}

static void run_gold(test_run *t, const char *manifest) {
  json_error_t je;
  json_t *m = json_load_file(manifest, 0, &je);
  json_t *gold = json_object_get(m, "gold");
  if (!json_is_array(gold)) {
    printf("FAIL %s: %s\n", manifest, m ? "needs a \"gold\" array" : je.text);
    t->failed++;
  }
  size_t i;
  json_t *entry;
  json_array_foreach(gold, i, entry) run_gold_file(t, entry);
  json_decref(m);
}

/* Before --bless: the gold floors, checked without writing anything.
 * When one fails, blessing would hide the regression: refuse, unless
 * --force. */
static int floors_fail(const test_run *t, const char *manifest) {
  test_run g = *t;
  g.bless = 0;
  g.passed = g.failed = 0;
  run_gold(&g, manifest);
  if (!g.failed) return 0;
  printf("nerq test: %d gold floor%s failed; nothing blessed (--bless --force blesses anyway)\n",
         g.failed, g.failed == 1 ? "" : "s");
  printf("%d passed, %d failed\n", g.passed, g.failed);
  return 1;
}

int cli_test(int argc, char **argv) {
  test_run t = {"corpus", NULL, 0, 0, NULL, 0, 0};
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--bless")) t.bless = 1;
    else if (!strcmp(argv[i], "--force")) t.force = 1;
    else if (!strcmp(argv[i], "--rules") && i + 1 < argc) t.rules_dir = argv[++i];
    else if (argv[i][0] == '-') return fprintf(stderr, "nerq test: unknown option %s\n", argv[i]), 2;
    else t.dir = argv[i];
  }
  if (!(t.rules = cli_load_rules(t.rules_dir))) return 2;
  cli_rules_warnings(t.rules);
  char manifest[4096];
  snprintf(manifest, sizeof manifest, "%s/gold.json", t.dir);
  int has_gold = access(manifest, F_OK) == 0;
  if (t.bless && has_gold && !t.force && floors_fail(&t, manifest)) {
    nerq_rules_free(t.rules);
    return 1;
  }
  int bad = run_snapshots(&t, has_gold);
  if (!bad && has_gold) run_gold(&t, manifest);
  nerq_rules_free(t.rules);
  printf("%d passed, %d failed\n", t.passed, t.failed);
  return bad || t.failed ? 1 : 0;
}
