/* cli_common.c - rule discovery and file reading for the nerq command. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

static int is_dir(const char *p) {
  struct stat st;
  return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* rules/ beside the running binary, in buf; NULL if unknown. */
static const char *beside_binary(char *buf, size_t size) {
  ssize_t n = readlink("/proc/self/exe", buf, size - 32);
  if (n <= 0) return NULL;
  buf[n] = '\0';
  char *slash = strrchr(buf, '/');
  if (!slash) return NULL;
  strcpy(slash + 1, "rules");
  return buf;
}

/* Shortens an absolute path under the working directory to a relative
 * one, so messages read "rules/x.rules:3:5". */
static const char *relative(char *path) {
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return path;
  size_t n = strlen(cwd);
  if (!strncmp(path, cwd, n) && path[n] == '/') memmove(path, path + n + 1, strlen(path + n + 1) + 1);
  return path;
}

/* The first rules directory that exists, in the documented order. */
static const char *find_rules(const char *dir, char *buf, size_t size) {
  if (dir) return dir;
  const char *env = getenv("NERQ_RULES");
  if (env && *env) return env;
  if (beside_binary(buf, size) && is_dir(buf)) return relative(buf);
  if (beside_binary(buf, size)) {
    strcpy(strrchr(buf, '/') + 1, "../share/nerq/rules"); /* relocatable */
    if (is_dir(buf)) return buf;
  }
  return NERQ_DATADIR "/rules";
}

const char *cli_rules_dir(const char *dir, char *buf, size_t size) {
  return find_rules(dir, buf, size);
}

nerq_rules *cli_load_rules(const char *dir) {
  char buf[PATH_MAX + 32];
  const char *chosen = find_rules(dir, buf, sizeof buf);
  nerq_rules *r = NULL;
  char *err = NULL;
  nerq_status st = nerq_rules_load(chosen, &r, &err);
  if (st) {
    fprintf(stderr, "nerq: %s\n", err ? err : nerq_status_message(st));
    free(err);
    return NULL;
  }
  return r;
}

void cli_rules_warnings(const nerq_rules *rules) {
  for (size_t i = 0; i < nerq_rules_warning_count(rules); i++)
    fprintf(stderr, "nerq: %s\n", nerq_rules_warning(rules, i));
}

int cli_read_file(const char *path, char **buf, size_t *len) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) return errno ? errno : EIO;
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap);
  int err = 0;
  while (b) {
    if (n == cap) {
      char *nb = realloc(b, cap *= 2);
      if (!nb) {
        free(b);
        b = NULL;
        break;
      }
      b = nb;
    }
    size_t got = fread(b + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      err = ferror(f) ? (errno ? errno : EIO) : 0;
      break;
    }
  }
  if (f != stdin) fclose(f);
  if (!b) return ENOMEM;
  if (err) {
    free(b);
    return err;
  }
  *buf = b;
  *len = n;
  return 0;
}

static const char *rdf_base; /* set once, before any thread starts */

void cli_set_base(const char *base) { rdf_base = base; }

/* The document's graph, without the final newline of N-Triples (the
 * writer adds one after each record). */
static char *graph_record(const nerq_doc *doc, const char *id, const char *meta, int flags) {
  json_t *raw = flags & NERQ_JSON_RAW_ID ? json_loads(id, JSON_DECODE_ANY, NULL) : NULL;
  if (raw) id = json_string_value(raw); /* a JSONL id, given as JSON text */
  char *s = nerq_doc_to_rdf(doc, id, meta, rdf_base, CLI_FORMAT(flags), flags & NERQ_JSON_PRETTY);
  json_decref(raw);
  size_t n = s ? strlen(s) : 0;
  if (n && s[n - 1] == '\n') s[n - 1] = '\0';
  return s;
}

char *cli_extract(const nerq_rules *rules, const char *id, const char *text,
                  size_t len, const char *meta, int flags, nerq_status *status) {
  return cli_extract_opts(rules, id, text, len, meta, flags, status, NULL);
}

/* The CoNLL columns without the blank line that ends the last sentence
 * (each record gets a newline when written). */
static char *conll_record(const nerq_doc *doc, const char *id) {
  char *s = nerq_doc_to_conll(doc, id, 0);
  size_t n = s ? strlen(s) : 0;
  if (n && s[n - 1] == '\n') s[n - 1] = '\0';
  return s;
}

/* The document in the format of the flags. */
static char *format_doc(const nerq_doc *doc, const char *id, const char *meta, int flags) {
  switch (CLI_FORMAT(flags)) {
  case 0: return nerq_doc_to_json(doc, id, meta, flags & (NERQ_JSON_PRETTY | NERQ_JSON_RAW_ID));
  case CLI_FORMAT_HTML: return nerq_doc_to_html(doc, id, meta, 0);
  case CLI_FORMAT_CONLL: return conll_record(doc, id);
  default: return graph_record(doc, id, meta, flags);
  }
}

