/* quotes.h - stage 6, quotes and their speakers (quotes.c, attribute.c, quote_explain.c). */
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
  int closed;                  /* 1 if the last segment has a closing mark */
  int drop;                    /* not a quote after all (scare quote, title) */
  int partial;                 /* kind partial */
  int speaker;                 /* entity index or -1 */
  uint32_t spk_start, spk_end; /* speaker mention bytes (if spk_end) */
  uint32_t cue_start, cue_end; /* cue bytes (if cue_end) */
  const char *how;
  const char *rule;
  const char *role; /* arena string or NULL */
  int org;          /* entity index or -1 */
  int log;          /* its line in doc->qlog */
} nerq_quote;

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

/* quotes.c: finds quote spans (attribution is the next stage). */
nerq_status nerq_quotes_find(struct nerq_doc *doc);
/* attribute.c: classifies each quote (direct, partial, or not a quote)
 * and finds its speaker with the rules in rules/quotes/. */
nerq_status nerq_quotes_attribute(struct nerq_doc *doc);
/* quote_explain.c: appends every candidate quote of doc->qlog, the
 * rules tried on it and its verdict, for nerq_doc_explain. */
void nerq_quotes_explain(const struct nerq_doc *doc, nerq_buf *b);

#endif /* NERQ_QUOTES_H */
