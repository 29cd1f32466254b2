/*
 * nerq.h - public API of libnerq, a rule-driven extractor of named
 * entities (PERSON, ORG, PLACE) and attributed quotes from news text.
 *
 * Ownership conventions (as in cmark and jq):
 *  - every nerq_X_new / nerq_X_load has a matching nerq_X_free;
 *  - strings returned as `char *` are heap-allocated and owned by the
 *    caller, who releases them with free();
 *  - strings returned as `const char *` are borrowed from the object they
 *    came from and live as long as that object;
 *  - no function calls exit() or prints to stdout/stderr.
 *
 * All offsets in the public API are Unicode code-point offsets into the
 * decoded document (invalid UTF-8 replaced by U+FFFD, one per maximal
 * ill-formed subpart), end exclusive.
 */
#ifndef NERQ_H
#define NERQ_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NERQ_VERSION "0.1.0"

/* Status codes returned by every fallible call. */
typedef enum {
  NERQ_OK = 0,
  NERQ_ERR_NOMEM, /* allocation failed */
  NERQ_ERR_IO,    /* a file could not be read or written */
  NERQ_ERR_RULES, /* a rule file is malformed; see the error text */
  NERQ_ERR_INPUT, /* an input document or line is malformed */
  NERQ_ERR_USAGE  /* an argument is invalid */
} nerq_status;

/* A static, human-readable description of a status code. Never NULL. */
const char *nerq_status_message(nerq_status status);

/* ------------------------------------------------------------------ */
/* Rules                                                               */
/* ------------------------------------------------------------------ */

/* A compiled rule set: gazetteers, word lists and pattern rules. It is
 * immutable after loading and may be shared by threads. */
typedef struct nerq_rules nerq_rules;

/* Loads and compiles every rule file under `dir` (see docs/rules.md).
 * On success stores a new rule set in *out (free with nerq_rules_free).
 * On failure returns an error code and, if `error` is not NULL, stores a
 * malloc'd message of the form "dir/file:line:col: message\n<line>\n  ^"
 * in *error, which the caller frees with free(). */
nerq_status nerq_rules_load(const char *dir, nerq_rules **out, char **error);

/* Compiled images (`nerq compile`, docs/speed.md). `dir` above may also
 * name an image file; and when DIR/rules.nqi exists, nerq_rules_load
 * maps it instead of reading the lists and gazetteers (start-up in a few
 * milliseconds), if it fits: same nerq version and the same rule files,
 * unchanged. When a rule file changed, the rules are loaded from text
 * and DIR/rules.nqi is written again; an image named directly is then
 * refused (NERQ_ERR_RULES, "...: out of date: FILE changed ..."). A
 * damaged or truncated image is refused with NERQ_ERR_RULES.
 *
 * nerq_rules_compile loads the rules of `dir` as text and writes their
 * image to `path` (NULL: DIR/rules.nqi), through a temporary file and a
 * rename. Errors as nerq_rules_load; *error is malloc'd (caller frees). */
nerq_status nerq_rules_compile(const char *dir, const char *path, char **error);
/* Writes the image of a rule set loaded from text (not from an image:
 * NERQ_ERR_USAGE) to `path`. */
nerq_status nerq_rules_write_image(const nerq_rules *rules, const char *path, char **error);

/* Releases a rule set. NULL is allowed. */
void nerq_rules_free(nerq_rules *rules);

/* Warnings of the loader about rules that compiled but may run away (a
 * part repeated by * or + that can match no token, a pattern that can
 * match no token), each "dir/file:line:col: warning: message\n<line>\n
 * ^" as errors are. i < nerq_rules_warning_count(rules); the string is
 * borrowed from `rules` (NULL if i is out of range). */
size_t nerq_rules_warning_count(const nerq_rules *rules);
const char *nerq_rules_warning(const nerq_rules *rules, size_t i);

/* Number of gazetteer entries, list entries and pattern rules loaded. */
size_t nerq_rules_count(const nerq_rules *rules);

/* A hash of the rule set ("fnv1a64:" and 16 hex digits) over every rule
 * file's name (relative to the rules directory) and bytes, so that a
 * record says which rules made it. Borrowed from `rules`. */
const char *nerq_rules_hash(const nerq_rules *rules);

/* ------------------------------------------------------------------ */
/* Documents                                                           */
/* ------------------------------------------------------------------ */

/* The analysis of one document. Holds its own copy of the (repaired)
 * text; all memory lives in one arena released by nerq_doc_free. */
typedef struct nerq_doc nerq_doc;

/* The qsort and bsearch comparator of `char *` items by strcmp, the
 * order nerq walks directories and lists rule files in. */
int nerq_str_cmp(const void *a, const void *b);

