/* output_html.c - the HTML view: one self-contained page (inline CSS, no
 * outside resources, no script) in the spirit of displaCy, with quotes.
 *
 * Each document is a <section>: its text (white space kept) with every
 * mention a <mark class="m" data-entity data-type> coloured by type in
 * the Okabe-Ito palette, which people with colour-vision deficiencies
 * can tell apart, and also told apart without colour by a type label
 * and an underline pattern; every quote segment a boxed
 * <span class="quote" data-quote data-speaker tabindex="0"> whose
 * evidence (how, rule, cue) shows on hover and keyboard focus, followed
 * after its last segment by the speaker, linked to the speaker's mention;
 * and a side panel of the entities with their keys and of the quotes per
 * speaker. nerq eval --html draws false positives and negatives with the
 * same renderer (nerq_view_render), as marks of class fp and fn. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "entities.h"
#include "quotes.h"
#include "document.h"
#include "output_html.h"
#include "nerq_eval.h"

#define lit(b, s) nerq_buf_put((b), (s), sizeof(s) - 1)

static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>nerq</title>\n<style>\n"
    "body{font:16px/1.7 Georgia,serif;margin:0;background:#fafafa;color:#111}\n"
    "header.top{background:#222;color:#fff;padding:.4em 1em;font:14px sans-serif}\n"
    "section.doc{display:flex;gap:1.5em;padding:1em 1.5em;border-bottom:1px solid #ccc;align-items:flex-start}\n"
    "section.doc>.body{flex:3;min-width:0}\n"
    "section.doc h2{font:bold 1.3em sans-serif;margin:.2em 0}\n"
    ".docid{font:12px monospace;color:#555;margin:0 0 .8em}\n"
    ".text{white-space:pre-wrap;overflow-wrap:break-word}\n"
    "mark.m{color:inherit;padding:0 .2em;border-radius:.25em;border-bottom:3px solid}\n"
    "mark.m::after{content:attr(data-type);font:bold 10px sans-serif;margin-left:.35em;"
    "letter-spacing:.04em;vertical-align:middle;opacity:.85}\n"
    "mark.m[data-type=PERSON]{background:#fde6b8;border-bottom-color:#E69F00;border-bottom-style:solid}\n"
    "mark.m[data-type=ORG]{background:#d2ebfa;border-bottom-color:#0072B2;border-bottom-style:dashed}\n"
    "mark.m[data-type=PLACE]{background:#c4eddd;border-bottom-color:#009E73;border-bottom-style:dotted}\n"
    "mark.m.cont::after{content:none}\n"
    "mark.fp{outline:2px solid #D55E00}\nmark.fp::after{content:attr(data-type) \" FP\"}\n"
    "mark.fn{background:#fff;outline:2px dashed #CC79A7}\nmark.fn::after{content:attr(data-type) \" FN\"}\n"
    ".quote{border:2px solid #444;border-radius:.35em;padding:0 .15em;"
    "-webkit-box-decoration-break:clone;box-decoration-break:clone;position:relative}\n"
    ".quote:hover,.quote:focus{outline:3px solid #CC79A7;outline-offset:1px}\n"
    ".quote:hover::after,.quote:focus::after{content:attr(data-evidence);position:absolute;"
    "left:0;top:100%;z-index:3;width:24em;background:#222;color:#fff;font:13px/1.4 sans-serif;"
    "padding:.4em .6em;border-radius:.3em;white-space:normal}\n"
    "a.speaker{font:bold 13px sans-serif;color:#fff;background:#444;border-radius:.3em;"
    "padding:.05em .4em;margin-left:.3em;text-decoration:none}\n"
    "a.speaker:focus,a.speaker:hover{background:#0072B2}\n"
    "aside.panel{flex:1;min-width:16em;font:14px/1.4 sans-serif;background:#fff;border:1px solid #ccc;"
    "padding:.6em .8em;position:sticky;top:0}\n"
    "aside.panel h3{font-size:14px;margin:.4em 0}\naside.panel ul{padding-left:1.1em;margin:.2em 0 .8em}\n"
    "aside.panel code{font-size:12px;color:#333}\n"
    ".tag{display:inline-block;font:bold 10px sans-serif;border-radius:.2em;padding:0 .3em;margin-right:.3em}\n"
    ".tag.PERSON{background:#E69F00}.tag.ORG{background:#56B4E9}.tag.PLACE{background:#009E73;color:#fff}\n"
    ".error{color:#D55E00;font-weight:bold}\n"
    "</style>\n</head>\n<body>\n<header class=\"top\">nerq: entities "
    "(<span class=\"tag PERSON\">PERSON</span><span class=\"tag ORG\">ORG</span>"
    "<span class=\"tag PLACE\">PLACE</span>) and quotes; focus or hover a quote for its evidence</header>\n"
    "<main>\n";

static const char page_tail[] = "</main>\n</body>\n</html>\n";

const char *nerq_html_page_head(void) { return page_head; }
const char *nerq_html_page_tail(void) { return page_tail; }

/* Appends s[0..n) escaped for HTML text and attribute values; control
 * characters other than tab and line feed become U+FFFD. */
