#!/bin/sh
# tests/run.sh UNIT_BIN... - runs every test suite and ends with the line
# "N passed, N failed". Suites: cmocka unit tests, CLI tests against the
# binary, make install + pkg-config (tests/install.sh), the gold-floor mechanism (tests/floor.sh), and the corpus tests
# (nerq test corpus: snapshots, then the floors in corpus/gold.json).
NERQ_BIN=${NERQ_BIN:-./nerq}
export NERQ_BIN
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # $1 = label, reads "$log"
  p=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p' "$log" | tail -n 1)
  f=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p' "$log" | tail -n 1)
  if [ -z "$p" ]; then # cmocka's own summary
    p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' "$log" | tail -n 1)
  fi
  p=${p:-0}; f=${f:-0}
  if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  echo "== $1: $p passed, $f failed"
  passed=$((passed + p)); failed=$((failed + f))
}

for bin in "$@"; do
  "$bin" >"$log" 2>&1
  rc=$?
  grep -E '^\[  (FAILED|ERROR) |^\[  ERROR|Failure|error:' "$log" | head -n 40
  count "$bin" $rc
done

suite() { # $1 = label, $2 = pattern of failure lines to show, then the command
  label=$1; show=$2; shift 2
  "$@" >"$log" 2>&1
  rc=$?
  grep -E "$show" "$log" | head -n 40
  count "$label" $rc
}

sh_fail='^(FAIL|not ok)'
suite "CLI tests" "$sh_fail" sh tests/cli.sh
suite "README examples (tests/readme.sh)" "$sh_fail" sh tests/readme.sh
suite "docs/*.md examples (tests/docs.sh)" "$sh_fail" sh tests/docs.sh
suite "HTML in and out, CoNLL out (tests/html.sh)" "$sh_fail" sh tests/html.sh
suite "hostile inputs (tests/hostile.sh)" "$sh_fail" env BUILD="${BUILD:-build}" sh tests/hostile.sh
suite "graph formats (tests/rdf_test.py)" '^FAIL|Traceback|Error' /usr/bin/python3 tests/rdf_test.py
suite "install and pkg-config (tests/install.sh)" "$sh_fail" sh tests/install.sh
suite "progress report (tests/progress.sh)" "$sh_fail" sh tests/progress.sh
suite "gold floors (tests/floor.sh)" "$sh_fail" sh tests/floor.sh
suite "compiled rule images (tests/image.sh)" "$sh_fail" sh tests/image.sh
suite "rule lines within 160 characters (tests/rule_lines.sh)" "$sh_fail" sh tests/rule_lines.sh

"$NERQ_BIN" test corpus --rules rules >"$log" 2>&1
rc=$?
grep -v '^[0-9]* passed' "$log" | head -n 200
count "corpus (nerq test corpus)" $rc

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
