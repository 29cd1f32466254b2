/* attribute.c - stage 6b: what each quote is and who said it.
 *
 * The rules in rules/quotes/ are tried in priority order around
 * each quote; their patterns are anchored on the quote's marks (QOpen,
 * QClose) and capture the speaker. The code here only maps a capture
 * to an entity: a pronoun to the most recent person of its gender, a
 * role noun ("a Google spokeswoman", "the company") to the organisation
 * it names or the last one mentioned, and an appositive ("Tim Cook,
 * chief executive of Apple") to a role and an organisation. A quote
 * embedded in a sentence is partial when a rule attributes it, and is a
 * scare quote or title (dropped) when none does. A quote-only paragraph
 * after an attributed quote continues it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "segments.h"
#include "rules.h"
#include "entities.h"
#include "quotes.h"
#include "document.h"
#include "util.h"

#define WINDOW 48 /* tokens searched before a quote for its cue */

typedef struct {
  nerq_doc *doc;
  int32_t *mention_of;                             /* token -> mention index or -1, or NULL */
  uint32_t *para_of;                               /* token -> paragraph index, or NULL */
  int cues, pronouns, jobs, orgnouns, stop, preps; /* list ids */
  nerq_match_env env;
} actx;

typedef struct {
  const nerq_rule *rule;
  size_t start, end, cap_a, cap_b;
  int idx, after; /* the rule's index; matched after the quote */
} amatch;

static const nerq_token *tk(const actx *c, size_t i) {
  return NERQ_VEC_AT(&c->doc->tokens, nerq_token, i);
}

static int in_list(const actx *c, size_t i, int list) {
  const nerq_entry *e = nerq_doc_entry(c->doc, i);
  return list >= 0 && e && ((e->lists >> list) & 1);
}

static const nerq_mention *mention(const actx *c, int32_t m) {
  return m >= 0 ? NERQ_VEC_AT(&c->doc->mentions, nerq_mention, m) : NULL;
}

static int entity_type(const actx *c, int e) {
  return NERQ_VEC_AT(&c->doc->entities, nerq_entity, e)->type;
}

#define MENTION_FLAGS (TOK_PERSON | TOK_ORGM | TOK_PLACEM)

/* The mention at token t, or -1 (found by its flag and a binary search
 * unless the spans needed the tables). */
static int32_t mention_at(const actx *c, uint32_t t) {
  if (c->mention_of) return c->mention_of[t];
  if (t >= c->doc->tokens.count) return -1;
  return tk(c, t)->flags & MENTION_FLAGS ? nerq_doc_mention_at(c->doc, t) : -1;
}

static uint32_t para_of(const actx *c, uint32_t t) {
  return c->para_of ? c->para_of[t] : nerq_doc_para_of(c->doc, t);
}

/* True if token k lies between two segments of quote q, outside its
 * marks: the attribution of a split quote ("“…,” said Ann Lee. “…”"),
 * whose name stays a candidate for a later pronoun. */
static int between_segments(const nerq_quote *q, const nerq_token *toks, size_t t) {
  for (size_t s = 0; s + 1 < q->segs.count; s++) {
    const nerq_seg *a = NERQ_VEC_AT(&q->segs, nerq_seg, s), *b = a + 1;
    if (toks[t].off > a->end && nerq_tok_end(toks, t) < b->start) return 1;
  }
  return 0;
}

/* Marks mention types and quote interiors on the tokens. The token ->
 * mention and token -> paragraph tables (8 bytes a token) are made only
 * when the spans are out of order (nerq_doc_spans_plain). */
static nerq_status prepare(actx *c) {
  nerq_doc *d = c->doc;
  size_t n = d->tokens.count;
  if (!nerq_doc_spans_plain(d)) {
    c->mention_of = calloc(n + 1, sizeof(int32_t)); /* scratch: freed by the caller */
    c->para_of = calloc(n + 1, sizeof(uint32_t));
    if (!c->mention_of || !c->para_of) return NERQ_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) c->mention_of[i] = -1;
  }
  static const uint32_t flag[] = {0, TOK_PERSON, TOK_ORGM, TOK_PLACEM};
  for (size_t m = 0; m < d->mentions.count; m++) {
    const nerq_mention *mm = NERQ_VEC_AT(&d->mentions, nerq_mention, m);
    for (uint32_t t = mm->first; t < mm->end; t++) {
      if (c->mention_of) c->mention_of[t] = (int32_t)m;
      NERQ_VEC_AT(&d->tokens, nerq_token, t)->flags |= flag[entity_type(c, mm->entity)];
    }
  }
  for (size_t p = 0; c->para_of && p < d->paragraphs.count; p++) {
    const nerq_range *r = NERQ_VEC_AT(&d->paragraphs, nerq_range, p);
    for (uint32_t t = r->first; t < r->end; t++) c->para_of[t] = (uint32_t)p;
  }
  for (size_t q = 0; q < d->quotes.count; q++) {
    const nerq_quote *qq = NERQ_VEC_AT(&d->quotes, nerq_quote, q);
    for (uint32_t t = qq->open_tok; t <= qq->close_tok && t < n; t++)
      if (!between_segments(qq, c->doc->tokens.items, t)) NERQ_VEC_AT(&d->tokens, nerq_token, t)->flags |= TOK_INQUOTE;
  }
  return NERQ_OK;
}

