/* resolve.c - stage 5: candidates to entities.
 *
 * 1. Overlaps are settled greedily in a fixed order: higher rule
 *    priority, then the longer span, then the leftmost, then the earlier
 *    rule. A winning NONE candidate vetoes the span.
 * 2. One sense per document: an accepted name that recurs elsewhere
 *    as capitalised text is the same entity there; a person's surname
 *    alone ("Wang" after "Yeming Wang") is a mention of that person.
 * 3. Mentions with the same key form one entity. The key comes from the
 *    gazetteer ("iso:GB" for UK and United Kingdom) or is the type and
 *    the normalised name ("person:jack-ma"). */
#define _GNU_SOURCE /* qsort_r */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "rules.h"
#include "match.h"
#include "entities.h"
#include "document.h"
#include "util.h"

/* qsort_r's order of candidate indexes (4 bytes each, and as much again
 * in the sort's scratch: on a big document a pointer and an index per
 * candidate were a fifth of the peak). */
static int cmp_rank(const void *pa, const void *pb, void *cands) {
  uint32_t ia = *(const uint32_t *)pa, ib = *(const uint32_t *)pb;
  const nerq_cand *a = (const nerq_cand *)cands + ia, *b = (const nerq_cand *)cands + ib;
  if (a->priority != b->priority) return a->priority > b->priority ? -1 : 1;
  uint32_t la = a->end - a->first, lb = b->end - b->first;
  if (la != lb) return la > lb ? -1 : 1;
  if (a->first != b->first) return a->first < b->first ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

/* qsort_r's order of accepted candidate indexes: by first token (no two
 * share one, their spans being apart). */
static int cmp_first(const void *pa, const void *pb, void *cands) {
  uint32_t ia = *(const uint32_t *)pa, ib = *(const uint32_t *)pb;
  uint32_t fa = ((const nerq_cand *)cands)[ia].first, fb = ((const nerq_cand *)cands)[ib].first;
  if (fa != fb) return fa < fb ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

/* Tokens held by a name or a veto, a bit each. */
static int is_taken(const uint64_t *taken, size_t t) { return (taken[t >> 6] >> (t & 63)) & 1; }
static void set_taken(uint64_t *taken, size_t t) { taken[t >> 6] |= 1ull << (t & 63); }

/* The candidates accepted, each in rank order (cmp_rank) whose tokens
 * are all still free: their indexes in token order in *won (malloc'd,
 * *nwon of them; one of no token wins none and is not listed) and their
 * tokens as bits in *taken (malloc'd). Bits, not the winner of each token
 * (4 bytes a token: on a big document, held with the candidates and the
 * drafts, resolution's peak); explain's doc->winner is made from *won. */
static nerq_status settle(const nerq_vec *cands, size_t ntok, uint64_t **taken, uint32_t **won,
                          size_t *nwon) {
  uint32_t *rk = cands->count < INT32_MAX ? malloc((cands->count + 1) * sizeof *rk) : NULL;
  *taken = rk ? calloc((ntok >> 6) + 1, sizeof **taken) : NULL;
  if (!*taken) {
    free(rk);
    return NERQ_ERR_NOMEM;
  }
  for (size_t i = 0; i < cands->count; i++) rk[i] = (uint32_t)i;
  qsort_r(rk, cands->count, sizeof *rk, cmp_rank, cands->items);
  size_t n = 0;
  for (size_t i = 0; i < cands->count; i++) {
    const nerq_cand *c = NERQ_VEC_AT(cands, nerq_cand, rk[i]);
    int free_span = c->end > c->first;
    for (uint32_t t = c->first; t < c->end && free_span; t++) free_span = !is_taken(*taken, t);
    if (!free_span) continue;
    for (uint32_t t = c->first; t < c->end; t++) set_taken(*taken, t);
    rk[n++] = rk[i];
  }
  qsort_r(rk, n, sizeof *rk, cmp_first, cands->items);
  *won = rk;
  *nwon = n;
  return NERQ_OK;
}

/* A mention under construction. */
typedef struct {
  uint32_t first, end;
  int type;
  const char *rule;
  const nerq_gaz *gaz;
  int32_t link; /* index of the full-name mention it abbreviates, or -1 */
} draft;

/* For nerq_lower_bound: drafts are sorted by their first token. */
static int draft_starts_before(const void *d, const void *tok) {
  return ((const draft *)d)->first < *(const uint32_t *)tok;
}

static int push_draft(nerq_arena *ar, nerq_vec *v, uint32_t first,
                      uint32_t end, int type, const char *rule,
                      const nerq_gaz *gaz, int32_t link) {
  draft *d = nerq_vec_push(ar, v);
  if (!d) return -1;
  *d = (draft){first, end, type, rule, gaz, link};
  return 0;
}

/* The drafts: the accepted candidates of a type, in token order. */
static nerq_status collect_drafts(nerq_doc *doc, const nerq_vec *cands, const uint32_t *won,
                                  size_t nwon, nerq_vec *out) {
  nerq_vec_init(out, sizeof(draft));
  for (size_t i = 0; i < nwon; i++) {
    const nerq_cand *c = NERQ_VEC_AT(cands, nerq_cand, won[i]);
    if (c->type != NERQ_NONE &&
        push_draft(doc->scratch, out, c->first, c->end, c->type, c->rule, c->gaz, -1))
      return NERQ_ERR_NOMEM;
  }
  return NERQ_OK;
}

static const char acronym_rule[] = "acronym-of-name";

/* The token of an acronym in brackets right after draft d, "Kennedy
 * Space Center ( KSC )", or UINT32_MAX: an organisation or place of two
 * or more words, then "(", a word in capitals of 2 to 8 characters whose
 * first letter begins one of the name's words, and ")". */
static uint32_t acronym_after(const nerq_doc *doc, const draft *d) {
  const nerq_token *tk = doc->tokens.items;
  const char *text = doc->text.text;
  uint32_t a = d->end + 1;
  if ((d->type != NERQ_ORG && d->type != NERQ_PLACE) || d->end - d->first < 2 || a + 1 >= doc->tokens.count)
    return UINT32_MAX;
  if (tk[a - 1].len7 != 1 || text[tk[a - 1].off] != '(' || tk[a + 1].len7 != 1 || text[tk[a + 1].off] != ')')
    return UINT32_MAX;
  if ((tk[a].flags & (TOK_UPPER | TOK_WORD)) != (TOK_UPPER | TOK_WORD) || tk[a].len7 > 8 || (tk[a].flags & TOK_NEWLINE))
    return UINT32_MAX;
  for (uint32_t t = d->first; t < d->end; t++)
    if ((tk[t].flags & TOK_CAP) && text[tk[t].off] == text[tk[a].off]) return a;
  return UINT32_MAX;
}

/* An acronym defined in brackets after a name takes the name's type and
 * is a mention of it ("acronym-of-name"), over a one-word candidate of
 * its own; later mentions of it follow (one sense per document).
 * Drafts stay in token order. */
static nerq_status acronyms(nerq_doc *doc, nerq_vec *drafts, uint64_t *owned) {
  nerq_vec out;
  nerq_vec_init(&out, sizeof(draft));
  const draft *d = drafts->items;
  for (size_t i = 0, n = drafts->count; i < n; i++) {
    const draft *name = &d[i];
    if (push_draft(doc->scratch, &out, name->first, name->end, name->type, name->rule, name->gaz, name->link))
      return NERQ_ERR_NOMEM;
    uint32_t a = acronym_after(doc, name);
    if (a == UINT32_MAX) continue;
    int taken = i + 1 < n && d[i + 1].first == a && d[i + 1].end == a + 1;
    if (!taken && is_taken(owned, a)) continue; /* part of a longer name, or vetoed */
    i += taken;
    int32_t link = name->link >= 0 ? name->link : (int32_t)name->first;
    if (push_draft(doc->scratch, &out, a, a + 1, name->type, acronym_rule, NULL, link))
      return NERQ_ERR_NOMEM;
    set_taken(owned, a);
  }
  nerq_arena_release(doc->scratch, drafts->items);
  *drafts = out;
  return NERQ_OK;
}

/* Same word; on a line in capitals, case is ignored ("CLINTON" in a
 * headline is Clinton). */
static int tok_eq(const nerq_doc *doc, uint32_t a, uint32_t b) {
  const nerq_token *tk = doc->tokens.items;
  const char *x = doc->text.text + tk[a].off, *y = doc->text.text + tk[b].off;
  uint32_t n = nerq_tok_len(tk, a);
  if (n != nerq_tok_len(tk, b)) return 0;
  if (!memcmp(x, y, n)) return 1;
  return ((tk[a].flags | tk[b].flags) & TOK_CAPSLINE) && nerq_ascii_caseeq(x, y, n);
}

/* True if tokens [a, a+n) spell the same words as [b, b+n). */
static int span_eq(const nerq_doc *doc, uint32_t a, uint32_t b, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (!tok_eq(doc, a + i, b + i)) return 0;
  return 1;
}

/* The last word token of a multi-word person name, or UINT32_MAX. */
static uint32_t surname_tok(const nerq_doc *doc, const draft *d) {
  const nerq_token *tk = doc->tokens.items;
  int words = 0;
  uint32_t last = UINT32_MAX;
  for (uint32_t t = d->first; t < d->end; t++)
    if (tk[t].flags & TOK_WORD) {
      words++;
      last = t;
    }
  return words >= 2 && (tk[last].flags & TOK_CAP) && !(tk[last].flags & TOK_ABBR) ? last : UINT32_MAX;
}

/* A name worth finding again: tokens [first, first+n) of draft d;
 * h1 hashes its first token and h the whole name, so that sorting needs
 * no access to the text. */
typedef struct {
  uint64_t h1, h;
  uint32_t first, n;
  size_t d;
  int surname;
  int context; /* found by a context rule, not a bare list match */
  int shortf;  /* the first words of an organisation's name */
} source;

/* FNV-1a over ASCII-folded bytes, so that names that tok_eq matches
 * across case hash alike. */
static uint64_t fnv(uint64_t h, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 'A' && c <= 'Z') c += 32;
    h = (h ^ c) * 1099511628211ull;
  }
  return h;
}