void nerq_html_escape(nerq_buf *b, const char *s, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *rep = c == '&' ? "&amp;" : c == '<'                                        ? "&lt;"
                                       : c == '>'                                          ? "&gt;"
                                       : c == '"'                                          ? "&quot;"
                                       : c == '\''                                         ? "&#39;"
                                       : (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? "\xEF\xBF\xBD"
                                                                                           : NULL;
    if (!rep) continue;
    nerq_buf_put(b, s + run, i - run);
    nerq_buf_put(b, rep, strlen(rep));
    run = i + 1;
  }
  nerq_buf_put(b, s + run, n - run);
}

static void esc(nerq_buf *b, const char *s) {
  if (s) nerq_html_escape(b, s, strlen(s));
}

/* An id fragment from the document id: letters and digits, others '-'. */
void nerq_html_anchor(nerq_buf *b, const char *doc_id) {
  lit(b, "d-");
  for (const char *p = doc_id ? doc_id : "doc"; *p; p++) {
    char c = *p;
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    nerq_buf_put(b, ok ? p : "-", 1);
  }
}

/* -- the text with its spans ---------------------------------------- */

static int cmp_span(const void *pa, const void *pb) {
  const nerq_view_span *a = pa, *b = pb;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  if (a->end != b->end) return a->end > b->end ? -1 : 1; /* outer first */
  return a->kind == b->kind ? 0 : a->kind == VIEW_QUOTE ? -1
                                                        : 1;
}

static void attr(nerq_buf *b, const char *name, const char *v) {
  if (!v) return;
  nerq_buf_printf(b, " %s=\"", name);
  esc(b, v);
  lit(b, "\"");
}

static void open_span(nerq_buf *b, const nerq_view_span *s, int cont) {
  if (s->kind == VIEW_MENTION) {
    nerq_buf_printf(b, "<mark class=\"m%s%s%s\"", s->cls ? " " : "", s->cls ? s->cls : "",
                    cont ? " cont" : "");
    attr(b, cont ? "data-part-of" : "data-entity", s->id);
    attr(b, "data-type", s->type);
    if (!cont) attr(b, "id", s->anchor);
  } else {
    nerq_buf_printf(b, "<span class=\"quote%s%s%s\"", s->cls ? " " : "", s->cls ? s->cls : "",
                    cont ? " cont" : "");
    attr(b, "data-quote", s->id);
    attr(b, "data-speaker", s->label ? s->label : "");
    attr(b, "data-evidence", s->title);
    if (!cont) lit(b, " tabindex=\"0\"");
  }
  attr(b, "title", s->title);
  lit(b, ">");
}

/* Closes a span; `done` when it ends here (not split by a crossing one). */
static void close_span(nerq_buf *b, const nerq_view_span *s, int done) {
  if (s->kind == VIEW_MENTION) {
    lit(b, "</mark>");
    return;
  }
  lit(b, "</span>");
  if (!done || !s->last) return;
  if (s->href) {
    lit(b, "<a class=\"speaker\" href=\"#");
    esc(b, s->href);
    lit(b, "\">\xE2\x80\x94 ");
  } else lit(b, "<span class=\"speaker\">\xE2\x80\x94 ");
  esc(b, s->label && *s->label ? s->label : "(no speaker)");
  if (s->href) lit(b, "</a>");
  else lit(b, "</span>");
}

#define MAX_DEPTH 32

/* Closes the open spans that end at or before p (and reopens those
 * above them that go on). Returns the new depth. */
