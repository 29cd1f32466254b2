#!/bin/sh
# tests/html.sh - HTML pages in (--input html), boilerplate (--boilerplate),
# the HTML view (--format html) and CoNLL out (--format conll). Ends with
# "N passed, N failed". The browser test is tests/browser.sh (make browser-test).
. tests/lib.sh
run() { "$NERQ" --rules "$RULES" "$@" >"$T/out" 2>"$T/err"; RC=$?; }
PAGE=corpus/articles/alibaba-london-page.html
TXT=corpus/articles/alibaba-london.txt
# the direct and partial quotes' texts (reported speech, kind indirect, left out)
quotes() {
  grep -o '"id":"q[0-9]*","text":"[^"]*","start":[0-9]*,"end":[0-9]*,"segments":[][0-9,]*,"kind":"[a-z]*"' "$1" |
    grep -v '"kind":"indirect"' | sed 's/"id":"q[0-9]*",//; s/,"start".*//'
}
speakers() { grep -o '"speaker":{"entity":"e[0-9]*","name":"[^"]*"' "$1" | sed 's/.*"name"://'; }

# -- the founding article as a saved page: the same quotes and speakers
run --input html "$PAGE"; cp "$T/out" "$T/page"
check page-exit-0 rc_is 0
check page-one-record lines "$T/page" 1
run "$TXT"; cp "$T/out" "$T/txt"
quotes "$T/page" > "$T/qp"; quotes "$T/txt" > "$T/qt"
check page-two-quotes lines "$T/qp" 2
check page-same-quotes cmp -s "$T/qp" "$T/qt"
speakers "$T/page" > "$T/sp"; speakers "$T/txt" > "$T/st"
check page-same-speakers cmp -s "$T/sp" "$T/st"
check page-speaker-wang has "$T/sp" '"Yeming Wang"'
check page-speaker-ma has "$T/sp" '"Jack Ma"'
# names that only navigation, scripts, styles, asides, forms, noscript,
# hidden elements and the footer hold
for name in "Harold Pemberton" "Priya Castellano" "Marguerite Osei" "Keir Starmer" "Madrid" \
    "Deutsche Telekom" "Manchester United" "Nairobi" "Siobhan Fairweather" "Dublin" \
    "Kensington" "Elon Musk" "Independent"; do
  check "page-no-$(echo "$name" | tr ' A-Z' '-a-z')" sh -c "! grep -q '$name' '$T/page'"
done
check page-carries-text has "$T/page" '"text":"China’s Alibaba has opened'
check page-paragraph-breaks has "$T/page" 'first time.\\n\\nThe e-commerce'
check page-meta-headline has "$T/page" '"headline":"Chinese tech giant Alibaba expands'
check page-meta-url has "$T/page" '"url":"https://www.independent.co.uk/'
check page-meta-date has "$T/page" '"date":"2018-10-16T09:12:00Z"'
check page-byline-not-in-text sh -c "! grep -q '\"text\":\"[^\"]*Press Association' '$T/page'"
check page-meta-byline has "$T/page" '"byline":"By Press Association'
check page-no-warning has "$T/page" '"warnings":\[\]'

# -- character references, broken markup, no article
run --input html corpus/articles/html-01-news-article.html
check charrefs-decoded has "$T/out" '“Nobody should have to sleep'
check charref-pound has "$T/out" 'stay at £4.50'
run --input html corpus/articles/html-02-div-soup.html
check broken-markup-exit-0 rc_is 0
check broken-markup-warns has "$T/out" '"broken markup: [0-9]* HTML parse error'
check broken-markup-best-reading has "$T/out" 'said festival director Joan Metcalfe'
check div-soup-no-sidebar sh -c "! grep -q 'Alan Crabtree\|Derek Holroyd' '$T/out'"
run --input html corpus/articles/html-03-amp.html
check amp-no-ad sh -c "! grep -q 'Olomouc\|Jana Horakova' '$T/out'"
run --input html corpus/articles/html-04-live-blog.html
check live-blog-all-entries has "$T/out" '14:05.*13:40.*13:10'
check live-blog-no-byline-in-text sh -c "! grep -q '\"text\":\"[^\"]*Aoife Brennan' '$T/out'"
printf '<html><head><script>var who = "Tim Cook";</script></head><body><nav><a>Paris</a></nav></body></html>' > "$T/empty.html"
run --input html "$T/empty.html" "$PAGE"
check no-article-exit-1 rc_is 1
check no-article-error-record has "$T/out" '"error":"no article text in the page'
check no-article-goes-on lines "$T/out" 2
check no-article-no-script-name sh -c "! grep -q 'Tim Cook' '$T/out'"

