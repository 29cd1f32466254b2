/* fuzz_eval.c - libFuzzer: scoring. The input is a gold line and, after
 * the first newline, a predicted record; both reports are written. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nerq.h"
#include "nerq_eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s) return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  char *nl = strchr(s, '\n'), *pred = NULL;
  if (nl) *nl = '\0', pred = nl + 1;
  nerq_eval *ev = nerq_eval_new();
  char *err = NULL;
  if (ev) nerq_eval_add(ev, s, pred, &err);
  free(err);
  free(nerq_eval_report(ev, 0));
  free(nerq_eval_report(ev, NERQ_EVAL_JSON | NERQ_EVAL_ERRORS));
  nerq_eval_free(ev);
  free(s);
  return 0;
}