/* UTF-8 as nerq reads it (Unicode, section 3.9, Table 3-7): the length
 * (1 to 4) of the well-formed sequence at s[0..n), or minus the length of
 * the maximal ill-formed subpart there; 0 when n is 0. NUL is
 * well-formed. */
int nerq_utf8_seq(const char *s, size_t n);
/* Copies src[0..n) into dst, which has room for 3 * n bytes, replacing
 * each maximal ill-formed subpart by U+FFFD (and each NUL byte too when
 * `nul_bad`), as nerq repairs its input. Returns the bytes written (no NUL
 * is added); adds the code points written to *code_points if not NULL. */
size_t nerq_utf8_repair(char *dst, const char *src, size_t n, int nul_bad,
                        size_t *code_points);

/* Runs the whole pipeline over `len` bytes of `text` (need not be NUL
 * terminated; may contain NUL bytes and invalid UTF-8). `rules` must
 * outlive the returned document. Stores a new document in *out. */
nerq_status nerq_doc_process(const nerq_rules *rules, const char *text,
                             size_t len, nerq_doc **out);

/* Options of nerq_doc_process_opts (OR them together). */
enum {
  NERQ_IN_HTML = 1 << 0,          /* the bytes are an HTML page: its article
                                     text is extracted first (gumbo) and the
                                     record carries it as "text", with the
                                     headline, byline, date and URL in "meta" */
  NERQ_BOILERPLATE_FLAG = 1 << 1, /* list boilerplate lines (support appeals,
                                     comment prompts; rules/boilerplate/) in
                                     the record's "boilerplate" array */
  NERQ_BOILERPLATE_DROP = 1 << 2, /* remove them before analysis; the record
                                     carries the remaining "text", which every
                                     offset points into */
  NERQ_EXPLAIN = 1 << 3           /* keep every candidate, the one that won
                                     each token and every candidate quote, for
                                     nerq_doc_explain (4 bytes a token and about
                                     40 a candidate more) */
};

/* nerq_doc_process with options. On failure, if `error` is not NULL, it
 * may receive a malloc'd message (caller frees), e.g. NERQ_ERR_INPUT for
 * a page with no article text. Markup errors that the HTML parser
 * recovered from become a warning of the document. */
nerq_status nerq_doc_process_opts(const nerq_rules *rules, const char *bytes,
                                  size_t len, int options, nerq_doc **out,
                                  char **error);

/* As nerq_doc_process_opts, but takes `bytes`, which must be malloc'd
 * (len bytes or more): when they are valid UTF-8 they become the
 * document's text without a copy (a big document's memory), else they
 * are freed once decoded. They are freed in every case, with the
 * document or on failure; the caller must not use them afterwards. */
nerq_status nerq_doc_process_take(const nerq_rules *rules, char *bytes, size_t len, int options,
                                  nerq_doc **out, char **error);

/* Releases a document. NULL is allowed. */
void nerq_doc_free(nerq_doc *doc);

/* Frees the document's tokens, their lexicon entries and its sentences,
 * which only nerq_doc_explain and nerq_doc_to_conll read (both return
 * NULL afterwards): about 20 bytes a token, 200 MB for a 50 MB document.
 * The record, graph, HTML view and accessors stay as they were. */
void nerq_doc_release_tokens(nerq_doc *doc);

/* Output flags for nerq_doc_to_json. */
enum {
  NERQ_JSON_PRETTY = 1 << 0, /* indent with two spaces */
  NERQ_JSON_RAW_ID = 1 << 1  /* doc_id is the text of a JSON string,
                                quotes included, written verbatim */
};

/* Serialises the document as one nerq JSON record (see README.md):
 * {"doc": doc_id, "nerq": version, "rules": rule-set hash, "meta": ...,
 *  "entities": [...], "quotes": [...], "relations": [...],
 *  "warnings": [...]}. `meta_json`, if not NULL, is a JSON text placed
 * under "meta" with its tokens verbatim (only the layout between them
 * changes), or left out if it is not one well-formed JSON value. A
 * doc_id that is not valid UTF-8 has each bad byte replaced by U+FFFD,
 * and its bytes follow in hex as "doc_bytes". With NERQ_JSON_RAW_ID,
 * doc_id is a JSON string text written as it is.
 * Returns a malloc'd string without a trailing newline (caller frees),
 * or NULL on allocation failure or a NULL doc. */
char *nerq_doc_to_json(const nerq_doc *doc, const char *doc_id,
                       const char *meta_json, int flags);

/* Where nerq_doc_write_json puts a record: n bytes (n > 0) at a time, in
 * order. Returns 0, or nonzero when they could not be written (no more
 * calls follow). */
