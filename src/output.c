/* output.c - the JSON record of a document (jansson). Byte offsets are
 * converted to code-point offsets here, once, at output. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Appends a string literal. */
#define sb_lit(b, lit) nerq_buf_put((b), (lit), sizeof(lit) - 1)

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

/* Appends s[0..n) escaped as inside a JSON string, exactly as jansson
 * escapes it (the text is valid UTF-8 by then). */
static void sb_escaped(nerq_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    nerq_buf_put(b, s + run, i - run);
    run = i + 1;
    char esc[7] = {'\\', 0};
    switch (c) {
    case '"': case '\\': esc[1] = (char)c; nerq_buf_put(b, esc, 2); break;
    case '\b': sb_lit(b, "\\b"); break;
    case '\f': sb_lit(b, "\\f"); break;
    case '\n': sb_lit(b, "\\n"); break;
    case '\r': sb_lit(b, "\\r"); break;
    case '\t': sb_lit(b, "\\t"); break;
    default:
      memcpy(esc + 1, "u00", 3);
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      nerq_buf_put(b, esc, 6);
    }
  }
  nerq_buf_put(b, s + run, n - run);
}

/* Appends s[0..n) as a JSON string. */
static void sb_str(nerq_buf *b, const char *s, size_t n) {
  sb_lit(b, "\"");
  sb_escaped(b, s, n);
  sb_lit(b, "\"");
}

static void sb_num(nerq_buf *b, size_t v) {
  char num[24];
  size_t k = sizeof num;
  do num[--k] = (char)('0' + v % 10); while ((v /= 10) && k);
  nerq_buf_put(b, num + k, sizeof num - k);
}

/* One mention. */
static void sb_mention(nerq_buf *b, const nerq_doc *d, const nerq_mention *m) {
  sb_lit(b, "{\"start\":");
  sb_num(b, nerq_text_cp(&d->text, m->start));
  sb_lit(b, ",\"end\":");
  sb_num(b, nerq_text_cp(&d->text, m->stop));
  sb_lit(b, ",\"text\":");
  sb_str(b, d->text.text + m->start, m->stop - m->start);
  sb_lit(b, ",\"rule\":");
  const char *r = m->rule ? m->rule : "";
  sb_str(b, r, strlen(r));
  sb_lit(b, "}");
}

/* One entity: the hot part of the output, written directly. */
static void sb_entity(nerq_buf *b, const nerq_doc *d, size_t i) {
  const nerq_entity *e = NERQ_VEC_AT(&d->entities, nerq_entity, i);
  const char *type = nerq_type_name(e->type);
  sb_lit(b, "{\"id\":\"e");
  sb_num(b, i + 1);
  sb_lit(b, "\",\"type\":");
  sb_str(b, type, strlen(type));
  sb_lit(b, ",\"name\":");
  sb_str(b, e->name, strlen(e->name));
  sb_lit(b, ",\"key\":");
  sb_str(b, e->key, strlen(e->key));
  sb_lit(b, ",\"mentions\":[");
  for (size_t k = 0; k < e->mentions.count; k++) {
    if (k) sb_lit(b, ",");
    sb_mention(b, d, NERQ_VEC_AT(&d->mentions, nerq_mention, *NERQ_VEC_AT(&e->mentions, uint32_t, k)));
  }
  sb_lit(b, "]}");
}

/* A NUL-terminated string, or null. */
static void sb_cstr(nerq_buf *b, const char *s) {
  if (s) sb_str(b, s, strlen(s));
  else sb_lit(b, "null");
}

/* {"text":...,"start":...,"end":...} for bytes [a, z), or null when z
 * is 0 (no such span). */
static void sb_span(nerq_buf *b, const nerq_doc *d, uint32_t a, uint32_t z) {
  if (!z) { sb_lit(b, "null"); return; }
  sb_lit(b, "{\"text\":");
  sb_str(b, d->text.text + a, z - a);
  sb_lit(b, ",\"start\":");
  sb_num(b, nerq_text_cp(&d->text, a));
  sb_lit(b, ",\"end\":");
  sb_num(b, nerq_text_cp(&d->text, z));
  sb_lit(b, "}");
}

static void sb_entity_ref(nerq_buf *b, int e) {
  if (e < 0) { sb_lit(b, "null"); return; }
  sb_lit(b, "\"e");
  sb_num(b, (size_t)e + 1);
  sb_lit(b, "\"");
}