static size_t close_at(nerq_buf *b, const nerq_view_span *sp, size_t *stack, size_t depth,
                       size_t p) {
  size_t low = 0;
  while (low < depth && sp[stack[low]].end > p) low++;
  if (low == depth) return depth;
  size_t keep[MAX_DEPTH], m = 0;
  for (size_t k = depth; k-- > low;) close_span(b, &sp[stack[k]], sp[stack[k]].end <= p);
  for (size_t k = low + 1; k < depth; k++)
    if (sp[stack[k]].end > p) keep[m++] = stack[k];
  depth = low;
  for (size_t k = 0; k < m; k++) {
    open_span(b, &sp[keep[k]], 1);
    stack[depth++] = keep[k];
  }
  return depth;
}

void nerq_view_render(nerq_buf *b, const char *text, size_t len,
                      nerq_view_span *sp, size_t n) {
  qsort(sp, n, sizeof *sp, cmp_span);
  size_t stack[MAX_DEPTH], depth = 0, next = 0, at = 0;
  for (;;) {
    size_t p = len;
    if (next < n && sp[next].start < p) p = sp[next].start;
    for (size_t k = 0; k < depth; k++)
      if (sp[stack[k]].end < p) p = sp[stack[k]].end;
    if (p < at) p = at;
    nerq_html_escape(b, text + at, p - at);
    at = p;
    size_t d = close_at(b, sp, stack, depth, p);
    if (d != depth) {
      depth = d;
      continue;
    }
    int opened = 0;
    for (; next < n && sp[next].start <= p; next++, opened = 1) {
      if (sp[next].end <= p || sp[next].end > len || depth == MAX_DEPTH) continue;
      open_span(b, &sp[next], 0);
      stack[depth++] = next;
    }
    if (!opened && p >= len) break;
  }
  while (depth) close_span(b, &sp[stack[--depth]], 1);
}

/* -- one document --------------------------------------------------- */

/* malloc'd strings of one rendering, freed together. */
typedef struct {
  char **s;
  size_t n, cap;
  int failed;
} pool;

static const char *keep(pool *p, char *s) {
  if (!s || p->failed) {
    free(s);
    p->failed = 1;
    return NULL;
  }
  if (p->n == p->cap) {
    char **ns = realloc(p->s, (p->cap = p->cap ? 2 * p->cap : 64) * sizeof *ns);
    if (!ns) {
      free(s);
      p->failed = 1;
      return NULL;
    }
    p->s = ns;
  }
  return p->s[p->n++] = s;
}

static const char *pf(pool *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *pf(pool *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = k >= 0 ? malloc((size_t)k + 1) : NULL;
  if (s) {
    va_start(ap, fmt);
    vsnprintf(s, (size_t)k + 1, fmt, ap);
    va_end(ap);
  }
  return keep(p, s);
}

static void pool_free(pool *p) {
  for (size_t i = 0; i < p->n; i++) free(p->s[i]);
  free(p->s);
}

typedef struct {
  const nerq_doc *d;
  pool pool;
  const char *anchor; /* "d-..." */
  nerq_view_span *sp;
  size_t n;
  const char **manchor; /* per doc mention: its element id */
} view;

static const char *text_of(view *v, uint32_t a, uint32_t z) {
  return pf(&v->pool, "%.*s", (int)(z - a), v->d->text.text + a);
}

static void mention_spans(view *v) {
  const nerq_doc *d = v->d;
  for (size_t i = 0; i < d->entities.count; i++) {
    const nerq_entity *e = NERQ_VEC_AT(&d->entities, nerq_entity, i);
    const char *id = pf(&v->pool, "e%zu", i + 1), *type = nerq_type_name(e->type);
    for (size_t k = 0; k < e->mentions.count; k++) {
      uint32_t mi = *NERQ_VEC_AT(&e->mentions, uint32_t, k);
      const nerq_mention *m = NERQ_VEC_AT(&d->mentions, nerq_mention, mi);
      v->manchor[mi] = pf(&v->pool, "%s-m%u", v->anchor, (unsigned)mi + 1);
      v->sp[v->n++] = (nerq_view_span){m->start, m->stop, VIEW_MENTION, id, type, NULL,
                                       pf(&v->pool, "%s %s (%s), key %s, rule %s", type, id, e->name, e->key, m->rule ? m->rule : ""),
                                       NULL, v->manchor[mi], NULL, 0};
    }
  }
}

/* The element id of the speaker's mention: the one at the speaker span,
 * else the speaker entity's first mention. */
static const char *speaker_href(view *v, const nerq_quote *q) {
  const nerq_doc *d = v->d;
  for (size_t i = 0; q->spk_end && i < d->mentions.count; i++) {
    const nerq_mention *m = NERQ_VEC_AT(&d->mentions, nerq_mention, i);
    if (m->start == q->spk_start && m->entity >= 0) return v->manchor[i];
  }
  if (q->speaker < 0) return NULL;
  const nerq_entity *e = NERQ_VEC_AT(&d->entities, nerq_entity, q->speaker);
  return e->mentions.count ? v->manchor[*NERQ_VEC_AT(&e->mentions, uint32_t, 0)] : NULL;
}

static const char *speaker_name(view *v, const nerq_quote *q) {
  if (q->speaker >= 0) return NERQ_VEC_AT(&v->d->entities, nerq_entity, q->speaker)->name;
  return q->spk_end ? text_of(v, q->spk_start, q->spk_end) : "";
}

static void quote_spans(view *v) {
  const nerq_doc *d = v->d;
  for (size_t i = 0; i < d->quotes.count; i++) {
    const nerq_quote *q = NERQ_VEC_AT(&d->quotes, nerq_quote, i);
    if (!q->segs.count) continue;
    const char *name = speaker_name(v, q), *href = speaker_href(v, q);
    const char *cue = q->cue_end ? text_of(v, q->cue_start, q->cue_end) : "none";
    const char *ev = pf(&v->pool, "q%zu %s, speaker: %s; how: %s; rule: %s; cue: %s", i + 1,
                        nerq_quote_kind(q), *name ? name : "none",
                        q->how ? q->how : "none", q->rule ? q->rule : "none", cue);
    const char *id = pf(&v->pool, "q%zu", i + 1);
    for (size_t k = 0; k < q->segs.count; k++) {
      const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, k);
      v->sp[v->n++] = (nerq_view_span){g->start, g->end, VIEW_QUOTE, id, NULL, name, ev,
                                       NULL, NULL, href, k + 1 == q->segs.count};
    }
  }
}

