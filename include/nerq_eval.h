/*
 * nerq_eval.h - scoring nerq against gold annotations (docs/eval.md).
 *
 * An accumulator (nerq_eval) takes one gold line per document with the
 * prediction for it - a processed nerq_doc, or a saved nerq JSON record -
 * and adds up entity, quote and speaker scores across documents. Scores
 * are read with nerq_eval_metric (or the count calls), reports are
 * written by nerq_eval_report. Calls on a NULL accumulator do nothing and
 * report NERQ_ERR_USAGE or -1 counts.
 */
#ifndef NERQ_EVAL_H
#define NERQ_EVAL_H

#include "nerq.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nerq_eval nerq_eval;

/* A new, empty accumulator of scores (free with nerq_eval_free), or NULL
 * on allocation failure. */
nerq_eval *nerq_eval_new(void);
/* Releases an accumulator. NULL is allowed. */
void nerq_eval_free(nerq_eval *ev);

/* Adds one document: `gold_json` is one gold line
 * {"id","text","entities":[...],"quotes":[...]} and `doc` nerq's result
 * on that line's "text" (or NULL for an empty prediction); `doc` is only
 * read, and may be freed as soon as the call returns. On a malformed gold
 * line returns NERQ_ERR_INPUT and, if `error` is not NULL, stores a
 * malloc'd message in it (caller frees); the accumulator is then left as
 * it was. */
nerq_status nerq_eval_add_doc(nerq_eval *ev, const char *gold_json,
                              const nerq_doc *doc, char **error);

/* As nerq_eval_add_doc, with the prediction a saved nerq JSON record
 * (the README's record; an error record or NULL is an empty
 * prediction). A malformed record also gives NERQ_ERR_INPUT. */
nerq_status nerq_eval_add(nerq_eval *ev, const char *gold_json,
                          const char *pred_json, char **error);

/* One score by name, the report's JSON path joined by dots:
 *   "strict.TYPE.STAT" and "partial.TYPE.STAT", TYPE one of PERSON, ORG,
 *     PLACE, ALL and STAT one of tp, fp, fn, precision, recall, f1;
 *   "quotes.STAT";
 *   "speakers.STAT" and "speakers.pronoun.STAT", STAT one of correct,
 *     total, accuracy;
 *   "indirect.STAT" and "indirect.speakers.STAT": reported speech (quotes
 *     of kind indirect) against gold attributions of kind indirect.
 * Stores it in *value and returns NERQ_OK, or NERQ_ERR_USAGE for an
 * unknown name or a NULL argument (*value untouched). */
nerq_status nerq_eval_metric(const nerq_eval *ev, const char *name,
                             double *value);

/* Report flags. */
enum {
  NERQ_EVAL_JSON = 1 << 0,  /* machine-readable JSON instead of a table */
  NERQ_EVAL_ERRORS = 1 << 1 /* list every false positive and negative */
};

/* The report so far, as a malloc'd string (caller frees); NULL for a NULL
 * accumulator or when out of memory. */
char *nerq_eval_report(const nerq_eval *ev, int flags);

/* Totals for tests and floors. `scheme` is "strict" or "partial",
 * `type` is "PERSON", "ORG", "PLACE" or "ALL"; stores -1 counts for an
 * unknown scheme or type. Any pointer may be NULL. */
void nerq_eval_counts(const nerq_eval *ev, const char *scheme,
                      const char *type, long *tp, long *fp, long *fn);
/* Quote span counts (segment matching as in docs/eval.md). */
void nerq_eval_quote_counts(const nerq_eval *ev, long *tp, long *fp,
                            long *fn);

/* For nerq eval --html: one <section> of a gold line (docs/eval.md) with
 * nerq's record for it (or NULL), drawn as the view draws mentions:
 * true positives plain, false positives class "fp" and false negatives
 * class "fn" (data-entity "gold"), strict matching (same span and type);
 * the record's quotes boxed. NULL if the gold line has no text or memory
 * ran out; else malloc'd (caller frees). */
char *nerq_eval_to_html(const char *gold_json, const char *pred_json);

#ifdef __cplusplus
}
#endif

#endif /* NERQ_EVAL_H */
