/* eval_indirect.c - scores reported speech (docs/eval.md, "Reported
 * speech scores").
 *
 * A gold item is an entry of the gold's "attributions" whose "kind" is
 * "indirect" (PolNeAR's layout: "content" and "source" are arrays of
 * [start, end] code-point pairs, "source_text" the source as written).
 * A predicted item is a quote of kind "indirect" (its segments are in
 * d->pred_iq, never among the quotes). The content of either is its
 * segments, each trimmed as a quote's content is. Gold items, in document
 * order, each take the unmatched prediction sharing the most code points
 * with them, when that overlap is at least half the larger content. The
 * speaker of a matched item is right as for quotes: the predicted name
 * (or its last word) is the source text, or the predicted mention
 * overlaps a source span. */
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"

typedef struct {
  size_t first, n;  /* its segments: segs[first .. first + n) */
  size_t len;       /* code points of content */
  size_t pos, last; /* first and last content code point, for the order */
  const json_t *gold;
  size_t quote; /* predicted: index into d->pred_quotes */
  int used;
} item;

typedef struct {
  vec segs;  /* qspan, contents */
  vec items; /* item */
} side;

/* Integer pair [s, e) of a JSON array, clamped to [0, n]; 0 if not one. */
static int pair_of(const json_t *p, size_t n, size_t *s, size_t *e) {
  const json_t *a = json_array_get(p, 0), *b = json_array_get(p, 1);
  if (!json_is_integer(a) || !json_is_integer(b)) return 0;
  json_int_t x = json_integer_value(a), y = json_integer_value(b);
  x = x < 0 ? 0 : x;
  y = y < 0 ? 0 : y;
  *s = (unsigned long long)x > n ? n : (size_t)x;
  *e = (unsigned long long)y > n ? n : (size_t)y;
  return *s < *e;
}

/* Appends the segment [s, e), trimmed, to the item being built. */
static int add_seg(const eval_doc *d, side *sd, item *it, size_t s, size_t e) {
  qspan q = {s, e, 0, 0, 0, 0, 0};
  eval_trim_content(d, &q);
  if (q.ce <= q.cs) return 0;
  if (!it->len || q.cs < it->pos) it->pos = q.cs;
  if (q.ce > it->last) it->last = q.ce;
  it->len += q.ce - q.cs;
  it->n++;
  return eval_vec_push(&sd->segs, &q, sizeof q);
}

static int push_item(side *sd, item *it) {
  return it->len ? eval_vec_push(&sd->items, it, sizeof *it) : 0;
}

/* The indirect entries of the gold's "attributions". */
static int gold_items(const eval_doc *d, const json_t *attr, side *g) {
  size_t i, k, s, e;
  json_t *a, *p;
  json_array_foreach(attr, i, a) {
    const char *kind = json_string_value(json_object_get(a, "kind"));
    if (!kind || strcmp(kind, "indirect")) continue;
    item it = {g->segs.n, 0, 0, 0, 0, a, 0, 0};
    json_array_foreach(json_object_get(a, "content"), k, p) {
      if (pair_of(p, d->n, &s, &e) && add_seg(d, g, &it, s, e) != 0) return -1;
    }
    if (push_item(g, &it) != 0) return -1;
  }
  return 0;
}

/* The predicted indirect quotes, from their segments in d->pred_iq
 * (in input order, so a quote's segments are adjacent). */
static int pred_items(const eval_doc *d, side *p) {
  const qspan *q = d->pred_iq.items;
  for (size_t i = 0; i < d->pred_iq.n;) {
    item it = {p->segs.n, 0, 0, 0, 0, NULL, q[i].quote, 0};
    size_t j = i;
    for (; j < d->pred_iq.n && q[j].quote == q[i].quote; j++)
      if (add_seg(d, p, &it, q[j].start, q[j].end) != 0) return -1;
    if (push_item(p, &it) != 0) return -1;
    i = j;
  }
  return 0;
}

static int by_position(const void *pa, const void *pb) {
  const item *a = pa, *b = pb;
  if (a->pos != b->pos) return a->pos < b->pos ? -1 : 1;
  return (a->last > b->last) - (a->last < b->last);
}

/* Code points shared by the contents of gold item a and predicted b. */
static size_t shared(const side *g, const item *a, const side *p, const item *b) {
  const qspan *x = g->segs.items, *y = p->segs.items;
  size_t n = 0;
  for (size_t i = a->first; i < a->first + a->n; i++)
    for (size_t j = b->first; j < b->first + b->n; j++)
      n += eval_overlap(x[i].cs, x[i].ce, y[j].cs, y[j].ce);
  return n;
}

/* Whether predicted quote pq names gold attribution ga's source. */
static int speaker_right(const eval_doc *d, const json_t *ga, const pquote *pq) {
  const char *gname = json_string_value(json_object_get(ga, "source_text"));
  size_t i, s, e;
  json_t *p;
  if (!pq->has_speaker) return 0;
  if (gname && *gname && eval_names_match(pq->name, pq->name_len, gname)) return 1;
  json_array_foreach(json_object_get(ga, "source"), i, p) {
    if (pq->has_mention && pair_of(p, d->n, &s, &e) && eval_overlap(s, e, pq->ms, pq->me))
      return 1;
  }
  return 0;
}

static int has_source(const json_t *ga) {
  const char *s = json_string_value(json_object_get(ga, "source_text"));
  return (s && *s) || json_array_size(json_object_get(ga, "source")) > 0;
}

static void match_all(eval_doc *d, side *g, side *p) {
  item *gi = g->items.items, *pi = p->items.items;
  for (size_t i = 0; i < g->items.n; i++) {
    size_t best = p->items.n, bo = 0;
    for (size_t j = 0; j < p->items.n; j++) {
      size_t o = pi[j].used ? 0 : shared(g, &gi[i], p, &pi[j]);
      if (o > bo) bo = o, best = j;
    }
    size_t longer = best < p->items.n && pi[best].len > gi[i].len ? pi[best].len : gi[i].len;
    if (best == p->items.n || bo * 2 < longer) {
      d->s.ind.fn++;
      continue;
    }
    pi[best].used = 1;
    d->s.ind.tp++;
    if (!has_source(gi[i].gold)) continue;
    d->s.ind_spk_total++;
    d->s.ind_spk_correct +=
        speaker_right(d, gi[i].gold, (const pquote *)d->pred_quotes.items + pi[best].quote);
  }
  for (size_t j = 0; j < p->items.n; j++) d->s.ind.fp += !pi[j].used;
}

int eval_score_indirect(eval_doc *d) {
  const json_t *attr = json_object_get(d->gold, "attributions");
  if (!json_is_array(attr)) return 0; /* no such layer */
  side g = {{NULL, 0, 0}, {NULL, 0, 0}}, p = g;
  int st = gold_items(d, attr, &g) != 0 || pred_items(d, &p) != 0 ? -1 : 0;
  if (!st) {
    if (g.items.n) qsort(g.items.items, g.items.n, sizeof(item), by_position);
    if (p.items.n) qsort(p.items.items, p.items.n, sizeof(item), by_position);
    match_all(d, &g, &p);
    d->s.ind_docs++;
  }
  free(g.segs.items);
  free(g.items.items);
  free(p.segs.items);
  free(p.items.items);
  return st;
}
