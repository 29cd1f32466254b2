/* rules_impl.h - the rule loader's state, private to rules.c (files,
 * lines, word lists, gazetteers, the load itself) and rules_parse.c (the
 * lines of *.rules files: rules and $definitions). */
#ifndef NERQ_RULES_IMPL_H
#define NERQ_RULES_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "lexicon.h"
#include "rules.h"

#define NERQ_MAX_DEFS 128

typedef struct {
  nerq_rules *r;
  const char *path; /* for messages */
  char *error;      /* malloc'd message */
  size_t cap_rules, cap_qrules, cap_rrules, cap_irules;
  uint64_t hash;            /* FNV-1a over every file's name and bytes */
  char last[NERQ_FOLD_MAX]; /* the last phrase marked, folded (files are */
  size_t lastn;             /* sorted, so neighbours share prefixes) */
  uint64_t lastbits;
  struct {
    char name[64];
    const char *body;
  } defs[NERQ_MAX_DEFS];
  size_t ndefs; /* definitions of the rule file being read */
  int kind;     /* NERQ_SRC_* of the files being read */
} loader;

/* Which table a *.rules file fills. */
enum { KIND_ENTITY,
       KIND_QUOTE,
       KIND_RELATION,
       KIND_REPORTED };

typedef struct {
  const char *file;
  int kind; /* KIND_QUOTE: rules/quotes/; KIND_RELATION: relations.rules;
               KIND_REPORTED: rules/quotes/reported.rules */
} rule_ctx;

/* A byte that may be part of a word: ASCII letter or digit, or any byte
 * of a multi-byte UTF-8 character. */
static inline int nerq_alnum_byte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* rules.c: the error of the loader, "path:line:col: msg", then the line
 * and a caret (col counts bytes from the start of line, which may run
 * over continuation lines); returns NERQ_ERR_RULES (NERQ_ERR_NOMEM when
 * out of memory). The first error is kept. */
nerq_status nerq_loader_error(loader *ld, size_t lineno, const char *line,
                              size_t linelen, size_t col, const char *msg);
/* rules.c: keeps a warning, located as errors are; NERQ_OK or
 * NERQ_ERR_NOMEM. */
nerq_status nerq_loader_warn(loader *ld, size_t lineno, const char *line,
                             size_t linelen, size_t col, const char *msg);

/* rules_parse.c: the largest TYPE code of the rules of a KIND_* table
 * (the smallest is 1, or NERQ_NONE for entity rules), which the loader
 * of an image checks its rules against (rules_image.c). */
int nerq_rule_type_max(int kind);
/* rules_parse.c: one logical line of a *.rules file (ctx: a rule_ctx),
 * "NAME TYPE PRIORITY [OPTIONS] : PATTERN" or "$name = PATTERN". */
nerq_status nerq_loader_rule_line(loader *ld, char *line, size_t len, size_t lineno,
                                  void *ctx);

#endif /* NERQ_RULES_IMPL_H */