static void set_anchor(actx *c, const nerq_quote *q, int on) {
  nerq_token *o = NERQ_VEC_AT(&c->doc->tokens, nerq_token, q->open_tok);
  nerq_token *e = NERQ_VEC_AT(&c->doc->tokens, nerq_token, q->close_tok);
  if (on) {
    o->flags |= TOK_QOPEN;
    if (q->closed) e->flags |= TOK_QCLOSE;
  } else {
    o->flags &= ~TOK_QOPEN;
    e->flags &= ~TOK_QCLOSE;
  }
}

static int is_text(const actx *c, size_t i, const char *s);

/* Tries one rule at starts [a, b], keeping the match nearest the quote:
 * the latest start before it, or the first one after it. */
static int try_rule(actx *c, const nerq_rule *r, const nerq_quote *q,
                    size_t a, size_t b, amatch *out) {
  int found = 0;
  for (size_t s = a; s <= b && s < c->doc->tokens.count; s++) {
    size_t ca, cb, end;
    const nerq_entry *e = nerq_doc_entry(c->doc, s);
    uint64_t l = e ? e->lists : 0;
    if (!nerq_gate_first(&r->gate, tk(c, s)->flags, l, e ? l | e->prefixes : 0)) continue;
    if (!nerq_rule_match(c->doc, r, &c->env, s, &ca, &cb, &end)) continue;
    int anchored = (s <= q->open_tok && q->open_tok < end) ||
                   (q->closed && s <= q->close_tok && q->close_tok < end);
    if (!anchored) continue;
    *out = (amatch){r, s, end, ca, cb, 0, 0};
    found = 1;
    if (s > q->open_tok) break; /* after the quote: first is nearest */
  }
  return found;
}

/* The highest-priority rule that matches around quote q. */
/* The lists of tokens [a, b): a rule needing a list that none has
 * cannot match there. */
static uint64_t lists_in(const actx *c, size_t a, size_t b) {
  uint64_t l = 0;
  for (size_t t = a; t < b; t++)
    if (nerq_doc_entry(c->doc, t)) l |= nerq_doc_entry(c->doc, t)->lists | nerq_doc_entry(c->doc, t)->prefixes;
  return l;
}

static int has_all(uint64_t have, uint64_t need) { return (have & need) == need; }

/* The first token searched before the quote: its sentence, or the
 * sentence of a lead-in that ends the paragraph before ("Lee said:"). */
static size_t search_from(const actx *c, const nerq_quote *q) {
  size_t o = q->open_tok;
  if (o > 0 && (tk(c, o)->flags & TOK_PARA) && is_text(c, o - 1, ":")) o--;
  else if (o > 2 && !(tk(c, o)->flags & TOK_PARA) && is_text(c, o - 1, ".") &&
           (in_list(c, o - 2, c->cues) || in_list(c, o - 3, c->cues)))
    o--; /* "The talks stalled, Lee said. “…”" */
  const nerq_range *pa = NERQ_VEC_AT(&c->doc->paragraphs, nerq_range, para_of(c, o));
  size_t from = o > pa->first + WINDOW ? o - WINDOW : pa->first;
  for (size_t t = o; t > from; t--) /* attribution before a quote stays in its sentence */
    if (tk(c, t)->flags & TOK_SENT) return t;
  return from;
}

/* A rule named fallback.* only names the speaker of a quote that reads
 * as speech anyway: it never makes a title or a scare quote a quote. */
static int speaker_only(const nerq_rule *r) { return r->name && !strncmp(r->name, "fallback.", 9); }

