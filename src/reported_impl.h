/* reported_impl.h - what the two files of reported speech share:
 * reported.c finds the candidates, reported_keep.c finds their speakers
 * and keeps those that stand. Internal: not part of the public API. */
#ifndef NERQ_REPORTED_IMPL_H
#define NERQ_REPORTED_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "segments.h"
#include "rules.h"
#include "quotes.h"
#include "document.h"

/* Where content after a cue stops, and the end rule that says so. */
typedef struct {
  uint32_t tok;
  const char *rule;
} stop;

/* A rule's match: capture [ca, cb), the whole match ending at end. */
typedef struct {
  size_t ca, cb, end;
} rmatch;

/* A bit for each of 64 tokens, and how many bits are set before them. */
typedef struct {
  uint64_t bits;
  uint32_t before;
} token_bits;

typedef struct {
  nerq_doc *doc;
  nerq_match_env env;
  token_bits *quoted; /* tokens inside a direct quote */
  token_bits *words;  /* word tokens */
  size_t ce;          /* content_end of the sentence being scanned */
  stop *stops;        /* its tokens where an `end` rule's capture starts, ascending */
  size_t nstops, cap_stops;
  const char *clip; /* the end rule that ended the content made last, or NULL */
  nerq_seg *taken;  /* segments kept in sentence taken_sent (overlaps_kept) */
  size_t ntaken, cap_taken;
  uint32_t taken_sent;
  size_t max_cands; /* MAX_CANDS_BASE + text bytes / CAND_BYTES */
  int full;         /* max_cands reached: the scan stopped */
  size_t cand0;     /* the candidates: doc->quotes from this item on (keep) */
  nerq_vec info;    /* cand_info of each candidate */
  /* The sentence being scanned, from its first token: the OR of the
   * lists (and phrase prefixes) and of the flags of its tokens from each
   * to its end (one more item, 0, at the end), and its candidate and end
   * rules that may match there (indexes into irules, priority order). */
  uint64_t *suf_lists;
  uint32_t *suf_flags;
  size_t cap_suf;
  uint64_t *act;   /* its candidate and end rules that may match in it (a set: rep.first) */
  uint64_t *first; /* per token from its first, those that may start there */
  size_t cap_first;
  uint64_t *one; /* scratch: one set */
} rctx;

typedef struct {
  const char *end_rule;  /* the end rule that ended its content, or NULL */
  nerq_seg cue;          /* the cue's bytes */
  uint32_t sent_start;   /* the first byte of its sentence */
  uint32_t cue_a, cue_b; /* the cue's tokens */
  uint8_t unattributed;  /* its rule is named unattributed.*: kept, no speaker */
  uint8_t form;          /* its rule's form (REP_AFTER, ...) */
} cand_info;

_Static_assert(sizeof(cand_info) <= 32, "a candidate's info is 32 bytes");

static inline const nerq_token *tk(const rctx *c, size_t i) {
  return NERQ_VEC_AT(&c->doc->tokens, nerq_token, i);
}

/* True if token t is inside a direct quote. */
static inline int is_quoted(const rctx *c, size_t t) {
  return (c->quoted[t >> 6].bits >> (t & 63)) & 1;
}

/* The lists and phrase prefixes of token t. */
uint64_t nerq_rep_lists_of(const rctx *c, size_t t);

/* The first rule of the set `set` (bits of rep.idx positions) from
 * position *k to hi that matches at token t (reported.c), its match in
 * *m; *k is left past it. NULL when none is left. */
const nerq_rule *nerq_rep_next_match(rctx *c, const uint64_t *set, size_t hi, size_t *k, size_t t,
                                     uint64_t lists, uint32_t flags, rmatch *m);

/* Finds the speakers of the candidates c->doc->quotes[c->cand0 ..) and
 * keeps those that stand, in place (reported_keep.c). On error the
 * caller drops every candidate. */
nerq_status nerq_rep_select(rctx *c);

#endif
