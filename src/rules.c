/* rules.c - loads and compiles rules/ (see docs/rules.md):
 *   lists/NAME.txt       word lists, one phrase per line [TAB attribute]
 *   gazetteer/NAME.tsv   name TAB type TAB key TAB canonical [TAB flags]
 *   *.rules              pattern rules: NAME TYPE PRIORITY : PATTERN
 *                        (their lines are read by rules_parse.c)
 * Files are read in sorted order, so loading is deterministic. Errors
 * read "dir/file:line:col: message", then the line and a caret. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boilerplate.h"
#include "dispatch.h"
#include "image.h"
#include "lexicon.h"
#include "nerq.h"
#include "pattern.h"
#include "rules.h"
#include "rules_impl.h"
#include "tokens.h"
#include "util.h"

/* Formats "path:line:col: msg\n<line>\n<caret>", malloc'd (NULL when
 * out of memory). A rule may run over continuation lines (line holds
 * '\n's): the message names the physical line that holds col. */
static char *format_located(const char *path, size_t lineno, const char *line,
                            size_t linelen, size_t col, const char *msg) {
  for (const char *nl; (nl = memchr(line, '\n', linelen)) && (size_t)(nl - line) < col;) {
    size_t skip = (size_t)(nl - line) + 1;
    line += skip, linelen -= skip, col -= skip, lineno++;
  }
  const char *nl = memchr(line, '\n', linelen);
  if (nl) linelen = (size_t)(nl - line);
  if (linelen && line[linelen - 1] == '\r') linelen--;
  if (col > linelen) col = linelen;
  size_t need = strlen(path) + strlen(msg) + 2 * linelen + col + 64;
  char *s = malloc(need);
  if (!s) return NULL;
  int n = snprintf(s, need, "%s:%zu:%zu: %s\n%.*s\n", path, lineno, col + 1, msg,
                   (int)linelen, line);
  for (size_t i = 0; i < col && n > 0 && (size_t)n + 2 < need; i++)
    s[n++] = line[i] == '\t' ? '\t' : ' ';
  if (n > 0 && (size_t)n + 2 < need) {
    s[n++] = '^';
    s[n] = '\0';
  }
  return s;
}

/* The loader's errors and warnings (rules_impl.h). */
nerq_status nerq_loader_error(loader *ld, size_t lineno, const char *line,
                              size_t linelen, size_t col, const char *msg) {
  if (ld->error) return NERQ_ERR_RULES;
  ld->error = format_located(ld->path, lineno, line, linelen, col, msg);
  return ld->error ? NERQ_ERR_RULES : NERQ_ERR_NOMEM;
}

nerq_status nerq_loader_warn(loader *ld, size_t lineno, const char *line,
                             size_t linelen, size_t col, const char *msg) {
  char text[256];
  snprintf(text, sizeof text, "warning: %s", msg);
  char *w = format_located(ld->path, lineno, line, linelen, col, text);
  char **grown = w ? realloc(ld->r->warnings, (ld->r->nwarnings + 1) * sizeof *grown) : NULL;
  if (!grown) {
    free(w);
    return NERQ_ERR_NOMEM;
  }
  ld->r->warnings = grown;
  grown[ld->r->nwarnings++] = w;
  return NERQ_OK;
}

static nerq_status plain_error(loader *ld, const char *msg) {
  if (ld->error) return NERQ_ERR_RULES;
  size_t need = strlen(ld->path) + strlen(msg) + 8;
  ld->error = malloc(need);
  if (ld->error) snprintf(ld->error, need, "%s: %s", ld->path, msg);
  return NERQ_ERR_RULES;
}

/* Reads a whole file into a malloc'd NUL-terminated buffer; its status
 * in *st. */
static char *slurp(const char *path, size_t *len, struct stat *st) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  if (fstat(fileno(f), st) == 0 && fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
      *len = fread(buf, 1, (size_t)n, f);
      buf[*len] = '\0';
    }
  }
  fclose(f);
  return buf;
}

/* Splits s (one line, no newline) at tabs into at most max fields. */
static int split_tabs(char *s, char **fields, int max) {
  int n = 0;
  fields[n++] = s;
  for (char *p = s; n < max && (p = strchr(p, '\t')); p++) {
    *p = '\0';
    fields[n++] = p + 1;
  }
  return n;
}

