/*
 * eval.c - scoring of nerq predictions against gold annotations.
 *
 * Definitions are in docs/eval.md. In short: entities are scored under
 * a strict scheme (exact (start,end,type) sets) and a partial scheme
 * (one-to-one greedy overlap matching); quotes are scored over trimmed
 * segment contents; speaker accuracy is measured over matched quotes.
 *
 * nerq_eval_add parses and scores a whole document into a local result
 * first and merges it into the accumulator only on success, so a
 * malformed line leaves the accumulator untouched.
 */
#include "internal.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { T_PERSON,
       T_ORG,
       T_PLACE,
       T_N };
enum { S_STRICT,
       S_PARTIAL,
       S_N };

#define CONTEXT_CP 30

static const char *const type_names[T_N] = {"PERSON", "ORG", "PLACE"};
static const char *const scheme_names[S_N] = {"strict", "partial"};

typedef struct {
  long tp, fp, fn;
} tally;

/* Scores of one document or of the whole run. */
typedef struct {
  tally ent[S_N][T_N];
  tally quotes;
  long spk_correct, spk_total, pron_correct, pron_total;
} scores;

struct nerq_eval {
  scores s;
  long docs;
  json_t *errors; /* array of FP/FN records (strict entities, quotes) */
};

/* An entity span; `rule` is borrowed from the prediction JSON. */
typedef struct {
  size_t start, end, ord;
  int type;
  const char *rule;
} span;

/* A gold quote or a predicted quote segment. */
typedef struct {
  size_t start, end; /* raw span */
  size_t cs, ce;     /* content after trimming */
  size_t ord, quote; /* input order; index of the owning quote */
  int matched;
} qspan;

typedef struct {
  void *items;
  size_t n, cap;
} vec;

/* Everything known about the document being added. */
typedef struct {
  json_t *gold, *pred;
  char idbuf[32];
  const char *id;
  uint32_t *cp;
  size_t n;
  vec gold_e, flagged, pred_e, gold_q, pred_q;
  json_t *pred_quotes; /* borrowed from pred, may be NULL */
  scores s;
  json_t *errors;
  int no_entities, no_quotes; /* gold without that layer: not scored */
} doc_ctx;

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static int vec_push(vec *v, const void *item, size_t size) {
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 16;
    void *p = realloc(v->items, cap * size);
    if (!p)
      return -1;
    v->items = p;
    v->cap = cap;
  }
  memcpy((char *)v->items + v->n * size, item, size);
  v->n++;
  return 0;
}

static int ascii_lower(int c) {
  return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int ascii_ieq(const char *a, size_t alen, const char *b, size_t blen) {
  if (alen != blen)
    return 0;
  for (size_t i = 0; i < alen; i++)
    if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
      return 0;
  return 1;
}

static int str_ieq(const char *a, const char *b) {
  return ascii_ieq(a, strlen(a), b, strlen(b));
}

static char *dup_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (len < 0)
    return NULL;
  char *s = malloc((size_t)len + 1);
  if (!s)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)len + 1, fmt, ap);
  va_end(ap);
  return s;
}

static void set_error(char **error, const char *fmt, const char *a,
                      const char *b) {
  if (error)
    *error = dup_printf(fmt, a, b);
}

static size_t overlap(size_t s1, size_t e1, size_t s2, size_t e2) {
  size_t s = s1 > s2 ? s1 : s2;
  size_t e = e1 < e2 ? e1 : e2;
  return e > s ? e - s : 0;
}

static double ratio(long num, long den) {
  return den > 0 ? (double)num / (double)den : 0.0;
}

static double f1_of(double p, double r) {
  return (p + r) > 0 ? 2.0 * p * r / (p + r) : 0.0;
}

/* Maps a gold or predicted type name to T_*, or -1 if not scored. */
static int type_index(const char *t) {
  static const struct {
    const char *name;
    int type;
  } aliases[] = {{"PERSON", T_PERSON}, {"ORG", T_ORG}, {"ORGANISATION", T_ORG}, {"ORGANIZATION", T_ORG}, {"PLACE", T_PLACE}, {"LOC", T_PLACE}, {"GPE", T_PLACE}};
  if (!t)
    return -1;
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
    if (str_ieq(t, aliases[i].name))
      return aliases[i].type;
  return -1;
}

/* Reads an integer offset, clamped to [0, n]. Returns 0 if absent. */
static int get_offset(const json_t *obj, const char *key, size_t n,
                      size_t *out) {
  const json_t *v = json_object_get(obj, key);
  if (!json_is_integer(v))
    return 0;
  json_int_t x = json_integer_value(v);
  if (x < 0)
    x = 0;
  *out = ((unsigned long long)x > n) ? n : (size_t)x;
  return 1;
}