# -- boilerplate: keep (default) is today's output; flag lists; drop cuts
run "$TXT"; cp "$T/out" "$T/keep"
run --boilerplate keep "$TXT"
check boilerplate-keep-unchanged cmp -s "$T/keep" "$T/out"
check boilerplate-keep-no-array sh -c "! grep -q '\"boilerplate\"' '$T/keep'"
run --boilerplate flag "$TXT"
check boilerplate-flag-appeal has "$T/out" '"boilerplate":\[{"start":156,"end":1089,"text":"Your support helps us'
check boilerplate-flag-comments has "$T/out" '"text":"Join our commenting forum\\n"'
flagged_as_kept() { [ "$(sed 's/,"boilerplate".*/}/' "$T/out")" = "$(cat "$T/keep")" ]; }
check boilerplate-flag-same-record flagged_as_kept
run --boilerplate drop "$TXT"
check boilerplate-drop-text has "$T/out" '"text":"Chinese tech giant'
check boilerplate-drop-no-appeal sh -c "! grep -q 'Elon Musk\|Your support\|commenting forum' '$T/out'"
check boilerplate-drop-joined has "$T/out" 'UK\\nChina’s Alibaba has opened'
quotes "$T/out" > "$T/qd"
check boilerplate-drop-same-quotes cmp -s "$T/qd" "$T/qt"
run --boilerplate maybe "$TXT"; check boilerplate-bad-value rc_is 2
mkdir -p "$T/badrules"; cp -R "$RULES"/. "$T/badrules/"
printf 'x line : (unclosed\n' > "$T/badrules/boilerplate/zz.rules"
"$NERQ" --rules "$T/badrules" "$TXT" >"$T/out" 2>"$T/err"; RC=$?
check boilerplate-rule-error-exit-2 rc_is 2
check boilerplate-rule-error-location has "$T/err" 'zz.rules:1:19: bad regex'

# -- CoNLL out, and back in through nerq eval --input conll
run --format conll "$TXT" corpus/articles/quote-01-harbour-dredging.txt
check conll-exit-0 rc_is 0
check conll-docstarts [ "$(grep -c '^-DOCSTART- O$' "$T/out")" -eq 2 ]
check conll-bio-tags sh -c "grep -q '^Yeming B-PER$' '$T/out' && grep -q '^Wang I-PER$' '$T/out' && grep -q '^Alibaba B-ORG$' '$T/out' && grep -q '^London B-LOC$' '$T/out'"
check conll-two-columns sh -c "! grep -v '^$' '$T/out' | grep -qv '^[^ ]* \(O\|[BI]-\(PER\|ORG\|LOC\)\)$'"
check conll-sentences-blank sh -c "grep -c '^$' '$T/out' | grep -q '^[1-9][0-9]'"
run --format conll "$TXT"; cp "$T/out" "$T/a.conll"
ments=$(grep -c ' B-' "$T/a.conll")
nmen=$(grep -o '"mentions":\[[^]]*\]' "$T/txt" | grep -o '"start"' | wc -l | tr -d ' ')
check conll-one-B-per-mention [ "$ments" -eq "$nmen" ]
"$NERQ" eval --input conll "$T/a.conll" --json --rules "$RULES" >"$T/out" 2>"$T/err"; RC=$?
check conll-roundtrip-exit-0 rc_is 0
counts=$(tr -d ' \n' < "$T/out" | grep -o '"strict":{[^}]*"ALL":{"tp":[0-9]*,"fp":[0-9]*,"fn":[0-9]*' | sed 's/.*"ALL"://')
[ -n "$counts" ] || counts=$(tr -d ' \n' < "$T/out" | grep -o '"ALL":{"tp":[0-9]*,"fp":[0-9]*,"fn":[0-9]*' | head -n 1 | sed 's/.*"ALL"://')
check conll-roundtrip-exact [ "$counts" = "{\"tp\":$nmen,\"fp\":0,\"fn\":0" ]

