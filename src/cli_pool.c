/* cli_pool.c - `nerq -j N`: a pool of N threads that run the pipeline on
 * documents while the main thread reads the input and writes records.
 * The rules are shared read-only (nerq_doc_process keeps all of its
 * state, PCRE2 match data included, in the document). Records are
 * handed to the sink in input order, from the submitting thread only,
 * so the output is byte-identical to -j 1. A ring of 4 slots per thread
 * bounds the documents held at once. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { FREE,
       QUEUED,
       DONE };

typedef struct {
  char *id, *text, *meta;
  size_t len;
  int id_flags;    /* NERQ_JSON_RAW_ID or 0 */
  char *out, *err; /* the record, and the line for stderr or NULL */
  size_t warnings; /* the record's */
  char *runaway;   /* its runaway rules (cli_pool_sink), or NULL */
  int state;
} slot;

struct cli_pool {
  const nerq_rules *rules;
  int flags, nthreads, started, stop;
  cli_pool_sink sink;
  nerq_write_fn write; /* a big document's record, in pieces */
  void *ctx;
  slot *ring;
  size_t cap, head, tail, next; /* write, fill and process positions */
  pthread_t *threads;
  pthread_mutex_t mu;
  pthread_cond_t work, done;
};

/* In N-Triples, an error is a comment line, so the stream stays valid. */
static char *comment_record(const char *doc, const char *msg) {
  size_t n = strlen(doc ? doc : "(input)") + strlen(msg) + 16;
  char *s = malloc(n);
  if (!s) return NULL;
  snprintf(s, n, "# error: %s: %s", doc ? doc : "(input)", msg);
  for (char *p = s; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  return s;
}

char *cli_error_record(const char *doc, const char *msg, int flags, char **err_line) {
  int f = CLI_FORMAT(flags);
  char *s = f == NERQ_RDF_NTRIPLES  ? comment_record(doc, msg)
            : f == CLI_FORMAT_HTML  ? nerq_html_error(doc, msg)
            : f == CLI_FORMAT_CONLL ? NULL
                                    : nerq_error_to_json(doc, msg, flags & (NERQ_JSON_PRETTY | NERQ_JSON_RAW_ID));
  size_t n = strlen(doc ? doc : "(input)") + strlen(msg) + 16;
  if ((*err_line = malloc(n))) snprintf(*err_line, n, "nerq: %s: %s\n", doc ? doc : "(input)", msg);
  return s;
}

/* Runs the pipeline on one slot and releases its input (the text goes
 * to the document). */
static void process(const cli_pool *p, slot *s) {
  s->err = NULL;
  s->out = cli_process_one(p->rules, s->id, s->text, s->len, s->meta, p->flags | s->id_flags,
                           &s->warnings, &s->runaway, &s->err);
  free(s->id);
  free(s->meta);
  s->id = s->text = s->meta = NULL;
}

static void *worker(void *arg) {
  cli_pool *p = arg;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->stop && p->next == p->tail) pthread_cond_wait(&p->work, &p->mu);
    if (p->next == p->tail) break;
    slot *s = &p->ring[p->next++ % p->cap];
    if (s->state != QUEUED) continue; /* a record made by the reader */
    pthread_mutex_unlock(&p->mu);
    process(p, s);
    pthread_mutex_lock(&p->mu);
    s->state = DONE;
    pthread_cond_signal(&p->done);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

cli_pool *cli_pool_new(const nerq_rules *rules, int flags, int nthreads,
                       cli_pool_sink sink, nerq_write_fn write, void *ctx) {
  cli_pool *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  *p = (cli_pool){.rules = rules, .flags = flags, .nthreads = nthreads > 1 ? nthreads : 1, .sink = sink, .write = write, .ctx = ctx};
  if (p->nthreads == 1) return p;
  p->cap = (size_t)p->nthreads * 4;
  p->ring = calloc(p->cap, sizeof *p->ring);
  p->threads = calloc((size_t)p->nthreads, sizeof *p->threads);
  if (!p->ring || !p->threads) goto fail;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->work, NULL);
  pthread_cond_init(&p->done, NULL);
  sigset_t block, old; /* signals go to the reading thread, which stops */
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  for (; p->started < p->nthreads; p->started++)
    if (pthread_create(&p->threads[p->started], NULL, worker, p)) break;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (p->started) return p;
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->work);
  pthread_cond_destroy(&p->done);
