/* match.c - stage 4: gazetteer and pattern matches.
 *
 * Every token gets its lexicon entry (one hash lookup). Gazetteer
 * phrases are looked up at each token that starts a known phrase, and a
 * match must agree in case with the listed name unless the line is in
 * capitals. Ambiguous gazetteer names (Reading, Apple) give no candidate
 * by themselves; context rules can claim them through @ambiguous. Then
 * every pattern rule is tried at every token. The result is the list of
 * candidates that resolve.c settles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "match.h"
#include "document.h"

#define GAZ_PRIORITY 50

/* Compares span text with a listed name: equal bytes, with white space
 * runs equal to one space and ’ equal to '. */
static int same_surface(const char *s, size_t n, const char *name) {
  size_t i = 0;
  const unsigned char *p = (const unsigned char *)name;
  while (i < n && *p) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      if (*p != ' ') return 0;
      while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) i++;
      p++;
    } else if (i + 2 < n && !memcmp(s + i, "\xE2\x80\x99", 3) && *p == '\'') {
      i += 3;
      p++;
    } else if (c == *p) {
      i++;
      p++;
    } else return 0;
  }
  return i == n && !*p;
}

static int all_caps_span(const nerq_token *tk, size_t a, size_t b) {
  for (size_t i = a; i < b; i++)
    if ((tk[i].flags & TOK_WORD) && !(tk[i].flags & (TOK_CAPSLINE | TOK_UPPER)))
      return 0;
  return 1;
}

static nerq_status add_cand(nerq_arena *a, nerq_vec *cands, size_t first,
                            size_t end, int type, int prio, const char *rule,
                            const nerq_gaz *gaz) {
  nerq_cand *c = nerq_vec_push(a, cands);
  if (!c) return NERQ_ERR_NOMEM;
  c->first = (uint32_t)first;
  c->end = (uint32_t)end;
  c->type = type;
  c->priority = prio;
  c->rule = rule;
  c->gaz = gaz;
  return NERQ_OK;
}

/* True if [a, b) is one stop word on a line in capitals: there "AT" or
 * "IT" is the word, not an organisation of that name. */
static int caps_stop_word(const nerq_match_env *env, size_t a, size_t b) {
  if (b != a + 1 || env->stop_list < 0 || !(env->toks[a].flags & TOK_CAPSLINE)) return 0;
  const nerq_entry *e = nerq_ent_get(env->ents, a);
  return e && ((e->lists >> env->stop_list) & 1);
}

/* The first gazetteer record whose surface fits tokens [a, b). */
static const nerq_gaz *gaz_fit(const nerq_match_env *env, const nerq_entry *e,
                               size_t a, size_t b) {
  const nerq_token *tk = env->toks;
  const char *s = env->text + tk[a].off;
  size_t n = nerq_tok_end(tk, b - 1) - tk[a].off;
  for (const nerq_gaz *g = nerq_lexicon_gaz(env->lex, e); g; g = g->next)
    if (!g->ambiguous && (same_surface(s, n, g->surface) || all_caps_span(tk, a, b)) &&
        !(g->type == NERQ_ORG && caps_stop_word(env, a, b)))
      return g;
  return NULL;
}

/* True if token i is the article "The": a listed name that starts with
 * it ("The Independent") is mentioned without it, as news annotation
 * conventions have it; the entity keeps its listed name. */
static int leading_the(const nerq_match_env *env, size_t i) {
  const nerq_token *t = &env->toks[i];
  return t->len7 == 3 && nerq_ascii_caseeq(env->text + t->off, "the", 3);
}

/* Gazetteer names starting at token i: spans are extended one token at
 * a time while they are a prefix of some listed phrase. */
