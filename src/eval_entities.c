/*
 * eval_entities.c - entity scoring (docs/eval.md): a strict scheme, exact
 * (start, end, type) sets, and a partial scheme, one-to-one greedy
 * overlap matching; predictions overlapping a flagged gold entity are
 * not scored.
 */
#include <stdlib.h>

#include "eval_internal.h"

static int span_cmp(const void *a, const void *b) {
  const span *x = a, *y = b;
  return eval_cmp_order(x->start, x->end, x->type, x->ord, y->start, y->end, y->type, y->ord);
}

static int span_same(const span *x, const span *y) {
  return x->start == y->start && x->end == y->end && x->type == y->type;
}

/* Sorts in document order and removes duplicate (start,end,type),
 * keeping the first occurrence in input order. */
static void sort_unique(vec *v) {
  span *a = v->items;
  size_t k = 0;
  if (v->n == 0)
    return;
  qsort(a, v->n, sizeof *a, span_cmp);
  for (size_t i = 1; i < v->n; i++)
    if (!span_same(&a[k], &a[i]))
      a[++k] = a[i];
  v->n = k + 1;
}

/* Drops predictions that overlap a flagged gold entity, unless they
 * are exactly an unflagged gold entity (an ORG "International
 * Brotherhood of Magicians" around a flagged "Magicians"). */
static void drop_flagged(eval_doc *d) {
  span *p = d->pred_e.items, *f = d->flagged.items, *g = d->gold_e.items;
  size_t k = 0;
  for (size_t i = 0; i < d->pred_e.n; i++) {
    int hit = 0, exact = 0;
    for (size_t j = 0; j < d->gold_e.n && !exact; j++)
      exact = span_same(&g[j], &p[i]);
    for (size_t j = 0; j < d->flagged.n && !hit && !exact; j++)
      hit = eval_overlap(p[i].start, p[i].end, f[j].start, f[j].end) > 0;
    if (!hit)
      p[k++] = p[i];
  }
  d->pred_e.n = k;
}

static int strict_error(eval_doc *d, const char *kind, const span *sp) {
  tally *t = &d->s.ent[S_STRICT][sp->type];
  if (kind[1] == 'P')
    t->fp++;
  else
    t->fn++;
  return eval_add_error(d, kind, eval_type_name(sp->type), sp->start, sp->end,
                        sp->rule);
}

/* Merges the two sorted unique sets. */
static int score_strict(eval_doc *d) {
  const span *g = d->gold_e.items, *p = d->pred_e.items;
  size_t i = 0, j = 0;
  while (i < d->gold_e.n || j < d->pred_e.n) {
    int c = i == d->gold_e.n ? 1 : j == d->pred_e.n ? -1
                                                    : span_cmp(&g[i], &p[j]);
    if (i < d->gold_e.n && j < d->pred_e.n && span_same(&g[i], &p[j])) {
      d->s.ent[S_STRICT][g[i].type].tp++;
      i++;
      j++;
    } else if (c < 0) {
      if (strict_error(d, "FN", &g[i++]) != 0)
        return -1;
    } else if (strict_error(d, "FP", &p[j++]) != 0) {
      return -1;
    }
  }
  return 0;
}

/* Greedy one-to-one overlap matching in document order. */
static int score_partial(eval_doc *d) {
  const span *g = d->gold_e.items, *p = d->pred_e.items;
  char *used = calloc(d->pred_e.n + 1, 1);
  if (!used)
    return -1;
  for (size_t i = 0; i < d->gold_e.n; i++) {
    size_t best = 0, best_ov = 0;
    for (size_t j = 0; j < d->pred_e.n; j++) {
      size_t ov = eval_overlap(g[i].start, g[i].end, p[j].start, p[j].end);
      if (!used[j] && p[j].type == g[i].type && ov > best_ov) {
        best = j;
        best_ov = ov;
      }
    }
    if (best_ov > 0)
      used[best] = 1;
    if (best_ov > 0)
      d->s.ent[S_PARTIAL][g[i].type].tp++;
    else
      d->s.ent[S_PARTIAL][g[i].type].fn++;
  }
  for (size_t j = 0; j < d->pred_e.n; j++)
    if (!used[j])
      d->s.ent[S_PARTIAL][p[j].type].fp++;
  free(used);
  return 0;
}

int eval_score_entities(eval_doc *d) {
  sort_unique(&d->gold_e);
  sort_unique(&d->pred_e);
  drop_flagged(d);
  if (d->no_entities)
    return 0;
  return score_strict(d) != 0 || score_partial(d) != 0 ? -1 : 0;
}
