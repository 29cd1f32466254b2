/* tokenize.c - stage 2: text to token spans {offset, length, flags}.
 *
 * Words keep inner hyphens (e-commerce, AI-powered, pro-Trump), inner
 * apostrophes (O'Brien, don't) and ampersands (AT&T); a possessive ’s is
 * its own token so that "China’s" gives China. Abbreviations from the
 * `abbreviations` list and initials (U.S., J.) keep their periods. A
 * period between a lower-case word and a capital ("difference.China")
 * splits. URLs and e-mail addresses are single tokens. */
#include <string.h>
#include <utf8proc.h>

#include "lexicon.h"
#include "util.h"

typedef struct {
  const char *s;
  size_t len;
  const nerq_lexicon *lex;
  int abbr_list;
  int suffix_list; /* compound_suffixes: "London-based" splits */
} scan;

static int32_t cp_at(const scan *sc, size_t i, size_t *n) {
  unsigned char c = (unsigned char)sc->s[i];
  if (c < 0x80) {
    *n = 1;
    return c;
  }
  int32_t cp = 0xFFFD;
  utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)sc->s + i,
                                        (utf8proc_ssize_t)(sc->len - i), &cp);
  *n = k > 0 ? (size_t)k : 1;
  return cp;
}

static int is_wordc(int32_t c) {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
  utf8proc_category_t k = utf8proc_category(c);
  return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_NO) &&
         c != 0xFFFD;
}

static int is_spacec(int32_t c) {
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
      c == '\v' || c == 0 || c == 0xFEFF || c == 0x200B)
    return 1;
  if (c < 0x80) return 0;
  utf8proc_category_t k = utf8proc_category(c);
  return k == UTF8PROC_CATEGORY_ZS || k == UTF8PROC_CATEGORY_ZL ||
         k == UTF8PROC_CATEGORY_ZP;
}

static int is_apos(int32_t c) { return c == '\'' || c == 0x2019; }

static int is_quotec(int32_t c) {
  switch (c) {
  case '"':
  case '\'':
  case 0x201C:
  case 0x201D:
  case 0x2018:
  case 0x2019:
  case 0xAB:
  case 0xBB:
  case 0x201E:
  case 0x201F:
  case 0x2039:
  case 0x203A:
  case 0x201A:
    return 1;
  }
  return 0;
}

static int wordc_at(const scan *sc, size_t i) {
  size_t n;
  return i < sc->len && is_wordc(cp_at(sc, i, &n));
}

static int upper_at(const scan *sc, size_t i) {
  size_t n;
  if (i >= sc->len) return 0;
  int32_t c = cp_at(sc, i, &n);
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return utf8proc_category(c) == UTF8PROC_CATEGORY_LU;
}

/* ASCII classes: 1 letter or digit, 2 white space, 4 upper, 8 lower,
 * 16 digit (bytes of 0x80 and above are 0: see utf8proc). */
enum { A_ALNUM = 1,
       A_SPACE = 2,
       A_UPPER = 4,
       A_LOWER = 8,
       A_DIGIT = 16 };
