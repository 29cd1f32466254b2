/* output.c - the JSON record of a document (jansson). Byte offsets are
 * converted to code-point offsets here, once, at output. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static json_t *slice(const nerq_doc *d, uint32_t a, uint32_t b) {
  return json_stringn(d->text.text + a, b - a);
}

static json_t *cp(const nerq_doc *d, uint32_t byte) {
  return json_integer((json_int_t)nerq_text_cp(&d->text, byte));
}

static json_t *mention_json(const nerq_doc *d, const nerq_mention *m) {
  json_t *o = json_object();
  json_object_set_new(o, "start", cp(d, m->start));
  json_object_set_new(o, "end", cp(d, m->stop));
  json_object_set_new(o, "text", slice(d, m->start, m->stop));
  json_object_set_new(o, "rule", json_string(m->rule ? m->rule : ""));
  return o;
}

static json_t *entity_id(size_t i) {
  char id[32];
  snprintf(id, sizeof id, "e%zu", i + 1);
  return json_string(id);
}

static json_t *entity_json(const nerq_doc *d, size_t i) {
  const nerq_entity *e = NERQ_VEC_AT(&d->entities, nerq_entity, i);
  json_t *o = json_object(), *ms = json_array();
  json_object_set_new(o, "id", entity_id(i));
  json_object_set_new(o, "type", json_string(nerq_type_name(e->type)));
  json_object_set_new(o, "name", json_string(e->name));
  json_object_set_new(o, "key", json_string(e->key));
  for (size_t k = 0; k < e->mentions.count; k++) {
    uint32_t mi = *NERQ_VEC_AT(&e->mentions, uint32_t, k);
    json_array_append_new(ms, mention_json(d, NERQ_VEC_AT(&d->mentions, nerq_mention, mi)));
  }
  json_object_set_new(o, "mentions", ms);
  return o;
}

static json_t *entities_json(const nerq_doc *d) {
  json_t *arr = json_array();
  for (size_t i = 0; i < d->entities.count; i++) json_array_append_new(arr, entity_json(d, i));
  return arr;
}

static json_t *span_json(const nerq_doc *d, uint32_t a, uint32_t b) {
  json_t *o = json_object();
  json_object_set_new(o, "text", slice(d, a, b));
  json_object_set_new(o, "start", cp(d, a));
  json_object_set_new(o, "end", cp(d, b));
  return o;
}

static json_t *speaker_json(const nerq_doc *d, const nerq_quote *q) {
  if (q->speaker < 0 && !q->spk_end) return json_null();
  json_t *o = json_object();
  if (q->speaker >= 0) {
    const nerq_entity *e = NERQ_VEC_AT(&d->entities, nerq_entity, q->speaker);
    json_object_set_new(o, "entity", entity_id((size_t)q->speaker));
    json_object_set_new(o, "name", json_string(e->name));
  } else {
    json_object_set_new(o, "entity", json_null());
    json_object_set_new(o, "name", slice(d, q->spk_start, q->spk_end));
  }
  json_object_set_new(o, "mention", q->spk_end ? span_json(d, q->spk_start, q->spk_end) : json_null());
  json_object_set_new(o, "role", q->role ? json_string(q->role) : json_null());
  json_object_set_new(o, "org", q->org >= 0 ? entity_id((size_t)q->org) : json_null());
  return o;
}

/* Segment contents joined by "\n". */
static json_t *quote_text(const nerq_doc *d, const nerq_quote *q) {
  size_t n = 0;
  for (size_t s = 0; s < q->segs.count; s++) {
    const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, s);
    n += g->end - g->start + 1;
  }
  char *buf = malloc(n + 1), *o = buf;
  if (!buf) return json_null();
  for (size_t s = 0; s < q->segs.count; s++) {
    const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, s);
    if (s) *o++ = '\n';
    memcpy(o, d->text.text + g->start, g->end - g->start);
    o += g->end - g->start;
  }
  json_t *j = json_stringn(buf, (size_t)(o - buf));
  free(buf);
  return j;
}

