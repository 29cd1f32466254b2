/* reported.c - stage 6c: reported speech, quotes without marks.
 *
 * "Wang said the company would expand", "The company would expand,
 * Wang said", "According to Wang, the company ...". The rules of
 * rules/quotes/reported.rules find where the content lies: each rule's
 * match sits in one sentence, outside quotation marks, and its capture
 * is the cue; its FORM says that the content runs from the end of the
 * match to the end of the sentence (after), from the start of the
 * sentence to the start of the match (before: the match must then reach
 * the end of the sentence), or both (between). The speaker is then found
 * by the attribution rules of rules/quotes/, as for a quote whose marks
 * stand at the edges of the content (attribute.c). A candidate with no
 * speaker rule, or whose content overlaps a direct quote, is dropped,
 * and so is one that overlaps an earlier candidate kept. The kept ones
 * are appended to doc->quotes with kind indirect.
 *
 * Linear in the length of a sentence: word and quoted-token counts are
 * prefix sums, the content's end is found once a sentence, and a
 * document holds at most as many candidates as quotes.c allows direct
 * quotes (MAX_CANDS), with a warning where the scan stopped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "segments.h"
#include "rules.h"
#include "quotes.h"
#include "document.h"

#define MIN_WORDS 3 /* words of content, fewer is no reported speech */
/* Candidates one document may hold: 1,000 and one more per 32 bytes of
 * text, the bound of quotes.c on direct quotes. */
#define MAX_CANDS_BASE 1000
#define CAND_BYTES 32

typedef struct {
  nerq_doc *doc;
  nerq_match_env env;
  uint32_t *quoted; /* prefix sums: tokens before t inside a direct quote */
  uint32_t *words;  /* prefix sums: word tokens before t */
  size_t ce;        /* content_end of the sentence being scanned */
  size_t max_cands; /* MAX_CANDS_BASE + text bytes / CAND_BYTES */
  int full;         /* max_cands reached: the scan stopped */
  nerq_vec cands;   /* nerq_quote candidates */
  nerq_vec info;    /* cand_info of each candidate */
} rctx;

typedef struct {
  nerq_seg cue;        /* the cue's bytes */
  uint32_t sent_start; /* the first byte of its sentence */
} cand_info;

static const nerq_token *tk(const rctx *c, size_t i) {
  return NERQ_VEC_AT(&c->doc->tokens, nerq_token, i);
}

/* The prefix sums of quoted tokens (the tokens of every direct quote,
 * marks included) and of words; scratch, released by counts_free. */
static nerq_status count_tokens(rctx *c) {
  nerq_doc *d = c->doc;
  size_t n = d->tokens.count;
  int32_t *open = calloc(n + 1, sizeof *open); /* quotes opening minus closing at t */
  c->quoted = malloc((n + 1) * sizeof *c->quoted);
  c->words = malloc((n + 1) * sizeof *c->words);
  if (!open || !c->quoted || !c->words) return free(open), NERQ_ERR_NOMEM;
  for (size_t q = 0; q < d->quotes.count; q++) {
    const nerq_quote *qq = NERQ_VEC_AT(&d->quotes, nerq_quote, q);
    if (qq->open_tok >= n || qq->close_tok < qq->open_tok) continue;
    open[qq->open_tok]++;
    open[qq->close_tok < n ? qq->close_tok + 1 : n]--;
  }
  int32_t depth = 0;
  c->quoted[0] = c->words[0] = 0;
  for (size_t t = 0; t < n; t++) {
    depth += open[t];
    c->quoted[t + 1] = c->quoted[t] + (depth > 0);
    c->words[t + 1] = c->words[t] + ((tk(c, t)->flags & TOK_WORD) != 0);
  }
  free(open);
  return NERQ_OK;
}

static void counts_free(rctx *c) {
  free(c->quoted);
  free(c->words);
}

static int is_quoted(const rctx *c, size_t t) { return c->quoted[t + 1] != c->quoted[t]; }

/* True if any token of [a, b) is inside a direct quote. */
static int any_quoted(const rctx *c, size_t a, size_t b) {
  return b > a && c->quoted[b] != c->quoted[a];
}

static size_t words_in(const rctx *c, size_t a, size_t b) {
  return b > a ? c->words[b] - c->words[a] : 0;
}

/* One past the last token of the sentence's content: closing
 * punctuation and quote marks at its end left out. */
static size_t content_end(const rctx *c, const nerq_range *s) {
  size_t e = s->end;
  while (e > s->first && (tk(c, e - 1)->flags & (TOK_PUNCT | TOK_QUOTE)) &&
         !(tk(c, e - 1)->flags & TOK_WORD))
    e--;
  return e;
}