/* The highest-priority rule that matches around quote q; fallback.* rules
 * only when the quote reads as speech (`speech`). */
static int find_rule(actx *c, const nerq_quote *q, int speech, amatch *out) {
  const nerq_range *pz = NERQ_VEC_AT(&c->doc->paragraphs, nerq_range, para_of(c, q->close_tok));
  size_t from = search_from(c, q);
  size_t to = pz->end < q->close_tok + WINDOW ? pz->end : q->close_tok + WINDOW;
  uint64_t before = lists_in(c, from, q->open_tok + 1), after = lists_in(c, q->close_tok, to);
  int can_after = q->closed && q->close_tok + 1 < pz->end;
  const nerq_rules *rules = c->doc->rules;
  for (size_t k = 0; k < rules->nqrules; k++) {
    const nerq_rule *r = &rules->qrules[k];
    if (!speech && speaker_only(r)) continue;
    uint64_t need = r->gate.must_lists;
    if (has_all(before, need) && try_rule(c, r, q, from, q->open_tok, out)) {
      out->idx = (int)k;
      out->after = 0;
      return 1;
    }
    if (can_after && has_all(after, need) && try_rule(c, r, q, q->close_tok, q->close_tok, out)) {
      out->idx = (int)k;
      out->after = 1;
      return 1;
    }
  }
  return 0;
}

/* True if mention m starts before token *tok (nerq_lower_bound's test). */
static int mention_starts_before(const void *m, const void *tok) {
  return ((const nerq_mention *)m)->first < *(const uint32_t *)tok;
}

/* One past the last mention that starts before token `before`. */
static size_t mentions_before(const nerq_doc *d, uint32_t before) {
  return nerq_lower_bound(d->mentions.items, d->mentions.count, sizeof(nerq_mention), &before,
                          mention_starts_before);
}

#define PRONOUN_REACH 200 /* mentions searched back for an antecedent */
#define PARAGRAPH_REACH 6 /* ... and paragraphs: never a guess from far away */

/* The paragraph holding token t, or 0, for t at or before the start of
 * paragraph *p and no later than the previous call's t (mentions walked
 * back in order): *p moves back to the last paragraph starting at or
 * before t. */
static uint32_t para_back(const nerq_doc *d, size_t *p, uint32_t t) {
  const nerq_range *r = d->paragraphs.items;
  if (!d->paragraphs.count) return 0;
  while (*p > 0 && r[*p].first > t) (*p)--;
  return r[*p].first <= t && t < r[*p].end ? (uint32_t)*p : 0;
}

/* The most recent entity before token `before` that a pronoun of
 * gender g ('m', 'f', 'n' it, 'p' they, 'u' who) can refer to: a person
 * of that gender or of unknown gender, any person for 'u'; an
 * organisation for it and they. Names inside quotes are not candidates. */
static int resolve_pronoun(const actx *c, uint32_t before, char g, uint32_t reach) {
  const nerq_doc *d = c->doc;
  size_t end = mentions_before(d, before);
  uint32_t pb = para_of(c, before);
  size_t p = d->paragraphs.count ? d->paragraphs.count - 1 : 0; /* para_back's place */
  if (!c->para_of) {                                            /* the last paragraph starting at or before `before` */
    size_t n = nerq_doc_paras_by(d, before);
    p = n ? n - 1 : 0;
  }
  for (size_t m = end; m-- > 0 && end - m <= PRONOUN_REACH;) {
    const nerq_mention *mm = NERQ_VEC_AT(&d->mentions, nerq_mention, m);
    uint32_t pm = c->para_of ? c->para_of[mm->first] : para_back(d, &p, mm->first);
    if (pm + reach < pb) break;
    if (mm->end > before || (tk(c, mm->first)->flags & TOK_INQUOTE)) continue;
    const nerq_entity *e = NERQ_VEC_AT(&d->entities, nerq_entity, mm->entity);
    if (g == 'n' || g == 'p') {
      if (e->type == NERQ_ORG) return mm->entity;
    } else if (e->type == NERQ_PERSON && (!e->gender || g == 'u' || e->gender == g)) {
      return mm->entity;
    }
  }
  return -1;
}

/* The most recent ORG entity mentioned before token `before`, or -1. */
static int last_org(const actx *c, uint32_t before) {
  return resolve_pronoun(c, before, 'n', UINT32_MAX / 2); /* "the company": any paragraph */
}

/* True if a word of `name` starts with the word at token t, ignoring
 * ASCII case. */
