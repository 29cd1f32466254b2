/* relate.c - stage 7: relations between entities (who works where).
 *
 * The rules of rules/relations.rules ("NAME PREDICATE PRIORITY :
 * PATTERN") run at every token, after entities and quotes. The capture
 * < > is the subject: the entity whose mention holds its first token.
 * The object is the entity of the predicate's object type mentioned in
 * the rest of the match, nearest the capture:
 *   worksFor  PERSON -> ORG, and jobTitle from the role words in the match
 *   jobTitle  PERSON -> the role words ("EMEA general manager")
 *   founder   ORG    -> PERSON
 *   memberOf  PERSON -> ORG, else the capitalised word ("a Democrat")
 *   location  ORG or PLACE -> PLACE (containedInPlace for a place)
 * A relation found twice is kept once, with its first evidence, and a
 * rule that matches the same tokens as a rule of higher priority that
 * gave relations adds nothing. Then a
 * quote's speaker with no role or organisation takes them from the
 * relations of that person anywhere in the document. */
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "entities.h"
#include "quotes.h"
#include "relate.h"
#include "document.h"

typedef struct {
  nerq_doc *doc;
  int32_t *mention_of;        /* token -> mention index or -1 */
  int jobs, stop, lead, tail; /* list ids */
  nerq_match_env env;
} rctx;

static const char *const pred_names[] = {"", "worksFor", "jobTitle", "founder", "memberOf",
                                         "location"};

int nerq_relation_code(const char *name) {
  for (int i = REL_WORKSFOR; i <= REL_LOCATION; i++)
    if (!strcmp(name, pred_names[i])) return i;
  return -1;
}

static int ent_type(const nerq_doc *d, int e) {
  return NERQ_VEC_AT(&d->entities, nerq_entity, e)->type;
}

const char *nerq_relation_name(const nerq_doc *d, const nerq_relation *r) {
  if (r->pred == REL_LOCATION && ent_type(d, r->subject) == NERQ_PLACE) return "containedInPlace";
  return r->pred >= REL_WORKSFOR && r->pred <= REL_LOCATION ? pred_names[r->pred] : "";
}

static const nerq_token *tok(const rctx *c, size_t i) {
  return NERQ_VEC_AT(&c->doc->tokens, nerq_token, i);
}

/* The entity whose mention holds token t, or -1. */
static int entity_at(const rctx *c, size_t t) {
  int32_t m = -1;
  if (c->mention_of) m = c->mention_of[t];
  else if (t < c->doc->tokens.count && (tok(c, t)->flags & (TOK_PERSON | TOK_ORGM | TOK_PLACEM)))
    m = nerq_doc_mention_at(c->doc, (uint32_t)t);
  return m < 0 ? -1 : NERQ_VEC_AT(&c->doc->mentions, nerq_mention, m)->entity;
}

/* Marks each token with its mention and the mention's type (the Person,
 * Org and Place tests). */
static nerq_status prepare(rctx *c) {
  nerq_doc *d = c->doc;
  size_t n = d->tokens.count;
  static const uint32_t flag[] = {0, TOK_PERSON, TOK_ORGM, TOK_PLACEM};
  if (!nerq_doc_spans_plain(d)) {                   /* else found by flag and binary search */
    c->mention_of = calloc(n + 1, sizeof(int32_t)); /* scratch: freed by the caller */
    if (!c->mention_of) return NERQ_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) c->mention_of[i] = -1;
  }
  for (size_t m = 0; m < d->mentions.count; m++) {
    const nerq_mention *mm = NERQ_VEC_AT(&d->mentions, nerq_mention, m);
    for (uint32_t t = mm->first; t < mm->end; t++) {
      if (c->mention_of) c->mention_of[t] = (int32_t)m;
      NERQ_VEC_AT(&d->tokens, nerq_token, t)->flags |= flag[ent_type(d, mm->entity)];
    }
  }
  return NERQ_OK;
}

/* Subject and object types of each predicate (object 0: a literal). */
static int subject_ok(int pred, int type) {
  if (pred == REL_FOUNDER) return type == NERQ_ORG;
  if (pred == REL_LOCATION) return type == NERQ_ORG || type == NERQ_PLACE;
  return type == NERQ_PERSON;
}

static int object_type(int pred) {
  static const int t[] = {0, NERQ_ORG, 0, NERQ_PERSON, NERQ_ORG, NERQ_PLACE};
  return t[pred];
}

/* The entity of type `type` mentioned in [a, b) outside the capture
 * [ca, cb), nearest to it; or -1. */
