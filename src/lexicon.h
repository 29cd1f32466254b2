/* lexicon.h - the compiled gazetteers and word lists (lexicon.c). */
#ifndef NERQ_LEXICON_H
#define NERQ_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "tokens.h"

/* lexicon.c: the compiled gazetteers and word lists                   */

enum { NERQ_NONE = 0,
       NERQ_PERSON = 1,
       NERQ_ORG = 2,
       NERQ_PLACE = 3 };
/* The one table of type names (document.c): "PERSON", "ORG", "PLACE" or
 * "NONE" (static); the code of exactly such a name, or -1; and the scored
 * type of a gold or predicted type name (docs/eval.md: PERSON, PER; ORG,
 * ORGANISATION, ORGANIZATION; PLACE, LOC, GPE; ASCII case-insensitive),
 * or NERQ_NONE when that type is not scored (or `name` is NULL). */
const char *nerq_type_name(int type);
int nerq_type_code(const char *name);
int nerq_type_scored(const char *name);
#define NERQ_MAX_LISTS 63
#define NERQ_GAZ_PREFIX 63 /* in `prefixes`: starts a gazetteer phrase */
#define NERQ_MAX_KEY_TOKENS 8
#define NERQ_WINDOW 12      /* tokens a rule's required words must fall in */
#define NERQ_ENTITY_SPAN 24 /* tokens an entity rule's match may cover */

/* A gazetteer record: one line of a rules/gazetteer file. */
typedef struct nerq_gaz {
  const char *surface;   /* name as written in the file */
  const char *key;       /* stable id */
  const char *canonical; /* canonical name */
  const char *source;    /* "gazetteer/file.tsv:LINE" */
  int type;              /* NERQ_PERSON... */
  int ambiguous;         /* needs context */
  struct nerq_gaz *next; /* other records with the same folded key */
} nerq_gaz;

/* A lexicon entry: everything known about one case-folded phrase. */
typedef struct {
  uint64_t lists;    /* bit i set: member of list i */
  uint64_t prefixes; /* bit i set: starts a longer phrase of list i */
  uint32_t gaz;      /* its gazetteer records (nerq_lexicon_gaz), or 0 */
  char gender;       /* 'm', 'f', 'u' or 0, from list attributes */
} nerq_entry;

/* A token's lexicon entry in 4 bytes (a big document has one per 5 bytes
 * of text): 0 for none, the entry's number plus one (as
 * nerq_lexicon_get_tokens writes them), or NERQ_ENT_LENT | i for item i of
 * a table of the document's own (reported speech lends its cues). The
 * view below turns one into the entry; nerq_ent_get is what every stage
 * reads a token's entry with. */
typedef uint32_t nerq_ent;
#define NERQ_ENT_LENT 0x80000000u
#define NERQ_ENT_BLOCK_BITS 12 /* entries per block of the lexicon: 1 << this */
#define NERQ_ENT_STRIDE 64     /* bytes from one entry of a block to the next */
typedef struct {
  const nerq_ent *ids;             /* per token */
  const nerq_entry *const *blocks; /* nerq_lexicon_blocks */
  const nerq_entry *lent;          /* the lent entries, or NULL */
} nerq_ents;

/* The entry of token t, or NULL. */
static inline const nerq_entry *nerq_ent_get(const nerq_ents *x, size_t t) {
  nerq_ent n = x->ids[t];
  if (!n) return NULL;
  if (NERQ_TOK_RARE(n & NERQ_ENT_LENT)) return &x->lent[n & ~NERQ_ENT_LENT];
  n--;
  const char *b = (const char *)x->blocks[n >> NERQ_ENT_BLOCK_BITS];
  return (const nerq_entry *)(b + (size_t)(n & ((1u << NERQ_ENT_BLOCK_BITS) - 1)) * NERQ_ENT_STRIDE);
}

/* True if a[0..n) and b[0..n) are equal, ignoring the case of ASCII
 * letters. */
