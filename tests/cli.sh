#!/bin/sh
# tests/cli.sh - tests of the nerq command itself: exit codes, error
# records, option handling and inputs that must never crash it.
# Prints "ok"/"FAIL" per check and ends with "N passed, N failed".
. tests/lib.sh
BIG_MB=${NERQ_BIG_MB:-100}
run() { "$NERQ" --rules "$RULES" "$@" >"$T/out" 2>"$T/err"; RC=$?; }

# -- help, version and usage errors
"$NERQ" --help >"$T/out"; RC=$?
check help-exit rc_is 0
check help-lists-input has "$T/out" "--input"
check help-has-example has "$T/out" "nerq corpus/articles"
"$NERQ" --version >"$T/out"; RC=$?
check version has "$T/out" "^nerq [0-9]"
run --bogus; check usage-error-exit-2 rc_is 2
run --input xml x; check bad-input-format-exit-2 rc_is 2

# -- the founding article
run corpus/articles/alibaba-london.txt
check article-exit-0 rc_is 0
check article-one-record lines "$T/out" 1
check article-doc-is-path has "$T/out" '"doc":"corpus/articles/alibaba-london.txt"'
check article-has-quotes-array has "$T/out" '"quotes":\['
run --pretty corpus/articles/alibaba-london.txt
check pretty-indents has "$T/out" '^  "entities"'
run -o "$T/o.jsonl" corpus/articles/alibaba-london.txt
check output-file has "$T/o.jsonl" '"entities"'

# -- missing file: an error record in its place, go on, exit 1
printf 'Tim Cook visited Paris.' > "$T/a.txt"
run "$T/missing.txt" "$T/a.txt"
check missing-exit-1 rc_is 1
check missing-error-record has "$T/out" '"error":'
check missing-goes-on lines "$T/out" 2
check missing-stderr has "$T/err" "missing.txt"

# -- directories are walked in sorted order
mkdir -p "$T/d/sub"; printf 'b' > "$T/d/b.txt"; printf 'a' > "$T/d/a.txt"; printf 'c' > "$T/d/sub/c.txt"
run "$T/d"
check dir-sorted sh -c "grep -o '\"doc\":\"[^\"]*\"' '$T/out' | tr '\n' ' ' | grep -q 'a.txt.*b.txt.*sub/c.txt'"

# -- standard input
printf 'Angela Merkel met Emmanuel Macron in Berlin.' | "$NERQ" --rules "$RULES" > "$T/out"; RC=$?
check stdin-default rc_is 0
printf 'x' | "$NERQ" --rules "$RULES" - > "$T/out"; RC=$?
check stdin-dash lines "$T/out" 1

# -- JSONL input, meta passthrough, a malformed line
printf '%s\n' '{"id": "d1", "text": "Tim Cook runs Apple.", "src": "wire"}' '{not json' '{"id": 7, "text": "Paris"}' > "$T/in.jsonl"
run --input jsonl "$T/in.jsonl"
check jsonl-exit-1-on-bad-line rc_is 1
check jsonl-three-records lines "$T/out" 3
check jsonl-id has "$T/out" '"doc":"d1"'
check jsonl-meta has "$T/out" '"meta":{"src":"wire"}'
check jsonl-error-line has "$T/out" 'in.jsonl:2'
check jsonl-numeric-id has "$T/out" '"doc":"7"'

