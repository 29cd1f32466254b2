#!/bin/sh
# tests/fuzz/run.sh - `make fuzz`: builds the libFuzzer harness with ASan
# and UBSan and runs it for FUZZ_SECONDS (default 60), seeded with the
# corpus articles. Crashes are written to build/fuzz/.
set -eu
SECONDS_TO_RUN=${FUZZ_SECONDS:-60}
OUT=build/fuzz
mkdir -p "$OUT/corpus"
command -v clang >/dev/null || { echo "make fuzz needs clang (apt-get install clang)"; exit 1; }
PKGS="libpcre2-8 libutf8proc jansson gumbo"
SAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
LIB=$(ls src/*.c | grep -v -e '^src/main\.c$' -e '^src/cli_') # the library's files
clang -std=c11 -g -O1 $SAN -Iinclude -Isrc $(pkg-config --cflags $PKGS) \
  tests/fuzz/fuzz_doc.c $LIB $(pkg-config --libs $PKGS) -lm -o "$OUT/fuzz_doc"
cp corpus/articles/*.txt corpus/articles/*.html "$OUT/corpus/" 2>/dev/null || true
"$OUT/fuzz_doc" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 \
  -artifact_prefix="$OUT/" "$OUT/corpus"
