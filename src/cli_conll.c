/* cli_conll.c - reads CoNLL-2003 style files (`TOKEN TAG` or `TOKEN POS
 * CHUNK TAG`, the tag last) one document at a time, for `nerq --input
 * conll` and `nerq eval --input conll`. Builds each document's text
 * (tokens joined by ' ', sentences by '\n') and its gold record with
 * code-point offsets. See docs/eval.md, "CoNLL input". */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_LINE_WARNINGS 5

typedef struct {
  size_t start, end;   /* code points in the text */
  size_t bstart, bend; /* bytes in the text */
  const char *type;    /* PERSON, ORG or PLACE */
} span;

typedef struct {
  const char *p;
  size_t n;
} field;

struct cli_conll {
  FILE *f;
  char *path, *name, *who; /* name: path as valid UTF-8, for ids */
  char *line;
  size_t line_cap, lineno, skipped, ndocs;
  char *text; /* the current document, NUL-terminated */
  size_t len, cap, cp;
  span *spans;
  size_t nspans, span_cap;
  int cur;          /* label of the run the last token was in; 0: none */
  int new_sentence; /* the next token starts a sentence */
  char *id, *gold;
};

/* Entity labels; index 0 is "outside", NLABELS is any unscored label. */
static const struct {
  const char *tag, *type;
} labels[] = {{"", NULL}, {"PER", "PERSON"}, {"PERSON", "PERSON"}, {"ORG", "ORG"}, {"LOC", "PLACE"}, {"GPE", "PLACE"}};
#define NLABELS ((int)(sizeof labels / sizeof *labels))

static const char *label_type(int label) {
  return label > 0 && label < NLABELS ? labels[label].type : NULL;
}

/* The label of a tag (0 for O or anything unprefixed); *begin is set
 * when the tag must start a new entity (B-, or S-/U- of BIOES/BILOU). */
static int tag_label(field t, int *begin) {
  *begin = 0;
  if (t.n < 3 || t.p[1] != '-' || !t.p[0] || !strchr("BIESUL", t.p[0])) return 0;
  *begin = t.p[0] == 'B' || t.p[0] == 'S' || t.p[0] == 'U';
  for (int i = 1; i < NLABELS; i++)
    if (strlen(labels[i].tag) == t.n - 2 && !memcmp(labels[i].tag, t.p + 2, t.n - 2)) return i;
  return NLABELS;
}

/* p grown so that `more` elements of `size` fit after n of *cap, or NULL
 * (p is then unchanged). */
static void *grow(void *p, size_t *cap, size_t n, size_t more, size_t size) {
  if (p && more <= *cap - n) return p;
  size_t want = *cap ? *cap : 64;
  while (want - n < more) {
    if (want > SIZE_MAX / 2 / size) return NULL;
    want *= 2;
  }
  void *q = realloc(p, want * size);
  if (q) *cap = want;
  return q;
}

/* Appends n bytes of a token (any bytes) or separator to the text. */
static int append(cli_conll *r, const char *s, size_t n) {
  if (n > SIZE_MAX / 4) return ENOMEM;
  char *t = grow(r->text, &r->cap, r->len, 3 * n + 1, 1);
  if (!t) return ENOMEM;
  r->text = t;
  /* NUL too becomes U+FFFD, so texts and gold lines never hold one */
  r->len += nerq_utf8_repair(t + r->len, s, n, 1, &r->cp);
  t[r->len] = '\0';
  return 0;
}

static int push_span(cli_conll *r, size_t start, size_t bstart, const char *type) {
  span *s = grow(r->spans, &r->span_cap, r->nspans, 1, sizeof *s);
  if (!s) return ENOMEM;
  r->spans = s;
  s[r->nspans++] = (span){start, r->cp, bstart, r->len, type};
  return 0;
}

/* One token of the current sentence, with its tag's label. An I- tag
 * continues the run before it if that has the same label (BIO and IOB1
 * alike); anything else starts a new run. */
