/* reported.c - stage 6c: reported speech, quotes without marks.
 *
 * "Wang said the company would expand", "The company would expand,
 * Wang said", "According to Wang, the company ...". The rules of
 * rules/quotes/reported.rules find where the content lies: each rule's
 * match sits in one sentence, outside quotation marks, and its capture
 * is the cue; its FORM says that the content runs from the end of the
 * match to the end of the sentence (after), from the start of the
 * sentence to the start of the match (before: the match must then reach
 * the end of the sentence), or both (between), or the rest of the match
 * after the cue, one word being enough (object: "endorsed Ortiz"). The
 * speaker is then found by the attribution rules of rules/quotes/, as
 * for a quote whose marks stand at the edges of the content
 * (attribute.c). A candidate with no
 * speaker rule, or whose content overlaps a direct quote, is dropped,
 * and so is one that overlaps an earlier candidate kept, unless it ends
 * the sentence with a speech cue and holds the cues of those it overlaps
 * in its content: it then takes their place ("The pier, which the
 * council says is unsafe, will close, Varga said"). The kept ones are
 * appended to doc->quotes with kind indirect.
 *
 * Linear in the length of a sentence: word and quoted-token counts are
 * ranks over bits, the content's end is found once a sentence, and a
 * document holds at most as many candidates as quotes.c allows direct
 * quotes (MAX_CANDS), with a warning where the scan stopped.
 *
 * Each loop tries only the rules of its form (rules->rep, built at
 * load: reported_index.c), and at token t only those whose first tokens
 * (nerq_pattern_prefix, of the rule or of each of its first
 * instructions: the slots of rep.first) t and the next tokens pass by
 * first byte, flags, lists and (a plain token) length and second byte
 * (the sets of rep.first, looked up once a token: no loop
 * over the rules that cannot start there), whose first-token gate t
 * passes and whose mandatory lists and flags (gate.must_lists,
 * must_flags: tested by every match) some token from t to the end of
 * the sentence has (for a speaker rule: to the cue). Every match a
 * caller accepts lies there, so a rule skipped
 * would have found none: the output is that of trying every rule at
 * every token. A sentence where no candidate rule may match is skipped
 * whole. Only a runaway rule's warning can differ: an attempt skipped is
 * not counted, even one that would have run out of its budget. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reported_impl.h"

#define MIN_WORDS 2 /* words of content, fewer is no reported speech */
/* Candidates one document may hold: 1,000 and one more per 32 bytes of
 * text, the bound of quotes.c on direct quotes. */
#define MAX_CANDS_BASE 1000
#define CAND_BYTES 32

/* The candidates made so far. */
static size_t ncands(const rctx *c) { return c->doc->quotes.count - c->cand0; }

/* A quote's opening (+1) or the token after its end (-1). */
typedef struct {
  uint32_t tok;
  int32_t step;
} quote_edge;

static int cmp_edge(const void *a, const void *b) {
  uint32_t x = ((const quote_edge *)a)->tok, y = ((const quote_edge *)b)->tok;
  return x < y ? -1 : x > y;
}

/* The first token at or after byte b (tokens are in offset order). */
static uint32_t tok_at(const nerq_doc *d, uint32_t b) {
  size_t lo = 0, hi = d->tokens.count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (NERQ_VEC_AT(&d->tokens, nerq_token, mid)->off < b) lo = mid + 1;
    else hi = mid;
  }
  return (uint32_t)lo;
}

