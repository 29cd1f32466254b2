/* dispatch.c - which entity rules may start at a token.
 *
 * Built once when the rules are loaded (rules.c calls
 * nerq_dispatch_build); read by match.c for each class of tokens. A rule
 * is filed under the lists its first token needs, or, when it needs
 * none, under its first token's flags. */
#include <string.h>

#include "rules.h"

static void add_rule(uint64_t *set, size_t k) { set[k >> 6] |= 1ull << (k & 63); }

/* A rule that needs no list goes to the group of its first-token flags. */
static int add_to_group(nerq_dispatch *d, uint32_t flags, size_t k) {
  int g = 0;
  while (g < d->ngroups && d->group_flags[g] != flags) g++;
  if (g == NERQ_FLAG_GROUPS) return -1;
  if (g == d->ngroups) d->group_flags[d->ngroups++] = flags;
  add_rule(d->group_rules[g], k);
  return 0;
}

void nerq_dispatch_build(nerq_rules *r) {
  nerq_dispatch *d = &r->dispatch;
  memset(d, 0, sizeof *d);
  if (r->nrules > NERQ_DISPATCH_RULES) return;
  int words = nerq_lexicon_list_id(r->lex, NERQ_LIST_FIRST_WORDS);
  for (size_t k = 0; k < r->nrules; k++) {
    const nerq_gate *g = &r->rules[k].gate;
    uint64_t lists = g->first_list >= 0 ? 1ull << g->first_list : g->first_any_lists;
    if (!lists && nerq_pattern_literal_first(r->rules[k].pat, r->lex, words))
      lists = 1ull << words; /* tried only at its first words */
    for (int b = 0; b < 64 && lists; b++)
      if ((lists >> b) & 1) add_rule(d->by_list[b], k);
    if (!lists && add_to_group(d, g->first_flags, k)) return;
  }
  d->enabled = 1;
}

void nerq_dispatch_rules(const nerq_dispatch *d, uint32_t f, uint64_t lp,
                         uint64_t set[NERQ_DISPATCH_WORDS]) {
  for (int w = 0; w < NERQ_DISPATCH_WORDS; w++) set[w] = 0;
  for (int g = 0; g < d->ngroups; g++)
    if ((f & d->group_flags[g]) == d->group_flags[g])
      for (int w = 0; w < NERQ_DISPATCH_WORDS; w++) set[w] |= d->group_rules[g][w];
  for (; lp; lp &= lp - 1) {
    int b = __builtin_ctzll(lp);
    for (int w = 0; w < NERQ_DISPATCH_WORDS; w++) set[w] |= d->by_list[b][w];
  }
}
