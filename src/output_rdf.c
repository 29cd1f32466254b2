/* output_rdf.c - the knowledge graph of a document, as JSON-LD or
 * N-Triples (docs/graph.md). Both formats are written from one list of
 * triples, so they always carry the same graph:
 *   - the article, a schema:NewsArticle, with its headline and the
 *     entities it mentions;
 *   - each entity, a Person, Organization or Place named by its key
 *     under the base IRI, with name, alternateName, sameAs (Wikidata,
 *     GeoNames) and the relations of relations.rules;
 *   - each quote, a schema:Quotation with text, creator and isPartOf,
 *     its cue and evidence in the nerq: namespace;
 *   - W3C Web Annotations with TextPositionSelectors (code points) for
 *     each mention and quote.
 * No blank nodes: every node is an IRI under the article's IRI, which is
 * made from the document id, so runs can be concatenated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonw.h"
#include "rules.h"
#include "entities.h"
#include "quotes.h"
#include "relate.h"
#include "document.h"
#include "util.h"

#define SCHEMA "http://schema.org/"
#define OA "http://www.w3.org/ns/oa#"
#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#define XSD_INT "http://www.w3.org/2001/XMLSchema#integer"
#define NQ NERQ_NS

enum { O_IRI,
       O_STR,
       O_INT };

typedef struct {
  const char *s, *p, *o; /* o: IRI, or bytes of a string literal */
  size_t olen;           /* bytes of o (strings) or the integer (O_INT) */
  int kind;
} triple;

typedef struct {
  const nerq_doc *doc;
  nerq_arena *a;
  const char *base, *article;
  nerq_vec t; /* triple */
  int failed;
} graph;

/* --- IRIs ----------------------------------------------------------- */

/* Appends s[0..n) percent-encoded: everything but unreserved characters
 * and those in `keep`. */
static void pct(nerq_buf *b, const char *s, size_t n, const char *keep) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        strchr("-._~", c) || (c && strchr(keep, c))) {
      nerq_buf_put(b, (const char *)&c, 1);
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      nerq_buf_put(b, e, 3);
    }
  }
}

/* An arena copy of a finished buffer, or NULL. */
static const char *keep_buf(graph *g, nerq_buf *b) {
  char *s = nerq_buf_finish(b);
  const char *r = s ? nerq_arena_strndup(g->a, s, strlen(s)) : NULL;
  free(s);
  if (!r) g->failed = 1;
  return r;
}

/* The IRI of a key "ns:id": BASE ns/id. */
static const char *key_iri(graph *g, const char *key) {
  nerq_buf b = {0};
  const char *colon = strchr(key, ':');
  nerq_buf_put(&b, g->base, strlen(g->base));
  if (colon) {
    pct(&b, key, (size_t)(colon - key), "");
    nerq_buf_put(&b, "/", 1);
    key = colon + 1;
  }
  pct(&b, key, strlen(key), "");
  return keep_buf(g, &b);
}

/* The article IRI + "#" + a fragment made of fmt and n. */
static const char *node(graph *g, const char *frag, size_t n) {
  size_t len = strlen(g->article) + strlen(frag) + 24;
  char *s = nerq_arena_alloc(g->a, len);
  if (!s) {
    g->failed = 1;
    return NULL;
  }
  snprintf(s, len, "%s#%s%zu", g->article, frag, n);
  return s;
}

static const char *suffixed(graph *g, const char *iri, const char *suffix) {
  size_t len = strlen(iri) + strlen(suffix) + 1;
  char *s = nerq_arena_alloc(g->a, len);
  if (!s) {
    g->failed = 1;
    return NULL;
  }
  snprintf(s, len, "%s%s", iri, suffix);
  return s;
}

/* The Wikidata or GeoNames IRI of a key, or NULL. */
static const char *same_as(graph *g, const char *key) {
  char buf[256];
  if (!strncmp(key, "wikidata:", 9)) snprintf(buf, sizeof buf, "http://www.wikidata.org/entity/%s", key + 9);
  else if (!strncmp(key, "geonames:", 9)) snprintf(buf, sizeof buf, "https://sws.geonames.org/%s/", key + 9);
  else return NULL;
  nerq_buf b = {0};
  pct(&b, buf, strlen(buf), ":/");
  return keep_buf(g, &b);
}

/* --- triples ---------------------------------------------------------- */