/* Sorted names in dir ending in ext; *n set; NULL if none/unreadable. */
static char **list_dir(const char *dir, const char *ext, size_t *n) {
  DIR *d = opendir(dir);
  *n = 0;
  if (!d) return NULL;
  char **names = NULL;
  size_t cap = 0;
  struct dirent *de;
  size_t el = strlen(ext);
  while ((de = readdir(d))) {
    size_t l = strlen(de->d_name);
    if (l <= el || strcmp(de->d_name + l - el, ext) || de->d_name[0] == '.') continue;
    if (*n == cap) {
      char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *nn);
      if (!nn) break;
      names = nn;
    }
    if (!(names[*n] = strdup(de->d_name))) break;
    (*n)++;
  }
  closedir(d);
  if (names) qsort(names, *n, sizeof *names, nerq_str_cmp);
  return names;
}

static void free_names(char **names, size_t n) {
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
}

typedef nerq_status (*line_fn)(loader *ld, char *line, size_t len,
                               size_t lineno, void *ctx);

uint64_t nerq_rules_hash_file(uint64_t h, const char *rel, const char *buf, size_t len) {
  h = nerq_fnv1a(h, rel, strlen(rel) + 1);
  h = nerq_fnv1a(h, buf, len);
  return nerq_fnv1a(h, "\n", 1);
}

/* The path of a file relative to the rules directory. */
static const char *rel_path(const loader *ld, const char *path) {
  size_t dl = strlen(ld->r->dir);
  return !strncmp(path, ld->r->dir, dl) && path[dl] == '/' ? path + dl + 1 : path;
}

/* Folds a file's name (relative to the rules directory) and bytes into
 * the rule-set hash, so that the hash names the rules, not their place,
 * and notes the file for nerq compile. */
static int hash_file(loader *ld, const char *path, const char *buf, size_t len,
                     const struct stat *st) {
  const char *rel = rel_path(ld, path);
  ld->hash = nerq_rules_hash_file(ld->hash, rel, buf, len);
  return nerq_image_note(ld->r->image, rel, ld->kind, st);
}

static int blank_start(const char *p, const char *end) {
  return p < end && (*p == ' ' || *p == '\t');
}

/* The end of the logical line that starts at p: with join, the lines
 * after it that start with white space continue it, and so do comment
 * lines followed by such a line (see docs/rules.md). */
static char *logical_end(char *p, char *end, int join) {
  char *nl = memchr(p, '\n', (size_t)(end - p));
  char *last = nl ? nl : end;
  join = join && *p != '\n' && *p != '\r' && *p != '#' && !blank_start(p, end);
  for (char *q = last + 1; join && nl && q < end;) {
    char *qnl = memchr(q, '\n', (size_t)(end - q));
    char *qend = qnl ? qnl : end;
    if (blank_start(q, end)) last = qend;
    else if (*q != '#') break;
    if (!qnl) break;
    q = qnl + 1;
  }
  return last;
}

/* Calls fn for every line of the file at path (CR LF accepted); with
 * join, for every logical line (a line and its continuation lines, with
 * their '\n's). With keep, the lexicon keeps the file's buffer, so fn
 * may point into it. */
static nerq_status each_line(loader *ld, const char *path, line_fn fn,
                             void *ctx, int keep, int join) {
  size_t len = 0;
  struct stat sb;
  char *buf = slurp(path, &len, &sb);
  if (!buf) return plain_error(ld, strerror(errno ? errno : EIO));
  if (hash_file(ld, path, buf, len, &sb)) {
    free(buf);
    return NERQ_ERR_NOMEM;
  }
  nerq_status st = NERQ_OK;
  size_t lineno = 0;
  for (char *p = buf; !st && p < buf + len;) {
    char *end = logical_end(p, buf + len, join);
    size_t n = (size_t)(end - p), lines = 1;
    if (n && p[n - 1] == '\r') n--;
    p[n] = '\0';
    for (size_t i = 0; i < n; i++) lines += p[i] == '\n';
    lineno++;
    if (join && blank_start(p, end))
      st = nerq_loader_error(ld, lineno, p, n, 0, "a continuation line (starting with white space) with no rule above");
    else if (n && p[0] != '#') st = fn(ld, p, n, lineno, ctx);
    lineno += lines - 1;
    p = end + 1;
  }
  if (keep && nerq_lexicon_adopt(ld->r->lex, buf) == 0) return st;
  free(buf);
  return keep && !st ? NERQ_ERR_NOMEM : st;
}