static json_t *quote_json(const nerq_doc *d, const nerq_quote *q, size_t i) {
  json_t *o = json_object(), *segs = json_array();
  char id[32];
  snprintf(id, sizeof id, "q%zu", i + 1);
  const nerq_seg *first = NERQ_VEC_AT(&q->segs, nerq_seg, 0);
  const nerq_seg *last = NERQ_VEC_AT(&q->segs, nerq_seg, q->segs.count - 1);
  for (size_t s = 0; s < q->segs.count; s++) {
    const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, s);
    json_array_append_new(segs, json_pack("[oo]", cp(d, g->start), cp(d, g->end)));
  }
  json_object_set_new(o, "id", json_string(id));
  json_object_set_new(o, "text", quote_text(d, q));
  json_object_set_new(o, "start", cp(d, first->start));
  json_object_set_new(o, "end", cp(d, last->end));
  json_object_set_new(o, "segments", segs);
  json_object_set_new(o, "kind", json_string(q->partial ? "partial" : "direct"));
  json_object_set_new(o, "speaker", speaker_json(d, q));
  json_object_set_new(o, "cue", q->cue_end ? span_json(d, q->cue_start, q->cue_end) : json_null());
  json_object_set_new(o, "how", q->how ? json_string(q->how) : json_null());
  json_object_set_new(o, "rule", q->rule ? json_string(q->rule) : json_null());
  return o;
}

static json_t *quotes_json(const nerq_doc *d) {
  json_t *arr = json_array();
  for (size_t i = 0; i < d->quotes.count; i++) {
    const nerq_quote *q = NERQ_VEC_AT(&d->quotes, nerq_quote, i);
    if (q->segs.count) json_array_append_new(arr, quote_json(d, q, i));
  }
  return arr;
}

static json_t *warnings_json(const nerq_doc *d) {
  json_t *arr = json_array();
  for (size_t i = 0; i < d->warnings.count; i++)
    json_array_append_new(arr, json_string(*NERQ_VEC_AT(&d->warnings, const char *, i)));
  return arr;
}

static json_t *header_json(const char *doc_id, const char *meta_json) {
  json_t *rec = json_object();
  if (!rec) return NULL;
  json_object_set_new(rec, "doc", doc_id ? json_string(doc_id) : json_null());
  if (meta_json) {
    json_t *meta = json_loads(meta_json, JSON_DECODE_ANY, NULL);
    if (meta) json_object_set_new(rec, "meta", meta);
  }
  return rec;
}

/* The indented record, built as one tree (for people, small). */
static char *pretty_json(const nerq_doc *d, const char *doc_id, const char *meta_json) {
  json_t *rec = header_json(doc_id, meta_json);
  if (!rec) return NULL;
  json_object_set_new(rec, "entities", entities_json(d));
  json_object_set_new(rec, "quotes", quotes_json(d));
  json_object_set_new(rec, "warnings", warnings_json(d));
  char *s = json_dumps(rec, JSON_INDENT(2));
  json_decref(rec);
  return s;
}

/* Appends s[0..n) as a JSON string, escaped exactly as jansson does
 * (the text is valid UTF-8 by then). */
static void sb_str(nerq_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  nerq_buf_put(b, "\"", 1);
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    nerq_buf_put(b, s + run, i - run);
    run = i + 1;
    char esc[7] = {'\\', 0};
    switch (c) {
    case '"': case '\\': esc[1] = (char)c; nerq_buf_put(b, esc, 2); break;
    case '\b': nerq_buf_put(b, "\\b", 2); break;
    case '\f': nerq_buf_put(b, "\\f", 2); break;
    case '\n': nerq_buf_put(b, "\\n", 2); break;
    case '\r': nerq_buf_put(b, "\\r", 2); break;
    case '\t': nerq_buf_put(b, "\\t", 2); break;
    default:
      memcpy(esc + 1, "u00", 3);
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      nerq_buf_put(b, esc, 6);
    }
  }
  nerq_buf_put(b, s + run, n - run);
  nerq_buf_put(b, "\"", 1);
}

static void sb_num(nerq_buf *b, size_t v) {
  char num[32];
  int k = snprintf(num, sizeof num, "%zu", v);
  nerq_buf_put(b, num, (size_t)k);
}