static int name_has_word(const actx *c, const char *name, size_t t) {
  const char *w = c->doc->text.text + tk(c, t)->off;
  uint32_t n = nerq_tok_len(c->doc->tokens.items, t);
  for (const char *p = name; *p; p++)
    if ((p == name || p[-1] == ' ') && !memchr(p, 0, n) && nerq_ascii_caseeq(p, w, n))
      return 1;
  return 0;
}

/* True if tokens a and b are the same word, ignoring ASCII case. */
static int same_word(const actx *c, size_t a, size_t b) {
  const nerq_token *toks = c->doc->tokens.items;
  const char *p = c->doc->text.text + toks[a].off, *q = c->doc->text.text + toks[b].off;
  uint32_t n = nerq_tok_len(toks, a);
  return n == nerq_tok_len(toks, b) && nerq_ascii_caseeq(p, q, n);
}

/* True if the noun's word stands next to mention mm, as in an
 * appositive: "competition authority, the AGCM", "AGCM, the authority". */
static int noun_beside(const actx *c, const nerq_mention *mm, size_t noun) {
  size_t from = mm->first > 4 ? mm->first - 4 : 0, to = mm->end + 3;
  if (to > c->doc->tokens.count) to = c->doc->tokens.count;
  for (size_t t = from; t < to; t++)
    if ((t < mm->first || t >= mm->end) && t != noun && same_word(c, t, noun)) return 1;
  return 0;
}

/* The most recent ORG mention before token `before` that passes the
 * test for the noun, as an entity, or -1. */
static int recent_org(const actx *c, uint32_t before, size_t noun, int by_name) {
  const nerq_doc *d = c->doc;
  size_t end = mentions_before(d, before);
  for (size_t m = end; m-- > 0 && end - m <= PRONOUN_REACH;) {
    const nerq_mention *mm = NERQ_VEC_AT(&d->mentions, nerq_mention, m);
    const nerq_entity *e = NERQ_VEC_AT(&d->entities, nerq_entity, mm->entity);
    if (mm->end > before || e->type != NERQ_ORG) continue;
    if (by_name ? name_has_word(c, e->name, noun) : noun_beside(c, mm, noun)) return mm->entity;
  }
  return -1;
}

/* The organisation a noun like "the authority" refers to: the most
 * recent one whose name has that word ("... Park Authority"), else one
 * the noun stood beside ("competition authority, the AGCM"), else the
 * most recent one. */
static int org_for_noun(const actx *c, uint32_t before, size_t noun) {
  int e = recent_org(c, before, noun, 1);
  if (e < 0) e = recent_org(c, before, noun, 0);
  return e >= 0 ? e : last_org(c, before);
}

/* First ORG mention inside tokens [a, b), as an entity, or -1. */
static int org_within(const actx *c, size_t a, size_t b) {
  for (size_t t = a; t < b; t++) {
    const nerq_mention *m = mention(c, mention_at(c, t));
    if (m && entity_type(c, m->entity) == NERQ_ORG) return m->entity;
  }
  return -1;
}

/* Text of tokens [a, b) in the arena, white space as in the source. */
static const char *text_of(const actx *c, size_t a, size_t b) {
  if (a >= b) return NULL;
  uint32_t s = tk(c, a)->off, e = nerq_tok_end(c->doc->tokens.items, b - 1);
  return nerq_arena_strndup(c->doc->arena, c->doc->text.text + s, e - s);
}

static int is_stop(const actx *c, size_t i) { return in_list(c, i, c->stop); }

/* A word that may stand in a role phrase: "EMEA general manager". */
static int role_word(const actx *c, size_t i) {
  uint32_t f = tk(c, i)->flags;
  if (in_list(c, i, c->jobs)) return 1;
  if (!(f & TOK_WORD) || (f & (TOK_POSS | TOK_INQUOTE)) || is_stop(c, i)) return 0;
  const nerq_mention *m = mention(c, mention_at(c, (uint32_t)i));
  if ((m && entity_type(c, m->entity) != NERQ_PLACE) || in_list(c, i, c->cues)) return 0;
  return (f & (TOK_LOWER | TOK_UPPER)) != 0;
}

/* The role phrase that ends with job-title token j: [*s, j]. */
static size_t role_start(const actx *c, size_t j, size_t floor) {
  size_t s = j;
  while (s > floor && role_word(c, s - 1)) s--;
  return s;
}

