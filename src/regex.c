/* regex.c - the distinct regexes of a rule set (pattern_impl.h): each
 * text and options compiled once however many rules use it, and made
 * ready (compiled if it came from an image, its first-byte table, its
 * JIT code) on first use, under one lock. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pattern_impl.h"
#include "util.h"

nerq_regex_set *nerq_regex_set_new(void) { return calloc(1, sizeof(nerq_regex_set)); }

void nerq_regex_set_free(nerq_regex_set *set) {
  if (!set) return;
  for (size_t i = 0; i < set->n; i++) pcre2_code_free(set->all[i]->code);
  for (size_t i = 0; i < set->n; i++) free(set->all[i]);
  free(set->all);
  free(set);
}

static size_t bucket_of(const char *src, size_t len, uint32_t opts) {
  return (size_t)(nerq_fnv1a(NERQ_HASH_SEED ^ opts, src, len) % 64);
}

nerq_regex *nerq_regex_add(nerq_regex_set *set, const char *src, size_t len, uint32_t opts) {
  if (set->n == set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 64;
    nerq_regex **all = realloc(set->all, cap * sizeof *all);
    if (!all) return NULL;
    set->all = all;
    set->cap = cap;
  }
  nerq_regex *rx = calloc(1, sizeof *rx + len + 1);
  if (!rx) return NULL;
  char *text = (char *)(rx + 1);
  memcpy(text, src, len);
  rx->src = text;
  rx->len = len;
  rx->opts = opts;
  rx->id = (uint32_t)set->n;
  size_t b = bucket_of(src, len, opts);
  rx->next = set->bucket[b];
  set->bucket[b] = rx;
  set->all[set->n++] = rx;
  return rx;
}

nerq_regex *nerq_regex_get(nerq_regex_set *set, const char *src, size_t len, uint32_t opts,
                           int *err, size_t *off) {
  *err = 0;
  *off = 0;
  for (nerq_regex *rx = set->bucket[bucket_of(src, len, opts)]; rx; rx = rx->next)
    if (rx->opts == opts && rx->len == len && !memcmp(rx->src, src, len)) return rx;
  PCRE2_SIZE at = 0;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)src, len, opts, err, &at, NULL);
  *off = (size_t)at;
  if (!code) return NULL;
  nerq_regex *rx = nerq_regex_add(set, src, len, opts);
  if (!rx) pcre2_code_free(code), *err = 0;
  else rx->code = code;
  return rx;
}

static pthread_mutex_t regex_lock = PTHREAD_MUTEX_INITIALIZER;

/* The table is made before the JIT code, as its partial matches run in
 * the interpreter. A regex of an image compiled when the image was made,
 * with the same PCRE2 (image.c refuses an image of another PCRE2 version,
 * and a damaged one): should it fail all the same, it matches nothing. */
void nerq_regex_prepare(nerq_regex *rx) {
  pthread_mutex_lock(&regex_lock);
  if (!atomic_load_explicit(&rx->ready, memory_order_relaxed)) {
    int err;
    PCRE2_SIZE off;
    if (!rx->code) rx->code = pcre2_compile((PCRE2_SPTR)rx->src, rx->len, rx->opts, &err, &off, NULL);
    if (!rx->first_done) nerq_re_first_bytes(rx);
    /* else the interpreter (re_match in pattern_match.c) */
    rx->jit_ok = rx->code && pcre2_jit_compile(rx->code, PCRE2_JIT_COMPLETE) == 0;
    atomic_store_explicit(&rx->ready, 1, memory_order_release);
  }
  pthread_mutex_unlock(&regex_lock);
}

/* For a regex anchored at the start, the bytes a matching token can
 * begin with: each printable ASCII byte alone is a partial subject, and
 * PCRE2 says if any text starting with it could match. Other bytes are
 * taken as possible, and so is every byte of a regex with assertions
 * (re_plain). Lets a token be refused without running the regex.
 * Exact for the runaway accounting (nerq_rule_match): a byte is refused
 * only if the regex gave up on it within RE_FIRST_LIMIT backtracking
 * steps, far below a document's RE_MATCH_LIMIT, and no text starting
 * with that byte can take it further (nothing of the regex consumes
 * it), so no token refused could have run out of a regex limit. */
#define RE_FIRST_LIMIT 1000
static int re_plain(const nerq_regex *rx) {
  for (size_t i = 0; i + 1 < rx->len; i++)
    if ((rx->src[i] == '(' && rx->src[i + 1] == '?') ||
        (rx->src[i] == '\\' && (rx->src[i + 1] == 'b' || rx->src[i + 1] == 'B')))
      return 0; /* assertions: partial matching would not be the whole story */
  return 1;
}

void nerq_re_first_bytes(nerq_regex *rx) {
  uint32_t opts = 0;
  if (!rx->code) return; /* (from an image: made when it is compiled) */
  rx->first_done = 1;
  if (!re_plain(rx)) return;
  pcre2_pattern_info(rx->code, PCRE2_INFO_ALLOPTIONS, &opts);
  if (!(opts & PCRE2_ANCHORED)) return;
  pcre2_match_data *md = pcre2_match_data_create(1, NULL);
  pcre2_match_context *mc = pcre2_match_context_create(NULL);
  if (!md || !mc) goto done;
  pcre2_set_match_limit(mc, RE_FIRST_LIMIT); /* (see above) */
  pcre2_set_depth_limit(mc, RE_FIRST_LIMIT);
  memset(rx->first, 0xff, sizeof rx->first);
  for (int c = 0x21; c < 0x7f; c++) {
    PCRE2_UCHAR8 s[1] = {(PCRE2_UCHAR8)c};
    int rc = pcre2_match(rx->code, s, 1, 0, PCRE2_PARTIAL_SOFT, md, mc);
    if (rc == PCRE2_ERROR_NOMATCH) rx->first[c >> 3] &= (uint8_t) ~(1u << (c & 7));
  }
  rx->has_first = 1;
done:
  pcre2_match_context_free(mc);
  pcre2_match_data_free(md);
}
