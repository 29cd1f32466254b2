/* fuzz_image.c - libFuzzer: the compiled-image loader (src/image.c,
 * src/lexicon_image.c, src/rules_image.c). A small valid image is compiled once; each input
 * patches it: byte 0 holds flags (1: fix the header checksum after the
 * patches, so that they reach the tables; 2: cut the image at the length
 * in bytes 1-4; 4: use the input itself as the image; 8: edits only in
 * the first 64 KB, where the header, file table, compiled rules and
 * lexicon header lie, before the lexicon's index), then 5-byte edits
 * (offset, 4 bytes little-endian, modulo the size; value). Loading must
 * succeed or fail with a message, never crash, hang or leak. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "nerq.h"

static char *base;
static size_t base_len;

static void put(const char *dir, const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f || fputs(text, f) < 0) abort();
  fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char dir[64], sub[128], img[128];
  snprintf(dir, sizeof dir, "/tmp/nerq-fuzz-image-%ld", (long)getpid());
  mkdir(dir, 0700);
  snprintf(sub, sizeof sub, "%s/lists", dir), mkdir(sub, 0700);
  snprintf(sub, sizeof sub, "%s/gazetteer", dir), mkdir(sub, 0700);
  put(dir, "lists/first_names.txt", "Tim\nAnn\tf\n");
  put(dir, "lists/titles.txt", "Mr\nDr\n");
  put(dir, "gazetteer/places.tsv", "Paris\tPLACE\tgeonames:1\nNew York City\tPLACE\tgeonames:2\tNYC\n"
                                   "Paris\tPERSON\tperson:paris\tParis\tambiguous\n");
  put(dir, "x.rules", "person PERSON 5 : @titles < [Cap Word] >\nplace PLACE 3 : \"in\" < [Cap] /^[A-Z][a-z]+$/ >\n"
                      "$at = (\"in\" | \"at\" | \"near\")\nnear PLACE 2 : $at < [Cap !@titles] (?! \"said\") >\n"
                      "said DOC 1 sets quoted : \"said\"\nnamed PERSON 1 if quoted : < @first_names [Cap]? > /^said$/i\n");
  snprintf(img, sizeof img, "%s/rules.nqi", dir);
  char *err = NULL;
  if (nerq_rules_compile(dir, img, &err)) abort();
  FILE *f = fopen(img, "rb");
  if (!f || fseek(f, 0, SEEK_END)) abort();
  base_len = (size_t)ftell(f);
  rewind(f);
  if (!(base = malloc(base_len)) || fread(base, 1, base_len, f) != base_len) abort();
  fclose(f);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int flags = size ? data[0] : 0;
  size_t len = flags & 4 ? size : base_len, at = 1;
  char *buf = aligned_alloc(64, (len + 64) / 64 * 64);
  if (!buf) return 0;
  memcpy(buf, flags & 4 ? (const char *)data : base, len);
  if (!(flags & 4)) {
    if ((flags & 2) && size >= 5) {
      uint32_t cut;
      memcpy(&cut, data + 1, 4);
      len = cut % (len + 1);
      at = 5;
    }
    size_t span = flags & 8 && len > 65536 ? 65536 : len;
    for (; span && at + 5 <= size; at += 5) {
      uint32_t off;
      memcpy(&off, data + at, 4);
      buf[off % span] = (char)data[at + 4];
    }
    if (flags & 1) nerq_image_fix_checksum(buf, len);
  }
  nerq_rules *r = NULL;
  char *err = NULL;
  if (nerq_image_load_bytes(buf, len, &r, &err) == NERQ_OK) {
    nerq_doc *d = NULL;
    const char *t = "Dr Tim Cook said in Paris and New York City: \"It works,\" Ann said.";
    if (!nerq_doc_process(r, t, strlen(t), &d)) free(nerq_doc_to_json(d, "f", NULL, 0));
    nerq_doc_free(d);
  }
  nerq_rules_free(r);
  free(err);
  free(buf);
  return 0;
}
