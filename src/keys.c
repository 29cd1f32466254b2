/* keys.c - the key of an entity that no gazetteer names (docs/graph.md,
 * "Keys"): "person:", "org:" or "place:" and a slug of the name, made
 * as tools/build_rules.py makes the gazetteer's keys, so that the same
 * thing gets the same key in every document:
 *   - NFKC, case folded, accents stripped (utf8proc), and the letters
 *     that have no decomposition folded as the tools fold them (ł, ø,
 *     æ, ...): Sinéad O’Connor and Sinead O'Connor are one key;
 *   - "&" reads "and"; every run of other characters that are not
 *     letters or digits (spaces, apostrophes, periods) is one "-";
 *   - for an organisation, a leading "The" and trailing legal forms
 *     (@legal_forms: "Corp.", "Corporation", ", Inc.") are dropped, and
 *     when what is left is an organisation of the gazetteer, its key is
 *     the key: Microsoft Corp. is Microsoft.
 * The entity's name keeps its written form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "rules.h"
#include "document.h"
#include "util.h"

/* Letters that NFKD leaves whole, folded as tools/rules_lib.py folds. */
static const char *special(utf8proc_int32_t c) {
  switch (c) {
  case 0x142: return "l";  /* ł */
  case 0x131: return "i";  /* ı */
  case 0xF8: return "o";   /* ø */
  case 0x111: return "d";  /* đ */
  case 0xE6: return "ae";  /* æ */
  case 0x153: return "oe"; /* œ */
  case 0xFE: return "th";  /* þ */
  case 0xF0: return "d";   /* ð */
  case 0x127: return "h";  /* ħ */
  default: return NULL;
  }
}

static int is_alnum_cp(utf8proc_int32_t c) {
  utf8proc_category_t k = utf8proc_category(c);
  return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
         (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

/* Appends the slug of the folded text s[0..n) to b: letters and digits
 * kept, "&" as the word "and", any other run as one "-", none at the
 * ends. */
static void slug_folded(nerq_buf *b, const utf8proc_uint8_t *s, size_t n) {
  int dash = 0, any = 0;
  for (size_t i = 0; i < n;) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c);
    if (k <= 0) {
      i++;
      continue;
    }
    const char *sp = special(c);
    if (c == '&') {
      nerq_buf_put(b, any ? "-and" : "and", any ? 4 : 3);
      any = dash = 1;
    } else if (sp || is_alnum_cp(c)) {
      if (dash) nerq_buf_put(b, "-", 1);
      if (sp) nerq_buf_put(b, sp, strlen(sp));
      else nerq_buf_put(b, (const char *)s + i, (size_t)k);
      dash = 0;
      any = 1;
    } else {
      dash = any;
    }
    i += (size_t)k;
  }
}

static int all_ascii(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80) return 0;
  return 1;
}

/* "prefix:slug" of a name, in the arena; NULL when out of memory. */
static const char *slug_key(nerq_doc *doc, int type, const char *name, size_t n) {
  static const char *prefix[] = {"none", "person", "org", "place"};
  utf8proc_uint8_t *folded = NULL;
  utf8proc_ssize_t fn;
  if (all_ascii(name, n)) { /* the folding of ASCII is lower case */
    if ((folded = malloc(n + 1)))
      for (size_t i = 0; i < n; i++)
        folded[i] = (utf8proc_uint8_t)((unsigned)(name[i] - 'A') < 26 ? name[i] + 32 : name[i]);
    fn = folded ? (utf8proc_ssize_t)n : -1;
  } else {
    fn = utf8proc_map((const utf8proc_uint8_t *)name, (utf8proc_ssize_t)n, &folded,
                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                          UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
  }
  nerq_buf b = {0};
  nerq_buf_printf(&b, "%s:", prefix[type & 3]);
  size_t head = b.n;
  if (fn > 0) slug_folded(&b, folded, (size_t)fn);
  free(folded);
  if (b.n == head) { /* nothing but punctuation: the bytes' hash */
    uint64_t h = nerq_fnv1a(NERQ_HASH_SEED, name, n);
    nerq_buf_printf(&b, "x%016llx", (unsigned long long)h);
  }
  char *s = nerq_buf_finish(&b);
  const char *key = s ? nerq_arena_strndup(doc->scratch ? doc->scratch : doc->arena, s, strlen(s)) : NULL;
  free(s);
  return key;
}

static int tok_text(const nerq_doc *doc, uint32_t t, const char *s) {
  const nerq_token *k = NERQ_VEC_AT(&doc->tokens, nerq_token, t);
  uint32_t n = nerq_tok_len(doc->tokens.items, t);
  return n == strlen(s) && !memcmp(doc->text.text + k->off, s, n);
}

static int legal_form(const nerq_doc *doc, uint32_t t, int list) {
  const nerq_entry *e = nerq_doc_entry(doc, t);
  return list >= 0 && e && ((e->lists >> list) & 1);
}

/* Tokens [*first, *end) of an organisation's name without a leading
 * "The" and trailing legal forms (and the comma or "&" before one:
 * "Marsh & Co" is Marsh). */
static void strip_org(const nerq_doc *doc, uint32_t *first, uint32_t *end) {
  int list = nerq_lexicon_find_list(doc->rules->lex, "legal_forms");
  if (*end - *first > 1 && tok_text(doc, *first, "The")) (*first)++;
  while (*end - *first > 1 && legal_form(doc, *end - 1, list)) {
    (*end)--;
    if (*end - *first > 1 && (tok_text(doc, *end - 1, ",") || tok_text(doc, *end - 1, "&"))) (*end)--;
  }
}

/* The ORG gazetteer record for tokens [first, end), or NULL. */
static const nerq_gaz *gazetteer_org(const nerq_doc *doc, uint32_t first, uint32_t end) {
  const nerq_entry *e = nerq_lexicon_span(doc->rules->lex, doc->text.text, doc->tokens.items,
                                          first, end);
  for (const nerq_gaz *g = nerq_lexicon_gaz(doc->rules->lex, e); g; g = g->next)
    if (g->type == NERQ_ORG) return g;
  return NULL;
}

const char *nerq_key_for(nerq_doc *doc, int type, uint32_t first, uint32_t end,
                         const char *name, const nerq_gaz **gaz) {
  *gaz = NULL;
  if (type == NERQ_ORG && end > first) {
    uint32_t a = first, z = end;
    strip_org(doc, &a, &z);
    if (a != first || z != end) {
      if ((*gaz = gazetteer_org(doc, a, z))) return (*gaz)->key;
      const nerq_token *tk = doc->tokens.items;
      size_t s = tk[a].off, e = nerq_tok_end(tk, z - 1);
      return slug_key(doc, type, doc->text.text + s, e - s);
    }
  }
  return slug_key(doc, type, name, strlen(name));
}
