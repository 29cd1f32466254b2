#!/bin/sh
# tests/rule_lines.sh - the rule files (rules/*.rules, rules/quotes/*.rules)
# keep every line within 160 characters: a longer rule is broken with
# named definitions ($name = PATTERN) or continuation lines (docs/rules.md).
# Prints each line over the limit and ends with "N passed, N failed".
. tests/lib.sh
MAX=160

# Lines over MAX characters (not bytes: UTF-8 counts once) in the files,
# as FILE:LINE: LENGTH.
long_lines() {
  LC_ALL=C.UTF-8 awk -v max="$MAX" 'length($0) > max { print FILENAME ":" FNR ": " length($0) " characters" }' "$@"
}

# The check itself: it finds a long line, and not a line of exactly MAX.
awk -v n="$MAX" 'BEGIN { s = ""; for (i = 0; i < n; i++) s = s "x"; print s; print s "x" }' > "$T/probe.rules"
long_lines "$T/probe.rules" > "$T/out"
check finds-long-line has "$T/out" "probe.rules:2: 161 characters"
check keeps-line-of-max lines "$T/out" 1

for f in "$RULES"/*.rules "$RULES"/quotes/*.rules; do
  long_lines "$f" > "$T/out"
  cat "$T/out"
  check "within-$MAX-${f#"$RULES"/}" test ! -s "$T/out"
done

summary
