/*
 * internal.h - types shared by the pipeline stages of libnerq.
 *
 * The pipeline, one file per stage, each with one entry point:
 *   decode.c    nerq_text_decode      bytes -> valid UTF-8 + offset map
 *   tokenize.c  nerq_tokens_build     text -> token spans
 *   segment.c   nerq_segments_build   tokens -> sentences and paragraphs
 *   match.c     nerq_matches_find     tokens -> candidate mentions
 *   resolve.c   nerq_entities_resolve candidates -> entities
 *   quotes.c    nerq_quotes_find      tokens + entities -> quotes
 *   attribute.c nerq_quotes_attribute quotes -> kinds and speakers
 *   output.c    nerq_doc_to_json      document -> JSON record
 * Supporting files: arena.c (per-document memory), lexicon.c (the hash of
 * gazetteer and list entries), rules.c (loading rules/), pattern.c (the
 * pattern-rule language), document.c (the public document API),
 * explain.c (nerq_doc_explain), eval.c (scoring, nerq_eval_*), warn.c
 * (a document's warnings) and dispatch.c (which rules may start where).
 * The command's files are main.c and cli_*.c; they use only nerq.h.
 *
 * Everything a document owns lives in its arena; nothing here is freed
 * piecemeal.
 */
#ifndef NERQ_INTERNAL_H
#define NERQ_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"

/* ------------------------------------------------------------------ */
/* arena.c                                                             */

typedef struct nerq_arena nerq_arena;

/* A new arena (free with nerq_arena_free), or NULL. */
nerq_arena *nerq_arena_new(void);
void nerq_arena_free(nerq_arena *a);
/* Caps the bytes the arena may take (0: no cap); past it, allocations
 * fail as if memory had run out. */
void nerq_arena_set_limit(nerq_arena *a, size_t limit);
int nerq_arena_capped(const nerq_arena *a);
/* Zeroed memory owned by the arena, or NULL when out of memory. */
void *nerq_arena_alloc(nerq_arena *a, size_t size);
/* A NUL-terminated copy of n bytes, owned by the arena. */
char *nerq_arena_strndup(nerq_arena *a, const char *s, size_t n);

/* A growable array of fixed-size items, kept in the arena. */
typedef struct {
  void *items;
  size_t count;
  size_t cap;
  size_t size;
} nerq_vec;

void nerq_vec_init(nerq_vec *v, size_t item_size);
/* Pointer to a new zeroed item at the end, or NULL when out of memory. */
void *nerq_vec_push(nerq_arena *a, nerq_vec *v);
#define NERQ_VEC_AT(v, type, i) (&((type *)(v)->items)[i])

/* A growable string (malloc'd; the caller owns .s and frees it). After
 * an allocation failure, .failed is set and further writes are ignored. */
typedef struct {
  char *s;
  size_t n, cap;
  int failed;
} nerq_buf;

