#!/bin/sh
# tests/valgrind.sh - `make valgrind`: memcheck (--error-exitcode=1, with
# definite leaks as errors) over the corpus through every way in: the
# articles with one and two threads, JSONL with --pretty, CoNLL, eval,
# explain and the snapshot tests. Ends with "N passed, N failed".
. tests/lib.sh
command -v valgrind >/dev/null || { echo "make valgrind needs valgrind (apt-get install valgrind)"; exit 1; }
VG="valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite"
vg() { name=$1; shift; $VG "$@" >"$T/out" 2>"$T/err"; RC=$?; [ $RC -eq 0 ] || tail -n 30 "$T/err"; }
vg articles "$NERQ" --rules "$RULES" -q -j 1 corpus/articles; check memcheck-articles rc_is 0
check memcheck-articles-records [ "$(wc -l < "$T/out")" -eq "$(ls corpus/articles | wc -l)" ]
vg threads "$NERQ" --rules "$RULES" -q -j 2 corpus/articles; check memcheck-threads rc_is 0
head -n 20 corpus/gold/gum_dev.jsonl > "$T/g.jsonl"
vg jsonl "$NERQ" --rules "$RULES" -q --pretty --input jsonl "$T/g.jsonl"; check memcheck-jsonl-pretty rc_is 0
vg conll "$NERQ" --rules "$RULES" -q --input conll tests/data/conll/sample.conll; check memcheck-conll rc_is 0
vg eval "$NERQ" eval --rules "$RULES" "$T/g.jsonl"; check memcheck-eval rc_is 0
vg explain "$NERQ" explain --rules "$RULES" corpus/articles/alibaba-london.txt; check memcheck-explain rc_is 0
vg test "$NERQ" test corpus --rules "$RULES"; check memcheck-test-corpus rc_is 0
summary
