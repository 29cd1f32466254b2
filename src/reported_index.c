/* reported_index.c - the reported-speech rules of a loaded rule set by
 * what they find (rules->rep.idx: candidate, end and speaker rules) and
 * by the tokens they may start at (rules->rep.first), built at load and
 * read by every document (reported.c).
 *
 * The first-token index: a set of rules, bit p for rep.idx[p], for each
 * byte a token may begin with at each of the first NERQ_PREFIX positions
 * of a match, for each value of each byte of the flag word in which some
 * rule tests a flag at that position, for each length and second byte of
 * a plain token (NERQ_PLAIN: what a literal or a regex of words allows),
 * and for each list the token's entry is in (the rules that need one of
 * their lists there; those that need none pass). The rules that may
 * start at token t are the AND of the sets of t and of the next tokens
 * (a few lookups a token, not a loop over the rules): exactly those whose
 * prefix (nerq_pattern_prefix) and gate flags (first_flags, forb_flags)
 * those tokens pass, so that the stage tries a rule only where it may
 * start. */
#include <stdlib.h>
#include <string.h>

#include "rules.h"

/* Which part of rules->rep a rule of form `form` belongs to: 0 the
 * candidate rules, 1 the end rules, 2 the speaker rules. */
static int rep_part(int form) {
  if (form == REP_END) return 1;
  return form == REP_SPEAKER ? 2 : 0;
}

static void set_bit(uint64_t *set, size_t p) { set[p >> 6] |= 1ull << (p & 63); }
static void clear_bit(uint64_t *set, size_t p) { set[p >> 6] &= ~(1ull << (p & 63)); }

/* The flags rule p requires (forbids) of the k-th token of its matches:
 * its prefix's, and at the first token its gate's too. */
static uint32_t req_at(const nerq_rules *r, size_t p, int k) {
  const nerq_prefix *pre = &r->rep.first.spre[p];
  uint32_t f = k < pre->n ? pre->req_flags[k] : 0;
  return k ? f : f | r->irules[r->rep.idx[r->rep.first.srule[p]]].gate.first_flags;
}

static uint32_t forb_at(const nerq_rules *r, size_t p, int k) {
  const nerq_prefix *pre = &r->rep.first.spre[p];
  uint32_t f = k < pre->n ? pre->forb_flags[k] : 0;
  return k ? f : f | r->irules[r->rep.idx[r->rep.first.srule[p]]].gate.forb_flags;
}

/* Scratch of the build: sets of nwords words. */
typedef struct {
  uint64_t *pass; /* 64 sets: bit b clear, then bit b set: the rules that pass */
  uint64_t *half; /* 32 sets: four flag bits (0-15), the next four (16-31) */
} build;

/* Transposes a 64 x 64 bit matrix: bit c of a[r] goes to bit r of a[c]. */
static void transpose64(uint64_t a[64]) {
  uint64_t m = 0x00000000ffffffffull;
  for (int j = 32; j; j >>= 1, m ^= m << j)
    for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
      uint64_t t = ((a[k] >> j) ^ a[k | j]) & m;
      a[k] ^= t << j;
      a[k | j] ^= t;
    }
}

/* Words 64 q to 64 q + 63 of a 256-bit set, as bits. */
static uint64_t quarter(const uint8_t set[32], int q) {
  uint64_t u = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(&u, set + 8 * q, 8); /* byte j at bits 8 j */
#else
  for (int j = 0; j < 8; j++) u |= (uint64_t)set[8 * q + j] << (8 * j);
#endif
  return u;
}

/* Bits 64 q to 64 q + 63 of what rule p's k-th token may have: of its
 * first bytes (what 0), of its lengths (1, q 0), of its second bytes
 * (2), of its lists (3, q 0: none if it needs none); all bits for a rule
 * that tests no k-th token (no lists). */
static uint64_t row_of(const nerq_rules *r, size_t p, int k, int what, int q) {
  if (p >= r->rep.first.nslots) return 0;
  const nerq_prefix *pre = &r->rep.first.spre[p];
  if (k >= pre->n) return what == 3 ? 0 : ~0ull;
  if (what == 1) return pre->lens[k];
  if (what == 3) return pre->lists[k];
  return quarter(what ? pre->second[k] : pre->bytes[k], q);
}

/* The sets of one table of position k (what: as row_of; nq blocks of
 * 64 values) at out: bit p of the set of value c is bit c of rule p's
 * row, rows of all ones put in every set, the other rows' bits set one
 * by one when they are few, else by a transpose of 64 rules by 64
 * values. */
