/* boilerplate.h - support appeals, comment prompts, share bars (boilerplate.c). */
#ifndef NERQ_BOILERPLATE_H
#define NERQ_BOILERPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "arena.h"

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

#endif /* NERQ_BOILERPLATE_H */