static uint64_t tok_hash(const nerq_doc *doc, uint32_t t) {
  const nerq_token *k = NERQ_VEC_AT(&doc->tokens, nerq_token, t);
  return fnv(NERQ_HASH_SEED, doc->text.text + k->off, nerq_tok_len(doc->tokens.items, t));
}

/* The hash of the words [first, first+n), as source.h. */
static uint64_t span_hash(const nerq_doc *doc, uint32_t first, uint32_t n) {
  uint64_t h = NERQ_HASH_SEED;
  for (uint32_t i = first; i < first + n; i++) {
    const nerq_token *k = NERQ_VEC_AT(&doc->tokens, nerq_token, i);
    h = fnv(h, doc->text.text + k->off, nerq_tok_len(doc->tokens.items, i)) * 31 + 7;
  }
  return h;
}

static source make_source(const nerq_doc *doc, uint32_t first, uint32_t n,
                          size_t d, int surname) {
  return (source){tok_hash(doc, first), span_hash(doc, first, n), first, n, d, surname, 0, 0};
}

/* Surname sources sort first, so that a surname wins over a place of
 * the same name ("Mesa"); then names found by context, so that "Sweden"
 * the team (from "Sweden 1 - 0 Korea") wins over Sweden the country;
 * of those, a company's short form first ("Brannock" of "Brannock
 * Minerals Ltd" over a "Brannock said" person). */
