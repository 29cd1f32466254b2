/* jsonw.c - the one JSON writer: values go straight into a nerq_buf,
 * compact, or indented by two spaces in exactly the layout of jansson's
 * JSON_INDENT(2) (", " never; ",\n" and ": "; empty containers as {}
 * and []). Strings are escaped as jansson escapes them. Nothing written
 * here is ever parsed back. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "jsonw.h"

/* Appends a string literal. */
#define put_lit(b, lit) nerq_buf_put((b), (lit), sizeof(lit) - 1)

void nerq_jw_init(nerq_jw *w, nerq_buf *b, int pretty) {
  memset(w, 0, sizeof *w);
  w->b = b;
  w->pretty = pretty;
}

void nerq_jw_set_sink(nerq_jw *w, nerq_write_fn write, void *ctx) {
  w->write = write;
  w->write_ctx = ctx;
}

nerq_status nerq_jw_piece(nerq_jw *w, int last) {
  if (w->b->failed) return NERQ_ERR_NOMEM;
  if (w->write_failed) return NERQ_ERR_IO;
  if (!w->write || !w->b->n || (!last && w->b->n < NERQ_JW_PIECE)) return NERQ_OK;
  w->write_failed = w->write(w->write_ctx, w->b->s, w->b->n) != 0;
  w->b->n = 0;
  return w->write_failed ? NERQ_ERR_IO : NERQ_OK;
}

void nerq_jw_release(nerq_jw *w) {
  if (w->stack != w->small) free(w->stack);
  w->stack = NULL;
}

static void newline_indent(nerq_jw *w, size_t depth) {
  static const char spaces[] = "                                ";
  put_lit(w->b, "\n");
  for (size_t n = depth * 2; n;) {
    size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
    nerq_buf_put(w->b, spaces, k);
    n -= k;
  }
}

/* The separator before a value: none after a key, else a comma after
 * an earlier element, and in pretty mode a new line. */
static void before_value(nerq_jw *w) {
  if (w->after_key) {
    w->after_key = 0;
    return;
  }
  if (!w->depth) return;
  unsigned char *top = &w->stack[w->depth - 1];
  if (*top & 1) put_lit(w->b, ",");
  *top |= 1;
  if (w->pretty) newline_indent(w, w->depth);
}

static int push(nerq_jw *w, unsigned char kind) {
  if (!w->stack) {
    w->stack = w->small;
    w->cap = sizeof w->small;
  }
  if (w->depth == w->cap) {
    size_t cap = w->cap * 2;
    unsigned char *s = malloc(cap);
    if (!s) {
      w->b->failed = 1;
      return 0;
    }
    memcpy(s, w->stack, w->depth);
    if (w->stack != w->small) free(w->stack);
    w->stack = s;
    w->cap = cap;
  }
  w->stack[w->depth++] = kind;
  return 1;
}

void nerq_jw_open(nerq_jw *w, char c) {
  before_value(w);
  nerq_buf_put(w->b, &c, 1);
  push(w, c == '{' ? 2 : 0);
}

void nerq_jw_close(nerq_jw *w, char c) {
  if (!w->depth) {
    w->b->failed = 1;
    return;
  }
  unsigned char top = w->stack[--w->depth];
  if ((top & 1) && w->pretty) newline_indent(w, w->depth);
  nerq_buf_put(w->b, &c, 1);
}

/* s[0..n) escaped as inside a JSON string (valid UTF-8 assumed). */
static void put_escaped(nerq_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    nerq_buf_put(b, s + run, i - run);
    run = i + 1;
    char esc[7] = {'\\', 0};
    switch (c) {
    case '"':
    case '\\':
      esc[1] = (char)c;
      nerq_buf_put(b, esc, 2);
      break;
    case '\b': put_lit(b, "\\b"); break;
    case '\f': put_lit(b, "\\f"); break;
    case '\n': put_lit(b, "\\n"); break;
    case '\r': put_lit(b, "\\r"); break;
    case '\t': put_lit(b, "\\t"); break;
    default:
      memcpy(esc + 1, "u00", 3);
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      nerq_buf_put(b, esc, 6);
    }
  }
  nerq_buf_put(b, s + run, n - run);
}

static void key_begin(nerq_jw *w) {
  w->after_key = 0;
  before_value(w);
}

static void key_end(nerq_jw *w) {
  if (w->pretty) put_lit(w->b, ": ");
  else put_lit(w->b, ":");
  w->after_key = 1;
}

void nerq_jw_key(nerq_jw *w, const char *key, size_t n) {
  key_begin(w);
  put_lit(w->b, "\"");
  put_escaped(w->b, key, n);
  put_lit(w->b, "\"");
  key_end(w);
}

void nerq_jw_str(nerq_jw *w, const char *s, size_t n) {
  before_value(w);
  put_lit(w->b, "\"");
  put_escaped(w->b, s, n);
  put_lit(w->b, "\"");
}

void nerq_jw_str_part(nerq_jw *w, const char *s, size_t n, int part) {
  if (part & NERQ_JW_FIRST) {
    before_value(w);
    put_lit(w->b, "\"");
  }
  put_escaped(w->b, s, n);
  if (part & NERQ_JW_LAST) put_lit(w->b, "\"");
}

