/* quote_explain.c - the quotes part of `nerq explain`: every candidate
 * quote (each pair of marks) with its text, the attribution rules tried
 * on it in priority order and the one that matched (with the match and
 * the speaker it captured), the speech tests it passed, and what became
 * of it: kept (direct or partial), dropped (a title, name or scare
 * quote; not speech; no content) or merged into the quote before. A
 * rule author reads here why a quote has no speaker. */
#include <string.h>

#include "rules.h"
#include "entities.h"
#include "quotes.h"
#include "document.h"

static size_t cp(const nerq_doc *d, uint32_t byte) { return nerq_text_cp(&d->text, byte); }

static const nerq_token *tok(const nerq_doc *d, size_t i) {
  return NERQ_VEC_AT(&d->tokens, nerq_token, i);
}

/* [start,end) "text" of bytes [a, z), cut at 70 bytes, never inside a
 * UTF-8 character. */
static void byte_span(nerq_buf *b, const nerq_doc *d, uint32_t a, uint32_t z) {
  uint32_t n = z - a > 70 ? 70 : z - a;
  while (n > 0 && a + n < z && ((unsigned char)d->text.text[a + n] & 0xC0) == 0x80) n--;
  nerq_buf_printf(b, "[%zu,%zu) \"%.*s%s\"", cp(d, a), cp(d, z), (int)n, d->text.text + a,
                  n < z - a ? "..." : "");
}

static void tok_span(nerq_buf *b, const nerq_doc *d, uint32_t first, uint32_t end) {
  if (first >= end) {
    nerq_buf_printf(b, "(nothing)");
    return;
  }
  byte_span(b, d, tok(d, first)->off, nerq_tok_end(d->tokens.items, end - 1));
}

/* The rules tried before the one that matched, and the match. */
static void explain_rules(nerq_buf *b, const nerq_doc *d, const nerq_qlog *l) {
  const nerq_rules *r = d->rules;
  size_t tried = l->rule >= 0 ? (size_t)l->rule : r->nqrules;
  nerq_buf_printf(b, "    rules tried, by priority: %zu without a match", tried);
  for (size_t k = 0; k < tried; k++)
    nerq_buf_printf(b, "%s%s", k % 5 ? ", " : "\n      ", r->qrules[k].name);
  nerq_buf_printf(b, "\n");
  if (l->rule < 0) {
    nerq_buf_printf(b, "    no rule matched\n");
    return;
  }
  const nerq_rule *w = &r->qrules[l->rule];
  nerq_buf_printf(b, "    WON %s (%s, priority %d) %s the quote: ", w->source, nerq_how_name(w->type),
                  w->priority, l->after ? "after" : "before");
  tok_span(b, d, l->m_first, l->m_end);
  if (w->type != HOW_NONE) {
    nerq_buf_printf(b, "\n        captured ");
    tok_span(b, d, l->cap_a, l->cap_b);
  }
  nerq_buf_printf(b, "\n    not tried: %zu rules of lower priority\n", r->nqrules - tried - 1);
}

static void explain_tests(nerq_buf *b, const nerq_qlog *l) {
  static const struct {
    int bit;
    const char *name;
  } t[] = {
      {QLOG_SENTENCE, "a full sentence"}, {QLOG_COLON, "after a colon"}, {QLOG_OPENS, "four or more words opening a sentence"}, {QLOG_CUE, "a speech cue in its sentence"}};
  nerq_buf_printf(b, "    speech tests:");
  for (size_t k = 0; k < sizeof t / sizeof t[0]; k++)
    nerq_buf_printf(b, "%s %s %s", k ? "," : "", t[k].name, l->tests & t[k].bit ? "yes" : "no");
  nerq_buf_printf(b, "\n");
}

static void explain_speaker(nerq_buf *b, const nerq_doc *d, const nerq_qlog *l) {
  nerq_buf_printf(b, "    speaker: ");
  if (l->speaker >= 0)
    nerq_buf_printf(b, "e%d \"%s\"", l->speaker + 1,
                    NERQ_VEC_AT(&d->entities, nerq_entity, l->speaker)->name);
  else if (l->spk_end)
    nerq_buf_printf(b, "no entity, as written");
  else
    nerq_buf_printf(b, "none");
  if (l->spk_end) {
    nerq_buf_printf(b, " at ");
    byte_span(b, d, l->spk_start, l->spk_end);
  }
  nerq_buf_printf(b, " (how %s%s%s)\n", l->how ? l->how : "none",
                  l->how_rule ? " by " : "", l->how_rule ? l->how_rule : "");
}

/* One reported-speech candidate: its content, the rules that found its
 * content, its end and its speaker, and the verdict. */
static void explain_reported(nerq_buf *b, const nerq_doc *d, size_t i) {
  const nerq_rlog *l = NERQ_VEC_AT(&d->rlog, nerq_rlog, i);
  nerq_buf_printf(b, "  reported %zu: content ", i + 1);
  byte_span(b, d, l->first, l->last);
  nerq_buf_printf(b, "%s\n    cue ", l->segs > 1 ? " (two segments, the cue between)" : "");
  byte_span(b, d, l->cue.start, l->cue.end);
  nerq_buf_printf(b, " by %s\n", l->span_rule);
  if (l->end_rule) nerq_buf_printf(b, "    content ends where %s matched\n", l->end_rule);
  nerq_buf_printf(b, "    speaker rule: %s\n    verdict: %s\n", l->rule ? l->rule : "none matched", l->verdict);
  if (!strcmp(l->verdict, "kept")) {
    nerq_qlog s = {.speaker = l->speaker, .spk_start = l->spk_start, .spk_end = l->spk_end, .how = l->how, .how_rule = l->rule};
    explain_speaker(b, d, &s);
  }
}

void nerq_quotes_explain(const nerq_doc *d, nerq_buf *b) {
  for (size_t i = 0; i < d->qlog.count; i++) {
    const nerq_qlog *l = NERQ_VEC_AT(&d->qlog, nerq_qlog, i);
    nerq_buf_printf(b, "  candidate %zu: marks at %zu and %zu%s\n    text ", i + 1,
                    cp(d, tok(d, l->open_tok)->off), cp(d, tok(d, l->close_tok)->off),
                    l->closed ? "" : " (no closing mark: ends with its paragraph)");
    uint32_t a = nerq_tok_end(d->tokens.items, l->open_tok);
    uint32_t z = l->closed ? tok(d, l->close_tok)->off : nerq_tok_end(d->tokens.items, l->close_tok);
    byte_span(b, d, a, z > a ? z : a);
    nerq_buf_printf(b, "\n");
    if (!l->empty) {
      explain_rules(b, d, l);
      if (l->rule < 0 || d->rules->qrules[l->rule].type != HOW_NONE) explain_tests(b, l);
    }
    nerq_buf_printf(b, "    verdict: %s\n", l->verdict);
    if (l->kept) explain_speaker(b, d, l);
  }
  if (d->rlog.count)
    nerq_buf_printf(b, "reported speech (quotes/reported.rules): every candidate, the rules that found "
                       "its content and its speaker, and the verdict\n");
  for (size_t i = 0; i < d->rlog.count; i++) explain_reported(b, d, i);
}