static void panel_entities(nerq_buf *b, view *v) {
  const nerq_doc *d = v->d;
  nerq_buf_printf(b, "<h3>Entities (%zu)</h3>\n<ul class=\"entities\">\n", d->entities.count);
  for (size_t i = 0; i < d->entities.count; i++) {
    const nerq_entity *e = NERQ_VEC_AT(&d->entities, nerq_entity, i);
    const char *type = nerq_type_name(e->type);
    const char *first = e->mentions.count ? v->manchor[*NERQ_VEC_AT(&e->mentions, uint32_t, 0)] : "";
    lit(b, "<li data-panel-entity=\"");
    nerq_buf_printf(b, "e%zu\"><a href=\"#", i + 1);
    esc(b, first);
    nerq_buf_printf(b, "\"><span class=\"tag %s\">%s</span>", type, type);
    esc(b, e->name);
    lit(b, "</a> <code>");
    esc(b, e->key);
    nerq_buf_printf(b, "</code> &times;%zu</li>\n", e->mentions.count);
  }
  lit(b, "</ul>\n");
}

static void panel_speakers(nerq_buf *b, view *v) {
  size_t nq = 0;
  for (size_t i = 0; i < v->n; i++) nq += v->sp[i].kind == VIEW_QUOTE && v->sp[i].last;
  nerq_buf_printf(b, "<h3>Quotes per speaker (%zu)</h3>\n<ul class=\"speakers\">\n", nq);
  for (size_t i = 0; i < v->n; i++) {
    const nerq_view_span *s = &v->sp[i];
    if (s->kind != VIEW_QUOTE || !s->last) continue;
    size_t seen = 0, count = 0;
    for (size_t k = 0; k < v->n; k++) {
      const nerq_view_span *t = &v->sp[k];
      if (t->kind != VIEW_QUOTE || !t->last || strcmp(t->label, s->label)) continue;
      if (k < i) seen = 1;
      count++;
    }
    if (seen) continue;
    lit(b, "<li data-panel-speaker=\"");
    esc(b, s->label);
    lit(b, "\">");
    esc(b, *s->label ? s->label : "(no speaker)");
    nerq_buf_printf(b, ": %zu</li>\n", count);
  }
  lit(b, "</ul>\n");
}

