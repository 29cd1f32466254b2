#!/bin/sh
# bench/run.sh - `make bench`: throughput, rule load time and peak memory.
# Benchmarks belong here, never in tests: numbers vary with the machine.
# Input: the project's own corpus (articles and the gold documents'
# texts), repeated by bench.c's best-of-N timing.
set -eu
BUILD=${BUILD:-build}
CC=${CC:-cc}
PKGS="libpcre2-8 libutf8proc jansson"
$CC -O2 -std=c11 -Iinclude bench/bench.c "$BUILD/libnerq.a" \
  $(pkg-config --cflags --libs $PKGS) -lm -o "$BUILD/bench"
set -- corpus/articles/*.txt
[ -f corpus/gold/gum_dev.jsonl ] && set -- "$@" --jsonl corpus/gold/gum_dev.jsonl
"$BUILD/bench" rules "$@" --reps 10
# Whole-command throughput on one large input, with peak memory (RSS).
big=$(mktemp)
trap 'rm -f "$big"' EXIT
for i in $(seq 1 40); do cat corpus/articles/*.txt; done > "$big"
size=$(wc -c < "$big")
start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f '%M' -o "$big.rss" ./nerq "$big" > /dev/null
else
  ./nerq "$big" > /dev/null
fi
end=$(date +%s.%N)
awk -v s="$size" -v a="$start" -v b="$end" 'BEGIN { printf "nerq on one %.1f MB file: %.1f MB/s", s / 1e6, s / (b - a) / 1e6 }'
[ -f "$big.rss" ] && awk '{ printf ", peak RSS %.0f MB", $1 / 1024 }' "$big.rss"
echo
rm -f "$big.rss"
