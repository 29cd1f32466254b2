/* reported_keep.c - stage 6d: which reported-speech candidates stand.
 *
 * The candidates of reported.c get their speakers from the attribution
 * rules (attribute.c), with each cue's first word lent to the speech
 * cues while they run; a candidate no attribution rule attributes takes
 * the subject before its cue (rules of form speaker). One is then kept
 * when it has a speaker that is the subject of its own cue, outside its
 * content, whose cue is not that of a direct quote before it ("“We
 * will win,” Lee said after the vote"), and that overlaps no candidate
 * kept before it in its sentence, unless it ends the sentence with a
 * speech cue and holds the cues of those it overlaps (replaces). Every
 * verdict is noted for nerq explain. */
#include <stdlib.h>
#include <string.h>

#include "reported_impl.h"

/* A token's lexicon entry, replaced while the candidates are attributed
 * by item i of the lent entries (NERQ_ENT_LENT | i). */
typedef struct {
  uint32_t tok;
  nerq_ent was;
} cue_swap;

/* What cues_lend changed, for cues_restore. */
typedef struct {
  cue_swap *swaps;
  nerq_entry *lent; /* the entries lent, as doc->ents.lent */
  size_t n, cap;
} cue_loan;

/* The segments kept in the sentence that starts at byte `sent`, as
 * disjoint ranges in order: a candidate's overlap with them is found by
 * binary search, so a sentence of many candidates stays linear. */
static int overlaps_kept(rctx *c, const nerq_quote *q, uint32_t sent) {
  if (c->taken_sent != sent) c->ntaken = 0, c->taken_sent = sent;
  for (size_t b = 0; b < q->segs.count; b++) {
    const nerq_seg *y = NERQ_VEC_AT(&q->segs, nerq_seg, b);
    size_t lo = 0, hi = c->ntaken; /* the first kept range ending after y starts */
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (c->taken[mid].end <= y->start) lo = mid + 1;
      else hi = mid;
    }
    if (lo < c->ntaken && c->taken[lo].start < y->end) return 1;
  }
  return 0;
}

/* Adds q's segments to the ranges kept in its sentence. */
static nerq_status take(rctx *c, const nerq_quote *q) {
  for (size_t b = 0; b < q->segs.count; b++) {
    const nerq_seg *y = NERQ_VEC_AT(&q->segs, nerq_seg, b);
    if (c->ntaken == c->cap_taken) {
      size_t nc = c->cap_taken ? c->cap_taken * 2 : 16;
      nerq_seg *nt = realloc(c->taken, nc * sizeof *nt);
      if (!nt) return NERQ_ERR_NOMEM;
      c->taken = nt, c->cap_taken = nc;
    }
    size_t i = c->ntaken; /* mostly appended: content comes in order */
    while (i > 0 && c->taken[i - 1].start > y->start) i--;
    memmove(c->taken + i + 1, c->taken + i, (c->ntaken - i) * sizeof *c->taken);
    c->taken[i] = *y;
    c->ntaken++;
  }
  return NERQ_OK;
}

/* True if the cue lies in the match of the rule that found the speaker:
 * the speaker is the subject of this cue, not of another one. */