static void panel_meta(nerq_buf *b, json_t *meta, const nerq_doc *d) {
  const char *keys[] = {"byline", "date", "url"};
  for (size_t i = 0; i < 3; i++) {
    const char *s = json_string_value(json_object_get(meta, keys[i]));
    if (!s) continue;
    nerq_buf_printf(b, "<p class=\"meta\">%s: ", keys[i]);
    esc(b, s);
    lit(b, "</p>\n");
  }
  for (size_t i = 0; i < d->warnings.count; i++) {
    lit(b, "<p class=\"warning\">warning: ");
    esc(b, *NERQ_VEC_AT(&d->warnings, const char *, i));
    lit(b, "</p>\n");
  }
}

static void section_head(nerq_buf *b, const char *anchor, const char *doc_id, const char *headline) {
  lit(b, "<section class=\"doc\" id=\"");
  esc(b, anchor);
  lit(b, "\" data-doc=\"");
  esc(b, doc_id ? doc_id : "");
  lit(b, "\">\n<div class=\"body\">\n<h2>");
  esc(b, headline ? headline : doc_id ? doc_id
                                      : "(document)");
  lit(b, "</h2>\n<p class=\"docid\">");
  esc(b, doc_id ? doc_id : "");
  lit(b, "</p>\n");
}

static void render_doc(nerq_buf *b, view *v, const char *doc_id, const char *meta_json) {
  json_t *meta = meta_json ? json_loads(meta_json, 0, NULL) : NULL;
  mention_spans(v);
  quote_spans(v);
  section_head(b, v->anchor, doc_id, json_string_value(json_object_get(meta, "headline")));
  lit(b, "<div class=\"text\">");
  nerq_view_render(b, v->d->text.text, v->d->text.len, v->sp, v->n);
  lit(b, "</div>\n</div>\n<aside class=\"panel\">\n");
  panel_meta(b, meta, v->d);
  panel_entities(b, v);
  panel_speakers(b, v);
  lit(b, "</aside>\n</section>");
  json_decref(meta);
}

char *nerq_doc_to_html(const nerq_doc *d, const char *doc_id, const char *meta_json, int flags) {
  (void)flags;
  view v = {.d = d};
  size_t nseg = 0;
  for (size_t i = 0; i < d->quotes.count; i++) nseg += NERQ_VEC_AT(&d->quotes, nerq_quote, i)->segs.count;
  v.sp = calloc(d->mentions.count + nseg + 1, sizeof *v.sp);
  v.manchor = calloc(d->mentions.count + 1, sizeof *v.manchor);
  nerq_buf a = {0}, b = {0};
  nerq_html_anchor(&a, doc_id);
  v.anchor = keep(&v.pool, nerq_buf_finish(&a));
  if (v.sp && v.manchor && v.anchor) render_doc(&b, &v, doc_id, meta_json ? meta_json : d->meta_json);
  else b.failed = 1;
  if (v.pool.failed) b.failed = 1;
  free(v.sp);
  free(v.manchor);
  pool_free(&v.pool);
  return nerq_buf_finish(&b);
}

char *nerq_html_error(const char *doc_id, const char *msg) {
  nerq_buf a = {0}, b = {0};
  nerq_html_anchor(&a, doc_id);
  char *anchor = nerq_buf_finish(&a);
  section_head(&b, anchor ? anchor : "d-error", doc_id, doc_id);
  lit(&b, "<p class=\"error\">error: ");
  esc(&b, msg);
  lit(&b, "</p>\n</div>\n</section>");
  free(anchor);
  return nerq_buf_finish(&b);
}

/* -- nerq eval --html: true positives, false positives and negatives --- */

/* The scored type of a gold or predicted type name, or NULL (as eval). */
static const char *scored_type(const char *t) {
  int type = nerq_type_scored(t);
  return type == NERQ_NONE ? NULL : nerq_type_name(type);
}

typedef struct {
  size_t start, end; /* code points */
  const char *type, *entity, *name;
  int matched;
} scored;

/* byte[i] = the byte offset of code point i, for i in [0, ncp]. */
static size_t *cp_bytes(const char *s, size_t n, size_t *ncp) {
  size_t *m = malloc((n + 1) * sizeof *m), k = 0;
  for (size_t i = 0; m && i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) m[k++] = i;
  if (m) m[k] = n;
  *ncp = k;
  return m;
}

static int flagged(json_t *e) {
  json_t *f = json_object_get(e, "flags");
  return f && !json_is_null(f) && !(json_is_array(f) && !json_array_size(f)) &&
         !(json_is_string(f) && !*json_string_value(f));
}