static int nearest_object(const rctx *c, size_t a, size_t b, size_t ca, size_t cb,
                          int type, int subject) {
  int best = -1;
  size_t best_d = (size_t)-1;
  for (size_t t = a; t < b; t++) {
    if (t >= ca && t < cb) continue;
    int e = entity_at(c, t);
    if (e < 0 || e == subject || ent_type(c->doc, e) != type) continue;
    size_t dist = t < ca ? ca - t : t - cb;
    if (dist < best_d) best_d = dist, best = e;
  }
  return best;
}

static int in_list(const rctx *c, size_t t, int list) {
  const nerq_entry *e = nerq_doc_entry(c->doc, t);
  return list >= 0 && e && ((e->lists >> list) & 1);
}

/* A token that may stand in a role phrase: a word outside any person or
 * organisation mention (a place may: "EMEA general manager"). */
static int role_tok(const rctx *c, size_t t, size_t ca, size_t cb) {
  const nerq_token *k = tok(c, t);
  if ((t >= ca && t < cb) || !(k->flags & TOK_WORD) || (k->flags & (TOK_POSS | TOK_QUOTE)))
    return 0;
  int e = entity_at(c, t);
  return e < 0 || ent_type(c->doc, e) == NERQ_PLACE;
}

/* The role phrase in [a, b) outside the capture: the first run of role
 * tokens holding a job title, without leading articles and pronouns or
 * trailing prepositions ("a spokeswoman for" -> "spokeswoman"). Stores
 * its token range; returns 0 if there is none. */
static int role_span(const rctx *c, size_t a, size_t b, size_t ca, size_t cb,
                     size_t *ra, size_t *rb) {
  for (size_t s = a; s < b;) {
    if (!role_tok(c, s, ca, cb)) {
      s++;
      continue;
    }
    size_t e = s, jobs = 0;
    while (e < b && role_tok(c, e, ca, cb)) jobs += in_list(c, e++, c->jobs);
    while (s < e && in_list(c, s, c->lead)) s++;     /* rules/lists/role_lead_words.txt */
    while (e > s && in_list(c, e - 1, c->tail)) e--; /* ... role_tail_words.txt */
    if (jobs && s < e) {
      *ra = s;
      *rb = e;
      return 1;
    }
    s = e + 1;
  }
  return 0;
}

/* The last capitalised word of [a, b) outside the capture, a literal
 * object ("a Democrat"); 0 if none. */
static int cap_literal(const rctx *c, size_t a, size_t b, size_t ca, size_t cb,
                       size_t *ra, size_t *rb) {
  for (size_t t = b; t-- > a;) {
    if (t >= ca && t < cb) continue;
    const nerq_token *k = tok(c, t);
    if ((k->flags & TOK_WORD) && (k->flags & TOK_CAP) && !in_list(c, t, c->stop) &&
        entity_at(c, t) < 0) {
      *ra = t;
      *rb = t + 1;
      return 1;
    }
  }
  return 0;
}

static int same_literal(const nerq_doc *d, const nerq_relation *x, uint32_t s, uint32_t e) {
  return x->lit_end - x->lit_start == e - s &&
         !memcmp(d->text.text + x->lit_start, d->text.text + s, e - s);
}

/* Adds a relation unless it is known; 0, or -1 when out of memory. */
static int add_relation(rctx *c, const nerq_rule *r, int pred, int subj, int obj,
                        size_t la, size_t lb, size_t a, size_t b) {
  nerq_doc *d = c->doc;
  uint32_t ls = obj < 0 ? tok(c, la)->off : 0;
  uint32_t le = obj < 0 ? nerq_tok_end(c->doc->tokens.items, lb - 1) : 0;
  for (size_t i = 0; i < d->relations.count; i++) {
    const nerq_relation *x = NERQ_VEC_AT(&d->relations, nerq_relation, i);
    if (x->subject == subj && x->pred == pred && x->object == obj &&
        (obj >= 0 || same_literal(d, x, ls, le)))
      return 0;
  }
  nerq_relation *n = nerq_vec_push(d->arena, &d->relations);
  if (!n) return -1;
  *n = (nerq_relation){subj, pred, obj, ls, le, tok(c, a)->off,
                       nerq_tok_end(c->doc->tokens.items, b - 1), r->source};
  return 0;
}

/* The relations of one match of rule r: tokens [a, b), capture [ca, cb).
 * Returns 1 if the match gives a relation (new or known), 0 if none,
 * -1 when out of memory. */
