#!/bin/sh
# tests/browser.sh - the HTML view in a real browser (make browser-test):
# Debian's chromium, headless, loads nerq's --format html page of the
# founding article from file://, and tests/browser_check.py checks the DOM
# it built against nerq's JSON record. With SCREENSHOT=FILE it also saves
# a screenshot of the page. Ends with "N passed, N failed".
. tests/lib.sh
CHROMIUM=${CHROMIUM:-chromium}
PYTHON=${PYTHON:-/usr/bin/python3}
ART=corpus/articles/alibaba-london.txt
browser() { # browser ARGS... URL: a fresh profile each time, no network use
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$T/profile-$$-$1" "$@" 2>>"$T/chromium.log"
}
"$NERQ" --rules "$RULES" --format html "$ART" >"$T/view.html" 2>/dev/null
"$NERQ" --rules "$RULES" "$ART" >"$T/record.json" 2>/dev/null
browser --dump-dom "file://$T/view.html" >"$T/dom.html"  # $T is absolute (mktemp -d)
check chromium-built-dom has "$T/dom.html" '<section class="doc"'
"$PYTHON" tests/browser_check.py "$T/dom.html" "$T/record.json" >"$T/check.log" 2>&1; RC=$?
cat "$T/check.log"
p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$T/check.log")
f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$T/check.log")
pass=$((pass + ${p:-0})); fail=$((fail + ${f:-1}))
[ "$RC" -eq 0 ] || [ "${f:-1}" -gt 0 ] || fail=$((fail + 1))
if [ -n "${SCREENSHOT:-}" ]; then
  browser --screenshot="$T/shot.png" --window-size=1280,1500 --hide-scrollbars "file://$T/view.html"
  check screenshot-taken test -s "$T/shot.png"
  cp "$T/shot.png" "$SCREENSHOT"
fi
summary
