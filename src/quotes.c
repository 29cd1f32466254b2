/* quotes.c - stage 6a: direct quotes.
 *
 * Quote marks are paired per paragraph with a small stack, so a quote of
 * one family (“ ” " « » „) may nest inside the other (‘ ’ ' ‹ ›). An
 * apostrophe inside or after a word (There’s, Gates’, ’90s) is not a
 * mark. A paragraph that ends inside a quote continues it when the next
 * paragraph opens with a fresh mark (the newspaper convention);
 * otherwise the quote closes at the end of the paragraph with a warning.
 * The driver (document.c) then runs attribute.c, which classifies each
 * quote and finds its speaker. */
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "segments.h"
#include "quotes.h"
#include "document.h"

#define MAX_DEPTH 8
/* Candidate quotes one document may hold: far more than news has (a
 * quote takes some 300 bytes with its explain log), so that 5 MB of '"'
 * stays within a bound; the marks after the last are not read. */
#define MAX_QUOTES_BASE 1000
#define QUOTE_BYTES 32 /* and one more per this many bytes of text */

enum { FAM_DOUBLE = 0,
       FAM_SINGLE = 1 };
enum { ROLE_NONE,
       ROLE_OPEN,
       ROLE_CLOSE };

typedef struct {
  uint32_t tok;
  int family;
  int32_t cp;
} mark;

typedef struct {
  nerq_doc *doc;
  mark stack[MAX_DEPTH];
  int depth;
  nerq_quote *cur;   /* quote being built (continues across paragraphs) */
  uint32_t seg_open; /* token of the current segment's opening mark */
  int full;          /* MAX_QUOTES reached: no more marks are read */
} pairing;

static int32_t tok_cp(const nerq_doc *d, uint32_t i) {
  const nerq_token *t = NERQ_VEC_AT(&d->tokens, nerq_token, i);
  int32_t cp = 0;
  utf8proc_iterate((const utf8proc_uint8_t *)d->text.text + t->off, nerq_tok_len(d->tokens.items, i), &cp);
  return cp;
}

static int family_of(int32_t c) {
  return (c == 0x2018 || c == 0x2019 || c == '\'' || c == 0x2039 ||
          c == 0x203A || c == 0x201A)
             ? FAM_SINGLE
             : FAM_DOUBLE;
}

static int is_opener_cp(int32_t c) {
  return c == 0x201C || c == 0xAB || c == 0x201E || c == 0x201F ||
         c == 0x2018 || c == 0x2039 || c == 0x201A;
}

static const nerq_token *tok(const nerq_doc *d, size_t i) {
  return NERQ_VEC_AT(&d->tokens, nerq_token, i);
}

/* True if a word (letter or digit) touches the mark on that side. */
static int word_after(const nerq_doc *d, uint32_t i) {
  if (i + 1 >= d->tokens.count) return 0;
  const nerq_token *n = tok(d, i + 1);
  return !(n->flags & TOK_SPACE) && (n->flags & TOK_WORD);
}

static int space_before(const nerq_doc *d, uint32_t i) {
  return i == 0 || (tok(d, i)->flags & (TOK_SPACE | TOK_PARA)) ||
         (tok(d, i - 1)->flags & TOK_QUOTE) || tok_cp(d, i - 1) == '(' ||
         tok_cp(d, i - 1) == '[' || tok_cp(d, i - 1) == 0x2014 || tok_cp(d, i - 1) == 0x2013;
}

static int open_of(const pairing *p, int family) {
  for (int k = p->depth - 1; k >= 0; k--)
    if (p->stack[k].family == family) return k;
  return -1;
}

static int space_after(const nerq_doc *d, uint32_t i) {
  if (i + 1 >= d->tokens.count) return 1;
  const nerq_token *n = tok(d, i + 1);
  return (n->flags & (TOK_SPACE | TOK_PARA)) || ((n->flags & TOK_PUNCT) && !(n->flags & TOK_QUOTE));
}

static int next_is_num(const nerq_doc *d, uint32_t i) {
  return i + 1 < d->tokens.count && (tok(d, i + 1)->flags & TOK_NUM) && word_after(d, i);
}

/* True if tokens i and i+1 are two touching apostrophes: '' is one
 * double mark (New York Times style). */
static int double_apos(const nerq_doc *d, uint32_t i) {
  if (i + 1 >= d->tokens.count || tok_cp(d, i) != '\'' || tok_cp(d, i + 1) != '\'') return 0;
  return !(tok(d, i + 1)->flags & (TOK_SPACE | TOK_PARA));
}

/* True if ''' at token i closes a single quote inside a '' quote:
 * 'it is fine,''' is ' then '' (the single closes first). */
static int single_first(const pairing *p, uint32_t i) {
  return p->depth > 0 && p->stack[p->depth - 1].family == FAM_SINGLE && double_apos(p->doc, i) &&
         double_apos(p->doc, i + 1);
}

