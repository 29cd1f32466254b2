/* jsonw.h - the one JSON writer (jsonw.c). */
#ifndef NERQ_JSONW_H
#define NERQ_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "arena.h"

/* jsonw.c: the one JSON writer, into a nerq_buf, compact or indented
 * (pretty: two spaces, the layout of jansson's JSON_INDENT(2)). Commas,
 * new lines and indentation come from the writer: call key then value
 * inside objects, values inside arrays. Release frees the nesting
 * stack, never the buffer. */
typedef struct {
  nerq_buf *b;
  int pretty, after_key;
  size_t depth, cap;
  unsigned char *stack, small[32]; /* per level: 1 = has items, 2 = object */
  nerq_write_fn write;             /* nerq_jw_piece's sink, or NULL */
  void *write_ctx;
  int write_failed; /* the sink returned nonzero: nothing more goes to it */
} nerq_jw;

void nerq_jw_init(nerq_jw *w, nerq_buf *b, int pretty);
/* Writes in pieces: nerq_jw_piece hands what the buffer holds to `write`
 * once it holds NERQ_JW_PIECE bytes or more, and empties it. */
#define NERQ_JW_PIECE 65536
void nerq_jw_set_sink(nerq_jw *w, nerq_write_fn write, void *ctx);
/* Between values (after a mention, a quote): hands a full buffer to the
 * sink, if any. `last`: everything left, whatever its size. Returns
 * NERQ_OK, NERQ_ERR_NOMEM (the buffer failed) or NERQ_ERR_IO (the sink
 * did, now or before). */
nerq_status nerq_jw_piece(nerq_jw *w, int last);
void nerq_jw_release(nerq_jw *w);
void nerq_jw_open(nerq_jw *w, char c);  /* '{' or '[' */
void nerq_jw_close(nerq_jw *w, char c); /* '}' or ']' */
void nerq_jw_key(nerq_jw *w, const char *key, size_t n);
void nerq_jw_str(nerq_jw *w, const char *s, size_t n); /* valid UTF-8 */
/* One string written in parts: FIRST opens it, LAST closes it. */
enum { NERQ_JW_MIDDLE = 0,
       NERQ_JW_FIRST = 1,
       NERQ_JW_LAST = 2 };
void nerq_jw_str_part(nerq_jw *w, const char *s, size_t n, int part);
void nerq_jw_str_repair(nerq_jw *w, const char *s, size_t n); /* any bytes */
void nerq_jw_cstr(nerq_jw *w, const char *s);                 /* NULL: null */
void nerq_jw_null(nerq_jw *w);
void nerq_jw_num(nerq_jw *w, size_t v);
void nerq_jw_id(nerq_jw *w, char prefix, size_t v); /* "e12" */
/* key: the JSON text raw[0..n), re-laid out; writes nothing and returns
 * -1 when raw is not one well-formed value. */
int nerq_jw_key_raw(nerq_jw *w, const char *key, const char *raw, size_t n);

#endif /* NERQ_JSONW_H */
