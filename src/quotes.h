/* quotes.h - stage 6, quotes and their speakers (quotes.c, attribute.c, quote_explain.c, reported.c). */
#ifndef NERQ_QUOTES_H
#define NERQ_QUOTES_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "arena.h"

/* quotes.c: stage 6                                                   */

typedef struct {
  uint32_t start, end; /* byte range of the content */
} nerq_seg;

typedef struct {
  nerq_vec segs;               /* of nerq_seg */
  uint32_t open_tok;           /* opening mark of the first segment */
  uint32_t close_tok;          /* closing mark of the last segment, or the last
                                  token of its paragraph when unclosed */
  uint8_t closed;              /* 1 if the last segment has a closing mark */
  uint8_t drop;                /* not a quote after all (scare quote, title) */
  uint8_t partial;             /* kind partial */
  uint8_t indirect;            /* kind indirect: reported speech (reported.c); bytes, not
                                  ints: a big document has 300 K quotes and candidates */
  int speaker;                 /* entity index or -1 */
  uint32_t spk_start, spk_end; /* speaker mention bytes (if spk_end) */
  uint32_t cue_start, cue_end; /* cue bytes (if cue_end) */
  const char *how;
  const char *rule;
  const char *span_rule;     /* indirect: the reported.rules rule that found it */
  const char *role;          /* arena string or NULL */
  int org;                   /* entity index or -1 */
  int log;                   /* its line in doc->qlog */
  uint32_t at_first, at_end; /* reported speech: tokens of the attribution match */
} nerq_quote;

_Static_assert(sizeof(nerq_quote) <= 112, "a quote is 112 bytes");

/* The quote's kind: "indirect", "partial" or "direct". Static. */
static inline const char *nerq_quote_kind(const nerq_quote *q) {
  return q->indirect ? "indirect" : q->partial ? "partial"
                                               : "direct";
}

/* attribute.c: what became of one candidate quote, for nerq explain
 * (quote_explain.c). Strings are static or the rules'. */
enum { QLOG_SENTENCE = 1,
       QLOG_COLON = 2,
       QLOG_OPENS = 4,
       QLOG_CUE = 8 };
typedef struct {
  uint32_t open_tok, close_tok; /* its marks (close: the paragraph's last token if unclosed) */
  int closed, empty, kept;
  int rule;                              /* index in rules->qrules of the rule that matched, or -1 */
  int after;                             /* that match is after the quote */
  uint32_t m_first, m_end, cap_a, cap_b; /* the match and its capture, tokens */
  int tests;                             /* QLOG_* bits: the speech tests passed */
  const char *verdict;
  int speaker; /* as the quote's fields, when kept */
  uint32_t spk_start, spk_end;
  const char *how, *how_rule;
} nerq_qlog;

/* reported.c: what became of one reported-speech candidate, for nerq
 * explain (quote_explain.c). Strings are static or the rules'. */
typedef struct {
  uint32_t first, last;  /* content bytes: start of the first segment, end of the last */
  size_t segs;           /* its segments (between: two) */
  nerq_seg cue;          /* the cue's bytes */
  const char *span_rule; /* the reported.rules rule that found it */
  const char *end_rule;  /* the end rule that ended its content, or NULL */
  const char *rule;      /* the rule that found its speaker, or NULL */
  const char *how, *verdict;
  int speaker; /* entity index or -1 */
  uint32_t spk_start, spk_end;
} nerq_rlog;

/* quotes.c: finds quote spans (attribution is the next stage). */
nerq_status nerq_quotes_find(struct nerq_doc *doc);
/* attribute.c: classifies each quote (direct, partial, or not a quote)
 * and finds its speaker with the rules in rules/quotes/. */
nerq_status nerq_quotes_attribute(struct nerq_doc *doc);
/* attribute.c: finds the speaker of each reported-speech candidate in
 * `spans` (nerq_quote, with open_tok the first token of the content,
 * close_tok its last token, or, when `closed`, the token just after it)
 * with the attribution rules, as for a quote whose marks are those
 * tokens, and stores the tokens of the rule's match in at_first, at_end.
 * A candidate that no rule attributes, or that a `none` rule matches,
 * gets `drop`. */
nerq_status nerq_quotes_attribute_spans(struct nerq_doc *doc, nerq_vec *spans);
/* reported.c: stage 6c, reported speech ("Wang said the company would
 * expand"): appends indirect quotes to doc->quotes, after the direct
 * ones, never overlapping one. */
nerq_status nerq_reported_find(struct nerq_doc *doc);
/* quote_explain.c: appends every candidate quote of doc->qlog, the
 * rules tried on it and its verdict, for nerq_doc_explain. */
void nerq_quotes_explain(const struct nerq_doc *doc, nerq_buf *b);

#endif /* NERQ_QUOTES_H */