/* Each ill-formed byte of s[0..n) becomes U+FFFD. */
void nerq_jw_str_repair(nerq_jw *w, const char *s, size_t n) {
  nerq_jw_str_part(w, "", 0, NERQ_JW_FIRST);
  size_t run = 0, i = 0;
  while (i < n) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &cp);
    if (k > 0) {
      i += (size_t)k;
      continue;
    }
    put_escaped(w->b, s + run, i - run);
    put_lit(w->b, "\xEF\xBF\xBD");
    run = ++i;
  }
  nerq_jw_str_part(w, s + run, n - run, NERQ_JW_LAST);
}

void nerq_jw_cstr(nerq_jw *w, const char *s) {
  if (s) nerq_jw_str(w, s, strlen(s));
  else nerq_jw_null(w);
}

void nerq_jw_null(nerq_jw *w) {
  before_value(w);
  put_lit(w->b, "null");
}

void nerq_jw_num(nerq_jw *w, size_t v) {
  char num[24];
  size_t k = sizeof num;
  do num[--k] = (char)('0' + v % 10);
  while ((v /= 10) && k);
  before_value(w);
  nerq_buf_put(w->b, num + k, sizeof num - k);
}

/* A string written as "<prefix><number>", as for ids like "e12". */
void nerq_jw_id(nerq_jw *w, char prefix, size_t v) {
  char num[26];
  size_t k = sizeof num;
  num[--k] = '"';
  do num[--k] = (char)('0' + v % 10);
  while ((v /= 10) && k > 2);
  num[--k] = prefix;
  num[--k] = '"';
  before_value(w);
  nerq_buf_put(w->b, num + k, sizeof num - k);
}

/* ------------------------------------------------------------------ */
/* Embedding JSON text (a JSONL line's other fields): tokens are copied
 * verbatim, whitespace between them is dropped and the layout is the
 * writer's. A light check of the structure rejects malformed text. */

enum { R_VALUE,
       R_VALUE_OR_CLOSE,
       R_KEY,
       R_KEY_OR_CLOSE,
       R_COLON,
       R_AFTER };

static int in_object(const nerq_jw *w) {
  return w->depth && (w->stack[w->depth - 1] & 2);
}

/* End of the string token starting at s[i] == '"', or 0 if unterminated. */
static size_t string_end(const char *s, size_t i, size_t n) {
  for (i++; i < n; i++) {
    if (s[i] == '\\') i++;
    else if (s[i] == '"') return i + 1;
  }
  return 0;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static size_t scalar_end(const char *s, size_t i, size_t n) {
  while (i < n && !is_space(s[i]) && !memchr(",:[]{}\"", s[i], 7)) i++;
  return i;
}

/* One token at s[*i]; returns the next state or -1 when malformed. */
static int raw_token(nerq_jw *w, const char *s, size_t *i, size_t n, int st, size_t base) {
  char c = s[*i];
  if (c == '{' || c == '[') {
    if (st != R_VALUE && st != R_VALUE_OR_CLOSE) return -1;
    nerq_jw_open(w, c);
    (*i)++;
    return c == '{' ? R_KEY_OR_CLOSE : R_VALUE_OR_CLOSE;
  }
  if (c == '}' || c == ']') {
    int obj = in_object(w);
    if (w->depth <= base || obj != (c == '}')) return -1;
    if (st != R_AFTER && st != (obj ? R_KEY_OR_CLOSE : R_VALUE_OR_CLOSE)) return -1;
    nerq_jw_close(w, c);
    (*i)++;
    return R_AFTER;
  }
  if (c == ',') {
    if (st != R_AFTER || w->depth <= base) return -1;
    (*i)++;
    return in_object(w) ? R_KEY : R_VALUE;
  }
  if (c == ':') {
    (*i)++;
    return st == R_COLON ? R_VALUE : -1;
  }
  int key = st == R_KEY || st == R_KEY_OR_CLOSE;
  if (!key && st != R_VALUE && st != R_VALUE_OR_CLOSE) return -1;
  size_t end = c == '"' ? string_end(s, *i, n) : scalar_end(s, *i, n);
  if (end <= *i || (key && c != '"')) return -1;
  if (key) {
    key_begin(w);
    nerq_buf_put(w->b, s + *i, end - *i);
    key_end(w);
  } else {
    before_value(w);
    nerq_buf_put(w->b, s + *i, end - *i);
  }
  *i = end;
  return key ? R_COLON : R_AFTER;
}

static int raw_walk(nerq_jw *w, const char *s, size_t n) {
  size_t base = w->depth, i = 0;
  int st = R_VALUE;
  while (i < n) {
    if (is_space(s[i])) {
      i++;
      continue;
    }
    if (st == R_AFTER && w->depth == base) return -1; /* trailing text */
    if ((st = raw_token(w, s, &i, n, st, base)) < 0) return -1;
  }
  return st == R_AFTER && w->depth == base ? 0 : -1;
}

int nerq_jw_key_raw(nerq_jw *w, const char *key, const char *raw, size_t n) {
  size_t mark = w->b->n, depth = w->depth;
  unsigned char top = depth ? w->stack[depth - 1] : 0;
  int after = w->after_key;
  nerq_jw_key(w, key, strlen(key));
  if (!raw_walk(w, raw, n) || w->b->failed) return 0;
  w->b->n = mark;
  if (w->b->s) w->b->s[mark] = '\0';
  w->depth = depth;
  if (depth) w->stack[depth - 1] = top;
  w->after_key = after;
  return -1;
}