static int cue_in_match(const rctx *c, const nerq_quote *q, const nerq_seg *cue) {
  if (q->at_end <= q->at_first) return 0;
  uint32_t a = tk(c, q->at_first)->off, b = nerq_tok_end(c->doc->tokens.items, q->at_end - 1);
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

#define SUBJECT_REACH 14 /* tokens a `speaker` rule's match may start before the cue */

/* subject_speaker's search (below). */
static void subject_match(rctx *c, nerq_quote *q, const cand_info *in) {
  const nerq_doc *d = c->doc;
  const nerq_rep_index *x = &d->rules->rep;
  size_t from = in->cue_a > SUBJECT_REACH ? in->cue_a - SUBJECT_REACH : 0;
  uint64_t lists[SUBJECT_REACH + 1] = {0}; /* of the tokens from from + i to the cue */
  uint32_t flags[SUBJECT_REACH + 1] = {0};
  for (size_t i = in->cue_a - from; i-- > 0;) {
    lists[i] = lists[i + 1] | nerq_rep_lists_of(c, from + i);
    flags[i] = flags[i + 1] | tk(c, from + i)->flags;
  }
  for (size_t t = from; t < in->cue_a; t++) {
    if (tk(c, t)->off < in->sent_start || is_quoted(c, t)) continue;
    size_t k = x->ncand + x->nend;
    rmatch m;
    const nerq_rule *r;
    nerq_rep_first_at(&x->first, d->text.text, d->tokens.items, &d->ents, d->tokens.count, t,
                      c->one);
    while ((r = nerq_rep_next_match(c, c->one, d->rules->nirules, &k, t, lists[t - from], flags[t - from], &m))) {
      size_t ca = m.ca, cb = m.cb;
      if (m.end != in->cue_a || cb <= ca) continue;
      q->drop = 0;
      q->speaker = -1;
      q->spk_start = tk(c, ca)->off;
      q->spk_end = nerq_tok_end(c->doc->tokens.items, cb - 1);
      q->how = "role";
      q->rule = r->source;
      q->at_first = (uint32_t)t, q->at_end = in->cue_b;
      return;
    }
  }
}

/* True if the cue of candidate *in, content after it, is the cue of a
 * direct quote that closes before it: the quote is what was said, and
 * the words after the cue are when or how ("“We will win,” Lee said
 * after the vote."). The direct quotes, d->quotes[0, cand0), are in
 * order and do not nest: the last that closes before the cue in its
 * sentence, and the one before it (a quote in two parts), are the ones
 * that may have it. */
static int cue_of_quote_before(const rctx *c, const cand_info *in) {
  const nerq_doc *d = c->doc;
  size_t lo = 0, hi = c->cand0;
  if (in->form != REP_AFTER && in->form != REP_OBJECT) return 0;
  while (lo < hi) { /* the first quote that does not close before the cue */
    size_t mid = lo + (hi - lo) / 2;
    if (NERQ_VEC_AT(&d->quotes, nerq_quote, mid)->close_tok < in->cue_a) lo = mid + 1;
    else hi = mid;
  }
  for (size_t k = lo, n = 0; k-- > 0 && n < 2; n++) {
    const nerq_quote *o = NERQ_VEC_AT(&d->quotes, nerq_quote, k);
    if (tk(c, o->close_tok)->off < in->sent_start) return 0; /* in an earlier sentence */
    if (o->cue_end && o->cue_start == in->cue.start && !o->partial) return 1;
  }
  return 0;
}

/* The speaker of candidate q, which no attribution rule attributes, by
 * the first rule of form speaker whose match ends at the cue, tried
 * from the farthest start: the cue's subject as written ("opponents
 * say", "a recent survey found"), with entity null. A match consumes
 * no token from the cue on (env.stop; its lookaheads may test them):
 * a subject of cue words ends there, not at a cue word of the content
 * ("Some state officials said the pair raised ..."). */
static void subject_speaker(rctx *c, nerq_quote *q, const cand_info *in) {
  c->env.stop = in->cue_a;
  subject_match(c, q, in);
  c->env.stop = 0;
}

static const char OVERLAPS[] = "dropped: overlaps reported speech kept before";
static const char REPLACED[] =
    "dropped: replaced by a later cue that ends the sentence, whose content holds this cue";

/* Candidate q of an unattributed.* rule: content whose holder the text
 * leaves unstated ("The vote is expected to pass", "Asked whether ...,
 * she smiled"), kept with no speaker whatever the attribution rules
 * found (the subject they find is inside the content or another verb's). */
static const char *unattributed(rctx *c, nerq_quote *q, const cand_info *in) {
  q->drop = 0;
  q->speaker = q->org = -1;
  q->spk_start = q->spk_end = 0;
  q->how = NULL, q->rule = NULL, q->role = NULL;
  return overlaps_kept(c, q, in->sent_start) ? OVERLAPS : NULL;
}

/* Why candidate q is dropped (a static string), or NULL if it is kept. */
static const char *verdict(rctx *c, nerq_quote *q, const cand_info *in) {
  if (in->unattributed) return unattributed(c, q, in);
  if (cue_of_quote_before(c, in))
    return "dropped: its cue is that of a direct quote before it (the quote is what was said)";
  if (q->drop && !q->how) subject_speaker(c, q, in);
  if (q->drop)
    return q->how ? "dropped: a none rule matched" : "dropped: no attribution or speaker rule found a speaker";
  if (!cue_in_match(c, q, &in->cue))
    return "dropped: the cue lies outside the speaker rule's match (the speaker of another verb)";
  if (speaker_inside(q)) return "dropped: the speaker lies inside its own content";
  if (overlaps_kept(c, q, in->sent_start)) return OVERLAPS;
  return NULL;
}

/* Notes candidate q and its verdict in doc->rlog, for nerq explain: only
 * when the document is processed for explain (NERQ_EXPLAIN). */
static nerq_status log_candidate(nerq_doc *d, const nerq_quote *q, const cand_info *in,
                                 const char *why) {
  if (!d->explain) return NERQ_OK;
  nerq_rlog *l = nerq_vec_push(d->arena, &d->rlog);
  if (!l) return NERQ_ERR_NOMEM;
  const nerq_seg *a = NERQ_VEC_AT(&q->segs, nerq_seg, 0);
  const nerq_seg *z = NERQ_VEC_AT(&q->segs, nerq_seg, q->segs.count - 1);
  *l = (nerq_rlog){.first = a->start, .last = z->end, .segs = q->segs.count, .cue = in->cue, .span_rule = q->span_rule, .end_rule = in->end_rule, .rule = q->rule, .how = q->how, .verdict = why ? why : "kept", .speaker = q->speaker, .spk_start = q->spk_start, .spk_end = q->spk_end};
  return NERQ_OK;
}

/* True if a segment of a overlaps one of b. */
static int seg_overlap(const nerq_quote *a, const nerq_quote *b) {
  for (size_t i = 0; i < a->segs.count; i++)
    for (size_t j = 0; j < b->segs.count; j++) {
      const nerq_seg *x = NERQ_VEC_AT(&a->segs, nerq_seg, i), *y = NERQ_VEC_AT(&b->segs, nerq_seg, j);
      if (x->start < y->end && y->start < x->end) return 1;
    }
  return 0;
}

/* Whether a word of the cue of *in is a speech cue (list id) as it
 * stands. A word that only starts one ("pointed", of "pointed out") is
 * not: "Traders pointed to the car parks" lends its "pointed". */
static int cue_listed(const rctx *c, const cand_info *in, int id) {
  for (uint32_t t = in->cue_a; t < in->cue_b; t++) {
    const nerq_entry *e = nerq_doc_entry(c->doc, t);
    if (e && ((e->lists >> id) & 1)) return 1;
  }
  return 0;
}

/* True if candidate q, which overlaps reported speech kept before it in
 * its sentence, takes its place: q's cue is a speech cue at the end of
 * the sentence ("..., Lee said.", "..., according to the report."), and
 * the cue of every quote kept there that it overlaps lies in q's content,
 * the clause before the cue ("The plan, which the board backs, will
 * fail, Lee said"). Quotes d->quotes[first .. end) are this sentence's. */
static int replaces(const rctx *c, const nerq_quote *q, const cand_info *in, size_t first,
                    size_t end) {
  const nerq_doc *d = c->doc;
  const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, 0);
  int id = d->rules->ids.cues, any = 0;
  const nerq_entry *e = nerq_doc_entry(d, in->cue_a); /* or its first word starts one: "according to" */
  int speech = id >= 0 && (cue_listed(c, in, id) || (e && ((e->prefixes >> id) & 1)));
  if (in->form != REP_BEFORE || !speech || q->segs.count != 1) return 0;
  for (size_t k = first; k < end; k++) {
    const nerq_quote *o = NERQ_VEC_AT(&d->quotes, nerq_quote, k);
    if (!seg_overlap(q, o)) continue;
    if (o->cue_start < g->start || o->cue_end > g->end) return 0;
    any = 1;
  }
  return any;
}

