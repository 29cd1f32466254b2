/* pattern_impl.h - the compiled form of a pattern (private to pattern.c,
 * which compiles and analyses patterns, and pattern_match.c, which runs
 * them). */
#ifndef NERQ_PATTERN_IMPL_H
#define NERQ_PATTERN_IMPL_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
#include <stdatomic.h>

#include "pattern.h"

#define MAX_TESTS 16 /* tests in one [ ... ] */
#define MAX_PROG 256 /* instructions in one pattern */
#define STEP_BUDGET 20000
#define VM_DEPTH 400 /* recursion depth of one attempt */
#define MAX_SPAN 64  /* tokens one match may cover: names and attributions are short */

enum { T_LIT,
       T_RE,
       T_LIST,
       T_CLASS,
       T_LITSET };
enum { I_TOK,
       I_LIST,
       I_SPLIT,
       I_JMP,
       I_SAVE,
       I_MATCH,
       I_NOT,
       I_ENDNOT };
/* I_NOT runs the sub-pattern up to its I_ENDNOT (at y - 1) at the same
 * position: if it matches, the path fails; if not, it goes on at y. */

/* A regex that only names words (regex_words.c): its words, lower-cased
 * if it is caseless, laid out by length (the words of length n are the
 * n-byte runs in pool[off[n] .. off[n + 1])). */
#define RE_WORDS_MAX 32   /* bytes of one word */
#define RE_WORDS_TOKEN 64 /* longer tokens go to PCRE2 */
typedef struct {
  int suffix; /* /(w1|w2)$/: the token ends with a word; else it is one */
  int icase;
  const char *pool;
  uint16_t off[RE_WORDS_MAX + 2];
  uint64_t lens;         /* bit n: a word of n bytes */
  const uint32_t *slots; /* hash table of the words (regex_words.c) */
  uint32_t mask;         /* its size - 1 */
} re_words;

/* One distinct regex of a rule set (its text and options), shared by
 * every test that uses it, so that a $definition used by several rules
 * compiles it once. Compiled at load when the rules are read as text
 * (which reports a bad regex), or on first use when they come from an
 * image; its JIT code, and its first-byte table unless a gate needed it
 * at load, on first use (nerq_regex_code). */
typedef struct nerq_regex {
  const char *src;
  size_t len;
  uint32_t opts;
  uint32_t id;      /* its place in its set */
  pcre2_code *code; /* NULL until compiled (or if it does not compile) */
  atomic_int ready; /* code, first[] and JIT code are made */
  int first_done;   /* nerq_re_first_bytes ran */
  int has_first;    /* first[] holds every byte a match can start with */
  uint8_t first[32];
  int jit_ok;              /* the JIT compile succeeded: pcre2_jit_match */
  const re_words *words;   /* the regex only names words (regex_words.c), or NULL */
  int words_done;          /* words was looked for */
  struct nerq_regex *next; /* in its set's hash chain */
} nerq_regex;

struct nerq_regex_set {
  nerq_regex *bucket[64];
  nerq_regex **all;
  size_t n, cap;
};

/* The regex of rx's text and options in set, made and compiled if new:
 * NULL when it does not compile (*err and *off say why and where; *err
 * 0: out of memory). */
nerq_regex *nerq_regex_get(nerq_regex_set *set, const char *src, size_t len, uint32_t opts,
                           int *err, size_t *off);
/* Appends a regex that is not compiled yet (from an image); NULL when
 * out of memory. */
nerq_regex *nerq_regex_add(nerq_regex_set *set, const char *src, size_t len, uint32_t opts);
/* The first use of a regex: compiles what is missing under a lock. */
void nerq_regex_prepare(nerq_regex *rx);
/* The compiled code of a regex, ready to match (NULL if it does not
 * compile); thread-safe, lock-free after the first use. */
static inline const pcre2_code *nerq_regex_code(const nerq_regex *rx) {
  if (!atomic_load_explicit(&rx->ready, memory_order_acquire)) nerq_regex_prepare((nerq_regex *)rx);
  return rx->code;
}