/* Reads [start,end) from obj, clamped; 0 if missing or empty. */
static int get_span(const json_t *obj, size_t n, size_t *s, size_t *e) {
  return get_offset(obj, "start", n, s) && get_offset(obj, "end", n, e) &&
         *s < *e;
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */
/* ------------------------------------------------------------------ */

/* Length of the well-formed sequence at p (Unicode Table 3-7), storing
 * the code point in *cp; 0 if ill-formed, with *bad the length of the
 * maximal ill-formed subpart (at least 1). */
static size_t utf8_seq(const unsigned char *p, size_t avail, uint32_t *cp,
                       size_t *bad) {
  unsigned c = p[0];
  size_t len = c < 0x80 ? 1 : c < 0xC2 ? 0
                          : c < 0xE0   ? 2
                          : c < 0xF0   ? 3
                          : c < 0xF5   ? 4
                                       : 0;
  unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90
                                             : 0x80;
  unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F
                                             : 0xBF;
  uint32_t v = len == 1 ? c : len == 2 ? (c & 0x1F)
                          : len == 3   ? (c & 0x0F)
                                       : (c & 0x07);
  *bad = 1;
  for (size_t i = 1; i < len; i++) {
    unsigned b = i < avail ? p[i] : 0;
    if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF))
      return 0;
    v = (v << 6) | (b & 0x3F);
    *bad = i + 1;
  }
  *cp = v;
  return len;
}

/* Decodes UTF-8 into code points, U+FFFD for each maximal ill-formed
 * subpart. */
static int decode_utf8(const char *s, size_t len, uint32_t **out, size_t *n) {
  uint32_t *cp = malloc((len + 1) * sizeof *cp);
  size_t k = 0;
  if (!cp)
    return -1;
  for (size_t i = 0; i < len;) {
    size_t bad;
    size_t l = utf8_seq((const unsigned char *)s + i, len - i, &cp[k], &bad);
    if (l == 0)
      cp[k] = 0xFFFD;
    i += l ? l : bad;
    k++;
  }
  *out = cp;
  *n = k;
  return 0;
}

/* Encodes cp[s..e) as UTF-8; newlines become "⏎" when `visible`. */
static char *encode_utf8(const uint32_t *cp, size_t s, size_t e, int visible) {
  char *out = malloc((e - s) * 4 + 1);
  size_t k = 0;
  if (!out)
    return NULL;
  for (size_t i = s; i < e; i++) {
    uint32_t c = (visible && cp[i] == '\n') ? 0x23CE : cp[i];
    if (c < 0x80) {
      out[k++] = (char)c;
    } else if (c < 0x800) {
      out[k++] = (char)(0xC0 | (c >> 6));
      out[k++] = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out[k++] = (char)(0xE0 | (c >> 12));
      out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
      out[k++] = (char)(0x80 | (c & 0x3F));
    } else {
      out[k++] = (char)(0xF0 | (c >> 18));
      out[k++] = (char)(0x80 | ((c >> 12) & 0x3F));
      out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
      out[k++] = (char)(0x80 | (c & 0x3F));
    }
  }
  out[k] = '\0';
  return out;
}

/* ------------------------------------------------------------------ */
/* Quote content trimming                                              */
/* ------------------------------------------------------------------ */

static int is_space_cp(uint32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Quote marks, whitespace and edge punctuation trimmed from contents. */
static int is_trim_cp(uint32_t c) {
  static const uint32_t marks[] = {
      0x201C, 0x201D, 0x2018, 0x2019, '"', '\'', 0x00AB, 0x00BB,
      0x201E, 0x201F, 0x2039, 0x203A, ',', '.', ';', ':',
      '!', '?', 0x2013, 0x2014, '-'};
  if (is_space_cp(c))
    return 1;
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
    if (marks[i] == c)
      return 1;
  return 0;
}

static void trim_content(const doc_ctx *d, qspan *q) {
  size_t s = q->start, e = q->end;
  while (s < e && is_trim_cp(d->cp[s]))
    s++;
  while (e > s && is_trim_cp(d->cp[e - 1]))
    e--;
  q->cs = s;
  q->ce = e;
}

/* ------------------------------------------------------------------ */
/* Errors list                                                         */
/* ------------------------------------------------------------------ */

/* Appends one FP/FN record; `type` is an entity type or "QUOTE". */
static int add_error(doc_ctx *d, const char *kind, const char *type,
                     size_t s, size_t e, const char *rule) {
  size_t ls = s > CONTEXT_CP ? s - CONTEXT_CP : 0;
  size_t re = e + CONTEXT_CP < d->n ? e + CONTEXT_CP : d->n;
  char *text = encode_utf8(d->cp, s, e, 0);
  char *left = encode_utf8(d->cp, ls, s, 0);
  char *right = encode_utf8(d->cp, e, re, 0);
  json_t *o = NULL;
  if (text && left && right)
    o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s?}", "doc",
                  d->id, "kind", kind, "type", type, "start", (json_int_t)s,
                  "end", (json_int_t)e, "text", text, "left", left, "right",
                  right, "rule", rule);
  free(text);
  free(left);
  free(right);
  if (!o || json_array_append_new(d->errors, o) != 0)
    return -1;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