static nerq_status gaz_at(nerq_arena *ar, const nerq_match_env *env,
                          size_t i, nerq_vec *cands) {
  const nerq_entry *e = nerq_ent_get(env->ents, i);
  if (!e || !(env->toks[i].flags & (TOK_CAP | TOK_NUM))) return NERQ_OK;
  size_t max = (size_t)nerq_lexicon_max_tokens(env->lex) + 2;
  for (size_t n = 1; e && n <= max && i + n <= env->ntok; n++) {
    if (n > 1 && (env->toks[i + n - 1].flags & TOK_NEWLINE)) break;
    if (n > 1) e = nerq_lexicon_span(env->lex, env->text, env->toks, i, i + n);
    const nerq_gaz *g = e && e->gaz ? gaz_fit(env, e, i, i + n) : NULL;
    size_t from = g && n > 1 && leading_the(env, i) ? i + 1 : i; /* "The Independent" */
    if (g && add_cand(ar, cands, from, i + n, g->type, GAZ_PRIORITY, g->source, g))
      return NERQ_ERR_NOMEM;
    if (e && !((e->prefixes >> NERQ_GAZ_PREFIX) & 1)) break;
  }
  return NERQ_OK;
}

/* The gazetteer record of the same type for exactly tokens [a, b). */
static const nerq_gaz *gaz_same(const nerq_match_env *env, size_t a, size_t b,
                                int type) {
  const nerq_entry *e = b == a + 1 ? nerq_ent_get(env->ents, a)
                                   : nerq_lexicon_span(env->lex, env->text, env->toks, a, b);
  for (const nerq_gaz *g = nerq_lexicon_gaz(env->lex, e); g; g = g->next)
    if (g->type == type) return g;
  return NULL;
}

static uint64_t tok_lists(const nerq_ents *ents, size_t i) {
  const nerq_entry *e = nerq_ent_get(ents, i);
  return e ? e->lists | e->prefixes : 0;
}

/* Per token, the OR of the lists and flags of the next NERQ_WINDOW
 * tokens (see nerq_match_env), made for WIN_CHUNK tokens at a time so
 * that a big document's scratch stays small (it was 24 bytes a token),
 * each chunk in linear time (van Herk / Gil-Werman): a window is the
 * suffix of one block of NERQ_WINDOW tokens joined with the prefix of
 * the next. */
#define WIN_CHUNK 65536
typedef struct {
  const nerq_token *tk;
  const nerq_ents *ents;
  size_t ntok;
  size_t base, count; /* the windows made: tokens [base, base + count) */
  uint64_t *wl, *pre; /* WIN_CHUNK + NERQ_WINDOW items each */
  uint32_t *wf, *pref;
  /* Span lists (nerq_gate.span_lists): bit j of sw[i - base] is set if
   * one of tokens [i, i + NERQ_ENTITY_SPAN] is in list sbits[j] (a
   * match's span, and a phrase list may start at its limit); NULL if no rule needs
   * one. Up to SPAN_BITS lists, each a byte per token. */
  uint8_t *sw;
  uint64_t sbits[8];
  int nb;
} win_chunk;

#define SPAN_BITS 8
#define SPAN (NERQ_ENTITY_SPAN + 1)

static void span_fill(win_chunk *c, size_t base, size_t count) {
  int cnt[SPAN_BITS] = {0};
  size_t end = c->ntok - base < count + SPAN ? c->ntok : base + count + SPAN;
  for (size_t i = end; i-- > base;) {
    uint64_t in = tok_lists(c->ents, i), out = i + SPAN < end ? tok_lists(c->ents, i + SPAN) : 0;
    uint8_t m = 0;
    for (int j = 0; j < c->nb; j++) {
      cnt[j] += ((in & c->sbits[j]) != 0) - ((out & c->sbits[j]) != 0);
      if (cnt[j]) m |= (uint8_t)(1u << j);
    }
    if (i < base + count) c->sw[i - base] = m;
  }
}