static int relate_match(rctx *c, const nerq_rule *r, size_t a, size_t b, size_t ca, size_t cb) {
  int subj = ca < cb ? entity_at(c, ca) : -1;
  if (subj < 0 || !subject_ok(r->type, ent_type(c->doc, subj))) return 0;
  size_t la = 0, lb = 0;
  int ot = object_type(r->type), gave = 0;
  int obj = ot ? nearest_object(c, a, b, ca, cb, ot, subj) : -1;
  if (r->type == REL_WORKSFOR || r->type == REL_JOBTITLE) {
    if ((gave = role_span(c, a, b, ca, cb, &la, &lb)) &&
        add_relation(c, r, REL_JOBTITLE, subj, -1, la, lb, a, b))
      return -1;
    if (r->type == REL_JOBTITLE) return gave;
  }
  if (obj >= 0) return add_relation(c, r, r->type, subj, obj, 0, 0, a, b) ? -1 : 1;
  if (r->type == REL_MEMBEROF && cap_literal(c, a, b, ca, cb, &la, &lb))
    return add_relation(c, r, r->type, subj, -1, la, lb, a, b) ? -1 : 1;
  return gave;
}

/* A match that gave relations: a rule of lower priority that matches
 * the very same tokens adds nothing ("GOP nominee X" is memberOf, not
 * also worksFor). */
typedef struct {
  size_t start, end, rule;
  int32_t next; /* the previous claim with the same start, or -1 */
} claim;

/* The last claim starting at each token that has one: a map from the
 * token (open addressing; an empty slot has head -1), so that a lookup
 * reads only the claims of one token and time stays linear, without a
 * table of 4 bytes a token (few matches give relations). */
typedef struct {
  uint32_t tok;
  int32_t head;
} claim_slot;

typedef struct {
  claim_slot *slot;
  size_t cap, count; /* cap: 0 or a power of two */
} claim_map;

static size_t claim_hash(uint32_t s, size_t cap) { return (s * 2654435761u) & (cap - 1); }

static int32_t claims_first(const claim_map *m, uint32_t s) {
  for (size_t i = m->cap ? claim_hash(s, m->cap) : 0; m->cap; i = (i + 1) & (m->cap - 1)) {
    if (m->slot[i].head < 0) return -1;
    if (m->slot[i].tok == s) return m->slot[i].head;
  }
  return -1;
}

static void claims_put(claim_map *m, uint32_t s, int32_t head) {
  size_t i = claim_hash(s, m->cap);
  while (m->slot[i].head >= 0 && m->slot[i].tok != s) i = (i + 1) & (m->cap - 1);
  if (m->slot[i].head < 0) m->count++;
  m->slot[i] = (claim_slot){s, head};
}

/* Makes claim `head` the last one starting at token s: 0, or -1 when out
 * of memory. */
static int claims_set(claim_map *m, uint32_t s, int32_t head) {
  if ((m->count + 1) * 2 > m->cap) {
    claim_map g = {malloc((m->cap ? m->cap * 2 : 64) * sizeof *g.slot), m->cap ? m->cap * 2 : 64, 0};
    if (!g.slot) return -1;
    for (size_t i = 0; i < g.cap; i++) g.slot[i].head = -1;
    for (size_t i = 0; i < m->cap; i++)
      if (m->slot[i].head >= 0) claims_put(&g, m->slot[i].tok, m->slot[i].head);
    free(m->slot);
    *m = g;
  }
  claims_put(m, s, head);
  return 0;
}

static int claimed(const nerq_vec *claims, const claim_map *at, size_t s, size_t end,
                   size_t rule) {
  for (int32_t k = claims_first(at, (uint32_t)s); k >= 0;) {
    const claim *x = NERQ_VEC_AT(claims, claim, (size_t)k);
    if (x->end == end && x->rule != rule) return 1;
    k = x->next;
  }
  return 0;
}

/* Tokens of one class (flags, lists, lists and prefixes) open the
 * first-token gates of the same rules: a small cache from the class to
 * that set, so a gate is tested once per class, not per token. */
#define GATE_SLOTS 256
typedef struct {
  uint64_t lists, lp, set;
  uint32_t flags;
  int used;
} gate_slot;

