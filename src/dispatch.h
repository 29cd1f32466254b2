/* dispatch.h - which entity rules may start at a token (dispatch.c). */
#ifndef NERQ_DISPATCH_H
#define NERQ_DISPATCH_H

#include <stdint.h>

struct nerq_rules;

/* Which entity rules may start at a token, by its lists and flags, so
 * that a token is tried only against those (match.c). Up to 256 rules
 * (sets of NERQ_DISPATCH_WORDS words); with more, every rule is tried at
 * every token, several times slower. */
#define NERQ_DISPATCH_WORDS 4
#define NERQ_DISPATCH_RULES (64 * NERQ_DISPATCH_WORDS)
#define NERQ_FLAG_GROUPS 32
typedef struct {
  int enabled;
  uint64_t by_list[64][NERQ_DISPATCH_WORDS]; /* rules needing list bit b at the first token */
  int ngroups;
  uint32_t group_flags[NERQ_FLAG_GROUPS];
  uint64_t group_rules[NERQ_FLAG_GROUPS][NERQ_DISPATCH_WORDS]; /* rules needing only flags */
} nerq_dispatch;

/* Fills the dispatch table of a loaded rule set (called by the loader). */
void nerq_dispatch_build(struct nerq_rules *r);
/* The rules that may start at a token with these flags and lists (its
 * lists and phrase prefixes, as bits): bit k of set is rule k. */
void nerq_dispatch_rules(const nerq_dispatch *d, uint32_t flags, uint64_t lists_prefixes,
                         uint64_t set[NERQ_DISPATCH_WORDS]);

#endif
