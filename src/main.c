/* main.c - the nerq command: parses arguments, finds the rules, reads
 * documents, calls libnerq and prints JSON Lines. Subcommands eval,
 * test and explain live in cli_*.c. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "nerq.h"

static const char usage_text[] =
    "usage: nerq [OPTIONS] [PATH...]\n"
    "       nerq eval GOLD.jsonl [--input jsonl|conll] [--pred PRED.jsonl] [--json]\n"
    "                 [--errors]\n"
    "       nerq test [DIR] [--bless]\n"
    "       nerq explain TEXT|FILE\n"
    "\n"
    "Extracts PERSON, ORG and PLACE entities and attributed quotes from news\n"
    "articles and writes one JSON record per document (JSON Lines).\n"
    "A PATH is a file, a directory (walked recursively in sorted order) or -\n"
    "for standard input; with no PATH, nerq reads standard input.\n"
    "\n"
    "options:\n"
    "  --rules DIR         rule directory (default: $NERQ_RULES, then rules/\n"
    "                      beside the binary, then " NERQ_DATADIR "/rules)\n"
    "  --input text|jsonl|conll\n"
    "                      text: each file is one document (default);\n"
    "                      jsonl: each line is {\"id\":..., \"text\":...};\n"
    "                      conll: CoNLL-2003 columns (TOKEN [POS CHUNK] TAG),\n"
    "                      each -DOCSTART- starts a document, ids PATH#1, ...\n"
    "  --pretty            indent the JSON output\n"
    "  --format json|jsonld|ntriples\n"
    "                      json: nerq's record (default); jsonld: schema.org\n"
    "                      JSON-LD, one document per line; ntriples: the same\n"
    "                      graph as N-Triples (see docs/graph.md)\n"
    "  --base IRI          IRI under which entities and articles are named\n"
    "                      (default " NERQ_DEFAULT_BASE ")\n"
    "  -j, --jobs N        documents processed by N threads at once (default:\n"
    "                      the number of cores); the output is the same and\n"
    "                      in input order\n"
    "  -o, --output FILE   write to FILE instead of standard output\n"
    "  -h, --help          show this help\n"
    "  --version           print the version\n"
    "\n"
    "examples:\n"
    "  nerq corpus/articles/alibaba-london.txt\n"
    "  nerq --pretty article.txt\n"
    "  find news -name '*.txt' | xargs nerq -o out.jsonl\n"
    "  nerq --input jsonl docs.jsonl > entities.jsonl\n"
    "  nerq --input conll eng.testb > pred.jsonl\n"
    "  nerq eval --input conll eng.testb --pred pred.jsonl\n"
    "  nerq eval gold.jsonl --errors\n";

enum { INPUT_TEXT, INPUT_JSONL, INPUT_CONLL };

typedef struct {
  const char *rules_dir;
  int input; /* INPUT_* */
  int pretty;
  int format; /* 0: nerq JSON, else NERQ_RDF_* */
  const char *base;
  const char *out_path;
  int jobs; /* 0: the number of cores */
  char **paths;
  int npaths;
} options;

