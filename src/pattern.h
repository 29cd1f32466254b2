/* pattern.h - the pattern-rule language (pattern.c, pattern_match.c). */
#ifndef NERQ_PATTERN_H
#define NERQ_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "lexicon.h"

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
  /* Lists that some token within NERQ_ENTITY_SPAN of the first must be
   * in (every match has one; set only for a pattern whose attempts
   * cannot run out of budget, so skipping hides no runaway rule). */
  uint64_t span_lists;
} nerq_gate;

/* If every match starts with a word literal ("in", "the", ...), puts
 * those words into list `bit` of the lexicon and returns 1, so that the
 * rule is tried only at them; else returns 0. */
int nerq_pattern_literal_first(const nerq_pattern *p, nerq_lexicon *lex, int bit);

/* The first NERQ_PREFIX tokens that every match consumes (through
 * saves, jumps, lookaheads and both sides of splits, up to a phrase list
 * or the end of the pattern): for each, the bytes its text may begin
 * with (a bit set; every byte when unknown) and flags it must have and
 * must not have (those attribution sets while it runs left out); for a
 * plain token (NERQ_PLAIN: its length and second byte are those of a
 * literal or a regex's word it matches), the lengths and second bytes
 * it may have; and lists of which it must be in one (the token's entry
 * lists as they are before attribution lends a cue: what the
 * reported-speech rules see). */
#define NERQ_PREFIX 3
typedef struct {
  int n; /* positions known, 0 .. NERQ_PREFIX */
  uint8_t bytes[NERQ_PREFIX][32];
  uint32_t req_flags[NERQ_PREFIX], forb_flags[NERQ_PREFIX];
  uint64_t lens[NERQ_PREFIX];      /* bit n: n bytes, bit 63: 63 or more */
  uint8_t second[NERQ_PREFIX][32]; /* the second byte, of two bytes or more */
  uint64_t lists[NERQ_PREFIX];     /* one of these lists, unless 0 */
} nerq_prefix;
/* A plain token, for nerq_prefix's lens and second: all ASCII, at most
 * NERQ_PLAIN_MAX bytes, not ending in a line feed (a regex of words
 * leaves other tokens to PCRE2, which may match them otherwise). */
#define NERQ_PLAIN_MAX 64
static inline int nerq_plain(const char *s, size_t n) {
  unsigned char high = 0;
  for (size_t i = 0; i < n; i++) high |= (unsigned char)s[i];
  return n <= NERQ_PLAIN_MAX && !(high & 0x80) && (!n || s[n - 1] != '\n');
}
/* Fills *out for a compiled pattern (pattern_words.c). At load only: it
 * may make a regex's first-byte table. */
void nerq_pattern_prefix(const nerq_pattern *p, nerq_prefix *out);
/* The same for the matches whose first token is consumed by the alt-th
 * of the instructions that may consume it (alt -1: all of them, as
 * nerq_pattern_prefix); returns how many such instructions there are
 * (0 when unknown: *out then holds at most the flags that lookaheads at
 * the start require of the first token, every other token passes). With
 * out NULL, only counts them. */
int nerq_pattern_prefix_alt(const nerq_pattern *p, int alt, nerq_prefix *out);

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
  struct nerq_regex_set *regexes; /* where the regexes are kept (required) */
} nerq_defs;

/* The distinct regexes of a rule set (pattern.c), which owns them. */
typedef struct nerq_regex_set nerq_regex_set;
nerq_regex_set *nerq_regex_set_new(void);
void nerq_regex_set_free(nerq_regex_set *set);

/* Parses one pattern text (which may run over several lines and hold #
 * comments); $name refers to a definition from defs (may be NULL). On
 * error stores the byte column (0-based) of the problem in *col and a
 * static message in *msg. Patterns are owned by the lexicon's memory,
 * their regexes by defs->regexes. */
nerq_pattern *nerq_pattern_compile(nerq_lexicon *lex, const char *src,
                                   const nerq_defs *defs, size_t *col,
                                   const char **msg);
/* The same, for a pattern that is only checked (a definition, compiled
 * alone for its errors) and never matched: no masks, no gate. */
nerq_pattern *nerq_pattern_check(nerq_lexicon *lex, const char *src,
                                 const nerq_defs *defs, size_t *col,
                                 const char **msg);
/* Fills the words every match of a compiled pattern needs and its span
 * lists (nerq_gate.span_lists), if its attempts cannot run out of
 * budget (pattern_words.c), before nerq_pattern_gate: for entity and
 * relation rules, the only ones matched against a document's words. */
void nerq_pattern_need_words(nerq_pattern *pt, const nerq_lexicon *lex);
/* A warning about a pattern that compiled but may run away (a repeated
 * part or the whole pattern can match no token), static text, and its
 * byte column in *col; NULL if none. */
const char *nerq_pattern_warning(const nerq_pattern *p, size_t *col);

/* Input to the matcher for one document. */
typedef struct {
  const char *text;
  const nerq_token *toks;
  size_t ntok;
  const nerq_lexicon *lex;
  const nerq_ents *ents; /* per token lexicon entry (nerq_ent_get) */
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
  /* If not NULL, counts the match attempts that ran out of their step
   * budget or of a regex limit (a runaway rule: see nerq_rule_match). */
  size_t *spent;
  /* If not 0: no token at or past this one is consumed, but a lookahead
   * may test it (a `speaker` rule ends at its cue and looks at it). */
  size_t stop;
} nerq_match_env;

/* Tries the pattern at token `start`, for a caller that has already
 * checked the pattern's gate (nerq_pattern_gate) there. On a match
 * returns 1 and stores the capture span [*cap_first, *cap_end); if `end`
 * is not NULL, also the end of the whole match. */
int nerq_pattern_match_gated(const nerq_pattern *p, const nerq_match_env *env,
                             size_t start, size_t *cap_first, size_t *cap_end,
                             size_t *end);

/* The words of one document, as a Bloom filter over their lexicon
 * entries (pattern_words.c). nerq_words_build fills w (its bits are
 * malloc'd, released by nerq_words_free) and returns 0, or -1 when out
 * of memory (w then lets every pattern pass). nerq_pattern_words_ok is 0
 * only if a word that every match of the pattern needs is not in the
 * document, so the pattern cannot match anywhere in it, and no attempt
 * of it could have run out of budget with an env.max_span of at most
 * NERQ_ENTITY_SPAN (so skipping it hides no runaway rule). */
typedef struct {
  uint64_t *bits;
  size_t mask;
} nerq_words;
int nerq_words_build(nerq_words *w, const nerq_ents *ents, size_t n);
void nerq_words_free(nerq_words *w);
int nerq_pattern_words_ok(const nerq_pattern *p, const nerq_words *w);

/* PCRE2 match data and a match context with the match and depth
 * limits, for one document; release with nerq_regex_context_free. */
int nerq_regex_context(void **match_data, void **mcontext);
void nerq_regex_context_free(void *match_data, void *mcontext);

#endif /* NERQ_PATTERN_H */
