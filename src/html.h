/* html.h - stage 0, article text out of an HTML page (html.c). */
#ifndef NERQ_HTML_H
#define NERQ_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "arena.h"

/* html.c: stage 0, for HTML input                                    */

typedef struct {
  const char *text;      /* the article text, UTF-8, owned by the arena */
  size_t len;            /* bytes */
  const char *meta_json; /* {"headline",...} compact JSON, in the arena */
  int markup_errors;     /* parse errors gumbo recovered from */
} nerq_page;

/* Extracts the article of an HTML page. On NERQ_ERR_INPUT (no article
 * text) *error is a static message. */
nerq_status nerq_html_extract(nerq_arena *a, const char *html, size_t len,
                              nerq_page *out, const char **error);

#endif /* NERQ_HTML_H */