static nerq_status add_seg(rctx *c, nerq_quote *q, size_t a, size_t b) {
  nerq_seg *g = nerq_vec_push(c->doc->arena, &q->segs);
  if (!g) return NERQ_ERR_NOMEM;
  g->start = tk(c, a)->off;
  g->end = tk(c, b - 1)->off + tk(c, b - 1)->len;
  return NERQ_OK;
}

/* The content of a match of form `form` over tokens [t, end) of
 * sentence s, as candidate q; 0 when there is none. */
static int content_of(const rctx *c, int form, const nerq_range *s, size_t t, size_t end,
                      size_t span[4]) {
  size_t ce = c->ce;
  span[0] = span[1] = span[2] = span[3] = 0;
  if (form == REP_AFTER) {
    span[0] = end, span[1] = ce;
  } else if (form == REP_BEFORE) {
    if (end < ce) return 0; /* the match must end the sentence */
    span[0] = s->first, span[1] = t;
  } else {
    if (end >= ce || words_in(c, s->first, t) == 0 || words_in(c, end, ce) == 0) return 0;
    span[0] = s->first, span[1] = t, span[2] = end, span[3] = ce;
  }
  size_t w = words_in(c, span[0], span[1]) + words_in(c, span[2], span[3]);
  if (w < MIN_WORDS) return 0;
  return !any_quoted(c, span[0], span[1]) && !any_quoted(c, span[2], span[3]);
}

/* Stops the scan at token t, a document with more candidates than its
 * bound, with a warning. */
static nerq_status stop_scan(rctx *c, size_t t) {
  char msg[200];
  snprintf(msg, sizeof msg,
           "too many reported-speech cues: the %zu candidates a document of this size may hold are read, the text after offset %zu is not",
           c->cands.count, nerq_text_cp(&c->doc->text, tk(c, t)->off));
  nerq_doc_warn(c->doc, msg);
  c->full = 1;
  return NERQ_OK;
}

/* Makes the candidate of rule r's match at [t, end), capture [ca, cb). */
static nerq_status candidate(rctx *c, const nerq_rule *r, uint32_t sent, size_t t, size_t end,
                             size_t ca, size_t cb, int *made) {
  const nerq_range *s = NERQ_VEC_AT(&c->doc->sentences, nerq_range, sent);
  size_t sp[4];
  *made = 0;
  if (!content_of(c, r->type, s, t, end, sp)) return NERQ_OK;
  if (c->cands.count >= c->max_cands) return stop_scan(c, t);
  nerq_quote *q = nerq_vec_push(c->doc->arena, &c->cands);
  cand_info *in = nerq_vec_push(c->doc->arena, &c->info);
  if (!q || !in) return NERQ_ERR_NOMEM;
  nerq_vec_init(&q->segs, sizeof(nerq_seg));
  q->indirect = 1;
  q->speaker = q->org = -1;
  q->log = -1;
  q->span_rule = r->source;
  q->open_tok = (uint32_t)sp[0];
  q->closed = r->type != REP_AFTER;
  q->close_tok = (uint32_t)(q->closed ? t : sp[1] - 1);
  in->cue.start = tk(c, ca)->off;
  in->cue.end = tk(c, cb - 1)->off + tk(c, cb - 1)->len;
  in->sent_start = tk(c, s->first)->off;
  nerq_status st = add_seg(c, q, sp[0], sp[1]);
  if (!st && sp[3] > sp[2]) st = add_seg(c, q, sp[2], sp[3]);
  *made = 1;
  return st;
}

/* The highest-priority rule matching at token t of sentence s, made a
 * candidate. */
static nerq_status try_at(rctx *c, uint32_t sent, const nerq_range *s, size_t t) {
  const nerq_rules *rules = c->doc->rules;
  const nerq_entry *e = c->doc->entries[t];
  uint64_t l = e ? e->lists : 0;
  for (size_t k = 0; k < rules->nirules; k++) {
    const nerq_rule *r = &rules->irules[k];
    size_t ca, cb, end;
    if (!nerq_gate_first(&r->gate, tk(c, t)->flags, l, e ? l | e->prefixes : 0)) continue;
    if (!nerq_rule_match(c->doc, r, &c->env, t, &ca, &cb, &end)) continue;
    if (end > s->end || cb <= ca || any_quoted(c, t, end)) continue;
    int made = 0;
    nerq_status st = candidate(c, r, sent, t, end, ca, cb, &made);
    if (st || made || c->full) return st;
  }
  return NERQ_OK;
}

