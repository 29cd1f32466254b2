/* output.c - the JSON record of a document, through the one writer
 * (jsonw.c). Byte offsets are converted to code-point offsets here,
 * once, at output. */
#include <string.h>

#include <utf8proc.h>

#include "jsonw.h"
#include "boilerplate.h"
#include "rules.h"
#include "entities.h"
#include "quotes.h"
#include "relate.h"
#include "document.h"
#include "output_html.h"

/* A key given as a string literal. */
#define KEY(w, lit) nerq_jw_key((w), (lit), sizeof(lit) - 1)

static void put_cp(nerq_jw *w, const nerq_doc *d, size_t byte) {
  nerq_jw_num(w, nerq_text_cp(&d->text, byte));
}

/* Bytes [a, z) of the text, as a JSON string. */
static void put_text(nerq_jw *w, const nerq_doc *d, size_t a, size_t z) {
  nerq_jw_str(w, d->text.text + a, z - a);
}

/* {"start", "end", "text", "rule"} of the bytes [a, z): a mention, or
 * boilerplate. */
static void put_span_rule(nerq_jw *w, const nerq_doc *d, size_t a, size_t z, const char *rule) {
  nerq_jw_open(w, '{');
  KEY(w, "start");
  put_cp(w, d, a);
  KEY(w, "end");
  put_cp(w, d, z);
  KEY(w, "text");
  put_text(w, d, a, z);
  KEY(w, "rule");
  nerq_jw_cstr(w, rule);
  nerq_jw_close(w, '}');
}

/* One mention. */
static void put_mention(nerq_jw *w, const nerq_doc *d, const nerq_mention *m) {
  put_span_rule(w, d, m->start, m->stop, m->rule ? m->rule : "");
}

/* One entity: the hot part of the output. */
static void put_entity(nerq_jw *w, const nerq_doc *d, size_t i) {
  const nerq_entity *e = NERQ_VEC_AT(&d->entities, nerq_entity, i);
  nerq_jw_open(w, '{');
  KEY(w, "id");
  nerq_jw_id(w, 'e', i + 1);
  KEY(w, "type");
  nerq_jw_cstr(w, nerq_type_name(e->type));
  KEY(w, "name");
  nerq_jw_cstr(w, e->name);
  KEY(w, "key");
  nerq_jw_cstr(w, e->key);
  KEY(w, "mentions");
  nerq_jw_open(w, '[');
  for (size_t k = 0; k < e->mentions.count && !w->write_failed; k++) {
    put_mention(w, d, NERQ_VEC_AT(&d->mentions, nerq_mention, *NERQ_VEC_AT(&e->mentions, uint32_t, k)));
    nerq_jw_piece(w, 0);
  }
  nerq_jw_close(w, ']');
  nerq_jw_close(w, '}');
}

/* {"text":...,"start":...,"end":...} for bytes [a, z), or null when z
 * is 0 (no such span). */
static void put_span(nerq_jw *w, const nerq_doc *d, uint32_t a, uint32_t z) {
  if (!z) {
    nerq_jw_null(w);
    return;
  }
  nerq_jw_open(w, '{');
  KEY(w, "text");
  put_text(w, d, a, z);
  KEY(w, "start");
  put_cp(w, d, a);
  KEY(w, "end");
  put_cp(w, d, z);
  nerq_jw_close(w, '}');
}

static void put_entity_ref(nerq_jw *w, int e) {
  if (e < 0) nerq_jw_null(w);
  else nerq_jw_id(w, 'e', (size_t)e + 1);
}

/* The speaker object, or null. */
static void put_speaker(nerq_jw *w, const nerq_doc *d, const nerq_quote *q) {
  if (q->speaker < 0 && !q->spk_end) {
    nerq_jw_null(w);
    return;
  }
  nerq_jw_open(w, '{');
  KEY(w, "entity");
  put_entity_ref(w, q->speaker);
  KEY(w, "name");
  if (q->speaker >= 0) nerq_jw_cstr(w, NERQ_VEC_AT(&d->entities, nerq_entity, q->speaker)->name);
  else put_text(w, d, q->spk_start, q->spk_end);
  KEY(w, "mention");
  put_span(w, d, q->spk_start, q->spk_end);
  KEY(w, "role");
  nerq_jw_cstr(w, q->role);
  KEY(w, "org");
  put_entity_ref(w, q->org);
  nerq_jw_close(w, '}');
}