static void add(graph *g, const char *s, const char *p, const char *o, size_t olen, int kind) {
  if (!s || !o || !p || g->failed) return; /* an optional value, or a failure already noted */
  triple *t = nerq_vec_push(g->a, &g->t);
  if (!t) {
    g->failed = 1;
    return;
  }
  *t = (triple){s, p, o, olen, kind};
}

static void add_iri(graph *g, const char *s, const char *p, const char *o) { add(g, s, p, o, 0, O_IRI); }
static void add_str(graph *g, const char *s, const char *p, const char *o, size_t n) {
  if (o) add(g, s, p, o, n, O_STR);
}
static void add_cstr(graph *g, const char *s, const char *p, const char *o) {
  if (o) add_str(g, s, p, o, strlen(o));
}
static void add_int(graph *g, const char *s, const char *p, size_t v) { add(g, s, p, "", v, O_INT); }

static size_t cp(const graph *g, uint32_t byte) { return nerq_text_cp(&g->doc->text, byte); }

/* A Web Annotation of bytes [a, z) with body `body`: ANN a
 * oa:Annotation; oa:hasBody; oa:hasTarget ANN-t (oa:hasSource the
 * article; oa:hasSelector ANN-s, a TextPositionSelector). */
static void annotate(graph *g, const char *ann, const char *body, uint32_t a, uint32_t z) {
  const char *t = suffixed(g, ann, "-t"), *s = suffixed(g, ann, "-s");
  add_iri(g, ann, RDF_TYPE, OA "Annotation");
  add_iri(g, ann, OA "hasBody", body);
  add_iri(g, ann, OA "hasTarget", t);
  add_iri(g, t, OA "hasSource", g->article);
  add_iri(g, t, OA "hasSelector", s);
  add_iri(g, s, RDF_TYPE, OA "TextPositionSelector");
  add_int(g, s, OA "start", cp(g, a));
  add_int(g, s, OA "end", cp(g, z));
}

static const nerq_entity *entity(const graph *g, int e) {
  return NERQ_VEC_AT(&g->doc->entities, nerq_entity, e);
}

static const char *entity_iri(graph *g, int e) { return key_iri(g, entity(g, e)->key); }

/* True if mention text t[0..n) equals an earlier mention's of entity e. */
static int seen_text(const graph *g, const nerq_entity *e, size_t k, const char *t, size_t n) {
  const nerq_doc *d = g->doc;
  if (strlen(e->name) == n && !memcmp(e->name, t, n)) return 1;
  for (size_t j = 0; j < k; j++) {
    const nerq_mention *m = NERQ_VEC_AT(&d->mentions, nerq_mention, *NERQ_VEC_AT(&e->mentions, uint32_t, j));
    if (m->stop - m->start == n && !memcmp(d->text.text + m->start, t, n)) return 1;
  }
  return 0;
}

static void add_entity(graph *g, size_t i, size_t *mention_no) {
  static const char *types[] = {"Thing", "Person", "Organization", "Place"};
  const nerq_doc *d = g->doc;
  const nerq_entity *e = entity(g, (int)i);
  const char *iri = entity_iri(g, (int)i);
  add_iri(g, g->article, SCHEMA "mentions", iri);
  add_iri(g, iri, RDF_TYPE, suffixed(g, SCHEMA, types[e->type & 3]));
  add_cstr(g, iri, SCHEMA "name", e->name);
  add_cstr(g, iri, NQ "key", e->key);
  add_iri(g, iri, SCHEMA "sameAs", same_as(g, e->key));
  for (size_t k = 0; k < e->mentions.count; k++) {
    const nerq_mention *m = NERQ_VEC_AT(&d->mentions, nerq_mention, *NERQ_VEC_AT(&e->mentions, uint32_t, k));
    const char *t = d->text.text + m->start;
    if (!seen_text(g, e, k, t, m->stop - m->start))
      add_str(g, iri, SCHEMA "alternateName", t, m->stop - m->start);
    const char *ann = node(g, "m", ++*mention_no);
    annotate(g, ann, iri, m->start, m->stop);
    add_cstr(g, ann, NQ "rule", m->rule);
  }
}

/* The object of a relation: an entity, or for a literal party name an
 * organisation named by it ("a Democrat"). */
