/* document.h - a processed document (document.c, access.c, warn.h). */
#ifndef NERQ_DOCUMENT_H
#define NERQ_DOCUMENT_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "lexicon.h"

/* document.c                                                          */

/* cands, winner and qlog are kept only for nerq_doc_explain, and only
 * when the document is processed with NERQ_EXPLAIN (explain): otherwise
 * the candidates live in a scratch arena freed during resolution (on a
 * big document they and winner, 4 bytes a token, were a seventh of the
 * peak) and the log of candidate quotes is freed after attribution. */
struct nerq_doc {
  nerq_arena *arena;
  nerq_arena *scratch;    /* a stage's scratch arena while it runs, or NULL */
  nerq_arena *cand_arena; /* the candidates' scratch arena (not explain), or NULL */
  int explain;            /* processed with NERQ_EXPLAIN */
  int released;           /* nerq_doc_release_tokens was called */
  char *owned;            /* the input bytes, nerq_doc_process_take's: the text, or NULL */
  const nerq_rules *rules;
  nerq_text text;
  nerq_vec tokens;          /* nerq_token */
  nerq_vec sentences;       /* nerq_range */
  nerq_vec paragraphs;      /* nerq_range */
  nerq_ent *ent_ids;        /* per token: its lexicon entry (nerq_ent) */
  nerq_ents ents;           /* the view of them that nerq_doc_entry reads */
  nerq_vec cands;           /* nerq_cand: every candidate, for explain */
  int32_t *winner;          /* per token: index of the candidate that won it */
  uint32_t props;           /* document properties set by rules (nerq_rules.props) */
  nerq_vec mentions;        /* nerq_mention, sorted by position */
  nerq_vec entities;        /* nerq_entity, in order of first mention */
  nerq_vec quotes;          /* nerq_quote */
  nerq_vec qlog;            /* nerq_qlog: every candidate quote, for explain */
  nerq_vec rlog;            /* nerq_rlog: every reported-speech candidate, kept for explain only */
  nerq_vec relations;       /* nerq_relation */
  nerq_vec warnings;        /* const char * */
  size_t warnings_unlisted; /* warn.c: past the most a record lists */
  size_t spent;             /* match attempts out of budget (nerq_match_env) */
  nerq_vec runaway;         /* warn.c: the rules they were of, and how often */
  char *ids;                /* access.c: "e1\0e2\0...q1\0..." record ids */
  size_t *id_at;            /* offsets into ids: entities, then quotes */
  const char *meta_json;    /* meta found in the input (HTML page), or NULL */
  int emit_text;            /* the record carries "text" (HTML input, drop) */
  int boiler_flag;          /* the record carries "boilerplate" */
  nerq_vec boiler;          /* nerq_boiler spans, when flagged */
};

/* document.c: token lookups without a per-token table (4 bytes a token
 * each on a big document). nerq_doc_spans_plain: the mentions are in
 * token order without overlap, each of a typed entity (so its tokens
 * carry TOK_PERSON, TOK_ORGM or TOK_PLACEM once attribution marked
 * them), and the paragraphs are in order without overlap; the lookups
 * below hold only then. */
int nerq_doc_spans_plain(const struct nerq_doc *d);
/* The mention holding token t, or -1. */
int32_t nerq_doc_mention_at(const struct nerq_doc *d, uint32_t t);
/* How many paragraphs start at or before token t. */
size_t nerq_doc_paras_by(const struct nerq_doc *d, uint32_t t);
/* The paragraph holding token t, or 0 if none does. */
uint32_t nerq_doc_para_of(const struct nerq_doc *d, uint32_t t);

/* The lexicon entry of token t, or NULL. */
static inline const nerq_entry *nerq_doc_entry(const struct nerq_doc *d, size_t t) {
  return nerq_ent_get(&d->ents, t);
}

/* access.c: lays out the record ids of entities and quotes, for the
 * accessors; called once the pipeline is done. */
nerq_status nerq_doc_ids(struct nerq_doc *doc);
/* warn.c: nerq_doc_warn and the input warnings. */
#include "warn.h"

#endif /* NERQ_DOCUMENT_H */
