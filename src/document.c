/* document.c - the public document API: runs the pipeline stages in
 * order over one document and exposes read-only views of the result. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "boilerplate.h"
#include "segments.h"
#include "rules.h"
#include "match.h"
#include "entities.h"
#include "quotes.h"
#include "relate.h"
#include "document.h"
#include "util.h"

const char *nerq_status_message(nerq_status st) {
  switch (st) {
  case NERQ_OK: return "success";
  case NERQ_ERR_NOMEM: return "out of memory";
  case NERQ_ERR_IO: return "input/output error";
  case NERQ_ERR_RULES: return "invalid rule file";
  case NERQ_ERR_INPUT: return "invalid input";
  case NERQ_ERR_USAGE: return "invalid argument";
  }
  return "unknown error";
}

/* Boilerplate spans of the decoded text: kept in the record (flag) or
 * cut out of the text, which is decoded again (drop). */
static nerq_status boilerplate(nerq_doc *doc, int opts) {
  nerq_vec spans;
  nerq_vec_init(&spans, sizeof(nerq_boiler));
  nerq_status st = nerq_boiler_find(doc->arena, doc->rules->boiler, doc->text.text,
                                    doc->text.len, &spans);
  if (st || !(opts & NERQ_BOILERPLATE_DROP)) {
    doc->boiler = spans;
    doc->boiler_flag = 1;
    return st;
  }
  nerq_buf b = {0};
  size_t at = 0;
  for (size_t i = 0; i < spans.count; i++) {
    const nerq_boiler *g = NERQ_VEC_AT(&spans, nerq_boiler, i);
    nerq_buf_put(&b, doc->text.text + at, g->start - at);
    at = g->end;
  }
  nerq_buf_put(&b, doc->text.text + at, doc->text.len - at);
  char *s = nerq_buf_finish(&b);
  if (!s) return NERQ_ERR_NOMEM;
  int repaired = doc->text.repaired;
  st = nerq_text_decode(doc->arena, s, strlen(s), &doc->text);
  doc->text.repaired = repaired;
  doc->emit_text = 1;
  free(s);
  free(doc->owned); /* the text was the input's bytes: no longer read */
  doc->owned = NULL;
  return st;
}

/* An HTML page: its article text and meta, or an error message. */
static nerq_status html_input(nerq_doc *doc, const char **text, size_t *len,
                              char **error) {
  nerq_page page;
  const char *msg = NULL;
  nerq_status st = nerq_html_extract(doc->arena, *text, *len, &page, &msg);
  if (st) {
    if (error && msg) *error = strdup(msg);
    return st;
  }
  *text = page.text;
  *len = page.len;
  doc->meta_json = page.meta_json;
  doc->emit_text = 1;
  if (page.markup_errors) {
    char w[128];
    snprintf(w, sizeof w, "broken markup: %d HTML parse error(s); the text is the parser's best reading",
             page.markup_errors);
    nerq_doc_warn(doc, w);
  }
  return NERQ_OK;
}

static nerq_status run_pipeline(nerq_doc *doc, const char *text, size_t len, int opts,
                                char **error) {
  nerq_vec cands;
  const nerq_lexicon *lex = doc->rules->lex;
  nerq_status st = NERQ_OK;
  if ((opts & NERQ_IN_HTML) && (st = html_input(doc, &text, &len, error))) return st;
  st = doc->owned && text == doc->owned ? nerq_text_adopt(doc->arena, doc->owned, len, &doc->text)
                                        : nerq_text_decode(doc->arena, text, len, &doc->text);
  if (doc->owned && doc->text.text != doc->owned) { /* copied: an HTML page, or repaired */
    free(doc->owned);
    doc->owned = NULL;
  }
  if (st) return st;
  nerq_doc_warn_input(doc);
  if ((opts & (NERQ_BOILERPLATE_FLAG | NERQ_BOILERPLATE_DROP)) && (st = boilerplate(doc, opts)))
    return st;
  if ((st = nerq_tokens_build(doc->arena, &doc->text, lex, &doc->tokens))) return st;
  if ((st = nerq_segments_build(doc->arena, &doc->text, lex, &doc->tokens,
                                &doc->sentences, &doc->paragraphs)))
    return st;
  /* the candidates: in a scratch arena unless explain keeps them */
  nerq_arena *ca = doc->explain ? doc->arena : nerq_arena_scratch(doc->arena);
  if (!ca) return NERQ_ERR_NOMEM;
  doc->cand_arena = ca != doc->arena ? ca : NULL;
  if (!(st = nerq_matches_find(doc, ca, &cands))) st = nerq_entities_resolve(doc, &cands);
  if (ca != doc->arena) nerq_arena_free(ca);
  doc->cand_arena = NULL;
  if (st) return st;
  if ((st = nerq_quotes_find(doc))) return st;
  if ((st = nerq_quotes_attribute(doc))) return st;
  if (!doc->explain) { /* the candidate quotes' log: for explain only */
    nerq_arena_release(doc->arena, doc->qlog.items);
    nerq_vec_init(&doc->qlog, sizeof(nerq_qlog));
  }
  if ((st = nerq_reported_find(doc))) return st;
  if ((st = nerq_relations_find(doc))) return st;
  nerq_doc_warn_end(doc);
  return nerq_doc_ids(doc);
}

