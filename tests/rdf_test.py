#!/usr/bin/python3
"""tests/rdf_test.py - checks nerq's graph formats (docs/graph.md) with
rdflib and pyld (Debian python3-rdflib, python3-pyld; run with
/usr/bin/python3). Ends with the line "N passed, N failed".

- Every corpus article: the JSON-LD (read by pyld, and by rdflib) and
  the N-Triples (read by rdflib) are isomorphic graphs, with no blank
  nodes, and the JSON-LD has an inline @context (no network).
- The founding article, triple by triple: Yeming Wang is a Person with
  jobTitle "EMEA general manager" who worksFor the Organization named
  Alibaba Cloud, and is the creator of a Quotation of the article; Jack
  Ma is tied to Alibaba (founder) and creates the other quote.
- Two articles that share a person, a place and an organisation name
  them with the same IRIs, so their graphs merge.
"""
import json
import os
import subprocess
import sys

import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from pyld import jsonld

NERQ = os.environ.get("NERQ_BIN", "./nerq")
SDO = rdflib.Namespace("http://schema.org/")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
BASE = "https://nerq.invalid/id/"
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print("ok", what)
    else:
        failed += 1
        print("FAIL", what)


def no_network(url, options=None):
    raise RuntimeError("remote context requested: " + url)


jsonld.set_document_loader(no_network)


def run(fmt, path, *extra):
    out = subprocess.run([NERQ, "--rules", "rules", "--format", fmt, *extra, path],
                         check=True, capture_output=True)
    return out.stdout.decode("utf-8")


def has_bnode(g):
    return any(isinstance(x, rdflib.BNode) for t in g for x in t)


def corpus_graphs():
    """The corpus articles as N-Triples (one run) and as JSON-LD lines (one
    run), each JSON-LD line read by pyld and by rdflib; checks that the
    formats agree. Returns the N-Triples graph and the JSON-LD lines."""
    nt_text = run("ntriples", "corpus/articles")
    nt = rdflib.Graph().parse(data=nt_text, format="nt")
    lines = [json.loads(x) for x in run("jsonld", "corpus/articles").splitlines() if x.strip()]
    via_pyld, via_rdflib = rdflib.Graph(), rdflib.Graph()
    inline = True
    for doc in lines:
        ctx = doc.get("@context")
        inline &= isinstance(ctx, dict) and ctx.get("@vocab") == "http://schema.org/"
        via_pyld.parse(data=jsonld.to_rdf(doc, {"format": "application/n-quads"}), format="nt")
        via_rdflib.parse(data=json.dumps(doc), format="json-ld")
    arts = len(os.listdir("corpus/articles"))
    check(len(lines) == arts, f"one JSON-LD document per article ({len(lines)} of {arts})")
    check(nt_text.count("<http://schema.org/NewsArticle> .") == arts, "one NewsArticle per article in N-Triples")
    check(inline, "every JSON-LD document has an inline @context with @vocab schema.org")
    check(len(nt) > 0 and isomorphic(nt, via_pyld), f"JSON-LD (pyld) and N-Triples isomorphic ({len(nt)} triples)")
    check(isomorphic(nt, via_rdflib), "JSON-LD (rdflib) and N-Triples isomorphic")
    check(not has_bnode(nt) and not has_bnode(via_pyld), "no blank nodes")
    return nt, lines


def one(g, s, p):
    vals = list(g.objects(s, p))
    return vals[0] if len(vals) == 1 else None


def founding_article(g):
    art = URIRef(BASE + "doc/corpus/articles/alibaba-london.txt")
    wang = URIRef(BASE + "person/yeming-wang")
    ma = URIRef(BASE + "person/jack-ma")
    cloud = URIRef(BASE + "org/alibaba-cloud")
    alibaba = URIRef(BASE + "org/alibaba")
    check((art, RDF.type, SDO.NewsArticle) in g, "article is a NewsArticle")
    check(str(one(g, art, SDO.headline) or "").startswith("Chinese tech giant Alibaba"), "article headline")
    check((art, SDO.mentions, wang) in g, "article mentions Yeming Wang")
    check((wang, RDF.type, SDO.Person) in g, "Yeming Wang is a Person")
    check(one(g, wang, SDO.name) == Literal("Yeming Wang"), "Yeming Wang's name")
    check(one(g, wang, SDO.jobTitle) == Literal("EMEA general manager"), "jobTitle EMEA general manager")
    check(one(g, wang, SDO.worksFor) == cloud, "Yeming Wang worksFor Alibaba Cloud")
    check((cloud, RDF.type, SDO.Organization) in g, "Alibaba Cloud is an Organization")
    check(one(g, cloud, SDO.name) == Literal("Alibaba Cloud"), "Alibaba Cloud's name")
    quotes = set(g.subjects(RDF.type, SDO.Quotation))
    by_wang = [q for q in quotes if (q, SDO.creator, wang) in g]
    check(len(by_wang) == 1, "one Quotation created by Yeming Wang")
    if by_wang:
        q = by_wang[0]
        check((q, SDO.isPartOf, art) in g, "the quote isPartOf the article")
        check(str(one(g, q, SDO.text) or "").startswith("Our expansion into the United Kingdom"), "the quote's text")
        cue = one(g, q, URIRef("https://nerq.invalid/ns#cue"))
        check(cue is not None and (cue, RDF.type, OA.TextPositionSelector) in g, "the quote's cue is a TextPositionSelector")
        anns = [a for a in g.subjects(OA.hasBody, q)]
        sel = [s for a in anns for t in g.objects(a, OA.hasTarget) for s in g.objects(t, OA.hasSelector)]
        check(len(sel) == 1 and one(g, sel[0], OA.start) == Literal(1668) and one(g, sel[0], OA.end) == Literal(2209),
              "the quote's TextPositionSelector [1668, 2209)")
    check((alibaba, SDO.founder, ma) in g, "Alibaba founder Jack Ma")
    check((ma, SDO.worksFor, alibaba) in g, "Jack Ma worksFor Alibaba")
    check(any((q, SDO.creator, ma) in g for q in quotes), "Jack Ma creates a Quotation")
    london = URIRef(BASE + "geonames/2643743")
    check((london, SDO.sameAs, URIRef("https://sws.geonames.org/2643743/")) in g, "London sameAs GeoNames")
    google = URIRef(BASE + "wikidata/Q95")
    check((google, SDO.sameAs, URIRef("http://www.wikidata.org/entity/Q95")) in g, "Google sameAs Wikidata")
    mentions = [a for a in g.subjects(OA.hasBody, wang)]
    check(len(mentions) >= 1, "Yeming Wang's mention is a Web Annotation")


