/* cli_explain.c - `nerq explain TEXT|FILE`. */
#include <stdio.h>

#include "cli.h"

int cli_explain(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "nerq explain: not available in this version\n");
  return 2;
}