static void win_fill(win_chunk *c, size_t base) {
  size_t w = NERQ_WINDOW, m = c->ntok - base < WIN_CHUNK + w - 1 ? c->ntok - base : WIN_CHUNK + w - 1;
  const nerq_token *tk = c->tk + base;
  uint64_t *suf = c->wl, *pre = c->pre;
  uint32_t *suff = c->wf, *pref = c->pref;
  for (size_t i = 0; i < m; i++) { /* prefix ORs within blocks */
    pre[i] = tok_lists(c->ents, base + i) | (i % w ? pre[i - 1] : 0);
    pref[i] = tk[i].flags | (i % w ? pref[i - 1] : 0);
  }
  for (size_t i = m; i-- > 0;) { /* suffix ORs within blocks */
    int last = i + 1 == m || (i + 1) % w == 0;
    suf[i] = tok_lists(c->ents, base + i) | (last ? 0 : suf[i + 1]);
    suff[i] = tk[i].flags | (last ? 0 : suff[i + 1]);
  }
  for (size_t i = 0; i < m; i++) {                /* in place: suffix | next prefix */
    size_t j = i + w - 1 < m ? i + w - 1 : m - 1; /* the window's last token */
    if (j / w != i / w) suf[i] |= pre[j], suff[i] |= pref[j];
  }
  c->base = base;
  c->count = m < WIN_CHUNK ? m : WIN_CHUNK; /* past it, windows are cut short */
  if (c->sw) span_fill(c, base, c->count);
}

static nerq_status win_init(win_chunk *c, const nerq_match_env *env) {
  size_t k = (env->ntok < WIN_CHUNK ? env->ntok : WIN_CHUNK) + NERQ_WINDOW; /* small for a small document */
  *c = (win_chunk){env->toks, env->ents, env->ntok, 0, 0, malloc(k * sizeof(uint64_t)), malloc(k * sizeof(uint64_t)), malloc(k * sizeof(uint32_t)), malloc(k * sizeof(uint32_t)), NULL, {0}, 0};
  return c->wl && c->pre && c->wf && c->pref ? NERQ_OK : NERQ_ERR_NOMEM;
}

/* The span lists the rules need (up to SPAN_BITS), and per rule k <
 * NERQ_DISPATCH_RULES those it needs as bits of span8[k]. */
static nerq_status span_init(win_chunk *c, const nerq_rules *r, uint8_t *span8) {
  for (size_t k = 0; k < r->nrules && k < NERQ_DISPATCH_RULES; k++) {
    span8[k] = 0;
    for (uint64_t l = r->rules[k].gate.span_lists; l; l &= l - 1) {
      int j = 0;
      while (j < c->nb && c->sbits[j] != (l & -l)) j++;
      if (j == c->nb && c->nb < SPAN_BITS) c->sbits[c->nb++] = l & -l;
      if (j < c->nb) span8[k] |= (uint8_t)(1u << j);
    }
  }
  if (c->nb && !(c->sw = malloc(WIN_CHUNK))) return NERQ_ERR_NOMEM;
  return NERQ_OK;
}

static void win_free(win_chunk *c) {
  free(c->sw);
  free(c->wl);
  free(c->pre);
  free(c->wf);
  free(c->pref);
}

/* What the gates look at, read once per token. */
typedef struct {
  uint32_t flags, win_flags;
  uint64_t lists, lists_prefixes, win_lists, lp_hash;
  uint8_t span; /* see win_chunk.sw */
} tokinfo;

static tokinfo token_info(const nerq_match_env *env, win_chunk *c, size_t i) {
  const nerq_entry *e = nerq_ent_get(env->ents, i);
  uint64_t lp = e ? e->lists | e->prefixes : 0;
  if (i - c->base >= c->count) win_fill(c, i);
  tokinfo t = {env->toks[i].flags, c->wf[i - c->base], e ? e->lists : 0, lp,
               c->wl[i - c->base], lp * 0xC2B2AE3D27D4EB4Full, c->sw ? c->sw[i - c->base] : 0};
  return t;
}

/* True if the first token passes the rule's gate. */
static int first_ok(const nerq_gate *g, const tokinfo *t) {
  return nerq_gate_first(g, t->flags, t->lists, t->lists_prefixes);
}

