/* lexicon.c - the compiled gazetteers and word lists: one hash table from
 * case-folded phrases to what is known about them (list memberships,
 * gender, gazetteer records). Built once by rules.c, read-only after. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "arena.h"
#include "lexicon.h"
#include "lexicon_impl.h"
#include "tokens.h"

#define FOLD_MAX NERQ_FOLD_MAX /* longest phrase looked up, in bytes */

/* The key of a slot; a mapped slot whose offset is out of range reads
 * as the empty key, so a damaged image cannot read past its pool. */
static const char *slot_key(const nerq_lexicon *lex, const slot *s) {
  if (s->len < INLINE_KEY) return s->inl;
  return (size_t)s->koff + s->len < lex->pooln ? lex->pool + s->koff : "";
}

nerq_lexicon *nerq_lexicon_new(void) {
  nerq_lexicon *lex = calloc(1, sizeof *lex);
  if (!lex) return NULL;
  lex->arena = nerq_arena_new();
  lex->cap = 1u << 19;
  lex->index = calloc(lex->cap, sizeof *lex->index);
  if (!lex->arena || !lex->index) {
    nerq_lexicon_free(lex);
    return NULL;
  }
  return lex;
}

void nerq_lexicon_free(nerq_lexicon *lex) {
  if (!lex) return;
  nerq_arena_free(lex->arena);
  if (!lex->mapped) {
    for (size_t i = 0; i < lex->nblocks; i++) free(lex->blocks[i]);
    free(lex->index);
    free(lex->pool);
  }
  free(lex->blocks);
  free(lex->eblocks);
  free(lex->gaztab);
  free(lex->gazrecs);
  free((void *)lex->gazlazy);
  for (size_t i = 0; i < lex->nowned; i++) free(lex->owned[i]);
  free(lex->owned);
  free(lex);
}

static slot *slot_at(const nerq_lexicon *lex, size_t i) {
  return &lex->blocks[i >> BLOCK_BITS][i & (BLOCK_SIZE - 1)];
}

void *nerq_lexicon_alloc(nerq_lexicon *lex, size_t size) {
  return nerq_arena_alloc(lex->arena, size);
}

int nerq_lexicon_adopt(nerq_lexicon *lex, void *buf) {
  void **no = realloc(lex->owned, (lex->nowned + 1) * sizeof *no);
  if (!no) return -1;
  lex->owned = no;
  no[lex->nowned++] = buf;
  return 0;
}

char *nerq_lexicon_strdup(nerq_lexicon *lex, const char *s, size_t n) {
  return nerq_arena_strndup(lex->arena, s, n);
}

/* FNV-1a, then a final avalanche (MurmurHash3's fmix64): the table is
 * indexed by the low bits, which plain FNV mixes poorly. */
static uint64_t avalanche(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return avalanche(h);
}

/* Appends the folded form of one code point; returns bytes written. */
static size_t fold_cp(int32_t c, char *out) {
  if (c == 0x2019 || c == 0x2018 || c == 0x02BC) c = '\'';
  else if (c == 0x2010 || c == 0x2011 || c == 0x2013) c = '-';
  else c = utf8proc_tolower(c);
  return (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)out);
}

static int is_space_byte(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v' || c == 0;
}

/* Folds s[0..n) into out (lower case, ’ -> ', runs of white space to one
 * space, trimmed). Returns the length, or -1 if longer than FOLD_MAX. */
static long fold(const char *s, size_t n, char *out) {
  size_t o = 0, i = 0;
  int space = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (is_space_byte(c)) {
      space = o > 0;
      i++;
      continue;
    }
    if (o + 5 >= FOLD_MAX) return -1;
    if (space) {
      out[o++] = ' ';
      space = 0;
    }
    if (c < 0x80) {
      out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      i++;
      continue;
    }
    int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0) {
      i++;
      continue;
    }
    o += fold_cp(cp, out + o);
    i += (size_t)k;
  }
  out[o] = '\0';
  return (long)o;
}

/* The index position of key k (hash h), or of the empty slot for it;
 * cap if the index is full (only a damaged image's can be). */
