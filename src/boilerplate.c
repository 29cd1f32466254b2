/* boilerplate.c - support appeals, comment prompts and share bars in an
 * article's text, found with the rules in rules/boilerplate/NAME.rules
 * (docs/rules.md, "Boilerplate"). Each rule is one line:
 *
 *   NAME line  : REGEX                 the match on a line is boilerplate
 *   NAME block : START => END          from the line START matches to the
 *                                      end of the last END match within
 *                                      the next BLOCK_LINES lines
 *
 * REGEXes are PCRE2 (UTF, UCP), matched against one line at a time
 * (without its line break). A span that covers its whole line also
 * takes the line break after it, so that dropping it leaves no empty
 * line. The spans are sorted and do not overlap. */
#define _POSIX_C_SOURCE 200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"
#include "regex_jit.h"

#define BLOCK_LINES 8

typedef struct {
  char *name, *source;
  pcre2_code *start, *end;       /* end is NULL for a line rule */
  atomic_int start_jit, end_jit; /* regex_jit.h: JIT-compiled on first use */
} boiler_rule;

struct nerq_boiler_rules {
  boiler_rule *rules;
  size_t n;
};

void nerq_boiler_free(nerq_boiler_rules *b) {
  if (!b) return;
  for (size_t i = 0; i < b->n; i++) {
    pcre2_code_free(b->rules[i].start);
    pcre2_code_free(b->rules[i].end);
    free(b->rules[i].name);
    free(b->rules[i].source);
  }
  free(b->rules);
  free(b);
}

/* "path:line:col: message", the line and a caret, malloc'd. */
static char *located(const char *path, size_t lineno, const char *line, size_t col,
                     const char *msg) {
  size_t len = strcspn(line, "\n"), need = strlen(path) + strlen(msg) + 2 * len + col + 64;
  char *e = malloc(need);
  if (!e) return NULL;
  int n = snprintf(e, need, "%s:%zu:%zu: %s\n%.*s\n", path, lineno, col + 1, msg, (int)len, line);
  for (size_t i = 0; i < col && n > 0 && (size_t)n + 2 < need; i++) e[n++] = line[i] == '\t' ? '\t' : ' ';
  if (n > 0) {
    e[n++] = '^';
    e[n] = '\0';
  }
  return e;
}

static pcre2_code *compile(const char *s, size_t n, size_t *errcol) {
  int err;
  PCRE2_SIZE off;
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)s, n, PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
  if (!re) *errcol = off; /* JIT-compiled on first use (try_rule) */
  return re;
}

/* Parses "NAME KIND : REGEX [=> REGEX]" into r; on error returns a
 * static message and the column in *col. */
static const char *parse_rule(const char *line, boiler_rule *r, size_t *col) {
  size_t nl = strcspn(line, " \t"), k = nl + strspn(line + nl, " \t");
  size_t kl = strcspn(line + k, " \t:");
  int block = kl == 5 && !strncmp(line + k, "block", 5);
  if (!nl || (!block && !(kl == 4 && !strncmp(line + k, "line", 4)))) return *col = k, "expected NAME line|block : REGEX";
  const char *p = strchr(line + k, ':');
  if (!p) return *col = k + kl, "expected ':' before the regex";
  p += 1 + strspn(p + 1, " \t");
  const char *arrow = block ? strstr(p, " => ") : NULL;
  if (block && !arrow) return *col = (size_t)(p - line), "a block rule needs START => END";
  size_t sl = arrow ? (size_t)(arrow - p) : strcspn(p, "\r\n"), ec = 0;
  if (!(r->start = compile(p, sl, &ec))) return *col = (size_t)(p - line) + ec, "bad regex";
  if (arrow) {
    const char *e = arrow + 4;
    if (!(r->end = compile(e, strcspn(e, "\r\n"), &ec))) return *col = (size_t)(e - line) + ec, "bad regex";
  }
  r->name = strndup(line, nl);
  return r->name ? NULL : "out of memory";
}

static nerq_status add_line(nerq_boiler_rules *b, const char *path, size_t lineno,
                            const char *line, char **error) {
  boiler_rule *nr = realloc(b->rules, (b->n + 1) * sizeof *nr);
  if (!nr) return NERQ_ERR_NOMEM;
  b->rules = nr;
  boiler_rule *r = memset(&b->rules[b->n++], 0, sizeof *r);
  size_t col = 0;
  const char *msg = parse_rule(line, r, &col);
  if (msg) {
    *error = located(path, lineno, line, col, msg);
    return NERQ_ERR_RULES;
  }
  const char *slash = strrchr(path, '/');
  char src[512];
  snprintf(src, sizeof src, "boilerplate/%.400s:%zu", slash ? slash + 1 : path, lineno);
  return (r->source = strdup(src)) ? NERQ_OK : NERQ_ERR_NOMEM;
}

