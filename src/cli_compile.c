/* cli_compile.c - `nerq compile [--rules DIR] [-o FILE]`: writes the
 * compiled image of the rules (DIR/rules.nqi by default), which
 * nerq_rules_load then maps instead of reading the lists. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_compile(int argc, char **argv) {
  const char *dir = NULL, *out = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--rules") && i + 1 < argc) dir = argv[++i];
    else if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
    else return fprintf(stderr, "usage: nerq compile [--rules DIR] [-o FILE]\n"), 2;
  }
  char buf[PATH_MAX + 32];
  dir = cli_rules_dir(dir, buf, sizeof buf);
  char *err = NULL;
  nerq_status st = nerq_rules_compile(dir, out, &err);
  if (st) {
    fprintf(stderr, "nerq compile: %s\n", err ? err : nerq_status_message(st));
    free(err);
    return st == NERQ_ERR_RULES ? 2 : 1;
  }
  return 0;
}