/* Whether the '' pair at tokens i, i+1 opens, closes, or is no mark. */
static int role_of_pair(const pairing *p, uint32_t i) {
  const nerq_doc *d = p->doc;
  if (open_of(p, FAM_DOUBLE) >= 0) return ROLE_CLOSE;
  return space_after(d, i + 1) && !space_before(d, i) ? ROLE_NONE : ROLE_OPEN;
}

/* Whether the mark at token i opens, closes, or is not a quote mark. */
static int role_of(const pairing *p, uint32_t i, uint32_t w) {
  const nerq_doc *d = p->doc;
  if (w == 2) return role_of_pair(p, i);
  int32_t c = tok_cp(d, i);
  int open = open_of(p, family_of(c));
  int sb = space_before(d, i), wa = word_after(d, i);
  if (c == 0x201C && open >= 0 && p->stack[open].cp == 0x201E) return ROLE_CLOSE;
  if (is_opener_cp(c)) return next_is_num(d, i) ? ROLE_NONE : ROLE_OPEN;
  if (c == '"') {
    if (open >= 0) return ROLE_CLOSE;
    return space_after(d, i) && !sb ? ROLE_NONE : ROLE_OPEN;
  }
  if (c == 0x201D || c == 0xBB || c == 0x203A) return open >= 0 ? ROLE_CLOSE : ROLE_NONE;
  /* ’ and ': apostrophes unless they clearly open or close */
  if (sb) return c == '\'' && wa && !next_is_num(d, i) ? ROLE_OPEN : ROLE_NONE;
  if (wa) return ROLE_NONE;
  return open >= 0 ? ROLE_CLOSE : ROLE_NONE;
}

static uint32_t tok_end(const nerq_doc *d, uint32_t i) {
  return nerq_tok_end(d->tokens.items, i);
}

/* Adds segment [a, b) bytes, trimmed of white space, to quote q. */
static nerq_status add_segment(nerq_doc *d, nerq_quote *q, uint32_t a, uint32_t b) {
  const char *s = d->text.text;
  while (a < b && (s[a] == ' ' || s[a] == '\n' || s[a] == '\r' || s[a] == '\t')) a++;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\n' || s[b - 1] == '\r' || s[b - 1] == '\t')) b--;
  nerq_seg *g = nerq_vec_push(d->arena, &q->segs);
  if (!g) return NERQ_ERR_NOMEM;
  g->start = a;
  g->end = b;
  return NERQ_OK;
}

static nerq_quote *current(pairing *p) { return p->cur; }

/* A depth-0 mark opens a segment: of the continuing quote, or a new one. */
static nerq_status open_segment(pairing *p, uint32_t i) {
  nerq_doc *d = p->doc;
  if (!p->cur && d->quotes.count >= MAX_QUOTES_BASE + d->text.len / QUOTE_BYTES) {
    char msg[160];
    snprintf(msg, sizeof msg, "too many quote marks: the %zu candidate quotes a document of this size may hold are read, the marks after offset %zu are not",
             d->quotes.count, nerq_text_cp(&d->text, tok(d, i)->off));
    nerq_doc_warn(d, msg);
    p->full = 1;
    return NERQ_OK;
  }
  if (!p->cur) {
    nerq_quote *q = nerq_vec_push(d->arena, &d->quotes);
    if (!q) return NERQ_ERR_NOMEM;
    nerq_vec_init(&q->segs, sizeof(nerq_seg));
    q->speaker = q->org = -1;
    p->cur = q;
  }
  if (!p->cur->segs.count) p->cur->open_tok = i; /* its first segment */
  p->seg_open = i;
  return NERQ_OK;
}

static nerq_status close_segment(pairing *p, uint32_t end_byte, uint32_t close_tok,
                                 int closed) {
  nerq_quote *q = current(p);
  q->close_tok = close_tok;
  q->closed = closed;
  return add_segment(p->doc, q, tok_end(p->doc, p->seg_open), end_byte);
}

/* Handles the mark at token i; a '' pair (w = 2) is one double mark. */
static nerq_status on_mark(pairing *p, uint32_t i, uint32_t w) {
  if (p->full) return NERQ_OK;
  int role = role_of(p, i, w);
  int32_t c = w == 2 ? '"' : tok_cp(p->doc, i);
  if (role == ROLE_OPEN) {
    if (p->depth == MAX_DEPTH) return NERQ_OK;
    if (p->depth == 0) {
      if (p->cur && !(tok(p->doc, i)->flags & TOK_PARA)) p->cur = NULL;
      nerq_status st = open_segment(p, i);
      if (st || p->full) return st;
      p->seg_open = i + w - 1;
    }
    p->stack[p->depth++] = (mark){i, family_of(c), c};
  } else if (role == ROLE_CLOSE) {
    int k = c == 0x201C ? p->depth - 1 : open_of(p, family_of(c));
    if (k < 0) return NERQ_OK;
    p->depth = k;
    if (k == 0) {
      nerq_status st = close_segment(p, tok(p->doc, i)->off, i + w - 1, 1);
      p->cur = NULL;
      return st;
    }
  }
  return NERQ_OK;
}

