/* image.c - compiled rule images (`nerq compile`).
 *
 * An image is one file: a header, a table of the rule files it was made
 * from (path, size, modification time), the compiled rules (patterns,
 * regex texts, dispatch: rules_image.c, copied at load with their
 * pointers made again) and the lexicon (lists and gazetteers) as flat
 * tables that are mapped and used in place (lexicon_image.c). The header
 * carries the rule-set hash, the nerq version and the format, the PCRE2
 * version (the regex texts are compiled again on first use, so an image
 * made with another PCRE2 is out of date: a regex that no longer
 * compiled would silently match nothing), and a checksum of itself, the
 * file table and the compiled rules.
 *
 * nerq_rules_load(DIR) uses DIR/rules.nqi when it is there and fits:
 * same version and format, and the same rule files, unchanged (same
 * size and time, or else the same bytes). When a file changed, the rules
 * are loaded from text and the image is written again. A damaged image
 * is refused with an error. nerq_rules_load(FILE.nqi) loads an image
 * given by name, and refuses it when its rule files changed. */
#define _XOPEN_SOURCE 700
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <fcntl.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "rules.h"

#define IMAGE_NAME "rules.nqi"
#define IMAGE_FORMAT 3
/* The build the image is made by: the Makefile gives a checksum of the
 * sources, so that an image made by other code (whose lexicon bits or
 * structures may differ) is out of date and rebuilt, never mapped. */
#ifndef NERQ_BUILD_ID
#define NERQ_BUILD_ID ""
#endif
#define IMAGE_VERSION NERQ_VERSION "+" NERQ_BUILD_ID

typedef struct {
  char magic[8]; /* "NERQIMG\n" */
  uint32_t format, bom;
  char version[16];
  char hash[32];
  uint64_t size; /* of the whole file */
  uint64_t meta_off, meta_len, lex_off, lex_len, rules_off, rules_len;
  uint64_t checksum; /* of the header (this field 0), meta and rules (sum) */
  char pcre2[24];    /* PCRE2 version ("10.42 2022-12-11") */
} header;

/* The PCRE2 version this process runs with, in OUT[24]. */
static void pcre2_version(char out[24]) {
  char v[64] = "";
  pcre2_config(PCRE2_CONFIG_VERSION, v); /* about 17 bytes */
  size_t n = strnlen(v, 23);
  memset(out, 0, 24);
  memcpy(out, v, n);
}

static const char MAGIC[8] = "NERQIMG\n";

/* The checksum: FNV-1a over the header, then four lanes of 8 bytes a
 * step over the file table and the compiled rules (most of a megabyte:
 * FNV-1a's byte a step would be a fifth of start-up). */
static uint64_t sum_words(uint64_t h, const char *p, size_t n) {
  const uint64_t k = 0x9E3779B97F4A7C15ull;
  uint64_t a = h, b = h ^ 1, c = h ^ 2, d = h ^ 3, w, x, y, z;
  for (; n >= 32; p += 32, n -= 32) {
    memcpy(&w, p, 8), memcpy(&x, p + 8, 8), memcpy(&y, p + 16, 8), memcpy(&z, p + 24, 8);
    a = (a ^ w) * k, b = (b ^ x) * k, c = (c ^ y) * k, d = (d ^ z) * k;
  }
  h = (h ^ a ^ (a >> 31)) * k, h = (h ^ b ^ (b >> 31)) * k;
  h = (h ^ c ^ (c >> 31)) * k, h = (h ^ d ^ (d >> 31)) * k;
  return nerq_fnv1a(h, p, n);
}

static uint64_t checksum(const header *h, const char *buf) {
  header z = *h;
  z.checksum = 0;
  uint64_t sum = nerq_fnv1a(NERQ_HASH_SEED, &z, sizeof z);
  sum = sum_words(sum, buf + h->meta_off, (size_t)h->meta_len);
  return sum_words(sum, buf + h->rules_off, (size_t)h->rules_len);
}

void nerq_image_state_free(nerq_image_state *im) {
  if (!im) return;
  for (size_t i = 0; i < im->nsrc && !im->borrowed; i++) free(im->src[i].rel);
  free(im->src);
  if (im->map) munmap(im->map, im->maplen);
  free(im);
}