/* Gets an optional array member; -1 if present but not an array. */
static int opt_array(const json_t *obj, const char *key, json_t **out) {
  json_t *v = json_object_get(obj, key);
  *out = v;
  if (v && !json_is_array(v) && !json_is_null(v))
    return -1;
  if (json_is_null(v))
    *out = NULL;
  return 0;
}

static nerq_status parse_json(const char *line, const char *what,
                              json_t **out, char **error) {
  json_error_t je;
  *out = json_loads(line, JSON_ALLOW_NUL, &je);
  if (!*out) {
    if (error)
      *error = dup_printf("%s: invalid JSON at line %d column %d: %s", what,
                          je.line, je.column, je.text);
    return NERQ_ERR_INPUT;
  }
  if (!json_is_object(*out)) {
    set_error(error, "%s: %s", what, "not a JSON object");
    return NERQ_ERR_INPUT;
  }
  return NERQ_OK;
}

static void set_doc_id(doc_ctx *d) {
  const json_t *id = json_object_get(d->gold, "id");
  if (json_is_string(id)) {
    d->id = json_string_value(id);
  } else if (json_is_integer(id)) {
    snprintf(d->idbuf, sizeof d->idbuf, "%" JSON_INTEGER_FORMAT,
             json_integer_value(id));
    d->id = d->idbuf;
  } else {
    d->id = "";
  }
}

/* Non-empty `flags` (array or string) marks a gold entity as flagged. */
static int is_flagged(const json_t *ent) {
  const json_t *f = json_object_get(ent, "flags");
  if (json_is_array(f))
    return json_array_size(f) > 0;
  if (json_is_string(f))
    return json_string_length(f) > 0;
  return 0;
}

static int collect_gold_entities(doc_ctx *d, const json_t *ents) {
  size_t i;
  json_t *e;
  json_array_foreach(ents, i, e) {
    span sp = {0, 0, i, -1, NULL};
    if (!json_is_object(e) || !get_span(e, d->n, &sp.start, &sp.end))
      continue;
    sp.type = type_index(json_string_value(json_object_get(e, "type")));
    vec *v = is_flagged(e) ? &d->flagged : sp.type >= 0 ? &d->gold_e
                                                        : NULL;
    if (v && vec_push(v, &sp, sizeof sp) != 0)
      return -1;
  }
  return 0;
}

static int collect_mentions(doc_ctx *d, const json_t *ent, int type) {
  const json_t *ments = json_object_get(ent, "mentions");
  size_t i;
  json_t *m;
  json_array_foreach(ments, i, m) {
    span sp = {0, 0, d->pred_e.n, type, NULL};
    if (!json_is_object(m) || !get_span(m, d->n, &sp.start, &sp.end))
      continue;
    sp.rule = json_string_value(json_object_get(m, "rule"));
    if (vec_push(&d->pred_e, &sp, sizeof sp) != 0)
      return -1;
  }
  return 0;
}

static int collect_pred_entities(doc_ctx *d, const json_t *ents) {
  size_t i;
  json_t *e;
  json_array_foreach(ents, i, e) {
    int type = type_index(json_string_value(json_object_get(e, "type")));
    if (!json_is_object(e) || type < 0)
      continue;
    if (collect_mentions(d, e, type) != 0)
      return -1;
  }
  return 0;
}

static int collect_gold_quotes(doc_ctx *d, const json_t *quotes) {
  size_t i;
  json_t *q;
  json_array_foreach(quotes, i, q) {
    qspan sp = {0, 0, 0, 0, i, i, 0};
    if (!json_is_object(q) || !get_span(q, d->n, &sp.start, &sp.end))
      continue;
    trim_content(d, &sp);
    if (sp.ce > sp.cs && vec_push(&d->gold_q, &sp, sizeof sp) != 0)
      return -1;
  }
  return 0;
}