static size_t find_pos(const nerq_lexicon *lex, const uint64_t *index, size_t cap,
                       const char *k, size_t n, uint64_t h) {
  size_t i = (size_t)h & (cap - 1);
  uint64_t tag = h >> 32;
  for (size_t probes = 0; index[i]; probes++) {
    if (probes == cap) return cap;
    size_t id = (size_t)(index[i] & 0xffffffffu);
    if (index[i] >> 32 == tag && k && id <= lex->count) {
      const slot *s = slot_at(lex, id - 1);
      if (s->len == n && !memcmp(slot_key(lex, s), k, n)) return i;
    }
    i = (i + 1) & (cap - 1);
  }
  return i;
}

static int grow(nerq_lexicon *lex) {
  size_t cap = lex->cap * 2;
  uint64_t *ni = calloc(cap, sizeof *ni);
  if (!ni) return -1;
  for (size_t i = 0; i < lex->cap; i++) {
    if (!lex->index[i]) continue;
    const slot *s = slot_at(lex, (size_t)(lex->index[i] & 0xffffffffu) - 1);
    ni[find_pos(lex, ni, cap, NULL, 0, hash_bytes(slot_key(lex, s), s->len))] = lex->index[i];
  }
  free(lex->index);
  lex->index = ni;
  lex->cap = cap;
  return 0;
}

/* A new zeroed slot at the end of the blocks, or NULL. */
static slot *new_slot(nerq_lexicon *lex) {
  if (lex->count + 1 >= NERQ_ENT_LENT) return NULL; /* numbers stay below the lent bit */
  if ((lex->count & (BLOCK_SIZE - 1)) == 0) {
    slot **nb = realloc(lex->blocks, (lex->nblocks + 1) * sizeof *nb);
    if (!nb) return NULL;
    lex->blocks = nb;
    const nerq_entry **ne = realloc(lex->eblocks, (lex->nblocks + 1) * sizeof *ne);
    if (!ne) return NULL;
    lex->eblocks = ne;
    slot *b = aligned_alloc(64, BLOCK_SIZE * sizeof(slot)); /* line-aligned */
    if (!b) return NULL;
    memset(b, 0, BLOCK_SIZE * sizeof(slot));
    nb[lex->nblocks] = b;
    ne[lex->nblocks] = &b->entry;
    lex->nblocks++;
  }
  return slot_at(lex, lex->count);
}

static const nerq_entry *get_hashed(const nerq_lexicon *lex, const char *buf,
                                    size_t n, uint64_t h);

/* Appends a long key (and its NUL) to the pool; its offset in *off. */
static int pool_add(nerq_lexicon *lex, const char *s, size_t n, uint32_t *off) {
  if (lex->pooln + n + 1 > UINT32_MAX) return -1;
  if (lex->pooln + n + 1 > lex->poolcap) {
    size_t cap = (lex->poolcap ? lex->poolcap * 2 : 1u << 16) + n + 1;
    char *np = realloc(lex->pool, cap);
    if (!np) return -1;
    lex->pool = np;
    lex->poolcap = cap;
  }
  *off = (uint32_t)lex->pooln;
  memcpy(lex->pool + lex->pooln, s, n);
  lex->pool[lex->pooln + n] = '\0';
  lex->pooln += n + 1;
  return 0;
}

static int count_tokens(const char *k) {
  int n = 1;
  while ((k = strchr(k, ' '))) n++, k++;
  return n;
}

long nerq_lexicon_fold(const char *phrase, size_t len, char *out) {
  return fold(phrase, len, out);
}

nerq_entry *nerq_lexicon_intern(nerq_lexicon *lex, const char *phrase,
                                size_t len) {
  char buf[FOLD_MAX];
  long n = fold(phrase, len, buf);
  if (n <= 0) return NULL;
  return nerq_lexicon_intern_folded(lex, buf, (size_t)n);
}

nerq_entry *nerq_lexicon_intern_folded(nerq_lexicon *lex, const char *buf,
                                       size_t n) {
  if (n == 0) return NULL;
  uint64_t h = hash_bytes(buf, n);
  if (lex->mapped) { /* read-only: an entry the image lacks is refused */
    const nerq_entry *e = get_hashed(lex, buf, n, h);
    if (!e) lex->frozen_misses++;
    return (nerq_entry *)e;
  }
  if ((lex->count + 1) * 2 > lex->cap && grow(lex)) return NULL;
  size_t pos = find_pos(lex, lex->index, lex->cap, buf, n, h);
  if (lex->index[pos]) return &slot_at(lex, (size_t)(lex->index[pos] & 0xffffffffu) - 1)->entry;
  slot *s = new_slot(lex);
  if (!s) return NULL;
  if (n < INLINE_KEY)
    memcpy(s->inl, buf, n); /* NUL from the zeroed block */
  else if (pool_add(lex, buf, n, &s->koff))
    return NULL;
  s->len = (uint32_t)n;
  const char *k = slot_key(lex, s);
  lex->index[pos] = (h >> 32) << 32 | (uint64_t)(lex->count + 1);
  lex->count++;
  int t = count_tokens(k);
  if (t > lex->max_tokens) lex->max_tokens = t;
  return &s->entry;
}