static int cmp_source(const void *pa, const void *pb) {
  const source *a = pa, *b = pb;
  if (a->h1 != b->h1) return a->h1 < b->h1 ? -1 : 1;
  if (a->n != b->n) return a->n > b->n ? -1 : 1;
  if (a->h != b->h) return a->h < b->h ? -1 : 1;
  if (a->surname != b->surname) return b->surname - a->surname;
  if (a->context != b->context) return b->context - a->context;
  if (a->shortf != b->shortf) return b->shortf - a->shortf;
  return (a->d > b->d) - (a->d < b->d);
}

/* List ids the short forms of organisations need. */
typedef struct {
  int legal, common, stop, demonyms, first_names;
} short_lists;

static short_lists get_short_lists(const nerq_doc *doc) {
  const nerq_lexicon *lex = doc->rules->lex;
  return (short_lists){nerq_lexicon_find_list(lex, "legal_forms"), doc->rules->ids.common, doc->rules->ids.stop,
                       nerq_lexicon_find_list(lex, "demonyms"), doc->rules->ids.first_names};
}

static int in_list(const nerq_doc *doc, uint32_t t, int list) {
  const nerq_entry *e = nerq_doc_entry(doc, t);
  return list >= 0 && e && ((e->lists >> list) & 1);
}

/* A word that may stand alone for an organisation it begins: no
 * dictionary word, stop word, demonym or first name ("Barrick" of
 * "Barrick Gold Corp", not "General" or "American"). */
static int short_word_ok(const nerq_doc *doc, uint32_t t, const short_lists *l) {
  const nerq_token *k = NERQ_VEC_AT(&doc->tokens, nerq_token, t);
  return k->len7 > 1 && (k->flags & TOK_WORD) && !(k->flags & TOK_NUM) && !in_list(doc, t, l->common) &&
         !in_list(doc, t, l->stop) && !in_list(doc, t, l->demonyms) && !in_list(doc, t, l->first_names);
}

/* Short forms of an organisation whose name ends in a legal form
 * ("Santa Fe Pacific Gold Corp"): its first words ("Santa Fe Pacific
 * Gold", ..., "Santa Fe", and "Santa" only if short_word_ok), each
 * ending in a capitalised word; at most 4, appended at src[*k]. (After
 * a head word the first words are too often an adjective: "European"
 * of "European Commission".) */