static const unsigned char ascii_class[256] = {
    2, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 0, 0, 0, 0, 0, 0,
    0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 0, 0, 0, 0, 0,
    0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

static int ascii_alnum(unsigned char c) { return ascii_class[c] & A_ALNUM; }

static size_t word_run(const scan *sc, size_t i) {
  size_t n;
  for (;;) {
    while (i < sc->len && ascii_alnum((unsigned char)sc->s[i])) i++; /* fast path */
    if (i >= sc->len || (unsigned char)sc->s[i] < 0x80 || !is_wordc(cp_at(sc, i, &n)))
      return i;
    i += n;
  }
}

/* True if s[b..i) followed by '.' is a listed abbreviation. */
static int abbrev_here(const scan *sc, size_t b, size_t i) {
  if (sc->abbr_list < 0 || i >= sc->len || sc->s[i] != '.') return 0;
  return nerq_lexicon_has(sc->lex, sc->abbr_list, sc->s + b, i - b + 1);
}

/* Extends a word over "U.S.A." style initials; returns the new end. */
static size_t initials(const scan *sc, size_t b, size_t i) {
  size_t n;
  if (i - b != 1 && !(i - b == 2 && (unsigned char)sc->s[b] >= 0x80))
    return i;
  while (i + 1 < sc->len && sc->s[i] == '.' && wordc_at(sc, i + 1)) {
    size_t j = i + 1;
    cp_at(sc, j, &n);
    if (j + n < sc->len && wordc_at(sc, j + n)) return i;
    i = j + n;
  }
  return i;
}

/* True if the hyphenated part s[from..to) is a listed compound suffix
 * ("based", "born", "owned") after a capitalised word, so that
 * "London-based" gives London, -, based. */
static int splits_off(const scan *sc, size_t b, size_t from, size_t to) {
  if (sc->suffix_list < 0 || !upper_at(sc, b)) return 0;
  return nerq_lexicon_has(sc->lex, sc->suffix_list, sc->s + from, to - from);
}

/* The end of the word starting at b; sets *flags for hyphens. */
static size_t word_end(const scan *sc, size_t b, uint32_t *flags) {
  size_t i = word_run(sc, b), n;
  for (;;) {
    if (i + 1 >= sc->len) break;
    int32_t c = cp_at(sc, i, &n);
    size_t next = i + n;
    if ((c == '-' || c == 0x2010 || c == '&' || c == '_') && wordc_at(sc, next)) {
      size_t e = word_run(sc, next);
      if (c != '&' && splits_off(sc, b, next, e)) break;
      if (c != '&') *flags |= TOK_HYPHEN;
      i = e;
    } else if (is_apos(c) && wordc_at(sc, next)) {
      size_t k;
      int32_t s = cp_at(sc, next, &k);
      if ((s == 's' || s == 'S') && !wordc_at(sc, next + k)) break;
      i = word_run(sc, next);
    } else if (c == '.' && wordc_at(sc, next) &&
               ((sc->s[i - 1] >= '0' && sc->s[i - 1] <= '9') ||
                !upper_at(sc, next))) {
      size_t j = word_run(sc, next); /* decimals, domains: amazon.com */
      if (j - next > 1 && (sc->s[i - 1] >= '0' && sc->s[i - 1] <= '9') !=
                              (sc->s[next] >= '0' && sc->s[next] <= '9'))
        break;
      i = j;
    } else break;
  }
  size_t e = initials(sc, b, i);
  if (e != i) return e < sc->len && sc->s[e] == '.' ? e + 1 : e;
  return i;
}

static size_t url_end(const scan *sc, size_t i) {
  while (i < sc->len) {
    size_t n;
    int32_t c = cp_at(sc, i, &n);
    if (is_spacec(c) || c == '<' || c == '>' || c == '"' || c == 0x201C ||
        c == 0x201D)
      break;
    i += n;
  }
  while (i > 0 && strchr(".,;:!?)]'", sc->s[i - 1])) i--;
  return i;
}

static int starts_url(const scan *sc, size_t i) {
  const char *p = sc->s + i;
  if (*p != 'h' && *p != 'w') return 0;
  size_t left = sc->len - i;
  return (left > 7 && !strncmp(p, "http://", 7)) ||
         (left > 8 && !strncmp(p, "https://", 8)) ||
         (left > 4 && !strncmp(p, "www.", 4) && wordc_at(sc, i + 4));
}

/* e-mail: word@word.word */
static size_t email_end(const scan *sc, size_t b, size_t i) {
  if (i >= sc->len || sc->s[i] != '@' || !wordc_at(sc, i + 1)) return 0;
  size_t j = i + 1, n;
  int dot = 0;
  while (j < sc->len) {
    int32_t c = cp_at(sc, j, &n);
    if (c == '.' && wordc_at(sc, j + 1)) dot = 1;
    else if (!is_wordc(c) && c != '-') break;
    j += n;
  }
  (void)b;
  return dot ? j : 0;
}

/* Case flags of an all-ASCII token, or ~0u if it is not all ASCII. */
static uint32_t ascii_case_flags(const scan *sc, size_t b, size_t e) {
  uint32_t f = 0;
  int letters = 0, upper = 0;
  for (size_t i = b; i < e; i++) {
    unsigned char c = (unsigned char)sc->s[i];
    if (c >= 0x80) return ~0u;
    unsigned k = ascii_class[c];
    if (!f && (k & (A_UPPER | A_LOWER | A_DIGIT)))
      f = k & A_UPPER ? TOK_CAP : k & A_LOWER ? TOK_LOWER
                                              : TOK_NUM;
    letters += (k & (A_UPPER | A_LOWER)) != 0;
    upper += (k & A_UPPER) != 0;
  }
  if (letters >= 2 && upper == letters) f |= TOK_UPPER;
  return f;
}

/* Case flags from the letters of s[b..e). */
static uint32_t case_flags(const scan *sc, size_t b, size_t e) {
  uint32_t fast = ascii_case_flags(sc, b, e);
  if (fast != ~0u) return fast;
  uint32_t f = 0;
  int letters = 0, upper = 0, first = 1;
  size_t n;
  for (size_t i = b; i < e; i += n) {
    int32_t c = cp_at(sc, i, &n);
    int is_up, is_low;
    if (c < 0x80) {
      is_up = c >= 'A' && c <= 'Z';
      is_low = c >= 'a' && c <= 'z';
    } else {
      utf8proc_category_t k = utf8proc_category(c);
      is_up = k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LT;
      is_low = k == UTF8PROC_CATEGORY_LL;
    }
    if (!is_up && !is_low) {
      if (first && c >= '0' && c <= '9') {
        f |= TOK_NUM;
        first = 0;
      }
      continue;
    }
    if (first) f |= is_up ? TOK_CAP : TOK_LOWER;
    first = 0;
    letters++;
    upper += is_up;
  }
  if (letters >= 2 && upper == letters) f |= TOK_UPPER;
  return f;
}

/* Appends token [b, e) to v, whose first NERQ_TOK_HEAD items are the
 * header; a long one's length goes to longs. */
static int push_tok(nerq_arena *a, nerq_vec *v, nerq_vec *longs, size_t b, size_t e,
                    uint32_t flags) {
  nerq_token *t = v->count < v->cap ? NERQ_VEC_AT(v, nerq_token, v->count++) /* room */
                                    : nerq_vec_push(a, v);
  if (!t) return -1;
  t->off = (uint32_t)b;
  t->flags = flags;
  t->len7 = e - b < NERQ_TOK_LONG ? (uint32_t)(e - b) : NERQ_TOK_LONG;
  if (e - b < NERQ_TOK_LONG) return 0;
  nerq_tok_long *l = nerq_vec_push(a, longs);
  if (!l) return -1;
  *l = (nerq_tok_long){(uint32_t)(v->count - 1 - NERQ_TOK_HEAD), (uint32_t)(e - b)};
  return 0;
}

static const nerq_tok_head *tok_head(const nerq_token *toks) {
  return (const nerq_tok_head *)(const void *)(toks - NERQ_TOK_HEAD);
}

static int long_before(const void *item, const void *key) {
  return ((const nerq_tok_long *)item)->tok < *(const uint32_t *)key;
}

uint32_t nerq_tok_long_len(const nerq_token *toks, size_t i) {
  const nerq_tok_head *h = tok_head(toks);
  uint32_t key = (uint32_t)i;
  size_t k = nerq_lower_bound(h->longs, h->nlong, sizeof *h->longs, &key, long_before);
  return k < h->nlong && h->longs[k].tok == key ? h->longs[k].len : NERQ_TOK_LONG;
}

void nerq_tokens_release(nerq_arena *a, nerq_vec *tokens) {
  if (tokens->items) {
    nerq_token *items = tokens->items;
    nerq_arena_release(a, (void *)tok_head(items)->longs);
    nerq_arena_release(a, items - NERQ_TOK_HEAD);
  }
  nerq_vec_init(tokens, sizeof(nerq_token));
}

/* The token starting at a non-space position i; returns its end. */
/* prev_end: one past the previous token if it is a word, else 0. */
static size_t next_token(const scan *sc, size_t i, uint32_t *flags, size_t prev_end) {
  size_t n, e;
  int32_t c = cp_at(sc, i, &n);
  if (starts_url(sc, i)) {
    *flags |= TOK_URL | TOK_WORD;
    return url_end(sc, i);
  }
  if (is_wordc(c)) {
    e = word_end(sc, i, flags);
    size_t m = email_end(sc, i, e);
    if (m) {
      *flags |= TOK_URL | TOK_WORD;
      return m;
    }
    *flags |= TOK_WORD | case_flags(sc, i, e);
    if (e < sc->len && sc->s[e] == '.' && sc->s[e - 1] != '.' &&
        (abbrev_here(sc, i, e) || (e - i == 1 && (*flags & TOK_CAP)))) {
      *flags |= TOK_ABBR | (e - i == 1 && (*flags & TOK_CAP) ? TOK_INITIAL : 0);
      e++;
    }
    return e;
  }
  if (is_apos(c) && prev_end && prev_end + (*flags & TOK_SPACE ? 1 : 0) == i) {
    /* "China’s", and "Japan 's" in text detokenized with spaces (CoNLL) */
    size_t k;
    int32_t s = i + n < sc->len ? cp_at(sc, i + n, &k) : 0;
    if ((s == 's' || s == 'S') && !wordc_at(sc, i + n + k)) {
      *flags |= TOK_POSS | TOK_WORD;
      return i + n + k;
    }
    if (!(*flags & TOK_SPACE) && sc->s[i - 1] == 's' && !wordc_at(sc, i + n)) *flags |= TOK_POSS;
  }
  *flags |= TOK_PUNCT;
  if (is_quotec(c)) *flags |= TOK_QUOTE;
  if (is_apos(c)) *flags |= TOK_APOS;
  return i + n;
}

/* One past the last token of the line that token i is on (the next
 * token that starts a line, or n). */
static size_t line_end(const nerq_token *t, size_t n, size_t i) {
  size_t j = i + 1;
  while (j < n && !(t[j].flags & TOK_NEWLINE)) j++;
  return j;
}

/* Flags tokens on lines whose letters are nearly all capitals. */
static void mark_caps_lines(nerq_vec *v) {
  nerq_token *t = v->items;
  size_t i = 0;
  while (i < v->count) {
    size_t j = line_end(t, v->count, i), words = 0, upper = 0;
    for (size_t k = i; k < j; k++) {
      if (!(t[k].flags & (TOK_CAP | TOK_LOWER))) continue;
      words++;
      upper += (t[k].flags & TOK_UPPER) != 0;
    }
    if (words >= 3 && upper * 10 >= words * 8)
      for (size_t k = i; k < j; k++) t[k].flags |= TOK_CAPSLINE;
    i = j;
  }
}

/* Flags tokens on lines written in title case, as headlines are: of
 * three or more words that count (capitalised, or lower case and longer
 * than three letters: "of", "the", "and" do not), at least 80% are
 * capitalised, and the line is not a line of capitals. */
static void mark_title_lines(nerq_vec *v) {
  nerq_token *t = v->items;
  size_t i = 0;
  while (i < v->count) {
    size_t j = line_end(t, v->count, i), words = 0, caps = 0;
    for (size_t k = i; k < j && words <= 40; k++) {
      uint32_t f = t[k].flags;
      if (!(f & TOK_WORD) || (!(f & TOK_CAP) && !((f & TOK_LOWER) && t[k].len7 > 3))) continue;
      words++;
      caps += (f & TOK_CAP) != 0;
    }
    if (words >= 3 && words <= 40 && caps * 10 >= words * 8 && !(t[i].flags & TOK_CAPSLINE))
      for (size_t k = i; k < j; k++) t[k].flags |= TOK_TITLELINE;
    i = j;
  }
}

nerq_status nerq_tokens_build(nerq_arena *a, const nerq_text *t,
                              const nerq_lexicon *lex, nerq_vec *tokens) {
  scan sc = {t->text, t->len, lex,
             lex ? nerq_lexicon_find_list(lex, NERQ_LIST_ABBREV) : -1,
             lex ? nerq_lexicon_find_list(lex, "compound_suffixes") : -1};
  nerq_vec v, longs; /* v: the header, then the tokens */
  nerq_vec_init(&v, sizeof(nerq_token));
  nerq_vec_init(&longs, sizeof(nerq_tok_long));
  nerq_vec_init(tokens, sizeof(nerq_token));
  /* news averages 5-6 bytes a token: size once, grow rarely */
  v.cap = NERQ_TOK_HEAD + (t->len > 4096 ? t->len / 5 + 16 : 64);
  if (!(v.items = nerq_arena_alloc(a, v.cap * sizeof(nerq_token)))) return NERQ_ERR_NOMEM;
  v.count = NERQ_TOK_HEAD;
  size_t i = 0, n, prev_end = 0;
  uint32_t pending = 0;
  while (i < sc.len) {
    int32_t c = cp_at(&sc, i, &n);
    if (is_spacec(c)) {
      pending |= TOK_SPACE;
      if (c == '\n') pending |= pending & TOK_NEWLINE ? TOK_PARA : TOK_NEWLINE;
      i += n;
      continue;
    }
    uint32_t flags = pending;
    size_t e = next_token(&sc, i, &flags, prev_end);
    if (push_tok(a, &v, &longs, i, e, flags)) return NERQ_ERR_NOMEM;
    prev_end = flags & TOK_WORD ? e : 0;
    pending = 0;
    i = e;
  }
  nerq_tok_head head = {longs.items, longs.count};
  memcpy(v.items, &head, sizeof head);
  tokens->items = (nerq_token *)v.items + NERQ_TOK_HEAD;
  tokens->count = v.count - NERQ_TOK_HEAD;
  tokens->cap = v.cap - NERQ_TOK_HEAD;
  mark_caps_lines(tokens);
  mark_title_lines(tokens);
  return NERQ_OK;
}