/* Folds and hashes an ASCII phrase in one pass (the common case: a
 * word, or a span of words looked up as a phrase), exactly as fold()
 * then hash_bytes() would; returns -2 for anything else, which fold()
 * handles. */
static long fold_ascii_word(const char *s, size_t n, char *out, uint64_t *h) {
  uint64_t x = 1469598103934665603ull;
  if (n == 0 || n >= FOLD_MAX) return -2;
  size_t o = 0;
  int space = 0, spaced = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80) return -2;
    if (is_space_byte(c)) {
      space = o > 0;
      spaced = 1;
      continue;
    }
    if (space) {
      out[o++] = ' ';
      x = (x ^ ' ') * 1099511628211ull;
      space = 0;
    }
    c = (unsigned char)((unsigned)(c - 'A') < 26 ? c + 32 : c);
    out[o++] = (char)c;
    x = (x ^ c) * 1099511628211ull;
  }
  if (spaced && n + 6 > FOLD_MAX) return -2; /* fold() decides on the length */
  out[o] = '\0';
  *h = avalanche(x);
  return (long)o;
}

/* Folds and hashes a phrase into buf; the folded length, or <= 0. */
static long fold_hash(const char *phrase, size_t len, char *buf, uint64_t *h) {
  long n = fold_ascii_word(phrase, len, buf, h);
  if (n == -2) {
    n = fold(phrase, len, buf);
    if (n > 0) *h = hash_bytes(buf, (size_t)n);
  }
  return n;
}

/* The number plus one of the entry of a folded phrase, or 0. */
static nerq_ent number_hashed(const nerq_lexicon *lex, const char *buf, size_t n, uint64_t h) {
  size_t pos = find_pos(lex, lex->index, lex->cap, buf, n, h);
  if (pos == lex->cap || !lex->index[pos] || (lex->index[pos] & 0xffffffffu) > lex->count)
    return 0;
  return (nerq_ent)(lex->index[pos] & 0xffffffffu);
}

static const nerq_entry *get_hashed(const nerq_lexicon *lex, const char *buf,
                                    size_t n, uint64_t h) {
  nerq_ent k = number_hashed(lex, buf, n, h);
  return k ? &slot_at(lex, (size_t)k - 1)->entry : NULL;
}

const nerq_entry *const *nerq_lexicon_blocks(const nerq_lexicon *lex) { return lex->eblocks; }

const nerq_entry *nerq_lexicon_get(const nerq_lexicon *lex,
                                   const char *phrase, size_t len) {
  char buf[FOLD_MAX];
  uint64_t h = 0;
  long n = fold_hash(phrase, len, buf, &h);
  return n > 0 ? get_hashed(lex, buf, (size_t)n, h) : NULL;
}

#define AHEAD 8 /* tokens hashed, and their index lines prefetched, ahead */

typedef struct {
  size_t tok;
  size_t n;
  uint64_t h;
  char buf[FOLD_MAX];
} pending;

/* Hashes the next word token from *i into p and prefetches its index
 * line; 0 when no token is left. */
static int queue_next(const nerq_lexicon *lex, const char *text,
                      const nerq_token *toks, size_t ntok, size_t *i, pending *p) {
  for (; *i < ntok; (*i)++) {
    if (!(toks[*i].flags & TOK_WORD)) continue;
    long n = fold_hash(text + toks[*i].off, nerq_tok_len(toks, *i), p->buf, &p->h);
    if (n <= 0) continue;
    p->tok = (*i)++;
    p->n = (size_t)n;
#if defined(__GNUC__)
    __builtin_prefetch(&lex->index[p->h & (lex->cap - 1)]);
#endif
    return 1;
  }
  return 0;
}