static nerq_status find_candidates(rctx *c) {
  nerq_doc *d = c->doc;
  for (size_t k = 0; k < d->sentences.count && !c->full; k++) {
    const nerq_range *s = NERQ_VEC_AT(&d->sentences, nerq_range, k);
    c->ce = content_end(c, s);
    for (size_t t = s->first; t < s->end && !c->full; t++) {
      if (is_quoted(c, t)) continue;
      nerq_status st = try_at(c, (uint32_t)k, s, t);
      if (st) return st;
    }
  }
  return NERQ_OK;
}

/* True if a segment of q overlaps one of an indirect quote kept
 * already (from `from` on), looking back only as far as q's sentence,
 * which holds all of q: kept quotes are in sentence order. */
static int overlaps_kept(const nerq_doc *d, size_t from, const nerq_quote *q, uint32_t sent) {
  for (size_t i = d->quotes.count; i-- > from;) {
    const nerq_quote *k = NERQ_VEC_AT(&d->quotes, nerq_quote, i);
    if (NERQ_VEC_AT(&k->segs, nerq_seg, k->segs.count - 1)->end <= sent) break;
    for (size_t a = 0; a < k->segs.count; a++)
      for (size_t b = 0; b < q->segs.count; b++) {
        const nerq_seg *x = NERQ_VEC_AT(&k->segs, nerq_seg, a);
        const nerq_seg *y = NERQ_VEC_AT(&q->segs, nerq_seg, b);
        if (x->start < y->end && y->start < x->end) return 1;
      }
  }
  return 0;
}

/* True if the cue lies in the match of the rule that found the speaker:
 * the speaker is the subject of this cue, not of another one. */
static int cue_in_match(const rctx *c, const nerq_quote *q, const nerq_seg *cue) {
  if (q->at_end <= q->at_first) return 0;
  uint32_t a = tk(c, q->at_first)->off, b = tk(c, q->at_end - 1)->off + tk(c, q->at_end - 1)->len;
  return a <= cue->start && cue->end <= b;
}

/* True if q's speaker mention lies in its own content: the subject of
 * the content's clause, not the one who speaks. */
static int speaker_inside(const nerq_quote *q) {
  if (!q->spk_end) return 0;
  for (size_t i = 0; i < q->segs.count; i++) {
    const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, i);
    if (q->spk_start < g->end && g->start < q->spk_end) return 1;
  }
  return 0;
}

/* Appends every candidate that has a speaker and overlaps no candidate
 * kept before it to the document's quotes, with the cue its rule
 * found. */
static nerq_status keep(rctx *c) {
  nerq_doc *d = c->doc;
  size_t from = d->quotes.count;
  for (size_t i = 0; i < c->cands.count; i++) {
    nerq_quote *q = NERQ_VEC_AT(&c->cands, nerq_quote, i);
    const cand_info *in = NERQ_VEC_AT(&c->info, cand_info, i);
    if (q->drop || !cue_in_match(c, q, &in->cue) || speaker_inside(q) ||
        overlaps_kept(d, from, q, in->sent_start))
      continue;
    q->cue_start = in->cue.start;
    q->cue_end = in->cue.end;
    nerq_quote *out = nerq_vec_push(d->arena, &d->quotes);
    if (!out) return NERQ_ERR_NOMEM;
    *out = *q;
  }
  return NERQ_OK;
}

nerq_status nerq_reported_find(nerq_doc *doc) {
  if (!doc->rules->nirules || !doc->sentences.count) return NERQ_OK;
  rctx c = {.doc = doc, .max_cands = MAX_CANDS_BASE + doc->text.len / CAND_BYTES};
  nerq_vec_init(&c.cands, sizeof(nerq_quote));
  nerq_vec_init(&c.info, sizeof(cand_info));
  nerq_status st = count_tokens(&c);
  void *md = NULL, *mc = NULL;
  if (!st && nerq_regex_context(&md, &mc)) st = NERQ_ERR_NOMEM;
  if (st) return counts_free(&c), st;
  c.env = (nerq_match_env){doc->text.text, doc->tokens.items, doc->tokens.count,
                           doc->rules->lex, doc->entries, NULL, NULL, 0, md, mc, 0, -1, &doc->spent};
  st = find_candidates(&c);
  nerq_regex_context_free(md, mc);
  if (!st) st = nerq_quotes_attribute_spans(doc, &c.cands);
  if (!st) st = keep(&c);
  counts_free(&c);
  return st;
}
