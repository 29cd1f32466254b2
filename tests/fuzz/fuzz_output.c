/* fuzz_output.c - libFuzzer: any bytes through the pipeline, then every
 * writer: the compact and the --pretty record (both must be JSON that
 * jansson reads back, NULs included), explain, JSON-LD and N-Triples.
 * Rules from $NERQ_RULES (default "rules"), loaded once. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nerq.h"

#include "fuzz_rules_once.h"

/* The record must parse back as a JSON object. */
static void check_json(const char *s) {
  if (!s) return; /* out of memory is allowed */
  json_error_t err;
  json_t *j = json_loads(s, JSON_ALLOW_NUL, &err);
  if (!json_is_object(j)) abort();
  json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  nerq_doc *doc = NULL;
  if (nerq_doc_process_opts(rules, (const char *)data, size, NERQ_EXPLAIN, &doc, NULL)) return 0;
  char *s = nerq_doc_to_json(doc, "fuzz", NULL, 0);
  check_json(s);
  free(s);
  s = nerq_doc_to_json(doc, "fuzz", NULL, NERQ_JSON_PRETTY);
  check_json(s);
  free(s);
  free(nerq_doc_explain(doc));
  free(nerq_doc_to_rdf(doc, "fuzz", NULL, NULL, NERQ_RDF_JSONLD, 0));
  free(nerq_doc_to_rdf(doc, "fuzz", NULL, NULL, NERQ_RDF_NTRIPLES, 0));
  nerq_doc_free(doc);
  return 0;
}