# -- inputs that must never crash nerq
: > "$T/empty.txt"
run "$T/empty.txt"; check empty-file rc_is 0
LC_ALL=C awk 'BEGIN { srand(42); for (i = 0; i < 65536; i++) printf "%c", 1 + int(rand() * 255) }' > "$T/bin.dat"
run "$T/bin.dat"; check random-bytes rc_is 0
check random-bytes-warn has "$T/out" 'invalid UTF-8'
# a NUL after the first 8 KiB: read as text (one earlier: a binary file, tests/hostile.sh)
awk 'BEGIN { for (i = 0; i < 400; i++) printf "Tim Cook met officials.\n" }' > "$T/nul.txt"
printf 'Paris\000London\000\000Berlin' >> "$T/nul.txt"
run "$T/nul.txt"; check nul-bytes rc_is 0
check nul-warns has "$T/out" 'NUL'
printf 'Tim Cook said:\r\n\r\n\342\200\234Hello.\342\200\235\r\n' > "$T/crlf.txt"
run "$T/crlf.txt"; check crlf rc_is 0
printf '\357\273\277Paris is big.' > "$T/bom.txt"
run "$T/bom.txt"; check bom rc_is 0
check bom-offset has "$T/out" '"start":1,"end":6'
printf 'Caf\351 in Paris' > "$T/latin1.txt"
run "$T/latin1.txt"; check latin1-replaced has "$T/out" '"start":8,"end":13'
awk -v mb="$BIG_MB" 'BEGIN { s = "Tim Cook met officials in Paris and London, the company said. "; \
  n = int(mb * 1048576 / length(s)); for (i = 0; i < n; i++) printf "%s", s }' > "$T/big.txt"
run "$T/big.txt"; check big-single-line rc_is 0
check big-single-line-record lines "$T/out" 1

# -- a document of 8 MiB or more: its record is written in pieces as it is
# made (CLI_STREAM_BYTES), in its place among the others, the same with -j
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do cat corpus/articles/alibaba-london.txt; done > "$T/huge.txt"
awk 'BEGIN { s = "the harbour road was wet and the rain kept on into the night.\n"; \
  n = int(8.2 * 1048576 / length(s)); for (i = 0; i < n; i++) printf "%s", s }' >> "$T/huge.txt"
run -j 1 "$T/a.txt" "$T/huge.txt" "$T/a.txt"; check stream-exit-0 rc_is 0
check stream-three-records lines "$T/out" 3
check stream-in-order sh -c "sed -n 1p '$T/out' > '$T/s1'; sed -n 3p '$T/out' > '$T/s3'; cmp -s '$T/s1' '$T/s3' && sed -n 2p '$T/out' | grep -q '\"doc\":\"$T/huge.txt\"'"
check stream-record-is-json sh -c "sed -n 2p '$T/out' | python3 -c 'import json,sys; r=json.load(sys.stdin); assert len(r[\"quotes\"]) >= 40'"
cp "$T/out" "$T/stream1"
run -j 2 "$T/a.txt" "$T/huge.txt" "$T/a.txt"; check stream-same-with-j2 cmp -s "$T/stream1" "$T/out"
"$NERQ" --rules "$RULES" -q "$T/huge.txt" > /dev/full 2>"$T/err"; RC=$?
check stream-dev-full-exit-1 rc_is 1
check stream-dev-full-says has "$T/err" "No space left"

awk 'BEGIN { for (i = 0; i < 20000; i++) printf "ACME GLOBAL INDUSTRIES NORTH EAST ALPHA BETA GAMMA " }' > "$T/caps.txt"
run "$T/caps.txt"; check long-capitals-line rc_is 0

# -- determinism
run corpus/articles/alibaba-london.txt; cp "$T/out" "$T/first"
run corpus/articles/alibaba-london.txt
check deterministic cmp -s "$T/first" "$T/out"

# -- rule-file errors: exit 2, no output, file:line:col, line and caret
mkdir -p "$T/bad"; cp -R "$RULES"/. "$T/bad/"
printf 'ok.rule PERSON 10 : [Cap]\nbroken PERSON 10 : [Cap] @nosuchlist\n' > "$T/bad/zz.rules"
"$NERQ" --rules "$T/bad" corpus/articles/alibaba-london.txt >"$T/out" 2>"$T/err"; RC=$?
check rule-error-exit-2 rc_is 2
check rule-error-no-output lines "$T/out" 0
check rule-error-location has "$T/err" "zz.rules:2:26: unknown list"
check rule-error-caret has "$T/err" "^ \{25\}^$"

# -- rule discovery: NERQ_RULES
NERQ_RULES="$T/bad" "$NERQ" /dev/null >/dev/null 2>"$T/err"; RC=$?
check env-rules-used rc_is 2