static int usage_error(const char *msg, const char *arg) {
  fprintf(stderr, "nerq: %s%s%s\nTry 'nerq --help'.\n", msg, arg ? ": " : "", arg ? arg : "");
  return 2;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, options *o) {
  o->paths = calloc((size_t)argc + 1, sizeof *o->paths);
  if (!o->paths) return 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { fputs(usage_text, stdout); return 0; }
    else if (!strcmp(a, "--version")) { printf("nerq %s\n", NERQ_VERSION); return 0; }
    else if (!strcmp(a, "--pretty")) o->pretty = 1;
    else if (!strcmp(a, "--base") && more) o->base = argv[++i];
    else if (!strcmp(a, "--format") && more) {
      const char *v = argv[++i];
      if (!strcmp(v, "jsonld")) o->format = NERQ_RDF_JSONLD;
      else if (!strcmp(v, "ntriples")) o->format = NERQ_RDF_NTRIPLES;
      else if (strcmp(v, "json")) return usage_error("--format takes json, jsonld or ntriples", v);
    }
    else if (!strcmp(a, "--rules") && more) o->rules_dir = argv[++i];
    else if ((!strcmp(a, "-j") || !strcmp(a, "--jobs")) && more) {
      char *end;
      long n = strtol(argv[++i], &end, 10);
      if (*end || n < 1 || n > 1024) return usage_error("-j takes a number from 1 to 1024", argv[i]);
      o->jobs = (int)n;
    }
    else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && more) o->out_path = argv[++i];
    else if (!strcmp(a, "--input") && more) {
      const char *v = argv[++i];
      if (!strcmp(v, "jsonl")) o->input = INPUT_JSONL;
      else if (!strcmp(v, "conll")) o->input = INPUT_CONLL;
      else if (strcmp(v, "text")) return usage_error("--input takes text, jsonl or conll", v);
    } else if (!strcmp(a, "--")) {
      while (++i < argc) o->paths[o->npaths++] = argv[i];
    } else if (a[0] == '-' && a[1]) return usage_error("unknown or incomplete option", a);
    else o->paths[o->npaths++] = argv[i];
  }
  return -1;
}

typedef struct {
  const nerq_rules *rules;
  FILE *out;
  int flags;
  int failed;
  cli_pool *pool; /* runs the pipeline, hands records back in order */
} run_ctx;

/* Where the pool hands each record, in input order. */
static void write_record(void *ctx, const char *record, const char *err_line) {
  run_ctx *c = ctx;
  if (record) fprintf(c->out, "%s\n", record);
  if (err_line) { fputs(err_line, stderr); c->failed = 1; }
}

static void emit_error(run_ctx *c, const char *doc, const char *msg) {
  char *err_line = NULL;
  char *rec = cli_error_record(doc, msg, c->flags, &err_line);
  if (!err_line) c->failed = 1;
  cli_pool_submit_record(c->pool, rec, err_line);
}

/* Queues one document; the pool owns id, text and meta afterwards. */
static void emit_owned(run_ctx *c, char *id, char *text, size_t len, char *meta) {
  if (!id || !text) {
    emit_error(c, id, nerq_status_message(NERQ_ERR_NOMEM));
    free(id); free(text); free(meta);
    return;
  }
  cli_pool_submit(c->pool, id, text, len, meta);
}

static char *dup_bytes(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) { memcpy(d, s, n); d[n] = '\0'; }
  return d;
}

static void emit_doc(run_ctx *c, const char *id, const char *text, size_t len,
                     const char *meta) {
  emit_owned(c, id ? strdup(id) : NULL, dup_bytes(text, len), len, meta ? strdup(meta) : NULL);
}

/* One JSONL line: {"id":..., "text":..., other fields -> meta}. */
static void jsonl_line(run_ctx *c, const char *line, size_t n, const char *where) {
  json_error_t err;
  json_t *o = json_loadb(line, n, JSON_ALLOW_NUL, &err);
  json_t *text = o ? json_object_get(o, "text") : NULL;
  if (!o || !json_is_object(o) || !json_is_string(text)) {
    emit_error(c, where, o ? "line has no \"text\" string" : err.text);
    json_decref(o);
    return;
  }
  json_t *idv = json_object_get(o, "id");
  char *id = json_is_string(idv) ? strdup(json_string_value(idv))
             : idv ? json_dumps(idv, JSON_ENCODE_ANY) : strdup(where);
  json_t *meta = json_deep_copy(o);
  json_object_del(meta, "id");
  json_object_del(meta, "text");
  char *meta_s = json_object_size(meta) ? json_dumps(meta, JSON_COMPACT) : NULL;
  emit_owned(c, id, dup_bytes(json_string_value(text), json_string_length(text)),
             json_string_length(text), meta_s);
  json_decref(meta);
  json_decref(o);
}

