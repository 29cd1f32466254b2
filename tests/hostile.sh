#!/bin/sh
# tests/hostile.sh - inputs built at run time that once lost or corrupted
# records (issue 10): output safety, walks, special files, JSONL framing
# and pass-through, rule directories. Every run has a timeout, so nothing
# hangs the suite; every output is checked line by line as JSON by
# $BUILD/jsonl_check. Ends with "N passed, N failed".
. tests/lib.sh
CHECK=${BUILD:-build}/jsonl_check
TO="timeout 60"
run() { $TO "$NERQ" --rules "$RULES" -q "$@" >"$T/out" 2>"$T/err"; RC=$?; }
valid() { "$CHECK" "$1" >/dev/null; }
count_is() { [ "$("$CHECK" "$1")" -eq "$2" ]; }
A=corpus/articles/alibaba-london.txt

# -- --files-from: newline- and NUL-separated names, from a file or stdin
mkdir -p "$T/many"
i=0; while [ $i -lt 30 ]; do printf 'Tim Cook met officials in Paris, doc %d.' $i > "$T/many/d $i.txt"; i=$((i + 1)); done
find "$T/many" -name '*.txt' | sort > "$T/list"
run -T "$T/list"; check files-from rc_is 0
check files-from-30 count_is "$T/out" 30
find "$T/many" -name '*.txt' -print0 | $TO "$NERQ" --rules "$RULES" -q -0 -T - -o "$T/o0.jsonl"; RC=$?
check files-from-nul-stdin rc_is 0
check files-from-nul-30 count_is "$T/o0.jsonl" 30
"$NERQ" --help > "$T/help"
check help-no-xargs-example sh -c "! grep -q 'xargs nerq -o' '$T/help'"
check help-files-from-example has "$T/help" "-print0 | nerq -0 -T -"

# -- -o never destroys an input
printf 'Tim Cook visited Paris.' > "$T/same.txt"; cp "$T/same.txt" "$T/same.orig"
run -o "$T/same.txt" "$T/same.txt"; check out-is-input-exit-2 rc_is 2
check out-is-input-kept cmp -s "$T/same.txt" "$T/same.orig"
check out-is-input-says has "$T/err" "also an input"
ln -s "$T/same.txt" "$T/link.txt"
run -o "$T/link.txt" "$T/same.txt"; check out-via-symlink-exit-2 rc_is 2
check out-via-symlink-kept cmp -s "$T/same.txt" "$T/same.orig"
run -o "$T/new.txt" "$T/new.txt"; check out-is-missing-input-exit-2 rc_is 2
check out-is-missing-input-not-created test ! -e "$T/new.txt"
$TO "$NERQ" --rules "$RULES" -q -o "$T/same.txt" < "$T/same.txt" >/dev/null 2>&1; RC=$?
check out-is-stdin-exit-2 rc_is 2
check out-is-stdin-kept cmp -s "$T/same.txt" "$T/same.orig"
mkdir -p "$T/walk"; cp "$T/many/d 1.txt" "$T/many/d 2.txt" "$T/walk/"
run -o "$T/walk/out.jsonl" "$T/walk"; check out-in-walk rc_is 0
check out-in-walk-not-read count_is "$T/walk/out.jsonl" 2
run "$T/walk" -o "$T/walk/out.jsonl"; check out-in-walk-rerun count_is "$T/walk/out.jsonl" 2
$TO "$NERQ" --rules "$RULES" -q "$T/walk" > "$T/walk/redirect.jsonl" 2>/dev/null
check stdout-file-in-walk-not-read count_is "$T/walk/redirect.jsonl" 3

# -- write errors stop the run at once, with the reason
run -o /dev/full "$T/many"; check dev-full-exit-1 rc_is 1
check dev-full-reason has "$T/err" "No space left on device"
check dev-full-once [ "$(grep -c 'No space' "$T/err")" -eq 1 ]
$TO "$NERQ" --rules "$RULES" -q "$T/many" > /dev/full 2>"$T/err"; RC=$?
check dev-full-stdout-exit-1 rc_is 1