# -- CoNLL input: one record per -DOCSTART- document, gold from the tags
CONLL=tests/data/conll/sample.conll
run --input conll "$CONLL"
check conll-exit-0 rc_is 0
check conll-two-records lines "$T/out" 2
check conll-doc-1 has "$T/out" "\"doc\":\"$CONLL#1\""
check conll-doc-2 has "$T/out" "\"doc\":\"$CONLL#2\""
"$NERQ" eval --input conll "$CONLL" --json --rules "$RULES" >"$T/out" 2>"$T/err"; RC=$?
check conll-eval-exit-0 rc_is 0
check conll-eval-docs has "$T/out" '"docs": *2'
# sample.conll has 17 PER/ORG/LOC spans (5 PER, 4 ORG, 8 LOC; MISC not scored)
gold_all() { tr -d ' \n' < "$1" | grep -o '"ALL":{"tp":[0-9]*,"fp":[0-9]*,"fn":[0-9]*' | head -n 1 \
  | awk -F'[:,]' '{ print $3 + $7 }'; }
check conll-eval-gold-17 [ "$(gold_all "$T/out")" = 17 ]
printf 'Tim B-PER\nCook I-PER\nlonely\nsaid O\n\nParis I-LOC\n' > "$T/a.conll"
run --input conll "$T/a.conll"
check conll-no-docstart-one-record lines "$T/out" 1
check conll-malformed-exit-0 rc_is 0
check conll-malformed-warns has "$T/err" 'a.conll:3: skipped'
: > "$T/e.conll"
run --input conll "$T/e.conll"; check conll-empty-file rc_is 0
printf 'Caf\351 B-LOC\nx\000y O\r\n\342\202 I-ORG\n-DOCSTART-\n\n' > "$T/bad.conll"
run --input conll "$T/bad.conll"; check conll-bad-bytes rc_is 0

# -- nerq eval --pred on hand-written predictions: exact counts, with a
# duplicate mention, a wrong type, an overlap, and empty documents on
# both sides (checked by hand in tests/data/eval/)
"$NERQ" eval tests/data/eval/gold.jsonl --pred tests/data/eval/pred.jsonl >"$T/out" 2>"$T/err"; RC=$?
check eval-pred-exit-0 rc_is 0
check eval-pred-person has "$T/out" "^strict   PERSON         1        1        2"
check eval-pred-org has "$T/out" "^strict   ORG            0        1        1"
check eval-pred-place has "$T/out" "^strict   PLACE          1        1        1"
check eval-pred-all has "$T/out" "^strict   ALL            2        3        4"
check eval-pred-partial-person has "$T/out" "^partial  PERSON         2        0        1"
check eval-pred-docs has "$T/out" "^docs: 3"

# -- nerq explain: tokens, candidates with the winner and why, entities
"$NERQ" explain --rules "$RULES" "Tim Cook met officials in Paris." >"$T/out" 2>"$T/err"; RC=$?
check explain-exit-0 rc_is 0
check explain-tokens has "$T/out" "^tokens"
check explain-won has "$T/out" 'WON  PERSON \[0,8) "Tim Cook"'
check explain-lost-why has "$T/out" "lower priority\|shorter span"
check explain-lists has "$T/out" "@first_names"
"$NERQ" explain >"$T/out" 2>"$T/err"; RC=$?
check explain-usage-exit-2 rc_is 2
# -- nerq explain of quotes: each candidate, the rule that matched, the verdict
"$NERQ" explain --rules "$RULES" 'The film “Tides of Elwyn” opened. “We got a leaflet,” Gareth Vane said. The “famous” pies sold out.' >"$T/out" 2>"$T/err"; RC=$?
check explain-quote-won has "$T/out" 'WON after.name-cue@quotes/attribution.rules:[0-9]* (explicit'
check explain-quote-captured has "$T/out" 'captured \[[0-9]*,[0-9]*) "Gareth Vane"'
check explain-quote-title has "$T/out" 'WON title.work-noun@.*verdict\|dropped: not a quote'
check explain-quote-not-speech has "$T/out" 'dropped: not speech'
# -- nerq explain of reported speech: each candidate, its rules, where it ends, the verdict
"$NERQ" explain --rules "$RULES" 'Ann Lee said the fares would rise, adding that the ferry would run. Then, said the bridge would close.' >"$T/out" 2>"$T/err"; RC=$?
check explain-reported-exit-0 rc_is 0
check explain-reported-kept has "$T/out" 'reported 1: content \[13,33) "the fares would rise"'
check explain-reported-rule has "$T/out" 'cue \[8,12) "said" by after.cue@quotes/reported.rules:[0-9]*'
check explain-reported-end has "$T/out" 'content ends where end.participle@quotes/reported.rules:[0-9]* matched'
check explain-reported-speaker has "$T/out" 'speaker: e1 "Ann Lee"'
check explain-reported-dropped has "$T/out" 'verdict: dropped: no attribution or speaker rule found a speaker'
# a long quote of two-byte letters is cut at a character boundary
"$NERQ" explain --rules "$RULES" "“x$(printf 'é%.0s' $(seq 1 60))” she said." >"$T/out" 2>"$T/err"; RC=$?
check explain-quote-utf8 sh -c "iconv -f UTF-8 -t UTF-8 '$T/out' >/dev/null"