static inline int nerq_ascii_caseeq(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y) return 0;
  }
  return 1;
}

/* The lexicon owns its memory; built by rules.c. */
nerq_lexicon *nerq_lexicon_new(void);
void nerq_lexicon_free(nerq_lexicon *lex);
/* Finds or creates the entry for a phrase (folded on insert). */
nerq_entry *nerq_lexicon_intern(nerq_lexicon *lex, const char *phrase,
                                size_t len);
/* The name of list `id`, or NULL. */
const char *nerq_lexicon_list_name(const nerq_lexicon *lex, int id);
/* Folds a phrase as the lexicon does (lower case, ’ as ', white space
 * runs as one space) into out (at least NERQ_FOLD_MAX bytes); returns
 * the length, or -1 if too long. */
#define NERQ_FOLD_MAX 512
long nerq_lexicon_fold(const char *phrase, size_t len, char *out);
/* Interns an already folded phrase. */
nerq_entry *nerq_lexicon_intern_folded(nerq_lexicon *lex, const char *folded, size_t n);
/* Looks up an exact phrase (folded), or NULL. */
const nerq_entry *nerq_lexicon_get(const nerq_lexicon *lex,
                                   const char *phrase, size_t len);
/* Sets out[i] to the number (nerq_ent) of nerq_lexicon_get of each
 * TOK_WORD token's text when it is listed; out must come zeroed. Hashes
 * a few tokens ahead and prefetches their index lines, so cache misses
 * overlap. The entries belong to the lexicon. */
void nerq_lexicon_get_tokens(const nerq_lexicon *lex, const char *text,
                             const nerq_token *toks, size_t ntok, nerq_ent *out);
/* The lexicon's blocks of entries, for nerq_ents.blocks. */
const nerq_entry *const *nerq_lexicon_blocks(const nerq_lexicon *lex);
/* Looks up the phrase spanned by tokens [first, end) (white space
 * collapsed to one space, case folded), or NULL. */
const nerq_entry *nerq_lexicon_span(const nerq_lexicon *lex,
                                    const char *text,
                                    const nerq_token *toks, size_t first,
                                    size_t end);
/* A list's bit number, registering the name if new; -1 if full. */
int nerq_lexicon_list_id(nerq_lexicon *lex, const char *name);
/* A list's bit number, or -1 if unknown. */
int nerq_lexicon_find_list(const nerq_lexicon *lex, const char *name);
/* Memory owned by the lexicon (strings, records). */
void *nerq_lexicon_alloc(nerq_lexicon *lex, size_t size);
char *nerq_lexicon_strdup(nerq_lexicon *lex, const char *s, size_t n);
/* Hands a malloc'd buffer to the lexicon, which frees it in
 * nerq_lexicon_free (strings may point into it); 0, or -1 when out of
 * memory, in which case the caller still owns buf. */
int nerq_lexicon_adopt(nerq_lexicon *lex, void *buf);
/* The first gazetteer record of an entry (the others follow by next),
 * or NULL; owned by the lexicon. */
const nerq_gaz *nerq_lexicon_gaz(const nerq_lexicon *lex, const nerq_entry *e);
/* Appends a record (lexicon memory) to an entry's; 0, or -1 when out of
 * memory. */
int nerq_lexicon_add_gaz(nerq_lexicon *lex, nerq_entry *e, nerq_gaz *rec);
size_t nerq_lexicon_size(const nerq_lexicon *lex);
/* Longest phrase length in tokens seen on insert. */
int nerq_lexicon_max_tokens(const nerq_lexicon *lex);
/* True if the token text is a member of list `id` (case-insensitive). */
int nerq_lexicon_has(const nerq_lexicon *lex, int id, const char *s,
                     size_t n);

/* Well-known list names the code relies on (docs/rules.md). */
#define NERQ_LIST_ABBREV "abbreviations"
#define NERQ_LIST_FIRST_WORDS "_rule_first_words" /* built from rules */

#endif /* NERQ_LEXICON_H */
