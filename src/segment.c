/* segment.c - stage 3: sentences and paragraphs.
 *
 * Paragraphs: when the document has blank lines, they separate
 * paragraphs; otherwise every line is a paragraph (scraped web text).
 * Sentences end at a line break, or after . ! ? (and any closing quotes
 * or brackets) when the next token starts a new sentence. A listed
 * abbreviation ends a sentence only before a stop word ("in the U.S.
 * The company ..."). */
#include <string.h>

#include "segments.h"
#include "lexicon.h"

/* s: shorter than NERQ_TOK_LONG bytes, so the token's short length says. */
static int is_char(const nerq_text *t, const nerq_token *k, const char *s) {
  size_t n = strlen(s);
  return k->len7 == n && !memcmp(t->text + k->off, s, n);
}

static int is_terminal(const nerq_text *t, const nerq_token *k) {
  return (k->flags & TOK_PUNCT) &&
         (is_char(t, k, ".") || is_char(t, k, "!") || is_char(t, k, "?") ||
          is_char(t, k, "\xE2\x80\xA6"));
}

static int is_closer(const nerq_text *t, const nerq_token *k) {
  return (k->flags & TOK_QUOTE) || is_char(t, k, ")") || is_char(t, k, "]");
}

static int starts_sentence(const nerq_token *k) {
  return (k->flags & (TOK_CAP | TOK_NUM | TOK_QUOTE)) != 0;
}

/* Sets TOK_PARA on the first token of each paragraph. */
static void mark_paragraphs(nerq_vec *tokens) {
  nerq_token *tk = tokens->items;
  int blank = 0;
  for (size_t i = 0; i < tokens->count && !blank; i++)
    blank = (tk[i].flags & TOK_PARA) != 0;
  for (size_t i = 0; i < tokens->count; i++) {
    int brk = i == 0 || (blank ? (tk[i].flags & TOK_PARA) != 0
                               : (tk[i].flags & TOK_NEWLINE) != 0);
    tk[i].flags = brk ? tk[i].flags | TOK_PARA : tk[i].flags & ~TOK_PARA;
    if (brk) tk[i].flags |= TOK_SENT;
  }
}

/* Marks TOK_SENT after terminal punctuation. */
static void mark_sentences(const nerq_text *t, const nerq_lexicon *lex,
                           nerq_vec *tokens) {
  nerq_token *tk = tokens->items;
  int stop = nerq_lexicon_find_list(lex, "stop"); /* once per document */
  for (size_t i = 0; i + 1 < tokens->count; i++) {
    if (tk[i + 1].flags & TOK_NEWLINE) tk[i + 1].flags |= TOK_SENT;
    int term = is_terminal(t, &tk[i]);
    if (!term && (tk[i].flags & TOK_ABBR) && (tk[i].flags & TOK_UPPER)) {
      const nerq_token *n = &tk[i + 1];
      term = nerq_lexicon_has(lex, stop, t->text + n->off, nerq_tok_len(tk, i + 1)) &&
             (n->flags & TOK_CAP);
    }
    if (!term) continue;
    size_t j = i + 1;
    while (j < tokens->count && is_closer(t, &tk[j]) &&
           !(tk[j].flags & TOK_SPACE))
      j++;
    if (j < tokens->count && starts_sentence(&tk[j])) tk[j].flags |= TOK_SENT;
  }
}

static nerq_status collect(nerq_arena *a, nerq_vec *tokens, uint32_t flag,
                           nerq_vec *out) {
  nerq_vec_init(out, sizeof(nerq_range));
  nerq_token *tk = tokens->items;
  for (size_t i = 0; i < tokens->count; i++) {
    if (i && !(tk[i].flags & flag)) continue;
    nerq_range *r = nerq_vec_push(a, out);
    if (!r) return NERQ_ERR_NOMEM;
    r->first = (uint32_t)i;
    if (out->count > 1) NERQ_VEC_AT(out, nerq_range, out->count - 2)->end = (uint32_t)i;
  }
  if (out->count) NERQ_VEC_AT(out, nerq_range, out->count - 1)->end = (uint32_t)tokens->count;
  return NERQ_OK;
}

nerq_status nerq_segments_build(nerq_arena *a, const nerq_text *t,
                                const nerq_lexicon *lex, nerq_vec *tokens,
                                nerq_vec *sentences, nerq_vec *paragraphs) {
  mark_paragraphs(tokens);
  mark_sentences(t, lex, tokens);
  nerq_status st = collect(a, tokens, TOK_SENT, sentences);
  if (st) return st;
  return collect(a, tokens, TOK_PARA, paragraphs);
}
