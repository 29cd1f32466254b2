#!/usr/bin/env python3
"""Turns the hand-written answer key corpus/QUOTES.md into a gold file
for `nerq eval` / `nerq test` floors: corpus/gold/quotes_key.jsonl.

    python3 tools/quotes_key_to_gold.py > corpus/gold/quotes_key.jsonl

Each row of the key that is a quote (direct or partial) becomes one gold
quote per segment, found in the article text from the row's first and
last words: a segment runs from its opening mark to its closing mark or
the end of its paragraph, and the next segment opens at the next mark.
The speaker is the key's speaker (absent when the key says null). The
lines have no "entities" key, so `nerq eval` scores only quotes and
speakers on them. Rows of kind not-a-quote add nothing: a quote nerq
reports there is a false positive. A developer tool; its output is
committed."""
import json, re, sys

OPEN = "“\"«‘'„"
CLOSE = "”\"»’'“"

def rows(key):
    for line in open(key, encoding="utf-8"):
        if line.startswith("| quote-"):
            c = [x.strip() for x in line.strip().strip("|").split("|")]
            yield dict(file=c[0], first=c[1], last=c[2], speaker=c[3], how=c[4], kind=c[5])

def find_words(text, words, start=0):
    """Offset of the words (white space flexible) at or after start."""
    pat = r"\s+".join(re.escape(w) for w in words.split())
    m = re.compile(pat).search(text, start)
    return (m.start(), m.end()) if m else (None, None)

def closing(text, i):
    """True if the mark at i closes a quote (not an apostrophe in a word)."""
    c = text[i]
    if c in "’'":
        nxt = text[i + 1] if i + 1 < len(text) else " "
        return not nxt.isalnum()
    return c in CLOSE

def segments(text, a, z):
    """Content segments from offset a (first word) to z (after last word)."""
    segs, s, i = [], a, a
    while i < z:
        if text[i] == "\n":
            segs.append((s, i))
            while i < z and text[i] not in OPEN:
                i += 1
            s = i + 1
        elif text[i] in CLOSE and closing(text, i) and text[i] != "“":
            if text[i:i + 3] == "'''":
                i += 1  # ''' closes a nested single quote, then the '' quote
            if i > s:
                segs.append((s, i))
            j = i + 1
            if text[i] == "'" and text[j:j + 1] == "'":
                j += 1  # '' is one mark (New York Times style)
            while j < z and (text[j] not in OPEN or (text[j] == "'" and text[j - 1].isalnum())):
                j += 1  # an apostrophe in a word (union's) opens nothing
            if j >= z:
                return segs
            s = i = j + 1
            continue
        i += 1
    segs.append((s, z))
    return [(x, y) for x, y in segs if y > x]

def main():
    docs = {}
    for r in rows("corpus/QUOTES.md"):
        if r["kind"] == "not-a-quote":
            docs.setdefault(r["file"], [])
            continue
        text = open("corpus/articles/" + r["file"], encoding="utf-8").read()
        a, _ = find_words(text, r["first"])
        _, z = find_words(text, r["last"], a or 0)
        if a is None or z is None:
            sys.exit(f"{r['file']}: cannot find {r['first']!r} .. {r['last']!r}")
        for s, e in segments(text, a, z):
            q = {"start": len(text[:s]), "end": len(text[:e])}
            if r["speaker"] != "null":
                q["speaker"] = r["speaker"]
            docs.setdefault(r["file"], []).append(q)
    for f in sorted(docs):
        text = open("corpus/articles/" + f, encoding="utf-8").read()
        print(json.dumps({"id": f, "text": text, "quotes": docs[f]}, ensure_ascii=False))

if __name__ == "__main__":
    main()
