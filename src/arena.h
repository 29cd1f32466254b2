/* arena.h - per-document memory (arena.c), growable arrays and strings. */
#ifndef NERQ_ARENA_H
#define NERQ_ARENA_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"

/* arena.c                                                             */

typedef struct nerq_arena nerq_arena;

/* A new arena (free with nerq_arena_free), or NULL. */
nerq_arena *nerq_arena_new(void);
void nerq_arena_free(nerq_arena *a);
/* A scratch arena for one stage's temporary data (free it with
 * nerq_arena_free when the stage is done, before `parent`): its bytes
 * count against the limit of `parent` while it lives. NULL when out of
 * memory. */
nerq_arena *nerq_arena_scratch(nerq_arena *parent);
/* Caps the bytes the arena may take (0: no cap); past it, allocations
 * fail as if memory had run out. */
void nerq_arena_set_limit(nerq_arena *a, size_t limit);
int nerq_arena_capped(const nerq_arena *a);
/* Zeroed memory owned by the arena, or NULL when out of memory. */
void *nerq_arena_alloc(nerq_arena *a, size_t size);
/* Frees p at once if it is a big allocation with a block of its own (more
 * than 16 KB: a big vector's items); otherwise it stays until the arena
 * is freed. p must not be used afterwards either way. */
void nerq_arena_release(nerq_arena *a, void *p);
/* A NUL-terminated copy of n bytes, owned by the arena. */
char *nerq_arena_strndup(nerq_arena *a, const char *s, size_t n);

/* A growable array of fixed-size items, kept in the arena. */
typedef struct {
  void *items;
  size_t count;
  size_t cap;
  size_t size;
} nerq_vec;

void nerq_vec_init(nerq_vec *v, size_t item_size);
/* Pointer to a new zeroed item at the end, or NULL when out of memory. */
void *nerq_vec_push(nerq_arena *a, nerq_vec *v);
#define NERQ_VEC_AT(v, type, i) (&((type *)(v)->items)[i])

/* A growable string (malloc'd; the caller owns .s and frees it). After
 * an allocation failure, .failed is set and further writes are ignored. */
typedef struct {
  char *s;
  size_t n, cap;
  int failed;
} nerq_buf;

void nerq_buf_put(nerq_buf *b, const char *s, size_t n);
void nerq_buf_printf(nerq_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The string (caller frees), or NULL (and the buffer freed) on failure. */
char *nerq_buf_finish(nerq_buf *b);

#endif /* NERQ_ARENA_H */
