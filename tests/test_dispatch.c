/* test_dispatch.c - cmocka tests of the matcher's dispatch table
 * (src/dispatch.c, internal): the shipped rules fit it. When they do
 * not (more than NERQ_DISPATCH_RULES entity rules, or more than
 * NERQ_FLAG_GROUPS first-token flag sets), every entity rule is tried
 * at every token: output is the same, but matching takes several times
 * the instructions (issue 11), which no output test would notice. Runs
 * from the repository root with the rules in rules/. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "document.h"

static void test_shipped_rules_dispatch(void **state) {
  (void)state;
  nerq_rules *r = NULL;
  char *err = NULL;
  assert_int_equal(nerq_rules_load("rules", &r, &err), NERQ_OK);
  assert_true(r->nrules > 0);
  assert_true(r->nrules <= NERQ_DISPATCH_RULES);
  assert_true(r->dispatch.ngroups <= NERQ_FLAG_GROUPS);
  assert_int_equal(r->dispatch.enabled, 1);
  nerq_rules_free(r);
}

/* rules->rep holds every reported-speech rule once, candidate rules
 * first, then end, then speaker rules, each part by descending priority. */
static void test_reported_index(void **state) {
  (void)state;
  nerq_rules *r = NULL;
  char *err = NULL;
  assert_int_equal(nerq_rules_load("rules", &r, &err), NERQ_OK);
  const nerq_rep_index *x = &r->rep;
  assert_true(x->ncand > 0 && x->nend > 0 && x->nspeaker > 0);
  assert_int_equal(x->ncand + x->nend + x->nspeaker, r->nirules);
  char *seen = calloc(r->nirules, 1);
  assert_non_null(seen);
  for (size_t k = 0; k < r->nirules; k++) {
    const nerq_rule *q = &r->irules[x->idx[k]];
    int part = k < x->ncand ? 0 : k < x->ncand + x->nend ? 1
                                                         : 2;
    assert_int_equal(part, q->type == REP_END ? 1 : q->type == REP_SPEAKER ? 2
                                                                           : 0);
    assert_false(seen[x->idx[k]]);
    seen[x->idx[k]] = 1;
    int first = k == 0 || k == x->ncand || k == x->ncand + x->nend;
    if (!first) assert_true(r->irules[x->idx[k - 1]].priority >= q->priority);
  }
  free(seen);
  nerq_rules_free(r);
}

static int has_byte(const uint8_t *b, unsigned char c) { return (b[c >> 3] >> (c & 7)) & 1; }

static const char *no_def(const void *ctx, const char *name, size_t len) {
  (void)ctx, (void)name, (void)len;
  return NULL;
}

static nerq_prefix prefix_of(nerq_lexicon *lex, const char *src) {
  size_t col = 0;
  const char *msg = NULL;
  nerq_regex_set *res = nerq_regex_set_new(); /* owns the pattern's regexes */
  assert_non_null(res);
  nerq_defs defs = {no_def, NULL, res};
  nerq_pattern *p = nerq_pattern_compile(lex, src, &defs, &col, &msg);
  assert_non_null(p);
  nerq_prefix pre;
  nerq_pattern_prefix(p, &pre);
  nerq_regex_set_free(res);
  return pre;
}

/* The first tokens every match consumes: a literal's first byte (both
 * cases when it ignores case), a regex's first bytes, the union over
 * alternatives, flags; a lookahead consumes none; the end of the
 * pattern ends the prefix. */