/* True if paragraph `next` starts with an opening mark of `family`. */
static int reopens(const nerq_doc *d, const nerq_range *next, int family) {
  if (!next || next->first >= next->end) return 0;
  const nerq_token *t = tok(d, next->first);
  if (!(t->flags & TOK_QUOTE)) return 0;
  int32_t c = tok_cp(d, next->first);
  if (double_apos(d, next->first)) return family == FAM_DOUBLE;
  return family_of(c) == family && (is_opener_cp(c) || c == '"' || c == '\'');
}

/* True if the last segment of q is only an aside in brackets, a stage
 * direction of a transcript: "(CROSSTALK)", "(APPLAUSE.)". */
static int stage_direction(const nerq_doc *d, const nerq_quote *q) {
  const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, q->segs.count - 1);
  const char *s = d->text.text;
  uint32_t a = g->start, b = g->end;
  if (b > a && (s[b - 1] == '.' || s[b - 1] == ',')) b--;
  if (b - a < 3 || s[a] != '(' || s[b - 1] != ')') return 0;
  return !memchr(s + a + 1, '(', b - a - 2) && !memchr(s + a + 1, ')', b - a - 2);
}

/* True if paragraph `next` opens with a speaker's label in capitals
 * after its mark, a transcript's turn: "WALLACE: ...", "MR. LEE: ...".
 * A new turn is a new quote, not the previous one continued. */
static int opens_label(const nerq_doc *d, const nerq_range *next) {
  uint32_t t = next->first + (double_apos(d, next->first) ? 2 : 1);
  uint32_t words = 0;
  for (; t < next->end && words < 3; t++) {
    const nerq_token *k = tok(d, t);
    if (k->flags & TOK_UPPER || (k->flags & TOK_ABBR && k->flags & TOK_CAP)) words++;
    else break;
  }
  return words > 0 && t < next->end && tok(d, t)->len7 == 1 && d->text.text[tok(d, t)->off] == ':';
}

static nerq_status end_paragraph(pairing *p, const nerq_range *para,
                                 const nerq_range *next) {
  if (p->depth == 0) return NERQ_OK;
  nerq_doc *d = p->doc;
  uint32_t last = para->end - 1;
  int turn = next && reopens(d, next, p->stack[0].family) && opens_label(d, next);
  int cont = !turn && reopens(d, next, p->stack[0].family);
  nerq_status st = close_segment(p, tok_end(d, last), last, 0);
  if (!st && (cont || turn) && stage_direction(d, p->cur)) p->cur->segs.count--; /* no speech */
  if (turn) {
    p->cur = NULL; /* a new turn: the next paragraph opens a quote */
  } else if (!cont) {
    char msg[128];
    snprintf(msg, sizeof msg,
             "unbalanced quote mark at offset %zu: quote closed at the end of its paragraph",
             nerq_text_cp(&d->text, tok(d, p->stack[0].tok)->off));
    nerq_doc_warn(d, msg);
    p->cur = NULL;
  }
  p->depth = 0;
  return st;
}

/* Drops quotes with no content (rock 'n' roll gives 'n'). */
static void drop_empty(nerq_doc *d) {
  for (size_t i = 0; i < d->quotes.count; i++) {
    nerq_quote *q = NERQ_VEC_AT(&d->quotes, nerq_quote, i);
    size_t len = 0;
    for (size_t s = 0; s < q->segs.count; s++) {
      const nerq_seg *g = NERQ_VEC_AT(&q->segs, nerq_seg, s);
      len += g->end - g->start;
    }
    if (len < 2 || (len < 3 && family_of(tok_cp(d, q->open_tok)) == FAM_SINGLE)) q->drop = 1;
  }
}

nerq_status nerq_quotes_find(nerq_doc *doc) {
  nerq_vec_init(&doc->quotes, sizeof(nerq_quote));
  nerq_vec_init(&doc->qlog, sizeof(nerq_qlog));
  pairing p = {.doc = doc};
  nerq_status st = NERQ_OK;
  size_t np = doc->paragraphs.count;
  for (size_t k = 0; k < np && !st; k++) {
    const nerq_range *para = NERQ_VEC_AT(&doc->paragraphs, nerq_range, k);
    for (uint32_t i = para->first; i < para->end && !st; i++) {
      if (!(tok(doc, i)->flags & TOK_QUOTE)) continue;
      uint32_t w = double_apos(doc, i) && i + 1 < para->end && !single_first(&p, i) ? 2 : 1;
      st = on_mark(&p, i, w);
      i += w - 1;
    }
    if (!st) st = end_paragraph(&p, para, k + 1 < np ? para + 1 : NULL);
  }
  if (st) return st;
  drop_empty(doc);
  return NERQ_OK;
}
