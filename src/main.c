/* main.c - the nerq command: parses arguments, finds the rules, reads
 * documents, calls libnerq and prints JSON Lines. Subcommands eval,
 * test and explain live in cli_*.c. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"
#include "nerq.h"

static const char usage_text[] =
    "usage: nerq [OPTIONS] [PATH...]\n"
    "       nerq eval GOLD.jsonl [--input jsonl|conll] [--pred PRED.jsonl] [--json]\n"
    "                 [--errors] [--html FILE]\n"
    "       nerq test [DIR] [--bless [--force]]\n"
    "       nerq explain TEXT|FILE\n"
    "       nerq compile [--rules DIR] [-o FILE]   (DIR/rules.nqi: start-up in milliseconds)\n"
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
    "                      each -DOCSTART- starts a document, ids PATH#1, ...;\n"
    "                      html: each file is a web page; its article text is\n"
    "                      extracted and carried in the record as \"text\"\n"
    "  --boilerplate keep|flag|drop\n"
    "                      support appeals, comment prompts (rules/boilerplate/):\n"
    "                      keep (default), flag (a \"boilerplate\" array of spans)\n"
    "                      or drop (cut from the text, which the record carries)\n"
    "  --id-field NAME     jsonl: the field holding the id (default: id)\n"
    "  --text-field NAME   jsonl: the field holding the text (default: text)\n"
    "  -T, --files-from FILE\n"
    "                      read more PATHs from FILE, one a line (- : standard\n"
    "                      input)\n"
    "  -0, --null          names in --files-from end with NUL, not a new line\n"
    "  --follow            walk into symbolic links to directories (loops are\n"
    "                      found and reported)\n"
    "  --max-doc-bytes N   a larger document (or JSONL line) gets an error\n"
    "                      record, unread (default 256M; K, M, G suffixes)\n"
    "  --pretty            indent the JSON output\n"
    "  --format json|jsonld|ntriples|html|conll\n"
    "                      json: nerq's record (default); jsonld: schema.org\n"
    "                      JSON-LD, one document per line; ntriples: the same\n"
    "                      graph as N-Triples (see docs/graph.md); html: one\n"
    "                      self-contained page for the run (docs/html.md);\n"
    "                      conll: TOKEN TAG lines (BIO), -DOCSTART- per document\n"
    "  --base IRI          IRI under which entities and articles are named\n"
    "                      (default " NERQ_DEFAULT_BASE ")\n"
    "  -j, --jobs N        documents processed by N threads at once (default:\n"
    "                      the number of cores); the output is the same and\n"
    "                      in input order\n"
    "  -o, --output FILE   write to FILE instead of standard output (never\n"
    "                      one of the inputs)\n"
    "  -q, --quiet         no summary on standard error at the end, and no\n"
    "                      progress line (shown by default on a terminal)\n"
    "  --progress[=json]   progress on stderr even when it is no terminal; json:\n"
    "                      a JSON line every --progress-interval seconds (2)\n"
    "  -h, --help          show this help\n"
    "  --version           print the version\n"
    "\n"
    "Exit status: 0 when every document gave a record, 1 when one or more\n"
    "gave an error record or a write failed, 2 for a usage or rule error\n"
    "(nothing written), 128+N after signal N (SIGINT, SIGTERM: the record\n"
    "being written is finished first).\n"
    "\n"
    "examples:\n"
    "  nerq corpus/articles/alibaba-london.txt\n"
    "  nerq --pretty article.txt\n"
    "  find news -name '*.txt' -print0 | nerq -0 -T - -o out.jsonl\n"
    "  nerq --input jsonl docs.jsonl > entities.jsonl\n"
    "  nerq --input conll eng.testb > pred.jsonl\n"
    "  nerq eval --input conll eng.testb --pred pred.jsonl\n"
    "  nerq eval gold.jsonl --errors\n";

typedef struct {
  const char *rules_dir;
  const char *files_from;
  int nul_names;
  int jobs; /* 0: the number of cores */
  const char *base;
  char **paths;
  size_t npaths, cap;
  cli_run run;
} options;

static int usage_error(const char *msg, const char *arg) {
  fprintf(stderr, "nerq: %s%s%s\nTry 'nerq --help'.\n", msg, arg ? ": " : "", arg ? arg : "");
  return 2;
}

/* Adds a path (owned by the caller: argv, or the --files-from list). */
static int add_path(options *o, char *p) {
  if (o->npaths == o->cap) {
    char **np = realloc(o->paths, (o->cap = o->cap ? o->cap * 2 : 16) * sizeof *np);
    if (!np) return -1;
    o->paths = np;
  }
  o->paths[o->npaths++] = p;
  return 0;
}

/* "256M" and the like; 0 on a malformed size. */
static size_t parse_size(const char *s) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  int shift = !*end ? 0 : !strcmp(end, "K") ? 10
                      : !strcmp(end, "M")   ? 20
                      : !strcmp(end, "G")   ? 30
                                            : -1;
  if (errno || end == s || shift < 0 || *s == '-' || v > (SIZE_MAX >> shift)) return 0;
  return (size_t)(v << shift);
}