static int push_segment(doc_ctx *d, size_t quote, size_t s, size_t e) {
  qspan sp = {s, e, 0, 0, d->pred_q.n, quote, 0};
  if (s >= e)
    return 0;
  trim_content(d, &sp);
  if (sp.ce == sp.cs)
    return 0;
  return vec_push(&d->pred_q, &sp, sizeof sp);
}

/* A [s,e] pair of a "segments" array, clamped; 0 if malformed. */
static int get_pair(const json_t *pair, size_t n, size_t *s, size_t *e) {
  const json_t *a = json_array_get(pair, 0), *b = json_array_get(pair, 1);
  if (!json_is_integer(a) || !json_is_integer(b))
    return 0;
  json_int_t x = json_integer_value(a), y = json_integer_value(b);
  x = x < 0 ? 0 : x;
  y = y < 0 ? 0 : y;
  *s = (unsigned long long)x > n ? n : (size_t)x;
  *e = (unsigned long long)y > n ? n : (size_t)y;
  return 1;
}

static int collect_quote_segments(doc_ctx *d, const json_t *q, size_t qi) {
  const json_t *segs = json_object_get(q, "segments");
  size_t i, s, e;
  json_t *pair;
  if (!json_is_array(segs) || json_array_size(segs) == 0)
    return get_span(q, d->n, &s, &e) ? push_segment(d, qi, s, e) : 0;
  json_array_foreach(segs, i, pair) {
    if (get_pair(pair, d->n, &s, &e) && push_segment(d, qi, s, e) != 0)
      return -1;
  }
  return 0;
}

