/*
 * eval_input.c - what the eval module reads: a gold line, and a prediction
 * as a nerq JSON record or a processed nerq_doc, turned into entity spans
 * and quote segments over the gold text's code points (docs/eval.md);
 * small helpers the other parts share.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "eval_internal.h"
#include "lexicon.h"

int eval_vec_push(vec *v, const void *item, size_t size) {
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

int eval_ascii_ieq(const char *a, size_t alen, const char *b, size_t blen) {
  return alen == blen && nerq_ascii_caseeq(a, b, alen);
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

void eval_set_error(char **error, const char *fmt, const char *a,
                    const char *b) {
  if (error)
    *error = dup_printf(fmt, a, b);
}

static int cmp_size(size_t a, size_t b) { return a < b ? -1 : a > b; }

int eval_cmp_order(size_t as, size_t ae, int at, size_t ao, size_t bs, size_t be, int bt, size_t bo) {
  int c = cmp_size(as, bs);
  if (!c) c = cmp_size(ae, be);
  if (!c) c = at < bt ? -1 : at > bt;
  return c ? c : cmp_size(ao, bo);
}

size_t eval_overlap(size_t s1, size_t e1, size_t s2, size_t e2) {
  size_t s = s1 > s2 ? s1 : s2;
  size_t e = e1 < e2 ? e1 : e2;
  return e > s ? e - s : 0;
}
/* Maps a gold or predicted type name to T_*, or -1 if not scored. */
static int type_index(const char *t) {
  int type = nerq_type_scored(t);
  return type == NERQ_NONE ? -1 : type - NERQ_PERSON;
}

/* Reads an integer offset, clamped to [0, n]. Returns 0 if absent. */
int eval_get_offset(const json_t *obj, const char *key, size_t n,
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
  return eval_get_offset(obj, "start", n, s) && eval_get_offset(obj, "end", n, e) &&
         *s < *e;
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */
/* ------------------------------------------------------------------ */

/* Decodes UTF-8 into code points, U+FFFD for each maximal ill-formed
 * subpart. */
static int decode_utf8(const char *s, size_t len, uint32_t **out, size_t *n) {
  uint32_t *cp = malloc((len + 1) * sizeof *cp);
  size_t k = 0;
  if (!cp)
    return -1;
  for (size_t i = 0; i < len; k++) {
    int l = nerq_utf8_seq(s + i, len - i);
    utf8proc_int32_t c = 0xFFFD;
    if (l > 0)
      utf8proc_iterate((const utf8proc_uint8_t *)s + i, l, &c);
    cp[k] = (uint32_t)c;
    i += (size_t)(l > 0 ? l : -l);
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
    k += (size_t)utf8proc_encode_char((utf8proc_int32_t)c,
                                      (utf8proc_uint8_t *)out + k);
  }
  out[k] = '\0';
  return out;
}

/* ------------------------------------------------------------------ */
/* Errors list                                                         */
/* ------------------------------------------------------------------ */

/* Appends one FP/FN record; `type` is an entity type or "QUOTE". */
int eval_add_error(eval_doc *d, const char *kind, const char *type,
                   size_t s, size_t e, const char *rule) {
  size_t ls = s > EVAL_CONTEXT_CP ? s - EVAL_CONTEXT_CP : 0;
  size_t re = e + EVAL_CONTEXT_CP < d->n ? e + EVAL_CONTEXT_CP : d->n;
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
    eval_set_error(error, "%s: %s", what, "not a JSON object");
    return NERQ_ERR_INPUT;
  }
  return NERQ_OK;
}

