/* lexicon_impl.h - the lexicon's layout, shared by lexicon.c (lookups,
 * building) and lexicon_image.c (writing and mapping it as a part of a
 * compiled image). Nothing else includes it. */
#ifndef NERQ_LEXICON_IMPL_H
#define NERQ_LEXICON_IMPL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "lexicon.h"

/* Entries live in fixed blocks, so pointers to them stay valid while
 * the lexicon grows; the hash index holds 8 bytes a slot: the high half
 * of the hash and the entry number plus one (0 = empty). Nothing in a
 * slot or the index is a pointer (keys are offsets into `pool`,
 * gazetteer records numbers into `gaztab`), so a compiled image maps
 * them as they are (nerq_lexicon_map). */
#define BLOCK_BITS 12
#define BLOCK_SIZE (1u << BLOCK_BITS)

#define INLINE_KEY 32 /* keys shorter than this live in the slot */

/* One cache line: a hit reads the length, key and entry together. */
typedef struct {
  nerq_entry entry;
  uint32_t len;
  char inl[INLINE_KEY]; /* the folded phrase, NUL-terminated, if short */
  uint32_t koff;        /* else its offset in the pool */
} slot;

_Static_assert(sizeof(slot) == 64, "a slot is one cache line");
_Static_assert(sizeof(slot) == NERQ_ENT_STRIDE && offsetof(slot, entry) == 0 &&
                   BLOCK_BITS == NERQ_ENT_BLOCK_BITS,
               "nerq_ent_get finds an entry as a slot");

struct nerq_lexicon {
  nerq_arena *arena;
  uint64_t *index;
  size_t cap, count;
  slot **blocks;
  const nerq_entry **eblocks; /* the entry of each block's first slot (nerq_ents) */
  size_t nblocks;
  int max_tokens;
  char *pool; /* long keys, NUL-terminated */
  size_t pooln, poolcap;
  const nerq_gaz **gaztab; /* the first record of each entry with any */
  size_t ngaz, capgaz;
  /* A mapped lexicon's records are made on first use, an entry's chain
   * at a time (nerq_lexicon_map_gaz): gazlazy[i] is entry i's first
   * record once made, gazrecs their memory (calloc'd, so untouched pages
   * cost nothing), img_* the image's tables they are read from. */
  nerq_gaz *gazrecs;
  _Atomic(const nerq_gaz *) *gazlazy;
  const void *img_recs;
  const uint32_t *img_heads;
  const char *img_strs;
  size_t img_nrecs, img_strn;
  int mapped;           /* index, slots and pool belong to an image */
  size_t frozen_misses; /* nerq_lexicon_intern calls a mapped lexicon refused */
  void **owned;         /* buffers handed over by nerq_lexicon_adopt */
  size_t nowned;
  int nlists;
  const char *lists[NERQ_MAX_LISTS];
};

/* lexicon_image.c: the first record of entry i (< ngaz) of a mapped
 * lexicon, made on first use (thread-safe), or NULL if damaged. */
const nerq_gaz *nerq_lexicon_map_gaz(const nerq_lexicon *lex, size_t i);

#endif