static nerq_status load_file(nerq_boiler_rules *b, const char *path, char **error) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    *error = located(path, 0, "", 0, strerror(errno));
    return NERQ_ERR_IO;
  }
  char *line = NULL;
  size_t cap = 0, lineno = 0;
  nerq_status st = NERQ_OK;
  while (!st && getline(&line, &cap, f) > 0) {
    lineno++;
    const char *p = line + strspn(line, " \t");
    if (*p && *p != '#' && *p != '\n' && *p != '\r') st = add_line(b, path, lineno, line, error);
  }
  free(line);
  fclose(f);
  return st;
}

static int rules_file(const struct dirent *de) {
  size_t n = strlen(de->d_name);
  return de->d_name[0] != '.' && n > 6 && !strcmp(de->d_name + n - 6, ".rules");
}

nerq_status nerq_boiler_load(const char *dir, nerq_boiler_rules **out, char **error) {
  *out = NULL;
  *error = NULL;
  char path[4096];
  snprintf(path, sizeof path, "%s/boilerplate", dir);
  struct dirent **names = NULL;
  int n = scandir(path, &names, rules_file, alphasort);
  if (n < 0) return NERQ_OK; /* no boilerplate rules */
  nerq_boiler_rules *b = calloc(1, sizeof *b);
  nerq_status st = b ? NERQ_OK : NERQ_ERR_NOMEM;
  for (int i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/boilerplate/%s", dir, names[i]->d_name);
    if (!st) st = load_file(b, path, error);
    free(names[i]);
  }
  free(names);
  if (st) {
    nerq_boiler_free(b);
    return st;
  }
  *out = b;
  return NERQ_OK;
}

/* -- finding -------------------------------------------------------- */

/* Searches line [s, s+n) with re; stores the match in [*a, *z). */
static int search(const pcre2_code *re, pcre2_match_data *md, const char *s, size_t n,
                  size_t *a, size_t *z) {
  if (pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL) < 0) return 0;
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
  if (ov[1] <= ov[0]) return 0;
  *a = ov[0];
  *z = ov[1];
  return 1;
}

/* The offset of the line break that ends the line holding `at`, or len. */
static size_t line_end(const char *t, size_t len, size_t at) {
  const char *nl = memchr(t + at, '\n', len - at);
  return nl ? (size_t)(nl - t) : len;
}

/* Tries rule r at the line [ls, le); on a match stores the span. */
static int try_rule(const boiler_rule *r, pcre2_match_data *md, const char *t, size_t len,
                    size_t ls, size_t le, size_t *a, size_t *z) {
  size_t ma, mz;
  nerq_jit_once(r->start, (atomic_int *)&r->start_jit);
  if (!search(r->start, md, t + ls, le - ls, &ma, &mz)) return 0;
  *a = ls + ma;
  *z = ls + mz;
  if (!r->end) return 1;
  *a = ls;
  *z = le;
  nerq_jit_once(r->end, (atomic_int *)&r->end_jit);
  size_t s = ls;
  for (int k = 0; k < BLOCK_LINES && s < len; k++) {
    size_t e = line_end(t, len, s);
    if (k && search(r->end, md, t + s, e - s, &ma, &mz)) *z = s + mz;
    s = e + 1;
  }
  return 1;
}

static nerq_status push(nerq_arena *a, nerq_vec *spans, const char *t, size_t len,
                        size_t s, size_t *zp, const char *rule) {
  size_t z = *zp;
  int whole = (s == 0 || t[s - 1] == '\n') && (z == len || t[z] == '\n');
  if (whole && z < len) z++;
  *zp = z;
  nerq_boiler *b = nerq_vec_push(a, spans);
  if (!b) return NERQ_ERR_NOMEM;
  b->start = (uint32_t)s;
  b->end = (uint32_t)z;
  b->rule = rule;
  return NERQ_OK;
}

nerq_status nerq_boiler_find(nerq_arena *a, const nerq_boiler_rules *b,
                             const char *t, size_t len, nerq_vec *spans) {
  if (!b || !b->n) return NERQ_OK;
  pcre2_match_data *md = pcre2_match_data_create(16, NULL);
  if (!md) return NERQ_ERR_NOMEM;
  nerq_status st = NERQ_OK;
  for (size_t ls = 0; ls < len && !st;) {
    size_t le = line_end(t, len, ls), s = 0, z = 0;
    size_t i = 0;
    while (i < b->n && !try_rule(&b->rules[i], md, t, len, ls, le, &s, &z)) i++;
    if (i == b->n) {
      ls = le + 1;
      continue;
    }
    st = push(a, spans, t, len, s, &z, b->rules[i].source);
    ls = t[z - 1] == '\n' ? z : line_end(t, len, z) + 1; /* the next line */
  }
  pcre2_match_data_free(md);
  return st;
}