char *cli_extract_opts(const nerq_rules *rules, const char *id, const char *text,
                       size_t len, const char *meta, int flags,
                       nerq_status *status, char **error) {
  nerq_doc *doc = NULL;
  *status = nerq_doc_process_opts(rules, text, len, CLI_OPTS(flags), &doc, error);
  if (*status) return NULL;
  char *json = format_doc(doc, id, meta, flags);
  nerq_doc_free(doc);
  if (!json) *status = NERQ_ERR_NOMEM;
  return json;
}

nerq_doc *cli_gold_doc(const nerq_rules *rules, const char *line, size_t n, char **record) {
  json_t *g = json_loadb(line, n, 0, NULL);
  json_t *text = json_object_get(g, "text");
  nerq_doc *doc = NULL;
  if (json_is_string(text) &&
      nerq_doc_process_opts(rules, json_string_value(text), json_string_length(text), CLI_OPTS(0), &doc, NULL))
    doc = NULL;
  if (record) *record = doc ? nerq_doc_to_json(doc, json_string_value(json_object_get(g, "id")), NULL, 0) : NULL;
  json_decref(g);
  return doc;
}

/* The names of the document's runaway rules, one a line, malloc'd, or
 * NULL if none (or out of memory: only the summary loses them). */
static char *runaway_names(const nerq_doc *doc) {
  size_t n = nerq_doc_runaway_count(doc), len = 0;
  for (size_t i = 0; i < n; i++) len += strlen(nerq_doc_runaway_rule(doc, i)) + 1;
  char *s = n ? malloc(len + 1) : NULL;
  if (!s) return NULL;
  s[0] = '\0';
  for (size_t i = 0; i < n; i++) strcat(strcat(s, nerq_doc_runaway_rule(doc, i)), "\n");
  return s;
}

/* Where a record goes: made whole (write NULL), or written in pieces. */
typedef struct {
  nerq_write_fn write;
  void *ctx;
} record_to;

/* The record of a processed document: the format's string, or "" once
 * written to `to` in pieces; NULL (and *st set) when it could not be
 * made. */
static char *record_of(const nerq_doc *doc, const char *id, const char *meta, int flags,
                       const record_to *to, nerq_status *st) {
  if (!to->write) {
    char *rec = format_doc(doc, id, meta, flags);
    if (!rec) *st = NERQ_ERR_NOMEM;
    return rec;
  }
  *st = nerq_doc_write_json(doc, id, meta, flags & (NERQ_JSON_PRETTY | NERQ_JSON_RAW_ID), to->write,
                            to->ctx);
  return *st ? NULL : strdup("");
}

static char *process_to(const nerq_rules *rules, const char *id, char *text, size_t len,
                        const char *meta, int flags, const record_to *to, size_t *warnings,
                        char **runaway, char **err_line) {
  nerq_doc *doc = NULL;
  char *msg = NULL;
  nerq_status st = nerq_doc_process_take(rules, text, len, CLI_OPTS(flags), &doc, &msg);
  if (!st && CLI_FORMAT(flags) != CLI_FORMAT_CONLL) nerq_doc_release_tokens(doc); /* not read */
  nerq_status made = NERQ_OK;
  char *rec = st ? NULL : record_of(doc, id, meta, flags, to, &made);
  *warnings = rec ? nerq_doc_warning_count(doc) : 0;
  *runaway = rec ? runaway_names(doc) : NULL;
  *err_line = NULL;
  nerq_doc_free(doc);
  if (rec || (!st && to->write)) { /* a record begun in pieces gets no error record */
    free(msg);
    return rec;
  }
  rec = cli_error_record(id, msg ? msg : nerq_status_message(st ? st : made), flags, err_line);
  free(msg);
  return rec;
}

char *cli_process_one(const nerq_rules *rules, const char *id, char *text, size_t len,
                      const char *meta, int flags, size_t *warnings, char **runaway,
                      char **err_line) {
  record_to to = {NULL, NULL};
  return process_to(rules, id, text, len, meta, flags, &to, warnings, runaway, err_line);
}

char *cli_process_stream(const nerq_rules *rules, const char *id, char *text, size_t len,
                         const char *meta, int flags, nerq_write_fn write, void *ctx,
                         size_t *warnings, char **runaway, char **err_line) {
  record_to to = {write, ctx};
  return process_to(rules, id, text, len, meta, flags, &to, warnings, runaway, err_line);
}