static void add_relation(graph *g, size_t i) {
  const nerq_relation *r = NERQ_VEC_AT(&g->doc->relations, nerq_relation, i);
  const char *s = entity_iri(g, r->subject), *lit = g->doc->text.text + r->lit_start;
  const char *p = suffixed(g, SCHEMA, nerq_relation_name(g->doc, r));
  size_t n = r->lit_end - r->lit_start;
  if (r->object >= 0) add_iri(g, s, p, entity_iri(g, r->object));
  else if (r->pred == REL_JOBTITLE) add_str(g, s, p, lit, n);
  else {
    char key[300];
    snprintf(key, sizeof key, "org:%.*s", (int)(n < 250 ? n : 250), lit);
    for (char *k = key + 4; *k; k++)
      if (*k >= 'A' && *k <= 'Z') *k = (char)(*k + 32);
    const char *o = key_iri(g, key);
    add_iri(g, s, p, o);
    add_iri(g, o, RDF_TYPE, SCHEMA "Organization");
    add_str(g, o, SCHEMA "name", lit, n);
  }
  const char *ann = node(g, "r", i + 1);
  annotate(g, ann, s, r->start, r->end);
  add_iri(g, ann, NQ "predicate", p);
  add_cstr(g, ann, NQ "rule", r->rule);
}

/* The quote's text: its segments joined by "\n". */
static void add_quote_text(graph *g, const char *q, const nerq_quote *qq) {
  nerq_buf b = {0};
  for (size_t k = 0; k < qq->segs.count; k++) {
    const nerq_seg *s = NERQ_VEC_AT(&qq->segs, nerq_seg, k);
    if (k) nerq_buf_put(&b, "\n", 1);
    nerq_buf_put(&b, g->doc->text.text + s->start, s->end - s->start);
  }
  const char *t = keep_buf(g, &b);
  if (t) add_str(g, q, SCHEMA "text", t, strlen(t));
}

/* Entities mentioned inside the quote: what it is about. */
static void add_quote_about(graph *g, const char *q, const nerq_quote *qq) {
  const nerq_doc *d = g->doc;
  for (size_t m = 0; m < d->mentions.count; m++) {
    const nerq_mention *mm = NERQ_VEC_AT(&d->mentions, nerq_mention, m);
    for (size_t k = 0; k < qq->segs.count; k++) {
      const nerq_seg *s = NERQ_VEC_AT(&qq->segs, nerq_seg, k);
      if (mm->start >= s->start && mm->stop <= s->end && mm->entity != qq->speaker)
        add_iri(g, q, SCHEMA "mentions", entity_iri(g, mm->entity));
    }
  }
}

static void add_quote(graph *g, size_t i) {
  const nerq_quote *qq = NERQ_VEC_AT(&g->doc->quotes, nerq_quote, i);
  if (!qq->segs.count) return;
  const char *q = node(g, "q", i + 1);
  const nerq_seg *first = qq->segs.items, *last = NERQ_VEC_AT(&qq->segs, nerq_seg, qq->segs.count - 1);
  add_iri(g, q, RDF_TYPE, SCHEMA "Quotation");
  add_quote_text(g, q, qq);
  add_iri(g, q, SCHEMA "isPartOf", g->article);
  add_cstr(g, q, NQ "kind", nerq_quote_kind(qq));
  add_cstr(g, q, NQ "how", qq->how);
  add_cstr(g, q, NQ "rule", qq->rule);
  if (qq->speaker >= 0) {
    const char *who = entity_iri(g, qq->speaker);
    add_iri(g, q, SCHEMA "creator", who);
    if (qq->role && entity(g, qq->speaker)->type == NERQ_PERSON)
      add_cstr(g, who, SCHEMA "jobTitle", qq->role);
    if (qq->org >= 0 && entity(g, qq->speaker)->type == NERQ_PERSON)
      add_iri(g, who, SCHEMA "worksFor", entity_iri(g, qq->org));
  } else if (qq->spk_end) {
    add_str(g, q, NQ "speakerText", g->doc->text.text + qq->spk_start, qq->spk_end - qq->spk_start);
  }
  if (qq->cue_end) {
    const char *cue = suffixed(g, q, "-cue");
    add_iri(g, q, NQ "cue", cue);
    add_iri(g, cue, RDF_TYPE, OA "TextPositionSelector");
    add_str(g, cue, NQ "text", g->doc->text.text + qq->cue_start, qq->cue_end - qq->cue_start);
    add_int(g, cue, OA "start", cp(g, qq->cue_start));
    add_int(g, cue, OA "end", cp(g, qq->cue_end));
  }
  add_quote_about(g, q, qq);
  annotate(g, suffixed(g, q, "-a"), q, first->start, last->end);
}

