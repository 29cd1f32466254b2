/* rules_parse.c - the lines of a *.rules file (see docs/rules.md):
 *   NAME TYPE PRIORITY [if P | unless P | sets P | spreads] : PATTERN
 *   $name = PATTERN      a named definition, local to its file
 * TYPE is an entity type or DOC (entity rules), an attribution style
 * (rules/quotes/) or a predicate (relations.rules). A rule is compiled
 * (pattern.c) and appended to its table of the rule set; the files, the
 * word lists and gazetteers and the load itself are rules.c's. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"
#include "nerq.h"
#include "pattern.h"
#include "relate.h"
#include "rules.h"
#include "rules_impl.h"

static const char *const how_names[HOW_NONE + 1] = {"none", "explicit", "pronoun", "role",
                                                    "according-to", "none"};

const char *nerq_how_name(int how) { return how_names[how >= 0 && how <= HOW_NONE ? how : 0]; }

int nerq_how_code(const char *s) {
  for (int i = 1; i <= HOW_NONE; i++)
    if (!strcmp(s, how_names[i])) return i;
  return -1;
}

/* The FORM of a reported-speech rule (quotes/reported.rules). */
static const char *const form_names[] = {"", "after", "before", "between", "end", "speaker", "object"};
#define NFORMS (int)(sizeof form_names / sizeof form_names[0])

static int form_code(const char *s) {
  for (int i = 1; i < NFORMS; i++)
    if (!strcmp(s, form_names[i])) return i;
  return -1;
}

int nerq_rule_type_max(int kind) {
  switch (kind) {
  case KIND_QUOTE: return HOW_NONE;
  case KIND_RELATION: return REL_LOCATION;
  case KIND_REPORTED: return NFORMS - 1;
  default: return NERQ_PLACE;
  }
}

/* Appends a rule to the entity, attribution or relation table. */
static nerq_rule *new_rule(loader *ld, int kind) {
  nerq_rules *r = ld->r;
  nerq_rule **tab = kind == KIND_QUOTE      ? &r->qrules
                    : kind == KIND_RELATION ? &r->rrules
                    : kind == KIND_REPORTED ? &r->irules
                                            : &r->rules;
  size_t *n = kind == KIND_QUOTE      ? &r->nqrules
              : kind == KIND_RELATION ? &r->nrrules
              : kind == KIND_REPORTED ? &r->nirules
                                      : &r->nrules;
  size_t *cap = kind == KIND_QUOTE      ? &ld->cap_qrules
                : kind == KIND_RELATION ? &ld->cap_rrules
                : kind == KIND_REPORTED ? &ld->cap_irules
                                        : &ld->cap_rules;
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 32;
    nerq_rule *nr = realloc(*tab, nc * sizeof *nr);
    if (!nr) return NULL;
    *tab = nr;
    *cap = nc;
  }
  (*tab)[*n].order = (int)*n;
  return &(*tab)[(*n)++];
}

/* The next word of a rule's header from *pos (white space, including
 * line breaks, skipped; a word ends at white space or ':'); its length. */
static size_t header_word(const char *line, size_t *pos) {
  size_t i = *pos;
  while (line[i] == ' ' || line[i] == '\t' || line[i] == '\n' || line[i] == '\r') i++;
  size_t n = 0;
  while (line[i + n] && !strchr(" \t\n\r:", line[i + n])) n++;
  *pos = i;
  return n;
}

static int word_is(const char *w, size_t n, const char *s) {
  return strlen(s) == n && !memcmp(w, s, n);
}

/* The bit of a document property by name, registered on first use. */
static int prop_bit(loader *ld, const char *w, size_t n) {
  nerq_rules *r = ld->r;
  for (int i = 0; i < r->nprops; i++)
    if (word_is(w, n, r->props[i])) return i;
  if (r->nprops == NERQ_MAX_PROPS) return -1;
  const char *name = nerq_lexicon_strdup(r->lex, w, n);
  if (!name) return -1;
  r->props[r->nprops] = name;
  return r->nprops++;
}