typedef int (*nerq_write_fn)(void *ctx, const char *bytes, size_t n);

/* The record of nerq_doc_to_json, the same bytes (no trailing newline),
 * handed to `write` in pieces of about 64 KB as it is made, so that it
 * is never whole in memory (a 50 MB document's record is about 200 MB).
 * Returns NERQ_OK; NERQ_ERR_IO when `write` returned nonzero;
 * NERQ_ERR_NOMEM; NERQ_ERR_USAGE for a NULL doc or write. After a
 * failure, the pieces written so far are only a part of the record. */
nerq_status nerq_doc_write_json(const nerq_doc *doc, const char *doc_id,
                                const char *meta_json, int flags,
                                nerq_write_fn write, void *ctx);

/* Knowledge-graph output (docs/graph.md). */
enum {
  NERQ_RDF_JSONLD = 1,  /* one JSON-LD document, inline @context */
  NERQ_RDF_NTRIPLES = 2 /* N-Triples, one triple per line */
};
/* The IRI under which entities and articles are named by default. */
#define NERQ_DEFAULT_BASE "https://nerq.invalid/id/"
/* The namespace of nerq's own terms (cue, how, rule, key, ...). */
#define NERQ_NS "https://nerq.invalid/ns#"

/* Serialises the document's graph: the article (a schema:NewsArticle
 * named BASE doc/DOC_ID), its entities (BASE NS/ID from each key
 * "NS:ID"), quotes, relations and Web Annotation offsets, with no blank
 * nodes. `base` NULL or "" means NERQ_DEFAULT_BASE; `meta_json` may give
 * a "headline" or "title"; `flags` may hold NERQ_JSON_PRETTY (JSON-LD).
 * Returns a malloc'd string (caller frees): JSON-LD without a trailing
 * newline, N-Triples with one after each triple; NULL when out of
 * memory. */
char *nerq_doc_to_rdf(const nerq_doc *doc, const char *doc_id,
                      const char *meta_json, const char *base, int format,
                      int flags);

/* The error record {"doc": doc_id, "error": message} written in place of
 * a document that could not be processed; doc_id and flags as for
 * nerq_doc_to_json. Malloc'd, without a trailing newline (caller frees),
 * or NULL on allocation failure. */
char *nerq_error_to_json(const char *doc_id, const char *message, int flags);

/* The document as CoNLL-2003 style columns (src/output_conll.c): a
 * "-DOCSTART- O" line and a blank line, then one "TOKEN TAG" line per
 * token with BIO tags (B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC, O) and
 * a blank line after each sentence. `doc_id` and `flags` are unused.
 * Returns a malloc'd string (caller frees), or NULL when out of memory. */
char *nerq_doc_to_conll(const nerq_doc *doc, const char *doc_id, int flags);

/* The HTML view (src/output_html.c): one self-contained page (inline CSS,
 * no outside resources) is nerq_html_page_head(), then one section per
 * document from nerq_doc_to_html or nerq_html_error, then
 * nerq_html_page_tail(). Mentions are <mark data-entity data-type>,
 * quote segments <span class="quote" data-quote data-speaker>; every
 * text is escaped.
 * The head and tail are static strings; the others return a malloc'd
 * string (caller frees), or NULL when out of memory. */
const char *nerq_html_page_head(void);
const char *nerq_html_page_tail(void);
/* One <section> for the document: its text with highlighted mentions
 * and boxed quotes, and a side panel of entities, keys and quotes per
 * speaker. `meta_json` (or the page's own meta) gives the headline. */
char *nerq_doc_to_html(const nerq_doc *doc, const char *doc_id,
                       const char *meta_json, int flags);
/* A <section> reporting that document `doc_id` failed with `msg`. */
char *nerq_html_error(const char *doc_id, const char *msg);

/* Read-only views used by tests and embedders. Indices run from 0.
 * Returned strings are borrowed from `doc`. */
size_t nerq_doc_entity_count(const nerq_doc *doc);
const char *nerq_doc_entity_type(const nerq_doc *doc, size_t i);
const char *nerq_doc_entity_name(const nerq_doc *doc, size_t i);
const char *nerq_doc_entity_key(const nerq_doc *doc, size_t i);
size_t nerq_doc_mention_count(const nerq_doc *doc, size_t entity);
/* Code-point offsets of mention `m` of entity `entity`. */
void nerq_doc_mention_span(const nerq_doc *doc, size_t entity, size_t m,
                           size_t *start, size_t *end);
size_t nerq_doc_quote_count(const nerq_doc *doc);
/* Number of relations (rules/relations.rules) found in the document. */
size_t nerq_doc_relation_count(const nerq_doc *doc);
size_t nerq_doc_warning_count(const nerq_doc *doc);
/* Number of code points in the decoded text. */
size_t nerq_doc_length(const nerq_doc *doc);