static uint64_t gate_set(const nerq_rules *rs, gate_slot *cache, uint32_t f, uint64_t l,
                         uint64_t lp) {
  uint64_t h = (l * 0x9E3779B97F4A7C15ull) ^ (lp * 0xC2B2AE3D27D4EB4Full) ^ f;
  gate_slot *g = &cache[(h ^ (h >> 29)) & (GATE_SLOTS - 1)];
  if (g->used && g->flags == f && g->lists == l && g->lp == lp) return g->set;
  *g = (gate_slot){l, lp, 0, f, 1};
  for (size_t i = 0; i < rs->nrrules; i++)
    if (nerq_gate_first(&rs->rrules[i].gate, f, l, lp)) g->set |= 1ull << i;
  return g->set;
}

/* The tokens where at least one rule's gate opens, a bit each, and for
 * each of them in order the number of its set of rules in `sets`: a
 * byte, where a token index and a 64-bit set were 12 bytes (on a big
 * document a sixth of the tokens open a gate: this stage's peak). Needs
 * at most 64 rules and 255 distinct sets (run_rules tests every gate
 * otherwise). */
typedef struct {
  uint64_t *open; /* a bit a token */
  uint8_t *sid;   /* per open token */
  uint64_t sets[256];
  size_t nsets;
} gate_map;

/* The number of set m in g->sets (added if new), or -1 past 255 sets. */
static int set_id(gate_map *g, uint64_t m, int *last) {
  if (*last >= 0 && g->sets[*last] == m) return *last;
  for (size_t k = 0; k < g->nsets; k++)
    if (g->sets[k] == m) return *last = (int)k;
  if (g->nsets == 255) return -1;
  g->sets[g->nsets] = m;
  return *last = (int)g->nsets++;
}

/* Fills g; 0, or -1 when out of memory or past 255 sets (g then unused). */
static int gate_tokens(const rctx *c, gate_map *g) {
  gate_slot cache[GATE_SLOTS];
  memset(cache, 0, sizeof cache);
  size_t n = c->doc->tokens.count, k = 0;
  int last = -1;
  g->open = calloc((n >> 6) + 1, sizeof *g->open);
  g->sid = g->open ? malloc(n + 1) : NULL; /* touched as far as used */
  g->nsets = 0;
  for (size_t s = 0; g->sid && s < n; s++) {
    const nerq_entry *e = nerq_doc_entry(c->doc, s);
    uint64_t l = e ? e->lists : 0;
    uint64_t m = gate_set(c->doc->rules, cache, tok(c, s)->flags, l, e ? l | e->prefixes : 0);
    int id = m ? set_id(g, m, &last) : 0;
    if (id < 0) return -1;
    if (m) g->open[s >> 6] |= 1ull << (s & 63), g->sid[k++] = (uint8_t)id;
  }
  return g->sid ? 0 : -1;
}

/* The first token from s whose bit is set in open, or n. */
static size_t next_open(const uint64_t *open, size_t s, size_t n) {
  if (s >= n) return n;
  size_t w = s >> 6, last = (n - 1) >> 6;
  uint64_t b = open[w] & (~0ull << (s & 63));
  while (!b && w < last) b = open[++w];
  size_t t = b ? (w << 6) + (size_t)__builtin_ctzll(b) : n;
  return t < n ? t : n;
}

/* Rule r at every token whose gate opens for it: the tokens of g, or (g
 * NULL) every token, each gate tested. */
static nerq_status rule_at(rctx *c, size_t i, const gate_map *g, nerq_vec *claims,
                           claim_map *claims_at) {
  const nerq_rule *r = &c->doc->rules->rrules[i];
  size_t n = c->doc->tokens.count, k = 0;
  for (size_t s = g ? next_open(g->open, 0, n) : 0; s < n;
       s = g ? next_open(g->open, s + 1, n) : s + 1, k++) {
    size_t ca, cb, end;
    const nerq_entry *e = nerq_doc_entry(c->doc, s);
    uint64_t l = e ? e->lists : 0;
    if (g ? !((g->sets[g->sid[k]] >> i) & 1)
          : !nerq_gate_first(&r->gate, tok(c, s)->flags, l, e ? l | e->prefixes : 0))
      continue;
    if (!nerq_rule_match(c->doc, r, &c->env, s, &ca, &cb, &end)) continue;
    if (claimed(claims, claims_at, s, end, i)) continue;
    int gave = relate_match(c, r, s, end, ca, cb);
    claim *cl = gave > 0 ? nerq_vec_push(c->doc->arena, claims) : NULL;
    if (gave < 0 || (gave > 0 && !cl)) return NERQ_ERR_NOMEM;
    if (cl) {
      *cl = (claim){s, end, i, claims_first(claims_at, (uint32_t)s)};
      if (claims_set(claims_at, (uint32_t)s, (int32_t)(claims->count - 1))) return NERQ_ERR_NOMEM;
    }
  }
  return NERQ_OK;
}

