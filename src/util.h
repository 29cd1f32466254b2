/* util.h - small helpers that several modules share, each written once:
 * the binary search and the FNV-1a hash. (The ASCII case-insensitive compare is
 * nerq_ascii_caseeq in lexicon.h, the string comparator nerq_str_cmp in
 * nerq.h.) */
#ifndef NERQ_UTIL_H
#define NERQ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a, 64 bits: the hash of n bytes at s, from h (NERQ_HASH_SEED to
 * start); and of a NUL-terminated string from the seed. */
#define NERQ_HASH_SEED 1469598103934665603ull
static inline uint64_t nerq_fnv1a(uint64_t h, const void *s, size_t n) {
  const unsigned char *p = s;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}
static inline uint64_t nerq_fnv1a_str(const char *s) {
  uint64_t h = NERQ_HASH_SEED;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

/* The one binary search: the first index i of base[0..n) (items of
 * `size` bytes, ordered so that before(item, key) holds on a prefix)
 * where before(&base[i], key) is false; n when it holds for every item. */
static inline size_t nerq_lower_bound(const void *base, size_t n, size_t size, const void *key,
                                      int (*before)(const void *item, const void *key)) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (before((const char *)base + mid * size, key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

#endif /* NERQ_UTIL_H */
