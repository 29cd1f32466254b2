/* regex_words.c - regexes that only name words: /^(the|a|an)$/,
 * /^said$/i, /(ed|es)$/, /^profits?$/. Most regex tests of the shipped
 * rules are of this kind; they are answered by comparing the token with
 * the words (test_one in pattern_match.c), and PCRE2 runs only where
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

/* Lays the words out by length in lexicon memory (see re_words). */
static re_words *lay_out(nerq_lexicon *lex, const word_list *wl, int suffix, int icase) {
  size_t total = 0;
  for (int i = 0; i < wl->n; i++) total += wl->len[i];
  re_words *rw = nerq_lexicon_alloc(lex, sizeof *rw + total);
  if (!rw) return NULL;
  memset(rw, 0, sizeof *rw);
  rw->suffix = suffix;
  rw->icase = icase;
  char *pool = (char *)(rw + 1);
  size_t at = 0;
  for (int n = 1; n <= RE_WORDS_MAX; n++) {
    rw->off[n] = (uint16_t)at;
    for (int i = 0; i < wl->n; i++)
      if (wl->len[i] == n) {
        memcpy(pool + at, wl->w[i], (size_t)n);
        at += (size_t)n;
      }
  }
  rw->off[RE_WORDS_MAX + 1] = (uint16_t)at;
  rw->pool = pool;
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

/* Whether the n bytes at s (at most RE_WORDS_TOKEN, lower-cased if the
 * regex is caseless) are a word of rw (or end with one, for a suffix). */
static int words_hit(const re_words *rw, const char *s, size_t n) {
  for (size_t len = rw->suffix ? 1 : n; len <= n && len <= RE_WORDS_MAX; len++) {
    const char *w = rw->pool + rw->off[len], *end = rw->pool + rw->off[len + 1];
    for (; w < end; w += len)
      if (!memcmp(w, s + n - len, len)) return 1;
  }
  return 0;
}

int nerq_re_words_match(const re_words *rw, const char *s, size_t n) {
  char low[RE_WORDS_TOKEN];
  if (n > RE_WORDS_TOKEN || (n && s[n - 1] == '\n')) return -1;
  if (rw->icase) {
    for (size_t i = 0; i < n; i++) {
      if ((unsigned char)s[i] >= 0x80) return -1;
      low[i] = lower(s[i], 1);
    }
    s = low;
  }
  return words_hit(rw, s, n);
}
