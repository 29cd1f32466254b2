/* arena.c - per-document bump allocator and growable arrays. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ARENA_BLOCK (64 * 1024)

typedef struct block {
  struct block *next;
  size_t used, cap;
  max_align_t data[];
} block;

struct nerq_arena {
  block *head;
};

nerq_arena *nerq_arena_new(void) { return calloc(1, sizeof(nerq_arena)); }

void nerq_arena_free(nerq_arena *a) {
  if (!a) return;
  block *b = a->head;
  while (b) {
    block *n = b->next;
    free(b);
    b = n;
  }
  free(a);
}

static block *block_new(size_t cap) {
  block *b = malloc(sizeof(block) + cap);
  if (!b) return NULL;
  b->next = NULL;
  b->used = 0;
  b->cap = cap;
  return b;
}

void *nerq_arena_alloc(nerq_arena *a, size_t size) {
  const size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  if (size == 0) size = align;
  block *b = a->head;
  if (!b || b->cap - b->used < size) {
    size_t cap = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
    block *nb = block_new(cap);
    if (!nb) return NULL;
    if (b && cap != ARENA_BLOCK) { /* big one-off: keep current block */
      nb->next = b->next;
      b->next = nb;
      nb->used = size;
      memset(nb->data, 0, size);
      return nb->data;
    }
    nb->next = b;
    a->head = b = nb;
  }
  void *p = (char *)b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

char *nerq_arena_strndup(nerq_arena *a, const char *s, size_t n) {
  char *p = nerq_arena_alloc(a, n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

void nerq_vec_init(nerq_vec *v, size_t item_size) {
  v->items = NULL;
  v->count = v->cap = 0;
  v->size = item_size;
}

void *nerq_vec_push(nerq_arena *a, nerq_vec *v) {
  if (v->count == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 16;
    void *items = nerq_arena_alloc(a, cap * v->size);
    if (!items) return NULL;
    if (v->count) memcpy(items, v->items, v->count * v->size);
    v->items = items;
    v->cap = cap;
  }
  void *p = (char *)v->items + v->count * v->size;
  memset(p, 0, v->size);
  v->count++;
  return p;
}