/* One mention, as jansson's compact dump of mention_json would be. */
static void sb_mention(nerq_buf *b, const nerq_doc *d, const nerq_mention *m) {
  nerq_buf_put(b, "{\"start\":", 9);
  sb_num(b, nerq_text_cp(&d->text, m->start));
  nerq_buf_put(b, ",\"end\":", 7);
  sb_num(b, nerq_text_cp(&d->text, m->stop));
  nerq_buf_put(b, ",\"text\":", 8);
  sb_str(b, d->text.text + m->start, m->stop - m->start);
  nerq_buf_put(b, ",\"rule\":", 8);
  const char *r = m->rule ? m->rule : "";
  sb_str(b, r, strlen(r));
  nerq_buf_put(b, "}", 1);
}

/* One entity, as jansson's compact dump of entity_json would be: the
 * hot part of the output, written directly. */
static void sb_entity(nerq_buf *b, const nerq_doc *d, size_t i) {
  const nerq_entity *e = NERQ_VEC_AT(&d->entities, nerq_entity, i);
  const char *type = nerq_type_name(e->type);
  nerq_buf_put(b, "{\"id\":\"e", 8);
  sb_num(b, i + 1);
  nerq_buf_put(b, "\",\"type\":", 9);
  sb_str(b, type, strlen(type));
  nerq_buf_put(b, ",\"name\":", 8);
  sb_str(b, e->name, strlen(e->name));
  nerq_buf_put(b, ",\"key\":", 7);
  sb_str(b, e->key, strlen(e->key));
  nerq_buf_put(b, ",\"mentions\":[", 13);
  for (size_t k = 0; k < e->mentions.count; k++) {
    if (k) nerq_buf_put(b, ",", 1);
    sb_mention(b, d, NERQ_VEC_AT(&d->mentions, nerq_mention, *NERQ_VEC_AT(&e->mentions, uint32_t, k)));
  }
  nerq_buf_put(b, "]}", 2);
}

/* A NUL-terminated string, or null. */
static void sb_cstr(nerq_buf *b, const char *s) {
  if (s) sb_str(b, s, strlen(s));
  else nerq_buf_put(b, "null", 4);
}

/* {"text":...,"start":...,"end":...} for bytes [a, z). */
static void sb_span(nerq_buf *b, const nerq_doc *d, uint32_t a, uint32_t z) {
  nerq_buf_put(b, "{\"text\":", 8);
  sb_str(b, d->text.text + a, z - a);
  nerq_buf_put(b, ",\"start\":", 9);
  sb_num(b, nerq_text_cp(&d->text, a));
  nerq_buf_put(b, ",\"end\":", 7);
  sb_num(b, nerq_text_cp(&d->text, z));
  nerq_buf_put(b, "}", 1);
}

static void sb_entity_ref(nerq_buf *b, int e) {
  if (e < 0) { nerq_buf_put(b, "null", 4); return; }
  nerq_buf_put(b, "\"e", 2);
  sb_num(b, (size_t)e + 1);
  nerq_buf_put(b, "\"", 1);
}

/* The speaker object (see speaker_json), or null. */
static void sb_speaker(nerq_buf *b, const nerq_doc *d, const nerq_quote *q) {
  if (q->speaker < 0 && !q->spk_end) { nerq_buf_put(b, "null", 4); return; }
  nerq_buf_put(b, "{\"entity\":", 10);
  sb_entity_ref(b, q->speaker);
  nerq_buf_put(b, ",\"name\":", 8);
  if (q->speaker >= 0) sb_cstr(b, NERQ_VEC_AT(&d->entities, nerq_entity, q->speaker)->name);
  else sb_str(b, d->text.text + q->spk_start, q->spk_end - q->spk_start);
  nerq_buf_put(b, ",\"mention\":", 11);
  if (q->spk_end) sb_span(b, d, q->spk_start, q->spk_end);
  else nerq_buf_put(b, "null", 4);
  nerq_buf_put(b, ",\"role\":", 8);
  sb_cstr(b, q->role);
  nerq_buf_put(b, ",\"org\":", 7);
  sb_entity_ref(b, q->org);
  nerq_buf_put(b, "}", 1);
}

/* The text of the segments joined by "\n", as a JSON string. */
static void sb_quote_text(nerq_buf *b, const nerq_doc *d, const nerq_quote *q) {
  nerq_buf_put(b, "\"", 1);
  for (size_t k = 0; k < q->segs.count; k++) {
    const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, k);
    nerq_buf one = {0};
    sb_str(&one, d->text.text + g->start, g->end - g->start);
    if (k) nerq_buf_put(b, "\\n", 2);
    if (one.s) nerq_buf_put(b, one.s + 1, one.n - 2); /* without its quote marks */
    b->failed |= one.failed;
    free(one.s);
  }
  nerq_buf_put(b, "\"", 1);
}