/* True if the words the rule always needs are in the token's window. */
static int window_ok(const nerq_gate *g, const tokinfo *t) {
  return (t->win_lists & g->must_lists) == g->must_lists &&
         (t->win_flags & g->must_flags) == g->must_flags;
}

/* True if token i + 1 passes the gate's second-token conditions. */
static int second_ok(const nerq_gate *g, const nerq_match_env *env, size_t i) {
  if (!g->has_second && g->second_list < 0) return 1;
  if (i + 1 >= env->ntok) return 0;
  uint32_t f = env->toks[i + 1].flags;
  const nerq_entry *e = nerq_ent_get(env->ents, i + 1);
  if (g->second_list >= 0 && !(e && (((e->lists | e->prefixes) >> g->second_list) & 1)))
    return 0;
  if (!g->has_second) return 1;
  uint64_t l = e ? e->lists : 0;
  return (f & g->second_flags) == g->second_flags && !(f & g->second_forb_flags) &&
         (l & g->second_lists) == g->second_lists && !(l & g->second_forb_lists);
}

static int gate_open(const nerq_gate *g, const tokinfo *t) {
  return first_ok(g, t) && window_ok(g, t);
}

/* Tokens of one class (same flags and lists) start the same rules: a
 * small per-document cache from the class to that set of rules. */
#define CLASS_SLOTS_MAX 4096
typedef struct {
  uint64_t lists, lp, set[NERQ_DISPATCH_WORDS];
  uint32_t flags;
  int used;
} class_slot;

/* What one document's matching carries beside the candidates: its
 * properties, the rules still to run, and the matches that spread. */
typedef struct {
  nerq_doc *doc;
  uint32_t props;                     /* document properties set so far */
  uint64_t run[NERQ_DISPATCH_WORDS];  /* rules of the main pass (dispatch bits) */
  nerq_vec spread;                    /* size_t: candidates whose rule spreads */
  nerq_words words;                   /* the document's words (rules needing others are skipped) */
  win_chunk win;                      /* the token windows of the gates */
  uint8_t span8[NERQ_DISPATCH_RULES]; /* per rule, the span lists it needs */
} doc_pass;

/* True if a rule's document conditions hold. */
static int props_ok(const nerq_rule *rule, uint32_t props) {
  return (props & rule->need_props) == rule->need_props && !(props & rule->forb_props);
}

/* True if a rule may match in this document: its conditions hold and
 * the document has the words it needs. */
static int doc_ok(const nerq_rule *rule, const doc_pass *dp) {
  return props_ok(rule, dp->props) && nerq_pattern_words_ok(rule->pat, &dp->words);
}

/* True if the lists rule k needs a token of within its span are near
 * the token (see win_chunk.sw). */
static int span_ok(const doc_pass *dp, size_t k, const tokinfo *t) {
  return k >= NERQ_DISPATCH_RULES || (t->span & dp->span8[k]) == dp->span8[k];
}

/* Runs a rule whose gate is open at token i. */
static nerq_status try_at(nerq_arena *ar, const nerq_rule *rule,
                          const nerq_match_env *env, size_t i, nerq_vec *cands,
                          doc_pass *dp) {
  size_t a, b, end;
  if (!nerq_rule_match(dp->doc, rule, env, i, &a, &b, &end))
    return NERQ_OK; /* (env->one_line keeps names on one line) */
  dp->props |= rule->set_props;
  if (rule->doc) return NERQ_OK;
  if (rule->spreads) {
    size_t *k = nerq_vec_push(ar, &dp->spread);
    if (!k) return NERQ_ERR_NOMEM;
    *k = cands->count;
  }
  const nerq_gaz *g = rule->type ? gaz_same(env, a, b, rule->type) : NULL;
  return add_cand(ar, cands, a, b, rule->type, rule->priority, rule->source, g);
}

