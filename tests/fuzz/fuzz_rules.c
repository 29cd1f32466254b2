/* fuzz_rules.c - libFuzzer: the rule-file parser and compiler. The input
 * becomes one rule file (the first byte picks entities, quotes/ or
 * relations.rules) in a temporary rules directory that also has small
 * lists and a gazetteer; nerq_rules_load must succeed or fail with a
 * message, never crash or leak. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nerq.h"

static char dir[64];

static void put(const char *name, const char *text, size_t n) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (n && fwrite(text, 1, n, f) != n) abort();
  fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  snprintf(dir, sizeof dir, "/tmp/nerq-fuzz-rules-%ld", (long)getpid());
  char sub[128];
  mkdir(dir, 0700);
  snprintf(sub, sizeof sub, "%s/lists", dir), mkdir(sub, 0700);
  snprintf(sub, sizeof sub, "%s/gazetteer", dir), mkdir(sub, 0700);
  snprintf(sub, sizeof sub, "%s/quotes", dir), mkdir(sub, 0700);
  const char *l[][2] = {{"lists/first_names.txt", "Tim\nAnn\n"},
                        {"lists/titles.txt", "Mr\nDr\n"},
                        {"lists/stop.txt", "The\nIn\n"},
                        {"lists/speech_cues.txt", "said\nsays\n"},
                        {"gazetteer/places.tsv", "Paris\tPLACE\tgeonames:1\n"}};
  for (size_t i = 0; i < sizeof l / sizeof l[0]; i++) put(l[i][0], l[i][1], strlen(l[i][1]));
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *where[] = {"x.rules", "quotes/x.rules", "relations.rules"};
  int k = size ? data[0] % 3 : 0;
  for (int i = 0; i < 3; i++) put(where[i], "", 0);
  put(where[k], (const char *)data + (size ? 1 : 0), size ? size - 1 : 0);
  nerq_rules *r = NULL;
  char *err = NULL;
  nerq_status st = nerq_rules_load(dir, &r, &err);
  if (st == NERQ_OK) {
    nerq_doc *d = NULL;
    const char *t = "Dr Tim Cook said in Paris: \"It works.\"";
    if (!nerq_doc_process(r, t, strlen(t), &d)) free(nerq_doc_to_json(d, "f", NULL, 0));
    nerq_doc_free(d);
  }
  nerq_rules_free(r);
  free(err);
  return 0;
}
