/* warn.h - a document's warnings (warn.c). */
#ifndef NERQ_WARN_H
#define NERQ_WARN_H

#include <stddef.h>

#include "pattern.h"

struct nerq_doc;

/* Records a warning (copied into the document's arena). */
void nerq_doc_warn(struct nerq_doc *doc, const char *msg);
/* The warnings about the decoded input: repaired UTF-8, NUL bytes. */
void nerq_doc_warn_input(struct nerq_doc *doc);

/* Counts a try of `rule` that ran out of its budget (nerq_rule_match). */
void nerq_rule_runaway(struct nerq_doc *doc, const nerq_rule *rule);

/* nerq_pattern_match_gated for `rule`, with env->spent pointing at
 * doc->spent (or NULL): a try that ran out of its budget is counted for
 * the rule, named once by nerq_doc_warn_end. Inline: the matchers call
 * it millions of times, mostly for a try refused at once. */
static inline int nerq_rule_match(struct nerq_doc *doc, const nerq_rule *rule, const nerq_match_env *env,
                                  size_t start, size_t *cap_first, size_t *cap_end, size_t *end) {
  size_t *spent = env->spent, before = spent ? *spent : 0;
  int hit = nerq_pattern_match_gated(rule->pat, env, start, cap_first, cap_end, end);
  if (spent && *spent != before) nerq_rule_runaway(doc, rule);
  return hit;
}
/* The item size of doc->runaway. */
size_t nerq_runaway_size(void);
/* At the end of the pipeline: how many warnings were not listed (past
 * the first 100), and one warning per rule that ran out of budget,
 * naming it. */
void nerq_doc_warn_end(struct nerq_doc *doc);

#endif