def shared_iris(g, lines):
    ids = {}
    for doc in lines:
        art = [n for n in doc["@graph"] if n.get("@type") == "NewsArticle"][0]
        ids[art["identifier"]] = {n["@id"] for n in doc["@graph"]}
    a = ids.get("corpus/articles/relation-01-roles.txt", set())
    b = ids.get("corpus/articles/relation-05-shared-iris.txt", set())
    person = URIRef(BASE + "person/marcus-lindqvist")
    place = URIRef(BASE + "geonames/2644688")
    org = URIRef(BASE + "org/unilever")
    for iri, what in ((person, "person"), (place, "place"), (org, "organisation")):
        check(str(iri) in a and str(iri) in b, f"two articles share the {what} IRI {iri}")
    arts = set(g.subjects(SDO.mentions, person)) & set(g.subjects(RDF.type, SDO.NewsArticle))
    check(len(arts) == 2, "merged graph: two NewsArticles mention the same person")
    check(len(set(g.objects(person, SDO.name))) == 1, "merged graph: one name for the person")
    check((person, SDO.worksFor, org) in g, "merged graph: the person worksFor the shared organisation")


def odd_ids():
    """Document ids with spaces, quotes, '#', '<' and accents, and a line
    with no id, still give valid IRIs and the same graph in both formats."""
    lines = [{"id": 'a b/ü#1"<x>', "text": "Tim Cook, chief executive of Apple, said: \"We\\ are \u201cready\u201d.\"\nBye"},
             {"text": "Jane Doe visited Paris."}]
    data = "".join(json.dumps(x) + "\n" for x in lines).encode("utf-8")
    def out(fmt):
        return subprocess.run([NERQ, "--rules", "rules", "--input", "jsonl", "--format", fmt],
                              input=data, check=True, capture_output=True).stdout.decode("utf-8")
    nt = rdflib.Graph().parse(data=out("ntriples"), format="nt")
    ld = rdflib.Graph()
    for x in out("jsonld").splitlines():
        ld.parse(data=jsonld.to_rdf(json.loads(x), {"format": "application/n-quads"}), format="nt")
    check(len(nt) > 0 and isomorphic(nt, ld), "odd document ids: both formats parse and agree")
    arts = {str(a) for a in nt.subjects(RDF.type, SDO.NewsArticle)}
    check(len(arts) == 2 and all(" " not in a and '"' not in a for a in arts), "odd document ids: two valid article IRIs")


def cli_cases():
    """The command's side: a bad --format is a usage error; in N-Triples an
    unreadable file is a comment line, so the stream stays valid; threads
    give the same stream."""
    bad = subprocess.run([NERQ, "--rules", "rules", "--format", "xml", "corpus/articles"],
                         capture_output=True)
    check(bad.returncode == 2 and b"--format" in bad.stderr, "--format xml is a usage error (exit 2)")
    miss = subprocess.run([NERQ, "--rules", "rules", "--format", "ntriples", "no/such/file.txt",
                           "corpus/articles/relation-02-founders.txt"], capture_output=True)
    out = miss.stdout.decode("utf-8")
    g = rdflib.Graph().parse(data=out, format="nt")
    check(miss.returncode == 1 and out.startswith("# error: no/such/file.txt") and len(g) > 0,
          "an unreadable file is an N-Triples comment; the rest still parses (exit 1)")
    one = run("ntriples", "corpus/articles", "-j", "1")
    two = run("ntriples", "corpus/articles", "-j", "2")
    check(one == two, "-j 2 writes the same N-Triples as -j 1")


def main():
    g, lines = corpus_graphs()
    founding_article(g)
    shared_iris(g, lines)
    custom = rdflib.Graph().parse(data=run("ntriples", "corpus/articles/relation-02-founders.txt",
                                           "--base", "http://example.org/kg/"), format="nt")
    check((URIRef("http://example.org/kg/person/daniel-ek"), RDF.type, SDO.Person) in custom,
          "--base names entities under the given IRI")
    odd_ids()
    cli_cases()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