/* Marks the explain note of kept quote o replaced. */
static void log_replaced(nerq_doc *d, const nerq_quote *o) {
  const nerq_seg *a = NERQ_VEC_AT(&o->segs, nerq_seg, 0);
  for (size_t i = d->rlog.count; d->explain && i-- > 0;) {
    nerq_rlog *l = NERQ_VEC_AT(&d->rlog, nerq_rlog, i);
    if (l->first == a->start && l->cue.start == o->cue_start && !strcmp(l->verdict, "kept")) {
      l->verdict = REPLACED;
      return;
    }
  }
}

/* Drops the quotes of d->quotes[first .. *end) that q overlaps
 * (replaces), and rebuilds the ranges kept in the sentence from the
 * others, which end at the new *end. */
static nerq_status replace(rctx *c, const nerq_quote *q, size_t first, size_t *end) {
  nerq_doc *d = c->doc;
  size_t n = first;
  c->ntaken = 0;
  for (size_t k = first; k < *end; k++) {
    nerq_quote *o = NERQ_VEC_AT(&d->quotes, nerq_quote, k);
    if (seg_overlap(q, o)) {
      log_replaced(d, o);
      continue;
    }
    nerq_status st = take(c, o);
    if (st) return st;
    *NERQ_VEC_AT(&d->quotes, nerq_quote, n++) = *o;
  }
  *end = n;
  return NERQ_OK;
}

/* Keeps, in order after the direct quotes, every candidate that has a
 * speaker and overlaps no candidate kept before it (unless it replaces
 * them), with the cue its rule found; notes every candidate in
 * doc->rlog. The candidates are the document's quotes from c->cand0 on:
 * the kept ones, [c->cand0, k), move down in place over the others (a
 * big document's candidates are not copied: a copy was a fifteenth of
 * its peak). */
