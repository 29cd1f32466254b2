/* entities.h - stage 5, entities out of candidates (resolve.c, keys.c). */
#ifndef NERQ_ENTITIES_H
#define NERQ_ENTITIES_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "lexicon.h"

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

#endif /* NERQ_ENTITIES_H */