# -- SIGTERM and SIGINT: the record being written is finished, exit 128+N
i=0; while [ $i -lt 200 ]; do cp "$A" "$T/many/a$i.txt"; i=$((i + 1)); done
mkdir -p "$T/heavy"; i=0; while [ $i -lt 50 ]; do cat "$A"; i=$((i + 1)); done > "$T/heavy/h0.txt"
i=1; while [ $i -lt 60 ]; do cp "$T/heavy/h0.txt" "$T/heavy/h$i.txt"; i=$((i + 1)); done
for sig in TERM INT; do # while documents are being processed
  "$NERQ" --rules "$RULES" -q -j 2 -o "$T/sig.jsonl" "$T/heavy" 2>/dev/null &
  pid=$!
  n=0; while [ ! -s "$T/sig.jsonl" ] && [ $n -lt 400 ]; do sleep 0.05; n=$((n + 1)); done
  kill -s $sig $pid; wait $pid; RC=$?
  [ $sig = TERM ] && want=143 || want=130
  check "sig$sig-exit-$want" rc_is $want
  check "sig$sig-whole-lines" valid "$T/sig.jsonl"
  check "sig$sig-stopped-early" sh -c "[ \$('$CHECK' '$T/sig.jsonl') -lt 60 ]"
  rm -f "$T/sig.jsonl"
done
# while blocked reading standard input: the read returns, nerq stops
mkfifo "$T/slow"
(printf '{"id":"s1","text":"Paris"}\n{"id":"s2","text":"Rome"}\n'; sleep 40) > "$T/slow" &
feeder=$!
"$NERQ" --rules "$RULES" -q --input jsonl -o "$T/sig.jsonl" < "$T/slow" 2>/dev/null &
pid=$!
n=0; while [ "$(cat "$T/sig.jsonl" 2>/dev/null | wc -l)" -lt 2 ] && [ $n -lt 400 ]; do sleep 0.05; n=$((n + 1)); done
check stream-records-not-held count_is "$T/sig.jsonl" 2
kill -s TERM $pid; wait $pid; RC=$?
check sigterm-blocked-read-exit-143 rc_is 143
check sigterm-blocked-read-records count_is "$T/sig.jsonl" 2
kill $feeder 2>/dev/null; wait $feeder 2>/dev/null

# -- parallel writers appending to one file never interleave lines
: > "$T/par.jsonl"
for k in 1 2 3 4; do $TO "$NERQ" --rules "$RULES" -q -j 1 "$T/many" >> "$T/par.jsonl" 2>/dev/null & done
wait
check append-writers-whole-lines valid "$T/par.jsonl"
check append-writers-all-records count_is "$T/par.jsonl" 920

# -- walks: symbolic links to directories, loops, depth
mkdir -p "$T/lp/loop/a"; printf 'Paris.' > "$T/lp/loop/a/f.txt"
ln -s .. "$T/lp/loop/a/up"; ln -s ../.. "$T/lp/loop/a/up2"
run "$T/lp/loop"; check symlink-loop-exit-0 rc_is 0
check symlink-loop-once count_is "$T/out" 1
run --follow "$T/lp/loop"; check follow-loop-finishes [ $RC -ne 124 ]
check follow-loop-reported has "$T/out" "filesystem loop"
check follow-loop-valid valid "$T/out"
mkdir -p "$T/real"; printf 'London.' > "$T/real/g.txt"; mkdir -p "$T/sl"; ln -s "$T/real" "$T/sl/r"
run "$T/sl"; check symlink-dir-not-followed count_is "$T/out" 0
run --follow "$T/sl"; check symlink-dir-followed has "$T/out" '"doc":".*sl/r/g.txt"'
d="$T/deep"; i=0; while [ $i -lt 260 ]; do d="$d/d"; i=$((i + 1)); done
mkdir -p "$d"; printf 'Berlin.' > "$d/x.txt"
run "$T/deep"; check depth-limit-reported has "$T/out" "deeper than 256 levels"
check depth-limit-exit-1 rc_is 1

