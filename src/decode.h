/* decode.h - stage 1, bytes to valid UTF-8 and an offset map (decode.c). */
#ifndef NERQ_DECODE_H
#define NERQ_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "nerq.h"
#include "arena.h"

/* decode.c: stage 1                                                   */

typedef struct {
  const char *text;   /* valid UTF-8, NUL-terminated, owned by arena */
  size_t len;         /* bytes */
  size_t ncp;         /* code points */
  uint32_t *block_cp; /* code points before byte i*64, for offset map */
  int repaired;       /* number of U+FFFD substitutions */
  int nul_bytes;      /* number of NUL bytes seen */
} nerq_text;

/* Zero bytes after every text (its NUL first): PCRE2's JIT may load a
 * whole aligned word that reaches past the subject's end; the load stays
 * in the block, and memcheck then sees defined bytes. */
enum { NERQ_TEXT_PAD = 64 };

/* Validates `len` bytes, replacing each maximal ill-formed subpart with
 * U+FFFD, and builds the byte -> code point map. */
nerq_status nerq_text_decode(nerq_arena *a, const char *bytes, size_t len,
                             nerq_text *out);
/* As nerq_text_decode, but valid UTF-8 stays where it is: out->text is
 * `bytes` itself (which must have room for len + NERQ_TEXT_PAD; the pad
 * becomes NUL bytes, and the caller keeps them as long as the text). Bytes that need
 * repair are copied into the arena as nerq_text_decode does. */
nerq_status nerq_text_adopt(nerq_arena *a, char *bytes, size_t len, nerq_text *out);
/* The code-point offset of byte offset `byte` (which must be on a
 * character boundary or equal to len). */
size_t nerq_text_cp(const nerq_text *t, size_t byte);

#endif /* NERQ_DECODE_H */