int nerq_doc_spans_plain(const nerq_doc *d) {
  const nerq_mention *m = d->mentions.items;
  for (size_t i = 0; i < d->mentions.count; i++) {
    int type = NERQ_VEC_AT(&d->entities, nerq_entity, m[i].entity)->type;
    if ((i && m[i].first < m[i - 1].end) || type < NERQ_PERSON || type > NERQ_PLACE) return 0;
  }
  const nerq_range *p = d->paragraphs.items;
  for (size_t i = 1; i < d->paragraphs.count; i++)
    if (p[i].first < p[i - 1].end) return 0;
  return 1;
}

/* For nerq_lower_bound: a mention, or a paragraph, that starts at or
 * before token *key. */
static int mention_starts_by(const void *m, const void *key) {
  return ((const nerq_mention *)m)->first <= *(const uint32_t *)key;
}

static int para_starts_by(const void *r, const void *key) {
  return ((const nerq_range *)r)->first <= *(const uint32_t *)key;
}

int32_t nerq_doc_mention_at(const nerq_doc *d, uint32_t t) {
  const nerq_mention *m = d->mentions.items;
  size_t n = nerq_lower_bound(m, d->mentions.count, sizeof *m, &t, mention_starts_by);
  return n && t < m[n - 1].end ? (int32_t)n - 1 : -1;
}

size_t nerq_doc_paras_by(const nerq_doc *d, uint32_t t) {
  return nerq_lower_bound(d->paragraphs.items, d->paragraphs.count, sizeof(nerq_range), &t,
                          para_starts_by);
}

uint32_t nerq_doc_para_of(const nerq_doc *d, uint32_t t) {
  size_t n = nerq_doc_paras_by(d, t);
  return n && t < NERQ_VEC_AT(&d->paragraphs, nerq_range, n - 1)->end ? (uint32_t)n - 1 : 0;
}

nerq_status nerq_doc_process(const nerq_rules *rules, const char *text,
                             size_t len, nerq_doc **out) {
  return nerq_doc_process_opts(rules, text, len, 0, out, NULL);
}

/* The memory a document's arena may take, so that no input (5 MB of '"')
 * grows it without bound: ordinary news takes under 40 bytes a byte. */
static size_t doc_memory_bound(size_t len) {
  size_t base = (size_t)256 << 20;
  return len > (SIZE_MAX - base) / 64 ? SIZE_MAX : base + 64 * len;
}

/* own: the bytes of text, malloc'd with room for len + NERQ_TEXT_PAD, which the
 * document takes (nerq_doc_process_take), or NULL. */
static nerq_status process(const nerq_rules *rules, const char *text, size_t len, int opts,
                           nerq_doc **out, char **error, char *own) {
  nerq_arena *a = nerq_arena_new();
  nerq_doc *doc = a ? nerq_arena_alloc(a, sizeof *doc) : NULL;
  if (!doc) {
    free(own);
    nerq_arena_free(a);
    return NERQ_ERR_NOMEM;
  }
  doc->arena = a;
  doc->owned = own;
  doc->rules = rules;
  doc->explain = !!(opts & NERQ_EXPLAIN);
  nerq_vec_init(&doc->warnings, sizeof(const char *));
  nerq_vec_init(&doc->quotes, sizeof(nerq_quote));
  nerq_vec_init(&doc->entities, sizeof(nerq_entity));
  nerq_vec_init(&doc->mentions, sizeof(nerq_mention));
  nerq_vec_init(&doc->relations, sizeof(nerq_relation));
  nerq_vec_init(&doc->boiler, sizeof(nerq_boiler));
  nerq_vec_init(&doc->runaway, nerq_runaway_size());
  nerq_arena_set_limit(a, doc_memory_bound(len));
  nerq_status st = run_pipeline(doc, text ? text : "", len, opts, error);
  if (st == NERQ_ERR_NOMEM && nerq_arena_capped(a) && error && !*error) {
    char msg[160];
    snprintf(msg, sizeof msg, "document needs more than %zu MiB of memory (the bound: 256 MiB and 64 bytes a byte of input)",
             doc_memory_bound(len) >> 20);
    *error = strdup(msg);
  }
  if (st) {
    nerq_doc_free(doc);
    return st;
  }
  *out = doc;
  return NERQ_OK;
}