/* Options between PRIORITY and ':': "if P", "unless P", "sets P",
 * "spreads". Sets *pos after the ':'. */
static nerq_status rule_options(loader *ld, char *line, size_t len, size_t lineno,
                                size_t *pos, nerq_rule *rule) {
  for (;;) {
    size_t n = header_word(line, pos), at = *pos;
    const char *w = line + at;
    if (n == 0 && line[at] == ':') {
      *pos = at + 1;
      return NERQ_OK;
    }
    if (n == 0) return nerq_loader_error(ld, lineno, line, len, at, "expected ':' before the pattern");
    *pos = at + n;
    if (word_is(w, n, "spreads")) {
      rule->spreads = 1;
      continue;
    }
    int cond = word_is(w, n, "if") ? 1 : word_is(w, n, "unless") ? 2
                                     : word_is(w, n, "sets")     ? 3
                                                                 : 0;
    if (!cond)
      return nerq_loader_error(ld, lineno, line, len, at, "expected 'if PROP', 'unless PROP', 'sets PROP', 'spreads' or ':'");
    size_t pn = header_word(line, pos);
    if (pn == 0) return nerq_loader_error(ld, lineno, line, len, *pos, "expected a document property name");
    int bit = prop_bit(ld, line + *pos, pn);
    if (bit < 0) return nerq_loader_error(ld, lineno, line, len, *pos, "too many document properties (at most 32)");
    *(cond == 1 ? &rule->need_props : cond == 2 ? &rule->forb_props
                                                : &rule->set_props) |= 1u << bit;
    *pos += pn;
  }
}

/* The pattern text of a definition of this file, or NULL. */
static const char *find_def(const void *ctx, const char *name, size_t n) {
  const loader *ld = ctx;
  for (size_t i = ld->ndefs; i-- > 0;)
    if (!strncmp(ld->defs[i].name, name, n) && !ld->defs[i].name[n]) return ld->defs[i].body;
  return NULL;
}

/* "$name = PATTERN": a named definition, usable as $name in the rules
 * below it in the same file. Checked here by compiling it alone. */
static nerq_status def_line(loader *ld, char *line, size_t len, size_t lineno) {
  size_t n = 1;
  while (line[n] && (nerq_alnum_byte((unsigned char)line[n]) || line[n] == '_')) n++;
  char *eq = line + n;
  while (*eq == ' ' || *eq == '\t') eq++;
  if (n == 1 || *eq != '=') return nerq_loader_error(ld, lineno, line, len, (size_t)(eq - line), "expected $name = PATTERN");
  if (n - 1 >= sizeof ld->defs[0].name) return nerq_loader_error(ld, lineno, line, len, 1, "definition name too long");
  if (find_def(ld, line + 1, n - 1)) return nerq_loader_error(ld, lineno, line, len, 0, "definition already made in this file");
  if (ld->ndefs == NERQ_MAX_DEFS) return nerq_loader_error(ld, lineno, line, len, 0, "too many definitions in one file");
  size_t col = 0;
  const char *msg = NULL;
  nerq_defs defs = {find_def, ld, ld->r->regexes};
  nerq_pattern *p = nerq_pattern_check(ld->r->lex, eq + 1, &defs, &col, &msg);
  if (!p) return nerq_loader_error(ld, lineno, line, len, (size_t)(eq + 1 - line) + col, msg);
  memcpy(ld->defs[ld->ndefs].name, line + 1, n - 1);
  ld->defs[ld->ndefs].name[n - 1] = '\0';
  ld->defs[ld->ndefs++].body = eq + 1; /* the file's buffer lives until its end */
  return NERQ_OK;
}

