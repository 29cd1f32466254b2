/*
 * eval_quotes.c - quote scoring (docs/eval.md): gold quotes and predicted
 * segments are compared over their trimmed contents, one-to-one; speaker
 * accuracy is measured over the matched pairs.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"

static int is_space_cp(uint32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Quote marks, whitespace and edge punctuation trimmed from contents. */
static int is_trim_cp(uint32_t c) {
  static const uint32_t marks[] = {
      0x201C, 0x201D, 0x2018, 0x2019, '"', '\'', 0x00AB, 0x00BB,
      0x201E, 0x201F, 0x2039, 0x203A, ',', '.', ';', ':',
      '!', '?', 0x2013, 0x2014, '-'};
  if (is_space_cp(c))
    return 1;
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
    if (marks[i] == c)
      return 1;
  return 0;
}

void eval_trim_content(const eval_doc *d, qspan *q) {
  size_t s = q->start, e = q->end;
  while (s < e && is_trim_cp(d->cp[s]))
    s++;
  while (e > s && is_trim_cp(d->cp[e - 1]))
    e--;
  q->cs = s;
  q->ce = e;
}

/* ------------------------------------------------------------------ */
/* Quote scoring                                                       */
/* ------------------------------------------------------------------ */

static int qspan_cmp(const void *a, const void *b) {
  const qspan *x = a, *y = b;
  return eval_cmp_order(x->start, x->end, 0, x->ord, y->start, y->end, 0, y->ord);
}

/* Last word of `s`: the last whitespace-separated token with edge
 * punctuation removed. Returns its length (0 if none). */
/* Last word of s[0..e): the last whitespace-separated token with edge
 * punctuation removed. Returns its length (0 if none). */
static size_t last_word(const char *s, size_t e, const char **w) {
  static const char *const edge = " \t\r\n.,;:!?'\"()[]";
  size_t b;
  while (e > 0 && strchr(edge, s[e - 1]))
    e--;
  b = e;
  while (b > 0 && !strchr(" \t\r\n", s[b - 1]))
    b--;
  while (b < e && strchr(edge, s[b]))
    b++;
  *w = s + b;
  return e - b;
}

/* The predicted name pred[0..plen) matches the gold name: equal, or the
 * same last word (ASCII case-insensitive). Both stop at a NUL. */
int eval_names_match(const char *pred, size_t plen, const char *gold) {
  const char *pw, *gw;
  size_t pl, gl;
  if (!pred || !gold)
    return 0;
  plen = strnlen(pred, plen);
  gl = strlen(gold);
  if (eval_ascii_ieq(pred, plen, gold, gl))
    return 1;
  pl = last_word(pred, plen, &pw);
  gl = last_word(gold, gl, &gw);
  return pl > 0 && eval_ascii_ieq(pw, pl, gw, gl);
}

static int span_matches(const eval_doc *d, const json_t *gq, const pquote *pq) {
  size_t gs, ge;
  if (!eval_get_offset(gq, "speaker_start", d->n, &gs) ||
      !eval_get_offset(gq, "speaker_end", d->n, &ge) || !pq->has_mention)
    return 0;
  return eval_overlap(gs, ge, pq->ms, pq->me) > 0;
}

/* Counts speaker accuracy for gold quote gq matched by predicted pq. */
static void score_speaker(eval_doc *d, const json_t *gq, const pquote *pq) {
  const char *gname = json_string_value(json_object_get(gq, "speaker"));
  int has_span = json_is_integer(json_object_get(gq, "speaker_start")) ||
                 json_is_integer(json_object_get(gq, "speaker_end"));
  int pron = pq->how && strcmp(pq->how, "pronoun") == 0, ok;
  if ((!gname || !*gname) && !has_span)
    return;
  ok = pq->has_speaker && (eval_names_match(pq->name, pq->name_len, gname) ||
                           span_matches(d, gq, pq));
  d->s.spk_total++;
  d->s.spk_correct += ok;
  d->s.pron_total += pron;
  d->s.pron_correct += pron && ok;
}

/* The unmatched predicted segment best matching gold quote g, or -1. */
static long best_segment(const eval_doc *d, const qspan *g) {
  const qspan *p = d->pred_q.items;
  long best = -1;
  size_t best_ov = 0, lg = g->ce - g->cs;
  for (size_t j = 0; j < d->pred_q.n; j++) {
    size_t ov = eval_overlap(g->cs, g->ce, p[j].cs, p[j].ce);
    size_t lp = p[j].ce - p[j].cs, longer = lg > lp ? lg : lp;
    if (p[j].matched || ov == 0 || ov * 2 < longer || ov <= best_ov)
      continue;
    best = (long)j;
    best_ov = ov;
  }
  return best;
}

static const pquote *pred_quote(const eval_doc *d, size_t qi) {
  return (const pquote *)d->pred_quotes.items + qi;
}

int eval_score_quotes(eval_doc *d) {
  qspan *g = d->gold_q.items, *p = d->pred_q.items;
  const json_t *golds = json_object_get(d->gold, "quotes");
  if (d->no_quotes)
    return 0;
  if (d->gold_q.n)
    qsort(g, d->gold_q.n, sizeof *g, qspan_cmp);
  if (d->pred_q.n)
    qsort(p, d->pred_q.n, sizeof *p, qspan_cmp);
  for (size_t i = 0; i < d->gold_q.n; i++) {
    long j = best_segment(d, &g[i]);
    if (j < 0) {
      d->s.quotes.fn++;
      if (eval_add_error(d, "FN", "QUOTE", g[i].start, g[i].end, NULL) != 0)
        return -1;
      continue;
    }
    p[j].matched = 1;
    d->s.quotes.tp++;
    score_speaker(d, json_array_get(golds, g[i].quote),
                  pred_quote(d, p[j].quote));
  }
  for (size_t j = 0; j < d->pred_q.n; j++) {
    if (p[j].matched)
      continue;
    d->s.quotes.fp++;
    if (eval_add_error(d, "FP", "QUOTE", p[j].start, p[j].end,
                       pred_quote(d, p[j].quote)->rule) != 0)
      return -1;
  }
  return 0;
}
