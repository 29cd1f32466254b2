"""Tests of the Python binding against the nerq command: the same
records, byte for byte, for single documents and JSONL streams (with one
thread and with several), errors as exceptions with nerq's message."""
import json
import os
import shutil

import pytest

import nerq
from conftest import run_cli

ARTICLE = "corpus/articles/alibaba-london.txt"


def read(root, rel):
    with open(os.path.join(root, rel), "rb") as f:
        return f.read()


def test_founding_article_two_quotes_with_speakers(extractor, root):
    rec = extractor.extract(read(root, ARTICLE).decode("utf-8"), id=ARTICLE)
    assert rec["doc"] == ARTICLE
    quotes = [q for q in rec["quotes"] if q["kind"] == "direct"]
    assert len(quotes) == 2
    assert rec["quotes"][:2] == quotes  # direct quotes first, then reported speech
    reported = rec["quotes"][2:]
    assert reported and all(q["kind"] == "indirect" for q in reported)
    assert ("Jack Ma", "announced") in [(q["speaker"]["name"], q["cue"]["text"]) for q in reported]
    assert [q["speaker"]["name"] for q in quotes] == ["Yeming Wang", "Jack Ma"]
    assert quotes[0]["speaker"]["role"] == "EMEA general manager"
    assert [q["cue"]["text"] for q in quotes] == ["said", "said"]
    ents = {e["id"]: e for e in rec["entities"]}
    assert ents[quotes[1]["speaker"]["entity"]]["type"] == "PERSON"


def test_record_byte_identical_to_command(extractor, root, nerq_bin):
    out = run_cli(nerq_bin, "--rules", "rules", ARTICLE)
    assert out.returncode == 0
    rec = extractor.extract(read(root, ARTICLE), id=ARTICLE)
    assert (nerq.dumps(rec) + "\n").encode("utf-8") == out.stdout
    assert extractor.extract_json(read(root, ARTICLE), id=ARTICLE) + "\n" == out.stdout.decode()


def test_invalid_utf8_same_as_command(extractor, tmp_path, nerq_bin):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Tim Cook \xff\xfe visited Paris. \"We like it,\" he said.\n")
    out = run_cli(nerq_bin, "--rules", "rules", str(path))
    rec = extractor.extract(path.read_bytes(), id=str(path))
    assert rec["warnings"]
    assert (nerq.dumps(rec) + "\n").encode("utf-8") == out.stdout


def jsonl_items(root):
    """Every corpus article and gold document as a JSONL line, with
    ids, numbers, nested meta and escapes; the gold fields become meta."""
    items = []
    arts = sorted(os.listdir(os.path.join(root, "corpus/articles")))
    for n, name in enumerate(a for a in arts if a.endswith(".txt")):
        text = read(root, "corpus/articles/" + name).decode("utf-8")
        items.append({"id": name, "text": text, "n": n, "w": n / 7, "tags": ["a\tb", None, True]})
    for rel in ("corpus/gold/gum_dev.jsonl", "corpus/gold/quotes_key.jsonl"):
        for line in read(root, rel).decode("utf-8").splitlines():
            items.append(json.loads(line))
    items.append({"id": 7, "text": "Angela Merkel met Emmanuel Macron in Berlin."})
    items.append({"id": 2.5, "text": "\u00c9mile Zola said: \"J'accuse.\""})
    return items


@pytest.mark.parametrize("threads", [1, 4])
def test_extract_many_byte_identical_in_order(extractor, root, nerq_bin, tmp_path, threads):
    items = jsonl_items(root)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    out = run_cli(nerq_bin, "--rules", "rules", "--input", "jsonl", str(src))
    assert out.returncode == 0, out.stderr
    want = out.stdout.decode("utf-8").splitlines()
    got = [nerq.dumps(r) for r in extractor.extract_many(iter(items), threads=threads)]
    assert len(got) == len(items) == len(want)
    assert got == want


def test_extract_many_texts_and_laziness(extractor):
    seen = []

    def gen():
        for i in range(50):
            seen.append(i)
            yield "Tim Cook visited Paris on day %d." % i

    stream = extractor.extract_many(gen(), threads=2)
    first = next(stream)
    assert first["doc"] is None and first["entities"]
    assert len(seen) <= 8 + 1  # a bounded window, not the whole input
    rest = list(stream)
    assert len(rest) == 49
    names = [[e["name"] for e in r["entities"]] for r in [first] + rest]
    assert all(n == ["Tim Cook", "Paris"] for n in names), names[:3]


def test_meta_and_id(extractor):
    rec = extractor.extract("Paris.", id="x1", meta={"src": "wire", "n": 3})
    assert rec["doc"] == "x1"
    assert rec["meta"] == {"src": "wire", "n": 3}
    assert {"doc", "meta", "entities", "quotes", "warnings"} <= set(rec)
    assert rec["entities"][0]["name"] == "Paris"


def test_bad_rule_file_raises_with_position(tmp_path, root, nerq_bin):
    rules = tmp_path / "rules"
    shutil.copytree(os.path.join(root, "rules"), rules)
    with open(rules / "entities.rules", "a", encoding="utf-8") as f:
        f.write("person.broken PERSON 70 : @no_such_list < [Cap Word] >\n")
    with pytest.raises(nerq.NerqError) as exc:
        nerq.Extractor(str(rules))
    msg = str(exc.value)
    lines = msg.splitlines()
    assert lines[0].startswith(str(rules / "entities.rules") + ":")
    assert len(lines) == 3 and lines[2].strip() == "^"
    assert exc.value.status == 3  # NERQ_ERR_RULES
    out = run_cli(nerq_bin, "--rules", str(rules), ARTICLE)
    assert out.returncode == 2
    assert out.stderr.decode("utf-8") == "nerq: " + msg + "\n"


def test_missing_rules_dir_raises(tmp_path):
    with pytest.raises(nerq.NerqError):
        nerq.Extractor(str(tmp_path / "nowhere"))


def test_item_without_text_raises(extractor):
    with pytest.raises(nerq.NerqError, match="item 2 has no \"text\""):
        list(extractor.extract_many([{"text": "a"}, {"id": "b"}]))
    with pytest.raises(ValueError):
        list(extractor.extract_many(["a"], threads=0))
    with pytest.raises(TypeError):
        extractor.extract(42)


def test_rules_loaded_and_version(extractor):
    assert len(extractor) > 1000
    assert nerq.version().count(".") == 2


def test_dumps_like_the_writer():
    assert nerq.dumps({"a": 0.1, "b": 1e100, "c": 1e-7, "d": 3.0, "e": "t\tq\"\\\x1f/é"}) == \
        '{"a":0.1,"b":1e+100,"c":1e-07,"d":3.0,"e":"t\\tq\\"\\\\\\u001F/é"}'
    assert nerq.dumps([1, {"x": None}], compact=False) == '[1, {"x": null}]'
