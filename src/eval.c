/*
 * eval.c - the scoring accumulator (include/nerq_eval.h, docs/eval.md).
 *
 * A document is read (eval_input.c), scored by each scorer of the table
 * below into a local result, and merged into the accumulator only when
 * every step succeeded, so a malformed line leaves it untouched. The
 * parts of the module are listed in eval_internal.h.
 */
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"
#include "lexicon.h"

_Static_assert(T_PERSON == NERQ_PERSON - NERQ_PERSON && T_ORG == NERQ_ORG - NERQ_PERSON &&
                   T_PLACE == NERQ_PLACE - NERQ_PERSON && T_N == 3,
               "eval's type indexes follow the library's type codes");

const char *eval_type_name(int t) {
  return t == T_N ? "ALL" : nerq_type_name(t + NERQ_PERSON);
}

int eval_type_index(const char *name) {
  if (strcmp(name, "ALL") == 0)
    return T_N;
  int code = nerq_type_code(name);
  return code >= NERQ_PERSON ? code - NERQ_PERSON : -1;
}
const char *const eval_scheme_names[S_N] = {"strict", "partial"};

/* The scorers, run in this order on each document; each returns 0, or -1
 * when out of memory. A scorer skips a layer the gold line lacks. */
static int (*const scorers[])(eval_doc *) = {
    eval_score_entities, /* eval_entities.c */
    eval_score_quotes,   /* eval_quotes.c */
    eval_score_indirect, /* eval_indirect.c */
};

static void doc_free(eval_doc *d) {
  json_decref(d->gold);
  json_decref(d->pred);
  json_decref(d->errors);
  free(d->cp);
  free(d->gold_e.items);
  free(d->flagged.items);
  free(d->pred_e.items);
  free(d->gold_q.items);
  free(d->pred_q.items);
  free(d->pred_iq.items);
  free(d->pred_quotes.items);
}

static void merge_tally(tally *into, const tally *from) {
  into->tp += from->tp;
  into->fp += from->fp;
  into->fn += from->fn;
}

static void merge_scores(scores *into, const scores *from) {
  for (int s = 0; s < S_N; s++)
    for (int t = 0; t < T_N; t++)
      merge_tally(&into->ent[s][t], &from->ent[s][t]);
  merge_tally(&into->quotes, &from->quotes);
  into->spk_correct += from->spk_correct;
  into->spk_total += from->spk_total;
  into->pron_correct += from->pron_correct;
  into->pron_total += from->pron_total;
  merge_tally(&into->ind, &from->ind);
  into->ind_spk_correct += from->ind_spk_correct;
  into->ind_spk_total += from->ind_spk_total;
  into->ind_docs += from->ind_docs;
}

static nerq_status score_doc(eval_doc *d) {
  for (size_t i = 0; i < sizeof scorers / sizeof scorers[0]; i++)
    if (scorers[i](d) != 0)
      return NERQ_ERR_NOMEM;
  return NERQ_OK;
}

/* Adds one document whose prediction is `pred_json` or `doc` (at most one
 * of them not NULL). */
static nerq_status add(nerq_eval *ev, const char *gold_json,
                       const char *pred_json, const nerq_doc *doc,
                       char **error) {
  eval_doc d;
  nerq_status st;
  if (error)
    *error = NULL;
  if (!ev || !gold_json) {
    eval_set_error(error, "%s%s", "nerq_eval_add: NULL argument", "");
    return NERQ_ERR_USAGE;
  }
  memset(&d, 0, sizeof d);
  d.errors = json_array();
  st = d.errors ? eval_load_gold(&d, gold_json, error) : NERQ_ERR_NOMEM;
  if (st == NERQ_OK)
    st = doc ? eval_load_pred_doc(&d, doc)
             : eval_load_pred_json(&d, pred_json, error);
  if (st == NERQ_OK)
    st = score_doc(&d);
  if (st == NERQ_OK && json_array_extend(ev->errors, d.errors) != 0)
    st = NERQ_ERR_NOMEM;
  if (st == NERQ_OK) {
    merge_scores(&ev->s, &d.s);
    ev->docs++;
  }
  doc_free(&d);
  return st;
}

nerq_status nerq_eval_add(nerq_eval *ev, const char *gold_json,
                          const char *pred_json, char **error) {
  return add(ev, gold_json, pred_json, NULL, error);
}

nerq_status nerq_eval_add_doc(nerq_eval *ev, const char *gold_json,
                              const nerq_doc *doc, char **error) {
  return add(ev, gold_json, NULL, doc, error);
}

nerq_eval *nerq_eval_new(void) {
  nerq_eval *ev = calloc(1, sizeof *ev);
  if (!ev)
    return NULL;
  ev->errors = json_array();
  if (!ev->errors) {
    free(ev);
    return NULL;
  }
  return ev;
}

void nerq_eval_free(nerq_eval *ev) {
  if (!ev)
    return;
  json_decref(ev->errors);
  free(ev);
}
