#!/bin/sh
# tests/readme.sh - README.md's examples run as tests (in the manner of
# cmark's spec tests): every command of the Usage block runs against the
# built binary on small stand-in files and must succeed with output; the
# rule error README shows is produced and compared line by line; the
# record README shows is compared with nerq's record of that article
# (README's lists show their first items, a "..." in a string stands for
# the text left out).
. tests/lib.sh
ROOT=$(pwd)
case $NERQ in /*) ;; *) NERQ=$ROOT/$NERQ ;; esac
export NERQ_RULES="$ROOT/rules"

# The stand-ins for the files the examples name, in a copy of corpus/ (so
# that `nerq test --bless` writes only there).
cp -R corpus "$T/corpus"
cp corpus/articles/alibaba-london.txt "$T/article.txt"
mkdir "$T/news"
cp corpus/articles/alibaba-london.txt corpus/articles/entity-06-keys.txt "$T/news/"
head -n 3 corpus/gold/quotes_key.jsonl > "$T/docs.jsonl"
cp "$T/docs.jsonl" "$T/big.jsonl"
cp tests/data/conll/sample.conll "$T/eng.testb"
cp corpus/articles/alibaba-london-page.html "$T/saved-page.html"
cp tests/data/eval/gold.jsonl "$T/gold.jsonl"

# The fenced block after a line (awk: the lines between the first fence
# after the line matching $1 and the next fence).
block() {
  awk -v start="$1" 'f == 2 { exit } f == 1 && /^```/ { f = 2; next } f == 1 { print }
    index($0, start) == 1 { s = 1 } s && !f && /^```/ { f = 1 }' README.md
}

block "## Usage" > "$T/usage"
check "README Usage block found" test "$(wc -l < "$T/usage")" -gt 10
run_commands README "$T/usage"
check "README Usage commands run ($n)" test "$n" -ge 15

# The rule error: the shown rule at the shown line of rules/entities.rules.
block "stops the run before any output" > "$T/rule_error"
mkdir "$T/r" && cp -R rules "$T/r/rules"
want_line=$(sed -n 1p "$T/rule_error" | sed 's/.*entities\.rules:\([0-9]*\):.*/\1/')
rule=$(sed -n 2p "$T/rule_error")
: > "$T/r/rules/entities.rules"
i=1
while [ "$i" -lt "$want_line" ]; do echo "#" >> "$T/r/rules/entities.rules"; i=$((i + 1)); done
printf '%s\n' "$rule" >> "$T/r/rules/entities.rules"
(cd "$T/r" && "$NERQ" --rules rules "$T/article.txt" > "$T/r/out" 2> "$T/r/err")
RC=$?
check "README rule error: exit 2" rc_is 2
check "README rule error: no output" test ! -s "$T/r/out"
check "README rule error: message, line and caret as shown" cmp -s "$T/rule_error" "$T/r/err"
cmp -s "$T/rule_error" "$T/r/err" || diff "$T/rule_error" "$T/r/err" | head -n 8

# The record: README's JSON against nerq's record of the article.
block "## The record" > "$T/record.json"
"$NERQ" corpus/articles/alibaba-london.txt > "$T/actual.json" 2> "$T/actual.err"
cat > "$T/subset.py" <<'EOF'
import json, sys
want = json.load(open(sys.argv[1]))
got = json.loads(open(sys.argv[2]).readline())
def same(w, g, at):
    if isinstance(w, dict):
        if not isinstance(g, dict): return [at]
        return [e for k in w for e in (same(w[k], g[k], at + "." + k) if k in g else [at + "." + k + " missing"])]
    if isinstance(w, list):
        if not isinstance(g, list) or len(g) < len(w): return [at]
        return [e for i, x in enumerate(w) for e in same(x, g[i], "%s[%d]" % (at, i))]
    if isinstance(w, str) and "..." in w and isinstance(g, str):
        parts = w.split("...")
        ok = g.startswith(parts[0]) and g.endswith(parts[-1])
        pos = len(parts[0])
        for p in parts[1:-1]:
            pos = g.find(p, pos)
            ok = ok and pos >= 0
        return [] if ok else [at + ": %r vs %r" % (w, g[:60])]
    return [] if w == g else [at + ": %r vs %r" % (w, g)]
errors = same(want, got, "record")
for e in errors: print("  differs:", e)
sys.exit(1 if errors else 0)
EOF
check "README record block is JSON" /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/record.json"
check "README record matches nerq's record of the article" /usr/bin/python3 "$T/subset.py" "$T/record.json" "$T/actual.json"
summary
