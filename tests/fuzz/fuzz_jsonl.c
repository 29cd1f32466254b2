/* fuzz_jsonl.c - libFuzzer: one JSON Lines line through the reader of
 * `nerq --input jsonl` (cli_jsonl.c) and the record writer, with the id
 * kept as JSON text and the other fields byte for byte. A line the
 * reader accepts must give a record that is JSON. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "fuzz_rules_once.h"

/* JSON, or a number out of jansson's range (still JSON). */
static void check_json(const char *s) {
  json_error_t err;
  json_t *j = json_loads(s, JSON_ALLOW_NUL, &err);
  if (!j && !strstr(err.text, "too big") && !strstr(err.text, "overflow")) abort();
  json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cli_jsonl_fields f = {"id", "text"};
  cli_jsonl_rec rec;
  if (cli_jsonl_parse((const char *)data, size, &f, &rec)) return 0;
  nerq_doc *doc = NULL;
  if (!nerq_doc_process(rules, rec.text, rec.len, &doc)) {
    char *s = nerq_doc_to_json(doc, rec.id ? rec.id : "x", rec.meta, rec.id ? NERQ_JSON_RAW_ID : 0);
    if (s) check_json(s);
    free(s);
  }
  nerq_doc_free(doc);
  cli_jsonl_rec_free(&rec);
  return 0;
}
