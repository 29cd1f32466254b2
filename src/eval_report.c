/*
 * eval_report.c - reading the accumulated scores: counts, metrics by name
 * (nerq_eval_metric) and the report, as JSON or as a table (docs/eval.md).
 */
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"
#include "arena.h"

double eval_ratio(long num, long den) {
  return den > 0 ? (double)num / (double)den : 0.0;
}

double eval_f1(double p, double r) {
  return (p + r) > 0 ? 2.0 * p * r / (p + r) : 0.0;
}

/* Totals for a scheme index and type index (T_N means ALL). */
static tally sum_tally(const nerq_eval *ev, int scheme, int type) {
  tally t = {0, 0, 0};
  for (int i = 0; i < T_N; i++) {
    if (type != T_N && type != i)
      continue;
    t.tp += ev->s.ent[scheme][i].tp;
    t.fp += ev->s.ent[scheme][i].fp;
    t.fn += ev->s.ent[scheme][i].fn;
  }
  return t;
}

void nerq_eval_counts(const nerq_eval *ev, const char *scheme,
                      const char *type, long *tp, long *fp, long *fn) {
  int s = -1, t = -1;
  tally r = {-1, -1, -1};
  for (int i = 0; i < S_N && scheme; i++)
    if (strcmp(scheme, eval_scheme_names[i]) == 0)
      s = i;
  if (type)
    t = eval_type_index(type);
  if (ev && s >= 0 && t >= 0)
    r = sum_tally(ev, s, t);
  if (tp)
    *tp = r.tp;
  if (fp)
    *fp = r.fp;
  if (fn)
    *fn = r.fn;
}

void nerq_eval_quote_counts(const nerq_eval *ev, long *tp, long *fp,
                            long *fn) {
  tally r = {-1, -1, -1};
  if (ev)
    r = ev->s.quotes;
  if (tp)
    *tp = r.tp;
  if (fp)
    *fp = r.fp;
  if (fn)
    *fn = r.fn;
}

/* ------------------------------------------------------------------ */
/* Metrics by name                                                     */
/* ------------------------------------------------------------------ */

/* Index of `name` in names[0..n), or -1. */
static int find_name(const char *name, const char *const *names, int n) {
  for (int i = 0; i < n; i++)
    if (strcmp(name, names[i]) == 0)
      return i;
  return -1;
}

/* "tp", "fp", "fn", "precision", "recall" or "f1" of t; -1 if unknown. */
static int tally_stat(tally t, const char *stat, double *out) {
  static const char *const stats[] = {"tp", "fp", "fn", "precision", "recall", "f1"};
  double p = eval_ratio(t.tp, t.tp + t.fp), r = eval_ratio(t.tp, t.tp + t.fn);
  double v[] = {(double)t.tp, (double)t.fp, (double)t.fn, p, r, eval_f1(p, r)};
  int i = find_name(stat, stats, 6);
  if (i < 0)
    return -1;
  *out = v[i];
  return 0;
}

/* "correct", "total" or "accuracy"; -1 if unknown. */
static int accuracy_stat(long correct, long total, const char *stat,
                         double *out) {
  static const char *const stats[] = {"correct", "total", "accuracy"};
  double v[] = {(double)correct, (double)total, eval_ratio(correct, total)};
  int i = find_name(stat, stats, 3);
  if (i < 0)
    return -1;
  *out = v[i];
  return 0;
}

/* An entity metric: "TYPE.STAT" of scheme s. */
static int entity_metric(const nerq_eval *ev, int s, const char *rest,
                         double *out) {
  const char *dot = strchr(rest, '.');
  char type[16];
  if (!dot || (size_t)(dot - rest) >= sizeof type)
    return -1;
  memcpy(type, rest, (size_t)(dot - rest));
  type[dot - rest] = '\0';
  int t = eval_type_index(type);
  return t < 0 ? -1 : tally_stat(sum_tally(ev, s, t), dot + 1, out);
}

