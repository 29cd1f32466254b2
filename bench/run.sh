#!/bin/sh
# bench/run.sh - `make bench`: the figures of issue 11, each the median
# of BENCH_RUNS runs (default 3; start-up 9). Benchmarks belong here,
# never in tests: numbers vary with the machine and its load. Each time
# is given as wall clock and as CPU time (user + system) of the command:
# on a shared machine the CPU time is the steadier figure, and MB/s is
# computed from both ("wall" / "cpu").
#  - the library alone (bench.c, best of N);
#  - the command end to end on a 20 MB JSONL stream ({"id","text"}) built
#    from texts the project ships (corpus/articles, the GUM dev texts, the
#    quote key), with -j 1 and with every core, and its peak RSS;
#  - start-up with the full rules (nerq < /dev/null), read as text and
#    from the compiled image (nerq compile);
#  - one 10 MB and one 50 MB document: time and peak RSS;
#  - compromise (node) on 1 MB of the same stream, if node is present,
#    installed by `npm ci` under bench/peers from the committed lockfile
#    (BENCH_PEERS=0 skips it; BENCH_STREAM_MB, BENCH_BIG_MB set the sizes).
set -eu
BUILD=${BUILD:-build}
CC=${CC:-cc}
NERQ=${NERQ_BIN:-./nerq}
RUNS=${BENCH_RUNS:-3}
STREAM_MB=${BENCH_STREAM_MB:-20}
BIG_MB=${BENCH_BIG_MB:-50}
PKGS=${PKGS:-"libpcre2-8 libutf8proc jansson gumbo"} # from the Makefile
$CC -O2 -std=c11 -Iinclude bench/bench.c "$BUILD/libnerq.a" \
  $(pkg-config --cflags --libs $PKGS) -lm -pthread -o "$BUILD/bench"
$CC -O2 -std=c11 -Wall -Wextra bench/tools.c $(pkg-config --cflags --libs jansson) -o "$BUILD/bench-tools"
T="$BUILD/bench-tools"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
SRC="corpus/articles/*.txt corpus/gold/gum_dev.jsonl corpus/gold/quotes_key.jsonl"
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

echo "== the library alone (bench.c)"
# shellcheck disable=SC2086
"$BUILD/bench" rules corpus/articles/*.txt --jsonl corpus/gold/gum_dev.jsonl --reps 5

mbs() { awk -v b="$1" -v s="$2" 'BEGIN { printf (b / s / 1e6 < 1 ? "%.3f" : "%.1f"), b / s / 1e6 }'; }
# timing BYTES WALL CPU RSS_KB
timing() { echo "$(mbs "$1" "$2") MB/s wall ($2 s), $(mbs "$1" "$3") MB/s cpu ($3 s), peak RSS $(($4 / 1024)) MB"; }
size() { wc -c < "$1" | tr -d ' '; }

echo "== the command end to end, JSONL in and out (median of $RUNS)"
# shellcheck disable=SC2086
"$T" jsonl "$W/stream.jsonl" "$STREAM_MB" $SRC
n=$(size "$W/stream.jsonl")
echo "stream: $(mbs "$n" 1) MB"
set -- $("$T" run "$RUNS" "$NERQ" -q -j 1 --input jsonl "$W/stream.jsonl")
t1=$1
echo "-j 1: $(timing "$n" "$@")"
set -- $("$T" run "$RUNS" "$NERQ" -q -j "$cores" --input jsonl "$W/stream.jsonl")
echo "-j $cores: $(timing "$n" "$@"); wall speed-up" \
  "$(awk -v a="$t1" -v b="$1" 'BEGIN { printf "%.2f", a / b }')x over -j 1"

echo "== start-up with the full rules (nerq < /dev/null, median of 9)"
startup() { awk -v w="$1" -v s="$2" -v c="$3" -v r="$4" 'BEGIN { printf "start-up, %s: %.1f ms wall, %.1f ms cpu, peak RSS %d MB\n", w, s * 1000, c * 1000, r / 1024 }'; }
mkdir "$W/text-rules" && cp -R rules/. "$W/text-rules/" && rm -f "$W/text-rules/rules.nqi"
set -- $("$T" run 9 "$NERQ" -q --rules "$W/text-rules")
startup "rules read as text" "$@"
"$NERQ" compile --rules "$W/text-rules" # the image, mapped (nerq compile; src/image.c)
set -- $("$T" run 9 "$NERQ" -q --rules "$W/text-rules")
startup "compiled image (nerq compile)" "$@"
rm -rf "$W/text-rules"

echo "== one big document (median of $RUNS)"
for mb in 10 "$BIG_MB"; do
  # shellcheck disable=SC2086
  "$T" doc "$W/big.txt" "$mb" corpus/articles/*.txt
  set -- $("$T" run "$RUNS" "$NERQ" -q -j 1 "$W/big.txt")
  echo "$mb MB document: $(timing "$(size "$W/big.txt")" "$@")"
done
rm -f "$W/big.txt"

if [ "${BENCH_PEERS:-1}" = 1 ] && command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  echo "== compromise on 1 MB of the stream (node $(node --version))"
  if [ ! -d bench/peers/node_modules/compromise ]; then
    (cd bench/peers && npm ci --no-audit --no-fund --silent) || { echo "npm ci failed: no peer figures"; exit 0; }
  fi
  "$T" jsonl "$W/one.jsonl" 1 $SRC
  set -- $(node bench/peers/compromise.js "$W/one.jsonl")
  cb=$1 cs=$2
  set -- $("$T" run "$RUNS" "$NERQ" -q -j 1 --input jsonl "$W/one.jsonl")
  echo "compromise: $(mbs "$cb" "$cs") MB/s ($cs s wall, its texts only, after loading)"
  echo "nerq -j 1 on the same lines, start-up included: $(timing "$(size "$W/one.jsonl")" "$@")"
  echo "ratio (wall): $(awk -v a="$cs" -v b="$1" 'BEGIN { printf "%.0f", a / b }')x"
else
  echo "== no compromise figures (node or npm missing, or BENCH_PEERS=0)"
fi