void nerq_buf_put(nerq_buf *b, const char *s, size_t n);
void nerq_buf_printf(nerq_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The string (caller frees), or NULL (and the buffer freed) on failure. */
char *nerq_buf_finish(nerq_buf *b);

/* jsonw.c: the one JSON writer, into a nerq_buf, compact or indented
 * (pretty: two spaces, the layout of jansson's JSON_INDENT(2)). Commas,
 * new lines and indentation come from the writer: call key then value
 * inside objects, values inside arrays. Release frees the nesting
 * stack, never the buffer. */
typedef struct {
  nerq_buf *b;
  int pretty, after_key;
  size_t depth, cap;
  unsigned char *stack, small[32]; /* per level: 1 = has items, 2 = object */
} nerq_jw;

void nerq_jw_init(nerq_jw *w, nerq_buf *b, int pretty);
void nerq_jw_release(nerq_jw *w);
void nerq_jw_open(nerq_jw *w, char c);  /* '{' or '[' */
void nerq_jw_close(nerq_jw *w, char c); /* '}' or ']' */
void nerq_jw_key(nerq_jw *w, const char *key, size_t n);
void nerq_jw_str(nerq_jw *w, const char *s, size_t n); /* valid UTF-8 */
/* One string written in parts: FIRST opens it, LAST closes it. */
enum { NERQ_JW_MIDDLE = 0,
       NERQ_JW_FIRST = 1,
       NERQ_JW_LAST = 2 };
void nerq_jw_str_part(nerq_jw *w, const char *s, size_t n, int part);
void nerq_jw_str_repair(nerq_jw *w, const char *s, size_t n); /* any bytes */
void nerq_jw_cstr(nerq_jw *w, const char *s);                 /* NULL: null */
void nerq_jw_null(nerq_jw *w);
void nerq_jw_num(nerq_jw *w, size_t v);
void nerq_jw_id(nerq_jw *w, char prefix, size_t v); /* "e12" */
/* key: the JSON text raw[0..n), re-laid out; writes nothing and returns
 * -1 when raw is not one well-formed value. */
int nerq_jw_key_raw(nerq_jw *w, const char *key, const char *raw, size_t n);

/* ------------------------------------------------------------------ */
/* html.c: stage 0, for HTML input                                    */

typedef struct {
  const char *text;      /* the article text, UTF-8, owned by the arena */
  size_t len;            /* bytes */
  const char *meta_json; /* {"headline",...} compact JSON, in the arena */
  int markup_errors;     /* parse errors gumbo recovered from */
} nerq_page;

/* Extracts the article of an HTML page. On NERQ_ERR_INPUT (no article
 * text) *error is a static message. */
nerq_status nerq_html_extract(nerq_arena *a, const char *html, size_t len,
                              nerq_page *out, const char **error);

/* ------------------------------------------------------------------ */
/* boilerplate.c: support appeals, comment prompts, share bars         */

typedef struct {
  uint32_t start, end; /* byte range in the text */
  const char *rule;    /* "boilerplate.rules:LINE" */
} nerq_boiler;

typedef struct nerq_boiler_rules nerq_boiler_rules;

/* Loads DIR/boilerplate.rules if it exists (none: *out is NULL). On a
 * bad line returns NERQ_ERR_RULES with a malloc'd "file:line:col:
 * message" text in *error. */
nerq_status nerq_boiler_load(const char *dir, nerq_boiler_rules **out, char **error);
void nerq_boiler_free(nerq_boiler_rules *b);
/* Appends to `spans` (of nerq_boiler) the boilerplate lines of the text. */
nerq_status nerq_boiler_find(nerq_arena *a, const nerq_boiler_rules *b,
                             const char *text, size_t len, nerq_vec *spans);

/* ------------------------------------------------------------------ */
/* decode.c: stage 1                                                   */

typedef struct {
  const char *text;   /* valid UTF-8, NUL-terminated, owned by arena */
  size_t len;         /* bytes */
  size_t ncp;         /* code points */
  uint32_t *block_cp; /* code points before byte i*64, for offset map */
  int repaired;       /* number of U+FFFD substitutions */
  int nul_bytes;      /* number of NUL bytes seen */
} nerq_text;

/* Validates `len` bytes, replacing each maximal ill-formed subpart with
 * U+FFFD, and builds the byte -> code point map. */
nerq_status nerq_text_decode(nerq_arena *a, const char *bytes, size_t len,
                             nerq_text *out);
/* The code-point offset of byte offset `byte` (which must be on a
 * character boundary or equal to len). */
size_t nerq_text_cp(const nerq_text *t, size_t byte);

/* ------------------------------------------------------------------ */
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
  TOK_PERSON = 1u << 17,  /* inside a PERSON mention */
  TOK_ORGM = 1u << 18,    /* inside an ORG mention */
  TOK_PLACEM = 1u << 19,  /* inside a PLACE mention */
  TOK_QOPEN = 1u << 20,   /* opening mark of the quote being attributed */
  TOK_QCLOSE = 1u << 21,  /* closing mark (or paragraph end) of that quote */
  TOK_INQUOTE = 1u << 22, /* inside any quote */
  TOK_INITIAL = 1u << 23  /* one capital letter and a period: "J." */
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

/* ------------------------------------------------------------------ */
/* segment.c: stage 3                                                  */

typedef struct {
  uint32_t first; /* index of first token */
  uint32_t end;   /* one past the last token */
} nerq_range;

/* Marks TOK_SENT and TOK_PARA and fills sentence and paragraph ranges.*/
nerq_status nerq_segments_build(nerq_arena *a, const nerq_text *t,
                                const nerq_lexicon *lex, nerq_vec *tokens,
                                nerq_vec *sentences, nerq_vec *paragraphs);

/* ------------------------------------------------------------------ */
/* lexicon.c: the compiled gazetteers and word lists                   */

enum { NERQ_NONE = 0,
       NERQ_PERSON = 1,
       NERQ_ORG = 2,
       NERQ_PLACE = 3 };
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
/* Sets out[i] to nerq_lexicon_get of each TOK_WORD token's text when
 * it is listed; out must come zeroed. Hashes a few tokens ahead
 * and prefetches their index lines, so cache misses overlap. The
 * entries belong to the lexicon. */
void nerq_lexicon_get_tokens(const nerq_lexicon *lex, const char *text,
                             const nerq_token *toks, size_t ntok,
                             const nerq_entry **out);
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

/* ------------------------------------------------------------------ */
/* pattern.c: the pattern-rule language                               */

typedef struct nerq_pattern nerq_pattern;

/* Necessary conditions for a pattern to match at a token, checked
 * before running it (see pattern.c): flags and lists of the first
 * token, and lists and flags required within the next NERQ_WINDOW. */
typedef struct {
  uint32_t first_flags;
  uint32_t forb_flags;      /* the first token has none of these */
  uint64_t first_any_lists; /* one of these, unless 0 */
  uint64_t forb_lists;      /* the first token is in none of these */
  int first_list;           /* member or phrase prefix of this list, or -1 */
  uint64_t must_lists;
  uint32_t must_flags;
  int has_second; /* the second token is fixed: */
  uint32_t second_flags, second_forb_flags;
  uint64_t second_lists, second_forb_lists;
  int second_list; /* the second token is a member or phrase
                      prefix of this list, or -1 */
} nerq_gate;

/* If every match starts with a word literal ("in", "the", ...), puts
 * those words into list `bit` of the lexicon and returns 1, so that the
 * rule is tried only at them; else returns 0. */
int nerq_pattern_literal_first(const nerq_pattern *p, nerq_lexicon *lex, int bit);

/* The gate of a compiled pattern. */
nerq_gate nerq_pattern_gate(const nerq_pattern *p);

/* True if a first token with these flags, lists and lists-or-prefixes
 * passes the gate's first-token conditions. */
static inline int nerq_gate_first(const nerq_gate *g, uint32_t flags, uint64_t lists,
                                  uint64_t lists_prefixes) {
  if ((flags & g->first_flags) != g->first_flags || (flags & g->forb_flags)) return 0;
  if (lists & g->forb_lists) return 0;
  return g->first_list >= 0 ? (lists_prefixes >> g->first_list) & 1
                            : !g->first_any_lists || (lists & g->first_any_lists);
}

/* A compiled rule. */
typedef struct {
  const char *name;   /* rule name */
  const char *source; /* "file.rules:LINE" */
  int type;           /* NERQ_PERSON, ORG, PLACE or NONE (a veto) */
  int priority;
  int order; /* position in load order, for stable sorting */
  nerq_pattern *pat;
  nerq_gate gate; /* quick necessary conditions, from the pattern */
  /* Document properties (bits of nerq_rules.props): the rule runs only
   * if the document has all of need_props and none of forb_props; a
   * match sets set_props. Rules that set run first (match.c). */
  uint32_t need_props, forb_props, set_props;
  int spreads; /* a match also types the name's other occurrences */
  int doc;     /* a DOC rule: sets properties, makes no candidate */
} nerq_rule;

/* Named definitions ("$name = PATTERN"): find returns the pattern text
 * of a name (not NUL-terminated name of len bytes), or NULL. */
typedef struct {
  const char *(*find)(const void *ctx, const char *name, size_t len);
  const void *ctx;
} nerq_defs;

/* Parses one pattern text (which may run over several lines and hold #
 * comments); $name refers to a definition from defs (may be NULL). On
 * error stores the byte column (0-based) of the problem in *col and a
 * static message in *msg. Patterns are owned by the lexicon's memory;
 * regexes are freed by nerq_patterns_release. */
nerq_pattern *nerq_pattern_compile(nerq_lexicon *lex, const char *src,
                                   const nerq_defs *defs, size_t *col,
                                   const char **msg);
/* Releases PCRE2 resources held by a pattern. */
void nerq_pattern_release(nerq_pattern *p);

/* Input to the matcher for one document. */
typedef struct {
  const char *text;
  const nerq_token *toks;
  size_t ntok;
  const nerq_lexicon *lex;
  const nerq_entry *const *entries; /* per token lexicon entry or NULL */
  /* Optional: per token, the OR of lists (and phrase prefixes) and of
   * flags over the next NERQ_WINDOW tokens; a rule whose mandatory tokens
   * are not all in the window is not tried there. */
  const uint64_t *win_lists;
  const uint32_t *win_flags;
  size_t max_span;  /* tokens one match may cover; 0: 64 */
  void *match_data; /* pcre2_match_data*, per document */
  void *mcontext;   /* pcre2_match_context* with limits */
  /* Nonzero for entity rules: no token that starts a line is consumed
   * after the first until the capture closes, so names stay on one line
   * (right context may read the next line: "[Newline]"). */
  int one_line;
  int stop_list; /* id of the stop list, or -1 */
} nerq_match_env;

/* Tries the pattern at token `start`, for a caller that has already
 * checked the pattern's gate (nerq_pattern_gate) there. On a match
 * returns 1 and stores the capture span [*cap_first, *cap_end); if `end`
 * is not NULL, also the end of the whole match. */
int nerq_pattern_match_gated(const nerq_pattern *p, const nerq_match_env *env,
                             size_t start, size_t *cap_first, size_t *cap_end,
                             size_t *end);

/* PCRE2 match data and a match context with the match and depth
 * limits, for one document; release with nerq_regex_context_free. */
int nerq_regex_context(void **match_data, void **mcontext);
void nerq_regex_context_free(void *match_data, void *mcontext);

/* ------------------------------------------------------------------ */
/* rules.c                                                             */

/* Attribution styles, the TYPE column of the rules in rules/quotes/. */
enum { HOW_EXPLICIT = 1,
       HOW_PRONOUN,
       HOW_ROLE,
       HOW_ACCORDING,
       HOW_NONE };

#define NERQ_MAX_PROPS 32
/* dispatch.c: nerq_dispatch, which entity rules may start at a token. */
#include "dispatch.h"

/* Ids of the lists the code itself reads (-1 if absent), set at load. */
typedef struct {
  int first_names, titles, common, stop;
  int cues, pronouns, jobs, orgnouns; /* attribution: speech_cues, ... */
  int preps;                          /* role_preps: "head of", "economist at" */
} nerq_list_ids;

struct nerq_rules {
  nerq_dispatch dispatch;
  nerq_list_ids ids;
  nerq_lexicon *lex;
  nerq_rule *rules; /* entity rules, in file order */
  size_t nrules;
  nerq_rule *qrules; /* attribution rules, by descending priority */
  size_t nqrules;
  nerq_rule *rrules; /* relation rules (relations.rules), by descending
                        priority; `type` is a REL_* predicate */
  size_t nrrules;
  char hash[32]; /* "fnv1a64:" + 16 hex digits over every rule
                    file's name and bytes, in load order */
  char *dir;
  const char *props[NERQ_MAX_PROPS]; /* document property names, by bit */
  int nprops;
  struct nerq_boiler_rules *boiler; /* boilerplate.rules, or NULL */
  struct nerq_image_state *image;   /* image.h: the files read, or the mapped image */
};

/* ------------------------------------------------------------------ */
/* match.c: stage 4                                                    */

typedef struct {
  uint32_t first, end; /* token range */
  int type;
  int priority;
  const char *rule;    /* rule name or gazetteer source */
  const nerq_gaz *gaz; /* gazetteer record, if any */
} nerq_cand;

struct nerq_doc;
/* Fills doc->entries (the lexicon entry of each token) and `cands`. */
nerq_status nerq_matches_find(struct nerq_doc *doc, nerq_vec *cands);

/* ------------------------------------------------------------------ */
/* resolve.c: stage 5                                                  */

typedef struct {
  uint32_t first, end;  /* token range */
  uint32_t start, stop; /* byte range */
  const char *rule;
  int entity; /* index into entities */
} nerq_mention;

typedef struct {
  int type;
  const char *name;    /* canonical name */
  const nerq_gaz *gaz; /* the gazetteer record behind it, if any */
  const char *key;
  char gender;       /* 'm', 'f' or 0 for persons */
  nerq_vec mentions; /* of uint32_t indices into doc mentions */
} nerq_entity;

struct nerq_doc;
nerq_status nerq_entities_resolve(struct nerq_doc *doc, nerq_vec *cands);

/* keys.c: the key of an entity of `type` named `name`, mentioned at
 * tokens [first, end), when no gazetteer record gives one: "person:",
 * "org:" or "place:" and a folded slug of the name ("Sinéad O’Connor":
 * "person:sinead-o-connor"); for an organisation, without "The" and
 * legal forms, and the gazetteer's key when that shorter name is listed
 * ("Microsoft Corp.": Microsoft's key, and *gaz its record, else NULL).
 * Arena memory or a gazetteer string; NULL when out of memory. */
const char *nerq_key_for(struct nerq_doc *doc, int type, uint32_t first, uint32_t end,
                         const char *name, const nerq_gaz **gaz);

/* ------------------------------------------------------------------ */
/* quotes.c: stage 6                                                   */

typedef struct {
  uint32_t start, end; /* byte range of the content */
} nerq_seg;

typedef struct {
  nerq_vec segs;               /* of nerq_seg */
  uint32_t open_tok;           /* opening mark of the first segment */
  uint32_t close_tok;          /* closing mark of the last segment, or the last
                                  token of its paragraph when unclosed */
  int closed;                  /* 1 if the last segment has a closing mark */
  int drop;                    /* not a quote after all (scare quote, title) */
  int partial;                 /* kind partial */
  int speaker;                 /* entity index or -1 */
  uint32_t spk_start, spk_end; /* speaker mention bytes (if spk_end) */
  uint32_t cue_start, cue_end; /* cue bytes (if cue_end) */
  const char *how;
  const char *rule;
  const char *role; /* arena string or NULL */
  int org;          /* entity index or -1 */
  int log;          /* its line in doc->qlog */
} nerq_quote;

/* attribute.c: what became of one candidate quote, for nerq explain
 * (quote_explain.c). Strings are static or the rules'. */
enum { QLOG_SENTENCE = 1,
       QLOG_COLON = 2,
       QLOG_OPENS = 4,
       QLOG_CUE = 8 };
typedef struct {
  uint32_t open_tok, close_tok; /* its marks (close: the paragraph's last token if unclosed) */
  int closed, empty, kept;
  int rule;                              /* index in rules->qrules of the rule that matched, or -1 */
  int after;                             /* that match is after the quote */
  uint32_t m_first, m_end, cap_a, cap_b; /* the match and its capture, tokens */
  int tests;                             /* QLOG_* bits: the speech tests passed */
  const char *verdict;
  int speaker; /* as the quote's fields, when kept */
  uint32_t spk_start, spk_end;
  const char *how, *how_rule;
} nerq_qlog;

/* quotes.c: finds quote spans (attribution is the next stage). */
nerq_status nerq_quotes_find(struct nerq_doc *doc);
/* attribute.c: classifies each quote (direct, partial, or not a quote)
 * and finds its speaker with the rules in rules/quotes/. */
nerq_status nerq_quotes_attribute(struct nerq_doc *doc);
/* quote_explain.c: appends every candidate quote of doc->qlog, the
 * rules tried on it and its verdict, for nerq_doc_explain. */
void nerq_quotes_explain(const struct nerq_doc *doc, nerq_buf *b);

/* ------------------------------------------------------------------ */
/* relate.c: stage 7                                                   */

/* Predicates of relation rules (the TYPE column of relations.rules). */
enum { REL_WORKSFOR = 1,
       REL_JOBTITLE,
       REL_FOUNDER,
       REL_MEMBEROF,
       REL_LOCATION };

typedef struct {
  int subject;                 /* entity index */
  int pred;                    /* REL_* */
  int object;                  /* entity index, or -1 for a literal */
  uint32_t lit_start, lit_end; /* bytes of a literal object */
  uint32_t start, end;         /* bytes of the rule's match (evidence) */
  const char *rule;            /* the rule's "name@file:line" */
} nerq_relation;

/* The REL_* code of a predicate name, or -1. */
int nerq_relation_code(const char *name);
/* The schema.org property of a relation: "worksFor", ..., "location" or,
 * for a place in a place, "containedInPlace". Static. */
const char *nerq_relation_name(const struct nerq_doc *doc, const nerq_relation *r);
/* Runs the relation rules over the document and fills doc->relations;
 * then gives each quote's speaker the role and organisation that the
 * relations give the person, where attribution found none. */
nerq_status nerq_relations_find(struct nerq_doc *doc);

/* ------------------------------------------------------------------ */
/* document.c                                                          */

struct nerq_doc {
  nerq_arena *arena;
  const nerq_rules *rules;
  nerq_text text;
  nerq_vec tokens;            /* nerq_token */
  nerq_vec sentences;         /* nerq_range */
  nerq_vec paragraphs;        /* nerq_range */
  const nerq_entry **entries; /* per token lexicon entry or NULL */
  nerq_vec cands;             /* nerq_cand: every candidate, for explain */
  uint64_t *win_lists;        /* see nerq_match_env; scratch, only while matching */
  uint32_t *win_flags;
  int32_t *winner;       /* per token: index of the candidate that won it */
  uint32_t props;        /* document properties set by rules (nerq_rules.props) */
  nerq_vec mentions;     /* nerq_mention, sorted by position */
  nerq_vec entities;     /* nerq_entity, in order of first mention */
  nerq_vec quotes;       /* nerq_quote */
  nerq_vec qlog;         /* nerq_qlog: every candidate quote, for explain */
  nerq_vec relations;    /* nerq_relation */
  nerq_vec warnings;     /* const char * */
  char *ids;             /* access.c: "e1\0e2\0...q1\0..." record ids */
  size_t *id_at;         /* offsets into ids: entities, then quotes */
  const char *meta_json; /* meta found in the input (HTML page), or NULL */
  int emit_text;         /* the record carries "text" (HTML input, drop) */
  int boiler_flag;       /* the record carries "boilerplate" */
  nerq_vec boiler;       /* nerq_boiler spans, when flagged */
};

/* ------------------------------------------------------------------ */
/* output_html.c: the HTML view (also used by eval_html.c)             */

enum { VIEW_MENTION,
       VIEW_QUOTE };

/* One highlighted span of a document's text. Strings are borrowed. */
typedef struct {
  uint32_t start, end; /* byte range in the text */
  int kind;            /* VIEW_MENTION or VIEW_QUOTE */
  const char *id;      /* data-entity ("e3") or data-quote ("q1") */
  const char *type;    /* mentions: "PERSON", "ORG", "PLACE" */
  const char *label;   /* quotes: the speaker's name (data-speaker) */
  const char *title;   /* hover text; for quotes the evidence */
  const char *cls;     /* extra class ("fp", "fn") or NULL */
  const char *anchor;  /* the element's id attribute, or NULL */
  const char *href;    /* quotes: the speaker mention's anchor, or NULL */
  int last;            /* quotes: the last segment (speaker label after) */
} nerq_view_span;

/* Appends text[0..len) escaped, with the spans as nested elements (a
 * span crossing another is split; the pieces after the first carry
 * class "cont" and no data-entity). Sorts `spans`. */
void nerq_view_render(nerq_buf *b, const char *text, size_t len,
                      nerq_view_span *spans, size_t n);
/* Appends s[0..n) escaped for HTML text or a quoted attribute. */
void nerq_html_escape(nerq_buf *b, const char *s, size_t n);
/* Appends "d-" and the document id with every non-alphanumeric as '-'. */
void nerq_html_anchor(nerq_buf *b, const char *doc_id);

/* "PERSON", "ORG", "PLACE" or "NONE". Static. */
const char *nerq_type_name(int type);
/* access.c: lays out the record ids of entities and quotes, for the
 * accessors; called once the pipeline is done. */
nerq_status nerq_doc_ids(struct nerq_doc *doc);
/* warn.c: nerq_doc_warn and the input warnings. */
#include "warn.h"

#endif
