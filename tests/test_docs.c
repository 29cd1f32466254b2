/* test_docs.c - runs the examples of docs/rules.md, so that the manual
 * cannot drift from the rule language. In the manual:
 *
 *   ```nerq-rules     a rules file, loaded with the project's lists and
 *                     gazetteers (rules/lists, rules/gazetteer) only
 *   ```nerq-text      a document, processed with the rules block above
 *   ```nerq-expect    lines "TYPE name": an entity of that type and
 *                     name is found; "!TYPE name": none is
 *   ```nerq-error     a rules file, a line "---", then the exact error
 *                     message that loading it gives
 *
 * Every example is one cmocka test, named after its line in the manual. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nerq.h"

#define MAX_EXAMPLES 64
#define MAX_TEXTS 4

typedef struct {
  char name[64];
  char *rules;                               /* malloc'd block contents */
  char *text[MAX_TEXTS], *expect[MAX_TEXTS]; /* documents and what they give */
  int ntext;
  int error; /* a nerq-error block: rules "---" message */
} example;

static char tmpdir[64];
static char root[PATH_MAX];

/* The contents of the fenced block that starts after line *p, up to
 * the closing fence; *p moves past it. */
static char *block(const char **p) {
  const char *start = strchr(*p, '\n');
  start = start ? start + 1 : *p + strlen(*p);
  const char *end = strstr(start, "\n```");
  size_t n = end ? (size_t)(end - start) + 1 : strlen(start);
  char *s = malloc(n + 1);
  memcpy(s, start, n);
  s[n] = '\0';
  *p = end ? end + 4 : start + n;
  return s;
}

static int read_examples(const char *md, example *ex) {
  int n = 0, line = 1;
  for (const char *p = md; *p;) {
    const char *fence = strstr(p, "```nerq-");
    if (!fence) break;
    for (const char *q = p; q < fence; q++) line += *q == '\n';
    const char *kind = fence + 8;
    p = fence;
    if (!strncmp(kind, "rules", 5) || !strncmp(kind, "error", 5)) {
      if (n == MAX_EXAMPLES) break;
      memset(&ex[n], 0, sizeof ex[n]);
      ex[n].error = kind[0] == 'e';
      snprintf(ex[n].name, sizeof ex[n].name, "docs/rules.md:%d", line);
      ex[n++].rules = block(&p);
    } else if (n && !strncmp(kind, "text", 4) && ex[n - 1].ntext < MAX_TEXTS) {
      ex[n - 1].text[ex[n - 1].ntext++] = block(&p);
    } else if (n && !strncmp(kind, "expect", 6) && ex[n - 1].ntext) {
      example *e = &ex[n - 1];
      free(e->expect[e->ntext - 1]);
      e->expect[e->ntext - 1] = block(&p);
    } else p = kind;
    for (const char *q = fence; q < p; q++) line += *q == '\n';
  }
  return n;
}

static void link_dir(const char *sub) {
  char from[PATH_MAX + 32], to[128];
  snprintf(from, sizeof from, "%s/rules/%s", root, sub);
  snprintf(to, sizeof to, "%s/%s", tmpdir, sub);
  assert_int_equal(symlink(from, to), 0);
}

static void write_rules(const char *text) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s/*", tmpdir);
  assert_int_equal(system(cmd), 0);
  link_dir("lists");
  link_dir("gazetteer");
  char path[128];
  snprintf(path, sizeof path, "%s/example.rules", tmpdir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* True if the document has an entity of this type and name. */
static int has_entity(const nerq_doc *doc, const char *type, const char *name) {
  for (size_t i = 0; i < nerq_doc_entity_count(doc); i++)
    if (!strcmp(nerq_doc_entity_type(doc, i), type) && !strcmp(nerq_doc_entity_name(doc, i), name))
      return 1;
  return 0;
}

static void check_expect(const nerq_doc *doc, char *expect, const char *where) {
  int checks = 0;
  for (char *line = strtok(expect, "\n"); line; line = strtok(NULL, "\n")) {
    int neg = line[0] == '!';
    char *type = line + neg, *sp = strchr(type, ' ');
    if (!sp) continue;
    *sp = '\0';
    int found = has_entity(doc, type, sp + 1);
    if (found == neg) fail_msg("%s: %s%s %s: %s", where, neg ? "!" : "", type, sp + 1,
                               neg ? "found, but should not be" : "not found");
    checks++;
  }
  assert_true(checks > 0);
}

static void run_example(void **state) {
  example *ex = *state;
  char *msg = NULL;
  if (ex->error) {
    char *sep = strstr(ex->rules, "\n---\n");
    assert_non_null(sep);
    sep[1] = '\0';
    write_rules(ex->rules);
    nerq_rules *r = NULL;
    assert_int_equal(nerq_rules_load(tmpdir, &r, &msg), NERQ_ERR_RULES);
    assert_non_null(msg);
    const char *got = strstr(msg, "example.rules:"), *want = sep + 5;
    size_t wn = strlen(want);
    while (wn && want[wn - 1] == '\n') wn--;
    if (!got || strlen(got) != wn || strncmp(got, want, wn))
      fail_msg("%s: error\n%s\nexpected\n%.*s", ex->name, got ? got : msg, (int)wn, want);
    free(msg);
    return;
  }
  write_rules(ex->rules);
  nerq_rules *r = NULL;
  nerq_status st = nerq_rules_load(tmpdir, &r, &msg);
  if (st) fail_msg("%s: %s", ex->name, msg ? msg : "load failed");
  for (int k = 0; k < ex->ntext; k++) {
    if (!ex->expect[k]) fail_msg("%s: a nerq-text with no nerq-expect after it", ex->name);
    nerq_doc *doc = NULL;
    assert_int_equal(nerq_doc_process(r, ex->text[k], strlen(ex->text[k]), &doc), NERQ_OK);
    check_expect(doc, ex->expect[k], ex->name);
    nerq_doc_free(doc);
  }
  nerq_rules_free(r);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  s[fread(s, 1, (size_t)n, f)] = '\0';
  fclose(f);
  return s;
}

int main(void) {
  if (!getcwd(root, sizeof root)) return 1;
  char *md = slurp("docs/rules.md");
  if (!md) {
    fprintf(stderr, "test_docs: run from the repository root\n");
    return 1;
  }
  snprintf(tmpdir, sizeof tmpdir, "/tmp/nerq-docs-XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  static example ex[MAX_EXAMPLES];
  static struct CMUnitTest tests[MAX_EXAMPLES];
  int n = read_examples(md, ex);
  for (int i = 0; i < n; i++)
    tests[i] = (struct CMUnitTest){ex[i].name, run_example, NULL, NULL, &ex[i]};
  int failed = n ? _cmocka_run_group_tests("docs/rules.md examples", tests, (size_t)n, NULL, NULL) : 1;
  if (!n) fprintf(stderr, "test_docs: no examples found in docs/rules.md\n");
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd)) {}
  for (int i = 0; i < n; i++) {
    free(ex[i].rules);
    for (int k = 0; k < ex[i].ntext; k++) free(ex[i].text[k]), free(ex[i].expect[k]);
  }
  free(md);
  return failed ? 1 : 0;
}
