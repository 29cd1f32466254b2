/* cli_jsonl.c - one JSON Lines record split into its id, its text and
 * the raw bytes of every other field, for `nerq --input jsonl`.
 *
 * The line is checked against the JSON grammar (RFC 8259) by a small
 * scanner that keeps each member's exact bytes: fields other than the
 * id and the text come back in "meta" byte for byte (no number is
 * re-printed, no huge integer rejected, no \u0000 lost), and a string
 * id is written as its own JSON text, so ids that differ only after a
 * \u0000 stay different. Only the text (and a key with escapes) is
 * decoded, by jansson. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_DEPTH 512 /* nesting of arrays and objects, as a stack bound */

static size_t skip_ws(const char *s, size_t i, size_t n) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
  return i;
}

static int is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The end of a run of plain ASCII string bytes from u[i] (not a
 * control byte, '"', '\\' or a byte of a UTF-8 sequence), 8 bytes at a
 * time: a word holding none of them has no bit of `stop` set (a borrow
 * in the subtractions starts only at a byte that is one). */
static size_t ascii_run(const unsigned char *u, size_t i, size_t n) {
  const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, q, b;
    memcpy(&x, u + i, 8);
    q = x ^ (ones * '"');
    b = x ^ (ones * '\\');
    uint64_t stop = ((x - ones * 0x20) & ~x) | x | ((q - ones) & ~q) | ((b - ones) & ~b);
    if (stop & high) break;
  }
  while (i < n && u[i] >= 0x20 && u[i] < 0x80 && u[i] != '"' && u[i] != '\\') i++;
  return i;
}

/* End of the string starting at s[i] == '"', or 0 when malformed. */
static size_t scan_string(const char *s, size_t i, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  for (i++; i < n;) {
    i = ascii_run(u, i, n);
    if (i >= n) return 0;
    if (u[i] == '"') return i + 1;
    if (u[i] < 0x20) return 0;
    if (u[i] == '\\') {
      if (i + 1 >= n) return 0;
      char e = s[i + 1];
      if (e == 'u') {
        if (i + 6 > n || !is_hex(s[i + 2]) || !is_hex(s[i + 3]) || !is_hex(s[i + 4]) || !is_hex(s[i + 5]))
          return 0;
        i += 6;
      } else if (strchr("\"\\/bfnrt", e) && e) i += 2;
      else return 0;
      continue;
    }
    int k = nerq_utf8_seq(s + i, n - i);
    if (k <= 0) return 0;
    i += (size_t)k;
  }
  return 0;
}

static size_t digits(const char *s, size_t i, size_t n) {
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  return i;
}

/* End of the number at s[i], or 0 when malformed. */
static size_t scan_number(const char *s, size_t i, size_t n) {
  if (i < n && s[i] == '-') i++;
  if (i >= n) return 0;
  if (s[i] == '0') i++;
  else if (s[i] >= '1' && s[i] <= '9') i = digits(s, i, n);
  else return 0;
  if (i < n && s[i] == '.') {
    size_t j = digits(s, i + 1, n);
    if (j == i + 1) return 0;
    i = j;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    size_t j = digits(s, i, n);
    if (j == i) return 0;
    i = j;
  }
  return i;
}

static size_t scan_value(const char *s, size_t i, size_t n, int depth);

/* End of the array or object at s[i], or 0 when malformed. */
static size_t scan_container(const char *s, size_t i, size_t n, int depth) {
  char close = s[i] == '{' ? '}' : ']';
  if (depth >= MAX_DEPTH) return 0;
  i = skip_ws(s, i + 1, n);
  if (i < n && s[i] == close) return i + 1;
  for (;;) {
    if (close == '}') {
      if (i >= n || s[i] != '"' || !(i = scan_string(s, i, n))) return 0;
      i = skip_ws(s, i, n);
      if (i >= n || s[i] != ':') return 0;
      i = skip_ws(s, i + 1, n);
    }
    if (!(i = scan_value(s, i, n, depth + 1))) return 0;
    i = skip_ws(s, i, n);
    if (i < n && s[i] == close) return i + 1;
    if (i >= n || s[i] != ',') return 0;
    i = skip_ws(s, i + 1, n);
  }
}

