#!/bin/sh
# tests/fuzz/run.sh - `make fuzz`: builds every libFuzzer harness with ASan
# and UBSan, replays its kept corpus (tests/fuzz/corpus/NAME: every crash
# found so far and a few seeds, each one a regression case), then fuzzes
# it for FUZZ_SECONDS (default 30; 0: replay only) with inputs up to
# FUZZ_MAX_LEN bytes (default 1 MiB). New inputs go to build/fuzz/NAME,
# crashes to build/fuzz/crash-NAME-*. LIB_SRC and PKGS come from the
# Makefile. Prints "N passed, N failed" (one per harness).
set -u
SECONDS_TO_RUN=${FUZZ_SECONDS:-30}
MAX_LEN=${FUZZ_MAX_LEN:-1048576}
OUT=build/fuzz
PKGS=${PKGS:-libpcre2-8 libutf8proc jansson gumbo}
LIB_SRC=${LIB_SRC:-$(ls src/*.c | grep -v -e 'src/main.c' -e 'src/cli_')}
HARNESSES=${FUZZ_HARNESSES:-doc output rules jsonl conll eval image}
mkdir -p "$OUT"
command -v clang >/dev/null || { echo "make fuzz needs clang (make fuzz-deps)"; exit 1; }
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFL="-std=c11 -g -O1 -Iinclude -Isrc $(pkg-config --cflags $PKGS)"
pass=0; fail=0
mkdir -p "$OUT/obj"
objs=""
for s in $LIB_SRC src/cli_jsonl.c src/cli_conll.c; do # the library, compiled once
  o="$OUT/obj/$(basename "$s" .c).o"
  if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ -n "$(find src include -name '*.h' -newer "$o")" ]; then
    clang $CFL $SAN -fsanitize=fuzzer-no-link -c "$s" -o "$o" || { echo "FAIL build $s"; exit 1; }
  fi
  case $s in src/cli_*) ;; *) objs="$objs $o" ;; esac
done
for h in $HARNESSES; do
  extra=""
  case $h in jsonl) extra="$OUT/obj/cli_jsonl.o" ;; conll) extra="$OUT/obj/cli_conll.o" ;; esac
  if ! clang $CFL $SAN -fsanitize=fuzzer "tests/fuzz/fuzz_$h.c" $extra $objs \
      $(pkg-config --libs $PKGS) -lm -o "$OUT/fuzz_$h"; then
    echo "FAIL build fuzz_$h"; fail=$((fail + 1)); continue
  fi
  kept=tests/fuzz/corpus/$h
  mkdir -p "$OUT/$h"
  case $h in
    doc|output) cp corpus/articles/*.txt corpus/articles/*.html "$OUT/$h/" 2>/dev/null ;;
    rules) cp rules/*.rules rules/quotes/*.rules "$OUT/$h/" 2>/dev/null ;;
    jsonl|eval) head -c 200000 corpus/gold/gum_dev.jsonl | head -n 3 | split -l 1 - "$OUT/$h/seed-" 2>/dev/null ;;
    conll) cp tests/data/conll/*.conll "$OUT/$h/" 2>/dev/null ;;
    image) printf '\001' > "$OUT/$h/seed-unpatched" ;;
  esac
  ok=1
  dirs="$OUT/$h"
  [ -d "$kept" ] && dirs="$dirs $kept"
  if [ -d "$kept" ] && [ -n "$(ls "$kept")" ]; then # replay every kept input once
    "$OUT/fuzz_$h" -runs=0 "$kept" >"$OUT/$h.replay.log" 2>&1 || { ok=0; tail -n 30 "$OUT/$h.replay.log"; }
  fi
  if [ $ok = 1 ] && [ "$SECONDS_TO_RUN" -gt 0 ]; then
    "$OUT/fuzz_$h" -max_total_time="$SECONDS_TO_RUN" -max_len="$MAX_LEN" -timeout=30 \
      -rss_limit_mb=4096 -artifact_prefix="$OUT/crash-$h-" -print_final_stats=1 \
      $dirs >"$OUT/$h.log" 2>&1 || { ok=0; tail -n 40 "$OUT/$h.log"; }
    grep -E '^stat::number_of_executed_units' "$OUT/$h.log" | sed "s/^/fuzz_$h /"
  fi
  if [ $ok = 1 ]; then echo "ok fuzz_$h"; pass=$((pass + 1)); else echo "FAIL fuzz_$h"; fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