# -- the HTML view: one self-contained page, attributes, escaping
run --format html "$TXT" corpus/articles/quote-01-harbour-dredging.txt
cp "$T/out" "$T/view.html"
check view-exit-0 rc_is 0
check view-doctype sh -c "head -n 1 '$T/view.html' | grep -q '^<!DOCTYPE html>'"
check view-one-page [ "$(grep -c '</html>' "$T/view.html")" -eq 1 ]
check view-two-sections [ "$(grep -c '<section class="doc"' "$T/view.html")" -eq 2 ]
run --format html "$TXT"; cp "$T/out" "$T/view.html"
run --format html --input html "$PAGE"; cp "$T/out" "$T/viewpage.html"
for v in view viewpage; do
  check "$v-no-outside" sh -c "! grep -qi '<script\|<link\|src=\|url(\|@import\|href=\"http' '$T/$v.html'"
done
nde=$(grep -o 'data-entity="e[0-9]*"' "$T/view.html" | wc -l | tr -d ' ')
check view-one-data-entity-per-mention [ "$nde" -eq "$nmen" ]
npage=$(grep -o '"mentions":\[[^]]*\]' "$T/page" | grep -o '"start"' | wc -l | tr -d ' ')
nde=$(grep -o 'data-entity="e[0-9]*"' "$T/viewpage.html" | wc -l | tr -d ' ')
check viewpage-one-data-entity-per-mention [ "$nde" -eq "$npage" ]
check viewpage-headline has "$T/viewpage.html" '<h2>Chinese tech giant Alibaba expands into UK by opening London data centres</h2>'
check view-data-type has "$T/view.html" '<mark class="m" data-entity="e[0-9]*" data-type="PERSON"'
check view-quote-speaker has "$T/view.html" 'data-quote="q1" data-speaker="Yeming Wang"'
check view-quote-focus has "$T/view.html" 'data-speaker="Jack Ma" data-evidence="[^"]*how: pronoun[^"]*" tabindex="0"'
check view-speaker-link has "$T/view.html" '<a class="speaker" href="#d-corpus-articles-alibaba-london-txt-m[0-9]*">— Yeming Wang</a>'
check view-panel-speakers has "$T/view.html" '<li data-panel-speaker="Jack Ma">Jack Ma: 2</li>'
check view-indirect-quote has "$T/view.html" 'data-speaker="Jack Ma" data-evidence="q[0-9]* indirect, speaker: Jack Ma'
check view-panel-keys has "$T/view.html" '<code>person:yeming-wang</code>'
printf 'Tim Cook said: “<script>alert(1)</script> & <b>bold</b> \047x\047.”\n' > "$T/esc.txt"
run --format html "$T/esc.txt"
check view-escaped sh -c "! grep -q '<script>alert\|<b>bold' '$T/out' && grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;' '$T/out'"
run --format html --input html "$T/empty.html"
check view-error-section has "$T/out" '<p class="error">error: no article text'

# -- nerq eval --html: false positives and negatives drawn as the view
# draws mentions, with the same counts as the report
"$NERQ" eval tests/data/eval/gold.jsonl --pred tests/data/eval/pred.jsonl --html "$T/ev.html" >"$T/out" 2>"$T/err"; RC=$?
check eval-html-exit-0 rc_is 0
check eval-html-page sh -c "head -n 1 '$T/ev.html' | grep -q '^<!DOCTYPE html>' && grep -q '</html>' '$T/ev.html'"
check eval-html-three-docs [ "$(grep -c '<section class="doc"' "$T/ev.html")" -eq 3 ]
sum() { grep -o "data-count=\"$1\">[^:]*\(</mark>\)\?: [0-9]*" "$T/ev.html" | awk '{ s += $NF } END { print s + 0 }'; }
check eval-html-counts-as-report has "$T/out" "^strict   ALL *$(sum tp) *$(sum fp) *$(sum fn) "
check eval-html-fp-mark has "$T/ev.html" '<mark class="m fp" data-entity="e2" data-type="PERSON" title="false positive PERSON[^"]*">Hale</mark>'
check eval-html-fn-mark has "$T/ev.html" '<mark class="m fn" data-entity="gold" data-type="ORG" title="false negative (missed) ORG">Acme Corp</mark>'
check eval-html-no-outside sh -c "! grep -qi '<script\|<link\|src=\|href=\"http' '$T/ev.html'"
summary