static void short_forms(const nerq_doc *doc, const draft *d, size_t i, const short_lists *l,
                        source *src, size_t *k) {
  const nerq_token *tk = doc->tokens.items;
  uint32_t last = d->end - 1;
  if (d->type != NERQ_ORG || d->end - d->first < 2) return;
  if (!in_list(doc, last, l->legal)) return;
  int added = 0;
  for (uint32_t e = last; e > d->first && added < 4; e--) {
    uint32_t n = e - d->first;
    if (!(tk[e - 1].flags & TOK_CAP) || !(tk[e - 1].flags & TOK_WORD)) continue;
    if (n == 1 && !short_word_ok(doc, d->first, l)) continue;
    src[*k] = make_source(doc, d->first, n, i, 0);
    src[*k].context = 1;
    src[(*k)++].shortf = 1;
    added++;
  }
}

/* Distinct names to look for again: each draft's name, and for a
 * person of two or more words the surname (and a two-word surname).
 * Sorted by first token; of equal names the earliest draft is kept.
 * Returns a malloc'd array (caller frees) and its length in *n. */
static source *gather_sources(const nerq_doc *doc, const nerq_vec *drafts,
                              size_t *n) {
  source *src = malloc((drafts->count * 7 + 1) * sizeof *src);
  const nerq_token *tk = doc->tokens.items;
  int common = doc->rules->ids.common;
  short_lists sl = get_short_lists(doc);
  size_t k = 0;
  for (size_t i = 0; src && i < drafts->count; i++) {
    const draft *d = NERQ_VEC_AT(drafts, draft, i);
    if (!(tk[d->first].flags & (TOK_CAP | TOK_NUM))) continue;
    const nerq_entry *e = nerq_doc_entry(doc, d->first);
    int weak = d->end - d->first == 1 && !d->gaz && e && common >= 0 && ((e->lists >> common) & 1);
    if (!weak) { /* a one-word common noun found by context ("Magic") stays where it was found */
      src[k] = make_source(doc, d->first, d->end - d->first, i, 0);
      src[k++].context = !d->gaz || d->rule != d->gaz->source;
    }
    short_forms(doc, d, i, &sl, src, &k);
    uint32_t s = d->type == NERQ_PERSON ? surname_tok(doc, d) : UINT32_MAX;
    if (s == UINT32_MAX) continue;
    src[k++] = make_source(doc, s, 1, i, 1);
    if (s >= d->first + 2 && (tk[s - 1].flags & TOK_CAP))
      src[k++] = make_source(doc, s - 1, 2, i, 1); /* "Rojas Mesa" */
  }
  if (src) qsort(src, k, sizeof *src, cmp_source);
  size_t u = 0;
  for (size_t i = 0; i < k; i++)
    if (!u || src[u - 1].h != src[i].h || src[u - 1].n != src[i].n ||
        !span_eq(doc, src[u - 1].first, src[i].first, src[i].n))
      src[u++] = src[i];
  *n = u;
  return src;
}

/* Whether a source sorts before the key (a source whose h1, n and h
 * are set) in cmp_source order. */
static int before(const void *item, const void *key) {
  const source *s = item, *k = key;
  if (s->h1 != k->h1) return s->h1 < k->h1;
  if (s->n != k->n) return s->n > k->n;
  return s->h < k->h;
}

/* First index in src not before the key (h1, len, h), or n: a binary
 * search, so that many names sharing a first word ("JOHN SMITH1",
 * "JOHN SMITH2", ...) cost log n each, not n. */
static size_t lower_bound(const source *src, size_t n, uint64_t h1, uint32_t len, uint64_t h) {
  source key = {0};
  key.h1 = h1;
  key.n = len;
  key.h = h;
  return nerq_lower_bound(src, n, sizeof *src, &key, before);
}

static int span_free(const uint64_t *taken, uint32_t a, uint32_t n, size_t ntok) {
  if (a + n > ntok) return 0;
  for (uint32_t i = a; i < a + n; i++)
    if (is_taken(taken, i)) return 0;
  return 1;
}

/* The draft that is a bare gazetteer match of tokens [t, t+n), which a
 * name found by context may take over: a person's surname ("Mesa" the
 * city, in an article about Andrés Felipe Rojas Mesa), or a team
 * ("Sweden" after "Sweden 1 - 0 Korea"). NULL if there is none. */
static draft *draft_at(nerq_vec *drafts, size_t ndrafts, uint32_t t, uint32_t n) {
  draft *d = drafts->items;
  size_t lo = nerq_lower_bound(d, ndrafts, sizeof *d, &t, draft_starts_before);
  return lo == ndrafts || d[lo].first != t || d[lo].end != t + n ? NULL : &d[lo];
}