static nerq_src *next_src(nerq_image_state *im) {
  if (im->nsrc == im->cap) {
    size_t cap = im->cap ? im->cap * 2 : 16;
    nerq_src *ns = realloc(im->src, cap * sizeof *ns);
    if (!ns) return NULL;
    im->src = ns;
    im->cap = cap;
  }
  nerq_src *s = &im->src[im->nsrc];
  memset(s, 0, sizeof *s);
  return s;
}

int nerq_image_note(nerq_image_state *im, const char *rel, int kind, const void *stp) {
  const struct stat *st = stp;
  nerq_src *s = im && !im->borrowed ? next_src(im) : NULL;
  if (!s) return im && !im->borrowed ? -1 : 0;
  s->rel = strdup(rel);
  s->kind = kind;
  s->size = (uint64_t)st->st_size;
  s->mtime_s = (int64_t)st->st_mtim.tv_sec;
  s->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
  if (!s->rel) return -1;
  im->nsrc++;
  return 0;
}

/* ---------------------------------------------------------------- */
/* Writing                                                           */

static void put_u32(nerq_buf *b, uint32_t v) { nerq_buf_put(b, (const char *)&v, sizeof v); }
static void put_u64(nerq_buf *b, uint64_t v) { nerq_buf_put(b, (const char *)&v, sizeof v); }

/* The file table: the source directory, then each file. */
static void put_meta(nerq_buf *b, const nerq_rules *r, const char *dir) {
  const nerq_image_state *im = r->image;
  put_u32(b, (uint32_t)strlen(dir) + 1);
  nerq_buf_put(b, dir, strlen(dir) + 1);
  put_u32(b, (uint32_t)im->nsrc);
  for (size_t i = 0; i < im->nsrc; i++) {
    const nerq_src *s = &im->src[i];
    put_u32(b, (uint32_t)s->kind);
    put_u32(b, (uint32_t)strlen(s->rel) + 1);
    put_u64(b, s->size);
    put_u64(b, (uint64_t)s->mtime_s);
    put_u64(b, (uint64_t)s->mtime_ns);
    nerq_buf_put(b, s->rel, strlen(s->rel) + 1);
  }
}

static void pad64(nerq_buf *b) {
  static const char zeros[64];
  if (b->n % 64) nerq_buf_put(b, zeros, 64 - b->n % 64);
}

/* The whole image in one buffer. */
static int build_image(const nerq_rules *r, const char *dir, nerq_buf *b) {
  header h = {0};
  nerq_buf_put(b, (const char *)&h, sizeof h);
  pad64(b);
  h.meta_off = b->n;
  put_meta(b, r, dir);
  h.meta_len = b->n - h.meta_off;
  pad64(b);
  h.rules_off = b->n;
  if (nerq_rules_serialize(r, b) || b->failed) return -1;
  h.rules_len = b->n - h.rules_off;
  pad64(b);
  h.lex_off = b->n;
  if (nerq_lexicon_serialize(r->lex, b) || b->failed) return -1;
  h.lex_len = b->n - h.lex_off;
  memcpy(h.magic, MAGIC, sizeof MAGIC);
  h.format = IMAGE_FORMAT;
  h.bom = 0x01020304;
  snprintf(h.version, sizeof h.version, "%s", IMAGE_VERSION);
  snprintf(h.hash, sizeof h.hash, "%s", r->hash);
  pcre2_version(h.pcre2);
  h.size = b->n;
  h.checksum = checksum(&h, b->s);
  memcpy(b->s, &h, sizeof h);
  return 0;
}

static char *message(const char *a, const char *b, const char *c) {
  size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
  char *m = malloc(n);
  if (m) snprintf(m, n, "%s%s%s", a, b, c);
  return m;
}

static void set_error(char **error, char *msg) {
  if (error) *error = msg;
  else free(msg);
}

/* Writes buf to path through a temporary file and a rename, so that a
 * reader sees the old image or the new one, never half of one. */