/* One past the last token of the sentence that holds token t. */
static uint32_t sent_end(const nerq_doc *d, uint32_t t) {
  size_t lo = 0, hi = d->sentences.count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (NERQ_VEC_AT(&d->sentences, nerq_range, mid)->end <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo < d->sentences.count ? NERQ_VEC_AT(&d->sentences, nerq_range, lo)->end : t;
}

/* The words between segment g and g + 1 of quote q when a sentence ends
 * there ("“…,” Wang said, referring to the vote. “…”", a quote merged
 * across its attribution): tokens [*a, *b), its marks left quoted;
 * empty when none, or when the next segment goes on the sentence. */
static void seg_gap(const nerq_doc *d, const nerq_quote *q, size_t g, uint32_t *a, uint32_t *b) {
  const nerq_seg *x = NERQ_VEC_AT(&q->segs, nerq_seg, g), *y = x + 1;
  *a = tok_at(d, x->end), *b = tok_at(d, y->start);
  while (*a < *b && (NERQ_VEC_AT(&d->tokens, nerq_token, *a)->flags & TOK_QUOTE)) (*a)++;
  while (*b > *a && (NERQ_VEC_AT(&d->tokens, nerq_token, *b - 1)->flags & TOK_QUOTE)) (*b)--;
  if (*a < *b && sent_end(d, *a) > *b) *b = *a;
}

/* The edges of every direct quote, sorted (malloc'd), and their count:
 * from its opening mark to its closing one, but for the words between
 * two of its segments. */
static quote_edge *quote_edges(const nerq_doc *d, size_t n, size_t *k) {
  size_t m = 1;
  for (size_t q = 0; q < d->quotes.count; q++)
    m += 2 * (NERQ_VEC_AT(&d->quotes, nerq_quote, q)->segs.count + 1);
  quote_edge *e = malloc(m * sizeof *e);
  *k = 0;
  for (size_t q = 0; e && q < d->quotes.count; q++) {
    const nerq_quote *qq = NERQ_VEC_AT(&d->quotes, nerq_quote, q);
    if (qq->open_tok >= n || qq->close_tok < qq->open_tok) continue;
    e[(*k)++] = (quote_edge){qq->open_tok, 1};
    for (size_t g = 0; g + 1 < qq->segs.count; g++) {
      uint32_t a, b;
      seg_gap(d, qq, g, &a, &b);
      if (a >= b || a <= qq->open_tok || b > qq->close_tok) continue;
      e[(*k)++] = (quote_edge){a, -1};
      e[(*k)++] = (quote_edge){b, 1};
    }
    e[(*k)++] = (quote_edge){qq->close_tok < n ? qq->close_tok + 1 : (uint32_t)n, -1};
  }
  if (e) qsort(e, *k, sizeof *e, cmp_edge);
  return e;
}

/* Which tokens are quoted (the tokens of every direct quote, marks
 * included) and which are words, as bits with counts a block of 64
 * tokens (a quarter byte a token each, not the 4 of prefix sums);
 * scratch, released by counts_free. */
static nerq_status count_tokens(rctx *c) {
  nerq_doc *d = c->doc;
  size_t n = d->tokens.count, k, e = 0;
  quote_edge *edge = quote_edges(d, n, &k);
  c->quoted = calloc((n >> 6) + 1, sizeof *c->quoted);
  c->words = calloc((n >> 6) + 1, sizeof *c->words);
  if (!edge || !c->quoted || !c->words) return free(edge), NERQ_ERR_NOMEM;
  int32_t depth = 0;
  uint32_t nq = 0, nw = 0;
  for (size_t t = 0; t <= n; t++) {
    if (!(t & 63)) c->quoted[t >> 6].before = nq, c->words[t >> 6].before = nw;
    if (t == n) break;
    while (e < k && edge[e].tok <= t) depth += edge[e++].step;
    uint64_t bit = 1ull << (t & 63);
    if (depth > 0) c->quoted[t >> 6].bits |= bit, nq++;
    if (tk(c, t)->flags & TOK_WORD) c->words[t >> 6].bits |= bit, nw++;
  }
  free(edge);
  return NERQ_OK;
}

static void counts_free(rctx *c) {
  free(c->quoted);
  free(c->words);
  free(c->stops);
  free(c->taken);
  free(c->suf_lists);
  free(c->suf_flags);
  free(c->act);
  free(c->first);
  free(c->one);
}

/* True if tokens with these lists and flags, all together, have every
 * list and flag that each match of r needs. */
static int may_match(const nerq_rule *r, uint64_t lists, uint32_t flags) {
  return (lists & r->gate.must_lists) == r->gate.must_lists &&
         (flags & r->gate.must_flags) == r->gate.must_flags;
}

uint64_t nerq_rep_lists_of(const rctx *c, size_t t) {
  const nerq_entry *e = nerq_doc_entry(c->doc, t);
  return e ? e->lists | e->prefixes : 0;
}

/* The first rule of the set `set` (bits of rep.idx positions) from
 * position *k to hi that matches at token t, whose tokens from t on have
 * the lists and flags `lists`, `flags` (may_match) and whose gate's
 * first-token lists t passes, its match in *m; *k is left past it. NULL
 * when none is left. The set holds only rules whose first tokens t and
 * the next pass by bytes and flags (nerq_rep_first_at). */
const nerq_rule *nerq_rep_next_match(rctx *c, const uint64_t *set, size_t hi, size_t *k, size_t t,
                                     uint64_t lists, uint32_t flags, rmatch *m) {
  const nerq_entry *e = nerq_doc_entry(c->doc, t);
  uint64_t l = e ? e->lists : 0;
  uint32_t f = tk(c, t)->flags;
  const nerq_rep_index *x = &c->doc->rules->rep;
  while (*k < hi) {
    uint64_t w = set[*k >> 6] >> (*k & 63);
    if (!w) {
      *k = (*k | 63) + 1;
      continue;
    }
    *k += (size_t)__builtin_ctzll(w);
    if (*k >= hi) break;
    const nerq_rule *r = &c->doc->rules->irules[x->idx[(*k)++]];
    if (!may_match(r, lists, flags)) continue;
    if (!nerq_gate_first(&r->gate, f, l, e ? l | e->prefixes : 0)) continue;
    if (nerq_rule_match(c->doc, r, &c->env, t, &m->ca, &m->cb, &m->end)) return r;
  }
  return NULL;
}

/* Fills the suffix masks of sentence s and its rules that may match in
 * it (c->act); 0 if no candidate rule may. */
static nerq_status sentence_rules(rctx *c, const nerq_range *s, int *any) {
  size_t len = s->end - s->first;
  if (len + 1 > c->cap_suf) {
    size_t nc = len + 1 > 2 * c->cap_suf ? len + 1 : 2 * c->cap_suf;
    uint64_t *nl = realloc(c->suf_lists, nc * sizeof *nl);
    if (nl) c->suf_lists = nl;
    uint32_t *nf = realloc(c->suf_flags, nc * sizeof *nf);
    if (nf) c->suf_flags = nf;
    if (!nl || !nf) return NERQ_ERR_NOMEM;
    c->cap_suf = nc;
  }
  c->suf_lists[len] = 0, c->suf_flags[len] = 0;
  for (size_t i = len; i-- > 0;) {
    c->suf_lists[i] = c->suf_lists[i + 1] | nerq_rep_lists_of(c, s->first + i);
    c->suf_flags[i] = c->suf_flags[i + 1] | tk(c, s->first + i)->flags;
  }
  const nerq_rules *rules = c->doc->rules;
  const nerq_rep_index *x = &rules->rep;
  memset(c->act, 0, x->first.nwords * sizeof *c->act);
  *any = 0;
  for (size_t k = 0; k < x->ncand + x->nend; k++) {
    if (!may_match(&rules->irules[x->idx[k]], c->suf_lists[0], c->suf_flags[0])) continue;
    c->act[k >> 6] |= 1ull << (k & 63);
    *any |= k < x->ncand;
  }
  return NERQ_OK;
}

/* For each token of sentence s, the rules of c->act that may start
 * there (c->first, nwords words a token). */
static nerq_status sentence_firsts(rctx *c, const nerq_range *s) {
  const nerq_doc *d = c->doc;
  size_t len = s->end - s->first, w = d->rules->rep.first.nwords;
  if (len * w > c->cap_first) {
    size_t nc = len * w > 2 * c->cap_first ? len * w : 2 * c->cap_first;
    uint64_t *nf = realloc(c->first, nc * sizeof *nf);
    if (!nf) return NERQ_ERR_NOMEM;
    c->first = nf, c->cap_first = nc;
  }
  for (size_t i = 0; i < len; i++) {
    uint64_t *f = c->first + i * w;
    nerq_rep_first_at(&d->rules->rep.first, d->text.text, d->tokens.items, &d->ents,
                      d->tokens.count, s->first + i, f);
    for (size_t j = 0; j < w; j++) f[j] &= c->act[j];
  }
  return NERQ_OK;
}

/* How many tokens before t have their bit set. */
static uint32_t rank(const token_bits *b, size_t t) {
  uint64_t below = b[t >> 6].bits & ((1ull << (t & 63)) - 1);
  return b[t >> 6].before + (uint32_t)__builtin_popcountll(below);
}

/* True if any token of [a, b) is inside a direct quote. */
static int any_quoted(const rctx *c, size_t a, size_t b) {
  return b > a && rank(c->quoted, b) != rank(c->quoted, a);
}

static size_t words_in(const rctx *c, size_t a, size_t b) {
  return b > a ? rank(c->words, b) - rank(c->words, a) : 0;
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
  g->end = nerq_tok_end(c->doc->tokens.items, b - 1);
  return NERQ_OK;
}

/* Collects the stops of sentence s: where the capture of a rule of form
 * end starts ("Wang said the fares would rise<, and> he ..."). */
static nerq_status find_stops(rctx *c, const nerq_range *s) {
  const nerq_rep_index *x = &c->doc->rules->rep;
  c->nstops = 0;
  for (size_t t = s->first; t < s->end; t++) {
    size_t i = t - s->first, k = x->ncand;
    rmatch m;
    const nerq_rule *r;
    const uint64_t *set = c->first + i * x->first.nwords;
    while ((r = nerq_rep_next_match(c, set, x->ncand + x->nend, &k, t, c->suf_lists[i], c->suf_flags[i], &m))) {
      size_t ca = m.ca;
      if (m.end > s->end || (c->nstops && c->stops[c->nstops - 1].tok >= ca)) continue;
      if (c->nstops == c->cap_stops) {
        size_t nc = c->cap_stops ? c->cap_stops * 2 : 16;
        stop *ns = realloc(c->stops, nc * sizeof *ns);
        if (!ns) return NERQ_ERR_NOMEM;
        c->stops = ns, c->cap_stops = nc;
      }
      c->stops[c->nstops++] = (stop){(uint32_t)ca, r->source};
      break;
    }
  }
  return NERQ_OK;
}

/* Where content that starts at token a ends: the first stop after a
 * (noted in c->clip), or the sentence's content end. */
static size_t stop_after(rctx *c, size_t a) {
  size_t lo = 0, hi = c->nstops;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->stops[mid].tok <= a) lo = mid + 1;
    else hi = mid;
  }
  if (lo == c->nstops || c->stops[lo].tok >= c->ce) return c->ce;
  c->clip = c->stops[lo].rule;
  return c->stops[lo].tok;
}

