/* cli.h - helpers shared by the nerq command's source files (not part of
 * libnerq). */
#ifndef NERQ_CLI_H
#define NERQ_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "nerq.h"
#include "nerq_eval.h"

#ifndef NERQ_DATADIR
#define NERQ_DATADIR "/usr/local/share/nerq"
#endif

/* Loads the rules from `dir`, or else from $NERQ_RULES, rules/ beside
 * the binary, or NERQ_DATADIR/rules. Prints any error to stderr and
 * returns NULL. The caller frees the result with nerq_rules_free. */
nerq_rules *cli_load_rules(const char *dir);
/* Prints the loader's warnings (runaway rules) to stderr, "nerq: " first. */
void cli_rules_warnings(const nerq_rules *rules);

/* Reads a whole file ("-" is standard input) into a malloc'd buffer
 * (caller frees). Returns 0, or an errno value. */
int cli_read_file(const char *path, char **buf, size_t *len);

/* Runs the pipeline on one text and returns the malloc'd JSON record
 * (caller frees), or NULL with *status set. */
char *cli_extract(const nerq_rules *rules, const char *id, const char *text,
                  size_t len, const char *meta, int flags, nerq_status *status);

/* The output format rides in the flags of cli_extract and the pool:
 * CLI_FORMAT(flags) is 0 for nerq's record, else NERQ_RDF_JSONLD or
 * NERQ_RDF_NTRIPLES (then a record is the graph of the document, and an
 * error record an N-Triples comment). The base IRI of the graph is set
 * once, before any document runs, by cli_set_base (NULL: the default). */
#define CLI_FORMAT_SHIFT 8
#define CLI_FORMAT(flags) (((flags) >> CLI_FORMAT_SHIFT) & 7)
#define CLI_FORMAT_HTML 3  /* nerq_doc_to_html sections (page head and tail by main.c) */
#define CLI_FORMAT_CONLL 4 /* nerq_doc_to_conll */
/* nerq_doc_process_opts options (NERQ_IN_HTML, NERQ_BOILERPLATE_*) ride
 * in the flags too. */
#define CLI_OPTS_SHIFT 12
#define CLI_OPTS(flags) (((flags) >> CLI_OPTS_SHIFT) & 7)
void cli_set_base(const char *base);

/* cli_extract that also gives, on failure, a malloc'd message in *error
 * when the library has one (a page with no article text). */
char *cli_extract_opts(const nerq_rules *rules, const char *id, const char *text,
                       size_t len, const char *meta, int flags,
                       nerq_status *status, char **error);

/* The threads of `nerq -j N` (cli_pool.c). The sink receives each
 * record (without a newline) and, for a failed document, the line to
 * print on stderr (else NULL), in input order, on the submitting
 * thread; both are freed after it returns. `runaway` names the rules
 * that ran out of their match budget in the document, one a line, or
 * is NULL. */
typedef void (*cli_pool_sink)(void *ctx, const char *record, const char *err_line,
                              size_t warnings, const char *runaway);
typedef struct cli_pool cli_pool;

/* A pool of `nthreads` workers (1: everything runs in the caller), or
 * NULL if none could be started. `rules` must outlive the pool. `write`
 * (ctx as the sink's) writes the pieces of a big document's record,
 * which the submitting thread makes itself, in order, as it is made
 * (CLI_STREAM_BYTES); the sink then gets "" as its record (its newline
 * ends the line). */
cli_pool *cli_pool_new(const nerq_rules *rules, int flags, int nthreads,
                       cli_pool_sink sink, nerq_write_fn write, void *ctx);
/* Documents of this many bytes or more, in nerq's record format: written
 * in pieces as they are made, not held whole (about 4 bytes a byte). */
#define CLI_STREAM_BYTES ((size_t)8 << 20)
/* Queues one document; takes ownership of the malloc'd id, text and
 * meta (meta may be NULL); id_flags is NERQ_JSON_RAW_ID for an id given
 * as JSON text, else 0. May block while the pool is full. */
void cli_pool_submit(cli_pool *p, char *id, int id_flags, char *text, size_t len, char *meta);
/* Queues a record made by the caller (an error), kept in order. */
void cli_pool_submit_record(cli_pool *p, char *record, char *err_line);
/* Waits for everything queued and hands it to the sink (a stream about
 * to block calls it, so records never wait for more input). */