/* Gold spans, without flagged ones (docs/eval.md, "Entity scores"); the
 * flagged ones of any type go to fl. */
static size_t gold_spans(json_t *gold, scored *out, scored *fl, size_t *nfl) {
  size_t n = 0, i;
  json_t *e;
  *nfl = 0;
  json_array_foreach(json_object_get(gold, "entities"), i, e) {
    const char *t = scored_type(json_string_value(json_object_get(e, "type")));
    if (flagged(e)) {
      fl[(*nfl)++] = (scored){(size_t)json_integer_value(json_object_get(e, "start")),
                              (size_t)json_integer_value(json_object_get(e, "end")), "", NULL, NULL, 0};
      continue;
    }
    if (!t) continue;
    out[n++] = (scored){(size_t)json_integer_value(json_object_get(e, "start")),
                        (size_t)json_integer_value(json_object_get(e, "end")), t, "gold", NULL, 0};
  }
  return n;
}

static size_t pred_spans(json_t *pred, scored *out) {
  size_t n = 0, i, k;
  json_t *e, *m;
  json_array_foreach(json_object_get(pred, "entities"), i, e) {
    const char *t = scored_type(json_string_value(json_object_get(e, "type")));
    json_array_foreach(json_object_get(e, "mentions"), k, m) {
      if (!t) continue;
      out[n++] = (scored){(size_t)json_integer_value(json_object_get(m, "start")),
                          (size_t)json_integer_value(json_object_get(m, "end")), t,
                          json_string_value(json_object_get(e, "id")),
                          json_string_value(json_object_get(e, "name")), 0};
    }
  }
  return n;
}

static size_t count_mentions(json_t *pred) {
  size_t n = 0, i;
  json_t *e;
  json_array_foreach(json_object_get(pred, "entities"), i, e) n += json_array_size(json_object_get(e, "mentions"));
  return n;
}

typedef struct {
  const char *text;
  size_t len, ncp, *bytes;
  nerq_view_span *sp;
  size_t n;
  pool pool;
  size_t tp, fp, fn;
} eval_view;

static void add_scored(eval_view *v, const scored *s, const char *cls, const char *what) {
  if (s->start >= s->end || s->end > v->ncp) return;
  const char *title = pf(&v->pool, "%s %s%s%s", what, s->type, s->name ? ": " : "", s->name ? s->name : "");
  v->sp[v->n++] = (nerq_view_span){(uint32_t)v->bytes[s->start], (uint32_t)v->bytes[s->end],
                                   VIEW_MENTION, s->entity ? s->entity : "", s->type, NULL, title,
                                   cls, NULL, NULL, 0};
}

static int same(const scored *a, const scored *b) {
  return a->start == b->start && a->end == b->end && !strcmp(a->type, b->type);
}

/* A span listed twice counts once: later copies are marked (matched = 2). */
static void dedup(scored *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < i && s[i].matched != 2; k++)
      if (s[k].matched != 2 && same(&s[i], &s[k])) s[i].matched = 2;
}

/* A prediction overlapping a flagged gold span is not scored, unless it
 * is exactly an unflagged gold span. */
static void drop_flagged(scored *p, size_t np, const scored *fl, size_t nfl, const scored *g, size_t ng) {
  for (size_t i = 0; i < np; i++) {
    int hit = 0, exact = 0;
    for (size_t k = 0; k < nfl; k++) hit |= p[i].start < fl[k].end && fl[k].start < p[i].end;
    for (size_t k = 0; hit && k < ng; k++) exact |= g[k].matched != 2 && same(&p[i], &g[k]);
    if (hit && !exact) p[i].matched = 2;
  }
}

/* Strict matching on the sets of (start, end, type), as eval.c scores. */
static void score(eval_view *v, scored *g, size_t ng, scored *p, size_t np) {
  dedup(g, ng);
  dedup(p, np);
  for (size_t i = 0; i < np; i++)
    for (size_t k = 0; k < ng && !p[i].matched; k++)
      if (!g[k].matched && same(&g[k], &p[i])) g[k].matched = p[i].matched = 1;
  for (size_t i = 0; i < np; i++) {
    if (p[i].matched == 2) continue;
    add_scored(v, &p[i], p[i].matched ? NULL : "fp", p[i].matched ? "true positive" : "false positive");
    if (p[i].matched) v->tp++;
    else v->fp++;
  }
  for (size_t k = 0; k < ng; k++)
    if (!g[k].matched) {
      add_scored(v, &g[k], "fn", "false negative (missed)");
      v->fn++;
    }
}

