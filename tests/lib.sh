# tests/lib.sh - shared by the shell test suites (sourced, not run):
# a temporary directory $T, pass/fail counters, and small checks.
# A suite ends with `summary`, which prints "N passed, N failed".
NERQ=${NERQ_BIN:-./nerq}
RULES=rules
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

check() { # check NAME CONDITION...
  name=$1; shift
  if "$@"; then pass=$((pass + 1)); echo "ok $name"
  else fail=$((fail + 1)); echo "FAIL $name"; fi
}
has() { grep -q -- "$2" "$1"; }
has_text() { grep -qF -- "$2" "$1"; }
lines() { [ "$(wc -l < "$1" | tr -d ' ')" -eq "$2" ]; }
rc_is() { [ "$RC" -eq "$1" ]; }
nonempty() { [ -n "$1" ]; }

summary() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
