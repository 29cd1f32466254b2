/* image.h - compiled rule images (image.c, lexicon_image.c) and what
 * the rule loader (rules.c) records for them. */
#ifndef NERQ_IMAGE_H
#define NERQ_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "lexicon.h"
#include "nerq.h"
#include "tokens.h"
#include "util.h"

/* The kinds of rule files, in the order the loader reads them. */
enum { NERQ_SRC_LIST,
       NERQ_SRC_GAZ,
       NERQ_SRC_RULES,
       NERQ_SRC_QUOTES };

/* One file the loader read: its path relative to the rules directory,
 * its size and modification time. */
typedef struct {
  char *rel;
  int kind;
  uint64_t size;
  int64_t mtime_s, mtime_ns;
} nerq_src;

/* What a rule set knows of its sources (nerq_rules.image), and the
 * mapping it was read from, if any. Freed by nerq_image_state_free. */
typedef struct nerq_image_state {
  nerq_src *src;
  size_t nsrc, cap;
  int borrowed; /* src[].rel point into the mapping */
  void *map;
  size_t maplen;
} nerq_image_state;

void nerq_image_state_free(nerq_image_state *im);
/* Records a file read by the loader (st: its struct stat); 0 or -1. */
int nerq_image_note(nerq_image_state *im, const char *rel, int kind, const void *st);

/* rules.c: the rule-set hash (FNV-1a 64) of one more file. */
uint64_t nerq_rules_hash_file(uint64_t h, const char *rel, const char *buf, size_t len);
/* rules.c: calls fn for every file nerq_rules_load reads under dir, in
 * its order (relative path and kind); stops when fn returns nonzero. */
int nerq_rules_walk(const char *dir, int (*fn)(void *ctx, const char *rel, int kind), void *ctx);
/* rules.c: loads the rule files as text (no image). */
nerq_status nerq_rules_load_text(const char *dir, nerq_rules **out, char **error);
/* rules.c: a rule set from a mapped lexicon (adopted, even on error),
 * the image's rule part rules[0..len) (rules_image.c) and its file
 * table im (adopted); hash as nerq_rules_hash. A damaged rule part sets
 * *why (static) and returns NERQ_ERR_RULES. */
nerq_status nerq_rules_from_image(const char *dir, nerq_lexicon *lex, nerq_image_state *im,
                                  const void *rules, size_t len, const char *hash,
                                  nerq_rules **out, char **error, const char **why);

/* lexicon_image.c */
/* Appends the lexicon as one flat part to b; 0, or -1 when out of memory. */
int nerq_lexicon_serialize(const nerq_lexicon *lex, nerq_buf *b);
/* A read-only lexicon over blob[0..len) (64-byte aligned, which must
 * outlive it), or NULL with a static message in *err. */
nerq_lexicon *nerq_lexicon_map(const void *blob, size_t len, const char **err);
/* lexicon.c: the number of an entry of lex (its slot), or -1; and the
 * entry of a number, or NULL: how an image names entries. */
long nerq_lexicon_entry_index(const nerq_lexicon *lex, const nerq_entry *e);
const nerq_entry *nerq_lexicon_entry_at(const nerq_lexicon *lex, size_t i);
/* rules_image.c: appends the compiled rules (tables, patterns, regexes,
 * dispatch, warnings) as one part to b; 0, or -1 (out of memory). */
int nerq_rules_serialize(const nerq_rules *r, nerq_buf *b);
/* Fills r (its lex and regexes made; lex mapped) from such a part at
 * blob[0..len), which must outlive r: NULL, or why it is refused. */
const char *nerq_rules_unserialize(nerq_rules *r, const void *blob, size_t len);
/* lexicon.c: how many interns a mapped lexicon refused (a rule asked
 * for an entry the image lacks: the image does not fit its rules). */
size_t nerq_lexicon_frozen_misses(const nerq_lexicon *lex);

/* image.c: a rule set read from the image bytes buf[0..len) (which must
 * stay valid and 64-byte aligned while it lives), without checking its
 * sources: for the fuzz harness. */
nerq_status nerq_image_load_bytes(const void *buf, size_t len, nerq_rules **out, char **error);
/* Sets the header checksum of a patched image (the fuzz harness uses it
 * to get past the checksum into the tables). */
void nerq_image_fix_checksum(void *buf, size_t len);

#endif