static void fill_table(nerq_rules *r, int k, int what, int nq, uint64_t *out) {
  size_t w = r->rep.first.swords;
  uint64_t a[64];
  for (size_t i = 0; i < w; i++)
    for (int q = 0; q < nq; q++) {
      uint64_t full = 0; /* the rows of all ones */
      int bits = 0;      /* set in the other rows */
      for (size_t p = 0; p < 64; p++) {
        a[p] = row_of(r, 64 * i + p, k, what, q);
        if (!~a[p]) full |= 1ull << p, a[p] = 0;
        bits += __builtin_popcountll(a[p]);
      }
      uint64_t *col = out + 64 * (size_t)q * w + i;
      if (bits > 256) {
        transpose64(a);
        for (size_t c = 0; c < 64; c++) col[c * w] = a[c] | full;
        continue;
      }
      for (size_t c = 0; c < 64; c++) col[c * w] = full;
      for (size_t p = 0; p < 64; p++)
        for (uint64_t b = a[p]; b; b &= b - 1) col[(size_t)__builtin_ctzll(b) * w] |= 1ull << p;
    }
}

/* The tables of position k but its flags'. */
static void fill_bytes(nerq_rules *r, int k) {
  nerq_rep_first *f = &r->rep.first;
  for (size_t p = 0; p < f->nslots; p++) {
    const nerq_prefix *pre = &f->spre[p];
    if (k >= pre->n) set_bit(f->past[k], p);
    if (k >= pre->n || !pre->lists[k]) set_bit(f->unlisted[k], p);
    else f->lists[k] |= pre->lists[k];
  }
  fill_table(r, k, 0, 4, f->by_byte[k]);
  fill_table(r, k, 1, 1, f->by_len[k]);
  fill_table(r, k, 2, 4, f->by_second[k]);
  fill_table(r, k, 3, 1, f->by_list[k]);
}

/* For each flag bit, the rules that pass at position k with it clear
 * and with it set (b->pass). */
static void fill_pass(const nerq_rules *r, int k, build *b) {
  size_t w = r->rep.first.swords;
  for (size_t v = 0; v < 64 * w; v++) b->pass[v] = ~0ull;
  for (size_t p = 0; p < r->rep.first.nslots; p++) {
    for (uint32_t q = req_at(r, p, k); q; q &= q - 1) clear_bit(b->pass + (size_t)__builtin_ctz(q) * w, p);
    for (uint32_t q = forb_at(r, p, k); q; q &= q - 1) clear_bit(b->pass + (size_t)(32 + __builtin_ctz(q)) * w, p);
  }
}

/* The sets of byte i of the flag word at position k (out: 256), as the
 * AND of two halves of 16, each the AND of four bits' pass sets. */
static void fill_flags(const nerq_rules *r, int i, uint64_t *out, build *b) {
  size_t w = r->rep.first.swords;
  for (size_t v = 0; v < 32; v++) {
    uint64_t *h = b->half + v * w;
    for (size_t j = 0; j < w; j++) h[j] = ~0ull;
    for (unsigned bit = 0; bit < 4; bit++) {
      unsigned fb = (unsigned)(8 * i) + (v < 16 ? 0 : 4) + bit, on = ((v & 15) >> bit) & 1;
      const uint64_t *ps = b->pass + (size_t)(on ? 32 + fb : fb) * w;
      for (size_t j = 0; j < w; j++) h[j] &= ps[j];
    }
  }
  for (size_t v = 0; v < 256; v++)
    for (size_t j = 0; j < w; j++) out[v * w + j] = b->half[(v & 15) * w + j] & b->half[(16 + (v >> 4)) * w + j];
}

/* Which bytes of the flag word some rule tests at position k (bits). */
static unsigned flag_bytes(const nerq_rules *r, int k) {
  uint32_t used = 0;
  for (size_t p = 0; p < r->rep.first.nslots; p++) used |= req_at(r, p, k) | forb_at(r, p, k);
  unsigned bytes = 0;
  for (int i = 0; i < 4; i++)
    if ((used >> (8 * i)) & 0xff) bytes |= 1u << i;
  return bytes;
}

/* Lays out the tables of f in its block from s on, with the scratch. */
static void fill_tables(nerq_rules *r, uint64_t *s, const unsigned *used, build *b) {
  nerq_rep_first *f = &r->rep.first;
  size_t w = f->swords;
  for (int k = 0; k < NERQ_PREFIX; k++) {
    f->by_byte[k] = s, s += 256 * w;
    f->past[k] = s, s += w;
    f->by_len[k] = s, s += 64 * w;
    f->by_second[k] = s, s += 256 * w;
    f->by_list[k] = s, s += 64 * w;
    f->unlisted[k] = s, s += w;
    fill_bytes(r, k);
    fill_pass(r, k, b);
    f->nchunks[k] = 0;
    for (int i = 0; i < 4; i++) {
      if (!((used[k] >> i) & 1)) continue;
      f->shift[k][f->nchunks[k]] = (uint8_t)(8 * i);
      f->by_flags[k][f->nchunks[k]++] = s;
      fill_flags(r, i, s, b);
      s += 256 * w;
    }
  }
}