/* The rules whose first-token gate a token of class t passes. */
static const uint64_t *class_rules(const nerq_rules *r, class_slot *cache, size_t slots,
                                   const tokinfo *t) {
  uint64_t h = (t->lists * 0x9E3779B97F4A7C15ull) ^ (t->lp_hash) ^ t->flags;
  class_slot *c = &cache[(h ^ (h >> 29)) & (slots - 1)];
  if (c->used && c->flags == t->flags && c->lists == t->lists && c->lp == t->lists_prefixes)
    return c->set;
  *c = (class_slot){t->lists, t->lists_prefixes, {0}, t->flags, 1};
  uint64_t cand[NERQ_DISPATCH_WORDS];
  nerq_dispatch_rules(&r->dispatch, t->flags, t->lists_prefixes, cand);
  for (int w = 0; w < NERQ_DISPATCH_WORDS; w++)
    for (uint64_t m = cand[w]; m; m &= m - 1)
      if (first_ok(&r->rules[(size_t)w * 64 + (size_t)__builtin_ctzll(m)].gate, t))
        c->set[w] |= m & -m;
  return c->set;
}

static nerq_status rules_at(nerq_arena *ar, const nerq_rules *r,
                            const nerq_match_env *env, size_t i, nerq_vec *cands,
                            class_slot *cache, size_t slots, doc_pass *dp) {
  nerq_status st = NERQ_OK;
  tokinfo t = token_info(env, &dp->win, i);
  if (!r->dispatch.enabled || !cache) {
    for (size_t k = 0; k < r->nrules && !st; k++) {
      const nerq_rule *rule = &r->rules[k];
      if (!rule->set_props && doc_ok(rule, dp) && gate_open(&rule->gate, &t) && span_ok(dp, k, &t))
        st = try_at(ar, rule, env, i, cands, dp);
    }
    return st;
  }
  const uint64_t *set = class_rules(r, cache, slots, &t);
  for (int w = 0; w < NERQ_DISPATCH_WORDS && !st; w++)
    for (uint64_t m = set[w] & dp->run[w]; m && !st; m &= m - 1) {
      const nerq_rule *rule = &r->rules[(size_t)w * 64 + (size_t)__builtin_ctzll(m)];
      if (window_ok(&rule->gate, &t) && span_ok(dp, (size_t)(rule - r->rules), &t) &&
          second_ok(&rule->gate, env, i))
        st = try_at(ar, rule, env, i, cands, dp);
    }
  return st;
}

/* The first pass: every rule that sets a document property, one after
 * another in file order, each over the whole document (a rule's own
 * conditions are read when it starts). */
static nerq_status setters_pass(nerq_arena *ar, const nerq_rules *r, const nerq_match_env *env,
                                nerq_vec *cands, doc_pass *dp) {
  nerq_status st = NERQ_OK;
  for (size_t k = 0; k < r->nrules && !st; k++) {
    const nerq_rule *rule = &r->rules[k];
    if (!rule->set_props || !doc_ok(rule, dp)) continue;
    for (size_t i = 0; i < env->ntok && !st; i++) {
      tokinfo t = token_info(env, &dp->win, i);
      if (gate_open(&rule->gate, &t) && span_ok(dp, k, &t) && second_ok(&rule->gate, env, i))
        st = try_at(ar, rule, env, i, cands, dp);
    }
  }
  for (size_t k = 0; k < r->nrules && k < NERQ_DISPATCH_RULES; k++) /* the main pass */
    if (!r->rules[k].set_props && doc_ok(&r->rules[k], dp))
      dp->run[k >> 6] |= 1ull << (k & 63);
  return st;
}

/* True if tokens [a, a + n) and [b, b + n) have the same text. */
static int same_tokens(const nerq_match_env *env, size_t a, size_t b, size_t n) {
  for (size_t k = 0; k < n; k++) {
    const nerq_token *x = &env->toks[a + k], *y = &env->toks[b + k];
    uint32_t len = nerq_tok_len(env->toks, a + k);
    if (len != nerq_tok_len(env->toks, b + k) || memcmp(env->text + x->off, env->text + y->off, len)) return 0;
  }
  return 1;
}

