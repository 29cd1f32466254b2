/*
 * internal.h - types shared by the pipeline stages of libnerq.
 *
 * The pipeline, one file per stage, each with one entry point:
 *   decode.c    nerq_text_decode      bytes -> valid UTF-8 + offset map
 *   tokenize.c  nerq_tokens_build     text -> token spans
 *   segment.c   nerq_segments_build   tokens -> sentences and paragraphs
 *   match.c     nerq_matches_find     tokens -> candidate mentions
 *   resolve.c   nerq_entities_resolve candidates -> entities
 *   quotes.c    nerq_quotes_find      tokens + entities -> quotes
 *   attribute.c nerq_quotes_attribute quotes -> kinds and speakers
 *   output.c    nerq_doc_to_json      document -> JSON record
 * Supporting files: arena.c (per-document memory), lexicon.c (the hash of
 * gazetteer and list entries), rules.c (loading rules/), pattern.c (the
 * pattern-rule language), document.c (the public document API),
 * explain.c (nerq_doc_explain), eval*.c (scoring, nerq_eval.h), warn.c
 * (a document's warnings) and dispatch.c (which rules may start where).
 * The command's files are main.c and cli_*.c; they use only nerq.h.
 *
 * Everything a document owns lives in its arena; nothing here is freed
 * piecemeal.
 *
 * This file only gathers the module headers (arena.h, jsonw.h, html.h,
 * boilerplate.h, decode.h, tokens.h, segments.h, lexicon.h, pattern.h,
 * rules.h, match.h, entities.h, quotes.h, relate.h, document.h,
 * output_html.h), each declaring one module and including what it needs.
 * New code includes the headers it uses, not this one.
 */
#ifndef NERQ_INTERNAL_H
#define NERQ_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"

#include "arena.h"
#include "jsonw.h"
#include "html.h"
#include "boilerplate.h"
#include "decode.h"
#include "tokens.h"
#include "segments.h"
#include "lexicon.h"
#include "pattern.h"
#include "rules.h"
#include "match.h"
#include "entities.h"
#include "quotes.h"
#include "relate.h"
#include "document.h"
#include "output_html.h"

#endif /* NERQ_INTERNAL_H */
