/* fuzz_doc.c - libFuzzer harness: any bytes through the whole pipeline
 * and the JSON output, then as a web page (--input html, boilerplate
 * flagged) through the JSON, HTML and CoNLL writers. Rules come from $NERQ_RULES (default "rules"),
 * loaded once. Build and run with `make fuzz` (tests/fuzz/run.sh). */
#include <stdint.h>
#include <stdlib.h>

#include "nerq.h"

#include "fuzz_rules_once.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  nerq_doc *doc = NULL;
  if (nerq_doc_process(rules, (const char *)data, size, &doc)) return 0;
  free(nerq_doc_to_json(doc, "fuzz", NULL, 0));
  nerq_doc_free(doc);
  /* the same bytes as a web page, with boilerplate flagged, and the views */
  doc = NULL;
  if (nerq_doc_process_opts(rules, (const char *)data, size,
                            NERQ_IN_HTML | NERQ_BOILERPLATE_FLAG, &doc, NULL)) return 0;
  free(nerq_doc_to_json(doc, "fuzz", NULL, 0));
  free(nerq_doc_to_html(doc, "fuzz", NULL, 0));
  free(nerq_doc_to_conll(doc, "fuzz", 0));
  nerq_doc_free(doc);
  return 0;
}
