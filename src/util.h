/* util.h - small helpers that several modules share, each written once:
 * the binary search. (The ASCII case-insensitive compare is
 * nerq_ascii_caseeq in lexicon.h, the string comparator nerq_str_cmp in
 * nerq.h.) */
#ifndef NERQ_UTIL_H
#define NERQ_UTIL_H

#include <stddef.h>

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
