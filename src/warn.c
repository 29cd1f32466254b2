/* warn.c - a document's warnings: recorded by any stage, read through
 * nerq_doc_warning_count and nerq_doc_warning (access.c). Kept apart
 * from document.c so that the stages do not call back into the driver. */
#include <stdio.h>
#include <string.h>

#include "document.h"

/* Warnings listed in one record: a hostile document (300,000 unclosed
 * quotes) would otherwise carry one per paragraph. */
#define MAX_WARNINGS 100

static void push_warning(nerq_doc *doc, const char *msg) {
  const char **w = nerq_vec_push(doc->arena, &doc->warnings);
  if (w) *w = nerq_arena_strndup(doc->arena, msg, strlen(msg));
}

void nerq_doc_warn(nerq_doc *doc, const char *msg) {
  if (doc->warnings.count < MAX_WARNINGS) push_warning(doc, msg);
  else doc->warnings_unlisted++;
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

/* A rule that ran out of its match budget, and at how many tokens. */
typedef struct {
  const nerq_rule *rule;
  size_t tries;
} runaway;

size_t nerq_runaway_size(void) { return sizeof(runaway); }

void nerq_rule_runaway(nerq_doc *doc, const nerq_rule *rule) {
  runaway *r = doc->runaway.items;
  size_t i = 0;
  while (i < doc->runaway.count && r[i].rule != rule) i++;
  if (i == doc->runaway.count) {
    if (!(r = nerq_vec_push(doc->arena, &doc->runaway))) return; /* the warning is lost */
    *r = (runaway){rule, 0};
  } else r += i;
  r->tries++;
}

void nerq_doc_warn_end(nerq_doc *doc) {
  if (doc->warnings_unlisted) {
    char msg[128];
    snprintf(msg, sizeof msg, "%zu more warning%s not listed (at most %d a document)",
             doc->warnings_unlisted, doc->warnings_unlisted == 1 ? "" : "s", MAX_WARNINGS);
    push_warning(doc, msg);
  }
  const runaway *r = doc->runaway.items;
  for (size_t i = 0; i < doc->runaway.count; i++) {
    char msg[400];
    snprintf(msg, sizeof msg,
             "runaway rule %s: ran out of its match budget at %zu token%s (matches there are lost; see docs/rules.md)",
             r[i].rule->source, r[i].tries, r[i].tries == 1 ? "" : "s");
    push_warning(doc, msg);
  }
}

size_t nerq_doc_runaway_count(const nerq_doc *d) { return d ? d->runaway.count : 0; }

const char *nerq_doc_runaway_rule(const nerq_doc *d, size_t i) {
  if (!d || i >= d->runaway.count) return NULL;
  return ((const runaway *)d->runaway.items)[i].rule->source;
}