static void test_pattern_prefix(void **state) {
  (void)state;
  nerq_lexicon *lex = nerq_lexicon_new();
  assert_non_null(lex);
  nerq_prefix p = prefix_of(lex, "\",\" < \"and\"i > [Word]");
  assert_int_equal(p.n, 3);
  assert_true(has_byte(p.bytes[0], ','));
  assert_false(has_byte(p.bytes[0], 'a'));
  assert_true(has_byte(p.bytes[1], 'a') && has_byte(p.bytes[1], 'A'));
  assert_false(has_byte(p.bytes[1], 'b'));
  assert_true(has_byte(p.bytes[2], 'z') && has_byte(p.bytes[2], 0xc3));
  assert_true(p.req_flags[2] & (1u << 0)); /* TOK_WORD */
  p = prefix_of(lex, "[Word] (?! \"not\"i ) < /^(told|asked)$/i > ( \"that\"i | \"whether\"i )");
  assert_int_equal(p.n, 3);
  assert_true(has_byte(p.bytes[1], 't') && has_byte(p.bytes[1], 'a') && has_byte(p.bytes[1], 'T'));
  assert_false(has_byte(p.bytes[1], 'n'));
  assert_true(has_byte(p.bytes[2], 't') && has_byte(p.bytes[2], 'W'));
  assert_false(has_byte(p.bytes[2], 'a'));
  p = prefix_of(lex, "\"a\"i [Word]?");
  assert_int_equal(p.n, 1); /* the second token may be missing */
  /* a lookahead at the start with a lone [!FLAG] alternative: the first
   * token has FLAG; a lone [FLAG]: it has not; other alternatives and a
   * flag joined to another test say nothing */
  p = prefix_of(lex, "(?! [!ParaStart] | /^(note|update)$/i ) (?! [Cap] ) [Word] \":\"");
  assert_int_equal(p.n, 2);
  assert_true(p.req_flags[0] & TOK_PARA);
  assert_true(p.forb_flags[0] & TOK_CAP);
  assert_false(p.req_flags[1] & TOK_PARA);
  p = prefix_of(lex, "(?! [!ParaStart Word] | [!SentStart] \"x\" ) [Word]");
  assert_false(p.req_flags[0] & (TOK_PARA | TOK_SENT));
  p = prefix_of(lex, "[Word] (?! [!ParaStart] ) [Word]");
  assert_false(p.req_flags[0] & TOK_PARA);
  assert_false(p.req_flags[1] & TOK_PARA); /* only at the start */
  /* a phrase list first: the tokens are unknown, the lookahead's flag
   * is still known at the first token, which may be anything else */
  assert_true(nerq_lexicon_list_id(lex, "cues") >= 0);
  p = prefix_of(lex, "(?! [!ParaStart] ) ( @cues | [Cap] ) \":\"");
  assert_int_equal(p.n, 1);
  assert_true(p.req_flags[0] & TOK_PARA);
  assert_true(has_byte(p.bytes[0], 'a') && has_byte(p.bytes[0], 0xc3));
  assert_true(p.lens[0] == ~0ull && has_byte(p.second[0], 'z') && p.lists[0] == 0);
  p = prefix_of(lex, "( @cues | [Cap] ) \":\"");
  assert_int_equal(p.n, 0); /* nothing known */
  /* the lengths and second bytes of a plain token: a regex's words, a
   * literal's (both cases when caseless), anything for a flag test */
  p = prefix_of(lex, "< /^(told|asked)$/i > ( \"that\" | [Cap] ) \"to\"i");
  assert_int_equal(p.n, 3);
  assert_true(p.lens[0] == ((1ull << 4) | (1ull << 5)));
  assert_true(has_byte(p.second[0], 'o') && has_byte(p.second[0], 'S'));
  assert_false(has_byte(p.second[0], 'h'));
  assert_true(p.lens[1] == ~0ull); /* [Cap]: any */
  assert_true(has_byte(p.second[1], 'h') && has_byte(p.second[1], 'z'));
  assert_true(p.lens[2] == (1ull << 2));
  assert_true(has_byte(p.second[2], 'o') && has_byte(p.second[2], 'O'));
  assert_false(has_byte(p.second[2], 'a'));
  assert_true(p.lists[0] == 0); /* no list test */
  nerq_lexicon_free(lex);
}

/* Whether slot s of rep.first may start at token t by its prefix (first
 * bytes, flags, a plain token's length and second byte, lists) and its
 * rule's gate's first-token flags, tested directly. */
static int slot_starts(const nerq_rules *r, const nerq_doc *d, size_t s, size_t t) {
  const nerq_token *toks = d->tokens.items;
  const nerq_prefix *pre = &r->rep.first.spre[s];
  const nerq_gate *g = &r->irules[r->rep.idx[r->rep.first.srule[s]]].gate;
  uint32_t f = toks[t].flags;
  if ((f & g->first_flags) != g->first_flags || (f & g->forb_flags)) return 0;
  for (int k = 0; k < pre->n; k++) {
    size_t i = t + (size_t)k;
    if (i >= d->tokens.count) return 0;
    const nerq_token *x = &toks[i];
    const char *b = d->text.text + x->off;
    if (!has_byte(pre->bytes[k], (unsigned char)*b)) return 0;
    if ((x->flags & pre->req_flags[k]) != pre->req_flags[k] || (x->flags & pre->forb_flags[k])) return 0;
    size_t n = nerq_tok_len(toks, i);
    if (nerq_plain(b, n) && !((pre->lens[k] >> (n < 63 ? n : 63)) & 1)) return 0;
    if (nerq_plain(b, n) && n >= 2 && !has_byte(pre->second[k], (unsigned char)b[1])) return 0;
    const nerq_entry *e = nerq_doc_entry(d, i);
    if (pre->lists[k] && !(e && (e->lists & pre->lists[k]))) return 0;
  }
  return 1;
}