/* The content of a match of form `form` over tokens [t, end) of
 * sentence s, its capture ending at token cb, as candidate q; 0 when
 * there is none. */
static int content_of(rctx *c, int form, const nerq_range *s, size_t t, size_t end, size_t cb,
                      size_t span[4]) {
  size_t ce = c->ce;
  c->clip = NULL;
  span[0] = span[1] = span[2] = span[3] = 0;
  if (form == REP_AFTER) {
    span[0] = end, span[1] = stop_after(c, end);
  } else if (form == REP_OBJECT) { /* the rest of the match, to a stop */
    span[0] = cb, span[1] = stop_after(c, cb);
    if (span[1] > end) span[1] = end, c->clip = NULL;
  } else if (form == REP_BEFORE) {
    if (end < ce) return 0; /* the match must end the sentence */
    span[0] = s->first, span[1] = t;
  } else {
    if (end >= ce || words_in(c, s->first, t) == 0 || words_in(c, end, ce) == 0) return 0;
    span[0] = s->first, span[1] = t, span[2] = end, span[3] = stop_after(c, end);
  }
  size_t w = words_in(c, span[0], span[1]) + words_in(c, span[2], span[3]);
  if (w < (form == REP_OBJECT ? 1 : MIN_WORDS)) return 0;
  return !any_quoted(c, span[0], span[1]) && !any_quoted(c, span[2], span[3]);
}

