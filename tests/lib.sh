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

# Runs each command line of file $2 in $T, as a documentation example:
# comments dropped, `nerq` (at the start or after `|`) is the built
# binary; each must exit 0 and write output (to the file after -o, >
# or >>, else to stdout). Sets n to the number of commands. $1 labels
# the checks.
run_commands() {
  n=0
  while IFS= read -r line; do
    cmd=$(printf '%s\n' "$line" | sed 's/[[:space:]][[:space:]]*#.*$//')
    [ -n "$cmd" ] || continue
    n=$((n + 1))
    run=$(printf '%s\n' "$cmd" | sed 's/^nerq\( \|$\)/"$NERQ"\1/; s/| nerq\( \|$\)/| "$NERQ"\1/')
    out=$(printf '%s\n' "$cmd" | sed -n 's/.* -o *\([^ ]*\).*/\1/p; t; s/.*>>* *\([^ ]*\)$/\1/p')
    rm -f "$T/stdout" ${out:+"$T/$out"}
    (cd "$T" && NERQ=$NERQ sh -c "$run" > "$T/stdout" 2> "$T/stderr" < /dev/null)
    RC=$?
    check "$1: $cmd (exit 0)" rc_is 0
    check "$1: $cmd (output)" test -s "$T/${out:-stdout}"
    [ "$RC" -eq 0 ] || sed 's/^/  /' "$T/stderr" | head -n 5
  done < "$2"
}

summary() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