/* Sizes the tables (one block, the build's scratch after them) and
 * fills them. */
static nerq_status first_index(nerq_rules *r) {
  nerq_rep_first *f = &r->rep.first;
  f->nwords = (r->nirules + 63) / 64;
  size_t w = f->swords = (f->nslots + 63) / 64, nsets = 0;
  unsigned used[NERQ_PREFIX];
  for (int k = 0; k < NERQ_PREFIX; k++) {
    used[k] = flag_bytes(r, k);
    nsets += 257 + 64 + 256 + 65 + 256 * (size_t)__builtin_popcount(used[k]);
  }
  if (!(f->sets = calloc((nsets + 64 + 32) * w, sizeof *f->sets))) return NERQ_ERR_NOMEM;
  uint64_t *s = f->sets + nsets * w;
  build b = {s, s + 64 * w};
  fill_tables(r, f->sets, used, &b);
  return NERQ_OK;
}

/* The slots of the index: one a rule (slot p for rule p), and one more
 * for each other first instruction of a rule that has two to
 * SPLIT_ALTS of them ("[Poss] | /^(his|her)$/i"), whose matches' prefix
 * each slot has: a rule may start where one of its slots passes. */
#define SPLIT_ALTS 5
#define SPLIT_WORDS 4 /* no more slots than four words hold, else none split */
static nerq_status make_slots(nerq_rules *r) {
  nerq_rep_first *f = &r->rep.first;
  f->nrules = r->nirules;
  size_t extra = 0;
  int *nalt = malloc(r->nirules * sizeof *nalt);
  if (!nalt) return NERQ_ERR_NOMEM;
  for (size_t p = 0; p < r->nirules; p++) {
    nalt[p] = nerq_pattern_prefix_alt(r->irules[r->rep.idx[p]].pat, -1, NULL);
    extra += nalt[p] >= 2 && nalt[p] <= SPLIT_ALTS ? (size_t)nalt[p] - 1 : 0;
  }
  if ((r->nirules + extra + 63) / 64 > SPLIT_WORDS) extra = 0;
  f->nslots = r->nirules + extra;
  f->spre = malloc(f->nslots * sizeof *f->spre);
  f->srule = malloc(f->nslots * sizeof *f->srule);
  if (!f->spre || !f->srule) return free(nalt), NERQ_ERR_NOMEM;
  for (size_t p = 0, s = r->nirules; p < r->nirules; p++) {
    const nerq_pattern *pat = r->irules[r->rep.idx[p]].pat;
    f->srule[p] = (uint32_t)p;
    if (!extra || !(nalt[p] >= 2 && nalt[p] <= SPLIT_ALTS)) {
      nerq_pattern_prefix(pat, &f->spre[p]);
      continue;
    }
    nerq_pattern_prefix_alt(pat, 0, &f->spre[p]);
    for (int a = 1; a < nalt[p]; a++, s++) f->srule[s] = (uint32_t)p, nerq_pattern_prefix_alt(pat, a, &f->spre[s]);
  }
  free(nalt);
  return NERQ_OK;
}

nerq_status nerq_reported_index(nerq_rules *r) {
  nerq_rep_index *x = &r->rep;
  nerq_reported_index_free(r);
  if (!r->nirules) return NERQ_OK;
  x->idx = malloc(r->nirules * sizeof *x->idx);
  if (!x->idx) return NERQ_ERR_NOMEM;
  size_t n = 0, count[3] = {0, 0, 0};
  for (int part = 0; part < 3; part++)
    for (size_t k = 0; k < r->nirules; k++)
      if (rep_part(r->irules[k].type) == part) x->idx[n++] = (uint32_t)k, count[part]++;
  x->ncand = count[0], x->nend = count[1], x->nspeaker = count[2];
  nerq_status st = make_slots(r);
  return st ? st : first_index(r);
}

void nerq_reported_index_free(nerq_rules *r) {
  free(r->rep.idx);
  free(r->rep.first.sets);
  free(r->rep.first.spre);
  free(r->rep.first.srule);
  memset(&r->rep, 0, sizeof r->rep);
}