static char *trim(char *s) {
  while (*s == ' ') s++;
  size_t n = strlen(s);
  while (n && s[n - 1] == ' ') s[--n] = '\0';
  return s;
}

/* Marks every proper prefix of a folded phrase that ends where a token
 * may end (before a space, or where letters meet punctuation) as a
 * phrase prefix, so that matching can stop as soon as a span is no
 * prefix. Prefixes shared with the previous phrase (same bits, same
 * next byte) were marked already and are skipped. */
static void mark_prefix(loader *ld, const char *s, size_t n, uint64_t bits) {
  size_t same = 0;
  if (bits == ld->lastbits)
    while (same < n && same < ld->lastn && s[same] == ld->last[same]) same++;
  size_t i = same ? same : 1;
  for (int prev = nerq_alnum_byte((unsigned char)s[i - 1]); i < n; i++) {
    int cur = nerq_alnum_byte((unsigned char)s[i]);
    int cut = s[i] == ' ' || prev != cur;
    prev = cur;
    if (!cut || s[i - 1] == ' ') continue;
    nerq_entry *e = nerq_lexicon_intern_folded(ld->r->lex, s, i);
    if (e) e->prefixes |= bits;
  }
  memcpy(ld->last, s, n);
  ld->lastn = n;
  ld->lastbits = bits;
}

/* Interns a phrase and marks its prefixes with prefix_bits; NULL if
 * it is empty, too long or memory runs out. */
static nerq_entry *intern_marked(loader *ld, const char *phrase,
                                 uint64_t prefix_bits) {
  char s[NERQ_FOLD_MAX];
  long n = nerq_lexicon_fold(phrase, strlen(phrase), s);
  if (n <= 0) return NULL;
  nerq_entry *e = nerq_lexicon_intern_folded(ld->r->lex, s, (size_t)n);
  if (e) mark_prefix(ld, s, (size_t)n, prefix_bits);
  return e;
}

static nerq_status list_line(loader *ld, char *line, size_t len,
                             size_t lineno, void *ctx) {
  int id = *(int *)ctx;
  char *f[2];
  int nf = split_tabs(line, f, 2);
  char *name = trim(f[0]);
  if (!*name) return nerq_loader_error(ld, lineno, line, len, 0, "empty entry");
  nerq_entry *e = intern_marked(ld, name, 1ull << id);
  if (!e) return nerq_loader_error(ld, lineno, line, len, 0, "entry too long or out of memory");
  e->lists |= 1ull << id;
  if (nf > 1 && strlen(f[1]) == 1 && strchr("mfupn", f[1][0]) && !e->gender)
    e->gender = f[1][0];
  return NERQ_OK;
}

typedef struct {
  int list;
  const char *file;
} gaz_ctx;

/* "gazetteer/FILE:LINE" into buf (hot at load time: no snprintf). */
static void source_name(char *buf, size_t size, const char *file, size_t line) {
  static const char pre[] = "gazetteer/";
  size_t n = sizeof pre - 1, fl = strlen(file);
  char digits[24];
  int d = 0;
  do digits[d++] = (char)('0' + line % 10);
  while ((line /= 10) && d < 23);
  if (n + fl + (size_t)d + 2 > size) {
    buf[0] = '\0';
    return;
  }
  memcpy(buf, pre, n);
  memcpy(buf + n, file, fl);
  n += fl;
  buf[n++] = ':';
  while (d) buf[n++] = digits[--d];
  buf[n] = '\0';
}

static nerq_gaz *gaz_record(loader *ld, char **f, int nf, int type,
                            const gaz_ctx *g, size_t lineno) {
  nerq_lexicon *lex = ld->r->lex;
  nerq_gaz *rec = nerq_lexicon_alloc(lex, sizeof *rec);
  char src[256];
  source_name(src, sizeof src, g->file, lineno);
  if (!rec) return NULL;
  rec->surface = f[0]; /* fields point into the file, which the lexicon keeps */
  rec->key = f[2];
  rec->canonical = nf > 3 && *f[3] ? f[3] : f[0];
  rec->source = nerq_lexicon_strdup(lex, src, strlen(src));
  rec->type = type;
  rec->ambiguous = nf > 4 && strstr(f[4], "ambiguous") != NULL;
  return rec->source ? rec : NULL;
}

