/* explain.c - nerq_doc_explain: why the document came out as it did.
 * Tokens with their flags and lists, every candidate with the one that
 * beat it and the reason (the order is documented in docs/rules.md), and
 * the entities. For rule authors; the format may change. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "match.h"
#include "entities.h"
#include "quotes.h"
#include "document.h"
#include "output_html.h"

static const struct {
  uint32_t flag;
  const char *name;
} flag_names[] = {
    {TOK_CAP, "Cap"},
    {TOK_UPPER, "Upper"},
    {TOK_LOWER, "Lower"},
    {TOK_NUM, "Num"},
    {TOK_WORD, "Word"},
    {TOK_PUNCT, "Punct"},
    {TOK_ABBR, "Abbr"},
    {TOK_INITIAL, "Initial"},
    {TOK_HYPHEN, "Hyphen"},
    {TOK_POSS, "Poss"},
    {TOK_QUOTE, "Quote"},
    {TOK_URL, "Url"},
    {TOK_SENT, "SentStart"},
    {TOK_PARA, "ParaStart"},
    {TOK_CAPSLINE, "CapsLine"},
    {TOK_TITLELINE, "TitleLine"},
    {TOK_INQUOTE, "InQuote"},
};

static size_t cp(const nerq_doc *d, uint32_t byte) { return nerq_text_cp(&d->text, byte); }

static const nerq_token *tok(const nerq_doc *d, size_t i) {
  return NERQ_VEC_AT(&d->tokens, nerq_token, i);
}

static void explain_token(nerq_buf *b, const nerq_doc *d, size_t i) {
  const nerq_token *t = tok(d, i);
  uint32_t len = nerq_tok_len(d->tokens.items, i);
  uint32_t n = len > 40 ? 40 : len; /* cut at a character boundary */
  while (n > 0 && n < len && ((unsigned char)d->text.text[t->off + n] & 0xC0) == 0x80) n--;
  nerq_buf_printf(b, "  %5zu [%zu,%zu) %-16.*s", i, cp(d, t->off), cp(d, t->off + len),
                  (int)n, d->text.text + t->off);
  for (size_t k = 0; k < sizeof flag_names / sizeof flag_names[0]; k++)
    if (t->flags & flag_names[k].flag) nerq_buf_printf(b, " %s", flag_names[k].name);
  const nerq_entry *e = d->ent_ids ? nerq_doc_entry(d, i) : NULL;
  for (int l = 0; e && l < NERQ_MAX_LISTS; l++)
    if ((e->lists >> l) & 1) nerq_buf_printf(b, " @%s", nerq_lexicon_list_name(d->rules->lex, l));
  nerq_buf_printf(b, "\n");
}

/* Why candidate c lost to w, by the order of resolve.c's settle. */
static const char *reason(const nerq_cand *c, const nerq_cand *w, size_t ci, size_t wi) {
  if (w->priority != c->priority) return "lower priority";
  if (w->end - w->first != c->end - c->first) return "shorter span";
  if (w->first != c->first) return "further right";
  return ci > wi ? "later candidate" : "tie";
}

static void span_text(nerq_buf *b, const nerq_doc *d, uint32_t first, uint32_t end) {
  uint32_t a = tok(d, first)->off, z = nerq_tok_end(d->tokens.items, end - 1);
  uint32_t n = z - a > 80 ? 80 : z - a;
  while (n > 0 && a + n < z && ((unsigned char)d->text.text[a + n] & 0xC0) == 0x80) n--;
  nerq_buf_printf(b, "[%zu,%zu) \"%.*s\"", cp(d, a), cp(d, z), (int)n, d->text.text + a);
}

static void explain_cand(nerq_buf *b, const nerq_doc *d, size_t i) {
  const nerq_cand *c = NERQ_VEC_AT(&d->cands, nerq_cand, i);
  int32_t w = -1;
  for (uint32_t t = c->first; t < c->end && w < 0; t++) w = d->winner[t];
  int won = w == (int32_t)i;
  nerq_buf_printf(b, "  %-4s %-6s ", won ? "WON" : "lost", nerq_type_name(c->type));
  span_text(b, d, c->first, c->end);
  nerq_buf_printf(b, " by %s (priority %d)", c->rule, c->priority);
  if (!won && w >= 0) {
    const nerq_cand *wc = NERQ_VEC_AT(&d->cands, nerq_cand, w);
    nerq_buf_printf(b, "\n         to %s ", nerq_type_name(wc->type));
    span_text(b, d, wc->first, wc->end);
    nerq_buf_printf(b, " by %s: %s", wc->rule, reason(c, wc, i, (size_t)w));
  }
  nerq_buf_printf(b, "\n");
}

static void explain_entities(nerq_buf *b, const nerq_doc *d) {
  for (size_t i = 0; i < d->entities.count; i++) {
    const nerq_entity *e = NERQ_VEC_AT(&d->entities, nerq_entity, i);
    nerq_buf_printf(b, "  e%zu %s \"%s\" key=%s%s\n", i + 1, nerq_type_name(e->type), e->name, e->key,
                    e->gender == 'm' ? " (he)" : e->gender == 'f' ? " (she)"
                                                                  : "");
    for (size_t k = 0; k < e->mentions.count; k++) {
      const nerq_mention *m = NERQ_VEC_AT(&d->mentions, nerq_mention, *NERQ_VEC_AT(&e->mentions, uint32_t, k));
      nerq_buf_printf(b, "      ");
      span_text(b, d, m->first, m->end);
      nerq_buf_printf(b, " by %s\n", m->rule);
    }
  }
}

char *nerq_doc_explain(const nerq_doc *d) {
  if (!d || d->released) return NULL;
  nerq_buf b = {0};
  nerq_buf_printf(&b, "tokens (index [start,end) text flags lists)\n");
  for (size_t i = 0; i < d->tokens.count; i++) explain_token(&b, d, i);
  nerq_buf_printf(&b, "\ncandidates (settled by priority, then the longer span, then the leftmost)\n");
  if (!d->explain) nerq_buf_printf(&b, "(not kept: process the document with NERQ_EXPLAIN)\n");
  for (size_t i = 0; d->winner && i < d->cands.count; i++) explain_cand(&b, d, i);
  nerq_buf_printf(&b, "\nentities\n");
  explain_entities(&b, d);
  nerq_buf_printf(&b, "\nquotes: %zu kept; every candidate (pair of marks), the attribution rules tried, "
                      "the one that matched, and the verdict\n",
                  d->quotes.count);
  if (!d->explain) nerq_buf_printf(&b, "(not kept: process the document with NERQ_EXPLAIN)\n");
  nerq_quotes_explain(d, &b);
  return nerq_buf_finish(&b);
}
