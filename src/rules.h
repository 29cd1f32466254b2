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

/* reported.c: the reported-speech rules by what they find, built once
 * at load (nerq_reported_index) and read by every document: indexes
 * into irules, each part in priority order, the candidate rules (forms
 * after, before, between), then the end rules, then the speaker rules. */
typedef struct {
  uint32_t *idx;    /* malloc'd, nirules items; freed by nerq_reported_index_free */
  nerq_prefix *pre; /* malloc'd, the first tokens of each rule's matches, by irules index */
  size_t ncand, nend, nspeaker;
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

/* reported.c: fills r->rep from r->irules, sorted (NERQ_OK or
 * NERQ_ERR_NOMEM), and releases it. */
nerq_status nerq_reported_index(struct nerq_rules *r);
void nerq_reported_index_free(struct nerq_rules *r);

#endif /* NERQ_RULES_H */
