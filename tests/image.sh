#!/bin/sh
# tests/image.sh - compiled rule images (nerq compile, src/image.c):
# an image gives the same bytes as the text rules; a changed rule file is
# noticed (the image is rebuilt, or refused when named directly); a
# damaged, truncated or foreign file is refused with a message, never a
# crash. Ends with "N passed, N failed".
. tests/lib.sh

# Two copies of the rules: one read as text, one compiled.
mkdir "$T/text" "$T/img"
cp -R "$RULES"/. "$T/text/" && rm -f "$T/text/rules.nqi"
cp -R "$RULES"/. "$T/img/" && rm -f "$T/img/rules.nqi"
"$NERQ" compile --rules "$T/img" 2>"$T/err"; RC=$?
check "compile exits 0" rc_is 0
check "compile writes DIR/rules.nqi" test -s "$T/img/rules.nqi"
check "compile leaves no temporary file" sh -c "! ls '$T/img' | grep -q tmp"

run() { # run RULES OUT: the corpus articles and the quote key, -j 1
  "$NERQ" -q -j 1 --rules "$1" corpus/articles/*.txt > "$2" 2>"$2.err" &&
  "$NERQ" -q -j 1 --rules "$1" --input jsonl corpus/gold/quotes_key.jsonl >> "$2" 2>>"$2.err"
}
run "$T/text" "$T/a.out"; run "$T/img" "$T/b.out"
check "image output is byte-identical to text rules" cmp -s "$T/a.out" "$T/b.out"
check "image run writes nothing to stderr" test ! -s "$T/b.out.err"
run "$T/img/rules.nqi" "$T/c.out"
check "an image named directly gives the same bytes" cmp -s "$T/a.out" "$T/c.out"
check "nerq test passes on the compiled rules" sh -c "'$NERQ' test corpus --rules '$T/img' >/dev/null 2>&1"

# A file touched but not changed: the image is still used, not rewritten.
cp -p "$T/img/rules.nqi" "$T/keep.nqi"
touch "$T/img/lists/titles.txt"
run "$T/img" "$T/d.out"
check "touched rule file: same bytes" cmp -s "$T/a.out" "$T/d.out"
check "touched rule file: image not rewritten" cmp -s "$T/keep.nqi" "$T/img/rules.nqi"

# A changed rule file: the rules are read as text and the image rebuilt.
printf 'Zyxwvut Qrstuv\tPERSON\tperson:zyxwvut-qrstuv\n' >> "$T/img/gazetteer/places_handwritten.tsv"
printf 'Zyxwvut Qrstuv\tPERSON\tperson:zyxwvut-qrstuv\n' >> "$T/text/gazetteer/places_handwritten.tsv"
echo 'Zyxwvut Qrstuv said the plan would work.' > "$T/doc.txt"
"$NERQ" -q --rules "$T/text" "$T/doc.txt" > "$T/e1.out" 2>&1
"$NERQ" -q --rules "$T/img" "$T/doc.txt" > "$T/e2.out" 2>"$T/e2.err"; RC=$?
check "edited rules: exits 0" rc_is 0
check "edited rules: the edit is seen" has "$T/e2.out" "person:zyxwvut-qrstuv"
check "edited rules: same bytes as text" cmp -s "$T/e1.out" "$T/e2.out"
check "edited rules: image rebuilt" sh -c "! cmp -s '$T/keep.nqi' '$T/img/rules.nqi'"
"$NERQ" -q --rules "$T/img" "$T/doc.txt" > "$T/e3.out" 2>&1
check "rebuilt image: same bytes" cmp -s "$T/e1.out" "$T/e3.out"

# Named directly, an out-of-date image is refused.
printf '# a comment\n' >> "$T/img/lists/titles.txt"
"$NERQ" -q --rules "$T/img/rules.nqi" "$T/doc.txt" > /dev/null 2>"$T/f.err"; RC=$?
check "stale image named directly: exit 2" rc_is 2
check "stale image named directly: says which file" has "$T/f.err" "out of date: lists/titles.txt changed"
"$NERQ" compile --rules "$T/img" && "$NERQ" -q --rules "$T/img/rules.nqi" "$T/doc.txt" > "$T/g.out" 2>&1
check "after nerq compile it loads again" has "$T/g.out" "person:zyxwvut-qrstuv"

# Damaged images: refused with a message, never a crash.
refused() { # refused NAME FILE MESSAGE
  "$NERQ" -q --rules "$2" "$T/doc.txt" > /dev/null 2>"$T/r.err"; RC=$?
  check "$1: exit 2" rc_is 2
  check "$1: says why" has "$T/r.err" "$3"
}
img="$T/img/rules.nqi"
size=$(wc -c < "$img")
head -c $((size / 2)) "$img" > "$T/half.nqi"
refused "truncated image" "$T/half.nqi" "truncated"
head -c 100 "$img" > "$T/short.nqi"
refused "image cut in its header" "$T/short.nqi" "truncated"
printf 'not an image at all\n' > "$T/junk.nqi"
refused "not an image" "$T/junk.nqi" "not a nerq rule image"
: > "$T/empty.nqi"
refused "empty file" "$T/empty.nqi" "cannot be mapped"
cp "$img" "$T/flip.nqi"
printf 'X' | dd of="$T/flip.nqi" bs=1 seek=300 conv=notrunc 2>/dev/null
refused "a byte changed in the file table" "$T/flip.nqi" "damaged (checksum)"
cp "$img" "$T/size.nqi"; printf 'extra' >> "$T/size.nqi"
refused "bytes appended" "$T/size.nqi" "longer than its header says"
# The lexicon's header (after the file table) damaged: refused by its checks.
lexoff=$(od -An -t u8 -j 88 -N 8 "$img" | tr -d ' ')
cp "$img" "$T/lex.nqi"
printf '\377\377\377\377' | dd of="$T/lex.nqi" bs=1 seek=$((lexoff + 8)) conv=notrunc 2>/dev/null
refused "lexicon table size damaged" "$T/lex.nqi" "bad table size"
# Bulk tables damaged: no crash (what is read is checked), any output.
cp "$img" "$T/bulk.nqi"
head -c 65536 /dev/urandom | dd of="$T/bulk.nqi" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
"$NERQ" -q --rules "$T/bulk.nqi" corpus/articles/*.txt > /dev/null 2>&1; RC=$?
check "damaged bulk tables: no crash" test "$RC" -lt 128

# In a rules directory, a damaged image is refused, not silently used.
cp "$T/half.nqi" "$T/img/rules.nqi"
"$NERQ" -q --rules "$T/img" "$T/doc.txt" > /dev/null 2>"$T/h.err"; RC=$?
check "damaged DIR/rules.nqi: exit 2" rc_is 2
check "damaged DIR/rules.nqi: names it" has "$T/h.err" "rules.nqi: truncated"

# Another nerq version's image in the directory: read as text, rebuilt.
"$NERQ" compile --rules "$T/img"
printf '9.9.9\000' | dd of="$T/img/rules.nqi" bs=1 seek=16 conv=notrunc 2>/dev/null
"$NERQ" -q --rules "$T/img" "$T/doc.txt" > "$T/v.out" 2>&1; RC=$?
check "other version: exit 0" rc_is 0
check "other version: right output" has "$T/v.out" "person:zyxwvut-qrstuv"
check "other version: image rebuilt" sh -c "od -An -c -j 16 -N 5 '$T/img/rules.nqi' | grep -q '0   .   1'"
"$NERQ" -q --rules "$T/img/rules.nqi" "$T/doc.txt" > /dev/null 2>&1; RC=$?
check "rebuilt image loads when named" rc_is 0

# An image made with another PCRE2 version (its regexes are compiled
# again on first use: one that no longer compiled would match nothing)
# is out of date: read as text and rebuilt; named, it is refused.
check "pcre2 field: header end" sh -c "od -An -c -j 128 -N 3 '$T/img/rules.nqi' | grep -q '1   0   .'"
printf '9.99 2099-01-01\000' | dd of="$T/img/rules.nqi" bs=1 seek=128 conv=notrunc 2>/dev/null
cp "$T/img/rules.nqi" "$T/pcre.nqi"
"$NERQ" -q --rules "$T/pcre.nqi" "$T/doc.txt" > /dev/null 2>"$T/p.err"; RC=$?
check "other PCRE2, named: refused" test "$RC" -ne 0
check "other PCRE2, named: says why" has "$T/p.err" "another version of PCRE2"
"$NERQ" -q --rules "$T/img" "$T/doc.txt" > "$T/p.out" 2>&1; RC=$?
check "other PCRE2: exit 0" rc_is 0
check "other PCRE2: right output" has "$T/p.out" "person:zyxwvut-qrstuv"
check "other PCRE2: image rebuilt" sh -c "! od -An -c -j 128 -N 4 '$T/img/rules.nqi' | grep -q '9   .   9   9'"

# An image made by another build of the same version (other code, whose
# lexicon bits may differ: mapping it crashed) is rebuilt, never mapped.
VER=$(sed -n 's/^#define NERQ_VERSION "\(.*\)"/\1/p' include/nerq.h)
"$NERQ" compile --rules "$T/img"
printf '%s+zzzzzzzz\000' "$VER" | dd of="$T/img/rules.nqi" bs=1 seek=16 conv=notrunc 2>/dev/null
"$NERQ" -q --rules "$T/img" "$T/doc.txt" > "$T/w.out" 2>&1; RC=$?
check "other build: exit 0" rc_is 0
check "other build: right output" has "$T/w.out" "person:zyxwvut-qrstuv"
check "other build: image rebuilt" sh -c "! od -An -c -j 16 -N 16 '$T/img/rules.nqi' | grep -q 'z   z'"

# Several processes starting at once on a stale image: each gets the same
# output, and the image left behind is whole (temporary file and rename).
touch "$T/img/entities.rules" && printf '\n' >> "$T/img/entities.rules"
for i in 1 2 3 4; do "$NERQ" -q -j 1 --rules "$T/img" corpus/articles/*.txt > "$T/p$i.out" 2>&1 & done; wait
"$NERQ" -q -j 1 --rules "$T/img" corpus/articles/*.txt > "$T/p0.out" 2>&1
check "parallel starts: same output" sh -c "for i in 1 2 3 4; do cmp -s '$T/p0.out' '$T/p'\$i.out || exit 1; done"
"$NERQ" -q --rules "$T/img/rules.nqi" "$T/doc.txt" > /dev/null 2>&1; RC=$?
check "parallel starts: the image is whole and current" rc_is 0
check "parallel starts: no temporary file left" sh -c "! ls '$T/img' | grep -q tmp"

# `make` builds rules/rules.nqi (image by default): it is current, so
# naming it directly (which refuses a stale image) works.
if [ "$RULES" = rules ]; then
  check "make built rules/rules.nqi" test -s rules/rules.nqi
  "$NERQ" -q --rules rules/rules.nqi "$T/doc.txt" > /dev/null 2>&1; RC=$?
  check "rules/rules.nqi is current" rc_is 0
fi

"$NERQ" compile --rules "$T/nonexistent" 2>"$T/n.err"; RC=$?
check "compile of a missing directory fails" sh -c "[ $RC -ne 0 ]"
"$NERQ" compile --rules "$T/text" -o /nonexistent/dir/x.nqi 2>"$T/o.err"; RC=$?
check "compile to an unwritable path: exit 1" rc_is 1
check "compile to an unwritable path: says why" has "$T/o.err" "x.nqi"
summary