/* The speaker object, or null. */
static void sb_speaker(nerq_buf *b, const nerq_doc *d, const nerq_quote *q) {
  if (q->speaker < 0 && !q->spk_end) { sb_lit(b, "null"); return; }
  sb_lit(b, "{\"entity\":");
  sb_entity_ref(b, q->speaker);
  sb_lit(b, ",\"name\":");
  if (q->speaker >= 0) sb_cstr(b, NERQ_VEC_AT(&d->entities, nerq_entity, q->speaker)->name);
  else sb_str(b, d->text.text + q->spk_start, q->spk_end - q->spk_start);
  sb_lit(b, ",\"mention\":");
  sb_span(b, d, q->spk_start, q->spk_end);
  sb_lit(b, ",\"role\":");
  sb_cstr(b, q->role);
  sb_lit(b, ",\"org\":");
  sb_entity_ref(b, q->org);
  sb_lit(b, "}");
}

/* The text of the segments joined by "\n", as a JSON string. */
static void sb_quote_text(nerq_buf *b, const nerq_doc *d, const nerq_quote *q) {
  sb_lit(b, "\"");
  for (size_t k = 0; k < q->segs.count; k++) {
    const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, k);
    if (k) sb_lit(b, "\\n");
    sb_escaped(b, d->text.text + g->start, g->end - g->start);
  }
  sb_lit(b, "\"");
}

/* One quote. */
static void sb_quote(nerq_buf *b, const nerq_doc *d, const nerq_quote *q, size_t i) {
  const nerq_seg *first = NERQ_VEC_AT(&q->segs, nerq_seg, 0);
  const nerq_seg *last = NERQ_VEC_AT(&q->segs, nerq_seg, q->segs.count - 1);
  sb_lit(b, "{\"id\":\"q");
  sb_num(b, i + 1);
  sb_lit(b, "\",\"text\":");
  sb_quote_text(b, d, q);
  sb_lit(b, ",\"start\":");
  sb_num(b, nerq_text_cp(&d->text, first->start));
  sb_lit(b, ",\"end\":");
  sb_num(b, nerq_text_cp(&d->text, last->end));
  sb_lit(b, ",\"segments\":[");
  for (size_t k = 0; k < q->segs.count; k++) {
    const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, k);
    if (k) sb_lit(b, ",");
    sb_lit(b, "[");
    sb_num(b, nerq_text_cp(&d->text, g->start));
    sb_lit(b, ",");
    sb_num(b, nerq_text_cp(&d->text, g->end));
    sb_lit(b, "]");
  }
  sb_lit(b, "],\"kind\":");
  sb_cstr(b, q->partial ? "partial" : "direct");
  sb_lit(b, ",\"speaker\":");
  sb_speaker(b, d, q);
  sb_lit(b, ",\"cue\":");
  sb_span(b, d, q->cue_start, q->cue_end);
  sb_lit(b, ",\"how\":");
  sb_cstr(b, q->how);
  sb_lit(b, ",\"rule\":");
  sb_cstr(b, q->rule);
  sb_lit(b, "}");
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
 * that a huge document never holds its whole JSON tree in memory. Keys
 * come in a fixed order and strings are escaped as jansson does, so a
 * parse and dump by jansson (pretty_json) keeps every byte of content. */
static char *compact_json(const nerq_doc *d, const char *doc_id, const char *meta_json) {
  nerq_buf b = {0};
  json_t *head = header_json(doc_id, meta_json);
  char *hs = head ? json_dumps(head, JSON_COMPACT) : NULL;
  json_decref(head);
  if (!hs) return NULL;
  nerq_buf_put(&b, hs, strlen(hs) - 1); /* without the closing brace */
  sb_lit(&b, ",\"entities\":[");
  free(hs);
  for (size_t i = 0; i < d->entities.count; i++) {
    if (i) sb_lit(&b, ",");
    sb_entity(&b, d, i);
  }
  sb_lit(&b, "],\"quotes\":[");
  for (size_t i = 0, n = 0; i < d->quotes.count; i++) {
    const nerq_quote *q = NERQ_VEC_AT(&d->quotes, nerq_quote, i);
    if (!q->segs.count) continue;
    if (n++) sb_lit(&b, ",");
    sb_quote(&b, d, q, i);
  }
  sb_lit(&b, "]");
  sb_lit(&b, ",\"warnings\":");
  sb_json(&b, warnings_json(d));
  sb_lit(&b, "}");
  return nerq_buf_finish(&b);
}

/* The indented record: the compact one, parsed and dumped again, so
 * that both forms come from one writer. */
static char *pretty_json(const char *compact) {
  json_t *rec = compact ? json_loads(compact, 0, NULL) : NULL;
  char *s = rec ? json_dumps(rec, JSON_INDENT(2)) : NULL;
  json_decref(rec);
  return s;
}

char *nerq_doc_to_json(const nerq_doc *d, const char *doc_id,
                       const char *meta_json, int flags) {
  char *compact = compact_json(d, doc_id, meta_json);
  if (!(flags & NERQ_JSON_PRETTY)) return compact;
  char *pretty = pretty_json(compact);
  free(compact);
  return pretty;
}