static draft *gaz_only_at(nerq_vec *drafts, size_t ndrafts, uint32_t t, uint32_t n) {
  draft *d = draft_at(drafts, ndrafts, t, n);
  return d && d->gaz && d->rule == d->gaz->source ? d : NULL;
}

/* A short form that another rule typed as an organisation of its own
 * ("Brannock shares") is a mention of the full name all the same. */
static void link_short_form(nerq_vec *drafts, const source *s, draft *x) {
  const draft *full = NERQ_VEC_AT(drafts, draft, s->d);
  if (x != full && x->type == full->type && x->link < 0) x->link = full->link >= 0 ? full->link : (int32_t)full->first;
}

/* True if source s may take over a bare gazetteer match: a surname, or
 * a name that a context rule (not a list) typed. */
static int takes_over(const source *s, const draft *from, const draft *target) {
  if (target && from->rule == acronym_rule) return 1; /* the document's definition beats a list */
  if (!target || target->type == from->type) return 0;
  if (s->surname) return s->n == 1 && target->type != NERQ_PERSON;
  if (s->shortf) /* a town's reading (a GeoNames record), never a country's, region's or state's */
    return target->type == NERQ_PLACE && !strncmp(target->gaz->key, "geonames:", 9);
  return !from->gaz || from->rule != from->gaz->source;
}

/* Adds a draft for source s found again at token t. */
static int add_found(nerq_doc *doc, nerq_vec *drafts, const source *s, uint32_t t,
                     uint64_t *held, size_t ndrafts) {
  const draft d = *NERQ_VEC_AT(drafts, draft, s->d);
  int own = s->surname || s->shortf; /* a part of the name: a mention of it, no list record */
  int32_t link = own ? (int32_t)d.first : d.link;
  const char *rule = s->surname  ? "surname-of-earlier-name"
                     : s->shortf ? "short-form-of-name"
                                 : "same-name-in-document";
  draft *taken = gaz_only_at(drafts, ndrafts, t, s->n);
  if (takes_over(s, &d, taken)) {
    *taken = (draft){t, t + s->n, d.type, rule, own ? NULL : d.gaz, link};
    return 0;
  }
  if (push_draft(doc->scratch, drafts, t, t + s->n, d.type, rule, own ? NULL : d.gaz, link))
    return -1;
  for (uint32_t i = t; i < t + s->n; i++) set_taken(held, i);
  return 0;
}

/* True if the tokens at t, spelled like source s, are not its name after
 * all: what follows or the line in capitals says they are other words. */
static int not_the_name(const nerq_doc *doc, const source *s, uint32_t t) {
  const nerq_token *tk = doc->tokens.items;
  size_t ntok = doc->tokens.count;
  if (s->n == 1 && (tk[t].flags & TOK_CAPSLINE) && in_list(doc, t, doc->rules->ids.stop))
    return 1; /* "SEATTLE AT BOSTON": on a line in capitals a stop word is the word */
  if (s->surname && t + s->n < ntok && (tk[t + s->n].flags & TOK_CAP) &&
      (tk[t + s->n].flags & TOK_WORD) && !(tk[t + s->n].flags & TOK_SENT) &&
      !(tk[t].flags & TOK_CAPSLINE))
    return 1; /* "Wang Yi" is not the surname Wang (unless in capitals) */
  if (s->shortf && t + s->n < ntok && (tk[t + s->n].flags & TOK_CAP) && (tk[t + s->n].flags & TOK_WORD))
    return 1; /* "Santa Fe Springs" is no short form of Santa Fe Pacific Gold Corp */
  return 0;
}