typedef struct test_s {
  int kind, neg, icase;
  const char *lit;
  size_t litlen;
  int list;
  uint32_t flag;            /* for T_CLASS; 0 = any token */
  nerq_regex *rx;           /* for T_RE (its set owns it) */
  const struct test_s *set; /* for T_LITSET: the literals */
  int nset;
} test;

#define MAX_FIRST 32
#define MAX_NEED 4     /* needed-word groups kept per pattern */
#define MAX_NEED_SET 8 /* words in one group (a set of literals) */

/* Flag and list requirements of one token test, for quick rejection. */
typedef struct {
  uint32_t req_flags, forb_flags;
  uint64_t req_lists, forb_lists;
  int pc;    /* the instruction */
  int exact; /* the masks say everything about it */
} mask;

typedef struct {
  int op;
  int x, y; /* jump targets, or save slot in x */
  int ntests;
  test *tests; /* conjunction, for I_TOK */
  mask m;      /* the flag and list tests of an I_TOK, as masks */
} inst;

struct nerq_pattern {
  inst *prog; /* n instructions (MAX_PROG of scratch while parsing) */
  int n;
  int has_capture;
  /* What the first tokens must have, as masks (see nerq_pattern_gate): the
   * instructions every match runs first, before any split. */
  int any_list; /* first instruction is @list: member or prefix, or -1 */
  /* Necessary conditions on the first token, from every instruction
   * that may consume it (see first_set): */
  uint32_t need_flags;     /* flags they all require */
  uint64_t need_any_lists; /* one of these lists, if they all need one */
  uint64_t forb_lists;     /* lists they all forbid */
  uint32_t forb_flags;     /* flags they all forbid */
  uint8_t bytes[32];       /* first bytes, if they are all literals */
  int nalt;                /* instructions found; -1 if unknown */
  int use_bytes;
  /* Lists and flags that tokens of every match must have somewhere
   * (from the instructions every path runs), tested against the window
   * of NERQ_WINDOW tokens from the start: */
  uint64_t must_lists;
  uint32_t must_flags;
  /* Lists that some token of every match has, within NERQ_ENTITY_SPAN
   * tokens of the start (pattern_words.c; only for patterns whose
   * attempts cannot run out of budget), beyond must_lists: */
  uint64_t span_lists;
  /* Words that every match needs (from mandatory literal tests): group
   * g is met if the document has one of need[g][0 .. nneed[g]). */
  const nerq_entry *need[MAX_NEED][MAX_NEED_SET];
  int nneed[MAX_NEED], ngroups;
  mask second; /* the second token's masks, when has_second */
  int has_second;
  int second_list;  /* second instruction is @list (after a token test), or -1 */
  const char *warn; /* a runaway-rule warning (static text), or NULL */
  size_t warn_col;  /* its byte column in the source */
};

/* Flags that attribution sets while it runs, which precomputed windows
 * cannot know about. */
#define DYNAMIC_FLAGS (TOK_QOPEN | TOK_QCLOSE | TOK_INQUOTE | TOK_PERSON | TOK_ORGM | TOK_PLACEM)

/* Shared by pattern.c and pattern_words.c. The literal (or set of
 * literals) an instruction requires, or NULL. */
const test *nerq_inst_literal(const inst *in);
/* True if MATCH is reachable from pc without running instruction
 * `avoid` (so that `avoid` is not mandatory); seen: MAX_PROG zeros. */
int nerq_prog_reaches(const nerq_pattern *pt, int pc, int avoid, uint8_t *seen);
/* The same through no instruction pc with avoid[pc] set (MAX_PROG
 * entries, or pt->n). */
int nerq_prog_reaches_past(const nerq_pattern *pt, int pc, const uint8_t *avoid, uint8_t *seen);
/* Fills a regex's first[] and has_first (regex.c); sets first_done.
 * At load, or under the regex lock at first use. */
void nerq_re_first_bytes(nerq_regex *rx);
/* The words of a regex (its text re[0..n)) that only names words, in
 * lexicon memory, or NULL (regex_words.c). */
re_words *nerq_re_words(nerq_lexicon *lex, const char *re, size_t n, int icase);
/* 1 if the token text s[0..n) matches, 0 if not, -1 if PCRE2 must say. */
int nerq_re_words_match(const re_words *rw, const char *s, size_t n);
#endif /* NERQ_PATTERN_IMPL_H */
