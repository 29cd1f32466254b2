#!/usr/bin/python3
"""tests/kg_query.py ENDPOINT GRAPH NT_FILE - the SPARQL questions of
`make test-kg` (tests/kg.sh), asked over HTTP of a store that holds the
N-Triples of a corpus run in GRAPH. Ends with "N passed, N failed"."""
import json
import sys
import urllib.parse
import urllib.request

endpoint, graph, nt_file = sys.argv[1:4]
PREFIX = "PREFIX schema: <http://schema.org/>\n"
passed = failed = 0


def check(ok, what):
    global passed, failed
    passed, failed = passed + bool(ok), failed + (not ok)
    print("ok" if ok else "FAIL", what)


def ask(query):
    data = urllib.parse.urlencode({"query": PREFIX + query, "default-graph-uri": graph,
                                   "format": "application/sparql-results+json"}).encode()
    req = urllib.request.Request(endpoint, data=data,
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        res = json.load(r)
    if "boolean" in res:
        return res["boolean"]
    return [{k: v["value"] for k, v in row.items()} for row in res["results"]["bindings"]]


def show(rows, limit=12):
    for row in rows[:limit]:
        print("   ", " | ".join(row[k][:70] for k in row))


with open(nt_file, encoding="utf-8") as f:
    lines = {x.strip() for x in f if x.strip() and not x.startswith("#")}
n = ask("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
check(int(n) == len(lines), f"every triple loaded ({n} in the store, {len(lines)} distinct in the N-Triples)")

print("who said what about whom:")
said = ask("""SELECT ?who ?text ?about WHERE {
  ?q a schema:Quotation ; schema:creator ?p ; schema:text ?text ; schema:mentions ?a .
  ?p schema:name ?who . ?a schema:name ?about } ORDER BY ?who ?about""")
show(said)
check(any(r["who"] == "Yeming Wang" and r["about"] == "United Kingdom" and
          r["text"].startswith("Our expansion into the United Kingdom") for r in said),
      "Yeming Wang said \"Our expansion into the United Kingdom ...\" about the United Kingdom")
check(any(r["who"] == "Jack Ma" and r["about"] == "Bill Gates" for r in said),
      "Jack Ma said something about Bill Gates")

wang = ask("""SELECT ?title ?org WHERE {
  ?q a schema:Quotation ; schema:creator ?p .
  ?p a schema:Person ; schema:name "Yeming Wang" ; schema:jobTitle ?title ; schema:worksFor ?o .
  ?o a schema:Organization ; schema:name ?org }""")
show(wang)
check(wang == [{"title": "EMEA general manager", "org": "Alibaba Cloud"}],
      "Yeming Wang's quote: a Person, jobTitle \"EMEA general manager\", worksFor the Organization Alibaba Cloud")

check(ask("""ASK { ?o a schema:Organization ; schema:name "Alibaba" ; schema:founder ?p .
  ?p a schema:Person ; schema:name "Jack Ma" }"""), "Jack Ma is the founder of Alibaba")

print("who works for which organisation:")
works = ask("""SELECT DISTINCT ?who ?org WHERE {
  ?p a schema:Person ; schema:name ?who ; schema:worksFor ?o . ?o schema:name ?org } ORDER BY ?who""")
show(works, 40)
pairs = {(r["who"], r["org"]) for r in works}
for who, org in (("Marcus Lindqvist", "Unilever"), ("Priya Natarajan", "Heineken"),
                 ("Jack Ma", "Alibaba"), ("Claire Moreau", "Danone")):
    check((who, org) in pairs, f"{who} works for {org}")

shared = ask("""SELECT ?name (COUNT(DISTINCT ?art) AS ?n) WHERE {
  ?art a schema:NewsArticle ; schema:mentions ?e . ?e a schema:Person ; schema:name ?name }
  GROUP BY ?name HAVING (COUNT(DISTINCT ?art) > 1)""")
show(shared)
check(any(r["name"] == "Marcus Lindqvist" and int(r["n"]) == 2 for r in shared),
      "one IRI for Marcus Lindqvist across two articles")
check(ask("""ASK { ?a a schema:NewsArticle ; schema:mentions <https://nerq.invalid/id/geonames/2644688> .
  ?b a schema:NewsArticle ; schema:mentions <https://nerq.invalid/id/geonames/2644688> . FILTER (?a != ?b) }"""),
      "one IRI for Leeds across articles")

sel = ask("""PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?start ?end WHERE { ?q schema:creator ?p . ?p schema:name "Yeming Wang" .
  ?ann oa:hasBody ?q ; oa:hasTarget ?t . ?t oa:hasSelector ?s . ?s oa:start ?start ; oa:end ?end }""")
check(sel == [{"start": "1668", "end": "2209"}], "the quote's TextPositionSelector is [1668, 2209)")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