static int collect_pred_quotes(doc_ctx *d) {
  size_t i;
  json_t *q;
  json_array_foreach(d->pred_quotes, i, q) {
    if (json_is_object(q) && collect_quote_segments(d, q, i) != 0)
      return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Entity scoring                                                      */
/* ------------------------------------------------------------------ */

static int span_cmp(const void *a, const void *b) {
  const span *x = a, *y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  if (x->type != y->type)
    return x->type < y->type ? -1 : 1;
  return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static int span_same(const span *x, const span *y) {
  return x->start == y->start && x->end == y->end && x->type == y->type;
}

/* Sorts in document order and removes duplicate (start,end,type),
 * keeping the first occurrence in input order. */
static void sort_unique(vec *v) {
  span *a = v->items;
  size_t k = 0;
  if (v->n == 0)
    return;
  qsort(a, v->n, sizeof *a, span_cmp);
  for (size_t i = 1; i < v->n; i++)
    if (!span_same(&a[k], &a[i]))
      a[++k] = a[i];
  v->n = k + 1;
}

/* Drops predictions that overlap a flagged gold entity, unless they
 * are exactly an unflagged gold entity (an ORG "International
 * Brotherhood of Magicians" around a flagged "Magicians"). */
static void drop_flagged(doc_ctx *d) {
  span *p = d->pred_e.items, *f = d->flagged.items, *g = d->gold_e.items;
  size_t k = 0;
  for (size_t i = 0; i < d->pred_e.n; i++) {
    int hit = 0, exact = 0;
    for (size_t j = 0; j < d->gold_e.n && !exact; j++)
      exact = span_same(&g[j], &p[i]);
    for (size_t j = 0; j < d->flagged.n && !hit && !exact; j++)
      hit = overlap(p[i].start, p[i].end, f[j].start, f[j].end) > 0;
    if (!hit)
      p[k++] = p[i];
  }
  d->pred_e.n = k;
}

static int strict_error(doc_ctx *d, const char *kind, const span *sp) {
  tally *t = &d->s.ent[S_STRICT][sp->type];
  if (kind[1] == 'P')
    t->fp++;
  else
    t->fn++;
  return add_error(d, kind, type_names[sp->type], sp->start, sp->end,
                   sp->rule);
}

/* Merges the two sorted unique sets. */
static int score_strict(doc_ctx *d) {
  const span *g = d->gold_e.items, *p = d->pred_e.items;
  size_t i = 0, j = 0;
  while (i < d->gold_e.n || j < d->pred_e.n) {
    int c = i == d->gold_e.n ? 1 : j == d->pred_e.n ? -1
                                                    : span_cmp(&g[i], &p[j]);
    if (i < d->gold_e.n && j < d->pred_e.n && span_same(&g[i], &p[j])) {
      d->s.ent[S_STRICT][g[i].type].tp++;
      i++;
      j++;
    } else if (c < 0) {
      if (strict_error(d, "FN", &g[i++]) != 0)
        return -1;
    } else if (strict_error(d, "FP", &p[j++]) != 0) {
      return -1;
    }
  }
  return 0;
}

/* Greedy one-to-one overlap matching in document order. */
static int score_partial(doc_ctx *d) {
  const span *g = d->gold_e.items, *p = d->pred_e.items;
  char *used = calloc(d->pred_e.n + 1, 1);
  if (!used)
    return -1;
  for (size_t i = 0; i < d->gold_e.n; i++) {
    size_t best = 0, best_ov = 0;
    for (size_t j = 0; j < d->pred_e.n; j++) {
      size_t ov = overlap(g[i].start, g[i].end, p[j].start, p[j].end);
      if (!used[j] && p[j].type == g[i].type && ov > best_ov) {
        best = j;
        best_ov = ov;
      }
    }
    if (best_ov > 0)
      used[best] = 1;
    if (best_ov > 0)
      d->s.ent[S_PARTIAL][g[i].type].tp++;
    else
      d->s.ent[S_PARTIAL][g[i].type].fn++;
  }
  for (size_t j = 0; j < d->pred_e.n; j++)
    if (!used[j])
      d->s.ent[S_PARTIAL][p[j].type].fp++;
  free(used);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Quote scoring                                                       */
/* ------------------------------------------------------------------ */

static int qspan_cmp(const void *a, const void *b) {
  const qspan *x = a, *y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* Last word of `s`: the last whitespace-separated token with edge
 * punctuation removed. Returns its length (0 if none). */
static size_t last_word(const char *s, const char **w) {
  static const char *const edge = " \t\r\n.,;:!?'\"()[]";
  size_t e = strlen(s), b;
  while (e > 0 && strchr(edge, s[e - 1]))
    e--;
  b = e;
  while (b > 0 && !strchr(" \t\r\n", s[b - 1]))
    b--;
  while (b < e && strchr(edge, s[b]))
    b++;
  *w = s + b;
  return e - b;
}

static int names_match(const char *pred, const char *gold) {
  const char *pw, *gw;
  size_t pl, gl;
  if (!pred || !gold)
    return 0;
  if (str_ieq(pred, gold))
    return 1;
  pl = last_word(pred, &pw);
  gl = last_word(gold, &gw);
  return pl > 0 && ascii_ieq(pw, pl, gw, gl);
}

static int span_matches(const doc_ctx *d, const json_t *gq,
                        const json_t *spk) {
  const json_t *m = json_object_get(spk, "mention");
  size_t gs, ge, ps, pe;
  if (!get_offset(gq, "speaker_start", d->n, &gs) ||
      !get_offset(gq, "speaker_end", d->n, &ge) || !json_is_object(m) ||
      !get_span(m, d->n, &ps, &pe))
    return 0;
  return overlap(gs, ge, ps, pe) > 0;
}

/* Counts speaker accuracy for gold quote gq matched by predicted pq. */
static void score_speaker(doc_ctx *d, const json_t *gq, const json_t *pq) {
  const char *gname = json_string_value(json_object_get(gq, "speaker"));
  int has_span = json_is_integer(json_object_get(gq, "speaker_start")) ||
                 json_is_integer(json_object_get(gq, "speaker_end"));
  const json_t *spk = json_object_get(pq, "speaker");
  const char *how = json_string_value(json_object_get(pq, "how"));
  int pron = how && strcmp(how, "pronoun") == 0, ok;
  if ((!gname || !*gname) && !has_span)
    return;
  ok = json_is_object(spk) &&
       (names_match(json_string_value(json_object_get(spk, "name")), gname) ||
        span_matches(d, gq, spk));
  d->s.spk_total++;
  d->s.spk_correct += ok;
  d->s.pron_total += pron;
  d->s.pron_correct += pron && ok;
}

/* The unmatched predicted segment best matching gold quote g, or -1. */
static long best_segment(const doc_ctx *d, const qspan *g) {
  const qspan *p = d->pred_q.items;
  long best = -1;
  size_t best_ov = 0, lg = g->ce - g->cs;
  for (size_t j = 0; j < d->pred_q.n; j++) {
    size_t ov = overlap(g->cs, g->ce, p[j].cs, p[j].ce);
    size_t lp = p[j].ce - p[j].cs, longer = lg > lp ? lg : lp;
    if (p[j].matched || ov == 0 || ov * 2 < longer || ov <= best_ov)
      continue;
    best = (long)j;
    best_ov = ov;
  }
  return best;
}

static const char *quote_rule(const doc_ctx *d, size_t qi) {
  const json_t *q = json_array_get(d->pred_quotes, qi);
  return json_string_value(json_object_get(q, "rule"));
}

static int score_quotes(doc_ctx *d) {
  qspan *g = d->gold_q.items, *p = d->pred_q.items;
  const json_t *golds = json_object_get(d->gold, "quotes");
  if (d->gold_q.n)
    qsort(g, d->gold_q.n, sizeof *g, qspan_cmp);
  if (d->pred_q.n)
    qsort(p, d->pred_q.n, sizeof *p, qspan_cmp);
  for (size_t i = 0; i < d->gold_q.n; i++) {
    long j = best_segment(d, &g[i]);
    if (j < 0) {
      d->s.quotes.fn++;
      if (add_error(d, "FN", "QUOTE", g[i].start, g[i].end, NULL) != 0)
        return -1;
      continue;
    }
    p[j].matched = 1;
    d->s.quotes.tp++;
    score_speaker(d, json_array_get(golds, g[i].quote),
                  json_array_get(d->pred_quotes, p[j].quote));
  }
  for (size_t j = 0; j < d->pred_q.n; j++) {
    if (p[j].matched)
      continue;
    d->s.quotes.fp++;
    if (add_error(d, "FP", "QUOTE", p[j].start, p[j].end,
                  quote_rule(d, p[j].quote)) != 0)
      return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Adding a document                                                   */
/* ------------------------------------------------------------------ */

static void doc_free(doc_ctx *d) {
  json_decref(d->gold);
  json_decref(d->pred);
  json_decref(d->errors);
  free(d->cp);
  free(d->gold_e.items);
  free(d->flagged.items);
  free(d->pred_e.items);
  free(d->gold_q.items);
  free(d->pred_q.items);
}

static nerq_status load_gold(doc_ctx *d, const char *gold_json,
                             char **error) {
  json_t *ents, *quotes, *text;
  nerq_status st = parse_json(gold_json, "gold", &d->gold, error);
  if (st != NERQ_OK)
    return st;
  text = json_object_get(d->gold, "text");
  if (!json_is_string(text)) {
    set_error(error, "%s: %s", "gold", "missing \"text\" string");
    return NERQ_ERR_INPUT;
  }
  if (opt_array(d->gold, "entities", &ents) != 0 ||
      opt_array(d->gold, "quotes", &quotes) != 0) {
    set_error(error, "%s: %s", "gold",
              "\"entities\" and \"quotes\" must be arrays");
    return NERQ_ERR_INPUT;
  }
  set_doc_id(d);
  d->no_entities = !json_object_get(d->gold, "entities");
  d->no_quotes = !json_object_get(d->gold, "quotes");
  if (decode_utf8(json_string_value(text), json_string_length(text), &d->cp,
                  &d->n) != 0 ||
      collect_gold_entities(d, ents) != 0 || collect_gold_quotes(d, quotes))
    return NERQ_ERR_NOMEM;
  return NERQ_OK;
}

static nerq_status load_pred(doc_ctx *d, const char *pred_json,
                             char **error) {
  json_t *ents;
  nerq_status st;
  if (!pred_json)
    return NERQ_OK;
  st = parse_json(pred_json, "prediction", &d->pred, error);
  if (st != NERQ_OK)
    return st;
  if (json_object_get(d->pred, "error"))
    return NERQ_OK; /* an error record is an empty prediction */
  if (opt_array(d->pred, "entities", &ents) != 0 ||
      opt_array(d->pred, "quotes", &d->pred_quotes) != 0) {
    set_error(error, "%s: %s", "prediction",
              "\"entities\" and \"quotes\" must be arrays");
    return NERQ_ERR_INPUT;
  }
  if (collect_pred_entities(d, ents) != 0 || collect_pred_quotes(d) != 0)
    return NERQ_ERR_NOMEM;
  return NERQ_OK;
}

static void merge_scores(scores *into, const scores *from) {
  for (int s = 0; s < S_N; s++)
    for (int t = 0; t < T_N; t++) {
      into->ent[s][t].tp += from->ent[s][t].tp;
      into->ent[s][t].fp += from->ent[s][t].fp;
      into->ent[s][t].fn += from->ent[s][t].fn;
    }
  into->quotes.tp += from->quotes.tp;
  into->quotes.fp += from->quotes.fp;
  into->quotes.fn += from->quotes.fn;
  into->spk_correct += from->spk_correct;
  into->spk_total += from->spk_total;
  into->pron_correct += from->pron_correct;
  into->pron_total += from->pron_total;
}

static nerq_status score_doc(doc_ctx *d) {
  sort_unique(&d->gold_e);
  sort_unique(&d->pred_e);
  drop_flagged(d);
  if (!d->no_entities && (score_strict(d) != 0 || score_partial(d) != 0))
    return NERQ_ERR_NOMEM;
  if (!d->no_quotes && score_quotes(d) != 0)
    return NERQ_ERR_NOMEM;
  return NERQ_OK;
}

nerq_status nerq_eval_add(nerq_eval *ev, const char *gold_json,
                          const char *pred_json, char **error) {
  doc_ctx d;
  nerq_status st;
  if (error)
    *error = NULL;
  if (!ev || !gold_json) {
    set_error(error, "%s%s", "nerq_eval_add: NULL argument", "");
    return NERQ_ERR_USAGE;
  }
  memset(&d, 0, sizeof d);
  d.errors = json_array();
  st = d.errors ? load_gold(&d, gold_json, error) : NERQ_ERR_NOMEM;
  if (st == NERQ_OK)
    st = load_pred(&d, pred_json, error);
  if (st == NERQ_OK)
    st = score_doc(&d);
  if (st == NERQ_OK && json_array_extend(ev->errors, d.errors) != 0)
    st = NERQ_ERR_NOMEM;
  if (st == NERQ_OK) {
    merge_scores(&ev->s, &d.s);
    ev->docs++;
  }
  doc_free(&d);
  return st;
}

/* ------------------------------------------------------------------ */
/* Accumulator                                                         */
/* ------------------------------------------------------------------ */

nerq_eval *nerq_eval_new(void) {
  nerq_eval *ev = calloc(1, sizeof *ev);
  if (!ev)
    return NULL;
  ev->errors = json_array();
  if (!ev->errors) {
    free(ev);
    return NULL;
  }
  return ev;
}

void nerq_eval_free(nerq_eval *ev) {
  if (!ev)
    return;
  json_decref(ev->errors);
  free(ev);
}

/* Totals for a scheme index and type index (T_N means ALL). */
static tally sum_tally(const nerq_eval *ev, int scheme, int type) {
  tally t = {0, 0, 0};
  for (int i = 0; i < T_N; i++) {
    if (type != T_N && type != i)
      continue;
    t.tp += ev->s.ent[scheme][i].tp;
    t.fp += ev->s.ent[scheme][i].fp;
    t.fn += ev->s.ent[scheme][i].fn;
  }
  return t;
}

void nerq_eval_counts(const nerq_eval *ev, const char *scheme,
                      const char *type, long *tp, long *fp, long *fn) {
  int s = -1, t = -1;
  tally r = {-1, -1, -1};
  for (int i = 0; i < S_N && scheme; i++)
    if (strcmp(scheme, scheme_names[i]) == 0)
      s = i;
  for (int i = 0; i < T_N && type; i++)
    if (strcmp(type, type_names[i]) == 0)
      t = i;
  if (type && strcmp(type, "ALL") == 0)
    t = T_N;
  if (ev && s >= 0 && t >= 0)
    r = sum_tally(ev, s, t);
  if (tp)
    *tp = r.tp;
  if (fp)
    *fp = r.fp;
  if (fn)
    *fn = r.fn;
}

void nerq_eval_quote_counts(const nerq_eval *ev, long *tp, long *fp,
                            long *fn) {
  tally r = {-1, -1, -1};
  if (ev)
    r = ev->s.quotes;
  if (tp)
    *tp = r.tp;
  if (fp)
    *fp = r.fp;
  if (fn)
    *fn = r.fn;
}

/* ------------------------------------------------------------------ */
/* Report: JSON                                                        */
/* ------------------------------------------------------------------ */

static json_t *tally_json(tally t) {
  double p = ratio(t.tp, t.tp + t.fp), r = ratio(t.tp, t.tp + t.fn);
  return json_pack("{s:I, s:I, s:I, s:f, s:f, s:f}", "tp", (json_int_t)t.tp,
                   "fp", (json_int_t)t.fp, "fn", (json_int_t)t.fn,
                   "precision", p, "recall", r, "f1", f1_of(p, r));
}

static json_t *scheme_json(const nerq_eval *ev, int scheme) {
  json_t *o = json_object();
  for (int t = 0; o && t <= T_N; t++) {
    const char *name = t == T_N ? "ALL" : type_names[t];
    if (json_object_set_new(o, name, tally_json(sum_tally(ev, scheme, t)))) {
      json_decref(o);
      return NULL;
    }
  }
  return o;
}

static json_t *accuracy_json(long correct, long total) {
  return json_pack("{s:I, s:I, s:f}", "correct", (json_int_t)correct,
                   "total", (json_int_t)total, "accuracy",
                   ratio(correct, total));
}

static char *report_json(const nerq_eval *ev, int flags) {
  json_t *spk = accuracy_json(ev->s.spk_correct, ev->s.spk_total);
  json_t *root = json_pack(
      "{s:I, s:{s:o?, s:o?}, s:o?, s:o?}", "docs", (json_int_t)ev->docs,
      "entities", "strict", scheme_json(ev, S_STRICT), "partial",
      scheme_json(ev, S_PARTIAL), "quotes", tally_json(ev->s.quotes),
      "speakers", spk);
  char *out = NULL;
  if (root && spk &&
      json_object_set_new(spk, "pronoun",
                          accuracy_json(ev->s.pron_correct,
                                        ev->s.pron_total)) == 0 &&
      (!(flags & NERQ_EVAL_ERRORS) ||
       json_object_set(root, "errors", ev->errors) == 0))
    out = json_dumps(root, JSON_INDENT(2));
  json_decref(root);
  return out;
}

/* ------------------------------------------------------------------ */
/* Report: text                                                        */
/* ------------------------------------------------------------------ */

static void sb_row(nerq_buf *b, const char *scheme, const char *type,
                   tally t) {
  double p = ratio(t.tp, t.tp + t.fp), r = ratio(t.tp, t.tp + t.fn);
  nerq_buf_printf(b, "%-8s %-7s %8ld %8ld %8ld %6.3f %6.3f %6.3f\n", scheme, type,
                  t.tp, t.fp, t.fn, p, r, f1_of(p, r));
}

/* Copies s with newlines shown as "⏎"; NULL on allocation failure. */
static char *visible(const char *s) {
  size_t n = 0;
  for (const char *p = s; *p; p++)
    n += *p == '\n' ? 3 : 1;
  char *out = malloc(n + 1), *o = out;
  if (!out)
    return NULL;
  for (const char *p = s; *p; p++) {
    if (*p == '\n') {
      memcpy(o, "\xe2\x8f\x8e", 3);
      o += 3;
    } else {
      *o++ = *p;
    }
  }
  *o = '\0';
  return out;
}

static const char *jstr(const json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "";
}

static void sb_error(nerq_buf *b, const json_t *e) {
  char *text = visible(jstr(e, "text")), *left = visible(jstr(e, "left"));
  char *right = visible(jstr(e, "right"));
  const char *rule = json_string_value(json_object_get(e, "rule"));
  if (!text || !left || !right)
    b->failed = 1;
  else
    nerq_buf_printf(b, "%s %s %s %" JSON_INTEGER_FORMAT "-%" JSON_INTEGER_FORMAT " \"%s\"%s%s | ...%s[%s]%s...\n",
                    jstr(e, "kind"), jstr(e, "type"), jstr(e, "doc"),
                    json_integer_value(json_object_get(e, "start")),
                    json_integer_value(json_object_get(e, "end")), text,
                    rule ? " rule=" : "", rule ? rule : "", left, text, right);
  free(text);
  free(left);
  free(right);
}

static void sb_table(nerq_buf *b, const nerq_eval *ev) {
  nerq_buf_printf(b, "%-8s %-7s %8s %8s %8s %6s %6s %6s\n", "scheme", "type", "TP",
                  "FP", "FN", "P", "R", "F1");
  for (int s = 0; s < S_N; s++)
    for (int t = 0; t <= T_N; t++)
      sb_row(b, scheme_names[s], t == T_N ? "ALL" : type_names[t],
             sum_tally(ev, s, t));
  sb_row(b, "quotes", "QUOTE", ev->s.quotes);
  nerq_buf_printf(b, "speakers: %ld/%ld correct, accuracy %.3f\n",
                  ev->s.spk_correct, ev->s.spk_total,
                  ratio(ev->s.spk_correct, ev->s.spk_total));
  nerq_buf_printf(b, "speakers (pronoun): %ld/%ld correct, accuracy %.3f\n",
                  ev->s.pron_correct, ev->s.pron_total,
                  ratio(ev->s.pron_correct, ev->s.pron_total));
  nerq_buf_printf(b, "docs: %ld\n", ev->docs);
}

static char *report_text(const nerq_eval *ev, int flags) {
  nerq_buf b = {NULL, 0, 0, 0};
  size_t i;
  json_t *e;
  sb_table(&b, ev);
  if (flags & NERQ_EVAL_ERRORS) {
    nerq_buf_printf(&b, "\nerrors (%zu, strict entities and quotes):\n",
                    json_array_size(ev->errors));
    json_array_foreach(ev->errors, i, e) sb_error(&b, e);
  }
  return nerq_buf_finish(&b);
}

char *nerq_eval_report(const nerq_eval *ev, int flags) {
  if (!ev)
    return NULL;
  return (flags & NERQ_EVAL_JSON) ? report_json(ev, flags)
                                  : report_text(ev, flags);
}
