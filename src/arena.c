/* arena.c - per-document bump allocator and growable arrays. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_BLOCK (64 * 1024)

typedef struct block {
  struct block *next;
  size_t used, cap;
  max_align_t data[];
} block;

struct nerq_arena {
  block *head;
  size_t total, limit;       /* bytes taken; 0: no limit */
  int capped;                /* an allocation failed on the limit */
  struct nerq_arena *parent; /* scratch arena: whose limit it counts against */
};

void nerq_arena_set_limit(nerq_arena *a, size_t limit) { a->limit = limit; }
int nerq_arena_capped(const nerq_arena *a) { return a->capped; }

nerq_arena *nerq_arena_new(void) { return calloc(1, sizeof(nerq_arena)); }

nerq_arena *nerq_arena_scratch(nerq_arena *parent) {
  nerq_arena *a = calloc(1, sizeof(nerq_arena));
  if (a) a->parent = parent;
  return a;
}

/* Counts `more` bytes against the limit of the arena a scratch arena
 * belongs to (or its own): 0, or -1 (and the arena marked capped) past it. */
static int charge(nerq_arena *a, size_t more) {
  nerq_arena *r = a;
  while (r->parent) r = r->parent;
  if (r->limit && (more > r->limit || r->total > r->limit - more)) {
    r->capped = a->capped = 1;
    return -1;
  }
  r->total += more;
  if (r != a) a->total += more;
  return 0;
}

void nerq_arena_free(nerq_arena *a) {
  if (!a) return;
  nerq_arena *r = a;
  while (r->parent) r = r->parent;
  if (r != a) r->total -= a->total; /* a scratch arena gives its bytes back */
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
    block *nb = charge(a, cap) ? NULL : block_new(cap);
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

void nerq_arena_release(nerq_arena *a, void *p) {
  block **link = &a->head;
  while (p && *link && (void *)(*link)->data != p) link = &(*link)->next;
  /* a block of ARENA_BLOCK bytes may hold small allocations too: kept */
  if (!p || !*link || (*link)->cap == ARENA_BLOCK || (*link)->used != (*link)->cap) return;
  block *b = *link;
  *link = b->next;
  nerq_arena *r = a;
  while (r->parent) r = r->parent;
  r->total -= b->cap;
  if (r != a) a->total -= b->cap;
  free(b);
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

/* Grows the allocation `old` to `size` bytes in place when it is a big
 * one-off block of its own (realloc then moves pages rather than bytes,
 * and the old copy does not stay behind in the arena); NULL otherwise. */
static void *grow_block(nerq_arena *a, void *old, size_t size) {
  block **link = &a->head;
  while (*link && (void *)(*link)->data != old) link = &(*link)->next;
  if (!*link || (*link)->used != (*link)->cap) return NULL;
  size_t more = size - (*link)->cap; /* counted against the limit too */
  if (charge(a, more)) return NULL;
  block *nb = realloc(*link, sizeof(block) + size);
  if (!nb) return NULL;
  nb->used = nb->cap = size;
  *link = nb;
  return nb->data;
}

void *nerq_vec_push(nerq_arena *a, nerq_vec *v) {
  if (v->count == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 4; /* most of a document's vectors stay small (a quote's segments) */
    void *items = NULL;
    if (v->cap * v->size > ARENA_BLOCK / 4) items = grow_block(a, v->items, cap * v->size);
    if (!items) {
      if (!(items = nerq_arena_alloc(a, cap * v->size))) return NULL;
      if (v->count) memcpy(items, v->items, v->count * v->size);
    }
    v->items = items;
    v->cap = cap;
  }
  void *p = (char *)v->items + v->count * v->size;
  memset(p, 0, v->size);
  v->count++;
  return p;
}

void nerq_buf_put(nerq_buf *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = (b->cap ? b->cap * 2 : 4096) + n;
    char *ns = realloc(b->s, cap);
    if (!ns) {
      b->failed = 1;
      return;
    }
    b->s = ns;
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

void nerq_buf_printf(nerq_buf *b, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (k < 0) {
    b->failed = 1;
    return;
  }
  if ((size_t)k < sizeof small) {
    nerq_buf_put(b, small, (size_t)k);
    return;
  }
  char *big = malloc((size_t)k + 1);
  if (!big) {
    b->failed = 1;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)k + 1, fmt, ap);
  va_end(ap);
  nerq_buf_put(b, big, (size_t)k);
  free(big);
}

char *nerq_buf_finish(nerq_buf *b) {
  if (!b->failed && !b->s) nerq_buf_put(b, "", 0);
  if (b->failed) {
    free(b->s);
    b->s = NULL;
  }
  return b->s;
}