# -- special files: skipped in walks, streamed when named
mkdir -p "$T/sp"; mkfifo "$T/sp/fifo"; printf 'Rome.' > "$T/sp/r.txt"
run "$T/sp"; check fifo-in-walk-no-hang [ $RC -ne 124 ]
check fifo-in-walk-error has "$T/out" 'not a regular file (FIFO)'
check fifo-in-walk-goes-on has "$T/out" '"doc":".*r.txt"'
mkfifo "$T/named"; (printf 'Angela Merkel met Emmanuel Macron in Berlin.' > "$T/named") &
run "$T/named"; check fifo-named-read rc_is 0
check fifo-named-entities has "$T/out" 'Angela Merkel'
run --max-doc-bytes 1M /dev/zero; check dev-zero-bounded rc_is 1
check dev-zero-error has "$T/out" "larger than --max-doc-bytes"
truncate -s 3G "$T/huge.txt"
$TO "$NERQ" --rules "$RULES" -q "$T/huge.txt" >"$T/out" 2>"$T/err"; RC=$?
check huge-file-not-read has "$T/out" "larger than --max-doc-bytes (268435456 bytes)"
rm -f "$T/huge.txt"
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "Paris " }' > "$T/mid.txt"
run --max-doc-bytes 10K "$T/mid.txt" "$T/same.txt"; check max-doc-bytes-error has "$T/out" "larger than"
check max-doc-bytes-goes-on count_is "$T/out" 2
printf '{"id":"big","text":"%s"}\n{"id":"small","text":"Paris"}\n' "$(cat "$T/mid.txt")" > "$T/long.jsonl"
run --input jsonl --max-doc-bytes 10K "$T/long.jsonl"; check long-line-error has "$T/out" '"doc":".*long.jsonl:1","error":"document larger'
check long-line-next has "$T/out" '"doc":"small"'

# -- names and kinds of file
name=$(printf 'caf\351.txt'); printf 'Tim Cook in Paris.' > "$T/$name"
run "$T/$name"; check latin1-name-valid valid "$T/out"
check latin1-name-replaced has_text "$T/out" "caf�.txt"
check latin1-name-bytes has "$T/out" '"doc_bytes":"[0-9a-f]*636166e92e747874"'
rm -f "$T/$name"
mkdir -p "$T/bin"; printf 'ab\000cd Paris' > "$T/bin/b.dat"; printf 'x' | gzip > "$T/bin/z.txt.gz"
printf 'Paris.' > "$T/bin/ok.txt"
run "$T/bin"; check binary-skipped has "$T/out" 'binary file'
check gzip-skipped has "$T/out" 'compressed file (gzip)'
check binary-others-read has "$T/out" '"doc":".*ok.txt","nerq"'

# -- JSONL: other fields byte for byte; ids; framing
printf '%s\n' '{"id":"a\u0000x","text":"Tim Cook runs Apple.","m":{"x":0.1,"big":123456789012345678901234567890,"s":"\u0000z","e":1E+400}}' \
  '{"id":"a\u0000y","text":"Paris","n":[1,-0.0,true,null]}' > "$T/raw.jsonl"
