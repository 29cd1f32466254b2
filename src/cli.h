/* cli.h - helpers shared by the nerq command's source files (not part of
 * libnerq). */
#ifndef NERQ_CLI_H
#define NERQ_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "nerq.h"

#ifndef NERQ_DATADIR
#define NERQ_DATADIR "/usr/local/share/nerq"
#endif

/* Loads the rules from `dir`, or else from $NERQ_RULES, rules/ beside
 * the binary, or NERQ_DATADIR/rules. Prints any error to stderr and
 * returns NULL. The caller frees the result with nerq_rules_free. */
nerq_rules *cli_load_rules(const char *dir);

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
#define CLI_FORMAT(flags) (((flags) >> CLI_FORMAT_SHIFT) & 3)
void cli_set_base(const char *base);

/* The threads of `nerq -j N` (cli_pool.c). The sink receives each
 * record (without a newline) and, for a failed document, the line to
 * print on stderr (else NULL), in input order, on the submitting
 * thread; both are freed after it returns. */
typedef void (*cli_pool_sink)(void *ctx, const char *record, const char *err_line);
typedef struct cli_pool cli_pool;

/* A pool of `nthreads` workers (1: everything runs in the caller), or
 * NULL if none could be started. `rules` must outlive the pool. */
cli_pool *cli_pool_new(const nerq_rules *rules, int flags, int nthreads,
                       cli_pool_sink sink, void *ctx);
/* Queues one document; takes ownership of the malloc'd id, text and
 * meta (meta may be NULL). May block while the pool is full. */
void cli_pool_submit(cli_pool *p, char *id, char *text, size_t len, char *meta);
/* Queues a record made by the caller (an error), kept in order. */
void cli_pool_submit_record(cli_pool *p, char *record, char *err_line);
/* Writes everything still queued, stops the threads, frees the pool. */
void cli_pool_free(cli_pool *p);
/* The error record {"doc":..,"error":..} (malloc'd) and, in *err_line,
 * the malloc'd stderr line "nerq: DOC: MSG\n". */
char *cli_error_record(const char *doc, const char *msg, int flags, char **err_line);

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

/* nerq's JSON record for one gold line {"id", "text", ...}, or NULL if
 * the line has no text (caller frees). */
char *cli_predict_gold(const nerq_rules *rules, const char *line, size_t n);

/* Subcommands: each returns the process exit status. */
int cli_eval(int argc, char **argv);
int cli_test(int argc, char **argv);
int cli_explain(int argc, char **argv);

#endif