/* The text of the segments joined by "\n", as one JSON string. */
static void put_quote_text(nerq_jw *w, const nerq_doc *d, const nerq_quote *q) {
  nerq_jw_str_part(w, "", 0, NERQ_JW_FIRST);
  for (size_t k = 0; k < q->segs.count; k++) {
    const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, k);
    if (k) nerq_jw_str_part(w, "\n", 1, NERQ_JW_MIDDLE);
    nerq_jw_str_part(w, d->text.text + g->start, g->end - g->start, NERQ_JW_MIDDLE);
  }
  nerq_jw_str_part(w, "", 0, NERQ_JW_LAST);
}

static void put_segments(nerq_jw *w, const nerq_doc *d, const nerq_quote *q) {
  nerq_jw_open(w, '[');
  for (size_t k = 0; k < q->segs.count; k++) {
    const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, k);
    nerq_jw_open(w, '[');
    put_cp(w, d, g->start);
    put_cp(w, d, g->end);
    nerq_jw_close(w, ']');
  }
  nerq_jw_close(w, ']');
}

/* One quote. */
static void put_quote(nerq_jw *w, const nerq_doc *d, const nerq_quote *q, size_t i) {
  const nerq_seg *first = NERQ_VEC_AT(&q->segs, nerq_seg, 0);
  const nerq_seg *last = NERQ_VEC_AT(&q->segs, nerq_seg, q->segs.count - 1);
  nerq_jw_open(w, '{');
  KEY(w, "id");
  nerq_jw_id(w, 'q', i + 1);
  KEY(w, "text");
  put_quote_text(w, d, q);
  KEY(w, "start");
  put_cp(w, d, first->start);
  KEY(w, "end");
  put_cp(w, d, last->end);
  KEY(w, "segments");
  put_segments(w, d, q);
  KEY(w, "kind");
  nerq_jw_cstr(w, nerq_quote_kind(q));
  KEY(w, "speaker");
  put_speaker(w, d, q);
  KEY(w, "cue");
  put_span(w, d, q->cue_start, q->cue_end);
  KEY(w, "how");
  nerq_jw_cstr(w, q->how);
  KEY(w, "rule");
  nerq_jw_cstr(w, q->rule);
  if (q->span_rule) {
    KEY(w, "span_rule");
    nerq_jw_cstr(w, q->span_rule);
  }
  nerq_jw_close(w, '}');
}

/* Whether s[0..n) is valid UTF-8. */
static int utf8_valid(const char *s, size_t n) {
  const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
  utf8proc_int32_t c;
  for (size_t i = 0; i < n;) {
    utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &c);
    if (k <= 0) return 0;
    i += (size_t)k;
  }
  return 1;
}

/* "doc": the id, verbatim when NERQ_JSON_RAW_ID; an id that is not
 * valid UTF-8 is repaired and its bytes follow in hex as "doc_bytes". */
static void put_doc(nerq_jw *w, const char *doc_id, int flags) {
  static const char hex[] = "0123456789abcdef";
  size_t n = doc_id ? strlen(doc_id) : 0;
  if (doc_id && (flags & NERQ_JSON_RAW_ID) && !nerq_jw_key_raw(w, "doc", doc_id, n)) return;
  KEY(w, "doc");
  if (!doc_id) {
    nerq_jw_null(w);
    return;
  }
  nerq_jw_str_repair(w, doc_id, n);
  if (utf8_valid(doc_id, n)) return;
  KEY(w, "doc_bytes");
  nerq_jw_str_part(w, "", 0, NERQ_JW_FIRST);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)doc_id[i];
    char h[2] = {hex[c >> 4], hex[c & 15]};
    nerq_jw_str_part(w, h, 2, NERQ_JW_MIDDLE);
  }
  nerq_jw_str_part(w, "", 0, NERQ_JW_LAST);
}

/* "doc" and, when it is well-formed JSON, "meta" (re-laid out, its
 * tokens verbatim). */
static void put_header(nerq_jw *w, const nerq_doc *d, const char *doc_id,
                       const char *meta_json, int flags) {
  put_doc(w, doc_id, flags);
  KEY(w, "nerq");
  nerq_jw_cstr(w, NERQ_VERSION);
  KEY(w, "rules");
  nerq_jw_cstr(w, d->rules->hash);
  if (!meta_json) meta_json = d->meta_json; /* found in an HTML page */
  if (meta_json) nerq_jw_key_raw(w, "meta", meta_json, strlen(meta_json));
  if (d->emit_text) {
    KEY(w, "text");
    nerq_jw_str(w, d->text.text, d->text.len);
  }
}

/* "boilerplate": [{"start", "end", "text", "rule"}...] (--boilerplate flag). */
static void put_boilerplate(nerq_jw *w, const nerq_doc *d) {
  KEY(w, "boilerplate");
  nerq_jw_open(w, '[');
  for (size_t i = 0; i < d->boiler.count; i++) {
    const nerq_boiler *g = NERQ_VEC_AT(&d->boiler, nerq_boiler, i);
    put_span_rule(w, d, g->start, g->end, g->rule);
  }
  nerq_jw_close(w, ']');
}

