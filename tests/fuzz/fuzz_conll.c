/* fuzz_conll.c - libFuzzer: the CoNLL reader (cli_conll.c) over any
 * bytes, each document's gold record scored by nerq_eval_add against an
 * empty prediction. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  snprintf(path, sizeof path, "/tmp/nerq-fuzz-conll-%ld", (long)getpid());
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (size && fwrite(data, 1, size, f) != size) abort();
  fclose(f);
  cli_conll *r = NULL;
  cli_conll_doc d;
  nerq_eval *ev = nerq_eval_new();
  if (!ev) return 0;
  int err = cli_conll_open(path, "fuzz", &r);
  while (!err && !(err = cli_conll_next(r, &d))) {
    char *msg = NULL;
    if (nerq_eval_add(ev, d.gold, NULL, &msg)) abort(); /* our own gold must load */
    free(msg);
  }
  cli_conll_close(r);
  free(nerq_eval_report(ev, 0));
  nerq_eval_free(ev);
  return 0;
}