void nerq_lexicon_get_tokens(const nerq_lexicon *lex, const char *text,
                             const nerq_token *toks, size_t ntok, nerq_ent *out) {
  pending ring[AHEAD];
  size_t head = 0, tail = 0, i = 0;
  for (;;) {
    while (head - tail < AHEAD && queue_next(lex, text, toks, ntok, &i, &ring[head % AHEAD]))
      head++;
    if (head == tail) return;
    const pending *p = &ring[tail++ % AHEAD];
    out[p->tok] = number_hashed(lex, p->buf, p->n, p->h);
  }
}

const nerq_entry *nerq_lexicon_span(const nerq_lexicon *lex,
                                    const char *text,
                                    const nerq_token *toks, size_t first,
                                    size_t end) {
  if (end <= first) return NULL;
  size_t a = toks[first].off, b = nerq_tok_end(toks, end - 1);
  return nerq_lexicon_get(lex, text + a, b - a);
}

const char *nerq_lexicon_list_name(const nerq_lexicon *lex, int id) {
  return id >= 0 && id < lex->nlists ? lex->lists[id] : NULL;
}

int nerq_lexicon_find_list(const nerq_lexicon *lex, const char *name) {
  for (int i = 0; i < lex->nlists; i++)
    if (!strcmp(lex->lists[i], name)) return i;
  return -1;
}

int nerq_lexicon_list_id(nerq_lexicon *lex, const char *name) {
  int i = nerq_lexicon_find_list(lex, name);
  if (i >= 0) return i;
  if (lex->nlists >= NERQ_MAX_LISTS) return -1;
  char *copy = nerq_arena_strndup(lex->arena, name, strlen(name));
  if (!copy) return -1;
  lex->lists[lex->nlists] = copy;
  return lex->nlists++;
}

int nerq_lexicon_has(const nerq_lexicon *lex, int id, const char *s,
                     size_t n) {
  if (id < 0) return 0;
  const nerq_entry *e = nerq_lexicon_get(lex, s, n);
  return e && (e->lists >> id) & 1;
}

size_t nerq_lexicon_size(const nerq_lexicon *lex) { return lex->count; }

int nerq_lexicon_max_tokens(const nerq_lexicon *lex) {
  return lex->max_tokens > NERQ_MAX_KEY_TOKENS ? NERQ_MAX_KEY_TOKENS
                                               : lex->max_tokens;
}

int nerq_lexicon_add_gaz(nerq_lexicon *lex, nerq_entry *e, nerq_gaz *rec) {
  if (lex->mapped) return -1;
  if (e->gaz) {
    nerq_gaz *g = (nerq_gaz *)lex->gaztab[e->gaz - 1];
    while (g->next) g = g->next;
    g->next = rec;
    return 0;
  }
  if (lex->ngaz == lex->capgaz) {
    size_t cap = lex->capgaz ? lex->capgaz * 2 : 1024;
    const nerq_gaz **nt = realloc(lex->gaztab, cap * sizeof *nt);
    if (!nt) return -1;
    lex->gaztab = nt;
    lex->capgaz = cap;
  }
  lex->gaztab[lex->ngaz++] = rec;
  e->gaz = (uint32_t)lex->ngaz;
  return 0;
}

const nerq_gaz *nerq_lexicon_gaz(const nerq_lexicon *lex, const nerq_entry *e) {
  if (!e || !e->gaz || e->gaz > lex->ngaz) return NULL;
  return lex->mapped ? nerq_lexicon_map_gaz(lex, e->gaz - 1) : lex->gaztab[e->gaz - 1];
}

size_t nerq_lexicon_frozen_misses(const nerq_lexicon *lex) { return lex->frozen_misses; }

long nerq_lexicon_entry_index(const nerq_lexicon *lex, const nerq_entry *e) {
  const slot *sl = (const slot *)e; /* an entry is the first member of its slot */
  for (size_t k = 0; e && k < lex->nblocks; k++)
    if (sl >= lex->blocks[k] && sl < lex->blocks[k] + BLOCK_SIZE) {
      size_t i = (k << BLOCK_BITS) + (size_t)(sl - lex->blocks[k]);
      return i < lex->count ? (long)i : -1;
    }
  return -1;
}

const nerq_entry *nerq_lexicon_entry_at(const nerq_lexicon *lex, size_t i) {
  return i < lex->count ? &slot_at(lex, i)->entry : NULL;
}