/* The first role phrase within [a, b), as text, or NULL. */
static const char *role_within(const actx *c, size_t a, size_t b) {
  for (size_t j = a; j < b; j++) {
    if (!in_list(c, j, c->jobs)) continue;
    size_t e = j + 1; /* through the last job word of the run: "chief financial officer" */
    for (size_t k = j + 1; k < b && role_word(c, k); k++)
      if (in_list(c, k, c->jobs)) e = k + 1;
    return text_of(c, role_start(c, j, a), e);
  }
  return NULL;
}

/* The ORG entity whose mention ends just before token t (skipping a
 * possessive), or -1. */
static int org_before(const actx *c, size_t t) {
  if (t == 0) return -1;
  if (tk(c, t - 1)->flags & TOK_POSS) t--;
  const nerq_mention *m = t ? mention(c, mention_at(c, t - 1)) : NULL;
  return m && entity_type(c, m->entity) == NERQ_ORG ? m->entity : -1;
}

static int is_text(const actx *c, size_t i, const char *s) {
  uint32_t n = nerq_tok_len(c->doc->tokens.items, i);
  return n == strlen(s) && !memcmp(c->doc->text.text + tk(c, i)->off, s, n);
}

/* A preposition that may stand inside a role: "head of metro services". */
static int role_prep(const actx *c, size_t i) {
  return in_list(c, i, c->preps); /* rules/lists/role_preps.txt */
}

/* Role and organisation from "ORG’s ROLE, NAME" or "ORG ROLE NAME":
 * the role words just before the name (and its comma), which must
 * include a job title. */
static int appositive_before(const actx *c, nerq_quote *q, size_t a) {
  size_t j = a, s, jobs = 0;
  if (j > 0 && is_text(c, j - 1, ",")) j--;
  for (s = j; s > 0 && j - s < 8 && (role_word(c, s - 1) || role_prep(c, s - 1)); s--)
    jobs += in_list(c, s - 1, c->jobs);
  while (s < j && role_prep(c, s)) s++;
  if (!jobs || s == j) return 0;
  q->role = text_of(c, s, j);
  q->org = org_before(c, s);
  return 1;
}

/* Role and organisation from "NAME, ROLE of ORG," or "NAME, ORG’s ROLE,". */
static int appositive_after(const actx *c, nerq_quote *q, size_t b) {
  size_t n = c->doc->tokens.count, e = b + 1;
  if (b >= n || !is_text(c, b, ",")) return 0;
  const nerq_mention *m = e < n ? mention(c, mention_at(c, e)) : NULL;
  int org = -1;
  if (m && entity_type(c, m->entity) == NERQ_ORG && m->end < n && (tk(c, m->end)->flags & TOK_POSS)) {
    org = m->entity;
    e = m->end + 1;
  }
  size_t s = e;
  while (e < n && role_word(c, e)) e++;
  const char *role = role_within(c, s, e);
  if (!role) return 0;
  q->role = role;
  if (org < 0 && e + 1 < n && role_prep(c, e))
    org = org_within(c, e + 1, e + 2 < n ? e + 3 : e + 2);
  q->org = org;
  return 1;
}

/* The length in tokens of the speech cue at token t (a phrase of
 * speech_cues: "said", "according to", "pointed out"), or 0. */
static size_t cue_at(const actx *c, size_t t, size_t end) {
  const nerq_entry *e = nerq_doc_entry(c->doc, t);
  if (!e || c->cues < 0) return 0;
  for (size_t n = 3; n > 1 && ((e->prefixes >> c->cues) & 1); n--) {
    if (t + n > end) continue;
    const nerq_entry *p = nerq_lexicon_span(c->doc->rules->lex, c->doc->text.text,
                                            c->doc->tokens.items, t, t + n);
    if (p && ((p->lists >> c->cues) & 1)) return n;
  }
  return (e->lists >> c->cues) & 1;
}

/* The speech cue inside the match and outside the speaker, recorded as
 * evidence ("the report said", "63 percent of those asked agreed"). */
static void set_cue(const actx *c, nerq_quote *q, const amatch *m) {
  for (size_t t = m->start; t < m->end; t++) {
    if (t >= m->cap_a && t < m->cap_b) continue;
    size_t n = cue_at(c, t, m->end);
    if (!n) continue;
    q->cue_start = tk(c, t)->off;
    q->cue_end = nerq_tok_end(c->doc->tokens.items, t + n - 1);
    return;
  }
}

/* Speaker from a role noun phrase: the organisation it names, else the
 * last organisation for "the company"-like nouns. */