run --input jsonl "$T/raw.jsonl"; check jsonl-raw rc_is 0
check jsonl-raw-valid valid "$T/out"
check jsonl-real-kept has_text "$T/out" '"x":0.1,'
check jsonl-bigint-kept has_text "$T/out" '"big":123456789012345678901234567890'
check jsonl-nul-meta-kept has_text "$T/out" '"s":"\u0000z"'
check jsonl-huge-real-kept has_text "$T/out" '"e":1E+400'
check jsonl-nul-ids-differ sh -c "grep -qF '\"doc\":\"a\\u0000x\"' '$T/out' && grep -qF '\"doc\":\"a\\u0000y\"' '$T/out'"
check jsonl-array-kept has_text "$T/out" '"n":[1,-0.0,true,null]'
printf '{"key":"k1","body":"Paris","id":"not-the-id"}\n' > "$T/f.jsonl"
run --input jsonl --id-field key --text-field body "$T/f.jsonl"
check id-field has_text "$T/out" '"doc":"k1"'
check id-field-others-meta has_text "$T/out" '"meta":{"id":"not-the-id"}'
printf '\357\273\277{"id":"b1","text":"Paris"}\n{"id":"b2","text":"Rome"}\n' > "$T/bom.jsonl"
run --input jsonl "$T/bom.jsonl"; check jsonl-bom rc_is 0
check jsonl-bom-first has_text "$T/out" '"doc":"b1"'
printf '{"id":"c1","text":"Paris"}\r{"id":"c2","text":"Rome"}\r{"id":"c3","text":"Oslo"}\r' > "$T/cr.jsonl"
run --input jsonl "$T/cr.jsonl"; check jsonl-cr-only count_is "$T/out" 3
check jsonl-cr-only-ok rc_is 0
printf '{"id":"d1","text":"Paris"}\r\n\r\n{"id":"d2","text":"Rome"}' > "$T/crlf.jsonl"
run --input jsonl "$T/crlf.jsonl"; check jsonl-crlf-no-final-newline count_is "$T/out" 2
printf '{"id":"e1","text":"x"} trailing\n{"id":"e2","text":"x",}\n["text"]\n{"id":"e3","text":"\\ud800"}\n' > "$T/badj.jsonl"
run --input jsonl "$T/badj.jsonl"; check jsonl-malformed-errors [ "$(grep -c '"error"' "$T/out")" -eq 4 ]
check jsonl-malformed-valid valid "$T/out"

# -- --pretty with a NUL inside a quote and a mention
printf '{"id":"p","text":"\\u201cWe will \\u0000 build,\\u201d said Tim\\u0000Cook of Apple in Paris."}\n' > "$T/nul.jsonl"
run --pretty --input jsonl "$T/nul.jsonl"; check pretty-nul-exit-0 rc_is 0
check pretty-nul-no-error sh -c "! grep -q '\"error\"' '$T/out'"
check pretty-nul-quote has_text "$T/out" '\u0000 build'

# -- rules directories
mkdir -p "$T/norules"
run --rules "$T/norules" "$A"; check empty-rules-exit-2 rc_is 2
check empty-rules-no-output lines "$T/out" 0
run --rules "$T/nosuchdir" "$A"; check missing-rules-exit-2 rc_is 2
mkdir -p "$T/quotes-here"; cp -R "$RULES"/. "$T/quotes-here/rules"
run --rules "$T/quotes-here/rules" "$A"; check rules-path-with-quotes rc_is 0
check rules-path-with-quotes-entities has "$T/out" '"name":"Jack Ma"'

