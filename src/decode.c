/* decode.c - stage 1: bytes to valid UTF-8, and the offset map.
 *
 * Invalid input is repaired by replacing each maximal ill-formed subpart
 * with U+FFFD (Unicode 15, section 3.9; the WHATWG decoder; Python's
 * errors='replace'), so code-point offsets agree with what a consumer
 * that decodes the same bytes sees. */
#include <string.h>

#include "decode.h"

#define MAP_SHIFT 6 /* one map entry per 64 bytes */

/* Length of the well-formed sequence at s (1..4), or -(maximal ill-formed
 * subpart length) if invalid. */
static int seq_len(const unsigned char *s, size_t avail) {
  unsigned c = s[0];
  if (c < 0x80) return 1;
  int need;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) need = 1;
  else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else return -1;
  for (int i = 1; i <= need; i++) {
    if ((size_t)i >= avail) return -i;
    unsigned b = s[i];
    unsigned l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
    if (b < l || b > h) return -i;
  }
  return need + 1;
}

int nerq_str_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int nerq_utf8_seq(const char *s, size_t n) {
  return n ? seq_len((const unsigned char *)s, n) : 0;
}

size_t nerq_utf8_repair(char *dst, const char *src, size_t n, int nul_bad,
                        size_t *code_points) {
  const unsigned char *s = (const unsigned char *)src;
  size_t i = 0, o = 0, cps = 0;
  for (; i < n; cps++) {
    int k = nul_bad && !s[i] ? -1 : seq_len(s + i, n - i);
    if (k > 0) memcpy(dst + o, s + i, (size_t)k), o += (size_t)k, i += (size_t)k;
    else memcpy(dst + o, "\xEF\xBF\xBD", 3), o += 3, i += (size_t)-k;
  }
  if (code_points) *code_points += cps;
  return o;
}

/* The end of the run of ASCII bytes from i, eight at a time. */
static size_t ascii_run(const unsigned char *s, size_t i, size_t len) {
  while (i + 8 <= len) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    if (w & 0x8080808080808080ull) break;
    i += 8;
  }
  while (i < len && s[i] < 0x80) i++;
  return i;
}

/* Counts the bytes of the repaired text. */
static size_t repaired_size(const unsigned char *s, size_t len, int *bad) {
  size_t i = 0, out = 0;
  *bad = 0;
  while (i < len) {
    size_t a = ascii_run(s, i, len);
    out += a - i;
    if ((i = a) >= len) break;
    int n = seq_len(s + i, len - i);
    if (n > 0) {
      i += (size_t)n;
      out += (size_t)n;
    } else {
      i += (size_t)-n;
      out += 3;
      (*bad)++;
    }
  }
  return out;
}

static void repair_copy(const unsigned char *s, size_t len, char *out) {
  size_t i = 0, o = 0;
  while (i < len) {
    int n = seq_len(s + i, len - i);
    if (n > 0) {
      memcpy(out + o, s + i, (size_t)n);
      i += (size_t)n;
      o += (size_t)n;
    } else {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      i += (size_t)-n;
      o += 3;
    }
  }
  out[o] = '\0';
}

static int count_nul(const unsigned char *s, size_t n) {
  int k = 0;
  for (size_t i = 0; i < n; i++) k += s[i] == 0;
  return k;
}

static nerq_status build_map(nerq_arena *a, nerq_text *t) {
  size_t nblocks = (t->len >> MAP_SHIFT) + 1;
  t->block_cp = nerq_arena_alloc(a, nblocks * sizeof(uint32_t));
  if (!t->block_cp) return NERQ_ERR_NOMEM;
  const unsigned char *s = (const unsigned char *)t->text;
  size_t cp = 0, block = (size_t)1 << MAP_SHIFT;
  for (size_t b = 0; b < t->len; b += block) {
    t->block_cp[b >> MAP_SHIFT] = (uint32_t)cp;
    size_t e = b + block < t->len ? b + block : t->len;
    for (size_t i = b; i < e; i++) cp += (s[i] & 0xC0) != 0x80;
  }
  t->nul_bytes = memchr(s, 0, t->len) ? count_nul(s, t->len) : 0;
  if ((t->len & ((1u << MAP_SHIFT) - 1)) == 0) t->block_cp[t->len >> MAP_SHIFT] = (uint32_t)cp;
  t->ncp = cp;
  return NERQ_OK;
}

/* own: the bytes themselves, writable with room for len + NERQ_TEXT_PAD, when they
 * may become the text; else NULL. */
static nerq_status decode(nerq_arena *a, const char *bytes, char *own, size_t len, nerq_text *out) {
  memset(out, 0, sizeof *out);
  if (len > UINT32_MAX / 4) return NERQ_ERR_INPUT; /* offsets are 32-bit */
  const unsigned char *s = (const unsigned char *)bytes;
  int bad;
  size_t size = repaired_size(s, len, &bad);
  char *text = own && !bad ? own : nerq_arena_alloc(a, size + NERQ_TEXT_PAD);
  if (!text) return NERQ_ERR_NOMEM;
  if (bad) repair_copy(s, len, text);
  else if (text != own && len) memcpy(text, bytes, len);
  memset(text + size, 0, NERQ_TEXT_PAD);
  out->text = text;
  out->len = size;
  out->repaired = bad;
  return build_map(a, out);
}

size_t nerq_text_cp(const nerq_text *t, size_t byte) {
  if (byte >= t->len) return t->ncp;
  size_t blk = byte >> MAP_SHIFT;
  size_t cp = t->block_cp[blk];
  const unsigned char *s = (const unsigned char *)t->text;
  for (size_t i = blk << MAP_SHIFT; i < byte; i++)
    if ((s[i] & 0xC0) != 0x80) cp++;
  return cp;
}

nerq_status nerq_text_decode(nerq_arena *a, const char *bytes, size_t len, nerq_text *out) {
  return decode(a, bytes, NULL, len, out);
}

nerq_status nerq_text_adopt(nerq_arena *a, char *bytes, size_t len, nerq_text *out) {
  return decode(a, bytes, bytes, len, out);
}