/* Propagation: a name matched by a rule that spreads is a candidate of
 * the same type and priority at every other occurrence of its words. */
static nerq_status spread_pass(nerq_arena *ar, const nerq_match_env *env, nerq_vec *cands,
                               const doc_pass *dp) {
  for (size_t s = 0; s < dp->spread.count; s++) {
    nerq_cand c = ((nerq_cand *)cands->items)[((size_t *)dp->spread.items)[s]];
    size_t n = c.end - c.first;
    int seen = 0;
    for (size_t q = 0; q < s && !seen; q++) { /* one spread per name */
      const nerq_cand *o = &((nerq_cand *)cands->items)[((size_t *)dp->spread.items)[q]];
      seen = o->end - o->first == n && o->type == c.type && same_tokens(env, o->first, c.first, n);
    }
    for (size_t j = 0; !seen && j + n <= env->ntok; j++)
      if (j != c.first && same_tokens(env, j, c.first, n) &&
          add_cand(ar, cands, j, j + n, c.type, c.priority, c.rule, gaz_same(env, j, j + n, c.type)))
        return NERQ_ERR_NOMEM;
  }
  return NERQ_OK;
}

/* The lexicon entry of every token, 4 bytes each (nerq_ent). */
static nerq_status lookup_tokens(nerq_doc *doc) {
  const nerq_vec *tokens = &doc->tokens;
  nerq_ent *ids = nerq_arena_alloc(doc->arena, (tokens->count + 1) * sizeof *ids);
  if (!ids) return NERQ_ERR_NOMEM;
  nerq_lexicon_get_tokens(doc->rules->lex, doc->text.text, tokens->items, tokens->count, ids);
  doc->ent_ids = ids;
  doc->ents = (nerq_ents){ids, nerq_lexicon_blocks(doc->rules->lex), NULL};
  return NERQ_OK;
}

nerq_status nerq_matches_find(struct nerq_doc *doc, nerq_arena *ar, nerq_vec *cands) {
  const nerq_rules *r = doc->rules;
  const nerq_text *t = &doc->text;
  const nerq_vec *tokens = &doc->tokens;
  nerq_vec_init(cands, sizeof(nerq_cand));
  nerq_status st = lookup_tokens(doc);
  if (st) return st;
  const nerq_ents *ents = &doc->ents;
  void *md = NULL, *mc = NULL;
  /* the gates' windows: scratch of this stage, a chunk at a time */
  nerq_match_env env = {t->text, tokens->items, tokens->count, r->lex,
                        ents, NULL, NULL, NERQ_ENTITY_SPAN, NULL, NULL, 1, r->ids.stop, &doc->spent, 0};
  size_t slots = 64; /* a power of two, about a slot per 2 tokens */
  while (slots < CLASS_SLOTS_MAX && slots * 2 < tokens->count) slots *= 2;
  class_slot *cache = calloc(slots, sizeof *cache); /* NULL: no cache */
  doc_pass dp = {doc, 0, {0}, {0}, {NULL, 0}, {0}, {0}};
  nerq_vec_init(&dp.spread, sizeof(size_t));
  nerq_words_build(&dp.words, ents, tokens->count); /* NULL bits: no skipping */
  if (nerq_regex_context(&md, &mc) || (st = win_init(&dp.win, &env)) ||
      (st = span_init(&dp.win, r, dp.span8))) {
    st = NERQ_ERR_NOMEM;
    goto done;
  }
  env.match_data = md;
  env.mcontext = mc;
  st = setters_pass(ar, r, &env, cands, &dp);
  for (size_t i = 0; i < tokens->count && !st; i++) {
    st = gaz_at(ar, &env, i, cands);
    if (!st) st = rules_at(ar, r, &env, i, cands, cache, slots, &dp);
  }
  if (!st) st = spread_pass(ar, &env, cands, &dp);
  doc->props = dp.props;
done:
  free(cache);
  nerq_words_free(&dp.words);
  win_free(&dp.win);
  nerq_regex_context_free(md, mc);
  return st;
}