/* --format, --boilerplate and --input: their value into r. 0 or 2. */
static int format_option(cli_run *r, const char *v) {
  r->flags &= ~(7 << CLI_FORMAT_SHIFT);
  if (!strcmp(v, "jsonld")) r->flags |= NERQ_RDF_JSONLD << CLI_FORMAT_SHIFT;
  else if (!strcmp(v, "ntriples")) r->flags |= NERQ_RDF_NTRIPLES << CLI_FORMAT_SHIFT;
  else if (!strcmp(v, "html")) r->flags |= CLI_FORMAT_HTML << CLI_FORMAT_SHIFT;
  else if (!strcmp(v, "conll")) r->flags |= CLI_FORMAT_CONLL << CLI_FORMAT_SHIFT;
  else if (strcmp(v, "json")) return usage_error("--format takes json, jsonld, ntriples, html or conll", v);
  return 0;
}

static int boilerplate_option(cli_run *r, const char *v) {
  r->flags &= ~((NERQ_BOILERPLATE_FLAG | NERQ_BOILERPLATE_DROP) << CLI_OPTS_SHIFT);
  if (!strcmp(v, "flag")) r->flags |= NERQ_BOILERPLATE_FLAG << CLI_OPTS_SHIFT;
  else if (!strcmp(v, "drop")) r->flags |= NERQ_BOILERPLATE_DROP << CLI_OPTS_SHIFT;
  else if (strcmp(v, "keep")) return usage_error("--boilerplate takes keep, flag or drop", v);
  return 0;
}

static int input_option(cli_run *r, const char *v) {
  r->flags &= ~(NERQ_IN_HTML << CLI_OPTS_SHIFT);
  if (!strcmp(v, "jsonl")) r->input = CLI_INPUT_JSONL;
  else if (!strcmp(v, "html")) r->input = CLI_INPUT_TEXT, r->flags |= NERQ_IN_HTML << CLI_OPTS_SHIFT;
  else if (!strcmp(v, "conll")) r->input = CLI_INPUT_CONLL;
  else if (!strcmp(v, "text")) r->input = CLI_INPUT_TEXT;
  else return usage_error("--input takes text, jsonl, conll or html", v);
  return 0;
}

/* The options with a number: -j, --progress-interval, --max-doc-bytes.
 * 0, 2, or 1 when `a` is none of them. */
static int number_option(options *o, const char *a, const char *v) {
  cli_run *r = &o->run;
  char *end;
  if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
    long n = strtol(v, &end, 10);
    if (*end || n < 1 || n > 1024) return usage_error("-j takes a number from 1 to 1024", v);
    o->jobs = (int)n;
  } else if (!strcmp(a, "--progress-interval")) {
    r->progress_interval = strtod(v, &end);
    if (*end || end == v || !(r->progress_interval >= 0))
      return usage_error("--progress-interval takes seconds", v);
  } else if (!strcmp(a, "--max-doc-bytes")) {
    if (!(r->max_doc_bytes = parse_size(v))) return usage_error("--max-doc-bytes takes a size", v);
  } else return 1;
  return 0;
}

static int value_option(options *o, const char *a, const char *v) {
  cli_run *r = &o->run;
  if (!strcmp(a, "--rules")) o->rules_dir = v;
  else if (!strcmp(a, "-o") || !strcmp(a, "--output")) r->out_path = v;
  else if (!strcmp(a, "-T") || !strcmp(a, "--files-from")) o->files_from = v;
  else if (!strcmp(a, "--id-field")) r->fields.id_field = v;
  else if (!strcmp(a, "--text-field")) r->fields.text_field = v;
  else if (!strcmp(a, "--base")) o->base = v;
  else if (!strcmp(a, "--format")) return format_option(r, v);
  else if (!strcmp(a, "--boilerplate")) return boilerplate_option(r, v);
  else if (!strcmp(a, "--input")) return input_option(r, v);
  else return number_option(o, a, v);
  return 0;
}

static const char *const value_options[] = {"--rules", "-o", "--output", "-T", "--files-from",
                                            "--id-field", "--text-field", "--max-doc-bytes",
                                            "--input", "-j", "--jobs", "--base", "--format",
                                            "--boilerplate", "--progress-interval", NULL};

static int takes_value(const char *a) {
  for (size_t i = 0; value_options[i]; i++)
    if (!strcmp(a, value_options[i])) return 1;
  return 0;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, options *o) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_text, stdout);
      return 0;
    } else if (!strcmp(a, "--version")) {
      printf("nerq %s\n", NERQ_VERSION);
      return 0;
    } else if (!strcmp(a, "--pretty")) o->run.flags |= NERQ_JSON_PRETTY;
    else if (!strcmp(a, "--follow")) o->run.follow = 1;
    else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) o->run.quiet = 1;
    else if (!strcmp(a, "-0") || !strcmp(a, "--null")) o->nul_names = 1;
    else if (!strcmp(a, "--progress")) o->run.progress_mode = CLI_PROGRESS_LINE;
    else if (!strcmp(a, "--progress=json")) o->run.progress_mode = CLI_PROGRESS_JSON;
    else if (takes_value(a) && i + 1 < argc) {
      int st = value_option(o, a, argv[++i]);
      if (st) return st;
    } else if (!strcmp(a, "--")) {
      while (++i < argc)
        if (add_path(o, argv[i])) return 2;
    } else if (a[0] == '-' && a[1]) return usage_error("unknown or incomplete option", a);
    else if (add_path(o, argv[i])) return 2;
  }
  return -1;
}