/* Undoes split_tabs on a line, for an error message. */
static char *untab(char *line, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (!line[i]) line[i] = '\t';
  return line;
}

static nerq_status gaz_line(loader *ld, char *line, size_t len,
                            size_t lineno, void *ctx) {
  const gaz_ctx *g = ctx;
  char *f[5];
  int nf = split_tabs(line, f, 5);
  if (nf < 3 || !*f[0] || !*f[2])
    return nerq_loader_error(ld, lineno, untab(line, len), len, 0, "expected name TAB type TAB key [TAB canonical [TAB flags]]");
  int type = nerq_type_code(f[1]);
  if (type <= 0)
    return nerq_loader_error(ld, lineno, untab(line, len), len, (size_t)(f[1] - line), "type must be PERSON, ORG or PLACE");
  /* the built-in lists, registered first by load_dir (see builtin[]) */
  int ambiguous = nf > 4 && strstr(f[4], "ambiguous") != NULL;
  uint64_t bits = 1ull << g->list | (ambiguous ? 1ull << 3 | 1ull << (3 + type)
                                               : 1ull << (type - 1));
  nerq_entry *e = intern_marked(ld, f[0], bits | 1ull << NERQ_GAZ_PREFIX);
  nerq_gaz *rec = e ? gaz_record(ld, f, nf, type, g, lineno) : NULL;
  if (!rec) return nerq_loader_error(ld, lineno, untab(line, len), len, 0, "name too long or out of memory");
  if (nerq_lexicon_add_gaz(ld->r->lex, e, rec)) return NERQ_ERR_NOMEM;
  e->lists |= bits;
  return NERQ_OK;
}

typedef nerq_status (*file_fn)(loader *ld, const char *dir, const char *name);

/* The list id named by a file's stem ("titles" for titles.txt), or -1
 * after an error message. */
static int stem_list(loader *ld, const char *name) {
  char stem[64];
  size_t sl = strcspn(name, ".");
  if (sl >= sizeof stem) return plain_error(ld, "file name too long"), -1;
  memcpy(stem, name, sl);
  stem[sl] = '\0';
  int id = nerq_lexicon_list_id(ld->r->lex, stem);
  if (id < 0) plain_error(ld, "too many lists (at most 63 lists and gazetteers)");
  return id;
}

static nerq_status load_list_file(loader *ld, const char *dir, const char *name) {
  (void)dir;
  int id = stem_list(ld, name);
  return id < 0 ? NERQ_ERR_RULES : each_line(ld, ld->path, list_line, &id, 0, 0);
}

static nerq_status load_gaz_file(loader *ld, const char *dir, const char *name) {
  (void)dir;
  gaz_ctx g = {stem_list(ld, name), name};
  return g.list < 0 ? NERQ_ERR_RULES : each_line(ld, ld->path, gaz_line, &g, 1, 0);
}

static nerq_status load_rules_of(loader *ld, const char *name, int kind) {
  rule_ctx rc = {name, kind};
  ld->ndefs = 0; /* definitions are local to their file */
  return each_line(ld, ld->path, nerq_loader_rule_line, &rc, 0, 1);
}

static nerq_status load_rule_file(loader *ld, const char *dir, const char *name) {
  (void)dir;
  return load_rules_of(ld, name, !strcmp(name, "relations.rules") ? KIND_RELATION : KIND_ENTITY);
}

/* rules/quotes/: known by where load_dir found it, not by the path's
 * text (a rules directory may have "quotes" in its own path). */
static nerq_status load_quote_file(loader *ld, const char *dir, const char *name) {
  (void)dir;
  return load_rules_of(ld, name, !strcmp(name, "reported.rules") ? KIND_REPORTED : KIND_QUOTE);
}

static int cmp_priority(const void *pa, const void *pb) {
  const nerq_rule *a = pa, *b = pb;
  if (a->priority != b->priority) return a->priority > b->priority ? -1 : 1;
  return (a->order > b->order) - (a->order < b->order);
}

/* Runs fn on every file in dir/sub ending in ext, in sorted order. */
static nerq_status load_all(loader *ld, const char *dir, const char *sub,
                            const char *ext, file_fn fn, int kind) {
  char path[4096];
  ld->kind = kind;
  snprintf(path, sizeof path, "%s%s%s", dir, *sub ? "/" : "", sub);
  size_t n;
  char **names = list_dir(path, ext, &n);
  nerq_status st = NERQ_OK;
  for (size_t i = 0; i < n && !st; i++) {
    char file[4096 + 256];
    snprintf(file, sizeof file, "%s/%s", path, names[i]);
    ld->path = file;
    st = fn(ld, path, names[i]);
  }
  free_names(names, n);
  return st;
}