# -- tokens, through explain: a missing space splits, compounds and
# abbreviations stay whole, URLs and e-mail addresses are one token
"$NERQ" explain --rules "$RULES" "all the difference.China’s e-commerce AI-powered pro-Trump Mr. Smith in the U.S. at www.example.com/a?b=1 or jo.doe@mail.example.org, London-based." >"$T/out" 2>&1
check tok-split-period has "$T/out" "\[18,19) \. "
check tok-split-china has "$T/out" "\[19,24) China "
check tok-possessive has "$T/out" "\[24,26) ’s .*Poss"
check tok-compound has "$T/out" "\[27,37) e-commerce "
check tok-ai-powered has "$T/out" "\[38,48) AI-powered "
check tok-pro-trump has "$T/out" "\[49,58) pro-Trump "
check tok-abbrev has "$T/out" "\[59,62) Mr\. "
check tok-initials has "$T/out" "\[76,80) U\.S\. "
check tok-url has "$T/out" "\[84,105) www.example.com/a?b=1 "
check tok-email has "$T/out" "\[109,132) jo.doe@mail.example.org "
check tok-based-splits has "$T/out" "\[134,140) London "

# -- JSONL text decoding (the fast path): escapes, a surrogate pair, a lone surrogate
printf '%s\n' '{"id":"u","text":"Caf\u00e9 \ud83d\ude00 \"in\"\tParis"}' '{"id":"v","text":"x \ud800 y"}' > "$T/esc.jsonl"
run --input jsonl "$T/esc.jsonl"
check jsonl-escapes-decoded has "$T/out" '"text":"Paris","rule"'
check jsonl-escape-offsets has "$T/out" '"start":12,"end":17'
check jsonl-lone-surrogate has "$T/out" 'esc.jsonl:2","error":"the text field is not a string"'