static int metric(const nerq_eval *ev, const char *name, double *out) {
  const char *dot = strchr(name, '.');
  size_t len = dot ? (size_t)(dot - name) : 0;
  const char *rest = dot ? dot + 1 : "";
  for (int s = 0; s < S_N; s++)
    if (len == strlen(eval_scheme_names[s]) &&
        strncmp(name, eval_scheme_names[s], len) == 0)
      return entity_metric(ev, s, rest, out);
  if (len == 6 && strncmp(name, "quotes", 6) == 0)
    return tally_stat(ev->s.quotes, rest, out);
  if (len == 8 && strncmp(name, "indirect", 8) == 0)
    return strncmp(rest, "speakers.", 9) == 0
               ? accuracy_stat(ev->s.ind_spk_correct, ev->s.ind_spk_total, rest + 9, out)
               : tally_stat(ev->s.ind, rest, out);
  if (len != 8 || strncmp(name, "speakers", 8) != 0)
    return -1;
  if (strncmp(rest, "pronoun.", 8) == 0)
    return accuracy_stat(ev->s.pron_correct, ev->s.pron_total, rest + 8, out);
  return accuracy_stat(ev->s.spk_correct, ev->s.spk_total, rest, out);
}

nerq_status nerq_eval_metric(const nerq_eval *ev, const char *name,
                             double *value) {
  double v;
  if (!ev || !name || !value || metric(ev, name, &v) != 0)
    return NERQ_ERR_USAGE;
  *value = v;
  return NERQ_OK;
}

/* ------------------------------------------------------------------ */
/* Report: JSON                                                        */
/* ------------------------------------------------------------------ */

static json_t *tally_json(tally t) {
  double p = eval_ratio(t.tp, t.tp + t.fp), r = eval_ratio(t.tp, t.tp + t.fn);
  return json_pack("{s:I, s:I, s:I, s:f, s:f, s:f}", "tp", (json_int_t)t.tp,
                   "fp", (json_int_t)t.fp, "fn", (json_int_t)t.fn,
                   "precision", p, "recall", r, "f1", eval_f1(p, r));
}

static json_t *scheme_json(const nerq_eval *ev, int scheme) {
  json_t *o = json_object();
  for (int t = 0; o && t <= T_N; t++) {
    const char *name = eval_type_name(t);
    if (json_object_set_new(o, name, tally_json(sum_tally(ev, scheme, t)))) {
      json_decref(o);
      return NULL;
    }
  }
  return o;
}

static json_t *accuracy_json(long correct, long total) {
  return json_pack("{s:I, s:I, s:f}", "correct", (json_int_t)correct,
                   "total", (json_int_t)total, "accuracy",
                   eval_ratio(correct, total));
}