/* Whether rule p of rep.idx may start at token t: one of its slots may
 * (what rep.first says). */
static int may_start(const nerq_rules *r, const nerq_doc *d, size_t p, size_t t) {
  for (size_t s = 0; s < r->rep.first.nslots; s++)
    if (r->rep.first.srule[s] == p && slot_starts(r, d, s, t)) return 1;
  return 0;
}

/* rep.first at every token of d is the set of rules may_start says, and
 * holds no bit past the last rule. */
static void check_first(const nerq_rules *r, const nerq_doc *d) {
  size_t w = r->rep.first.nwords;
  assert_int_equal(w, (r->nirules + 63) / 64);
  uint64_t *set = calloc(w, sizeof *set);
  assert_non_null(set);
  size_t starts = 0;
  for (size_t t = 0; t < d->tokens.count; t++) {
    nerq_rep_first_at(&r->rep.first, d->text.text, d->tokens.items, &d->ents, d->tokens.count, t,
                      set);
    for (size_t p = 0; p < 64 * w; p++) {
      int got = (set[p >> 6] >> (p & 63)) & 1;
      assert_int_equal(got, p < r->nirules && may_start(r, d, p, t));
      starts += (size_t)got;
    }
  }
  assert_true(starts > 0 && starts < d->tokens.count * r->nirules); /* it sorts */
  free(set);
}

/* The first-token index of the reported-speech rules (rep.first): at
 * every token of a text (headline, quotes, possessives, tokens that are
 * not ASCII, the last tokens of the text, where a rule's later tokens
 * are missing) it holds exactly the rules one of whose slots (the rule,
 * or one of its first instructions) the first tokens pass by bytes,
 * flags, lengths and lists; so too with more than 64 rules (sets of
 * several words: the shipped rules three times, too many to split). */
static void test_reported_first(void **state) {
  (void)state;
  nerq_rules *r = NULL;
  char *err = NULL;
  assert_int_equal(nerq_rules_load("rules", &r, &err), NERQ_OK);
  const char *text =
      "Harbour Board Says Dredging Will Start\n\n"
      "ELY (Reuters) - The harbour board said on Tuesday that dredging would start in May, "
      "and Mira Tolvanen, its chair, told reporters the work was overdue. \"We have waited long "
      "enough,\" she said. According to the board's own survey, most traders back the plan; "
      "critics say the costs will rise. Asked whether fares would change, Tolvanen smiled.\n"
      "Lee: Fares will rise. The mayor’s criticism of the plan, aides said, was sharp. "
      "Zoë Ångström, the café’s owner, said she would back it. Polls show";
  nerq_doc *d = NULL;
  assert_int_equal(nerq_doc_process(r, text, strlen(text), &d), NERQ_OK);
  assert_true(r->rep.first.nslots > r->nirules); /* some rules have slots of their alternatives */
  check_first(r, d);
  nerq_rules three = *r; /* the same rules three times: 3 n rules */
  three.nirules = 3 * r->nirules;
  three.irules = malloc(three.nirules * sizeof *three.irules);
  assert_non_null(three.irules);
  for (size_t i = 0; i < three.nirules; i++) three.irules[i] = r->irules[i % r->nirules];
  memset(&three.rep, 0, sizeof three.rep);
  assert_int_equal(nerq_reported_index(&three), NERQ_OK);
  assert_true(three.rep.first.nwords >= 2);
  check_first(&three, d);
  nerq_reported_index_free(&three);
  free(three.irules);
  nerq_doc_free(d);
  nerq_rules_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shipped_rules_dispatch),
      cmocka_unit_test(test_reported_index),
      cmocka_unit_test(test_pattern_prefix),
      cmocka_unit_test(test_reported_first),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
