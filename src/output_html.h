/* output_html.h - the HTML view (output_html.c). */
#ifndef NERQ_OUTPUT_HTML_H
#define NERQ_OUTPUT_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "arena.h"

/* output_html.c: the HTML view (nerq_eval_to_html too)             */

enum { VIEW_MENTION,
       VIEW_QUOTE };

/* One highlighted span of a document's text. Strings are borrowed. */
typedef struct {
  uint32_t start, end; /* byte range in the text */
  int kind;            /* VIEW_MENTION or VIEW_QUOTE */
  const char *id;      /* data-entity ("e3") or data-quote ("q1") */
  const char *type;    /* mentions: "PERSON", "ORG", "PLACE" */
  const char *label;   /* quotes: the speaker's name (data-speaker) */
  const char *title;   /* hover text; for quotes the evidence */
  const char *cls;     /* extra class ("fp", "fn") or NULL */
  const char *anchor;  /* the element's id attribute, or NULL */
  const char *href;    /* quotes: the speaker mention's anchor, or NULL */
  int last;            /* quotes: the last segment (speaker label after) */
} nerq_view_span;

/* Appends text[0..len) escaped, with the spans as nested elements (a
 * span crossing another is split; the pieces after the first carry
 * class "cont" and no data-entity). Sorts `spans`. */
void nerq_view_render(nerq_buf *b, const char *text, size_t len,
                      nerq_view_span *spans, size_t n);
/* Appends s[0..n) escaped for HTML text or a quoted attribute. */
void nerq_html_escape(nerq_buf *b, const char *s, size_t n);
/* Appends "d-" and the document id with every non-alphanumeric as '-'. */
void nerq_html_anchor(nerq_buf *b, const char *doc_id);

#endif /* NERQ_OUTPUT_HTML_H */