# -- -j N: threads give the same records, in input order, errors included
run -j 1 corpus/articles; cp "$T/out" "$T/j1"
run -j 2 corpus/articles; cp "$T/out" "$T/j2"
check jobs-same-corpus cmp -s "$T/j1" "$T/j2"
check jobs-all-records lines "$T/j2" "$(ls corpus/articles/* | wc -l)"
{ for f in corpus/articles/*.txt; do printf '{"id":"%s","text":"Tim Cook met Jack Ma in Paris.","n":1}\n' "$f"; echo '{broken'; done; } > "$T/mix.jsonl"
run -j 1 --input jsonl "$T/mix.jsonl"; cp "$T/out" "$T/j1"; cp "$T/err" "$T/e1"; R1=$RC
run -j 3 --pretty --input jsonl "$T/mix.jsonl"; check jobs-exit-1 rc_is "$R1"
run -j 3 --input jsonl "$T/mix.jsonl"
check jobs-same-with-errors cmp -s "$T/j1" "$T/out"
check jobs-same-stderr cmp -s "$T/e1" "$T/err"
run -j 0 x; check jobs-zero-is-usage-error rc_is 2

# -- nerq test --bless leaves an expected file alone when it differs only in
# rule line numbers (which the comparison ignores), and rewrites it otherwise
mkdir -p "$T/bt/articles" "$T/bt/expected" "$T/br"
printf 'Tim Cook visited Paris on Monday. "We are here to stay," said Jack Ma.\nMa said the company would open an office in Lyon next year.\n' > "$T/bt/articles/one.txt"
for f in "$PWD/$RULES"/*; do ln -s "$f" "$T/br/"; done
rm "$T/br/entities.rules"; { echo '# two lines more'; echo '#'; cat "$RULES/entities.rules"; } > "$T/br/entities.rules"
rm "$T/br/quotes"; cp -r "$RULES/quotes" "$T/br/quotes"
{ echo '# two lines more'; echo '#'; cat "$RULES/quotes/reported.rules"; } > "$T/br/quotes/reported.rules"
"$NERQ" test "$T/bt" --rules "$RULES" --bless >"$T/out" 2>&1; RC=$?
check bless-writes rc_is 0
check bless-wrote test -s "$T/bt/expected/one.json"
cp "$T/bt/expected/one.json" "$T/one.orig"
"$NERQ" --rules "$T/br" --pretty "$T/bt/articles/one.txt" | grep '"rule"' >"$T/moved"
grep '"rule"' "$T/one.orig" >"$T/kept"
check bless-lines-really-moved test -s "$T/moved" -a -n "$(cmp "$T/moved" "$T/kept")"
"$NERQ" --rules "$T/br" --pretty "$T/bt/articles/one.txt" | grep '"span_rule"' >"$T/moved-span"
grep '"span_rule"' "$T/one.orig" >"$T/kept-span"
check bless-span-rule-lines-really-moved test -s "$T/moved-span" -a -n "$(cmp "$T/moved-span" "$T/kept-span")"
"$NERQ" test "$T/bt" --rules "$T/br" --bless >"$T/out" 2>&1; RC=$?
check bless-moved-lines-exit-0 rc_is 0
check bless-moved-lines-untouched cmp -s "$T/one.orig" "$T/bt/expected/one.json"
check bless-moved-lines-silent lines "$T/out" 1
"$NERQ" test "$T/bt" --rules "$T/br" >"$T/out" 2>&1; RC=$?
check bless-moved-lines-still-pass rc_is 0
sed 's/"Paris"/"Lyon"/' "$T/one.orig" >"$T/bt/expected/one.json"
"$NERQ" test "$T/bt" --rules "$T/br" --bless >"$T/out" 2>&1; RC=$?
check bless-real-change-reported has "$T/out" "blessed one.txt ([0-9]* change"
check bless-real-change-rewritten has "$T/bt/expected/one.json" '"Paris"'
check bless-real-change-new-lines has "$T/bt/expected/one.json" "$(head -1 "$T/moved" | sed 's/.*"rule": "//; s/".*//')"
sed 's/"doc": "one.txt"/"doc": "old.txt"/' "$T/one.orig" >"$T/bt/expected/one.json"
"$NERQ" test "$T/bt" --rules "$RULES" --bless >"$T/out" 2>&1; RC=$?
check bless-ignored-field-rewritten cmp -s "$T/one.orig" "$T/bt/expected/one.json"
check bless-ignored-field-says has "$T/out" "only fields the comparison ignores"

# -- make install PREFIX=...: a relocatable install finds its rules
if [ "$NERQ" = "./nerq" ]; then
  make -s install PREFIX="$T/inst" >/dev/null 2>&1; RC=$?
  check install-exit-0 rc_is 0
  check install-files test -x "$T/inst/bin/nerq" -a -f "$T/inst/lib/libnerq.a" -a -f "$T/inst/include/nerq.h" -a -d "$T/inst/share/nerq/rules/gazetteer"
  (cd "$T" && "$T/inst/bin/nerq" "$OLDPWD/corpus/articles/alibaba-london.txt") >"$T/out" 2>"$T/err"; RC=$?
  check install-runs rc_is 0
  check install-finds-rules has "$T/out" '"name":"Jack Ma"'
fi

summary