/* Adds drafts for repeated names and lone surnames. */
static nerq_status propagate(nerq_doc *doc, nerq_vec *drafts, uint64_t *held) {
  size_t ns, ntok = doc->tokens.count;
  source *src = gather_sources(doc, drafts, &ns);
  if (!src) return NERQ_ERR_NOMEM;
  size_t ndrafts = drafts->count; /* sorted by position up to here */
  const nerq_token *tk = doc->tokens.items;
  nerq_status st = NERQ_OK;
  for (uint32_t t = 0; t < ntok && ns && !st; t++) {
    if (!(tk[t].flags & TOK_CAP)) continue;
    uint64_t h1 = tok_hash(doc, t);
    int found = 0;
    /* each name length once, longest first; of that length only the
     * names spelled like tokens [t, t+len) (same hash), in sorted order */
    for (size_t g = lower_bound(src, ns, h1, UINT32_MAX, 0); !found && g < ns && src[g].h1 == h1;) {
      uint32_t len = src[g].n;
      uint64_t h = t + len <= ntok ? span_hash(doc, t, len) : 0;
      /* the same for every source of this length: found once, so that a
       * name used a thousand times is not tried a thousand times at each
       * place already taken (quadratic in a big document) */
      int open = t + len <= ntok && span_free(held, t, len, ntok);
      draft *at = open || t + len > ntok ? NULL : draft_at(drafts, ndrafts, t, len);
      draft *target = at && at->gaz && at->rule == at->gaz->source ? at : NULL;
      for (size_t k = lower_bound(src, ns, h1, len, h);
           (open || at) && k < ns && src[k].h1 == h1 && src[k].n == len && src[k].h == h; k++) {
        const source *s = &src[k];
        int free_span = open || takes_over(s, NERQ_VEC_AT(drafts, draft, s->d), target);
        if (s->shortf && at && span_eq(doc, s->first, t, s->n)) link_short_form(drafts, s, at);
        if (!free_span || !span_eq(doc, s->first, t, s->n)) continue;
        if (not_the_name(doc, s, t)) continue;
        if (add_found(doc, drafts, s, t, held, ndrafts)) st = NERQ_ERR_NOMEM;
        found = 1;
        break;
      }
      g = lower_bound(src, ns, h1, len, UINT64_MAX); /* the next, shorter length */
      while (g < ns && src[g].h1 == h1 && src[g].n == len) g++;
    }
  }
  free(src);
  return st;
}

static int cmp_draft(const void *pa, const void *pb) {
  const draft *a = pa, *b = pb;
  return (a->first > b->first) - (a->first < b->first);
}

/* A full name's surname or first name, for linking one-word names. */
typedef struct {
  uint64_t h;   /* hash of the word */
  uint32_t tok; /* the word's token */
  size_t d;     /* the full name's draft */
} name_key;

static int cmp_name_key(const void *pa, const void *pb) {
  const name_key *a = pa, *b = pb;
  if (a->h != b->h) return a->h < b->h ? -1 : 1;
  return (a->d > b->d) - (a->d < b->d);
}

static int name_key_before(const void *item, const void *key) { return cmp_name_key(item, key) < 0; }

/* Keys of the full names' surnames (by_surname) or first names, sorted.
 * Returns a malloc'd array (caller frees), its length in *n. */
static name_key *name_keys(const nerq_doc *doc, const draft *d, size_t nd,
                           int by_surname, size_t *n) {
  name_key *k = malloc((nd + 1) * sizeof *k);
  *n = 0;
  for (size_t i = 0; k && i < nd; i++) {
    if (d[i].type != NERQ_PERSON || d[i].link >= 0) continue;
    uint32_t s = surname_tok(doc, &d[i]);
    if (s == UINT32_MAX) continue;
    uint32_t t = by_surname ? s : d[i].first;
    k[(*n)++] = (name_key){tok_hash(doc, t), t, i};
  }
  if (k && *n) qsort(k, *n, sizeof *k, cmp_name_key);
  return k;
}

/* The full name (by its first token) that the one-word draft i refers
 * to: the nearest one before it, else the first one after it; or -1.
 * Keys are sorted by (hash, draft), so both are found next to where
 * (hash, i) would sit: time stays linear however often a name recurs. */
static int32_t find_full_name(const nerq_doc *doc, const draft *d, size_t i,
                              const name_key *k, size_t n) {
  name_key key = {tok_hash(doc, d[i].first), 0, i};
  uint64_t h = key.h;
  size_t lo = nerq_lower_bound(k, n, sizeof *k, &key, name_key_before);
  for (size_t j = lo; j-- > 0 && k[j].h == h;)
    if (tok_eq(doc, k[j].tok, d[i].first)) return (int32_t)d[k[j].d].first;
  for (size_t j = lo; j < n && k[j].h == h; j++)
    if (k[j].d != i && tok_eq(doc, k[j].tok, d[i].first)) return (int32_t)d[k[j].d].first;
  return -1;
}

/* Links a one-word PERSON draft to the full name it abbreviates: by
 * surname ("Wang" for "Yeming Wang"), else by first name ("Frank"). */
static nerq_status link_surnames(const nerq_doc *doc, nerq_vec *drafts) {
  draft *d = drafts->items;
  size_t ns, nf;
  name_key *sk = name_keys(doc, d, drafts->count, 1, &ns);
  name_key *fk = name_keys(doc, d, drafts->count, 0, &nf);
  for (size_t i = 0; sk && fk && i < drafts->count; i++) {
    if (d[i].type != NERQ_PERSON || d[i].link >= 0 || d[i].end - d[i].first != 1) continue;
    d[i].link = find_full_name(doc, d, i, sk, ns);
    if (d[i].link < 0) d[i].link = find_full_name(doc, d, i, fk, nf);
  }
  nerq_status st = sk && fk ? NERQ_OK : NERQ_ERR_NOMEM;
  free(sk);
  free(fk);
  return st;
}

