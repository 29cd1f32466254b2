/* jsonl_check.c - test helper: exits 0 when every line of FILE (or
 * standard input) is one JSON object and the file ends with a newline;
 * else prints the first bad line number and exits 1. Used by
 * tests/hostile.sh to prove that no record is cut or corrupted. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  char *line = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t n;
  int bad = 0;
  while (!bad && (n = getline(&line, &cap, f)) > 0) {
    lineno++;
    if (line[n - 1] != '\n') {
      fprintf(stderr, "line %zu: no newline at the end\n", lineno);
      bad = 1;
      break;
    }
    json_error_t err;
    json_t *j = json_loadb(line, (size_t)n - 1, JSON_ALLOW_NUL, &err);
    /* numbers out of jansson's range are still JSON */
    int range = !j && (strstr(err.text, "too big") || strstr(err.text, "overflow"));
    if (!json_is_object(j) && !range) {
      fprintf(stderr, "line %zu: %s\n", lineno, err.text);
      bad = 1;
    }
    json_decref(j);
  }
  free(line);
  if (f != stdin) fclose(f);
  printf("%zu\n", lineno);
  return bad;
}
