#!/bin/sh
# tests/install.sh - `make install` into a temporary prefix, then a small
# program (tests/install/demo.c) built against it with
# `pkg-config --cflags --libs libnerq`, linked to the shared library and
# to the static one, run on the founding article; a staged DESTDIR
# install; the installed command finds its installed rules.
# Ends with "N passed, N failed".
. tests/lib.sh
CC=${CC:-cc}
P="$T/prefix"
V=$(sed -n 's/^#define NERQ_VERSION "\(.*\)"/\1/p' include/nerq.h)
MAKE=${MAKE:-make}
$MAKE --no-print-directory install PREFIX="$P" >"$T/make.log" 2>&1; RC=$?
check install-runs rc_is 0
[ "$RC" -eq 0 ] || tail -n 20 "$T/make.log"
check so-version test -f "$P/lib/libnerq.so.$V"
check so-soname-link sh -c "[ \"\$(readlink '$P/lib/libnerq.so.${V%%.*}')\" = libnerq.so.$V ]"
check so-dev-link sh -c "[ \"\$(readlink '$P/lib/libnerq.so')\" = libnerq.so.${V%%.*} ]"
check so-soname sh -c "readelf -d '$P/lib/libnerq.so.$V' | grep -q 'SONAME.*\[libnerq.so.${V%%.*}\]'"
check so-exports-api-only sh -c "nm -D --defined-only '$P/lib/libnerq.so' | grep -q ' T nerq_doc_process$' && ! nm -D --defined-only '$P/lib/libnerq.so' | grep -q ' nerq_arena_new$'"
check static-lib test -f "$P/lib/libnerq.a"
check header test -f "$P/include/nerq.h"
check "eval header" test -f "$P/include/nerq_eval.h"
check pc-file test -f "$P/lib/pkgconfig/libnerq.pc"
check rules test -f "$P/share/nerq/rules/entities.rules"

export PKG_CONFIG_PATH="$P/lib/pkgconfig"
check pc-version sh -c "[ \"\$(pkg-config --modversion libnerq)\" = $V ]"
check pc-cflags sh -c "pkg-config --cflags libnerq | grep -qF -- '-I$P/include'"
ART=corpus/articles/alibaba-london.txt
# shellcheck disable=SC2046
$CC $CFLAGS -o "$T/demo" tests/install/demo.c $(pkg-config --cflags --libs libnerq) \
  $LDFLAGS -Wl,-rpath,"$P/lib" 2>"$T/cc.log"; RC=$?
check build-shared rc_is 0
[ "$RC" -eq 0 ] || cat "$T/cc.log"
check demo-uses-so sh -c "ldd '$T/demo' | grep -q '$P/lib/libnerq.so.${V%%.*}'"
"$T/demo" "$P/share/nerq/rules" "$ART" >"$T/out" 2>&1; RC=$?
check demo-runs rc_is 0
check demo-quote-1 has "$T/out" '^q1 speaker=Yeming Wang cue=said$'
check demo-quote-2 has "$T/out" '^q2 speaker=Jack Ma cue=said$'
check demo-entity has "$T/out" '^e[0-9]* ORG [^ ]* Alibaba$'

STATIC_LIBS=$(pkg-config --static --libs libnerq | sed 's/-lnerq/-Wl,-Bstatic -lnerq -Wl,-Bdynamic/')
# shellcheck disable=SC2086
$CC $CFLAGS -o "$T/demo-static" tests/install/demo.c $(pkg-config --cflags libnerq) \
  $STATIC_LIBS $LDFLAGS 2>"$T/cc.log"; RC=$?
check build-static rc_is 0
[ "$RC" -eq 0 ] || cat "$T/cc.log"
check static-no-so sh -c "! ldd '$T/demo-static' | grep -q libnerq"
"$T/demo-static" "$P/share/nerq/rules" "$ART" >"$T/out2" 2>&1
check static-same-output cmp -s "$T/out" "$T/out2"

# the installed command finds the installed rules and gives the same record
"$NERQ" --rules rules "$PWD/$ART" >"$T/want" 2>/dev/null
(cd "$T" && NERQ_RULES= "$P/bin/nerq" "$OLDPWD/$ART") >"$T/got" 2>/dev/null
check installed-nerq-same-record cmp -s "$T/want" "$T/got"

# a staged install keeps the final prefix in libnerq.pc
$MAKE --no-print-directory install DESTDIR="$T/stage" PREFIX=/opt/nerq >"$T/make.log" 2>&1; RC=$?
check destdir-install rc_is 0
check destdir-layout test -L "$T/stage/opt/nerq/lib/libnerq.so.${V%%.*}"
check destdir-pc-prefix has "$T/stage/opt/nerq/lib/pkgconfig/libnerq.pc" '^prefix=/opt/nerq$'
# a Makefile variable set twice takes its last value in every recipe (the
# test packages once went missing on a fresh machine that way)
check makefile-vars-set-once sh -c "[ -z \"\$(grep -E '^[A-Za-z_]+ *[:?]?=' Makefile | sed 's/ *[:?]*=.*//' | sort | uniq -d)\" ]"
summary