void cli_pool_flush(cli_pool *p);
/* Writes everything still queued, stops the threads, frees the pool. */
void cli_pool_free(cli_pool *p);
/* The error record {"doc":..,"error":..} (malloc'd) and, in *err_line,
 * the malloc'd stderr line "nerq: DOC: MSG\n". */
char *cli_error_record(const char *doc, const char *msg, int flags, char **err_line);

/* One document into its record (malloc'd, no newline); takes `text`
 * (malloc'd; freed here, or kept by the document while it lives), with its number
 * of warnings in *warnings and, in *runaway, the malloc'd names of its
 * runaway rules, one a line (or NULL); for a document that failed, the
 * error record and, in *err_line, the malloc'd stderr line. Touches
 * nothing shared but the rules, so threads may call it at once. */
char *cli_process_one(const nerq_rules *rules, const char *id, char *text, size_t len,
                      const char *meta, int flags, size_t *warnings, char **runaway,
                      char **err_line);
/* cli_process_one in nerq's record format with the record handed to
 * `write` in pieces (nerq_doc_write_json): returns "" (malloc'd) once it
 * is written, NULL when it could not be made whole (out of memory, or
 * `write` failed), or the error record of a document that failed. */
char *cli_process_stream(const nerq_rules *rules, const char *id, char *text, size_t len,
                         const char *meta, int flags, nerq_write_fn write, void *ctx,
                         size_t *warnings, char **runaway, char **err_line);

/* CoNLL input (cli_conll.c): a streaming reader of CoNLL-2003 style files
 * (`TOKEN TAG` or `TOKEN POS CHUNK TAG` lines, tag last; a blank line
 * ends a sentence; a -DOCSTART- line starts a document). Tags are BIO or
 * IOB1; PER -> PERSON, ORG -> ORG, LOC and GPE -> PLACE, others are not
 * scored. Only one document is held in memory at a time. */
typedef struct cli_conll cli_conll;

/* One document; every pointer stays valid until the next cli_conll_next
 * or cli_conll_close call. */
typedef struct {
  const char *id;   /* "PATH#N", N counting documents from 1 */
  const char *text; /* tokens joined by ' ', sentences by '\n'; UTF-8 */
  size_t len;       /* bytes in text */
  const char *gold; /* one-line gold JSON record (docs/eval.md) */
} cli_conll_doc;

/* Opens `path` ("-" is standard input). Warnings are printed to stderr
 * as "WHO: PATH:LINE: ...". Returns 0, or an errno value. */
int cli_conll_open(const char *path, const char *who, cli_conll **out);

/* Reads the next document into *doc: returns 0, EOF at the end of the
 * file, or an errno value (EIO, ENOMEM). */
int cli_conll_next(cli_conll *r, cli_conll_doc *doc);

/* Number of malformed (one-column) lines skipped so far. */
size_t cli_conll_skipped(const cli_conll *r);

/* Prints the count of skipped lines, if any, and frees everything. */
void cli_conll_close(cli_conll *r);

/* nerq's result on the "text" of one gold line {"id", "text", ...}, or
 * NULL if the line has no text or processing failed (free with
 * nerq_doc_free). If `record` is not NULL it gets the document's JSON
 * record under the gold id, or NULL (caller frees). */
nerq_doc *cli_gold_doc(const nerq_rules *rules, const char *line, size_t n, char **record);

/* JSONL input (cli_jsonl.c): one line split into its id, its text and the
 * exact bytes of every other field. */
typedef struct {
  const char *id_field;   /* "id" by default */
  const char *text_field; /* "text" by default */
} cli_jsonl_fields;

typedef struct {
  char *id;   /* the id as JSON string text, quotes included (a non-string
                 id's raw text is quoted), or NULL when the line has none */
  char *text; /* the decoded text, NUL-terminated (may hold NULs) */
  size_t len; /* bytes in text */
  char *meta; /* the other members, byte for byte, as a JSON object text
                 ("{"k":v,...}", whitespace between tokens dropped), or NULL */
} cli_jsonl_rec;

/* Splits one line (without its line end). Returns NULL and fills *rec
 * (release with cli_jsonl_rec_free), or a static error message and
 * leaves *rec empty. For a repeated key the last one counts. */
const char *cli_jsonl_parse(const char *line, size_t n, const cli_jsonl_fields *f,
                            cli_jsonl_rec *rec);