fail:
  free(p->ring);
  free(p->threads);
  free(p);
  return NULL;
}

static void deliver(cli_pool *p, char *out, char *err, size_t warnings, char *runaway) {
  p->sink(p->ctx, out, err, warnings, runaway);
  free(out);
  free(err);
  free(runaway);
}

/* Hands the finished records at the head of the ring to the sink; with
 * `wait`, first waits for the head one if need be. Called with the lock
 * held. */
static void drain(cli_pool *p, int wait) {
  while (p->head < p->tail) {
    slot *s = &p->ring[p->head % p->cap];
    if (s->state != DONE) {
      if (!wait) return;
      pthread_cond_wait(&p->done, &p->mu);
      continue;
    }
    char *out = s->out, *err = s->err, *runaway = s->runaway;
    size_t warnings = s->warnings;
    s->out = s->err = s->runaway = NULL;
    s->state = FREE;
    p->head++;
    wait = 0;
    pthread_mutex_unlock(&p->mu);
    deliver(p, out, err, warnings, runaway);
    pthread_mutex_lock(&p->mu);
  }
}

/* Puts a filled slot at the tail (waiting for room), then writes what
 * is finished. */
static void enqueue(cli_pool *p, const slot *in) {
  pthread_mutex_lock(&p->mu);
  while (p->tail - p->head == p->cap) drain(p, 1);
  p->ring[p->tail++ % p->cap] = *in;
  if (in->state == QUEUED) pthread_cond_signal(&p->work);
  drain(p, 0);
  pthread_mutex_unlock(&p->mu);
}

/* A big document in nerq's record format, on the submitting thread once
 * every record before it is written: its record goes out in pieces as
 * it is made (4 bytes a byte of input, never whole in memory). */
static void stream_one(cli_pool *p, slot *s) {
  cli_pool_flush(p);
  s->out = cli_process_stream(p->rules, s->id, s->text, s->len, s->meta, p->flags | s->id_flags,
                              p->write, p->ctx, &s->warnings, &s->runaway, &s->err);
  free(s->id);
  free(s->meta);
  deliver(p, s->out, s->err, s->warnings, s->runaway);
}

void cli_pool_submit(cli_pool *p, char *id, int id_flags, char *text, size_t len, char *meta) {
  slot s = {.id = id, .text = text, .meta = meta, .len = len, .id_flags = id_flags, .state = QUEUED};
  if (p->write && len >= CLI_STREAM_BYTES && !CLI_FORMAT(p->flags)) {
    stream_one(p, &s);
    return;
  }
  if (p->nthreads == 1) {
    process(p, &s);
    deliver(p, s.out, s.err, s.warnings, s.runaway);
    return;
  }
  enqueue(p, &s);
}

void cli_pool_submit_record(cli_pool *p, char *record, char *err_line) {
  if (p->nthreads == 1) {
    deliver(p, record, err_line, 0, NULL);
    return;
  }
  slot s = {.out = record, .err = err_line, .state = DONE};
  enqueue(p, &s);
}

void cli_pool_flush(cli_pool *p) {
  if (p->nthreads == 1) return;
  pthread_mutex_lock(&p->mu);
  while (p->head < p->tail) drain(p, 1);
  pthread_mutex_unlock(&p->mu);
}

void cli_pool_free(cli_pool *p) {
  if (!p) return;
  if (p->nthreads > 1) {
    pthread_mutex_lock(&p->mu);
    while (p->head < p->tail) drain(p, 1);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->started; i++) pthread_join(p->threads[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
  }
  free(p->ring);
  free(p->threads);
  free(p);
}
