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

/* A token is 8 bytes (a big document has one per 5 bytes of text): its
 * offset, and one word of 25 flag bits and a 7-bit length. A token of
 * NERQ_TOK_LONG bytes or more (a long URL, a run of letters) has
 * NERQ_TOK_LONG there and its length in the array's long table, which
 * nerq_tokens_build puts in front of the array (NERQ_TOK_HEAD items).
 * Read the length with nerq_tok_len (toks: the array, not a pointer into
 * it) and the end with nerq_tok_end; flags are read and set as a field. */
typedef struct {
  uint32_t off;        /* byte offset into nerq_text.text */
  uint32_t flags : 25; /* TOK_* */
  uint32_t len7 : 7;   /* bytes, or NERQ_TOK_LONG: use nerq_tok_len */
} nerq_token;

#define NERQ_TOK_LONG 127u
#define NERQ_TOK_HEAD 2 /* items before the array: its long table */

/* The array's long table: the lengths of its tokens of NERQ_TOK_LONG
 * bytes or more, by token, in token order. */
typedef struct {
  uint32_t tok, len;
} nerq_tok_long;

typedef struct {
  const nerq_tok_long *longs;
  size_t nlong;
} nerq_tok_head;

_Static_assert(sizeof(nerq_token) == 8, "nerq_token is 8 bytes");
_Static_assert(sizeof(nerq_tok_head) <= NERQ_TOK_HEAD * sizeof(nerq_token),
               "the long table's header fits in front of the tokens");

/* tokenize.c: the length of long token i (a binary search of the long
 * table in front of toks). */
uint32_t nerq_tok_long_len(const nerq_token *toks, size_t i);

/* The length in bytes of token i of the array toks. */
#if defined(__GNUC__)
#define NERQ_TOK_RARE(x) __builtin_expect(!!(x), 0)
#else
#define NERQ_TOK_RARE(x) (x)
#endif
static inline uint32_t nerq_tok_len(const nerq_token *toks, size_t i) {
  uint32_t n = toks[i].len7;
  return NERQ_TOK_RARE(n == NERQ_TOK_LONG) ? nerq_tok_long_len(toks, i) : n;
}

/* One past the last byte of token i of the array toks. */
static inline uint32_t nerq_tok_end(const nerq_token *toks, size_t i) {
  return toks[i].off + nerq_tok_len(toks, i);
}

typedef struct nerq_lexicon nerq_lexicon;

/* Splits the text into tokens (spans, no copies). Uses the abbreviation
 * list of `lex` so that "Mr." and "U.S." stay whole. The items of
 * `tokens` follow the long table's header, NERQ_TOK_HEAD items of the
 * same arena allocation: release them with nerq_tokens_release. */
nerq_status nerq_tokens_build(nerq_arena *a, const nerq_text *t,
                              const nerq_lexicon *lex, nerq_vec *tokens);
/* Frees what nerq_tokens_build made (big documents: at once), and
 * empties the vector. */
void nerq_tokens_release(nerq_arena *a, nerq_vec *tokens);

#endif /* NERQ_TOKENS_H */