void cli_jsonl_rec_free(cli_jsonl_rec *rec);

/* One extraction run (main.c fills the options; cli_run.c reads the
 * inputs, cli_out.c writes the records). */
enum { CLI_INPUT_TEXT,
       CLI_INPUT_JSONL,
       CLI_INPUT_CONLL };
#define CLI_MAX_DOC_BYTES ((size_t)256 << 20) /* --max-doc-bytes default */
#define CLI_MAX_DEPTH 256                     /* directory nesting walked */

typedef struct cli_walk cli_walk;

typedef struct {
  /* options */
  const nerq_rules *rules;
  int input;  /* CLI_INPUT_* */
  int flags;  /* NERQ_JSON_* */
  int follow; /* --follow: walk into symlinked directories */
  int quiet;  /* -q: no summary */
  size_t max_doc_bytes;
  cli_jsonl_fields fields;
  const char *out_path; /* NULL: standard output */
  /* output */
  int fd;
  int out_known; /* the output is a regular file with this identity */
  unsigned long long out_dev, out_ino;
  int write_errno; /* the first failed write; stops the run */
  /* counts, for the summary */
  size_t read, ok, failed, warnings;
  char **runaway;       /* rules that ran out of their match budget, */
  size_t *runaway_docs; /* in how many documents each */
  size_t nrunaway;
  cli_walk *walk;
  cli_pool *pool;
  /* the progress report (cli_progress.c) */
  int progress_mode;        /* CLI_PROGRESS_* */
  double progress_interval; /* seconds; < 0: the default */
  struct cli_progress *progress;
} cli_run;

/* cli_out.c. SIGINT and SIGTERM set a flag (no SA_RESTART); the run
 * stops after the current record. */
void cli_signals_install(void);
int cli_signal(void);              /* the signal received, or 0 */
int cli_stopped(const cli_run *c); /* a signal came or a write failed */
/* Refuses (exit status 2, message on stderr) an output that is one of
 * the inputs, then opens it. Returns 0 or 2. */
int cli_out_open(cli_run *c, char **paths, size_t n, int stdin_used);
struct stat;
int cli_is_output(const cli_run *c, const struct stat *st);
/* The pool's sink (ctx is the cli_run): counts the record and writes it
 * and its newline with one write() call; after a failed write, nothing. */
void cli_sink(void *ctx, const char *record, const char *err_line, size_t warnings,
              const char *runaway);
/* The pool's writer of record pieces (nerq_write_fn; ctx is the
 * cli_run): 0, or -1 after a failed write (reported, and the run stops). */
int cli_write(void *ctx, const char *bytes, size_t n);
int cli_out_close(cli_run *c); /* 1 after a failed write, else 0 */
void cli_summary(const cli_run *c);

/* cli_run.c: processes one path ("-" is standard input): a file, a
 * FIFO or device as a stream, or a directory walked in sorted order. */
void cli_run_path(cli_run *c, const char *path);
void cli_run_free(cli_run *c);

/* The progress report on stderr (cli_progress.c). AUTO is LINE when
 * stderr is a terminal, else OFF. */
enum { CLI_PROGRESS_AUTO = 0,
       CLI_PROGRESS_OFF,
       CLI_PROGRESS_LINE,
       CLI_PROGRESS_JSON };
typedef struct cli_progress cli_progress;
/* A report for a run over `paths` (and standard input if `use_stdin`),
 * whose total size, when known, gives an ETA; `interval` seconds between
 * reports (< 0: the default, 0.25 s for a line, 2 s for JSON). NULL when
 * off. */
cli_progress *cli_progress_new(int mode, double interval, char **paths, size_t npaths,
                               int use_stdin);
/* Counts input bytes read, and a document written. NULL is allowed. */
void cli_progress_input(cli_progress *p, size_t bytes);
void cli_progress_doc(cli_progress *p);
/* Writes the last report and frees. NULL is allowed. */
void cli_progress_finish(cli_progress *p);

/* Subcommands: each returns the process exit status. */
int cli_eval(int argc, char **argv);
int cli_test(int argc, char **argv);
int cli_explain(int argc, char **argv);
int cli_compile(int argc, char **argv);
/* The rules directory to use: dir, $NERQ_RULES, rules/ beside the
 * binary, or the installed one (in buf, or a static string). */
const char *cli_rules_dir(const char *dir, char *buf, size_t size);

#endif