static void role_speaker(const actx *c, nerq_quote *q, const amatch *m) {
  q->role = role_within(c, m->cap_a, m->cap_b);
  q->speaker = org_within(c, m->cap_a, m->cap_b);
  if (q->speaker < 0) {
    for (size_t t = m->cap_a; t < m->cap_b && q->speaker < 0; t++)
      if (in_list(c, t, c->orgnouns)) q->speaker = org_for_noun(c, (uint32_t)m->cap_a, t);
  }
}

static void person_details(const actx *c, nerq_quote *q, const nerq_mention *mm) {
  if (!appositive_before(c, q, mm->first)) appositive_after(c, q, mm->end);
}

/* Fills q's speaker from the match. */
static void assign(actx *c, nerq_quote *q, const amatch *m) {
  int how = m->rule->type;
  q->how = nerq_how_name(how);
  q->rule = m->rule->source;
  set_cue(c, q, m);
  const nerq_mention *mm = mention(c, mention_at(c, (uint32_t)m->cap_a));
  if (how == HOW_PRONOUN) {
    const nerq_entry *e = nerq_doc_entry(c->doc, m->cap_a);
    q->speaker = resolve_pronoun(c, (uint32_t)m->cap_a, e ? e->gender : 0, PARAGRAPH_REACH);
    if (q->speaker < 0) return; /* an unnamed "she": no speaker */
  } else if (how == HOW_ROLE) {
    role_speaker(c, q, m); /* "a witness": the mention, entity null */
  } else if (mm) {
    q->speaker = mm->entity;
    q->spk_start = mm->start;
    q->spk_end = mm->stop;
    if (entity_type(c, mm->entity) == NERQ_PERSON) person_details(c, q, mm);
    return;
  }
  q->spk_start = tk(c, m->cap_a)->off;
  q->spk_end = nerq_tok_end(c->doc->tokens.items, m->cap_b - 1);
}

static int prev_is_lead_in(const actx *c, uint32_t open) {
  if (tk(c, open)->flags & (TOK_SENT | TOK_PARA)) return 1;
  if (open == 0) return 1;
  size_t p = open - 1;
  static const char *lead[] = {":", ",", ";", "\xE2\x80\x94", "\xE2\x80\x93", "-", "(", "."};
  for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++)
    if (is_text(c, p, lead[i])) return 1;
  return in_list(c, p, c->cues) || (tk(c, p)->flags & TOK_QUOTE);
}

/* A full sentence: starts with a capital, ends with . ! ? or , */
static int sentence_like(const actx *c, const nerq_quote *q) {
  const nerq_seg *a = NERQ_VEC_AT(&q->segs, nerq_seg, 0);
  const nerq_seg *z = NERQ_VEC_AT(&q->segs, nerq_seg, q->segs.count - 1);
  const nerq_token *first = tk(c, q->open_tok + 1);
  char last = z->end > z->start ? c->doc->text.text[z->end - 1] : 0;
  (void)a;
  return (first->flags & TOK_CAP) && (last == '.' || last == '!' || last == '?');
}

/* Continues the speaker of the previous quote when this one opens its
 * paragraph right after it, or shares its paragraph. */
static void continuation(actx *c, nerq_quote *q, const nerq_quote *prev) {
  if (!prev || (prev->speaker < 0 && !prev->spk_end)) return;
  uint32_t pq = para_of(c, q->open_tok), pp = para_of(c, prev->close_tok);
  int opens_para = (tk(c, q->open_tok)->flags & TOK_PARA) && pq == pp + 1;
  if (!opens_para && pq != pp) return;
  q->speaker = prev->speaker;
  q->spk_start = prev->spk_start;
  q->spk_end = prev->spk_end;
  q->role = prev->role;
  q->org = prev->org;
  q->how = "continuation";
  q->rule = opens_para ? "continuation:next-paragraph" : "continuation:same-paragraph";
}

/* Words in the quote's content. */
static size_t content_words(const actx *c, const nerq_quote *q) {
  size_t n = 0;
  for (uint32_t t = q->open_tok + 1; t < q->close_tok; t++)
    n += (tk(c, t)->flags & TOK_WORD) != 0;
  return n;
}

/* True if the quote's sentence has a speech cue outside quotes: "she
 * said the plan was “unworkable” and “cruel”" keeps both fragments. */