static int on_token(cli_conll *r, field tok, int label, int begin) {
  int cont = !begin && label && label == r->cur;
  r->cur = label;
  if (r->len && append(r, r->new_sentence ? "\n" : " ", 1)) return ENOMEM;
  r->new_sentence = 0;
  size_t start = r->cp, bstart = r->len;
  if (append(r, tok.p, tok.n)) return ENOMEM;
  if (!label_type(label)) return 0;
  if (!cont) return push_span(r, start, bstart, label_type(label));
  r->spans[r->nspans - 1].end = r->cp; /* the run's span is the last one */
  r->spans[r->nspans - 1].bend = r->len;
  return 0;
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Splits a line into whitespace-separated fields; returns their number
 * and sets the first and last. */
static size_t split(const char *s, size_t n, field *first, field *last) {
  size_t count = 0, i = 0;
  for (;;) {
    while (i < n && is_space(s[i])) i++;
    if (i == n) return count;
    size_t j = i;
    while (j < n && !is_space(s[j])) j++;
    *last = (field){s + i, j - i};
    if (!count++) *first = *last;
    i = j;
  }
}

/* One line; sets *doc_start at a -DOCSTART- line. Returns 0 or ENOMEM. */
static int on_line(cli_conll *r, const char *s, size_t n, int *doc_start) {
  field tok = {0}, tag = {0};
  size_t count = split(s, n, &tok, &tag);
  *doc_start = count && tok.n == 10 && !memcmp(tok.p, "-DOCSTART-", 10);
  if (!count || *doc_start) {
    r->cur = 0;
    r->new_sentence = 1;
    return 0;
  }
  if (count == 1) {
    if (++r->skipped <= MAX_LINE_WARNINGS)
      fprintf(stderr, "%s: %s:%zu: skipped a line with one column (want TOKEN ... TAG)\n",
              r->who, r->path, r->lineno);
    return 0;
  }
  int begin, label = tag_label(tag, &begin);
  return on_token(r, tok, label, begin);
}

static json_t *entities_json(const cli_conll *r) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < r->nspans; i++) {
    const span *s = &r->spans[i];
    json_t *e = json_pack("{s:I,s:I,s:s,s:s%}", "start", (json_int_t)s->start,
                          "end", (json_int_t)s->end, "type", s->type, "text",
                          r->text + s->bstart, s->bend - s->bstart);
    if (json_array_append_new(a, e)) json_decref(a), a = NULL;
  }
  return a;
}

static json_t *gold_json(const cli_conll *r) {
  json_t *g = json_object(), *ents = entities_json(r);
  if (!g || !ents || json_object_set_new(g, "id", json_string(r->id)) ||
      json_object_set_new(g, "text", json_stringn(r->text, r->len))) {
    json_decref(ents);
    json_decref(g);
    return NULL;
  }
  /* no "quotes": CoNLL has no quote layer, so quotes are not scored */
  if (json_object_set_new(g, "entities", ents)) json_decref(g), g = NULL;
  return g;
}

static int doc_finish(cli_conll *r, cli_conll_doc *doc) {
  size_t k = strlen(r->name) + 24;
  free(r->id);
  free(r->gold);
  r->gold = NULL;
  if (!(r->id = malloc(k))) return ENOMEM;
  snprintf(r->id, k, "%s#%zu", r->name, ++r->ndocs);
  json_t *g = gold_json(r);
  r->gold = g ? json_dumps(g, JSON_COMPACT) : NULL;
  json_decref(g);
  if (!r->gold) return ENOMEM;
  *doc = (cli_conll_doc){r->id, r->text, r->len, r->gold};
  return 0;
}

int cli_conll_next(cli_conll *r, cli_conll_doc *doc) {
  r->len = r->cp = r->nspans = 0;
  r->cur = r->new_sentence = 0;
  ssize_t n;
  while ((errno = 0, n = getline(&r->line, &r->line_cap, r->f)) > 0) {
    int doc_start = 0;
    r->lineno++;
    if (on_line(r, r->line, (size_t)n, &doc_start)) return ENOMEM;
    if (doc_start && r->len) return doc_finish(r, doc);
  }
  int e = errno;
  if (ferror(r->f) || e == ENOMEM) return e ? e : EIO;
  return r->len ? doc_finish(r, doc) : EOF;
}

int cli_conll_open(const char *path, const char *who, cli_conll **out) {
  cli_conll *r = calloc(1, sizeof *r);
  *out = NULL;
  if (!r) return ENOMEM;
  size_t n = strlen(path), cp = 0;
  r->path = strdup(path);
  r->who = strdup(who);
  r->name = n < SIZE_MAX / 4 ? malloc(3 * n + 1) : NULL;
  int err = r->path && r->who && r->name ? 0 : ENOMEM;
  if (!err) r->name[nerq_utf8_repair(r->name, path, n, 1, &cp)] = '\0';
  if (!err && !(r->f = strcmp(path, "-") ? fopen(path, "rb") : stdin))
    err = errno ? errno : EIO;
  if (err) cli_conll_close(r);
  else *out = r;
  return err;
}

size_t cli_conll_skipped(const cli_conll *r) { return r ? r->skipped : 0; }

void cli_conll_close(cli_conll *r) {
  if (!r) return;
  if (r->skipped)
    fprintf(stderr, "%s: %s: %zu malformed line%s skipped\n", r->who, r->path,
            r->skipped, r->skipped == 1 ? "" : "s");
  if (r->f && r->f != stdin) fclose(r->f);
  free(r->path);
  free(r->name);
  free(r->who);
  free(r->line);
  free(r->text);
  free(r->spans);
  free(r->id);
  free(r->gold);
  free(r);
}
