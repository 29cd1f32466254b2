/* rules.h - a loaded rule set (rules.c). */
#ifndef NERQ_RULES_H
#define NERQ_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "pattern.h"

/* rules.c                                                             */

/* Attribution styles, the TYPE column of the rules in rules/quotes/. */
enum { HOW_EXPLICIT = 1,
       HOW_PRONOUN,
       HOW_ROLE,
       HOW_ACCORDING,
       HOW_NONE };
/* Where the content of reported speech lies around the match of a rule
 * of rules/quotes/reported.rules (the FORM column). */
enum { REP_AFTER = 1, /* after the match, to the end of the sentence */
       REP_BEFORE,    /* from the start of the sentence to the match */
       REP_BETWEEN,   /* both: "..., officials said, ..." */
       REP_END,       /* no content: content after a cue ends where its
                         capture starts (", and he ...") */
       REP_SPEAKER,   /* no content: the capture, ending at the cue, is the
                         speaker when no attribution rule finds one */
       REP_OBJECT };  /* the match after its capture, to the first stop;
                         one word is enough: "endorsed Ortiz" */

/* rules_parse.c: the one table of attribution style names. The name of
 * HOW_* style how ("explicit", ..., "none"; "none" for 0 or out of
 * range), and the style of a name (-1 if none). */
const char *nerq_how_name(int how);
int nerq_how_code(const char *name);

/* reported_index.c: which rules of rep.idx may start at a token, as
 * sets of rules (bit p of a set is idx[p]; nwords 64-bit words a set),
 * from the first bytes and flags the first NERQ_PREFIX tokens of each
 * rule's matches must have (its nerq_prefix, and its gate's first-token
 * flags). */
typedef struct {
  size_t nwords, nrules;
  /* The tables are of slots: slot p < nrules for rule p, and more for
   * the other first instructions of some rules (reported_index.c), with
   * their rules and prefixes; swords words a set of slots. */
  size_t nslots, swords;
  uint32_t *srule;                  /* malloc'd, nslots */
  nerq_prefix *spre;                /* malloc'd, nslots */
  uint64_t *sets;                   /* malloc'd: the tables below */
  uint64_t *by_byte[NERQ_PREFIX];   /* 256 sets: the rules whose k-th token may begin
                                       with the byte (a rule that tests no k-th token too) */
  uint64_t *past[NERQ_PREFIX];      /* the rules that test no k-th token */
  uint64_t *by_len[NERQ_PREFIX];    /* 64 sets: a plain token of n bytes (63: or more) */
  uint64_t *by_second[NERQ_PREFIX]; /* 256 sets: a plain token's second byte */
  uint64_t *by_list[NERQ_PREFIX];   /* 64 sets: the rules that need list b (or another) */
  uint64_t *unlisted[NERQ_PREFIX];  /* the rules that need no list at k */
  uint64_t lists[NERQ_PREFIX];      /* the lists some rule needs at k */
  /* The flags of the k-th token by bytes of the flag word (bits 8 i to
   * 8 i + 7), for the bytes where some rule tests a flag at k: */
  int nchunks[NERQ_PREFIX];
  uint8_t shift[NERQ_PREFIX][4];      /* 8 i */
  uint64_t *by_flags[NERQ_PREFIX][4]; /* 256 sets: the rules those bits pass */
} nerq_rep_first;

/* The rules that may start at token t of toks[0..ntok) (text: the
 * document's text, entries: its tokens' lexicon entries), as a set of
 * f->nwords words in out: those whose first tokens t and the next
 * tokens pass (by first bytes and flags, lists, and the length and
 * second byte of a plain token). */
void nerq_rep_first_at(const nerq_rep_first *f, const char *text, const nerq_token *toks,
                       const nerq_ents *ents, size_t ntok, size_t t, uint64_t *out);

/* reported_index.c: the reported-speech rules by what they find, built
 * once at load (nerq_reported_index) and read by every document: indexes
 * into irules, each part in priority order, the candidate rules (forms
 * after, before, between), then the end rules, then the speaker rules. */
typedef struct {
  uint32_t *idx; /* malloc'd, nirules items; freed by nerq_reported_index_free */
  size_t ncand, nend, nspeaker;
  nerq_rep_first first; /* where each rule may start */
} nerq_rep_index;

#define NERQ_MAX_PROPS 32
/* dispatch.c: nerq_dispatch, which entity rules may start at a token. */
#include "dispatch.h"

/* Ids of the lists the code itself reads (-1 if absent), set at load. */
typedef struct {
  int first_names, titles, common, stop;
  int cues, pronouns, jobs, orgnouns; /* attribution: speech_cues, ... */
  int preps;                          /* role_preps: "head of", "economist at" */
  int role_lead, role_tail;           /* role_lead_words, role_tail_words: trimmed off a role */
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
  nerq_rule *irules; /* reported-speech rules (quotes/reported.rules), by
                        descending priority; `type` is a REP_* form */
  size_t nirules;
  /* irules by form (reported.c) */
  nerq_rep_index rep;
  char hash[32]; /* "fnv1a64:" + 16 hex digits over every rule
                    file's name and bytes, in load order */
  char *dir;
  const char *props[NERQ_MAX_PROPS]; /* document property names, by bit */
  int nprops;
  struct nerq_regex_set *regexes;   /* every rule's regexes (pattern.h) */
  struct nerq_boiler_rules *boiler; /* boilerplate.rules, or NULL */
  struct nerq_image_state *image;   /* image.h: the files read, or the mapped image */
  char **warnings;                  /* the loader's, malloc'd (nerq_rules_warning) */
  size_t nwarnings;
};

/* reported_index.c: fills r->rep from r->irules, sorted (NERQ_OK or
 * NERQ_ERR_NOMEM), and releases it. */
nerq_status nerq_reported_index(struct nerq_rules *r);
void nerq_reported_index_free(struct nerq_rules *r);

#endif /* NERQ_RULES_H */
