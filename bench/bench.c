/* bench.c - throughput and rule-loading benchmark for libnerq.
 *
 *   bench RULES_DIR [TEXT...] [--jsonl FILE] [--reps N]
 * Each TEXT file is one document; each line {"text": ...} of a --jsonl
 * file is one more. Prints the rule load time (best of 5),
 * the extraction throughput with and without JSON output (MB/s on one
 * core, best of N repetitions) and the peak resident memory. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <jansson.h>

#include "nerq.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (b) *len = fread(b, 1, (size_t)n, f);
  fclose(f);
  return b;
}

/* Appends the "text" of every line of a JSONL file to docs. */
static int add_jsonl(const char *path, char ***docs, size_t **lens, int *n, int *cap) {
  json_error_t err;
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  json_t *o;
  while ((o = json_loadf(f, JSON_DISABLE_EOF_CHECK, &err))) {
    json_t *t = json_object_get(o, "text");
    if (json_is_string(t)) {
      if (*n == *cap) {
        *cap *= 2;
        *docs = realloc(*docs, (size_t)*cap * sizeof **docs);
        *lens = realloc(*lens, (size_t)*cap * sizeof **lens);
      }
      size_t len = json_string_length(t);
      char *copy = malloc(len + 1);
      if (copy) {
        memcpy(copy, json_string_value(t), len);
        (*lens)[*n] = len;
        (*docs)[(*n)++] = copy;
      }
    }
    json_decref(o);
  }
  fclose(f);
  return 0;
}

static double load_ms(const char *dir) {
  double best = 1e9;
  for (int i = 0; i < 5; i++) {
    nerq_rules *r = NULL;
    double t = now();
    if (nerq_rules_load(dir, &r, NULL)) return -1;
    t = now() - t;
    nerq_rules_free(r);
    if (t < best) best = t;
  }
  return best * 1000;
}

/* Seconds for `inner` passes over all documents. */
static double pass(const nerq_rules *r, char **docs, size_t *lens, int n, int json,
                   int inner) {
  double t = now();
  for (int k = 0; k < inner; k++)
  for (int i = 0; i < n; i++) {
    nerq_doc *d = NULL;
    if (nerq_doc_process(r, docs[i], lens[i], &d)) continue;
    if (json) free(nerq_doc_to_json(d, "bench", NULL, 0));
    nerq_doc_free(d);
  }
  return now() - t;
}

int main(int argc, char **argv) {
  if (argc < 3) return fprintf(stderr, "usage: bench RULES_DIR TEXT... [--reps N]\n"), 2;
  int reps = 5, n = 0, cap = argc + 64;
  char **docs = calloc((size_t)cap, sizeof *docs);
  size_t *lens = calloc((size_t)cap, sizeof *lens), total = 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--reps") && i + 1 < argc) { reps = atoi(argv[++i]); continue; }
    if (!strcmp(argv[i], "--jsonl") && i + 1 < argc) { add_jsonl(argv[++i], &docs, &lens, &n, &cap); continue; }
    if (n < cap && (docs[n] = slurp(argv[i], &lens[n]))) n++;
  }
  for (int i = 0; i < n; i++) total += lens[i];
  printf("rules load: %.1f ms (best of 5)\n", load_ms(argv[1]));
  nerq_rules *r = NULL;
  if (nerq_rules_load(argv[1], &r, NULL)) return 1;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("peak memory after loading: %.1f MB\n", ru.ru_maxrss / 1024.0);
  double best = 1e9, best_json = 1e9;
  int inner = total ? (int)(4000000 / total) + 1 : 1; /* about 4 MB a timing */
  for (int k = 0; k < reps; k++) {
    double a = pass(r, docs, lens, n, 0, inner), b = pass(r, docs, lens, n, 1, inner);
    if (a < best) best = a;
    if (b < best_json) best_json = b;
  }
  double mb = (double)total / 1e6;
  printf("input: %d documents, %.2f MB, each timing %d passes\n", n, mb, inner);
  mb *= inner;
  printf("extraction: %.1f MB/s (best of %d)\n", mb / best, reps);
  printf("extraction + JSON: %.1f MB/s\n", mb / best_json);
  getrusage(RUSAGE_SELF, &ru);
  printf("peak memory: %.1f MB\n", ru.ru_maxrss / 1024.0);
  nerq_rules_free(r);
  for (int i = 0; i < n; i++) free(docs[i]);
  free(docs);
  free(lens);
  return 0;
}