/* Accessors: the record's content without parsing its JSON (see the
 * record in README.md). Entity, mention and quote indices run from 0, in
 * the record's order; out-of-range indices give NULL, 0 or -1. Every
 * `const char *` is borrowed from `doc` and lives until nerq_doc_free.
 * Calls that take `size_t *len` return text that is NOT NUL-terminated
 * (a slice of the document) and store its length in bytes in *len (which
 * may be NULL); the others return NUL-terminated strings. Offsets are
 * code points, end exclusive, as in the record. */

/* The record id of entity i ("e1" for i == 0), or NULL. */
const char *nerq_doc_entity_id(const nerq_doc *doc, size_t i);
/* The exact text of mention m of entity `entity`, or NULL. */
const char *nerq_doc_mention_text(const nerq_doc *doc, size_t entity,
                                  size_t m, size_t *len);
/* The rule or gazetteer line behind that mention, or NULL. */
const char *nerq_doc_mention_rule(const nerq_doc *doc, size_t entity,
                                  size_t m);

/* The record id of quote q ("q1" for q == 0), or NULL. */
const char *nerq_doc_quote_id(const nerq_doc *doc, size_t q);
/* The quote's text: its segments joined by "\n", malloc'd (caller frees
 * with free()), or NULL for a bad index or when out of memory. */
char *nerq_doc_quote_text(const nerq_doc *doc, size_t q);
/* Code-point offsets of the whole quote (first segment's start to the
 * last one's end); 0, 0 for a bad index. */
void nerq_doc_quote_span(const nerq_doc *doc, size_t q, size_t *start,
                         size_t *end);
size_t nerq_doc_quote_segment_count(const nerq_doc *doc, size_t q);
/* Segment s of quote q: its text, and its offsets in *start, *end (either
 * may be NULL); NULL for a bad index. */
const char *nerq_doc_quote_segment(const nerq_doc *doc, size_t q, size_t s,
                                   size_t *start, size_t *end, size_t *len);
/* "direct", "partial" or "indirect" (reported speech, no quotation
 * marks), or NULL. */
const char *nerq_doc_quote_kind(const nerq_doc *doc, size_t q);
/* The entity index of the speaker, or -1 when none was resolved. */
long nerq_doc_quote_speaker(const nerq_doc *doc, size_t q);
/* The speaker's name (the entity's canonical name, else the text of the
 * speaker mention), or NULL when the quote has no speaker. */
const char *nerq_doc_quote_speaker_name(const nerq_doc *doc, size_t q,
                                        size_t *len);
/* The speaker mention: its text and offsets, or NULL if none. */
const char *nerq_doc_quote_speaker_mention(const nerq_doc *doc, size_t q,
                                           size_t *start, size_t *end,
                                           size_t *len);
/* The speaker's role ("EMEA general manager"), or NULL. */
const char *nerq_doc_quote_role(const nerq_doc *doc, size_t q);
/* The entity index of the speaker's organisation, or -1. */
long nerq_doc_quote_org(const nerq_doc *doc, size_t q);
/* The speech cue ("said"): its text and offsets, or NULL if none. */
const char *nerq_doc_quote_cue(const nerq_doc *doc, size_t q, size_t *start,
                               size_t *end, size_t *len);
/* The attribution evidence: "explicit", "pronoun", ..., and the rule. */
const char *nerq_doc_quote_how(const nerq_doc *doc, size_t q);
const char *nerq_doc_quote_rule(const nerq_doc *doc, size_t q);
/* Warning i, or NULL. */
const char *nerq_doc_warning(const nerq_doc *doc, size_t i);

/* The rules that ran out of their match budget (steps, or a regex's
 * match limit) in this document: each is also named in one of its
 * warnings. The name is "RULE@FILE:LINE", borrowed from the rules;
 * i < nerq_doc_runaway_count(doc), else NULL. */
size_t nerq_doc_runaway_count(const nerq_doc *doc);
const char *nerq_doc_runaway_rule(const nerq_doc *doc, size_t i);

/* A human-readable account of how the document was analysed: each
 * token with its flags and list memberships, every gazetteer and rule
 * candidate with the candidate that beat it and why (only for a document
 * processed with NERQ_EXPLAIN; otherwise a line says they were not kept),
 * the entities and every candidate quote (the same).
 * Returns a malloc'd string (caller frees), or NULL when out of memory. */
char *nerq_doc_explain(const nerq_doc *doc);

/* Evaluation against gold annotations: include/nerq_eval.h. */

#ifdef __cplusplus
}
#endif

#endif /* NERQ_H */