/* Compiles the pattern of a rule whose header has been read. */
static nerq_status rule_body(loader *ld, char *line, size_t len, size_t lineno,
                             const rule_ctx *rc, const char *name, int t, int prio,
                             size_t off, const nerq_rule *opts, int doc) {
  size_t col = 0;
  const char *msg = NULL;
  nerq_rules *r = ld->r;
  nerq_defs defs = {find_def, ld, ld->r->regexes};
  nerq_pattern *p = nerq_pattern_compile(r->lex, line + off, &defs, &col, &msg);
  if (!p) return nerq_loader_error(ld, lineno, line, len, off + col, msg);
  const char *w = nerq_pattern_warning(p, &col);
  if (w && nerq_loader_warn(ld, lineno, line, len, off + col, w)) return NERQ_ERR_NOMEM;
  nerq_rule *rule = new_rule(ld, rc->kind);
  if (!rule) return NERQ_ERR_NOMEM;
  char src[256];
  snprintf(src, sizeof src, "%s@%s%s:%zu", name,
           rc->kind == KIND_QUOTE || rc->kind == KIND_REPORTED ? "quotes/" : "", rc->file, lineno);
  rule->name = nerq_lexicon_strdup(r->lex, name, strlen(name));
  rule->source = nerq_lexicon_strdup(r->lex, src, strlen(src));
  rule->type = t;
  rule->priority = prio;
  rule->pat = p;
  if (rc->kind == KIND_ENTITY || rc->kind == KIND_RELATION) nerq_pattern_need_words(p, r->lex);
  rule->gate = nerq_pattern_gate(p);
  rule->need_props = opts->need_props;
  rule->forb_props = opts->forb_props;
  rule->set_props = opts->set_props;
  rule->spreads = opts->spreads;
  rule->doc = doc;
  return rule->name && rule->source ? NERQ_OK : NERQ_ERR_NOMEM;
}

/* "NAME TYPE PRIORITY [OPTIONS] : PATTERN", or a definition. */
nerq_status nerq_loader_rule_line(loader *ld, char *line, size_t len, size_t lineno,
                                  void *ctx) {
  const rule_ctx *rc = ctx;
  if (line[0] == '$') return def_line(ld, line, len, lineno);
  char name[128], type[16];
  int prio, off = 0;
  if (sscanf(line, "%127s %15s %d%n", name, type, &prio, &off) != 3 || !off)
    return nerq_loader_error(ld, lineno, line, len, 0, "expected NAME TYPE PRIORITY : PATTERN");
  int doc = rc->kind == KIND_ENTITY && !strcmp(type, "DOC");
  int t = rc->kind == KIND_QUOTE      ? nerq_how_code(type)
          : rc->kind == KIND_REPORTED ? form_code(type)
          : rc->kind == KIND_RELATION ? nerq_relation_code(type)
          : doc                       ? NERQ_NONE
                                      : nerq_type_code(type);
  if (t < 0)
    return nerq_loader_error(ld, lineno, line, len, (size_t)(strstr(line, type) - line),
                             rc->kind == KIND_QUOTE      ? "type must be explicit, pronoun, role, according-to or none"
                             : rc->kind == KIND_REPORTED ? "form must be after, object, before, between, end or speaker"
                             : rc->kind == KIND_RELATION ? "predicate must be worksFor, jobTitle, founder, memberOf or location"
                                                         : "type must be PERSON, ORG, PLACE, NONE or DOC");
  nerq_rule opts = {0};
  size_t pos = (size_t)off;
  nerq_status st = rule_options(ld, line, len, lineno, &pos, &opts);
  if (st) return st;
  if ((opts.need_props | opts.forb_props | opts.set_props | (uint32_t)opts.spreads) && rc->kind != KIND_ENTITY)
    return nerq_loader_error(ld, lineno, line, len, (size_t)off, "document conditions and spreads are for entity rules only");
  if (doc && (!opts.set_props || opts.spreads))
    return nerq_loader_error(ld, lineno, line, len, (size_t)(strstr(line, type) - line), "a DOC rule sets a property ('sets PROP') and makes no entity");
  return rule_body(ld, line, len, lineno, rc, name, t, prio, pos, &opts, doc);
}