static int sentence_has_cue(const actx *c, const nerq_quote *q) {
  size_t n = c->doc->tokens.count, a = q->open_tok, z = q->close_tok + 1;
  while (a > 0 && !(tk(c, a)->flags & (TOK_SENT | TOK_PARA))) a--;
  while (z < n && !(tk(c, z)->flags & (TOK_SENT | TOK_PARA))) z++;
  for (size_t t = a; t < z; t++)
    if (!(tk(c, t)->flags & TOK_INQUOTE) && in_list(c, t, c->cues)) return 1;
  return 0;
}

/* True if a cue word stands just before the mark and the quote opens
 * in lower case: "called it “a year of abuse”" is a fragment. */
static int cue_then_lower(const actx *c, const nerq_quote *q) {
  uint32_t o = q->open_tok;
  if (o == 0 || !in_list(c, o - 1, c->cues) || o + 1 >= c->doc->tokens.count) return 0;
  return (tk(c, o + 1)->flags & TOK_LOWER) != 0;
}

/* The speech tests quote q passes (QLOG_* bits). */
static int speech_tests(const actx *c, const nerq_quote *q) {
  int t = 0;
  if (sentence_like(c, q)) t |= QLOG_SENTENCE;
  if (q->open_tok > 0 && is_text(c, q->open_tok - 1, ":")) t |= QLOG_COLON;
  if (prev_is_lead_in(c, q->open_tok) && content_words(c, q) >= 4 && !cue_then_lower(c, q))
    t |= QLOG_OPENS;
  if (sentence_has_cue(c, q)) t |= QLOG_CUE;
  return t;
}

/* Records what became of quote q (the match m or NULL), for explain. */
static nerq_status log_quote(actx *c, nerq_quote *q, const amatch *m, int tests,
                             const char *verdict) {
  nerq_qlog *l = nerq_vec_push(c->doc->arena, &c->doc->qlog);
  if (!l) return NERQ_ERR_NOMEM;
  q->log = (int)c->doc->qlog.count - 1;
  *l = (nerq_qlog){.open_tok = q->open_tok, .close_tok = q->close_tok, .closed = q->closed, .empty = !verdict, .kept = !q->drop, .rule = m ? m->idx : -1, .after = m ? m->after : 0, .tests = tests, .verdict = verdict ? verdict : "dropped: no content", .speaker = q->speaker, .spk_start = q->spk_start, .spk_end = q->spk_end, .how = q->how, .how_rule = q->rule};
  if (m) {
    l->m_first = (uint32_t)m->start;
    l->m_end = (uint32_t)m->end;
    l->cap_a = (uint32_t)m->cap_a;
    l->cap_b = (uint32_t)m->cap_b;
  }
  return NERQ_OK;
}

/* Direct, partial, or not a quote (dropped), and the speaker. A quote
 * no rule attributes is kept only if it reads as speech: a sentence, a
 * quote after a colon, four or more words that open a sentence, or a
 * fragment in a sentence with a speech cue. */
static nerq_status classify(actx *c, nerq_quote *q, const nerq_quote *prev) {
  amatch m;
  int tests = speech_tests(c, q);
  int found = find_rule(c, q, tests != 0, &m);
  if (found && m.rule->type == HOW_NONE) {
    q->drop = 1;
    return log_quote(c, q, &m, 0, "dropped: not a quote (a title, a name or a scare quote)");
  }
  if (!found && !tests) {
    q->drop = 1;
    return log_quote(c, q, NULL, tests, "dropped: not speech (no rule matched, no speech test passed)");
  }
  q->partial = !(tests & (QLOG_SENTENCE | QLOG_COLON | QLOG_OPENS));
  if (found) assign(c, q, &m);
  else continuation(c, q, prev);
  if (!q->how) q->how = "none";
  return log_quote(c, q, found ? &m : NULL, tests, q->partial ? "kept: partial" : "kept: direct");
}

static int same_speaker(const nerq_quote *a, const nerq_quote *b) {
  if (b->how && !strcmp(b->how, "continuation") && b->rule && strstr(b->rule, "same-paragraph"))
    return 1;
  /* the same words: "“…,” Wang said, “…”"; not "“…,” she said. … “…,” she said" */
  return a->speaker >= 0 && a->speaker == b->speaker && a->spk_start == b->spk_start;
}

/* Joins a quote split by its attribution ("“…,” Wang said, “…”") into
 * one quote of two segments. */