/* Stops the scan at token t, a document with more candidates than its
 * bound, with a warning. */
static nerq_status stop_scan(rctx *c, size_t t) {
  char msg[200];
  snprintf(msg, sizeof msg,
           "too many reported-speech cues: the %zu candidates a document of this size may hold are read, the text after offset %zu is not",
           ncands(c), nerq_text_cp(&c->doc->text, tk(c, t)->off));
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
  if (!content_of(c, r->type, s, t, end, cb, sp)) return NERQ_OK;
  if (ncands(c) >= c->max_cands) return stop_scan(c, t);
  nerq_quote *q = nerq_vec_push(c->doc->arena, &c->doc->quotes);
  cand_info *in = nerq_vec_push(c->doc->arena, &c->info);
  if (!q || !in) return NERQ_ERR_NOMEM;
  nerq_vec_init(&q->segs, sizeof(nerq_seg));
  q->segs.cap = 1 + (sp[3] > sp[2]); /* its segments, no room for more (a vector's 4) */
  if (!(q->segs.items = nerq_arena_alloc(c->doc->arena, q->segs.cap * sizeof(nerq_seg))))
    return NERQ_ERR_NOMEM;
  q->indirect = 1;
  q->speaker = q->org = -1;
  q->log = -1;
  q->span_rule = r->source;
  q->open_tok = (uint32_t)sp[0];
  q->closed = r->type != REP_AFTER && r->type != REP_OBJECT;
  q->close_tok = (uint32_t)(q->closed ? t : sp[1] - 1);
  in->cue.start = tk(c, ca)->off;
  in->cue.end = nerq_tok_end(c->doc->tokens.items, cb - 1);
  in->sent_start = tk(c, s->first)->off;
  in->cue_a = (uint32_t)ca, in->cue_b = (uint32_t)cb;
  in->end_rule = c->clip;
  in->unattributed = r->name && !strncmp(r->name, "unattributed.", 13);
  in->form = (uint8_t)r->type;
  nerq_status st = add_seg(c, q, sp[0], sp[1]);
  if (!st && sp[3] > sp[2]) st = add_seg(c, q, sp[2], sp[3]);
  *made = 1;
  return st;
}

