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

sh tests/cli.sh >"$log" 2>&1
rc=$?
grep -E '^(FAIL|not ok)' "$log" | head -n 40
count "CLI tests" $rc

sh tests/html.sh >"$log" 2>&1
rc=$?
grep -E '^(FAIL|not ok)' "$log" | head -n 40
count "HTML in and out, CoNLL out (tests/html.sh)" $rc

BUILD=${BUILD:-build} sh tests/hostile.sh >"$log" 2>&1
rc=$?
grep -E '^(FAIL|not ok)' "$log" | head -n 40
count "hostile inputs (tests/hostile.sh)" $rc

/usr/bin/python3 tests/rdf_test.py >"$log" 2>&1
rc=$?
grep -E '^FAIL|Traceback|Error' "$log" | head -n 40
count "graph formats (tests/rdf_test.py)" $rc

sh tests/install.sh >"$log" 2>&1
rc=$?
grep -E '^(FAIL|not ok)' "$log" | head -n 40
count "install and pkg-config (tests/install.sh)" $rc

sh tests/progress.sh >"$log" 2>&1
rc=$?
grep -E '^(FAIL|not ok)' "$log" | head -n 40
count "progress report (tests/progress.sh)" $rc

sh tests/floor.sh >"$log" 2>&1
rc=$?
grep -E '^(FAIL|not ok)' "$log" | head -n 40
count "gold floors (tests/floor.sh)" $rc

"$NERQ_BIN" test corpus --rules rules >"$log" 2>&1
rc=$?
grep -v '^[0-9]* passed' "$log" | head -n 200
count "corpus (nerq test corpus)" $rc

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
