/* access.c - read-only accessors of a processed document (nerq.h): the
 * content of the JSON record, entity by entity and quote by quote, so
 * that C users need not parse JSON. Offsets are converted to code points
 * here, as output.c does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entities.h"
#include "quotes.h"
#include "document.h"

/* Lays out "e1\0e2\0...q1\0q2\0..." in the arena, with the offset of
 * each id in id_at (entities first, then quotes). */
nerq_status nerq_doc_ids(nerq_doc *d) {
  size_t n = d->entities.count + d->quotes.count, cap = n * 22 + 1, used = 0;
  d->ids = nerq_arena_alloc(d->arena, cap);
  d->id_at = nerq_arena_alloc(d->arena, (n + 1) * sizeof *d->id_at);
  if (!d->ids || !d->id_at) return NERQ_ERR_NOMEM;
  for (size_t i = 0; i < n; i++) {
    int quote = i >= d->entities.count;
    size_t num = (quote ? i - d->entities.count : i) + 1;
    d->id_at[i] = used;
    used += (size_t)snprintf(d->ids + used, cap - used, "%c%zu", quote ? 'q' : 'e', num) + 1;
  }
  return NERQ_OK;
}

static const nerq_entity *entity_at(const nerq_doc *d, size_t i) {
  return d && i < d->entities.count ? NERQ_VEC_AT(&d->entities, nerq_entity, i) : NULL;
}

static const nerq_mention *mention_at(const nerq_doc *d, size_t e, size_t m) {
  const nerq_entity *ent = entity_at(d, e);
  if (!ent || m >= ent->mentions.count) return NULL;
  return NERQ_VEC_AT(&d->mentions, nerq_mention, *NERQ_VEC_AT(&ent->mentions, uint32_t, m));
}

static const nerq_quote *quote_at(const nerq_doc *d, size_t q) {
  const nerq_quote *r = d && q < d->quotes.count ? NERQ_VEC_AT(&d->quotes, nerq_quote, q) : NULL;
  return r && r->segs.count ? r : NULL;
}

/* The bytes [a, z) of the text, with their code-point offsets. */
static const char *slice(const nerq_doc *d, uint32_t a, uint32_t z, size_t *start,
                         size_t *end, size_t *len) {
  if (start) *start = nerq_text_cp(&d->text, a);
  if (end) *end = nerq_text_cp(&d->text, z);
  if (len) *len = z - a;
  return d->text.text + a;
}

const char *nerq_doc_entity_id(const nerq_doc *d, size_t i) {
  return entity_at(d, i) ? d->ids + d->id_at[i] : NULL;
}

const char *nerq_doc_mention_text(const nerq_doc *d, size_t e, size_t m, size_t *len) {
  const nerq_mention *mm = mention_at(d, e, m);
  if (len) *len = 0;
  return mm ? slice(d, mm->start, mm->stop, NULL, NULL, len) : NULL;
}

const char *nerq_doc_mention_rule(const nerq_doc *d, size_t e, size_t m) {
  const nerq_mention *mm = mention_at(d, e, m);
  return mm ? (mm->rule ? mm->rule : "") : NULL;
}

const char *nerq_doc_quote_id(const nerq_doc *d, size_t q) {
  return quote_at(d, q) ? d->ids + d->id_at[d->entities.count + q] : NULL;
}

char *nerq_doc_quote_text(const nerq_doc *d, size_t q) {
  const nerq_quote *qq = quote_at(d, q);
  if (!qq) return NULL;
  nerq_buf b = {0};
  for (size_t k = 0; k < qq->segs.count; k++) {
    const nerq_seg *g = NERQ_VEC_AT(&qq->segs, nerq_seg, k);
    if (k) nerq_buf_put(&b, "\n", 1);
    nerq_buf_put(&b, d->text.text + g->start, g->end - g->start);
  }
  return nerq_buf_finish(&b);
}

void nerq_doc_quote_span(const nerq_doc *d, size_t q, size_t *start, size_t *end) {
  const nerq_quote *qq = quote_at(d, q);
  *start = *end = 0;
  if (!qq) return;
  *start = nerq_text_cp(&d->text, NERQ_VEC_AT(&qq->segs, nerq_seg, 0)->start);
  *end = nerq_text_cp(&d->text, NERQ_VEC_AT(&qq->segs, nerq_seg, qq->segs.count - 1)->end);
}

size_t nerq_doc_quote_segment_count(const nerq_doc *d, size_t q) {
  const nerq_quote *qq = quote_at(d, q);
  return qq ? qq->segs.count : 0;
}

const char *nerq_doc_quote_segment(const nerq_doc *d, size_t q, size_t s, size_t *start,
                                   size_t *end, size_t *len) {
  const nerq_quote *qq = quote_at(d, q);
  if (!qq || s >= qq->segs.count) return NULL;
  const nerq_seg *g = NERQ_VEC_AT(&qq->segs, nerq_seg, s);
  return slice(d, g->start, g->end, start, end, len);
}

const char *nerq_doc_quote_kind(const nerq_doc *d, size_t q) {
  const nerq_quote *qq = quote_at(d, q);
  return qq ? nerq_quote_kind(qq) : NULL;
}

long nerq_doc_quote_speaker(const nerq_doc *d, size_t q) {
  const nerq_quote *qq = quote_at(d, q);
  return qq && qq->speaker >= 0 ? qq->speaker : -1;
}

const char *nerq_doc_quote_speaker_name(const nerq_doc *d, size_t q, size_t *len) {
  const nerq_quote *qq = quote_at(d, q);
  if (len) *len = 0;
  if (!qq || (qq->speaker < 0 && !qq->spk_end)) return NULL;
  if (qq->speaker < 0) return slice(d, qq->spk_start, qq->spk_end, NULL, NULL, len);
  const char *name = entity_at(d, (size_t)qq->speaker)->name;
  if (len) *len = strlen(name);
  return name;
}

const char *nerq_doc_quote_speaker_mention(const nerq_doc *d, size_t q, size_t *start,
                                           size_t *end, size_t *len) {
  const nerq_quote *qq = quote_at(d, q);
  if (!qq || !qq->spk_end) return NULL;
  return slice(d, qq->spk_start, qq->spk_end, start, end, len);
}

const char *nerq_doc_quote_role(const nerq_doc *d, size_t q) {
  const nerq_quote *qq = quote_at(d, q);
  return qq && (qq->speaker >= 0 || qq->spk_end) ? qq->role : NULL;
}

long nerq_doc_quote_org(const nerq_doc *d, size_t q) {
  const nerq_quote *qq = quote_at(d, q);
  return qq && (qq->speaker >= 0 || qq->spk_end) && qq->org >= 0 ? qq->org : -1;
}

const char *nerq_doc_quote_cue(const nerq_doc *d, size_t q, size_t *start, size_t *end,
                               size_t *len) {
  const nerq_quote *qq = quote_at(d, q);
  if (!qq || !qq->cue_end) return NULL;
  return slice(d, qq->cue_start, qq->cue_end, start, end, len);
}

const char *nerq_doc_quote_how(const nerq_doc *d, size_t q) {
  const nerq_quote *qq = quote_at(d, q);
  return qq ? qq->how : NULL;
}

const char *nerq_doc_quote_rule(const nerq_doc *d, size_t q) {
  const nerq_quote *qq = quote_at(d, q);
  return qq ? qq->rule : NULL;
}

const char *nerq_doc_warning(const nerq_doc *d, size_t i) {
  return d && i < d->warnings.count ? *NERQ_VEC_AT(&d->warnings, const char *, i) : NULL;
}
