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

static json_t *entities_json(const nerq_doc *d) {
  json_t *arr = json_array();
  for (size_t i = 0; i < d->entities.count; i++) {
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
    json_array_append_new(arr, o);
  }
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

char *nerq_doc_to_json(const nerq_doc *d, const char *doc_id,
                       const char *meta_json, int flags) {
  json_t *rec = json_object();
  if (!rec) return NULL;
  json_object_set_new(rec, "doc", doc_id ? json_string(doc_id) : json_null());
  if (meta_json) {
    json_t *meta = json_loads(meta_json, JSON_DECODE_ANY, NULL);
    if (meta) json_object_set_new(rec, "meta", meta);
  }
  json_object_set_new(rec, "entities", entities_json(d));
  json_object_set_new(rec, "quotes", quotes_json(d));
  json_object_set_new(rec, "warnings", warnings_json(d));
  size_t jf = (flags & NERQ_JSON_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT;
  char *s = json_dumps(rec, jf);
  json_decref(rec);
  return s;
}