static size_t scan_value(const char *s, size_t i, size_t n, int depth) {
  if (i >= n) return 0;
  switch (s[i]) {
  case '"': return scan_string(s, i, n);
  case '{':
  case '[': return scan_container(s, i, n, depth);
  case 't': return i + 4 <= n && !memcmp(s + i, "true", 4) ? i + 4 : 0;
  case 'f': return i + 5 <= n && !memcmp(s + i, "false", 5) ? i + 5 : 0;
  case 'n': return i + 4 <= n && !memcmp(s + i, "null", 4) ? i + 4 : 0;
  default: return scan_number(s, i, n);
  }
}

/* Whether the raw key s[0..n) (with its quotes) decodes to `name`. */
static int key_is(const char *s, size_t n, const char *name) {
  if (!memchr(s, '\\', n)) return n - 2 == strlen(name) && !memcmp(s + 1, name, n - 2);
  json_t *k = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
  int same = json_is_string(k) && json_string_length(k) == strlen(name) &&
             !memcmp(json_string_value(k), name, strlen(name));
  json_decref(k);
  return same;
}

/* A JSON string holding the raw text of a non-string value. */
static char *quote_raw(const char *s, size_t n) {
  char *q = malloc(2 * n + 3), *p = q;
  if (!q) return NULL;
  *p++ = '"';
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"' || s[i] == '\\') *p++ = '\\', *p++ = s[i];
    else if (s[i] == '\t') *p++ = '\\', *p++ = 't';
    else if (s[i] == '\n' || s[i] == '\r') *p++ = '\\', *p++ = s[i] == '\n' ? 'n' : 'r';
    else *p++ = s[i];
  }
  *p++ = '"';
  *p = '\0';
  return q;
}

static char *dup_n(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) memcpy(d, s, n), d[n] = '\0';
  return d;
}

/* Appends `"key":value` (raw) to the meta object being built. */
static int meta_add(char **meta, size_t *len, const char *k, size_t kn, const char *v, size_t vn) {
  char *m = realloc(*meta, *len + kn + vn + 4);
  if (!m) return -1;
  m[*len] = *len ? ',' : '{';
  (*len)++;
  memcpy(m + *len, k, kn);
  *len += kn;
  m[(*len)++] = ':';
  memcpy(m + *len, v, vn);
  *len += vn;
  *meta = m;
  return 0;
}