static nerq_status keep(rctx *c) {
  nerq_doc *d = c->doc;
  size_t k = c->cand0, n = d->quotes.count;
  size_t first = k; /* the first quote kept in the sentence */
  uint32_t sent = UINT32_MAX;
  for (size_t i = c->cand0; i < n; i++) {
    nerq_quote *q = NERQ_VEC_AT(&d->quotes, nerq_quote, i);
    const cand_info *in = NERQ_VEC_AT(&c->info, cand_info, i - c->cand0);
    if (in->sent_start != sent) sent = in->sent_start, first = k;
    const char *why = verdict(c, q, in);
    nerq_status st = NERQ_OK;
    if (why == OVERLAPS && replaces(c, q, in, first, k)) why = NULL, st = replace(c, q, first, &k);
    if (!st) st = log_candidate(d, q, in, why);
    if (!st && !why) st = take(c, q);
    if (st) return st;
    if (why) continue;
    q->cue_start = in->cue.start;
    q->cue_end = in->cue.end;
    if (k != i) *NERQ_VEC_AT(&d->quotes, nerq_quote, k) = *q;
    k++;
  }
  d->quotes.count = k;
  return NERQ_OK;
}

/* Finds the speakers of the candidates (attribute.c), which sees the
 * direct quotes only, as when the candidates were apart from them. */
static nerq_status attribute_cands(rctx *c) {
  nerq_vec *all = &c->doc->quotes;
  if (all->count == c->cand0) return NERQ_OK; /* no candidate (items may be NULL) */
  nerq_vec spans = *all;
  spans.items = (char *)all->items + c->cand0 * all->size;
  spans.count -= c->cand0, spans.cap -= c->cand0;
  all->count = c->cand0;
  nerq_status st = nerq_quotes_attribute_spans(c->doc, &spans);
  all->count = c->cand0 + spans.count;
  return st;
}

/* Room for one more loan. */
static int loan_grow(cue_loan *l) {
  if (l->n < l->cap) return 0;
  size_t nc = l->cap ? l->cap * 2 : 64;
  cue_swap *ns = realloc(l->swaps, nc * sizeof *ns);
  if (ns) l->swaps = ns;
  nerq_entry *ne = ns ? realloc(l->lent, nc * sizeof *ne) : NULL;
  if (ne) l->lent = ne;
  if (!ns || !ne) return -1;
  l->cap = nc;
  return 0;
}

/* Makes the first word of every candidate's cue a speech cue
 * (lists/speech_cues) for the attribution rules, which find a speaker by
 * its cue: a cue of reported speech only ("polls show", "she hopes") is
 * one there too. Only the first: the speaker's words must not run over
 * the cue's first word to its last ("the chair asked <about>"). The
 * loan (malloc'd) holds what to undo with cues_restore. */
static nerq_status cues_lend(rctx *c, cue_loan *l) {
  int id = c->doc->rules->ids.cues;
  *l = (cue_loan){NULL, NULL, 0, 0};
  if (id < 0 || !c->info.count) return NERQ_OK;
  for (size_t i = 0; i < c->info.count; i++) {
    const cand_info *in = NERQ_VEC_AT(&c->info, cand_info, i);
    uint32_t t = in->cue_a;
    const nerq_entry *e = nerq_doc_entry(c->doc, t);
    if (t >= in->cue_b || cue_listed(c, in, id)) continue;
    if (loan_grow(l)) return NERQ_ERR_NOMEM;
    l->swaps[l->n] = (cue_swap){t, c->doc->ent_ids[t]};
    l->lent[l->n] = e ? *e : (nerq_entry){0};
    l->lent[l->n++].lists |= 1ull << id;
  }
  for (size_t i = 0; i < l->n; i++) c->doc->ent_ids[l->swaps[i].tok] = NERQ_ENT_LENT | (nerq_ent)i;
  c->doc->ents.lent = l->lent;
  return NERQ_OK;
}

static void cues_restore(rctx *c, cue_loan *l) {
  for (size_t i = l->n; i-- > 0;) c->doc->ent_ids[l->swaps[i].tok] = l->swaps[i].was;
  c->doc->ents.lent = NULL;
  free(l->swaps);
  free(l->lent);
}

nerq_status nerq_rep_select(rctx *c) {
  cue_loan loan = {NULL, NULL, 0, 0};
  nerq_status st = cues_lend(c, &loan);
  if (!st) st = attribute_cands(c);
  cues_restore(c, &loan);
  if (!st) st = keep(c);
  return st;
}