/* The span text with white space runs collapsed to one space. */
static char *span_text(nerq_doc *doc, uint32_t first, uint32_t end) {
  const nerq_token *tk = doc->tokens.items;
  size_t a = tk[first].off, b = nerq_tok_end(tk, end - 1);
  char *out = nerq_arena_alloc(doc->scratch, b - a + 1), *o = out;
  if (!out) return NULL;
  for (uint32_t t = first; t < end; t++) {
    if (t > first && (tk[t].flags & TOK_SPACE)) *o++ = ' ';
    memcpy(o, doc->text.text + tk[t].off, nerq_tok_len(tk, t));
    o += nerq_tok_len(tk, t);
  }
  *o = '\0';
  return out;
}

/* Gender of a person from a first name or a title just before it. */
static char person_gender(const nerq_doc *doc, const draft *d) {
  int fn = doc->rules->ids.first_names, ti = doc->rules->ids.titles;
  const nerq_entry *e = nerq_doc_entry(doc, d->first);
  if (d->first > 0) {
    const nerq_entry *p = nerq_doc_entry(doc, d->first - 1);
    if (p && ti >= 0 && ((p->lists >> ti) & 1) && (p->gender == 'm' || p->gender == 'f'))
      return p->gender;
  }
  if (e && ti >= 0 && ((e->lists >> ti) & 1) && (e->gender == 'm' || e->gender == 'f'))
    return e->gender;
  if (e && fn >= 0 && ((e->lists >> fn) & 1) && (e->gender == 'm' || e->gender == 'f'))
    return e->gender;
  return 0;
}

/* Index of the draft that starts at token `first` (drafts are sorted). */
static size_t find_draft(const nerq_vec *drafts, uint32_t first) {
  return nerq_lower_bound(drafts->items, drafts->count, sizeof(draft), &first,
                          draft_starts_before);
}

/* Entity by key: open addressing, grown as entities are made (sized
 * for the drafts, it was 12 bytes a draft times two on a big document). */
typedef struct {
  const char **keys;
  int *ent;
  size_t cap, count;
  nerq_arena *a;
} key_map;

static int key_map_grow(key_map *m) {
  size_t cap = m->cap ? m->cap * 2 : 256;
  const char **keys = nerq_arena_alloc(m->a, cap * sizeof *keys);
  int *ent = nerq_arena_alloc(m->a, cap * sizeof *ent);
  if (!keys || !ent) return -1;
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i]) continue;
    size_t j = (size_t)nerq_fnv1a_str(m->keys[i]) & (cap - 1);
    while (keys[j]) j = (j + 1) & (cap - 1);
    keys[j] = m->keys[i];
    ent[j] = m->ent[i];
  }
  nerq_arena_release(m->a, m->keys);
  nerq_arena_release(m->a, m->ent);
  m->keys = keys;
  m->ent = ent;
  m->cap = cap;
  return 0;
}

/* The entity slot of key (-1 when new), or NULL when out of memory. */
static int *key_slot(key_map *m, const char *key) {
  if ((m->count + 1) * 2 > m->cap && key_map_grow(m)) return NULL;
  size_t i = (size_t)nerq_fnv1a_str(key) & (m->cap - 1);
  while (m->keys[i] && strcmp(m->keys[i], key)) i = (i + 1) & (m->cap - 1);
  if (!m->keys[i]) {
    m->keys[i] = key;
    m->ent[i] = -1;
    m->count++;
  }
  return &m->ent[i];
}

/* s in the document's arena: names and keys are made in scratch memory
 * (most drafts name an entity already made), gazetteer strings are the
 * rules'. */
static const char *keep(nerq_doc *doc, const char *s, const nerq_gaz *gaz) {
  if (gaz && (s == gaz->canonical || s == gaz->key)) return s;
  return nerq_arena_strndup(doc->arena, s, strlen(s));
}

/* Makes the entity for draft i (or finds it by key); returns its index. */
static int entity_for(nerq_doc *doc, const draft *d, key_map *km) {
  char *name = d->gaz ? (char *)d->gaz->canonical : span_text(doc, d->first, d->end);
  const nerq_gaz *gaz = d->gaz; /* "Microsoft Corp." finds Microsoft's record */
  const char *key = d->gaz ? d->gaz->key : name ? nerq_key_for(doc, d->type, d->first, d->end, name, &gaz)
                                                : NULL;
  if (!key) return -1;
  if (gaz) name = (char *)gaz->canonical;
  int *slot = key_slot(km, key);
  if (!slot) return -1;
  if (*slot >= 0) return *slot;
  nerq_entity *e = nerq_vec_push(doc->arena, &doc->entities);
  if (!e || !(e->name = keep(doc, name, gaz)) || !(e->key = keep(doc, key, gaz))) return -1;
  e->type = d->type;
  e->gaz = gaz;
  e->gender = d->type == NERQ_PERSON ? person_gender(doc, d) : 0;
  nerq_vec_init(&e->mentions, sizeof(uint32_t));
  return *slot = (int)(doc->entities.count - 1);
}

