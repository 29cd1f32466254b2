/* lexicon_image.c - the lexicon as one flat part of a compiled image
 * (image.c): nerq_lexicon_serialize writes it, nerq_lexicon_map reads it
 * in place. The index and the slots are written as they are in memory
 * (they hold numbers and offsets, no pointers); gazetteer records and
 * list names become offsets into a string table. Everything read from
 * an image is checked before use, so a damaged one is refused or, in
 * the bulk tables, reads as missing entries: never out of bounds. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "lexicon.h"
#include "lexicon_impl.h"
#include "tokens.h"

#define LEX_MAGIC 0x33303058454c514eull /* "NQLEX003" */

typedef struct {
  uint64_t magic;
  uint64_t cap, count, max_tokens, nlists, ngaz, nrecs, pooln, strn;
  uint64_t off_index, off_slots, off_heads, off_recs, off_pool, off_strs, off_lists;
} lexhead;

typedef struct {
  uint32_t surface, key, canonical, source;
  uint32_t next; /* 1 + index of the next record of the entry, or 0 */
  uint8_t type, ambiguous, pad[2];
} grec;

static void align64(nerq_buf *b) {
  static const char zeros[64];
  if (b->n % 64) nerq_buf_put(b, zeros, 64 - b->n % 64);
}

/* Appends s and its NUL to the string table; its offset. */
static uint32_t str_add(nerq_buf *strs, const char *s) {
  uint32_t off = (uint32_t)strs->n;
  nerq_buf_put(strs, s, strlen(s) + 1);
  return off;
}

/* The records, chained entries written one after the other. */
static void put_records(const nerq_lexicon *lex, nerq_buf *heads, nerq_buf *recs,
                        nerq_buf *strs) {
  uint32_t n = 0;
  for (size_t i = 0; i < lex->ngaz; i++) {
    nerq_buf_put(heads, (const char *)&n, sizeof n);
    for (const nerq_gaz *g = lex->gaztab[i]; g; g = g->next) {
      grec r = {0};
      r.surface = str_add(strs, g->surface);
      r.key = str_add(strs, g->key);
      r.canonical = g->canonical == g->surface ? r.surface : str_add(strs, g->canonical);
      r.source = str_add(strs, g->source);
      r.next = g->next ? n + 2 : 0;
      r.type = (uint8_t)g->type;
      r.ambiguous = (uint8_t)(g->ambiguous != 0);
      nerq_buf_put(recs, (const char *)&r, sizeof r);
      n++;
    }
  }
}

/* Appends part to b at a 64-byte boundary; its offset. */
static uint64_t put_part(nerq_buf *b, const char *s, size_t n) {
  align64(b);
  uint64_t off = b->n;
  if (n) nerq_buf_put(b, s, n);
  return off;
}

int nerq_lexicon_serialize(const nerq_lexicon *lex, nerq_buf *b) {
  if (lex->mapped) return -1;
  nerq_buf heads = {0}, recs = {0}, strs = {0}, lists = {0};
  nerq_buf_put(&strs, "", 1);
  for (int i = 0; i < lex->nlists; i++) {
    uint32_t off = str_add(&strs, lex->lists[i]);
    nerq_buf_put(&lists, (const char *)&off, sizeof off);
  }
  put_records(lex, &heads, &recs, &strs);
  lexhead h = {LEX_MAGIC, lex->cap, lex->count, (uint64_t)lex->max_tokens, (uint64_t)lex->nlists,
               lex->ngaz, recs.n / sizeof(grec), lex->pooln, strs.n, 0, 0, 0, 0, 0, 0, 0};
  size_t start = b->n;
  nerq_buf_put(b, (const char *)&h, sizeof h);
  h.off_index = put_part(b, (const char *)lex->index, lex->cap * sizeof *lex->index) - start;
  h.off_slots = put_part(b, NULL, 0) - start;
  for (size_t k = 0; k < lex->nblocks; k++) {
    size_t left = lex->count - k * BLOCK_SIZE;
    size_t m = left < BLOCK_SIZE ? left : BLOCK_SIZE;
    nerq_buf_put(b, (const char *)lex->blocks[k], m * sizeof(slot));
  }
  h.off_heads = put_part(b, heads.s, heads.n) - start;
  h.off_recs = put_part(b, recs.s, recs.n) - start;
  h.off_pool = put_part(b, lex->pool, lex->pooln) - start;
  h.off_strs = put_part(b, strs.s, strs.n) - start;
  h.off_lists = put_part(b, lists.s, lists.n) - start;
  align64(b);
  int failed = heads.failed || recs.failed || strs.failed || lists.failed || b->failed;
  if (!failed) memcpy(b->s + start, &h, sizeof h);
  free(heads.s), free(recs.s), free(strs.s), free(lists.s);
  return failed ? -1 : 0;
}

/* True if [off, off + n * size) lies in a blob of len bytes, aligned. */
static int part_ok(uint64_t off, uint64_t n, size_t size, size_t len, unsigned align) {
  return off % align == 0 && off <= len && n <= (len - off) / size;
}

static const char *check_head(const lexhead *h, size_t len) {
  if (h->magic != LEX_MAGIC) return "not a lexicon of this format";
  if (!h->cap || h->cap & (h->cap - 1) || h->cap > (1ull << 31) || h->count >= h->cap)
    return "bad table size";
  if (h->nlists > NERQ_MAX_LISTS || h->max_tokens > 64 || h->ngaz > h->count ||
      h->nrecs > UINT32_MAX || !h->strn || h->strn > UINT32_MAX || h->pooln > UINT32_MAX)
    return "bad counts";
  if (!part_ok(h->off_index, h->cap, 8, len, 64) || !part_ok(h->off_slots, h->count, sizeof(slot), len, 64) ||
      !part_ok(h->off_heads, h->ngaz, 4, len, 4) || !part_ok(h->off_recs, h->nrecs, sizeof(grec), len, 4) ||
      !part_ok(h->off_pool, h->pooln, 1, len, 1) || !part_ok(h->off_strs, h->strn, 1, len, 1) ||
      !part_ok(h->off_lists, h->nlists, 4, len, 4))
    return "a table lies outside the image";
  return NULL;
}

