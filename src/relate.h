/* relate.h - stage 7, relations (relate.c). */
#ifndef NERQ_RELATE_H
#define NERQ_RELATE_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"

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

#endif /* NERQ_RELATE_H */
