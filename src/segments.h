/* segments.h - stage 3, sentences and paragraphs (segment.c). */
#ifndef NERQ_SEGMENTS_H
#define NERQ_SEGMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "tokens.h"

/* segment.c: stage 3                                                  */

typedef struct {
  uint32_t first; /* index of first token */
  uint32_t end;   /* one past the last token */
} nerq_range;

/* Marks TOK_SENT and TOK_PARA and fills sentence and paragraph ranges.*/
nerq_status nerq_segments_build(nerq_arena *a, const nerq_text *t,
                                const nerq_lexicon *lex, nerq_vec *tokens,
                                nerq_vec *sentences, nerq_vec *paragraphs);

#endif /* NERQ_SEGMENTS_H */