static void set_doc_id(eval_doc *d) {
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

static int collect_gold_entities(eval_doc *d, const json_t *ents) {
  size_t i;
  json_t *e;
  json_array_foreach(ents, i, e) {
    span sp = {0, 0, i, -1, NULL};
    if (!json_is_object(e) || !get_span(e, d->n, &sp.start, &sp.end))
      continue;
    sp.type = type_index(json_string_value(json_object_get(e, "type")));
    vec *v = is_flagged(e) ? &d->flagged : sp.type >= 0 ? &d->gold_e
                                                        : NULL;
    if (v && eval_vec_push(v, &sp, sizeof sp) != 0)
      return -1;
  }
  return 0;
}

static int collect_mentions(eval_doc *d, const json_t *ent, int type) {
  const json_t *ments = json_object_get(ent, "mentions");
  size_t i;
  json_t *m;
  json_array_foreach(ments, i, m) {
    span sp = {0, 0, d->pred_e.n, type, NULL};
    if (!json_is_object(m) || !get_span(m, d->n, &sp.start, &sp.end))
      continue;
    sp.rule = json_string_value(json_object_get(m, "rule"));
    if (eval_vec_push(&d->pred_e, &sp, sizeof sp) != 0)
      return -1;
  }
  return 0;
}

static int collect_pred_entities(eval_doc *d, const json_t *ents) {
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

static int collect_gold_quotes(eval_doc *d, const json_t *quotes) {
  size_t i;
  json_t *q;
  json_array_foreach(quotes, i, q) {
    qspan sp = {0, 0, 0, 0, i, i, 0};
    if (!json_is_object(q) || !get_span(q, d->n, &sp.start, &sp.end))
      continue;
    eval_trim_content(d, &sp);
    if (sp.ce > sp.cs && eval_vec_push(&d->gold_q, &sp, sizeof sp) != 0)
      return -1;
  }
  return 0;
}

/* Adds a segment of predicted quote `quote`: to the direct quotes' list,
 * or to the reported speech's when the quote is indirect. */
static int push_segment(eval_doc *d, size_t quote, size_t s, size_t e) {
  const pquote *pq = (const pquote *)d->pred_quotes.items + quote;
  vec *to = pq->indirect ? &d->pred_iq : &d->pred_q;
  qspan sp = {s, e, 0, 0, to->n, quote, 0};
  if (s >= e)
    return 0;
  eval_trim_content(d, &sp);
  if (sp.ce == sp.cs)
    return 0;
  return eval_vec_push(to, &sp, sizeof sp);
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

static int collect_quote_segments(eval_doc *d, const json_t *q, size_t qi) {
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

/* The speaker, cue evidence and rule of a quote of a JSON record. */
static pquote json_pquote(const eval_doc *d, const json_t *q) {
  const json_t *spk = json_object_get(q, "speaker");
  const json_t *m = json_object_get(spk, "mention");
  pquote pq = {0, NULL, 0, 0, 0, 0, NULL, NULL, 0};
  pq.has_speaker = json_is_object(spk);
  pq.name = json_string_value(json_object_get(spk, "name"));
  pq.name_len = pq.name ? strlen(pq.name) : 0;
  pq.has_mention = json_is_object(m) && get_span(m, d->n, &pq.ms, &pq.me);
  pq.how = json_string_value(json_object_get(q, "how"));
  pq.rule = json_string_value(json_object_get(q, "rule"));
  const char *kind = json_string_value(json_object_get(q, "kind"));
  pq.indirect = kind && !strcmp(kind, "indirect");
  return pq;
}

static int collect_pred_quotes(eval_doc *d, const json_t *quotes) {
  size_t i;
  json_t *q;
  json_array_foreach(quotes, i, q) {
    pquote pq = json_pquote(d, q);
    if (eval_vec_push(&d->pred_quotes, &pq, sizeof pq) != 0 ||
        (json_is_object(q) && collect_quote_segments(d, q, i) != 0))
      return -1;
  }
  return 0;
}

nerq_status eval_load_gold(eval_doc *d, const char *gold_json,
                           char **error) {
  json_t *ents, *quotes, *text;
  nerq_status st = parse_json(gold_json, "gold", &d->gold, error);
  if (st != NERQ_OK)
    return st;
  text = json_object_get(d->gold, "text");
  if (!json_is_string(text)) {
    eval_set_error(error, "%s: %s", "gold", "missing \"text\" string");
    return NERQ_ERR_INPUT;
  }
  if (opt_array(d->gold, "entities", &ents) != 0 ||
      opt_array(d->gold, "quotes", &quotes) != 0) {
    eval_set_error(error, "%s: %s", "gold",
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

nerq_status eval_load_pred_json(eval_doc *d, const char *pred_json,
                                char **error) {
  json_t *ents, *quotes;
  nerq_status st;
  if (!pred_json)
    return NERQ_OK;
  st = parse_json(pred_json, "prediction", &d->pred, error);
  if (st != NERQ_OK)
    return st;
  if (json_object_get(d->pred, "error"))
    return NERQ_OK; /* an error record is an empty prediction */
  if (opt_array(d->pred, "entities", &ents) != 0 ||
      opt_array(d->pred, "quotes", &quotes) != 0) {
    eval_set_error(error, "%s: %s", "prediction",
                   "\"entities\" and \"quotes\" must be arrays");
    return NERQ_ERR_INPUT;
  }
  if (collect_pred_entities(d, ents) != 0 || collect_pred_quotes(d, quotes) != 0)
    return NERQ_ERR_NOMEM;
  return NERQ_OK;
}

/* ------------------------------------------------------------------ */
/* Prediction: a processed document                                    */
/* ------------------------------------------------------------------ */

/* Clamps [*s, *e) to [0, n]; 0 if it is then empty. */
static int clamp_span(size_t n, size_t *s, size_t *e) {
  *s = *s > n ? n : *s;
  *e = *e > n ? n : *e;
  return *s < *e;
}

static int doc_entities(eval_doc *d, const nerq_doc *doc) {
  for (size_t i = 0; i < nerq_doc_entity_count(doc); i++) {
    int type = type_index(nerq_doc_entity_type(doc, i));
    for (size_t m = 0; type >= 0 && m < nerq_doc_mention_count(doc, i); m++) {
      span sp = {0, 0, d->pred_e.n, type, nerq_doc_mention_rule(doc, i, m)};
      nerq_doc_mention_span(doc, i, m, &sp.start, &sp.end);
      if (clamp_span(d->n, &sp.start, &sp.end) &&
          eval_vec_push(&d->pred_e, &sp, sizeof sp) != 0)
        return -1;
    }
  }
  return 0;
}

/* The speaker, cue evidence and rule of quote q of a document. */
static pquote doc_pquote(const eval_doc *d, const nerq_doc *doc, size_t q) {
  pquote pq = {0, NULL, 0, 0, 0, 0, NULL, NULL, 0};
  int mention = nerq_doc_quote_speaker_mention(doc, q, &pq.ms, &pq.me, NULL) != NULL;
  pq.has_speaker = mention || nerq_doc_quote_speaker(doc, q) >= 0;
  pq.name = nerq_doc_quote_speaker_name(doc, q, &pq.name_len);
  pq.has_mention = mention && clamp_span(d->n, &pq.ms, &pq.me);
  pq.how = nerq_doc_quote_how(doc, q);
  pq.rule = nerq_doc_quote_rule(doc, q);
  const char *kind = nerq_doc_quote_kind(doc, q);
  pq.indirect = kind && !strcmp(kind, "indirect");
  return pq;
}

static int doc_quotes(eval_doc *d, const nerq_doc *doc) {
  for (size_t q = 0; q < nerq_doc_quote_count(doc); q++) {
    pquote pq = doc_pquote(d, doc, q);
    if (eval_vec_push(&d->pred_quotes, &pq, sizeof pq) != 0)
      return -1;
    for (size_t k = 0; k < nerq_doc_quote_segment_count(doc, q); k++) {
      size_t s = 0, e = 0;
      nerq_doc_quote_segment(doc, q, k, &s, &e, NULL);
      clamp_span(d->n, &s, &e);
      if (push_segment(d, q, s, e) != 0)
        return -1;
    }
  }
  return 0;
}

nerq_status eval_load_pred_doc(eval_doc *d, const nerq_doc *doc) {
  if (doc_entities(d, doc) != 0 || doc_quotes(d, doc) != 0)
    return NERQ_ERR_NOMEM;
  return NERQ_OK;
}