/* The highest-priority rule matching at token t of sentence s, made a
 * candidate. */
static nerq_status try_at(rctx *c, uint32_t sent, const nerq_range *s, size_t t) {
  size_t i = t - s->first, k = 0;
  rmatch m;
  const nerq_rule *r;
  const nerq_rep_index *x = &c->doc->rules->rep;
  const uint64_t *set = c->first + i * x->first.nwords;
  while ((r = nerq_rep_next_match(c, set, x->ncand, &k, t, c->suf_lists[i], c->suf_flags[i], &m))) {
    /* an object's content is checked in content_of: the match may run on
     * past where a stop ends it ("urged the board to act and said, “...”") */
    size_t qe = r->type == REP_OBJECT ? m.cb : m.end;
    if (m.end > s->end || m.cb <= m.ca || any_quoted(c, t, qe)) continue;
    int made = 0;
    nerq_status st = candidate(c, r, sent, t, m.end, m.ca, m.cb, &made);
    if (st || made || c->full) return st;
  }
  return NERQ_OK;
}

static nerq_status find_candidates(rctx *c) {
  nerq_doc *d = c->doc;
  size_t w = d->rules->rep.first.nwords;
  if (!(c->act = malloc(w * sizeof *c->act)) || !(c->one = malloc(w * sizeof *c->one)))
    return NERQ_ERR_NOMEM;
  for (size_t k = 0; k < d->sentences.count && !c->full; k++) {
    const nerq_range *s = NERQ_VEC_AT(&d->sentences, nerq_range, k);
    int any = 0;
    nerq_status st = sentence_rules(c, s, &any);
    if (st) return st;
    if (!any) continue;
    c->ce = content_end(c, s);
    if ((st = sentence_firsts(c, s)) || (st = find_stops(c, s))) return st;
    for (size_t t = s->first; t < s->end && !c->full; t++) {
      if (is_quoted(c, t)) continue;
      st = try_at(c, (uint32_t)k, s, t);
      if (st) return st;
    }
  }
  return NERQ_OK;
}

nerq_status nerq_reported_find(nerq_doc *doc) {
  nerq_vec_init(&doc->rlog, sizeof(nerq_rlog));
  if (!doc->rules->nirules || !doc->sentences.count) return NERQ_OK;
  rctx c = {.doc = doc, .max_cands = MAX_CANDS_BASE + doc->text.len / CAND_BYTES, .cand0 = doc->quotes.count};
  nerq_vec_init(&c.info, sizeof(cand_info));
  nerq_status st = count_tokens(&c);
  void *md = NULL, *mc = NULL;
  if (!st && nerq_regex_context(&md, &mc)) st = NERQ_ERR_NOMEM;
  c.env = (nerq_match_env){doc->text.text, doc->tokens.items, doc->tokens.count,
                           doc->rules->lex, &doc->ents, NULL, NULL, 0, md, mc, 0, -1, &doc->spent, 0};
  if (!st) st = find_candidates(&c);
  if (!st) st = nerq_rep_select(&c);
  if (st) doc->quotes.count = c.cand0; /* no candidate stays */
  nerq_arena_release(doc->arena, c.info.items);
  if (md) nerq_regex_context_free(md, mc);
  counts_free(&c);
  return st;
}