/* Every rule in order over the tokens where its gate opens; a rule
 * needing a word the document lacks is skipped. */
static nerq_status run_rules(rctx *c) {
  const nerq_rules *rs = c->doc->rules;
  size_t n = c->doc->tokens.count;
  nerq_vec claims;
  nerq_vec_init(&claims, sizeof(claim));
  claim_map claims_at = {NULL, 0, 0}; /* scratch, all freed below */
  gate_map g = {0};
  int use_map = rs->nrrules <= 64 && !gate_tokens(c, &g);
  nerq_status st = rs->nrrules <= 64 && !g.sid ? NERQ_ERR_NOMEM : NERQ_OK;
  nerq_words words;
  nerq_words_build(&words, &c->doc->ents, n);
  for (size_t i = 0; !st && i < rs->nrrules; i++)
    if (nerq_pattern_words_ok(rs->rrules[i].pat, &words))
      st = rule_at(c, i, use_map ? &g : NULL, &claims, &claims_at);
  nerq_words_free(&words);
  free(claims_at.slot);
  free(g.open);
  free(g.sid);
  return st;
}

/* Per entity, its first jobTitle and worksFor relation as subject and
 * its first founder relation as object (1 + relation index, 0: none),
 * found in one pass: a big document has many quotes and relations. */
static uint32_t *first_relations(const nerq_doc *d) {
  uint32_t *f = calloc(d->entities.count * 3 + 1, sizeof *f);
  for (size_t i = d->relations.count; f && i-- > 0;) {
    const nerq_relation *x = NERQ_VEC_AT(&d->relations, nerq_relation, i);
    int k = x->pred == REL_JOBTITLE ? 0 : x->pred == REL_WORKSFOR ? 1
                                      : x->pred == REL_FOUNDER    ? 2
                                                                  : -1;
    int e = k == 2 ? x->object : x->subject;
    if (k >= 0 && e >= 0 && (size_t)e < d->entities.count) f[(size_t)e * 3 + (size_t)k] = (uint32_t)i + 1;
  }
  return f;
}

static const nerq_relation *relation_at(const nerq_doc *d, uint32_t r) {
  return r ? NERQ_VEC_AT(&d->relations, nerq_relation, r - 1) : NULL;
}

/* A speaker's role and organisation from the relations of the person:
 * jobTitle and worksFor, else the organisation the person founded. */
static nerq_status speaker_details(nerq_doc *d) {
  uint32_t *first = d->quotes.count ? first_relations(d) : NULL;
  if (d->quotes.count && !first) return NERQ_ERR_NOMEM;
  for (size_t i = 0; i < d->quotes.count; i++) {
    nerq_quote *q = NERQ_VEC_AT(&d->quotes, nerq_quote, i);
    if (q->speaker < 0 || ent_type(d, q->speaker) != NERQ_PERSON) continue;
    const uint32_t *f = &first[(size_t)q->speaker * 3];
    const nerq_relation *job = relation_at(d, f[0]), *works = relation_at(d, f[1]);
    const nerq_relation *founded = relation_at(d, f[2]);
    if (q->org < 0 && !q->role && !works && founded) {
      q->role = "founder";
      q->org = founded->subject;
      continue;
    }
    if (!q->role && job)
      q->role = nerq_arena_strndup(d->arena, d->text.text + job->lit_start,
                                   job->lit_end - job->lit_start);
    if (q->org < 0 && works) q->org = works->object;
  }
  free(first);
  return NERQ_OK;
}

nerq_status nerq_relations_find(nerq_doc *doc) {
  if (!doc->rules->nrrules || !doc->mentions.count) return NERQ_OK;
  rctx c = {.doc = doc, .jobs = doc->rules->ids.jobs, .stop = doc->rules->ids.stop, .lead = doc->rules->ids.role_lead, .tail = doc->rules->ids.role_tail};
  nerq_status st = prepare(&c);
  void *md = NULL, *mc = NULL;
  if (!st && nerq_regex_context(&md, &mc)) st = NERQ_ERR_NOMEM;
  c.env = (nerq_match_env){doc->text.text, doc->tokens.items, doc->tokens.count,
                           doc->rules->lex, &doc->ents, NULL, NULL, NERQ_ENTITY_SPAN, md, mc,
                           0, -1, &doc->spent, 0};
  if (!st) st = run_rules(&c);
  if (md) nerq_regex_context_free(md, mc);
  free(c.mention_of);
  return st ? st : speaker_details(doc);
}
