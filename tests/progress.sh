#!/bin/sh
# tests/progress.sh - the progress report on stderr: a line on a terminal
# (a pseudo-terminal made by script(1)), with documents, MB, MB/s and an
# ETA when the input size is known; none with -q, none when stderr is no
# terminal unless --progress asks; --progress=json lines; stdout unchanged.
# Ends with "N passed, N failed".
. tests/lib.sh
ART=corpus/articles
N=$(find "$ART" -type f | wc -l | tr -d ' ')
"$NERQ" --rules "$RULES" "$ART" >"$T/plain" 2>"$T/plain.err"
# (the end-of-run summary, "N documents read, ...", is another matter)
check no-terminal-no-progress sh -c "! grep -q 'docs, \\|progress' '$T/plain.err' && ! tr '\\r' '\\n' <'$T/plain.err' | grep -q 'docs, '"
check no-terminal-summary-only sh -c "[ \$(wc -l <'$T/plain.err') -eq 1 ] && grep -q 'documents read' '$T/plain.err'"

# on a pseudo-terminal: stderr is the terminal, stdout a file
pty() { script -qec "$1" /dev/null </dev/null >"$T/tty" 2>&1; tr '\r' '\n' <"$T/tty" >"$T/lines"; }
pty "'$NERQ' --rules '$RULES' --progress-interval 0 '$ART' >'$T/out1'"
check tty-line has "$T/lines" "^nerq: [0-9]* docs, [0-9.]* MB, [0-9.]* MB/s"
check tty-eta has "$T/lines" "% ETA [0-9]*:[0-9][0-9]"
check tty-rewrites-in-place sh -c "[ \$(grep -c 'docs' '$T/lines') -gt 2 ]"
check tty-final-count has "$T/lines" "^nerq: $N docs"
check tty-same-stdout cmp -s "$T/plain" "$T/out1"
pty "'$NERQ' --rules '$RULES' '$ART' >'$T/out2'"
check tty-default-interval-final-line has "$T/lines" "^nerq: $N docs"
pty "'$NERQ' --rules '$RULES' -q '$ART' >'$T/out3'"
check tty-quiet sh -c "[ ! -s '$T/tty' ]"
check quiet-same-stdout cmp -s "$T/plain" "$T/out3"
pty "cat '$ART/alibaba-london.txt' | '$NERQ' --rules '$RULES' >'$T/out4'"
check tty-pipe-line has "$T/lines" "^nerq: 1 docs"
check tty-pipe-no-eta sh -c "! grep -q ETA '$T/lines'"

# asked for when stderr is a file
"$NERQ" --rules "$RULES" --progress "$ART" >"$T/out5" 2>"$T/err5"
check forced-line has "$T/err5" "nerq: $N docs"
check forced-same-stdout cmp -s "$T/plain" "$T/out5"
"$NERQ" --rules "$RULES" --progress=json --progress-interval 0 "$ART" >"$T/out6" 2>"$T/all6"
grep -v 'documents read' "$T/all6" >"$T/err6"
check json-then-summary sh -c "tail -n 1 '$T/all6' | grep -q 'documents read'"
check json-every-line sh -c "! grep -qv '^{\"progress\":\"nerq\",\"docs\":[0-9]*,\"bytes\":[0-9]*,\"total_bytes\":[0-9]*,\"seconds\":[0-9.]*,\"mb_per_s\":[0-9.]*,\"eta_seconds\":\([0-9.]*\|null\),\"done\":\(true\|false\)}$' '$T/err6'"
check json-several sh -c "[ \$(wc -l <'$T/err6') -gt 2 ]"
check json-last-done sh -c "tail -n 1 '$T/err6' | grep -q '\"docs\":$N,.*\"done\":true'"
check json-one-done sh -c "[ \$(grep -c '\"done\":true' '$T/err6') -eq 1 ]"
check json-same-stdout cmp -s "$T/plain" "$T/out6"
"$NERQ" --rules "$RULES" --progress=json -q "$ART" >/dev/null 2>"$T/err7"
check json-quiet-wins sh -c "[ ! -s '$T/err7' ]"
"$NERQ" --rules "$RULES" --progress=json "$ART" 2>&1 >/dev/null | grep -v 'documents read' >"$T/err7"
check json-default-interval-last-only sh -c "[ \$(wc -l <'$T/err7') -ge 1 ] && tail -n 1 '$T/err7' | grep -q '\"done\":true'"
"$NERQ" --rules "$RULES" --progress-interval -1 "$ART" >/dev/null 2>&1; RC=$?
check bad-interval-usage rc_is 2
summary
