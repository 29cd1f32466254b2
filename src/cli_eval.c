/* cli_eval.c - `nerq eval GOLD [--input jsonl|conll] [--pred PRED.jsonl]
 * [--json] [--errors] [--rules DIR]`: scores nerq (or saved predictions)
 * against gold annotations, JSONL or CoNLL; see docs/eval.md. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* --html FILE: the errors drawn as the view draws mentions, or NULL. */
static FILE *html_out;

typedef struct {
  const char *html;
  const char *gold, *pred, *rules_dir;
  int flags;
  int conll; /* --input conll */
} eval_opts;

static int eval_args(int argc, char **argv, eval_opts *o) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--pred") && i + 1 < argc) o->pred = argv[++i];
    else if (!strcmp(a, "--rules") && i + 1 < argc) o->rules_dir = argv[++i];
    else if (!strcmp(a, "--input") && i + 1 < argc) {
      const char *v = argv[++i];
      if (strcmp(v, "jsonl") && strcmp(v, "conll"))
        return fprintf(stderr, "nerq eval: --input takes jsonl or conll: %s\n", v), 2;
      o->conll = !strcmp(v, "conll");
    } else if (!strcmp(a, "--html") && i + 1 < argc) o->html = argv[++i];
    else if (!strcmp(a, "--json")) o->flags |= NERQ_EVAL_JSON;
    else if (!strcmp(a, "--errors")) o->flags |= NERQ_EVAL_ERRORS;
    else if (a[0] == '-' && a[1]) return fprintf(stderr, "nerq eval: unknown option %s\n", a), 2;
    else if (!o->gold) o->gold = a;
    else return fprintf(stderr, "nerq eval: one gold file only\n"), 2;
  }
  if (!o->gold) return fprintf(stderr, "usage: nerq eval GOLD [--input jsonl|conll] [--pred PRED.jsonl] [--json] [--errors] [--html FILE]\n"), 2;
  return -1;
}

/* Predictions keyed by "doc": a JSON object from id to record text. */
static json_t *load_preds(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return fprintf(stderr, "nerq eval: %s: %s\n", path, strerror(errno)), NULL;
  json_t *map = json_object();
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) > 0) {
    json_t *rec = json_loadb(line, (size_t)n, 0, NULL);
    const char *id = json_string_value(json_object_get(rec, "doc"));
    if (id) json_object_set_new(map, id, json_stringn(line, (size_t)n));
    json_decref(rec);
  }
  free(line);
  fclose(f);
  return map;
}

static const char *pred_for(json_t *preds, const char *gold_line, size_t n) {
  json_t *g = json_loadb(gold_line, n, 0, NULL);
  const char *id = json_string_value(json_object_get(g, "id"));
  const char *p = id ? json_string_value(json_object_get(preds, id)) : NULL;
  json_decref(g);
  return p;
}

/* Scores one gold line; `where` names it in messages. Returns 1 if the
 * line was rejected. */
static int eval_one(nerq_eval *ev, const nerq_rules *rules, json_t *preds,
                    const char *line, size_t n, const char *where) {
  char *own = NULL, *err = NULL;
  nerq_doc *doc = rules ? cli_gold_doc(rules, line, n, html_out ? &own : NULL) : NULL;
  const char *pred = rules ? own : pred_for(preds, line, n);
  int bad = (rules ? nerq_eval_add_doc(ev, line, doc, &err) : nerq_eval_add(ev, line, pred, &err)) != NERQ_OK;
  nerq_doc_free(doc);
  if (bad) fprintf(stderr, "nerq eval: %s: %s\n", where, err ? err : "invalid");
  if (!bad && html_out) {
    char *g = strndup(line, n), *sec = g ? nerq_eval_to_html(g, pred) : NULL;
    if (sec) fprintf(html_out, "%s\n", sec);
    free(sec);
    free(g);
  }
  free(err);
  free(own);
  return bad;
}

static int eval_lines(FILE *f, nerq_eval *ev, const nerq_rules *rules, json_t *preds) {
  char *line = NULL, where[32];
  size_t cap = 0, lineno = 0;
  ssize_t n;
  int bad = 0;
  while ((n = getline(&line, &cap, f)) > 0) {
    lineno++;
    if (n == 1) continue;
    snprintf(where, sizeof where, "line %zu", lineno);
    bad |= eval_one(ev, rules, preds, line, (size_t)n, where);
  }
  free(line);
  return bad;
}

/* Each CoNLL document, converted to a gold line, scored as above. */
static int eval_conll(cli_conll *r, nerq_eval *ev, const nerq_rules *rules, json_t *preds) {
  cli_conll_doc d;
  int bad = 0, err;
  while (!(err = cli_conll_next(r, &d)))
    bad |= eval_one(ev, rules, preds, d.gold, strlen(d.gold), d.id);
  if (err != EOF) fprintf(stderr, "nerq eval: %s\n", strerror(err));
  return bad || err != EOF;
}

int cli_eval(int argc, char **argv) {
  eval_opts o = {0};
  int st = eval_args(argc, argv, &o);
  if (st >= 0) return st;
  FILE *f = NULL;
  cli_conll *conll = NULL;
  int oerr = o.conll                     ? cli_conll_open(o.gold, "nerq eval", &conll)
             : (f = fopen(o.gold, "rb")) ? 0
             : errno                     ? errno
                                         : EIO;
  if (oerr) return fprintf(stderr, "nerq eval: %s: %s\n", o.gold, strerror(oerr)), 2;
  nerq_rules *rules = o.pred ? NULL : cli_load_rules(o.rules_dir);
  json_t *preds = o.pred ? load_preds(o.pred) : NULL;
  nerq_eval *ev = nerq_eval_new();
  int bad = 2;
  if (o.html && !(html_out = fopen(o.html, "w")))
    fprintf(stderr, "nerq eval: %s: %s\n", o.html, strerror(errno));
  if (html_out) fputs(nerq_html_page_head(), html_out);
  if (ev && (rules || preds)) {
    bad = conll ? eval_conll(conll, ev, rules, preds) : eval_lines(f, ev, rules, preds);
    char *report = nerq_eval_report(ev, o.flags);
    if (report) fputs(report, stdout);
    free(report);
  }
  if (html_out) {
    fputs(nerq_html_page_tail(), html_out);
    if (fclose(html_out)) bad = 2;
    html_out = NULL;
  }
  if (f) fclose(f);
  cli_conll_close(conll);
  nerq_eval_free(ev);
  nerq_rules_free(rules);
  json_decref(preds);
  return bad;
}