# -- nerq test: every article (no cap at 4096); --bless refuses to hide
# a failed gold floor unless --force
mkdir -p "$T/tc/articles" "$T/tc/expected"
awk -v d="$T/tc/articles" 'BEGIN { for (i = 0; i < 4100; i++) printf "Paris %d.", i > (d "/a" i ".txt") }'
$TO "$NERQ" test "$T/tc" --rules "$RULES" --bless >/dev/null 2>&1
$TO "$NERQ" test "$T/tc" --rules "$RULES" >"$T/out" 2>&1; RC=$?
check test-all-articles has "$T/out" "^4100 passed, 0 failed"
mkdir -p "$T/tg/articles" "$T/tg/expected" "$T/tg/gold"
printf 'Tim Cook visited Paris.' > "$T/tg/articles/one.txt"
cp tests/data/eval/gold.jsonl "$T/tg/gold/g.jsonl"
printf '{"gold": [{"file": "gold/g.jsonl", "floors": {"strict.ALL.f1": 1.01}}]}\n' > "$T/tg/gold.json"
$TO "$NERQ" test "$T/tg" --rules "$RULES" --bless >"$T/out" 2>&1; RC=$?
check bless-refused-exit-1 rc_is 1
check bless-refused-says has "$T/out" "nothing blessed"
check bless-refused-nothing-written test ! -e "$T/tg/expected/one.json"
$TO "$NERQ" test "$T/tg" --rules "$RULES" --bless --force >"$T/out" 2>&1
check bless-force-writes test -s "$T/tg/expected/one.json"

# -- a rule whose regex fails to compile: exit 2, and nothing leaks
if command -v valgrind >/dev/null 2>&1 && [ "$NERQ" = ./nerq ]; then
  mkdir -p "$T/badre"; cp -R "$RULES"/. "$T/badre/"
  printf 'bad.re PERSON 10 : [/ab/ /(/]\n' > "$T/badre/zz.rules"
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 \
    "$NERQ" --rules "$T/badre" /dev/null >/dev/null 2>"$T/err"; RC=$?
  check bad-regex-exit-2-no-leak rc_is 2
  check bad-regex-located has "$T/err" "zz.rules:1:.*bad regex"
fi

# -- runaway rules: named when loaded (file:line:col, the line, a caret)
# and, once per document and once per run, when they run out of budget
mkdir -p "$T/runaway"; cp -R "$RULES"/. "$T/runaway/"
printf '%s\n' '$maybe = [Lower]?' 'bad.loop PERSON 10 : "Mr" $maybe* [Cap]' 'bad.empty PERSON 10 : [Cap]*' \
  'bad.re PERSON 10 : [/^(a|aa)+$/]' > "$T/runaway/zz.rules"
printf 'Mr Smith said aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab to Paris.' > "$T/ra.txt"
$TO "$NERQ" --rules "$T/runaway" "$T/ra.txt" "$T/ra.txt" >"$T/out" 2>"$T/err"; RC=$?
check runaway-output-still-made rc_is 0
check runaway-records count_is "$T/out" 2
check runaway-load-loop has "$T/err" 'zz.rules:2:33: warning: runaway rule: the part before this \* or + can match no token'
check runaway-load-loop-line has_text "$T/err" 'bad.loop PERSON 10 : "Mr" $maybe* [Cap]'
check runaway-load-loop-caret has "$T/err" '^                                ^$'
check runaway-load-empty has "$T/err" 'zz.rules:3:23: warning: runaway rule: the pattern can match no token'
check runaway-load-ok-rules-quiet [ "$(grep -c 'warning: runaway rule:' "$T/err")" -eq 2 ]
check runaway-doc-warning has_text "$T/out" '"runaway rule bad.re@zz.rules:4: ran out of its match budget at 1 token'
check runaway-doc-warning-loop has_text "$T/out" '"runaway rule bad.loop@zz.rules:2: ran out of its match budget at 1 token'
check runaway-entities-kept has_text "$T/out" '"name":"Paris"'
check runaway-run-summary has "$T/err" 'warning: runaway rule bad.re@zz.rules:4 ran out of its match budget in 2 documents'
$TO "$NERQ" --rules "$T/runaway" -q "$T/ra.txt" >"$T/out" 2>"$T/err"
check runaway-quiet sh -c "! test -s '$T/err'"
# a rule skipped where the document lacks a word it needs (pattern_words.c)
# is still named when its attempts can run out of budget (issue 11)
mkdir -p "$T/runneed"; cp -R "$RULES"/. "$T/runneed/"
printf '%s\n' 'bad.need PERSON 10 : "Mr" ( [Lower] | [Lower] )* "said"' > "$T/runneed/zz.rules"
printf 'Mr one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty went to Paris.' > "$T/rn.txt"
$TO "$NERQ" --rules "$T/runneed" -q "$T/rn.txt" >"$T/out" 2>"$T/err"; RC=$?
check runaway-needed-word-rc rc_is 0
check runaway-needed-word-named has_text "$T/out" '"runaway rule bad.need@zz.rules:1: ran out of its match budget at 1 token'
$TO "$NERQ" --rules "$RULES" -j 1 corpus/articles >"$T/out" 2>"$T/err"
check runaway-none-in-project-rules sh -c "! grep -q runaway '$T/err' '$T/out'"