/* Reads the --files-from list into *buf (names end with '\n', or NUL
 * with -0; empty names are skipped) and adds its names. 0 or 2. */
static int read_names(options *o, char **buf) {
  size_t len = 0;
  int err = cli_read_file(o->files_from, buf, &len);
  if (err) {
    fprintf(stderr, "nerq: %s: %s\n", o->files_from, strerror(err));
    return 2;
  }
  char *b = realloc(*buf, len + 1), sep = o->nul_names ? '\0' : '\n';
  if (!b) return 2;
  *buf = b;
  b[len] = sep;
  for (char *p = b, *e = b + len; p < e;) {
    char *q = memchr(p, sep, (size_t)(e - p) + 1);
    *q = '\0';
    if (q > p && add_path(o, p)) return 2;
    p = q + 1;
  }
  return 0;
}

/* The head or tail of the --format html page, around the records. */
static void page_part(cli_run *c, const char *s) {
  for (size_t n = strlen(s), done = 0; done < n && !c->write_errno;) {
    ssize_t w = write(c->fd, s + done, n - done);
    if (w < 0 && errno != EINTR) c->write_errno = errno;
    if (w > 0) done += (size_t)w;
  }
}

/* Runs the inputs through the started pool, the --format html page
 * around their records, and closes the output: the exit status. */
static int run_inputs(options *o, int use_stdin) {
  cli_run *c = &o->run;
  cli_signals_install();
  cli_set_base(o->base);
  int html = CLI_FORMAT(c->flags) == CLI_FORMAT_HTML;
  if (html) page_part(c, nerq_html_page_head());
  c->progress = cli_progress_new(c->quiet ? CLI_PROGRESS_OFF : c->progress_mode,
                                 c->progress_interval, o->paths, o->npaths, use_stdin);
  if (use_stdin) cli_run_path(c, "-");
  for (size_t i = 0; i < o->npaths && !cli_stopped(c); i++) cli_run_path(c, o->paths[i]);
  cli_pool_free(c->pool);
  cli_progress_finish(c->progress);
  if (html) page_part(c, nerq_html_page_tail());
  int st = cli_out_close(c) || c->failed ? 1 : 0;
  if (cli_signal()) st = 128 + cli_signal();
  cli_summary(c);
  return st;
}

static int extract(options *o) {
  cli_run *c = &o->run;
  char *names = NULL;
  int stdin_names = o->files_from && !strcmp(o->files_from, "-");
  if (o->files_from && read_names(o, &names)) return 2;
  int use_stdin = !o->npaths && !stdin_names;
  if (!(c->rules = cli_load_rules(o->rules_dir))) {
    free(names);
    return 2;
  }
  if (!c->quiet) cli_rules_warnings(c->rules);
  int st = cli_out_open(c, o->paths, o->npaths, use_stdin);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  int jobs = o->jobs ? o->jobs : cores > 1 ? (int)(cores < 64 ? cores : 64)
                                           : 1;
  if (!st && !(c->pool = cli_pool_new(c->rules, c->flags, jobs, cli_sink, cli_write, c))) {
    fprintf(stderr, "nerq: cannot start %d threads\n", jobs);
    cli_out_close(c);
    st = 2;
  }
  if (!st) st = run_inputs(o, use_stdin);
  cli_run_free(c);
  nerq_rules_free((nerq_rules *)c->rules);
  free(names);
  return st;
}

int main(int argc, char **argv) {
#ifdef __GLIBC__
  /* A fixed threshold: big arrays (a big document's per-token scratch)
   * are mapped and go back to the system when freed. glibc's sliding one
   * rises to 32 MB after the first such free, and the later ones then
   * stay in the heap (a 10 MB document: 121 -> 115 MB peak RSS). */
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  if (argc > 1 && !strcmp(argv[1], "eval")) return cli_eval(argc - 1, argv + 1);
  if (argc > 1 && !strcmp(argv[1], "test")) return cli_test(argc - 1, argv + 1);
  if (argc > 1 && !strcmp(argv[1], "explain")) return cli_explain(argc - 1, argv + 1);
  if (argc > 1 && !strcmp(argv[1], "compile")) return cli_compile(argc - 1, argv + 1);
  options o = {0};
  o.run.fields.id_field = "id";
  o.run.fields.text_field = "text";
  o.run.max_doc_bytes = CLI_MAX_DOC_BYTES;
  o.run.progress_interval = -1;
  int st = parse_args(argc, argv, &o);
  if (st < 0) st = extract(&o);
  free(o.paths);
  return st;
}
