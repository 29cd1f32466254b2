#!/bin/sh
# tests/fuzz/run.sh - `make fuzz`: builds the libFuzzer harness with ASan
# and UBSan and runs it for FUZZ_SECONDS (default 60), seeded with the
# corpus articles. Crashes are written to build/fuzz/.
set -eu
SECONDS_TO_RUN=${FUZZ_SECONDS:-60}
OUT=build/fuzz
mkdir -p "$OUT/corpus"
command -v clang >/dev/null || { echo "make fuzz needs clang (apt-get install clang)"; exit 1; }
PKGS="libpcre2-8 libutf8proc jansson"
SAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
clang -std=c11 -g -O1 $SAN -Iinclude -Isrc $(pkg-config --cflags $PKGS) \
  tests/fuzz/fuzz_doc.c src/arena.c src/decode.c src/tokenize.c src/segment.c \
  src/lexicon.c src/pattern.c src/rules.c src/match.c src/resolve.c \
  src/quotes.c src/attribute.c src/output.c src/document.c src/explain.c src/eval.c \
  $(pkg-config --libs $PKGS) -o "$OUT/fuzz_doc"
cp corpus/articles/*.txt "$OUT/corpus/" 2>/dev/null || true
"$OUT/fuzz_doc" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 \
  -artifact_prefix="$OUT/" "$OUT/corpus"
