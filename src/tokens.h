/* tokens.h - stage 2, tokens as spans of the text (tokenize.c). */
#ifndef NERQ_TOKENS_H
#define NERQ_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "decode.h"

/* tokenize.c: stage 2                                                 */

enum {
  TOK_WORD = 1u << 0,      /* letters/digits (may contain - . ' & inside) */
  TOK_NUM = 1u << 1,       /* starts with a digit */
  TOK_PUNCT = 1u << 2,     /* a punctuation or symbol character */
  TOK_CAP = 1u << 3,       /* first letter is upper case */
  TOK_UPPER = 1u << 4,     /* every letter upper case, at least two */
  TOK_LOWER = 1u << 5,     /* first letter lower case */
  TOK_SPACE = 1u << 6,     /* white space before it */
  TOK_NEWLINE = 1u << 7,   /* a line break before it */
  TOK_PARA = 1u << 8,      /* first token of a paragraph */
  TOK_SENT = 1u << 9,      /* first token of a sentence */
  TOK_QUOTE = 1u << 10,    /* a quote-mark character */
  TOK_APOS = 1u << 11,     /* apostrophe (’ or ') */
  TOK_POSS = 1u << 12,     /* possessive 's / ’s / trailing ’ */
  TOK_URL = 1u << 13,      /* URL or e-mail address */
  TOK_ABBR = 1u << 14,     /* known abbreviation ending in '.' */
  TOK_HYPHEN = 1u << 15,   /* word with an inner hyphen */
  TOK_CAPSLINE = 1u << 16, /* on a line whose letters are mostly capitals */
  /* set after entity resolution, for attribution rules: */
  TOK_PERSON = 1u << 17,   /* inside a PERSON mention */
  TOK_ORGM = 1u << 18,     /* inside an ORG mention */
  TOK_PLACEM = 1u << 19,   /* inside a PLACE mention */
  TOK_QOPEN = 1u << 20,    /* opening mark of the quote being attributed */
  TOK_QCLOSE = 1u << 21,   /* closing mark (or paragraph end) of that quote */
  TOK_INQUOTE = 1u << 22,  /* inside any quote */
  TOK_INITIAL = 1u << 23,  /* one capital letter and a period: "J." */
  TOK_TITLELINE = 1u << 24 /* on a line written in title case (a headline) */
};

typedef struct {
  uint32_t off;   /* byte offset into nerq_text.text */
  uint32_t len;   /* bytes */
  uint32_t flags; /* TOK_* */
} nerq_token;

typedef struct nerq_lexicon nerq_lexicon;

/* Splits the text into tokens (spans, no copies). Uses the abbreviation
 * list of `lex` so that "Mr." and "U.S." stay whole. */
nerq_status nerq_tokens_build(nerq_arena *a, const nerq_text *t,
                              const nerq_lexicon *lex, nerq_vec *tokens);

#endif /* NERQ_TOKENS_H */
