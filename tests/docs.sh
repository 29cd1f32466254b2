#!/bin/sh
# tests/docs.sh - the examples of docs/*.md (other than docs/rules.md, whose
# examples tests/test_docs.c runs) run as tests, as tests/readme.sh does
# for README.md: shell examples run on small stand-in files; the worked
# eval example's report is what nerq eval prints; the C example compiles;
# the relation rules shown are in rules/relations.rules and the relations
# shown are in nerq's record of the article. Examples that need machines
# or servers (Virtuoso, Spark, Hadoop, GNU parallel, Dask) are left to
# tests/kg.sh and tests/scale.sh or not run.
. tests/lib.sh
ROOT=$(pwd)
case $NERQ in /*) ;; *) NERQ=$ROOT/$NERQ ;; esac
export NERQ_RULES="$ROOT/rules"

# The fenced block after the first line of file $1 that starts with $2.
block() {
  awk -v start="$2" 'f == 2 { exit } f == 1 && /^```/ { f = 2; next } f == 1 { print }
    index($0, start) == 1 { s = 1 } s && !f && /^```/ { f = 1 }' "$1"
}

# The commands of a shell block (run_commands, tests/lib.sh), at least one.
run_block() { # $1 = label, $2 = block file
  run_commands "$1" "$2"
  check "$1: commands found" test "$n" -gt 0
}

# Stand-ins for the files the examples name.
cp -R corpus "$T/corpus"
mkdir "$T/news" && cp corpus/articles/alibaba-london.txt "$T/news/"
cp tests/data/conll/sample.conll "$T/eng.testb"

# -- docs/eval.md: CoNLL input
block docs/eval.md "One document is held in memory at a time." > "$T/conll.sh"
run_block "eval.md CoNLL" "$T/conll.sh"

# -- docs/eval.md: the worked example. The gold is the block shown; the
# prediction is the one the text describes; the report must be the table
# shown ("..." stands for rows left out) and the JSON report must hold
# the object shown ({...} stands for any object).
block docs/eval.md 'Gold (`“` and `”` are one code point each):' > "$T/gold.json"
/usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), ensure_ascii=False))' \
  "$T/gold.json" > "$T/gold.jsonl"
check "eval.md worked example: gold block is JSON" test -s "$T/gold.jsonl"
cat > "$T/pred.jsonl" <<'EOF'
{"doc":"ex1","entities":[{"id":"e1","type":"PERSON","name":"Mayor Ann Lee","mentions":[{"start":0,"end":13,"text":"Mayor Ann Lee","rule":"person.title"}]},{"id":"e2","type":"ORG","name":"BBC","mentions":[{"start":23,"end":26,"text":"BBC","rule":"org.acronym"}]},{"id":"e3","type":"ORG","name":"Acme","mentions":[{"start":68,"end":72,"text":"Acme","rule":"org.suffix"}]},{"id":"e4","type":"PERSON","name":"staff","mentions":[{"start":78,"end":83,"text":"staff","rule":"person.x"}]},{"id":"e5","type":"PLACE","name":"Paris","mentions":[{"start":87,"end":92,"text":"Paris","rule":"place.gazetteer"}]}],"quotes":[{"id":"q1","start":28,"end":55,"segments":[[28,55]],"kind":"direct","speaker":{"entity":"e1","name":"Ann Lee","mention":{"start":6,"end":13}},"how":"name","rule":"quote.said"}],"warnings":[]}
EOF
"$NERQ" eval "$T/gold.jsonl" --pred "$T/pred.jsonl" > "$T/report.txt" 2> "$T/err"; RC=$?
check "eval.md worked example: nerq eval exit 0" rc_is 0
block docs/eval.md '`nerq_eval_report(ev, 0)` is an aligned table:' > "$T/table"
cat > "$T/lines.py" <<'EOF'
import sys
want = open(sys.argv[1]).read().splitlines()
got = open(sys.argv[2]).read().splitlines()
i = 0
for w in want:  # each shown line in order; "..." skips lines
    if w.strip() == "...":
        continue
    while i < len(got) and got[i].split() != w.split():
        i += 1
    if i == len(got):
        print("  not in the report (in order):", w)
        sys.exit(1)
    i += 1
EOF
check "eval.md worked example: the table shown is nerq eval's" /usr/bin/python3 "$T/lines.py" "$T/table" "$T/report.txt"
"$NERQ" eval "$T/gold.jsonl" --pred "$T/pred.jsonl" --json > "$T/report.json" 2> "$T/err"
block docs/eval.md 'With `NERQ_EVAL_JSON` the report is an object:' | sed 's/{\.\.\.}/"ANY"/g' > "$T/object.json"
cat > "$T/subset.py" <<'EOF'
import json, sys
want = json.load(open(sys.argv[1]))
got = json.load(open(sys.argv[2]))
def same(w, g, at):
    if w == "ANY": return []
    if isinstance(w, dict):
        if not isinstance(g, dict): return [at]
        return [e for k in w for e in (same(w[k], g[k], at + "." + k) if k in g else [at + "." + k + " missing"])]
    if isinstance(w, float) or isinstance(g, float):
        return [] if abs(w - g) < 5e-4 else [at + ": %r vs %r" % (w, g)]
    return [] if w == g else [at + ": %r vs %r" % (w, g)]
errors = same(want, got, "report")
for e in errors: print("  differs:", e)
sys.exit(1 if errors else 0)
EOF
check "eval.md worked example: the JSON report shown is nerq eval's" /usr/bin/python3 "$T/subset.py" "$T/object.json" "$T/report.json"

# -- docs/eval.md: the C example compiles against include/nerq_eval.h.
{ echo '#include <stdlib.h>'; echo '#include <nerq.h>'; block docs/eval.md '`nerq_eval` (`include/nerq_eval.h`) compares' | sed -n '1p'
  echo 'void example(const char *gold_line, nerq_doc *doc);'
  echo 'void example(const char *gold_line, nerq_doc *doc) {'
  block docs/eval.md '`nerq_eval` (`include/nerq_eval.h`) compares' | sed '1d'
  echo '}'; } > "$T/example.c"
check "eval.md C example compiles" ${CC:-cc} -std=c11 -Wall -Wextra -Werror -Iinclude -fsyntax-only "$T/example.c"

# -- docs/graph.md: the commands, the relation rules shown, the relations shown.
block docs/graph.md "and queried." > "$T/graph.sh"
run_block "graph.md" "$T/graph.sh"
block docs/graph.md "([rules.md](rules.md)), one per line:" | sed 1d > "$T/rel_rules"
n=0
while IFS= read -r rule; do
  n=$((n + 1))
  check "graph.md rule in relations.rules: ${rule%% *}" grep -qxF -- "$rule" rules/relations.rules
done < "$T/rel_rules"
check "graph.md rules shown ($n)" test "$n" -ge 2
block docs/graph.md 'jobTitle founder), "GOP nominee X" is memberOf' |
  { echo '{'; sed 's/{\.\.\.}/"ANY"/g'; echo '}'; } > "$T/relations.json"
"$NERQ" corpus/articles/alibaba-london.txt > "$T/record.json" 2> "$T/err"
cat > "$T/relations.py" <<'EOF'
import json, re, sys
want = json.load(open(sys.argv[1]))["relations"]
got = json.loads(open(sys.argv[2]).readline())
ents = {e["id"]: e["name"] for e in got["entities"]}
def rule(r): return re.sub(r":[0-9]+$", "", r)  # rule line numbers move
def key(r, names):
    o = r["object"]
    return (names.get(r["subject"], r["subject"]), r["predicate"],
            o["text"] if isinstance(o, dict) else names.get(o, o))
# The ids shown are the record's: compare by entity name.
have = {key(r, ents): r for r in got.get("relations", [])}
bad = 0
for w in want:
    k = key(w, ents)
    g = have.get(k)
    if g is None:
        print("  not in the record:", k); bad = 1; continue
    for f in ("evidence",):
        if w[f] == "ANY": continue
        if rule(w[f]["rule"]) != rule(g[f]["rule"]) or (w[f]["start"], w[f]["end"]) != (g[f]["start"], g[f]["end"]):
            print("  evidence differs:", k, w[f], g[f]); bad = 1
    if isinstance(w["object"], dict) and w["object"] != g["object"]:
        print("  object differs:", k, w["object"], g["object"]); bad = 1
sys.exit(bad)
EOF
check "graph.md relations shown are nerq's (by name)" /usr/bin/python3 "$T/relations.py" "$T/relations.json" "$T/record.json"

# -- docs/scale.md: the --progress=json line has the keys shown.
block docs/scale.md 'the last with `"done":true`, for job runners:' > "$T/progress.json"
"$NERQ" --progress=json corpus/articles > /dev/null 2> "$T/progress.err"
cat > "$T/keys.py" <<'EOF'
import json, sys
want = json.loads(open(sys.argv[1]).read())
lines = [l for l in open(sys.argv[2]) if l.startswith('{"progress"')]
got = json.loads(lines[-1]) if lines else {}
ok = list(want) == list(got) and got.get("done") is True
if not ok: print("  shown:", list(want), "\n  nerq: ", list(got))
sys.exit(0 if ok else 1)
EOF
check "scale.md progress line: the keys shown, in order" /usr/bin/python3 "$T/keys.py" "$T/progress.json" "$T/progress.err"

summary