static int write_atomic(const char *path, const char *buf, size_t n) {
  size_t pl = strlen(path) + 32;
  char *tmp = malloc(pl);
  if (!tmp) return ENOMEM;
  snprintf(tmp, pl, "%s.%ld.tmp", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  int err = f ? 0 : errno;
  if (f && fwrite(buf, 1, n, f) != n) err = errno ? errno : EIO;
  if (f && fclose(f) && !err) err = errno ? errno : EIO;
  if (!err && rename(tmp, path)) err = errno;
  if (err) unlink(tmp);
  free(tmp);
  return err;
}

nerq_status nerq_rules_write_image(const nerq_rules *r, const char *path, char **error) {
  if (error) *error = NULL;
  if (!r || !path) return NERQ_ERR_USAGE;
  if (!r->image || r->image->borrowed)
    return set_error(error, message(path, ": ", "the rules were not loaded from text")), NERQ_ERR_USAGE;
  char *abs = realpath(r->dir, NULL);
  nerq_buf b = {0};
  int built = build_image(r, abs ? abs : r->dir, &b);
  free(abs);
  if (built) {
    free(b.s);
    return NERQ_ERR_NOMEM;
  }
  int err = write_atomic(path, b.s, b.n);
  free(b.s);
  if (err) return set_error(error, message(path, ": ", strerror(err))), NERQ_ERR_IO;
  return NERQ_OK;
}

/* DIR/rules.nqi, malloc'd. */
static char *default_path(const char *dir) { return message(dir, "/", IMAGE_NAME); }

nerq_status nerq_rules_compile(const char *dir, const char *path, char **error) {
  if (error) *error = NULL;
  if (!dir) return NERQ_ERR_USAGE;
  nerq_rules *r = NULL;
  nerq_status st = nerq_rules_load_text(dir, &r, error);
  if (st) return st;
  char *def = path ? NULL : default_path(dir);
  st = def || path ? nerq_rules_write_image(r, path ? path : def, error) : NERQ_ERR_NOMEM;
  free(def);
  nerq_rules_free(r);
  return st;
}

/* ---------------------------------------------------------------- */
/* Reading                                                           */

typedef struct {
  const char *p, *end;
  int bad;
} cursor;

static const void *take(cursor *c, size_t n) {
  if (c->bad || (size_t)(c->end - c->p) < n) {
    c->bad = 1;
    return NULL;
  }
  const void *at = c->p;
  c->p += n;
  return at;
}

static uint64_t take_u64(cursor *c, size_t size) {
  const void *at = take(c, size);
  uint64_t v = 0;
  uint32_t w = 0;
  if (at && size == 8) memcpy(&v, at, 8);
  if (at && size == 4) memcpy(&w, at, 4), v = w;
  return v;
}

/* A NUL-terminated string of n bytes (its NUL included). */
static const char *take_str(cursor *c, uint64_t n) {
  const char *s = n && n < 4096 ? take(c, (size_t)n) : NULL;
  if (!s || s[n - 1] || memchr(s, '\0', (size_t)n - 1)) c->bad = 1;
  return c->bad ? NULL : s;
}

/* Reads the file table into im (pointing into the mapping) and the
 * source directory into *dir. */
static int read_meta(const char *m, size_t len, nerq_image_state *im, const char **dir) {
  cursor c = {m, m + len, 0};
  *dir = take_str(&c, take_u64(&c, 4));
  uint64_t n = take_u64(&c, 4);
  im->borrowed = 1;
  for (uint64_t i = 0; i < n && !c.bad; i++) {
    nerq_src *s = next_src(im);
    if (!s) return -1;
    s->kind = (int)take_u64(&c, 4);
    uint64_t rl = take_u64(&c, 4);
    s->size = take_u64(&c, 8);
    s->mtime_s = (int64_t)take_u64(&c, 8);
    s->mtime_ns = (int64_t)take_u64(&c, 8);
    s->rel = (char *)take_str(&c, rl);
    if (s->kind < NERQ_SRC_LIST || s->kind > NERQ_SRC_QUOTES) c.bad = 1;
    if (!c.bad) im->nsrc++;
  }
  return c.bad || c.p != c.end ? -1 : 0;
}

/* Checks the header of buf[0..len); NULL, or why the image is refused.
 * *other: made by another version or format (out of date, not damaged). */
static const char *check_header(const char *buf, size_t len, header *h, int *other) {
  *other = 0;
  if (len < sizeof MAGIC || memcmp(buf, MAGIC, sizeof MAGIC)) return "not a nerq rule image";
  if (len < sizeof *h) return "truncated";
  memcpy(h, buf, sizeof *h);
  if (h->format != IMAGE_FORMAT || h->bom != 0x01020304 ||
      strncmp(h->version, IMAGE_VERSION, sizeof h->version - 1)) {
    *other = 1;
    return "compiled by another version of nerq";
  }
  char v[24];
  pcre2_version(v);
  if (memcmp(h->pcre2, v, sizeof v)) {
    *other = 1;
    return "compiled with another version of PCRE2";
  }
  if (h->size != len) return h->size > len ? "truncated" : "longer than its header says";
  if (h->meta_off % 64 || h->lex_off % 64 || h->rules_off % 64 || h->meta_off > len ||
      h->meta_len > len - h->meta_off || h->lex_off > len || h->lex_len > len - h->lex_off ||
      h->rules_off > len || h->rules_len > len - h->rules_off || !memchr(h->hash, '\0', sizeof h->hash))
    return "damaged (bad header)";
  if (checksum(h, buf) != h->checksum) return "damaged (checksum)";
  return NULL;
}

/* Builds the rule set of an image whose header is checked. */
static nerq_status from_bytes(const char *buf, const header *h, nerq_image_state *im,
                              const char *dir_override, nerq_rules **out, char **error,
                              const char **why) {
  const char *dir = NULL;
  if (read_meta(buf + h->meta_off, (size_t)h->meta_len, im, &dir) || !dir) {
    nerq_image_state_free(im);
    *why = "damaged (file table)";
    return NERQ_ERR_RULES;
  }
  nerq_lexicon *lex = nerq_lexicon_map(buf + h->lex_off, (size_t)h->lex_len, why);
  if (!lex) {
    nerq_image_state_free(im);
    return NERQ_ERR_RULES;
  }
  *why = NULL;
  return nerq_rules_from_image(dir_override ? dir_override : dir, lex, im, buf + h->rules_off,
                               (size_t)h->rules_len, h->hash, out, error, why);
}

nerq_status nerq_image_load_bytes(const void *buf, size_t len, nerq_rules **out, char **error) {
  header h;
  int other;
  const char *why = check_header(buf, len, &h, &other);
  *out = NULL;
  if (error) *error = NULL;
  nerq_image_state *im = why ? NULL : calloc(1, sizeof *im);
  if (!why && !im) return NERQ_ERR_NOMEM;
  nerq_status st = why ? NERQ_ERR_RULES : from_bytes(buf, &h, im, NULL, out, error, &why);
  if (why && error && !*error) *error = message("image: ", why, "");
  return st;
}

/* ---------------------------------------------------------------- */
/* Are the rule files still those the image was made from?           */

typedef struct {
  const char *dir;
  const nerq_image_state *im;
  size_t i;
  int names_differ, stats_differ;
  const char *changed; /* the first file that differs */
  uint64_t hash;
  int unreadable;
} walk_ctx;

static int stat_file(void *ctx, const char *rel, int kind) {
  walk_ctx *w = ctx;
  const nerq_src *s = w->i < w->im->nsrc ? &w->im->src[w->i] : NULL;
  w->i++;
  if (!s || s->kind != kind || strcmp(s->rel, rel)) {
    w->names_differ = 1;
    w->changed = s ? s->rel : rel;
    return 1;
  }
  char path[4096 + 512];
  snprintf(path, sizeof path, "%s/%s", w->dir, rel);
  struct stat st;
  if (stat(path, &st) || (uint64_t)st.st_size != s->size || (int64_t)st.st_mtim.tv_sec != s->mtime_s ||
      (int64_t)st.st_mtim.tv_nsec != s->mtime_ns) {
    if (!w->stats_differ) w->changed = s->rel;
    w->stats_differ = 1;
  }
  return 0;
}

static int hash_one(void *ctx, const char *rel, int kind) {
  walk_ctx *w = ctx;
  (void)kind;
  char path[4096 + 512];
  snprintf(path, sizeof path, "%s/%s", w->dir, rel);
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (size_t got = 1; f && got;) {
    if (n == cap) {
      char *nb = realloc(buf, cap = cap ? cap * 2 : 1 << 16);
      if (!nb) break;
      buf = nb;
    }
    n += got = fread(buf + n, 1, cap - n, f);
  }
  w->unreadable = !f || ferror(f);
  if (f) fclose(f);
  if (!w->unreadable) w->hash = nerq_rules_hash_file(w->hash, rel, buf ? buf : "", n);
  free(buf);
  return w->unreadable;
}

/* NULL if the rule files under dir are those of im (hash: the image's
 * rule-set hash), else the first that is not. */
static const char *changed_source(const char *dir, const nerq_image_state *im, const char *hash) {
  walk_ctx w = {dir, im, 0, 0, 0, NULL, NERQ_HASH_SEED, 0};
  nerq_rules_walk(dir, stat_file, &w);
  if (!w.names_differ && w.i != im->nsrc) w.names_differ = 1, w.changed = im->src[w.i].rel;
  if (w.names_differ) return w.changed ? w.changed : "a rule file";
  if (!w.stats_differ) return NULL;
  nerq_rules_walk(dir, hash_one, &w); /* touched, perhaps not changed */
  char now[32];
  snprintf(now, sizeof now, "fnv1a64:%016llx", (unsigned long long)w.hash);
  return w.unreadable || strcmp(now, hash) ? w.changed : NULL;
}

/* ---------------------------------------------------------------- */
/* Loading                                                           */

enum { IMG_OK,
       IMG_MISSING,
       IMG_STALE,
       IMG_BAD };

/* Maps and loads the image at path. dir: the rules directory it must
 * fit (NULL: the one it names). IMG_BAD and IMG_STALE set *error. */
static int load_image(const char *path, const char *dir, nerq_rules **out, char **error,
                      nerq_status *st) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IMG_MISSING;
  struct stat sb;
  void *map = MAP_FAILED;
  if (!fstat(fd, &sb) && sb.st_size > 0)
    map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  header h;
  int other = 0;
  const char *why = map == MAP_FAILED ? "cannot be mapped (empty or unreadable)"
                                      : check_header(map, (size_t)sb.st_size, &h, &other);
  nerq_image_state *im = why ? NULL : calloc(1, sizeof *im);
  if (!why && !im) why = "out of memory";
  if (why) {
    if (map != MAP_FAILED) munmap(map, (size_t)sb.st_size);
    set_error(error, message(path, ": ", why));
    *st = NERQ_ERR_RULES;
    return other ? IMG_STALE : IMG_BAD;
  }
  im->map = map;
  im->maplen = (size_t)sb.st_size;
  *st = from_bytes(map, &h, im, dir, out, error, &why);
  if (why) set_error(error, message(path, ": ", why));
  if (*st) return IMG_BAD;
  const char *changed = changed_source((*out)->dir, (*out)->image, (*out)->hash);
  if (!changed) return IMG_OK;
  char *m = message(path, ": out of date: ", changed);
  set_error(error, message(m ? m : "", " changed since it was compiled (run nerq compile)", ""));
  free(m);
  nerq_rules_free(*out);
  *out = NULL;
  *st = NERQ_ERR_RULES;
  return IMG_STALE;
}

