/* output_conll.c - the document as CoNLL-2003 style columns: one token
 * per line, "TOKEN TAG" with BIO tags (B-PER, I-ORG, B-LOC, O), a blank
 * line after each sentence, and a "-DOCSTART- O" line (then a blank
 * line) before each document. nerq --input conll and nerq eval --input
 * conll read it back. Tokens are nerq's own (tokenize.c). */
#include <stdlib.h>
#include <string.h>

#include "segments.h"
#include "entities.h"
#include "document.h"

static const char *bio_label(int type) {
  switch (type) {
  case NERQ_PERSON: return "PER";
  case NERQ_ORG: return "ORG";
  case NERQ_PLACE: return "LOC";
  default: return NULL;
  }
}

/* Per token: 0 outside mentions, else the mention index + 1 (malloc'd). */
static uint32_t *mention_of_token(const nerq_doc *d) {
  uint32_t *m = calloc(d->tokens.count + 1, sizeof *m);
  if (!m) return NULL;
  for (size_t i = 0; i < d->mentions.count; i++) {
    const nerq_mention *mm = NERQ_VEC_AT(&d->mentions, nerq_mention, i);
    if (mm->entity < 0) continue;
    for (uint32_t t = mm->first; t < mm->end && t < d->tokens.count; t++) m[t] = (uint32_t)i + 1;
  }
  return m;
}

static void put_token(nerq_buf *b, const nerq_doc *d, const uint32_t *mof, size_t t) {
  const nerq_token *tk = NERQ_VEC_AT(&d->tokens, nerq_token, t);
  nerq_buf_put(b, d->text.text + tk->off, nerq_tok_len(d->tokens.items, t));
  const char *label = NULL;
  const nerq_mention *m = NULL;
  if (mof[t]) {
    m = NERQ_VEC_AT(&d->mentions, nerq_mention, mof[t] - 1);
    label = bio_label(NERQ_VEC_AT(&d->entities, nerq_entity, m->entity)->type);
  }
  if (!label) {
    nerq_buf_put(b, " O\n", 3);
    return;
  }
  nerq_buf_printf(b, " %s-%s\n", t == m->first || !t || mof[t - 1] != mof[t] ? "B" : "I", label);
}

char *nerq_doc_to_conll(const nerq_doc *d, const char *doc_id, int flags) {
  (void)doc_id;
  (void)flags;
  if (!d || d->released) return NULL;
  uint32_t *mof = mention_of_token(d);
  if (!mof) return NULL;
  nerq_buf b = {0};
  nerq_buf_put(&b, "-DOCSTART- O\n\n", 14);
  for (size_t s = 0; s < d->sentences.count; s++) {
    const nerq_range *r = NERQ_VEC_AT(&d->sentences, nerq_range, s);
    int any = 0;
    for (size_t t = r->first; t < r->end; t++) {
      const nerq_token *tk = NERQ_VEC_AT(&d->tokens, nerq_token, t);
      if (!tk->len7) continue;
      put_token(&b, d, mof, t);
      any = 1;
    }
    if (any) nerq_buf_put(&b, "\n", 1);
  }
  free(mof);
  return nerq_buf_finish(&b);
}