static nerq_status finish_load(loader *ld);

static nerq_status load_dir(loader *ld, const char *dir) {
  nerq_lexicon *lex = ld->r->lex;
  /* built-in lists, in this order (gaz_line relies on their bits) */
  const char *builtin[] = {"PERSON", "ORG", "PLACE", "ambiguous", "ambiguous_person",
                           "ambiguous_org", "ambiguous_place"};
  for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
    if (nerq_lexicon_list_id(lex, builtin[i]) != (int)i) return NERQ_ERR_NOMEM;
  nerq_status st = load_all(ld, dir, "lists", ".txt", load_list_file, NERQ_SRC_LIST);
  if (!st) st = load_all(ld, dir, "gazetteer", ".tsv", load_gaz_file, NERQ_SRC_GAZ);
  if (!st) st = load_all(ld, dir, "", ".rules", load_rule_file, NERQ_SRC_RULES);
  if (!st) st = load_all(ld, dir, "quotes", ".rules", load_quote_file, NERQ_SRC_QUOTES);
  if (!st && !ld->r->nrules && !ld->r->nqrules && !nerq_lexicon_size(lex)) {
    ld->path = dir;
    return plain_error(ld, "no rules here (no *.rules, lists/ or gazetteer/ file; see docs/rules.md)");
  }
  return st ? st : finish_load(ld);
}

/* What follows reading the files, from text or from an image. */
static nerq_status finish_load(loader *ld) {
  nerq_lexicon *lex = ld->r->lex;
  nerq_status st = NERQ_OK;
  nerq_dispatch_build(ld->r);
  if (!st) {
    nerq_list_ids *ids = &ld->r->ids;
    ids->first_names = nerq_lexicon_find_list(lex, "first_names");
    ids->titles = nerq_lexicon_find_list(lex, "titles");
    ids->common = nerq_lexicon_find_list(lex, "common");
    ids->stop = nerq_lexicon_find_list(lex, "stop");
    ids->cues = nerq_lexicon_find_list(lex, "speech_cues");
    ids->pronouns = nerq_lexicon_find_list(lex, "pronouns");
    ids->jobs = nerq_lexicon_find_list(lex, "job_titles");
    ids->orgnouns = nerq_lexicon_find_list(lex, "org_nouns");
    ids->preps = nerq_lexicon_find_list(lex, "role_preps");
    ids->role_lead = nerq_lexicon_find_list(lex, "role_lead_words");
    ids->role_tail = nerq_lexicon_find_list(lex, "role_tail_words");
  }
  if (!st && ld->r->nqrules) /* stable: equal priorities keep file order */
    qsort(ld->r->qrules, ld->r->nqrules, sizeof(nerq_rule), cmp_priority);
  if (!st && ld->r->nirules)
    qsort(ld->r->irules, ld->r->nirules, sizeof(nerq_rule), cmp_priority);
  if (!st) st = nerq_reported_index(ld->r);
  if (!st && ld->r->nrrules)
    qsort(ld->r->rrules, ld->r->nrrules, sizeof(nerq_rule), cmp_priority);
  if (!st) snprintf(ld->r->hash, sizeof ld->r->hash, "fnv1a64:%016llx", (unsigned long long)ld->hash);
  return st;
}

/* A failed load: frees what was loaded and hands the message to the
 * caller (who owns it) or frees it; returns st. */
static nerq_status loader_fail(loader *ld, char **error, nerq_status st) {
  nerq_rules_free(ld->r);
  if (error) *error = ld->error;
  else free(ld->error);
  return st;
}

/* The last step of both loaders: the boilerplate patterns, then the
 * rules to the caller (who owns them, nerq_rules_free). */
static nerq_status loader_finish(loader *ld, const char *dir, nerq_rules **out, char **error) {
  nerq_status st = nerq_boiler_load(dir, &ld->r->boiler, &ld->error);
  if (st) return loader_fail(ld, error, st);
  *out = ld->r;
  return NERQ_OK;
}

