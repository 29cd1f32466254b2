/* demo.c - a small program built against an installed libnerq (see
 * tests/install.sh): loads the installed rules, reads one article and
 * prints its entities and quotes through the accessors of nerq.h. */
#include <stdio.h>
#include <stdlib.h>

#include <nerq.h>

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, got;
  char *buf = malloc(cap);
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    char *nb = n == cap ? realloc(buf, cap *= 2) : buf;
    if (!nb) free(buf);
    buf = nb;
  }
  fclose(f);
  *len = n;
  return buf;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: demo RULES ARTICLE\n"); return 2; }
  nerq_rules *rules = NULL;
  char *err = NULL;
  if (nerq_rules_load(argv[1], &rules, &err)) {
    fprintf(stderr, "demo: %s\n", err ? err : "?");
    free(err);
    return 1;
  }
  size_t len = 0;
  char *text = read_file(argv[2], &len);
  nerq_doc *doc = NULL;
  if (!text || nerq_doc_process(rules, text, len, &doc)) { free(text); nerq_rules_free(rules); return 1; }
  printf("nerq %s: %zu entities, %zu quotes\n", NERQ_VERSION, nerq_doc_entity_count(doc),
         nerq_doc_quote_count(doc));
  for (size_t i = 0; i < nerq_doc_entity_count(doc); i++)
    printf("%s %s %s %s\n", nerq_doc_entity_id(doc, i), nerq_doc_entity_type(doc, i),
           nerq_doc_entity_key(doc, i), nerq_doc_entity_name(doc, i));
  for (size_t q = 0; q < nerq_doc_quote_count(doc); q++) {
    size_t n = 0, cn = 0;
    const char *who = nerq_doc_quote_speaker_name(doc, q, &n);
    const char *cue = nerq_doc_quote_cue(doc, q, NULL, NULL, &cn);
    printf("%s speaker=%.*s cue=%.*s\n", nerq_doc_quote_id(doc, q), (int)n, who ? who : "",
           (int)cn, cue ? cue : "");
  }
  nerq_doc_free(doc);
  free(text);
  nerq_rules_free(rules);
  return 0;
}