static nerq_status build_entities(nerq_doc *doc, nerq_vec *drafts) {
  key_map km = {NULL, NULL, 0, 0, doc->scratch};
  int *ent_of = nerq_arena_alloc(doc->scratch, (drafts->count + 1) * sizeof(int));
  if (key_map_grow(&km) || !ent_of) return NERQ_ERR_NOMEM;
  nerq_vec_init(&doc->entities, sizeof(nerq_entity));
  nerq_vec_init(&doc->mentions, sizeof(nerq_mention));
  const nerq_token *tk = doc->tokens.items;
  for (size_t i = 0; i < drafts->count; i++) {
    const draft *d = NERQ_VEC_AT(drafts, draft, i);
    size_t li = d->link >= 0 ? find_draft(drafts, (uint32_t)d->link) : drafts->count;
    int e = li < i ? ent_of[li] : entity_for(doc, li < drafts->count ? NERQ_VEC_AT(drafts, draft, li) : d, &km);
    if (e < 0) return NERQ_ERR_NOMEM;
    ent_of[i] = e;
    nerq_mention *m = nerq_vec_push(doc->arena, &doc->mentions);
    uint32_t *idx = m ? nerq_vec_push(doc->arena, &NERQ_VEC_AT(&doc->entities, nerq_entity, e)->mentions) : NULL;
    if (!idx) return NERQ_ERR_NOMEM;
    *m = (nerq_mention){d->first, d->end, tk[d->first].off,
                        nerq_tok_end(tk, d->end - 1), d->rule, e};
    *idx = (uint32_t)(doc->mentions.count - 1);
  }
  return NERQ_OK;
}

/* Keeps the candidates and who won each token (or -1), for
 * nerq_explain, when the document was processed with NERQ_EXPLAIN. */
static nerq_status keep_winners(nerq_doc *doc, const nerq_vec *cands, const uint32_t *won,
                                size_t nwon) {
  size_t n = doc->tokens.count;
  if (!doc->explain) return NERQ_OK;
  doc->cands = *cands;
  doc->winner = nerq_arena_alloc(doc->arena, (n + 1) * sizeof *doc->winner);
  if (!doc->winner) return NERQ_ERR_NOMEM;
  for (size_t t = 0; t < n; t++) doc->winner[t] = -1;
  for (size_t i = 0; i < nwon; i++) {
    const nerq_cand *c = NERQ_VEC_AT(cands, nerq_cand, won[i]);
    for (uint32_t t = c->first; t < c->end; t++) doc->winner[t] = (int32_t)won[i];
  }
  return NERQ_OK;
}

static nerq_status resolve(nerq_doc *doc, nerq_vec *cands) {
  uint64_t *taken = NULL;
  uint32_t *won = NULL;
  size_t nwon = 0;
  nerq_vec drafts;
  nerq_vec_init(&drafts, sizeof(draft));
  nerq_status st = settle(cands, doc->tokens.count, &taken, &won, &nwon);
  if (!st) st = keep_winners(doc, cands, won, nwon);
  if (!st) st = collect_drafts(doc, cands, won, nwon, &drafts);
  free(won);
  if (!st && doc->cand_arena) { /* read no more (unless explain keeps them) */
    nerq_arena_release(doc->cand_arena, cands->items);
    nerq_vec_init(cands, sizeof(nerq_cand));
  }
  if (!st) st = acronyms(doc, &drafts, taken);
  if (!st) st = propagate(doc, &drafts, taken);
  free(taken);
  if (st) return st;
  if (drafts.count) qsort(drafts.items, drafts.count, sizeof(draft), cmp_draft);
  if ((st = link_surnames(doc, &drafts))) return st;
  return build_entities(doc, &drafts);
}

/* Drafts, the key map and the names and keys of mentions of entities
 * already made live in a scratch arena, freed here: a big document's
 * peak memory holds only the entities and mentions. */
nerq_status nerq_entities_resolve(nerq_doc *doc, nerq_vec *cands) {
  if (!(doc->scratch = nerq_arena_scratch(doc->arena))) return NERQ_ERR_NOMEM;
  nerq_status st = resolve(doc, cands);
  nerq_arena_free(doc->scratch);
  doc->scratch = NULL;
  return st;
}