/* One quote, as jansson's compact dump of quote_json would be. */
static void sb_quote(nerq_buf *b, const nerq_doc *d, const nerq_quote *q, size_t i) {
  const nerq_seg *first = NERQ_VEC_AT(&q->segs, nerq_seg, 0);
  const nerq_seg *last = NERQ_VEC_AT(&q->segs, nerq_seg, q->segs.count - 1);
  nerq_buf_put(b, "{\"id\":\"q", 8);
  sb_num(b, i + 1);
  nerq_buf_put(b, "\",\"text\":", 9);
  sb_quote_text(b, d, q);
  nerq_buf_put(b, ",\"start\":", 9);
  sb_num(b, nerq_text_cp(&d->text, first->start));
  nerq_buf_put(b, ",\"end\":", 7);
  sb_num(b, nerq_text_cp(&d->text, last->end));
  nerq_buf_put(b, ",\"segments\":[", 13);
  for (size_t k = 0; k < q->segs.count; k++) {
    const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, k);
    nerq_buf_put(b, k ? ",[" : "[", k ? 2 : 1);
    sb_num(b, nerq_text_cp(&d->text, g->start));
    nerq_buf_put(b, ",", 1);
    sb_num(b, nerq_text_cp(&d->text, g->end));
    nerq_buf_put(b, "]", 1);
  }
  nerq_buf_put(b, "],\"kind\":", 9);
  sb_cstr(b, q->partial ? "partial" : "direct");
  nerq_buf_put(b, ",\"speaker\":", 11);
  sb_speaker(b, d, q);
  nerq_buf_put(b, ",\"cue\":", 7);
  if (q->cue_end) sb_span(b, d, q->cue_start, q->cue_end);
  else nerq_buf_put(b, "null", 4);
  nerq_buf_put(b, ",\"how\":", 7);
  sb_cstr(b, q->how);
  nerq_buf_put(b, ",\"rule\":", 8);
  sb_cstr(b, q->rule);
  nerq_buf_put(b, "}", 1);
}

/* Appends the compact dump of j (and releases j). */
static void sb_json(nerq_buf *b, json_t *j) {
  char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  if (s) nerq_buf_put(b, s, strlen(s));
  else b->failed = 1;
  free(s);
  json_decref(j);
}

/* The compact record, written one entity and one quote at a time so
 * that a huge document never holds its whole JSON tree in memory. The
 * bytes are the same as jansson's compact dump of the whole tree. */
static char *compact_json(const nerq_doc *d, const char *doc_id, const char *meta_json) {
  nerq_buf b = {0};
  json_t *head = header_json(doc_id, meta_json);
  char *hs = head ? json_dumps(head, JSON_COMPACT) : NULL;
  json_decref(head);
  if (!hs) return NULL;
  nerq_buf_put(&b, hs, strlen(hs) - 1); /* without the closing brace */
  nerq_buf_put(&b, ",\"entities\":[", 13);
  free(hs);
  for (size_t i = 0; i < d->entities.count; i++) {
    if (i) nerq_buf_put(&b, ",", 1);
    sb_entity(&b, d, i);
  }
  nerq_buf_put(&b, "],\"quotes\":[", 12);
  for (size_t i = 0, n = 0; i < d->quotes.count; i++) {
    const nerq_quote *q = NERQ_VEC_AT(&d->quotes, nerq_quote, i);
    if (!q->segs.count) continue;
    if (n++) nerq_buf_put(&b, ",", 1);
    sb_quote(&b, d, q, i);
  }
  nerq_buf_put(&b, "]", 1);
  nerq_buf_put(&b, ",\"warnings\":", 12);
  sb_json(&b, warnings_json(d));
  nerq_buf_put(&b, "}", 1);
  return nerq_buf_finish(&b);
}

char *nerq_doc_to_json(const nerq_doc *d, const char *doc_id,
                       const char *meta_json, int flags) {
  return (flags & NERQ_JSON_PRETTY) ? pretty_json(d, doc_id, meta_json)
                                    : compact_json(d, doc_id, meta_json);
}
