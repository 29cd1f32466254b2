#!/bin/sh
# tests/floor.sh - proves the gold floors of `nerq test` (docs/eval.md):
# with one gazetteer line that a gold document needs deleted, a floor set
# to today's strict.ALL.f1 must fail and name the lost entity in a
# "new FN" line; with the full rules it must pass again.
# Prints "ok"/"FAIL" per check and ends with "N passed, N failed".
. tests/lib.sh
GOLD=corpus/gold/gum_dev.jsonl

# -- today's strict.ALL.f1 with the full rules, as the floor
"$NERQ" eval "$GOLD" --json --errors --rules "$RULES" > "$T/eval.json"
F1=$(awk '/"strict"/ { s = 1 } s && /"ALL"/ { a = 1 }
  a && /"f1"/ { sub(/.*"f1": */, ""); sub(/[ ,}]*$/, ""); print; exit }' "$T/eval.json")
check measured-f1 nonempty "$F1"
mkdir -p "$T/corpus/gold"
cp "$GOLD" "$T/corpus/gold/"
printf '{"gold": [{"file": "gold/gum_dev.jsonl", "floors": {"strict.ALL.f1": %s}}]}\n' \
  "${F1:-1}" > "$T/corpus/gold.json"

# -- a baseline blessed with the full rules (no articles/ needed)
"$NERQ" test "$T/corpus" --rules "$RULES" --bless >"$T/out" 2>&1; RC=$?
check bless-exit-0 rc_is 0
check bless-counts has "$T/out" "errors added, [0-9]* removed"
check bless-writes-baseline test -s "$T/corpus/gold/gum_dev.errors.json"

# -- the victim: a countries/cities line whose every mention in the gold
# documents is a true positive (a gold PLACE span, no false positive from
# that line), the most-used such line whose name no other gazetteer or
# list line has (case-insensitively)
"$NERQ" --rules "$RULES" --input jsonl "$GOLD" > "$T/pred.jsonl"
sed -n 's/.*"rule": "\(gazetteer\/[^"]*\)".*/\1/p' "$T/eval.json" | sort -u > "$T/fp_rules"
awk -v fps="$T/fp_rules" '
  BEGIN { while ((getline r < fps) > 0) fp[r] = 1 }
  FILENAME != ARGV[2] { # gold: unflagged PLACE spans
    id = $0; sub(/^[^"]*"id": "/, "", id); sub(/".*/, "", id); s = $0
    while (match(s, /[{][^{}]*"type": "PLACE"[^{}]*[}]/)) {
      o = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
      if (o !~ /"flags": \[\]/) continue
      st = o; sub(/.*"start": /, "", st); sub(/[^0-9].*/, "", st)
      en = o; sub(/.*"end": /, "", en); sub(/[^0-9].*/, "", en)
      gold[id " " st " " en] = 1
    }
    next }
  { # predictions: mentions made by a countries or cities line
    doc = $0; sub(/^[{]"doc":"/, "", doc); sub(/".*/, "", doc); s = $0
    while (match(s, /[{]"start":[0-9]+,"end":[0-9]+,"text":"[^"]*","rule":"gazetteer\/(countries|cities)\.tsv:[0-9]+"[}]/)) {
      o = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
      split(o, f, /[:,"]+/) # f[3] is the start, f[5] the end
      r = o; sub(/.*"rule":"/, "", r); sub(/".*/, "", r)
      if (!(r in fp) && (doc " " f[3] " " f[5]) in gold) tp[r]++
    }
  }
  END { for (r in tp) print tp[r], r }' "$GOLD" "$T/pred.jsonl" |
  sort -k1,1nr -k2,2 > "$T/candidates"
awk -F '\t' '!/^#/ { print tolower($1) }' "$RULES"/gazetteer/*.tsv "$RULES"/lists/*.txt |
  sort | uniq -c | awk '$1 == 1 { sub(/^ *1 /, ""); print }' > "$T/unique"
FILE=; LINE=; NAME=
while read -r n rule; do
  f=${rule%%:*}; l=${rule##*:}
  name=$(sed -n "${l}p" "$RULES/$f" | cut -f 1)
  low=$(printf '%s\n' "$name" | awk '{ print tolower($0) }')
  if grep -qxF -- "$low" "$T/unique"; then FILE=$f; LINE=$l; NAME=$name; break; fi
done < "$T/candidates"
check victim-found nonempty "$NAME"
echo "# deleting $FILE line $LINE ($NAME)"

# -- without that line the floor fails and names the lost entity
mkdir -p "$T/rules"
cp -R "$RULES"/. "$T/rules/"
awk -v n="${LINE:-0}" 'NR != n' "$RULES/${FILE:-none}" > "$T/rules/${FILE:-none}"
"$NERQ" test "$T/corpus" --rules "$T/rules" >"$T/out" 2>&1; RC=$?
check lost-line-exit-1 rc_is 1
check lost-line-fail-line has "$T/out" "^FAIL gold/gum_dev.jsonl strict.ALL.f1 .* < floor "
check lost-line-new-fn has_text "$T/out" "  new FN PLACE \"$NAME\" in "
check lost-line-summary has "$T/out" "^[0-9]* passed, [1-9][0-9]* failed"

# -- with the full rules again it passes
"$NERQ" test "$T/corpus" --rules "$RULES" >"$T/out" 2>&1; RC=$?
check restored-exit-0 rc_is 0
check restored-summary has "$T/out" "^1 passed, 0 failed"

summary