/* The records stay in the image until an entry's are first asked for
 * (nerq_lexicon_map_gaz): mapping does no work per record. */
static const char *map_records(nerq_lexicon *lex, const char *base, const lexhead *h) {
  lex->img_recs = base + h->off_recs;
  lex->img_heads = (const uint32_t *)(base + h->off_heads);
  lex->img_strs = base + h->off_strs;
  lex->img_nrecs = h->nrecs;
  lex->img_strn = h->strn;
  lex->gazrecs = calloc(h->nrecs ? h->nrecs : 1, sizeof *lex->gazrecs);
  lex->gazlazy = calloc(h->ngaz ? h->ngaz : 1, sizeof *lex->gazlazy);
  if (!lex->gazrecs || !lex->gazlazy) return "out of memory";
  lex->ngaz = h->ngaz;
  return NULL;
}

static pthread_mutex_t gaz_lock = PTHREAD_MUTEX_INITIALIZER;

/* Turns the chain of records from record j into nerq_gaz with pointers
 * into the string table; NULL if a record is damaged (the entry then
 * reads as having none). Under gaz_lock. */
static const nerq_gaz *make_chain(nerq_lexicon *lex, size_t j) {
  const grec *r = lex->img_recs;
  const char *strs = lex->img_strs;
  size_t strn = lex->img_strn, first = j;
  for (;;) {
    if (j >= lex->img_nrecs) return NULL;
    const grec *g = &r[j];
    if (g->surface >= strn || g->key >= strn || g->canonical >= strn || g->source >= strn ||
        g->type < 1 || g->type > 3 || g->ambiguous > 1 || (g->next && (g->next <= j + 1 || g->next > lex->img_nrecs)))
      return NULL;
    lex->gazrecs[j] = (nerq_gaz){strs + g->surface, strs + g->key, strs + g->canonical, strs + g->source,
                                 g->type, g->ambiguous, g->next ? &lex->gazrecs[g->next - 1] : NULL};
    if (!g->next) return &lex->gazrecs[first];
    j = g->next - 1;
  }
}

const nerq_gaz *nerq_lexicon_map_gaz(const nerq_lexicon *clex, size_t i) {
  nerq_lexicon *lex = (nerq_lexicon *)clex; /* only the lazy tables change */
  const nerq_gaz *g = atomic_load_explicit(&lex->gazlazy[i], memory_order_acquire);
  if (g) return g;
  pthread_mutex_lock(&gaz_lock);
  if (!(g = atomic_load_explicit(&lex->gazlazy[i], memory_order_relaxed)) && (g = make_chain(lex, lex->img_heads[i])))
    atomic_store_explicit(&lex->gazlazy[i], g, memory_order_release);
  pthread_mutex_unlock(&gaz_lock);
  return g;
}

static const char *map_tables(nerq_lexicon *lex, const char *base, const lexhead *h) {
  const char *strs = base + h->off_strs;
  if (strs[h->strn - 1] || (h->pooln && base[h->off_pool + h->pooln - 1]))
    return "unterminated string table";
  const uint32_t *lists = (const uint32_t *)(base + h->off_lists);
  for (size_t i = 0; i < h->nlists; i++) {
    if (lists[i] >= h->strn) return "bad list name";
    lex->lists[i] = strs + lists[i];
  }
  lex->nlists = (int)h->nlists;
  if (h->count >= NERQ_ENT_LENT) return "too many entries";
  lex->index = (uint64_t *)(base + h->off_index);
  lex->cap = h->cap;
  lex->count = h->count;
  lex->max_tokens = (int)h->max_tokens;
  lex->pool = (char *)(base + h->off_pool);
  lex->pooln = h->pooln;
  lex->nblocks = (h->count + BLOCK_SIZE - 1) / BLOCK_SIZE;
  lex->blocks = calloc(lex->nblocks ? lex->nblocks : 1, sizeof *lex->blocks);
  lex->eblocks = calloc(lex->nblocks ? lex->nblocks : 1, sizeof *lex->eblocks);
  if (!lex->blocks || !lex->eblocks) return "out of memory";
  for (size_t k = 0; k < lex->nblocks; k++) {
    lex->blocks[k] = (slot *)(base + h->off_slots) + k * BLOCK_SIZE;
    lex->eblocks[k] = &lex->blocks[k]->entry;
  }
  return map_records(lex, base, h);
}

nerq_lexicon *nerq_lexicon_map(const void *blob, size_t len, const char **err) {
  lexhead h;
  *err = "truncated lexicon";
  if (len < sizeof h || (uintptr_t)blob % 64) return NULL;
  memcpy(&h, blob, sizeof h);
  if ((*err = check_head(&h, len))) return NULL;
  nerq_lexicon *lex = calloc(1, sizeof *lex);
  if (!lex || !(lex->arena = nerq_arena_new())) {
    free(lex);
    *err = "out of memory";
    return NULL;
  }
  lex->mapped = 1;
  if ((*err = map_tables(lex, blob, &h))) {
    nerq_lexicon_free(lex);
    return NULL;
  }
  return lex;
}
