#!/usr/bin/env python3
"""Compares nerq's quotes on corpus/articles/quote-*.txt with the answer
key corpus/QUOTES.md and prints every disagreement and a summary.

    python3 tools/check_quotes.py [--nerq ./nerq] [--key corpus/QUOTES.md]

A key row matches a reported quote when the quote's text starts with the
row's first words. Speaker, how and kind are then compared; rows of kind
not-a-quote must not be reported. A developer tool, not a test."""
import argparse, json, re, subprocess, sys
from collections import defaultdict

def rows(key):
    for line in open(key, encoding="utf-8"):
        if not line.startswith("| quote-"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        f, first, last, speaker, how, kind = cells[:6]
        yield dict(file=f, first=first, last=last, speaker=speaker, how=how,
                   kind=kind, notes=cells[6] if len(cells) > 6 else "")

def norm(s):
    return re.sub(r"\s+", " ", s).strip()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nerq", default="./nerq")
    ap.add_argument("--key", default="corpus/QUOTES.md")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args()
    by_file = defaultdict(list)
    for r in rows(a.key):
        by_file[r["file"]].append(r)
    n = found = spk_ok = how_ok = kind_ok = false_pos = nonq = nonq_ok = 0
    for f, rs in sorted(by_file.items()):
        out = subprocess.run([a.nerq, "corpus/articles/" + f], capture_output=True, text=True)
        rec = json.loads(out.stdout.splitlines()[0])
        quotes = rec.get("quotes", [])
        used = set()
        for r in rs:
            hit = None
            for i, q in enumerate(quotes):
                if i not in used and norm(q["text"]).startswith(norm(r["first"])):
                    hit = i
                    break
            if r["kind"] == "not-a-quote":
                nonq += 1
                if hit is None:
                    nonq_ok += 1
                else:
                    used.add(hit)
                    print(f"{f}: reported a non-quote: {r['first']!r}")
                continue
            n += 1
            if hit is None:
                print(f"{f}: MISSED {r['first']!r} ({r['speaker']}, {r['how']})")
                continue
            used.add(hit)
            found += 1
            q = quotes[hit]
            sp = q["speaker"]["name"] if q["speaker"] else "null"
            want = r["speaker"]
            ok = sp == want or (want != "null" and sp.split()[-1:] == want.split()[-1:])
            spk_ok += ok
            how_ok += q["how"] == r["how"]
            kind_ok += q["kind"] == r["kind"]
            if not a.quiet and (not ok or q["how"] != r["how"] or q["kind"] != r["kind"]):
                print(f"{f}: {r['first']!r}: speaker {sp!r} want {want!r}; how {q['how']} want {r['how']}; "
                      f"kind {q['kind']} want {r['kind']}; rule {q['rule']}")
        for i, q in enumerate(quotes):
            if i not in used:
                false_pos += 1
                print(f"{f}: EXTRA quote {q['text'][:50]!r} speaker {q['speaker'] and q['speaker']['name']}")
    print(f"quotes found {found}/{n}; speaker {spk_ok}/{found}; how {how_ok}/{found}; "
          f"kind {kind_ok}/{found}; extra {false_pos}; non-quotes avoided {nonq_ok}/{nonq}")

if __name__ == "__main__":
    sys.exit(main())
