/* warn.c - a document's warnings: recorded by any stage, read through
 * nerq_doc_warning_count and nerq_doc_warning (access.c). Kept apart
 * from document.c so that the stages do not call back into the driver. */
#include <stdio.h>
#include <string.h>

#include "document.h"

void nerq_doc_warn(nerq_doc *doc, const char *msg) {
  const char **w = nerq_vec_push(doc->arena, &doc->warnings);
  if (w) *w = nerq_arena_strndup(doc->arena, msg, strlen(msg));
}

void nerq_doc_warn_input(nerq_doc *doc) {
  char msg[128];
  if (doc->text.repaired) {
    snprintf(msg, sizeof msg,
             "invalid UTF-8: %d ill-formed sequence(s) replaced with U+FFFD",
             doc->text.repaired);
    nerq_doc_warn(doc, msg);
  }
  if (doc->text.nul_bytes) {
    snprintf(msg, sizeof msg, "input contains %d NUL byte(s)", doc->text.nul_bytes);
    nerq_doc_warn(doc, msg);
  }
}

size_t nerq_doc_warning_count(const nerq_doc *d) { return d ? d->warnings.count : 0; }