nerq_status nerq_doc_process_opts(const nerq_rules *rules, const char *text,
                                  size_t len, int opts, nerq_doc **out, char **error) {
  if (out) *out = NULL;
  if (error) *error = NULL;
  if (!rules || !out || (!text && len)) return NERQ_ERR_USAGE;
  return process(rules, text, len, opts, out, error, NULL);
}

nerq_status nerq_doc_process_take(const nerq_rules *rules, char *bytes, size_t len, int opts,
                                  nerq_doc **out, char **error) {
  if (out) *out = NULL;
  if (error) *error = NULL;
  if (!rules || !out || (!bytes && len)) {
    free(bytes);
    return NERQ_ERR_USAGE;
  }
  char *own = realloc(bytes, len + NERQ_TEXT_PAD); /* in place when there is room */
  if (!own) {
    free(bytes);
    return NERQ_ERR_NOMEM;
  }
  return process(rules, own, len, opts, out, error, own);
}

void nerq_doc_free(nerq_doc *doc) {
  if (!doc) return;
  free(doc->owned);
  nerq_arena_free(doc->arena);
}

void nerq_doc_release_tokens(nerq_doc *doc) {
  if (!doc || doc->released) return;
  nerq_tokens_release(doc->arena, &doc->tokens);
  nerq_arena_release(doc->arena, doc->ent_ids);
  nerq_arena_release(doc->arena, doc->sentences.items);
  nerq_arena_release(doc->arena, doc->paragraphs.items);
  nerq_vec_init(&doc->sentences, sizeof(nerq_range));
  nerq_vec_init(&doc->paragraphs, sizeof(nerq_range));
  doc->ent_ids = NULL;
  doc->ents = (nerq_ents){NULL, NULL, NULL};
  doc->released = 1;
}

static const nerq_entity *entity(const nerq_doc *d, size_t i) {
  return d && i < d->entities.count ? NERQ_VEC_AT(&d->entities, nerq_entity, i) : NULL;
}

static const char *const type_names[] = {"NONE", "PERSON", "ORG", "PLACE"};

const char *nerq_type_name(int type) { return type >= 0 && type <= 3 ? type_names[type] : "NONE"; }

int nerq_type_code(const char *name) {
  for (int i = 0; i <= 3; i++)
    if (!strcmp(name, type_names[i])) return i;
  return -1;
}

int nerq_type_scored(const char *name) {
  static const struct {
    const char *name;
    int type;
  } aliases[] = {{"PERSON", NERQ_PERSON}, {"PER", NERQ_PERSON}, {"ORG", NERQ_ORG}, {"ORGANISATION", NERQ_ORG}, {"ORGANIZATION", NERQ_ORG}, {"PLACE", NERQ_PLACE}, {"LOC", NERQ_PLACE}, {"GPE", NERQ_PLACE}};
  size_t n = name ? strlen(name) : 0;
  for (size_t i = 0; name && i < sizeof aliases / sizeof *aliases; i++)
    if (n == strlen(aliases[i].name) && nerq_ascii_caseeq(name, aliases[i].name, n)) return aliases[i].type;
  return NERQ_NONE;
}

size_t nerq_doc_entity_count(const nerq_doc *d) { return d ? d->entities.count : 0; }
const char *nerq_doc_entity_type(const nerq_doc *d, size_t i) {
  return entity(d, i) ? nerq_type_name(entity(d, i)->type) : NULL;
}
const char *nerq_doc_entity_name(const nerq_doc *d, size_t i) {
  return entity(d, i) ? entity(d, i)->name : NULL;
}
const char *nerq_doc_entity_key(const nerq_doc *d, size_t i) {
  return entity(d, i) ? entity(d, i)->key : NULL;
}
size_t nerq_doc_mention_count(const nerq_doc *d, size_t i) {
  return entity(d, i) ? entity(d, i)->mentions.count : 0;
}

void nerq_doc_mention_span(const nerq_doc *d, size_t i, size_t m,
                           size_t *start, size_t *end) {
  const nerq_entity *e = entity(d, i);
  size_t ignored;
  if (!start) start = &ignored;
  if (!end) end = &ignored;
  *start = *end = 0;
  if (!e || m >= e->mentions.count) return;
  uint32_t mi = *NERQ_VEC_AT(&e->mentions, uint32_t, m);
  const nerq_mention *mm = NERQ_VEC_AT(&d->mentions, nerq_mention, mi);
  *start = nerq_text_cp(&d->text, mm->start);
  *end = nerq_text_cp(&d->text, mm->stop);
}

size_t nerq_doc_quote_count(const nerq_doc *d) { return d ? d->quotes.count : 0; }
size_t nerq_doc_relation_count(const nerq_doc *d) { return d ? d->relations.count : 0; }
size_t nerq_doc_length(const nerq_doc *d) { return d ? d->text.ncp : 0; }
