"""tests/browser_check.py DOM.html RECORD.json - checks the DOM that headless
Chromium built from nerq's --format html view against nerq's JSON record of
the same document: one element with data-entity per mention (same text and
entity, in order), data-type on each, every quote segment with data-quote
and data-speaker, each speaker label naming the speaker and linking to an
element that is a mention of the speaker. Prints ok/FAIL lines and
"N passed, N failed". Standard library only (/usr/bin/python3)."""
import html.parser
import json
import sys


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.marks, self.quotes, self.labels, self.ids = [], [], [], [], {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        node = {"tag": tag, "attrs": a, "text": []}
        if tag in ("meta", "br", "hr", "img", "link", "input"):
            return
        self.stack.append(node)
        if "id" in a:
            self.ids[a["id"]] = node
        if tag == "mark" and "data-entity" in a:
            self.marks.append(node)
        if "data-quote" in a:
            self.quotes.append(node)
        if "speaker" in a.get("class", "").split():
            self.labels.append(node)

    def handle_endtag(self, tag):
        while self.stack:
            node = self.stack.pop()
            if node["tag"] == tag:
                break

    def handle_data(self, data):
        for node in self.stack:
            node["text"].append(data)


def text(node):
    return "".join(node["text"])


def main():
    dom = Dom()
    dom.feed(open(sys.argv[1], encoding="utf-8").read())
    rec = json.load(open(sys.argv[2], encoding="utf-8"))
    results = []

    def check(name, ok):
        results.append(ok)
        print(("ok " if ok else "FAIL ") + name)

    mentions = sorted(((m["start"], m["end"], m["text"], e["id"], e["type"])
                       for e in rec["entities"] for m in e["mentions"]))
    check("dom-one-data-entity-per-mention (%d)" % len(mentions), len(dom.marks) == len(mentions))
    pairs = list(zip(mentions, dom.marks))
    check("dom-mention-texts", all(text(n) == m[2] for m, n in pairs))
    check("dom-mention-entities", all(n["attrs"]["data-entity"] == m[3] for m, n in pairs))
    check("dom-mention-types", all(n["attrs"].get("data-type") == m[4] for m, n in pairs))
    # the page shows quotes in reading order; the record lists direct quotes, then reported speech
    quotes = sorted(rec["quotes"], key=lambda q: q["start"])
    want = [q["speaker"]["name"] if q["speaker"] else "" for q in quotes]
    got = []
    for n in dom.quotes:
        key = (n["attrs"]["data-quote"], n["attrs"]["data-speaker"])
        if key not in got:
            got.append(key)
    check("dom-quotes %s" % [s for _, s in got], [s for _, s in got] == want and
          [q for q, _ in got] == [q["id"] for q in quotes])
    check("dom-quote-focusable", all(n["attrs"].get("tabindex") == "0" for n in dom.quotes
                                     if "cont" not in n["attrs"].get("class", "")))
    check("dom-quote-evidence", all("how: " in n["attrs"].get("data-evidence", "") for n in dom.quotes))
    check("dom-speaker-labels", [text(n).lstrip("\u2014 ") for n in dom.labels] == want)
    ents = {e["id"]: e for e in rec["entities"]}
    by_name = {e["name"]: e["id"] for e in rec["entities"]}
    linked = len(dom.labels) == len(quotes)
    for n, q in zip(dom.labels, quotes):
        if q["speaker"] and q["speaker"]["entity"] is None:  # unnamed ("We"): a label, no link
            linked &= "href" not in n["attrs"]
            continue
        target = dom.ids.get(n["attrs"].get("href", "#")[1:])
        name = text(n).lstrip("\u2014 ")
        linked &= bool(target) and target["attrs"].get("data-entity") == by_name.get(name) \
            and name in ents.get(target["attrs"].get("data-entity"), {}).get("name", "")
    check("dom-speaker-links-to-mention", linked)
    print("%d passed, %d failed" % (results.count(True), results.count(False)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