/* One relation: {"subject": "e3", "predicate": "worksFor", "object":
 * "e5" or {"text", "start", "end"} for a literal, "evidence": {"rule",
 * "start", "end"}}. */
static void put_relation(nerq_jw *w, const nerq_doc *d, const nerq_relation *r) {
  nerq_jw_open(w, '{');
  KEY(w, "subject");
  put_entity_ref(w, r->subject);
  KEY(w, "predicate");
  nerq_jw_cstr(w, nerq_relation_name(d, r));
  KEY(w, "object");
  if (r->object >= 0) put_entity_ref(w, r->object);
  else put_span(w, d, r->lit_start, r->lit_end);
  KEY(w, "evidence");
  nerq_jw_open(w, '{');
  KEY(w, "rule");
  nerq_jw_cstr(w, r->rule);
  KEY(w, "start");
  put_cp(w, d, r->start);
  KEY(w, "end");
  put_cp(w, d, r->end);
  nerq_jw_close(w, '}');
  nerq_jw_close(w, '}');
}

static void put_warnings(nerq_jw *w, const nerq_doc *d) {
  nerq_jw_open(w, '[');
  for (size_t i = 0; i < d->warnings.count; i++)
    nerq_jw_cstr(w, *NERQ_VEC_AT(&d->warnings, const char *, i));
  nerq_jw_close(w, ']');
}

/* The record, written one entity and one quote at a time straight into
 * the writer's buffer, so that a huge document never holds a JSON tree;
 * with a sink, the buffer goes to it between values (nerq_jw_piece). */
static nerq_status put_record(nerq_jw *w, const nerq_doc *d, const char *doc_id,
                              const char *meta_json, int flags) {
  nerq_jw_open(w, '{');
  put_header(w, d, doc_id, meta_json, flags);
  KEY(w, "entities");
  nerq_jw_open(w, '[');
  for (size_t i = 0; i < d->entities.count && !w->write_failed; i++) put_entity(w, d, i);
  nerq_jw_close(w, ']');
  KEY(w, "quotes");
  nerq_jw_open(w, '[');
  for (size_t i = 0; i < d->quotes.count && !w->write_failed; i++) {
    const nerq_quote *q = NERQ_VEC_AT(&d->quotes, nerq_quote, i);
    if (q->segs.count) put_quote(w, d, q, i);
    nerq_jw_piece(w, 0);
  }
  nerq_jw_close(w, ']');
  KEY(w, "relations");
  nerq_jw_open(w, '[');
  for (size_t i = 0; i < d->relations.count && !w->write_failed; i++) {
    put_relation(w, d, NERQ_VEC_AT(&d->relations, nerq_relation, i));
    nerq_jw_piece(w, 0);
  }
  nerq_jw_close(w, ']');
  KEY(w, "warnings");
  put_warnings(w, d);
  if (d->boiler_flag) put_boilerplate(w, d);
  nerq_jw_close(w, '}');
  return nerq_jw_piece(w, 1);
}

char *nerq_doc_to_json(const nerq_doc *d, const char *doc_id,
                       const char *meta_json, int flags) {
  if (!d) return NULL;
  nerq_buf b = {0};
  nerq_jw w;
  nerq_jw_init(&w, &b, flags & NERQ_JSON_PRETTY);
  put_record(&w, d, doc_id, meta_json, flags);
  nerq_jw_release(&w);
  return nerq_buf_finish(&b);
}

nerq_status nerq_doc_write_json(const nerq_doc *d, const char *doc_id, const char *meta_json,
                                int flags, nerq_write_fn write, void *ctx) {
  if (!d || !write) return NERQ_ERR_USAGE;
  nerq_buf b = {0};
  nerq_jw w;
  nerq_jw_init(&w, &b, flags & NERQ_JSON_PRETTY);
  nerq_jw_set_sink(&w, write, ctx);
  nerq_status st = put_record(&w, d, doc_id, meta_json, flags);
  nerq_jw_release(&w);
  free(b.s);
  return st;
}

char *nerq_error_to_json(const char *doc_id, const char *message, int flags) {
  nerq_buf b = {0};
  nerq_jw w;
  nerq_jw_init(&w, &b, flags & NERQ_JSON_PRETTY);
  nerq_jw_open(&w, '{');
  put_doc(&w, doc_id, flags);
  KEY(&w, "error");
  message = message ? message : "";
  nerq_jw_str_repair(&w, message, strlen(message));
  nerq_jw_close(&w, '}');
  nerq_jw_release(&w);
  return nerq_buf_finish(&b);
}
