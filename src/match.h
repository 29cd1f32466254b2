/* match.h - stage 4, candidate mentions (match.c). */
#ifndef NERQ_MATCH_H
#define NERQ_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "lexicon.h"

/* match.c: stage 4                                                    */

typedef struct {
  uint32_t first, end; /* token range */
  int type;
  int priority;
  const char *rule;    /* rule name or gazetteer source */
  const nerq_gaz *gaz; /* gazetteer record, if any */
} nerq_cand;

struct nerq_doc;
/* Fills doc->ent_ids and doc->ents (the lexicon entry of each token) and `cands`, whose
 * items are allocated in `cand_arena` (the document's, or scratch). */
nerq_status nerq_matches_find(struct nerq_doc *doc, nerq_arena *cand_arena, nerq_vec *cands);

#endif /* NERQ_MATCH_H */