#ifdef __GNUC__
#define FIRST_INLINE inline __attribute__((always_inline))
#else
#define FIRST_INLINE inline
#endif

/* A document's tokens, for the lookups. */
typedef struct {
  const char *text;
  const nerq_token *toks;
  const nerq_ents *ents;
} doc_toks;

/* The rules' k-th token tests on token x, anded into out (w words);
 * 0 when out is left empty. Inlined with w a constant for sets of one
 * to four words (up to 256 rules). */
static FIRST_INLINE int tests_at(const nerq_rep_first *f, int k, const doc_toks *d, size_t x,
                                 uint64_t *out, size_t w) {
  const char *s = d->text + d->toks[x].off;
  const uint64_t *a = f->by_byte[k] + (size_t)(unsigned char)*s * w;
  for (size_t i = 0; i < w; i++) out[i] &= a[i];
  uint32_t fl = d->toks[x].flags;
  for (int j = 0; j < f->nchunks[k]; j++) {
    a = f->by_flags[k][j] + (size_t)((fl >> f->shift[k][j]) & 0xff) * w;
    for (size_t i = 0; i < w; i++) out[i] &= a[i];
  }
  uint32_t n = nerq_tok_len(d->toks, x);
  if (nerq_plain(s, n)) {
    a = f->by_len[k] + (size_t)(n < 63 ? n : 63) * w;
    for (size_t i = 0; i < w; i++) out[i] &= a[i];
    a = f->by_second[k] + (size_t)(n >= 2 ? (unsigned char)s[1] : 0) * w;
    for (size_t i = 0; n >= 2 && i < w; i++) out[i] &= a[i];
  }
  const nerq_entry *e = nerq_ent_get(d->ents, x);
  uint64_t lists = e ? e->lists & f->lists[k] : 0, any = 0;
  for (size_t i = 0; i < w; i++) { /* the rules that need no list, or one of the token's */
    uint64_t ok = f->unlisted[k][i];
    for (uint64_t l = lists; l; l &= l - 1) ok |= f->by_list[k][(size_t)__builtin_ctzll(l) * w + i];
    any |= out[i] &= ok;
  }
  return any != 0;
}

static FIRST_INLINE void first_at(const nerq_rep_first *f, const doc_toks *d, size_t ntok, size_t t,
                                  uint64_t *out, size_t w) {
  for (size_t i = 0; i < w; i++) out[i] = ~0ull;
  for (int k = 0; k < NERQ_PREFIX; k++) {
    if (t + (size_t)k >= ntok) { /* the slots that test no k-th token (nor later) */
      for (size_t i = 0; i < w; i++) out[i] &= f->past[k][i];
      return;
    }
    if (!tests_at(f, k, d, t + (size_t)k, out, w)) return;
  }
}

/* The rules of the slots of set (f->swords words) in out (f->nwords). */
static void rules_of(const nerq_rep_first *f, const uint64_t *set, uint64_t *out) {
  size_t nrules = f->nrules;
  for (size_t i = 0; i < f->nwords; i++) out[i] = set[i];
  if (nrules & 63) out[nrules >> 6] &= (1ull << (nrules & 63)) - 1;
  for (size_t s = nrules; s < f->nslots;) { /* the other slots: their rules */
    uint64_t b = set[s >> 6] >> (s & 63);
    if (!b) {
      s = (s | 63) + 1;
      continue;
    }
    s += (size_t)__builtin_ctzll(b);
    if (s >= f->nslots) break;
    out[f->srule[s] >> 6] |= 1ull << (f->srule[s] & 63);
    s++;
  }
}

/* first_at with w a constant for sets of one to four words. */
static void slots_at(const nerq_rep_first *f, const doc_toks *d, size_t ntok, size_t t, uint64_t *out) {
  switch (f->swords) {
  case 1: first_at(f, d, ntok, t, out, 1); break;
  case 2: first_at(f, d, ntok, t, out, 2); break;
  case 3: first_at(f, d, ntok, t, out, 3); break;
  case 4: first_at(f, d, ntok, t, out, 4); break;
  default: first_at(f, d, ntok, t, out, f->swords);
  }
}

void nerq_rep_first_at(const nerq_rep_first *f, const char *text, const nerq_token *toks,
                       const nerq_ents *ents, size_t ntok, size_t t, uint64_t *out) {
  doc_toks d = {text, toks, ents};
  if (f->nslots == f->nrules) { /* a slot a rule */
    slots_at(f, &d, ntok, t, out);
    return;
  }
  uint64_t set[SPLIT_WORDS];
  slots_at(f, &d, ntok, t, set);
  rules_of(f, set, out);
}
