/* cli_explain.c - `nerq explain [--rules DIR] TEXT|FILE`: shows token by
 * token which gazetteer entries and rules matched, which candidate won
 * each overlap and why, and the resulting entities. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static int is_file(const char *p) {
  struct stat st;
  return !strcmp(p, "-") || (stat(p, &st) == 0 && S_ISREG(st.st_mode));
}

int cli_explain(int argc, char **argv) {
  const char *rules_dir = NULL, *arg = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--rules") && i + 1 < argc) rules_dir = argv[++i];
    else if (!arg) arg = argv[i];
    else return fprintf(stderr, "nerq explain: one TEXT or FILE only\n"), 2;
  }
  if (!arg) return fprintf(stderr, "usage: nerq explain [--rules DIR] TEXT|FILE\n"), 2;
  char *buf = NULL;
  size_t len = strlen(arg);
  if (is_file(arg)) {
    int err = cli_read_file(arg, &buf, &len);
    if (err) return fprintf(stderr, "nerq explain: %s: %s\n", arg, strerror(err)), 1;
  }
  nerq_rules *rules = cli_load_rules(rules_dir);
  if (!rules) {
    free(buf);
    return 2;
  }
  nerq_doc *doc = NULL;
  nerq_status st = nerq_doc_process_opts(rules, buf ? buf : arg, len, NERQ_EXPLAIN, &doc, NULL);
  char *text = st ? NULL : nerq_doc_explain(doc);
  if (text) fputs(text, stdout);
  else fprintf(stderr, "nerq explain: %s\n", nerq_status_message(st ? st : NERQ_ERR_NOMEM));
  free(text);
  nerq_doc_free(doc);
  nerq_rules_free(rules);
  free(buf);
  return text ? 0 : 1;
}