nerq_status nerq_rules_load_text(const char *dir, nerq_rules **out, char **error) {
  if (out) *out = NULL;
  if (error) *error = NULL;
  if (!dir || !out) return NERQ_ERR_USAGE;
  loader ld = {0};
  ld.hash = NERQ_HASH_SEED;
  nerq_status st = NERQ_ERR_NOMEM;
  ld.path = dir;
  if (!(ld.r = calloc(1, sizeof *ld.r))) goto fail;
  if (!(ld.r->lex = nerq_lexicon_new()) || !(ld.r->dir = strdup(dir))) goto fail;
  if (!(ld.r->regexes = nerq_regex_set_new())) goto fail;
  if (!(ld.r->image = calloc(1, sizeof *ld.r->image))) goto fail;
  DIR *d = opendir(dir);
  if (!d) {
    st = NERQ_ERR_IO;
    plain_error(&ld, "cannot open rules directory");
    goto fail;
  }
  closedir(d);
  if ((st = load_dir(&ld, dir))) goto fail;
  return loader_finish(&ld, dir, out, error);
fail:
  return loader_fail(&ld, error, st);
}

void nerq_rules_free(nerq_rules *r) {
  if (!r) return;
  nerq_reported_index_free(r);
  nerq_regex_set_free(r->regexes);
  free(r->irules);
  free(r->rules);
  free(r->qrules);
  free(r->rrules);
  nerq_lexicon_free(r->lex);
  nerq_boiler_free(r->boiler);
  nerq_image_state_free(r->image);
  free(r->dir);
  for (size_t i = 0; i < r->nwarnings; i++) free(r->warnings[i]);
  free(r->warnings);
  free(r);
}

size_t nerq_rules_warning_count(const nerq_rules *r) { return r ? r->nwarnings : 0; }

const char *nerq_rules_warning(const nerq_rules *r, size_t i) {
  return r && i < r->nwarnings ? r->warnings[i] : NULL;
}

const char *nerq_rules_hash(const nerq_rules *r) { return r ? r->hash : ""; }

size_t nerq_rules_count(const nerq_rules *r) {
  return r ? nerq_lexicon_size(r->lex) + r->nrules + r->nqrules + r->nrrules + r->nirules : 0;
}

nerq_status nerq_rules_from_image(const char *dir, nerq_lexicon *lex, nerq_image_state *im,
                                  const void *rules, size_t len, const char *hash,
                                  nerq_rules **out, char **error, const char **why) {
  loader ld = {0};
  ld.path = dir;
  *out = NULL;
  if (!(ld.r = calloc(1, sizeof *ld.r))) {
    nerq_lexicon_free(lex);
    nerq_image_state_free(im);
    return NERQ_ERR_NOMEM;
  }
  ld.r->lex = lex;
  ld.r->image = im;
  if (!(ld.r->dir = strdup(dir)) || !(ld.r->regexes = nerq_regex_set_new()))
    return loader_fail(&ld, error, NERQ_ERR_NOMEM);
  const char *bad = nerq_rules_unserialize(ld.r, rules, len);
  if (bad) {
    *why = bad;
    return loader_fail(&ld, error, strcmp(bad, "out of memory") ? NERQ_ERR_RULES : NERQ_ERR_NOMEM);
  }
  nerq_status st = nerq_reported_index(ld.r); /* (as finish_load: not in the image) */
  if (st) return loader_fail(&ld, error, st);
  snprintf(ld.r->hash, sizeof ld.r->hash, "%s", hash);
  return loader_finish(&ld, dir, out, error);
}

int nerq_rules_walk(const char *dir, int (*fn)(void *ctx, const char *rel, int kind), void *ctx) {
  static const struct {
    const char *sub, *ext;
  } parts[] = {{"lists", ".txt"}, {"gazetteer", ".tsv"}, {"", ".rules"}, {"quotes", ".rules"}};
  int stop = 0;
  for (int k = 0; k < 4 && !stop; k++) {
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", dir, *parts[k].sub ? "/" : "", parts[k].sub);
    size_t n;
    char **names = list_dir(path, parts[k].ext, &n);
    for (size_t i = 0; i < n && !stop; i++) {
      char rel[512];
      snprintf(rel, sizeof rel, "%s%s%s", parts[k].sub, *parts[k].sub ? "/" : "", names[i]);
      stop = fn(ctx, rel, k);
    }
    free_names(names, n);
  }
  return stop;
}