# -- memory: 5 MB of '"' (1 GB once) keeps to a bound, with a warning;
# a record lists at most 100 warnings (300,000 unclosed quotes)
head -c 5000000 /dev/zero | tr '\0' '"' > "$T/marks.txt"
if [ "$NERQ" = ./nerq ]; then # a memory limit is no use under ASan
  (ulimit -v 700000; $TO "$NERQ" --rules "$RULES" -q -j 1 "$T/marks.txt" >"$T/out" 2>"$T/err"); RC=$?
else
  $TO "$NERQ" --rules "$RULES" -q -j 1 "$T/marks.txt" >"$T/out" 2>"$T/err"; RC=$?
fi
check quote-marks-bounded rc_is 0
check quote-marks-record has_text "$T/out" '"quotes":[]'
check quote-marks-warning has_text "$T/out" '"too many quote marks: the 157250 candidate quotes'
rm -f "$T/marks.txt"
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "\"x\n\ny\n\n" }' > "$T/unclosed.txt"
run -j 1 "$T/unclosed.txt"; check unclosed-quotes rc_is 0
check unclosed-quotes-100-warnings [ "$(grep -o 'unbalanced quote mark' "$T/out" | wc -l)" -eq 100 ]
check unclosed-quotes-more has_text "$T/out" 'more warnings not listed (at most 100 a document)"'

# -- time: resolution is linear (50,000 names sharing a first word took
# minutes when each was compared with all the others)
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "JOHN SMITH%d said. ", i }' > "$T/names.txt"
timeout 30 "$NERQ" --rules "$RULES" -q -j 1 "$T/names.txt" >"$T/out" 2>"$T/err"; RC=$?
check many-names-linear rc_is 0
check many-names-record valid "$T/out"

# -- reported speech: one sentence of 40,000 cues is linear (it took a
# minute when each candidate counted the words of its sentence), and a
# document holds at most 1,000 + one per 32 bytes candidates, with a warning
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "Ann Lee said that the ferry would run , Bo Chan said , and " }' > "$T/cues.txt"
$TO "$NERQ" --rules "$RULES" -q -j 1 "$T/cues.txt" >"$T/out" 2>"$T/err"; RC=$?
check reported-cues-linear rc_is 0
check reported-cues-record valid "$T/out"
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "Ann Lee said that it ran , " }' > "$T/cues.txt"
run -j 1 "$T/cues.txt"; check reported-cues-bounded rc_is 0
check reported-cues-warning has_text "$T/out" '"too many reported-speech cues: the 17875 candidates a document of this size may hold are read, the text after offset 241324 is not"'
rm -f "$T/cues.txt"

# -- summary on stderr, -q silences it
$TO "$NERQ" --rules "$RULES" "$T/walk/d 1.txt" "$T/missing" >"$T/out" 2>"$T/err"
check summary has "$T/err" "2 documents read, 1 succeeded, 1 failed, [0-9]* warning"
$TO "$NERQ" --rules "$RULES" -q "$T/walk/d 1.txt" >"$T/out" 2>"$T/err"
check quiet-no-summary sh -c "! grep -q 'documents\\? read' '$T/err'"

summary
