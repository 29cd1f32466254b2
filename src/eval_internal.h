/*
 * eval_internal.h - what the parts of the eval module share (private).
 *
 *   eval.c          the accumulator, adding a document, merging scores
 *   eval_input.c    gold lines and predictions (JSON records or nerq_doc)
 *                   turned into spans; UTF-8 and small helpers
 *   eval_entities.c strict and partial entity scoring
 *   eval_quotes.c   quote and speaker scoring
 *   eval_indirect.c reported speech (quotes of kind indirect) and speakers
 *   eval_report.c   counts, nerq_eval_metric, the JSON and text reports
 *
 * A new scorer (e.g. reported speech) adds its tallies to `scores`, its
 * inputs to `eval_doc`, a function to the scorer table in eval.c, its
 * merge to eval_merge_scores, and its metrics and rows to eval_report.c.
 */
#ifndef NERQ_EVAL_INTERNAL_H
#define NERQ_EVAL_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "nerq_eval.h"

enum { T_PERSON,
       T_ORG,
       T_PLACE,
       T_N };
enum { S_STRICT,
       S_PARTIAL,
       S_N };

#define EVAL_CONTEXT_CP 30 /* code points of context around an error */

/* A type index's name, from the library's one table (nerq_type_name), or
 * "ALL" for T_N; and the index of exactly such a name, or -1. */
const char *eval_type_name(int t);
int eval_type_index(const char *name);
extern const char *const eval_scheme_names[S_N];

typedef struct {
  long tp, fp, fn;
} tally;

/* Scores of one document or of the whole run. */
typedef struct {
  tally ent[S_N][T_N];
  tally quotes;
  long spk_correct, spk_total, pron_correct, pron_total;
  tally ind;                           /* reported speech (eval_indirect.c) */
  long ind_spk_correct, ind_spk_total; /* ... and its speakers */
  long ind_docs;                       /* documents with gold attributions */
} scores;

struct nerq_eval {
  scores s;
  long docs;
  json_t *errors; /* array of FP/FN records (strict entities, quotes) */
};

/* An entity span; `rule` is borrowed from the prediction. */
typedef struct {
  size_t start, end, ord;
  int type;
  const char *rule;
} span;

/* A gold quote or a predicted quote segment. */
typedef struct {
  size_t start, end; /* raw span */
  size_t cs, ce;     /* content after trimming */
  size_t ord, quote; /* input order; index of the owning quote */
  int matched;
} qspan;

/* What scoring needs of one predicted quote; strings are borrowed from
 * the prediction (JSON record or nerq_doc). */
typedef struct {
  int has_speaker;  /* a speaker object (entity or mention) */
  const char *name; /* speaker name, NULL if none */
  size_t name_len;  /* its length in bytes */
  int has_mention;  /* ms, me: the speaker mention, clamped, non-empty */
  size_t ms, me;
  const char *how, *rule; /* may be NULL */
  int indirect;           /* kind "indirect": scored by eval_indirect.c */
} pquote;

typedef struct {
  void *items;
  size_t n, cap;
} vec;

/* Everything known about the document being added. */
typedef struct {
  json_t *gold, *pred; /* owned */
  char idbuf[32];
  const char *id;
  uint32_t *cp; /* the gold text, decoded */
  size_t n;
  vec gold_e, flagged, pred_e, gold_q, pred_q;
  vec pred_iq;     /* qspan segments of indirect quotes (not in pred_q) */
  vec pred_quotes; /* pquote, one per predicted quote */
  scores s;
  json_t *errors;
  int no_entities, no_quotes; /* gold without that layer: not scored */
} eval_doc;

/* eval_input.c */
int eval_vec_push(vec *v, const void *item, size_t size);
size_t eval_overlap(size_t s1, size_t e1, size_t s2, size_t e2);
/* -1, 0 or 1 as a is before, at or after b, comparing (start, end,
 * type, ord) in turn; `type` is 0 for quote spans. */
int eval_cmp_order(size_t as, size_t ae, int at, size_t ao, size_t bs, size_t be, int bt, size_t bo);
int eval_ascii_ieq(const char *a, size_t alen, const char *b, size_t blen);
int eval_get_offset(const json_t *obj, const char *key, size_t n, size_t *out);
void eval_set_error(char **error, const char *fmt, const char *a, const char *b);
int eval_add_error(eval_doc *d, const char *kind, const char *type, size_t s,
                   size_t e, const char *rule);
nerq_status eval_load_gold(eval_doc *d, const char *gold_json, char **error);
nerq_status eval_load_pred_json(eval_doc *d, const char *pred_json, char **error);
nerq_status eval_load_pred_doc(eval_doc *d, const nerq_doc *doc);

/* eval_entities.c, eval_quotes.c: 0, or -1 when out of memory */
int eval_score_entities(eval_doc *d);
int eval_score_quotes(eval_doc *d);
void eval_trim_content(const eval_doc *d, qspan *q);
int eval_names_match(const char *pred, size_t plen, const char *gold);
int eval_score_indirect(eval_doc *d);

/* eval_report.c */
double eval_ratio(long num, long den);
double eval_f1(double p, double r);

#endif /* NERQ_EVAL_INTERNAL_H */