/* Reported speech: its tally and its speakers (docs/eval.md). */
static json_t *indirect_json(const scores *s) {
  json_t *o = tally_json(s->ind);
  if (o && json_object_set_new(o, "speakers", accuracy_json(s->ind_spk_correct, s->ind_spk_total)) != 0) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static char *report_json(const nerq_eval *ev, int flags) {
  json_t *spk = accuracy_json(ev->s.spk_correct, ev->s.spk_total);
  json_t *root = json_pack(
      "{s:I, s:{s:o?, s:o?}, s:o?, s:o?}", "docs", (json_int_t)ev->docs,
      "entities", "strict", scheme_json(ev, S_STRICT), "partial",
      scheme_json(ev, S_PARTIAL), "quotes", tally_json(ev->s.quotes),
      "speakers", spk);
  char *out = NULL;
  if (root && ev->s.ind_docs &&
      json_object_set_new(root, "indirect", indirect_json(&ev->s)) != 0) {
    json_decref(root);
    root = NULL;
  }
  if (root && spk &&
      json_object_set_new(spk, "pronoun",
                          accuracy_json(ev->s.pron_correct,
                                        ev->s.pron_total)) == 0 &&
      (!(flags & NERQ_EVAL_ERRORS) ||
       json_object_set(root, "errors", ev->errors) == 0))
    out = json_dumps(root, JSON_INDENT(2));
  json_decref(root);
  return out;
}

/* ------------------------------------------------------------------ */
/* Report: text                                                        */
/* ------------------------------------------------------------------ */

static void sb_row(nerq_buf *b, const char *scheme, const char *type,
                   tally t) {
  double p = eval_ratio(t.tp, t.tp + t.fp), r = eval_ratio(t.tp, t.tp + t.fn);
  nerq_buf_printf(b, "%-8s %-7s %8ld %8ld %8ld %6.3f %6.3f %6.3f\n", scheme, type,
                  t.tp, t.fp, t.fn, p, r, eval_f1(p, r));
}

/* Copies s with newlines shown as "⏎"; NULL on allocation failure. */
static char *visible(const char *s) {
  size_t n = 0;
  for (const char *p = s; *p; p++)
    n += *p == '\n' ? 3 : 1;
  char *out = malloc(n + 1), *o = out;
  if (!out)
    return NULL;
  for (const char *p = s; *p; p++) {
    if (*p == '\n') {
      memcpy(o, "\xe2\x8f\x8e", 3);
      o += 3;
    } else {
      *o++ = *p;
    }
  }
  *o = '\0';
  return out;
}

static const char *jstr(const json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "";
}

static void sb_error(nerq_buf *b, const json_t *e) {
  char *text = visible(jstr(e, "text")), *left = visible(jstr(e, "left"));
  char *right = visible(jstr(e, "right"));
  const char *rule = json_string_value(json_object_get(e, "rule"));
  if (!text || !left || !right)
    b->failed = 1;
  else
    nerq_buf_printf(b, "%s %s %s %" JSON_INTEGER_FORMAT "-%" JSON_INTEGER_FORMAT " \"%s\"%s%s | ...%s[%s]%s...\n",
                    jstr(e, "kind"), jstr(e, "type"), jstr(e, "doc"),
                    json_integer_value(json_object_get(e, "start")),
                    json_integer_value(json_object_get(e, "end")), text,
                    rule ? " rule=" : "", rule ? rule : "", left, text, right);
  free(text);
  free(left);
  free(right);
}

static void sb_table(nerq_buf *b, const nerq_eval *ev) {
  nerq_buf_printf(b, "%-8s %-7s %8s %8s %8s %6s %6s %6s\n", "scheme", "type", "TP",
                  "FP", "FN", "P", "R", "F1");
  for (int s = 0; s < S_N; s++)
    for (int t = 0; t <= T_N; t++)
      sb_row(b, eval_scheme_names[s], eval_type_name(t),
             sum_tally(ev, s, t));
  sb_row(b, "quotes", "QUOTE", ev->s.quotes);
  nerq_buf_printf(b, "speakers: %ld/%ld correct, accuracy %.3f\n",
                  ev->s.spk_correct, ev->s.spk_total,
                  eval_ratio(ev->s.spk_correct, ev->s.spk_total));
  nerq_buf_printf(b, "speakers (pronoun): %ld/%ld correct, accuracy %.3f\n",
                  ev->s.pron_correct, ev->s.pron_total,
                  eval_ratio(ev->s.pron_correct, ev->s.pron_total));
  if (ev->s.ind_docs) {
    sb_row(b, "indirect", "QUOTE", ev->s.ind);
    nerq_buf_printf(b, "indirect speakers: %ld/%ld correct, accuracy %.3f\n",
                    ev->s.ind_spk_correct, ev->s.ind_spk_total,
                    eval_ratio(ev->s.ind_spk_correct, ev->s.ind_spk_total));
  }
  nerq_buf_printf(b, "docs: %ld\n", ev->docs);
}

static char *report_text(const nerq_eval *ev, int flags) {
  nerq_buf b = {NULL, 0, 0, 0};
  size_t i;
  json_t *e;
  sb_table(&b, ev);
  if (flags & NERQ_EVAL_ERRORS) {
    nerq_buf_printf(&b, "\nerrors (%zu, strict entities and quotes):\n",
                    json_array_size(ev->errors));
    json_array_foreach(ev->errors, i, e) sb_error(&b, e);
  }
  return nerq_buf_finish(&b);
}

char *nerq_eval_report(const nerq_eval *ev, int flags) {
  if (!ev)
    return NULL;
  return (flags & NERQ_EVAL_JSON) ? report_json(ev, flags)
                                  : report_text(ev, flags);
}
