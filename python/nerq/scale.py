"""Helpers for running nerq on many processes or machines from Python
(docs/scale.md). With Dask distributed::

    import dask.bag, distributed, nerq.scale
    client = distributed.Client(distributed.LocalCluster(n_workers=2))
    lines = dask.bag.read_text("docs.jsonl", blocksize="10MB")
    records = lines.map_partitions(nerq.scale.extract_lines, rules="/path/rules")
    nerq.scale.write_ordered(records, "out.jsonl")

Each worker process loads the rules once (the first partition it gets)
and keeps them; records come back partition by partition, in input order.
"""
import json

import nerq

_EXTRACTORS = {}


def extractor(rules=None):
    """The Extractor of this process for `rules`, loaded on first use."""
    ex = _EXTRACTORS.get(rules)
    if ex is None:
        ex = _EXTRACTORS[rules] = nerq.Extractor(rules)
    return ex


def extract_lines(lines, rules=None):
    """The records, as the command's JSON lines (no newline), of an
    iterable of JSONL lines {"id": ..., "text": ..., ...}: what
    `nerq --input jsonl` writes for them. Blank lines are skipped."""
    ex = extractor(rules)
    items = (json.loads(line) for line in lines if line.strip())
    return [nerq.dumps(r) for r in ex.extract_many(items)]


def write_ordered(bag, path):
    """Computes a Dask bag of record lines and writes them to `path` in
    partition order (the input order), one partition at a time."""
    import dask

    with open(path, "w", encoding="utf-8") as out:
        for part in bag.to_delayed():
            for line in dask.compute(part)[0]:
                out.write(line + "\n")