static int hex4(const char *s) {
  int v = 0;
  for (int k = 0; k < 4; k++) {
    char c = s[k];
    v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

/* Appends code point c as UTF-8. */
static size_t put_utf8(char *o, int c) {
  if (c < 0x80) {
    o[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    o[0] = (char)(0xC0 | c >> 6);
    o[1] = (char)(0x80 | (c & 63));
    return 2;
  }
  if (c < 0x10000) {
    o[0] = (char)(0xE0 | c >> 12);
    o[1] = (char)(0x80 | (c >> 6 & 63));
    o[2] = (char)(0x80 | (c & 63));
    return 3;
  }
  o[0] = (char)(0xF0 | c >> 18);
  o[1] = (char)(0x80 | (c >> 12 & 63));
  o[2] = (char)(0x80 | (c >> 6 & 63));
  o[3] = (char)(0x80 | (c & 63));
  return 4;
}

/* One escape at s[i] == '\\' into o; the bytes read, or 0 for a lone
 * surrogate (left to jansson, which refuses it). */
static size_t unescape(const char *s, size_t i, size_t n, char *o, size_t *w) {
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  const char *e = strchr(from, s[i + 1]);
  if (s[i + 1] != 'u') {
    o[0] = to[e - from];
    *w = 1;
    return 2;
  }
  int c = hex4(s + i + 2);
  if (c >= 0xDC00 && c <= 0xDFFF) return 0;
  if (c >= 0xD800 && c <= 0xDBFF) {
    if (i + 12 > n || s[i + 6] != '\\' || s[i + 7] != 'u') return 0;
    int lo = hex4(s + i + 8);
    if (lo < 0xDC00 || lo > 0xDFFF) return 0;
    *w = put_utf8(o, 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00));
    return 12;
  }
  *w = put_utf8(o, c);
  return 6;
}

/* Decodes the scanned (so well-formed) string v[0..vn) into a malloc'd
 * copy; 0, 1 to leave it to jansson, or -1 when out of memory. */
static int decode_string(cli_jsonl_rec *rec, const char *v, size_t vn) {
  char *out = malloc(vn), *o = out; /* a decoded string is never longer */
  if (!out) return -1;
  size_t i = 1, end = vn - 1;
  while (i < end) {
    const char *bs = memchr(v + i, '\\', end - i);
    size_t run = (bs ? (size_t)(bs - v) : end) - i, w = 0, k;
    memcpy(o, v + i, run);
    o += run;
    i += run;
    if (i >= end) break;
    if (!(k = unescape(v, i, end, o, &w))) {
      free(out);
      return 1;
    }
    o += w;
    i += k;
  }
  *o = '\0';
  rec->text = out;
  rec->len = (size_t)(o - out);
  return 0;
}

static const char *take_text(cli_jsonl_rec *rec, const char *v, size_t vn) {
  free(rec->text);
  rec->text = NULL;
  if (v[0] == '"') {
    int r = decode_string(rec, v, vn);
    if (r < 0) return "out of memory";
    if (r == 0) return NULL;
  }
  json_t *t = json_loadb(v, vn, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
  const char *err = NULL;
  free(rec->text);
  rec->text = NULL;
  if (!json_is_string(t)) err = "the text field is not a string";
  else if (!(rec->text = dup_n(json_string_value(t), json_string_length(t)))) err = "out of memory";
  else rec->len = json_string_length(t);
  json_decref(t);
  return err;
}

static const char *take_id(cli_jsonl_rec *rec, const char *v, size_t vn) {
  free(rec->id);
  rec->id = v[0] == '"' ? dup_n(v, vn) : quote_raw(v, vn);
  return rec->id ? NULL : "out of memory";
}

/* One member: the id, the text, or a field for meta. */
static const char *member(cli_jsonl_rec *rec, const cli_jsonl_fields *f, const char *k, size_t kn,
                          const char *v, size_t vn, size_t *mlen) {
  if (key_is(k, kn, f->text_field)) return take_text(rec, v, vn);
  if (key_is(k, kn, f->id_field)) return take_id(rec, v, vn);
  return meta_add(&rec->meta, mlen, k, kn, v, vn) ? "out of memory" : NULL;
}

static const char *split(const char *s, size_t n, const cli_jsonl_fields *f, cli_jsonl_rec *rec) {
  size_t i = skip_ws(s, 0, n), mlen = 0;
  if (i >= n || s[i] != '{') return "the line is not a JSON object";
  size_t end = scan_value(s, i, n, 0);
  if (!end || skip_ws(s, end, n) != n) return "the line is not valid JSON";
  i = skip_ws(s, i + 1, n);
  while (i < n && s[i] == '"') {
    size_t k = i, ke = scan_string(s, i, n);
    size_t v = skip_ws(s, skip_ws(s, ke, n) + 1, n), ve = scan_value(s, v, n, 1);
    const char *err = member(rec, f, s + k, ke - k, s + v, ve - v, &mlen);
    if (err) return err;
    i = skip_ws(s, ve, n);
    if (s[i] == ',') i = skip_ws(s, i + 1, n);
  }
  if (rec->meta) rec->meta[mlen++] = '}', rec->meta[mlen] = '\0';
  return rec->text ? NULL : "the line has no text field";
}

const char *cli_jsonl_parse(const char *line, size_t n, const cli_jsonl_fields *f,
                            cli_jsonl_rec *rec) {
  memset(rec, 0, sizeof *rec);
  const char *err = split(line, n, f, rec);
  if (err) cli_jsonl_rec_free(rec);
  return err;
}

void cli_jsonl_rec_free(cli_jsonl_rec *rec) {
  free(rec->id);
  free(rec->text);
  free(rec->meta);
  memset(rec, 0, sizeof *rec);
}