static void eval_quotes(eval_view *v, json_t *pred) {
  size_t i, k;
  json_t *q, *seg;
  json_array_foreach(json_object_get(pred, "quotes"), i, q) {
    json_t *spk = json_object_get(q, "speaker");
    const char *name = json_string_value(json_object_get(spk, "name"));
    const char *ev = pf(&v->pool, "%s speaker: %s; how: %s; rule: %s",
                        json_string_value(json_object_get(q, "id")), name ? name : "none",
                        json_string_value(json_object_get(q, "how")) ? json_string_value(json_object_get(q, "how")) : "none",
                        json_string_value(json_object_get(q, "rule")) ? json_string_value(json_object_get(q, "rule")) : "none");
    size_t nseg = json_array_size(json_object_get(q, "segments"));
    json_array_foreach(json_object_get(q, "segments"), k, seg) {
      size_t a = (size_t)json_integer_value(json_array_get(seg, 0)), z = (size_t)json_integer_value(json_array_get(seg, 1));
      if (a >= z || z > v->ncp) continue;
      v->sp[v->n++] = (nerq_view_span){(uint32_t)v->bytes[a], (uint32_t)v->bytes[z], VIEW_QUOTE,
                                       json_string_value(json_object_get(q, "id")), NULL,
                                       name ? name : "", ev, NULL, NULL, NULL, k + 1 == nseg};
    }
  }
}

static void eval_section(nerq_buf *b, eval_view *v, const char *id) {
  nerq_buf a = {0};
  nerq_html_anchor(&a, id);
  char *anchor = nerq_buf_finish(&a);
  section_head(b, anchor ? anchor : "d-doc", id, id);
  lit(b, "<div class=\"text\">");
  nerq_view_render(b, v->text, v->len, v->sp, v->n);
  lit(b, "</div>\n</div>\n<aside class=\"panel\">\n<h3>Entities, strict</h3>\n<ul>\n");
  nerq_buf_printf(b, "<li data-count=\"tp\">true positives: %zu</li>\n<li data-count=\"fp\">"
                     "<mark class=\"m fp\" data-type=\"FP\">false positives</mark>: %zu</li>\n"
                     "<li data-count=\"fn\"><mark class=\"m fn\" data-type=\"FN\">false negatives</mark>: %zu</li>\n</ul>\n",
                  v->tp, v->fp, v->fn);
  lit(b, "</aside>\n</section>");
  free(anchor);
}

char *nerq_eval_to_html(const char *gold_json, const char *pred_json) {
  json_t *gold = json_loads(gold_json, 0, NULL), *pred = pred_json ? json_loads(pred_json, 0, NULL) : NULL;
  json_t *text = json_object_get(gold, "text");
  if (!json_is_string(text)) {
    json_decref(gold);
    json_decref(pred);
    return NULL;
  }
  eval_view v = {.text = json_string_value(text), .len = json_string_length(text)};
  size_t ng = json_array_size(json_object_get(gold, "entities")), np = count_mentions(pred);
  size_t nq = 0, i;
  json_t *q;
  json_array_foreach(json_object_get(pred, "quotes"), i, q) nq += json_array_size(json_object_get(q, "segments"));
  scored *g = calloc(ng + 1, sizeof *g), *p = calloc(np + 1, sizeof *p), *fl = calloc(ng + 1, sizeof *fl);
  v.bytes = cp_bytes(v.text, v.len, &v.ncp);
  v.sp = calloc(ng + np + nq + 1, sizeof *v.sp);
  nerq_buf b = {0};
  if (g && p && fl && v.bytes && v.sp) {
    size_t nfl, ngs = gold_spans(gold, g, fl, &nfl), nps = pred_spans(pred, p);
    dedup(g, ngs);
    drop_flagged(p, nps, fl, nfl, g, ngs);
    score(&v, g, ngs, p, nps);
    eval_quotes(&v, pred);
    eval_section(&b, &v, json_string_value(json_object_get(gold, "id")));
  } else b.failed = 1;
  if (v.pool.failed) b.failed = 1;
  free(g);
  free(p);
  free(fl);
  free(v.bytes);
  free(v.sp);
  pool_free(&v.pool);
  json_decref(gold);
  json_decref(pred);
  return nerq_buf_finish(&b);
}