/* --- the article ------------------------------------------------------ */

/* The headline: "headline" or "title" in the metadata, else the first
 * line when it stands alone above the text, is short and does not end
 * a sentence. */
static void add_headline(graph *g, const char *meta_json) {
  json_t *meta = meta_json ? json_loads(meta_json, 0, NULL) : NULL;
  json_t *h = json_object_get(meta, "headline");
  if (!json_is_string(h)) h = json_object_get(meta, "title");
  if (json_is_string(h)) {
    const char *v = nerq_arena_strndup(g->a, json_string_value(h), json_string_length(h));
    add_cstr(g, g->article, SCHEMA "headline", v);
  }
  json_decref(meta);
  if (h) return;
  const char *t = g->doc->text.text, *end = t + g->doc->text.len;
  while (t < end && (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t')) t++;
  const char *nl = memchr(t, '\n', (size_t)(end - t));
  size_t n = nl ? (size_t)(nl - t) : 0;
  while (n && (t[n - 1] == ' ' || t[n - 1] == '\r')) n--;
  if (!n || n > 240 || strchr(".:;,", t[n - 1])) return;
  add_str(g, g->article, SCHEMA "headline", t, n);
}

/* The article's IRI: BASE doc/ID (ID percent-encoded, "/" kept), or for
 * a document without an id, BASE doc/fnv-HASH of its text. */
static const char *article_iri(graph *g, const char *doc_id) {
  nerq_buf b = {0};
  nerq_buf_put(&b, g->base, strlen(g->base));
  nerq_buf_put(&b, "doc/", 4);
  if (doc_id) pct(&b, doc_id, strlen(doc_id), "/");
  else {
    uint64_t h = nerq_fnv1a(NERQ_HASH_SEED, g->doc->text.text, g->doc->text.len);
    nerq_buf_printf(&b, "fnv-%016llx", (unsigned long long)h);
  }
  return keep_buf(g, &b);
}

static void build(graph *g, const char *doc_id, const char *meta_json) {
  const nerq_doc *d = g->doc;
  g->article = article_iri(g, doc_id);
  add_iri(g, g->article, RDF_TYPE, SCHEMA "NewsArticle");
  if (doc_id) add_cstr(g, g->article, SCHEMA "identifier", doc_id);
  add_headline(g, meta_json);
  add_cstr(g, g->article, NQ "version", NERQ_VERSION);
  add_cstr(g, g->article, NQ "rules", d->rules->hash);
  size_t mention_no = 0;
  for (size_t i = 0; i < d->entities.count; i++) add_entity(g, i, &mention_no);
  for (size_t i = 0; i < d->quotes.count; i++) add_quote(g, i);
  for (size_t i = 0; i < d->relations.count; i++) add_relation(g, i);
}

/* --- N-Triples -------------------------------------------------------- */

static void nt_iri(nerq_buf *b, const char *iri) {
  nerq_buf_put(b, "<", 1);
  nerq_buf_put(b, iri, strlen(iri));
  nerq_buf_put(b, ">", 1);
}

/* A string literal with N-Triples escapes (UTF-8 kept). */
static void nt_str(nerq_buf *b, const char *s, size_t n) {
  nerq_buf_put(b, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      char e[2] = {'\\', (char)c};
      nerq_buf_put(b, e, 2);
    } else if (c == '\n') nerq_buf_put(b, "\\n", 2);
    else if (c == '\r') nerq_buf_put(b, "\\r", 2);
    else if (c < 0x20 || c == 0x7f) nerq_buf_printf(b, "\\u%04X", c);
    else nerq_buf_put(b, s + i, 1);
  }
  nerq_buf_put(b, "\"", 1);
}

static void write_ntriples(const graph *g, nerq_buf *b) {
  for (size_t i = 0; i < g->t.count; i++) {
    const triple *t = NERQ_VEC_AT(&g->t, triple, i);
    nt_iri(b, t->s);
    nerq_buf_put(b, " ", 1);
    nt_iri(b, t->p);
    nerq_buf_put(b, " ", 1);
    if (t->kind == O_IRI) nt_iri(b, t->o);
    else if (t->kind == O_STR) nt_str(b, t->o, t->olen);
    else nerq_buf_printf(b, "\"%zu\"^^<" XSD_INT ">", t->olen);
    nerq_buf_put(b, " .\n", 3);
  }
}

/* --- JSON-LD ---------------------------------------------------------- */

/* A property or type IRI in the terms of the context: schema.org terms
 * bare (@vocab), oa: and nerq: as compact IRIs, others in full. */
static void ld_term(nerq_jw *w, const char *iri, int key) {
  char buf[512];
  const char *out = iri;
  if (!strncmp(iri, SCHEMA, strlen(SCHEMA))) out = iri + strlen(SCHEMA);
  else if (!strncmp(iri, OA, strlen(OA))) snprintf(buf, sizeof buf, "oa:%s", iri + strlen(OA)), out = buf;
  else if (!strncmp(iri, NQ, strlen(NQ))) snprintf(buf, sizeof buf, "nerq:%s", iri + strlen(NQ)), out = buf;
  if (key) nerq_jw_key(w, out, strlen(out));
  else nerq_jw_cstr(w, out);
}

static void ld_value(nerq_jw *w, const triple *t) {
  if (t->kind == O_STR) {
    nerq_jw_str(w, t->o, t->olen);
    return;
  }
  if (t->kind == O_INT) {
    nerq_jw_num(w, t->olen);
    return;
  }
  nerq_jw_open(w, '{');
  nerq_jw_key(w, "@id", 3);
  nerq_jw_cstr(w, t->o);
  nerq_jw_close(w, '}');
}

static void ld_context(nerq_jw *w) {
  nerq_jw_key(w, "@context", 8);
  nerq_jw_open(w, '{');
  nerq_jw_key(w, "@vocab", 6);
  nerq_jw_cstr(w, SCHEMA);
  nerq_jw_key(w, "oa", 2);
  nerq_jw_cstr(w, OA);
  nerq_jw_key(w, "nerq", 4);
  nerq_jw_cstr(w, NQ);
  nerq_jw_close(w, '}');
}

/* One node: the triples [a, b) of `order`, which share a subject and are
 * sorted by predicate. */
static void ld_node(nerq_jw *w, const graph *g, const size_t *order, size_t a, size_t b) {
  const triple *t0 = NERQ_VEC_AT(&g->t, triple, order[a]);
  nerq_jw_open(w, '{');
  nerq_jw_key(w, "@id", 3);
  nerq_jw_cstr(w, t0->s);
  for (size_t i = a; i < b;) {
    const triple *t = NERQ_VEC_AT(&g->t, triple, order[i]);
    size_t j = i + 1;
    while (j < b && !strcmp(NERQ_VEC_AT(&g->t, triple, order[j])->p, t->p)) j++;
    int type = !strcmp(t->p, RDF_TYPE);
    if (type) nerq_jw_key(w, "@type", 5);
    else ld_term(w, t->p, 1);
    if (j - i > 1) nerq_jw_open(w, '[');
    for (size_t k = i; k < j; k++) {
      const triple *v = NERQ_VEC_AT(&g->t, triple, order[k]);
      if (type) ld_term(w, v->o, 0);
      else ld_value(w, v);
    }
    if (j - i > 1) nerq_jw_close(w, ']');
    i = j;
  }
  nerq_jw_close(w, '}');
}

/* --- one order for both formats ---------------------------------------- */

typedef struct {
  size_t rank; /* the subject's first appearance */
  const triple *t;
  size_t idx;
} ranked;

static int cmp_ranked(const void *pa, const void *pb) {
  const ranked *a = pa, *b = pb;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  int c = strcmp(a->t->p, b->t->p);
  if (c) return c;
  if (a->t->kind != b->t->kind) return a->t->kind - b->t->kind;
  if (a->t->kind == O_INT) {
    if (a->t->olen != b->t->olen) return a->t->olen < b->t->olen ? -1 : 1;
  } else {
    size_t la = a->t->kind == O_IRI ? strlen(a->t->o) : a->t->olen;
    size_t lb = b->t->kind == O_IRI ? strlen(b->t->o) : b->t->olen;
    c = memcmp(a->t->o, b->t->o, la < lb ? la : lb);
    if (c) return c;
    if (la != lb) return la < lb ? -1 : 1;
  }
  return (a->idx > b->idx) - (a->idx < b->idx);
}

static int same_triple(const triple *a, const triple *b) {
  if (strcmp(a->s, b->s) || strcmp(a->p, b->p) || a->kind != b->kind || a->olen != b->olen) return 0;
  return a->kind == O_INT || (a->kind == O_IRI ? !strcmp(a->o, b->o) : !memcmp(a->o, b->o, a->olen));
}

/* Triple indices grouped by subject (in order of first appearance),
 * sorted by predicate and object, without duplicates. Returns a malloc'd
 * array (caller frees) and its length in *n, or NULL. */
static size_t *ordered(const graph *g, size_t *n) {
  size_t cnt = g->t.count, cap = 16;
  while (cap < cnt * 2 + 2) cap *= 2;
  const char **keys = calloc(cap, sizeof *keys);
  size_t *rank = calloc(cap, sizeof *rank), *out = malloc((cnt + 1) * sizeof *out), next = 0;
  ranked *r = malloc((cnt + 1) * sizeof *r);
  if (!keys || !rank || !out || !r) {
    free(keys);
    free(rank);
    free(out);
    free(r);
    return NULL;
  }
  for (size_t i = 0; i < cnt; i++) {
    const triple *t = NERQ_VEC_AT(&g->t, triple, i);
    size_t h = (size_t)nerq_fnv1a_str(t->s) & (cap - 1);
    while (keys[h] && strcmp(keys[h], t->s)) h = (h + 1) & (cap - 1);
    if (!keys[h]) {
      keys[h] = t->s;
      rank[h] = next++;
    }
    r[i] = (ranked){rank[h], t, i};
  }
  qsort(r, cnt, sizeof *r, cmp_ranked);
  *n = 0;
  for (size_t i = 0; i < cnt; i++)
    if (!i || !same_triple(r[i - 1].t, r[i].t)) out[(*n)++] = r[i].idx;
  free(keys);
  free(rank);
  free(r);
  return out;
}

static void write_jsonld(const graph *g, const size_t *order, size_t n, nerq_buf *b, int pretty) {
  nerq_jw w;
  nerq_jw_init(&w, b, pretty);
  nerq_jw_open(&w, '{');
  ld_context(&w);
  nerq_jw_key(&w, "@graph", 6);
  nerq_jw_open(&w, '[');
  for (size_t a = 0; a < n;) {
    const char *s = NERQ_VEC_AT(&g->t, triple, order[a])->s;
    size_t e = a + 1;
    while (e < n && !strcmp(NERQ_VEC_AT(&g->t, triple, order[e])->s, s)) e++;
    ld_node(&w, g, order, a, e);
    a = e;
  }
  nerq_jw_close(&w, ']');
  nerq_jw_close(&w, '}');
  nerq_jw_release(&w);
}

static void write_nt_ordered(const graph *g, const size_t *order, size_t n, nerq_buf *b) {
  graph view = *g;
  nerq_vec v;
  nerq_vec_init(&v, sizeof(triple));
  for (size_t i = 0; i < n; i++) {
    triple *t = nerq_vec_push(g->a, &v);
    if (!t) {
      b->failed = 1;
      return;
    }
    *t = *NERQ_VEC_AT(&g->t, triple, order[i]);
  }
  view.t = v;
  write_ntriples(&view, b);
}

char *nerq_doc_to_rdf(const nerq_doc *d, const char *doc_id, const char *meta_json,
                      const char *base, int format, int flags) {
  if (!d) return NULL;
  nerq_arena *a = nerq_arena_new();
  if (!a) return NULL;
  graph g = {d, a, base && *base ? base : NERQ_DEFAULT_BASE, NULL, {0}, 0};
  nerq_vec_init(&g.t, sizeof(triple));
  build(&g, doc_id, meta_json);
  size_t n = 0, *order = g.failed ? NULL : ordered(&g, &n);
  nerq_buf b = {0};
  if (!order) b.failed = 1;
  else if (format == NERQ_RDF_NTRIPLES) write_nt_ordered(&g, order, n, &b);
  else write_jsonld(&g, order, n, &b, flags & NERQ_JSON_PRETTY);
  free(order);
  nerq_arena_free(a);
  return nerq_buf_finish(&b);
}