static void run_jsonl(run_ctx *c, const char *path) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) { emit_error(c, path, strerror(errno)); return; }
  char *line = NULL, where[PATH_MAX + 32];
  size_t cap = 0, lineno = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) > 0) {
    lineno++;
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    if (!n) continue;
    snprintf(where, sizeof where, "%s:%zu", path, lineno);
    jsonl_line(c, line, (size_t)n, where);
  }
  free(line);
  if (f != stdin) fclose(f);
}

static void run_text(run_ctx *c, const char *path) {
  char *buf = NULL;
  size_t len = 0;
  int err = cli_read_file(path, &buf, &len);
  if (err) { emit_error(c, path, strerror(err)); return; }
  emit_owned(c, strdup(path), buf, len, NULL);
}

/* Each CoNLL document is one record, with the id "PATH#N". */
static void run_conll(run_ctx *c, const char *path) {
  cli_conll *r = NULL;
  cli_conll_doc d;
  int err = cli_conll_open(path, "nerq", &r);
  while (!err && !(err = cli_conll_next(r, &d))) emit_doc(c, d.id, d.text, d.len, NULL);
  if (err != EOF) emit_error(c, path, strerror(err));
  cli_conll_close(r);
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(run_ctx *c, const char *path, int input, int depth);

static void run_dir(run_ctx *c, const char *path, int input, int depth) {
  DIR *d = opendir(path);
  if (!d) { emit_error(c, path, strerror(errno)); return; }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    if (n == cap) {
      char **nn = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *nn);
      if (!nn) break;
      names = nn;
    }
    if ((names[n] = strdup(de->d_name))) n++;
  }
  closedir(d);
  if (names) qsort(names, n, sizeof *names, cmp_names);
  for (size_t i = 0; i < n; i++) {
    size_t l = strlen(path) + strlen(names[i]) + 2;
    char *child = malloc(l);
    if (child) {
      snprintf(child, l, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
      run_path(c, child, input, depth + 1);
    }
    free(child);
    free(names[i]);
  }
  free(names);
}

static void run_path(run_ctx *c, const char *path, int input, int depth) {
  struct stat st;
  if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (depth < 64) run_dir(c, path, input, depth);
    return;
  }
  if (input == INPUT_JSONL) run_jsonl(c, path);
  else if (input == INPUT_CONLL) run_conll(c, path);
  else run_text(c, path);
}

static int extract(options *o) {
  nerq_rules *rules = cli_load_rules(o->rules_dir);
  if (!rules) return 2;
  run_ctx c = {rules, stdout, (o->pretty ? NERQ_JSON_PRETTY : 0) | o->format << CLI_FORMAT_SHIFT, 0, NULL};
  cli_set_base(o->base);
  if (o->out_path && !(c.out = fopen(o->out_path, "w"))) {
    fprintf(stderr, "nerq: %s: %s\n", o->out_path, strerror(errno));
    nerq_rules_free(rules);
    return 2;
  }
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  int jobs = o->jobs ? o->jobs : cores > 1 ? (int)(cores < 64 ? cores : 64) : 1;
  if (!(c.pool = cli_pool_new(rules, c.flags, jobs, write_record, &c))) {
    fprintf(stderr, "nerq: cannot start %d threads\n", jobs);
    if (c.out != stdout) fclose(c.out);
    nerq_rules_free(rules);
    return 2;
  }
  if (o->npaths == 0) run_path(&c, "-", o->input, 0);
  for (int i = 0; i < o->npaths; i++) run_path(&c, o->paths[i], o->input, 0);
  cli_pool_free(c.pool);
  int bad = fflush(c.out) != 0 || ferror(c.out);
  if (c.out != stdout) bad |= fclose(c.out) != 0;
  if (bad) fprintf(stderr, "nerq: error writing output\n");
  nerq_rules_free(rules);
  return bad || c.failed ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "eval")) return cli_eval(argc - 1, argv + 1);
  if (argc > 1 && !strcmp(argv[1], "test")) return cli_test(argc - 1, argv + 1);
  if (argc > 1 && !strcmp(argv[1], "explain")) return cli_explain(argc - 1, argv + 1);
  options o = {0};
  int st = parse_args(argc, argv, &o);
  if (st < 0) st = extract(&o);
  free(o.paths);
  return st;
}