static nerq_status merge_split(actx *c) {
  nerq_doc *d = c->doc;
  nerq_quote *a = NULL;
  for (size_t i = 0; i < d->quotes.count; i++) {
    nerq_quote *b = NERQ_VEC_AT(&d->quotes, nerq_quote, i);
    if (b->drop) continue;
    int join = a && a->closed && para_of(c, a->close_tok) == para_of(c, b->open_tok) &&
               b->open_tok - a->close_tok < 24 && same_speaker(a, b);
    if (!join) {
      a = b;
      continue;
    }
    for (size_t s = 0; s < b->segs.count; s++) {
      nerq_seg *g = nerq_vec_push(d->arena, &a->segs);
      if (!g) return NERQ_ERR_NOMEM;
      *g = *NERQ_VEC_AT(&b->segs, nerq_seg, s);
    }
    a->close_tok = b->close_tok;
    a->closed = b->closed;
    a->partial = a->partial && b->partial;
    b->drop = 1;
    nerq_qlog *l = NERQ_VEC_AT(&d->qlog, nerq_qlog, b->log);
    l->verdict = "merged into the quote before: one quote split by its attribution";
    l->kept = 0;
  }
  return NERQ_OK;
}

/* Removes dropped quotes, keeping order. */
static void compact(nerq_doc *d) {
  size_t k = 0;
  for (size_t i = 0; i < d->quotes.count; i++) {
    nerq_quote *q = NERQ_VEC_AT(&d->quotes, nerq_quote, i);
    if (!q->drop) *NERQ_VEC_AT(&d->quotes, nerq_quote, k++) = *q;
  }
  d->quotes.count = k;
}

static nerq_status attribute_all(actx *c) {
  nerq_doc *d = c->doc;
  const nerq_quote *prev = NULL;
  for (size_t i = 0; i < d->quotes.count; i++) {
    nerq_quote *q = NERQ_VEC_AT(&d->quotes, nerq_quote, i);
    nerq_status st = NERQ_OK;
    if (q->drop) {
      st = log_quote(c, q, NULL, 0, NULL); /* no content */
    } else {
      set_anchor(c, q, 1);
      st = classify(c, q, prev);
      set_anchor(c, q, 0);
      if (!q->drop) prev = q;
    }
    if (st) return st;
  }
  nerq_status st = merge_split(c);
  compact(d);
  return st;
}

/* Sets up c for doc: list ids, token marks and the scratch arrays, a
 * regex context; release with ctx_close, also after a failure. */
static nerq_status ctx_open(actx *c, nerq_doc *doc) {
  *c = (actx){.doc = doc};
  const nerq_list_ids *ids = &doc->rules->ids; /* looked up at load */
  c->cues = ids->cues;
  c->pronouns = ids->pronouns;
  c->jobs = ids->jobs;
  c->orgnouns = ids->orgnouns;
  c->stop = ids->stop;
  c->preps = ids->preps;
  nerq_status st = prepare(c);
  void *md = NULL, *mc = NULL;
  if (!st && nerq_regex_context(&md, &mc)) st = NERQ_ERR_NOMEM;
  c->env = (nerq_match_env){doc->text.text, doc->tokens.items, doc->tokens.count,
                            doc->rules->lex, &doc->ents, NULL, NULL, 0, md, mc, 0, -1,
                            &doc->spent, 0};
  return st;
}

static void ctx_close(actx *c) {
  if (c->env.match_data) nerq_regex_context_free(c->env.match_data, c->env.mcontext);
  free(c->mention_of);
  free(c->para_of);
}

nerq_status nerq_quotes_attribute(nerq_doc *doc) {
  if (!doc->quotes.count) return NERQ_OK;
  actx c;
  nerq_status st = ctx_open(&c, doc);
  if (!st) st = attribute_all(&c);
  ctx_close(&c);
  return st;
}

nerq_status nerq_quotes_attribute_spans(nerq_doc *doc, nerq_vec *spans) {
  if (!spans->count) return NERQ_OK;
  actx c;
  nerq_status st = ctx_open(&c, doc);
  for (size_t i = 0; !st && i < spans->count; i++) {
    nerq_quote *q = NERQ_VEC_AT(spans, nerq_quote, i);
    amatch m = {0};
    set_anchor(&c, q, 1);
    int found = find_rule(&c, q, 0, &m); /* no fallback.* rule: a reported cue has its own */
    set_anchor(&c, q, 0);
    if (!found || m.rule->type == HOW_NONE) q->drop = 1, q->how = found ? "none" : NULL;
    else assign(&c, q, &m);
    q->at_first = (uint32_t)m.start;
    q->at_end = (uint32_t)m.end;
  }
  ctx_close(&c);
  return st;
}