static int is_regular(const char *path) {
  struct stat sb;
  return !stat(path, &sb) && S_ISREG(sb.st_mode);
}

nerq_status nerq_rules_load(const char *dir, nerq_rules **out, char **error) {
  if (out) *out = NULL;
  if (error) *error = NULL;
  if (!dir || !out) return NERQ_ERR_USAGE;
  nerq_status st = NERQ_OK;
  if (is_regular(dir)) { /* an image named: used as it is, or refused */
    int how = load_image(dir, NULL, out, error, &st);
    return how == IMG_MISSING ? NERQ_ERR_IO : st;
  }
  char *path = default_path(dir);
  if (!path) return NERQ_ERR_NOMEM;
  char *err = NULL;
  int how = load_image(path, dir, out, &err, &st);
  if (how == IMG_BAD) {
    set_error(error, err);
    free(path);
    return st;
  }
  free(err);
  if (how == IMG_OK) {
    free(path);
    return NERQ_OK;
  }
  st = nerq_rules_load_text(dir, out, error);
  if (!st && how == IMG_STALE) free(nerq_rules_write_image(*out, path, &err) ? err : NULL);
  free(path);
  return st;
}

void nerq_image_fix_checksum(void *buf, size_t len) {
  header h;
  if (len < sizeof h) return;
  memcpy(&h, buf, sizeof h);
  if (h.meta_off > len || h.meta_len > len - h.meta_off || h.rules_off > len || h.rules_len > len - h.rules_off)
    return;
  h.checksum = checksum(&h, buf);
  memcpy(buf, &h, sizeof h);
}
