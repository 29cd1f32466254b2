/* regex_words.c - regexes that only name words: /^(the|a|an)$/,
 * /^said$/i, /(ed|es)$/, /^profits?$/. Most regex tests of the shipped
 * rules are of this kind; they are answered by comparing the token with
 * the words (test_set_or_re in pattern_match.c), and PCRE2 runs only where
 * that could differ from what it says:
 *  - a token longer than RE_WORDS_TOKEN bytes (where a limit could run
 *    out: that must stay a runaway, see nerq_rule_match);
 *  - a token ending in a line feed (`$` also matches before one);
 *  - a caseless regex on a token with a non-ASCII byte (in UTF mode
 *    caseless 's' also matches U+017F and 'k' U+212A).
 * Words are ASCII letters, digits and ' & _ -, each optionally followed
 * by ? (that character is optional); anything else keeps the regex. */
#include <string.h>

#include "pattern_impl.h"

#define MAX_WORDS 128
#define MAX_QMARKS 3

static int word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '\'' || c == '&' || c == '_' || c == '-';
}

static char lower(char c, int icase) { return icase && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

typedef struct {
  char w[MAX_WORDS][RE_WORDS_MAX];
  uint8_t len[MAX_WORDS];
  int n;
} word_list;

/* Adds every spelling of the word at s[0..n) (each char before a ? there
 * or not); 0 if it is not a plain word or there are too many. */
static int add_word(word_list *wl, const char *s, size_t n, int icase) {
  int q = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '?' && i > 0 && s[i - 1] != '?') q++;
    else if (!word_char(s[i])) return 0;
  }
  if (n == 0 || q > MAX_QMARKS) return 0;
  for (int v = 0; v < 1 << q; v++) {
    if (wl->n == MAX_WORDS) return 0;
    char *w = wl->w[wl->n];
    size_t k = 0;
    int bit = 0;
    for (size_t i = 0; i < n; i++) {
      if (s[i] == '?') continue;
      int optional = i + 1 < n && s[i + 1] == '?';
      if (optional && !((v >> bit++) & 1)) continue;
      if (k == RE_WORDS_MAX) return 0;
      w[k++] = lower(s[i], icase);
    }
    if (k == 0) return 0;
    wl->len[wl->n++] = (uint8_t)k;
  }
  return 1;
}

/* The words of a body "(w1|w2|...)" or "w". */
static int body_words(word_list *wl, const char *s, size_t n, int icase) {
  if (n >= 2 && s[0] == '(' && s[n - 1] == ')') {
    s++;
    n -= 2;
  } else if (memchr(s, '|', n)) {
    return 0; /* ^a|b$ is (^a)|(b$) */
  }
  for (size_t i = 0, from = 0; i <= n; i++)
    if (i == n || s[i] == '|') {
      if (!add_word(wl, s + from, i - from, icase)) return 0;
      from = i + 1;
    }
  return 1;
}

static uint32_t hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* The hash table of a whole-token regex: 2 slots or more a word, each 0
 * or the word's offset in the pool and length (off << 6 | len). */
static void fill_slots(re_words *rw, uint32_t *slots) {
  for (int n = 1; n <= RE_WORDS_MAX; n++)
    for (int o = rw->off[n]; o < rw->off[n + 1]; o += n) {
      uint32_t i = hash(rw->pool + o, (size_t)n) & rw->mask;
      while (slots[i]) {
        uint32_t len = slots[i] & 63;
        if (len == (uint32_t)n && !memcmp(rw->pool + (slots[i] >> 6), rw->pool + o, len)) break;
        i = (i + 1) & rw->mask; /* a word spelt twice is kept once */
      }
      slots[i] = (uint32_t)o << 6 | (uint32_t)n;
    }
}

/* Lays the words out by length in lexicon memory (see re_words). */
static re_words *lay_out(nerq_lexicon *lex, const word_list *wl, int suffix, int icase) {
  size_t total = 0, nslots = 4;
  while (nslots < 2 * (size_t)wl->n) nslots *= 2;
  for (int i = 0; i < wl->n; i++) total += wl->len[i];
  re_words *rw = nerq_lexicon_alloc(lex, sizeof *rw + nslots * sizeof(uint32_t) + total);
  if (!rw) return NULL;
  memset(rw, 0, sizeof *rw + nslots * sizeof(uint32_t));
  rw->suffix = suffix;
  rw->icase = icase;
  uint32_t *slots = (uint32_t *)(rw + 1);
  char *pool = (char *)(slots + nslots);
  size_t at = 0;
  for (int n = 1; n <= RE_WORDS_MAX; n++) {
    rw->off[n] = (uint16_t)at;
    for (int i = 0; i < wl->n; i++)
      if (wl->len[i] == n) {
        memcpy(pool + at, wl->w[i], (size_t)n);
        at += (size_t)n;
        rw->lens |= 1ull << n;
      }
  }
  rw->off[RE_WORDS_MAX + 1] = (uint16_t)at;
  rw->pool = pool;
  rw->slots = slots;
  rw->mask = (uint32_t)nslots - 1;
  fill_slots(rw, slots);
  return rw;
}

re_words *nerq_re_words(nerq_lexicon *lex, const char *re, size_t n, int icase) {
  word_list wl;
  int anchored = n > 0 && re[0] == '^';
  if (anchored) {
    re++;
    n--;
  }
  if (n < 2 || re[n - 1] != '$') return NULL;
  wl.n = 0;
  if (!body_words(&wl, re, n - 1, icase)) return NULL;
  return lay_out(lex, &wl, !anchored, icase);
}

static int same(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/* Whether the n bytes at s (lower-cased if the regex is caseless) end
 * with a word of a suffix regex. */
static int suffix_hit(const re_words *rw, const char *s, size_t n) {
  for (size_t len = 1; len <= n && len <= RE_WORDS_MAX; len++) {
    const char *w = rw->pool + rw->off[len], *end = rw->pool + rw->off[len + 1];
    for (; w < end; w += len)
      if (same(w, s + n - len, len)) return 1;
  }
  return 0;
}

/* Whether the n bytes at s (as above, n <= RE_WORDS_MAX) are a word. */
static int whole_hit(const re_words *rw, const char *s, size_t n) {
  for (uint32_t i = hash(s, n) & rw->mask;; i = (i + 1) & rw->mask) {
    uint32_t e = rw->slots[i];
    if (!e) return 0;
    if ((e & 63) == n && same(rw->pool + (e >> 6), s, n)) return 1;
  }
}

static int ascii(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80) return 0;
  return 1;
}

int nerq_re_words_match(const re_words *rw, const char *s, size_t n) {
  char low[RE_WORDS_TOKEN];
  if (n > RE_WORDS_TOKEN || (n && s[n - 1] == '\n')) return -1;
  if (!rw->suffix && (n > RE_WORDS_MAX || !((rw->lens >> n) & 1)))
    return rw->icase && !ascii(s, n) ? -1 : 0; /* no word of that length */
  if (rw->icase) {
    for (size_t i = 0; i < n; i++) {
      if ((unsigned char)s[i] >= 0x80) return -1;
      low[i] = lower(s[i], 1);
    }
    s = low;
  }
  return rw->suffix ? suffix_hit(rw, s, n) : whole_hit(rw, s, n);
}
