"""nerq: rule-driven extraction of entities and quotes from news.

A binding of libnerq (cffi, ABI mode). Build it with `make python`, then::

    import nerq
    ex = nerq.Extractor()                       # loads the rules once
    rec = ex.extract("Tim Cook said: \\"Hi.\\"", id="d1", meta={"src": "x"})
    for rec in ex.extract_many(lines, threads=4):   # in input order
        print(nerq.dumps(rec))                  # the command's bytes

A record is the dict of the JSON record the `nerq` command writes, and
`nerq.dumps(record)` writes it back byte for byte as the command does.
(The command keeps the "meta" fields of a JSONL line as they were written;
the bytes agree when the line was written as nerq.dumps or
json.dumps(..., ensure_ascii=False) write it.)
Errors raise nerq.NerqError, whose message is nerq's own (for a bad rule
file: "file:line:col: message", the line and a caret).

libnerq.so is found through $NERQ_LIB (a path), then ../../build/ of this
package (a source tree), then the system's libnerq.so.0.
"""
import collections
import concurrent.futures
import itertools
import json
import os

from ._jsonout import dumps

__all__ = ["Extractor", "NerqError", "dumps", "version"]

_HERE = os.path.dirname(os.path.abspath(__file__))
_TREE = os.path.dirname(os.path.dirname(_HERE))


class NerqError(Exception):
    """An error reported by libnerq; .status is the nerq_status code."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


def _load():
    from ._nerq_ffi import ffi

    tried = []
    for cand in (os.environ.get("NERQ_LIB"),
                 os.path.join(_TREE, "build", "libnerq.so.0"), "libnerq.so.0"):
        if not cand:
            continue
        try:
            return ffi, ffi.dlopen(cand), cand
        except OSError as e:
            tried.append("%s: %s" % (cand, e))
    raise ImportError("nerq: cannot load libnerq.so (" + "; ".join(tried) + ")")


_ffi, _lib, _LIB_PATH = _load()


def version():
    """The version of nerq.h the binding was built from (make python)."""
    from ._version import VERSION
    return VERSION


def _default_rules():
    """The rules directory the command would use: $NERQ_RULES, rules/ of
    the source tree, then share/nerq/rules beside the library."""
    env = os.environ.get("NERQ_RULES")
    if env:
        return env
    lib_dir = os.path.dirname(os.path.realpath(_LIB_PATH)) if os.sep in _LIB_PATH else ""
    for cand in (os.path.join(_TREE, "rules"),
                 os.path.join(lib_dir, "..", "share", "nerq", "rules") if lib_dir else "",
                 "/usr/local/share/nerq/rules", "/usr/share/nerq/rules"):
        if cand and os.path.isdir(cand):
            return cand
    raise NerqError("nerq: no rules directory found (pass rules= or set NERQ_RULES)")


def _message(status):
    return _ffi.string(_lib.nerq_status_message(status)).decode("utf-8", "replace")


def _utf8(s):
    if isinstance(s, (bytes, bytearray, memoryview)):
        return bytes(s)
    if isinstance(s, str):
        return s.encode("utf-8", "surrogateescape")
    raise TypeError("nerq: text must be str or bytes, not %s" % type(s).__name__)


class Extractor:
    """A loaded rule set. It is immutable and shared by threads."""

    def __init__(self, rules=None):
        self.rules_dir = rules if rules is not None else _default_rules()
        out = _ffi.new("nerq_rules **")
        err = _ffi.new("char **")
        st = _lib.nerq_rules_load(os.fsencode(self.rules_dir), out, err)
        if st != _lib.NERQ_OK:
            msg = _ffi.string(err[0]).decode("utf-8", "replace") if err[0] else _message(st)
            _lib.free(err[0])
            raise NerqError(msg, st)
        self._rules = _ffi.gc(out[0], _lib.nerq_rules_free)

    def __len__(self):
        """Gazetteer entries, list entries and pattern rules loaded."""
        return _lib.nerq_rules_count(self._rules)

    def extract_json(self, text, id=None, meta=None):
        """The record as the command's compact JSON text (one line)."""
        data = _utf8(text)
        if meta is not None and not isinstance(meta, str):
            meta = dumps(meta)
        doc = _ffi.new("nerq_doc **")
        st = _lib.nerq_doc_process(self._rules, data, len(data), doc)
        if st != _lib.NERQ_OK:
            raise NerqError(_message(st), st)
        try:
            idc = _ffi.NULL if id is None else _utf8(str(id))
            mc = _ffi.NULL if meta is None else _utf8(meta)
            js = _lib.nerq_doc_to_json(doc[0], idc, mc, 0)
        finally:
            _lib.nerq_doc_free(doc[0])
        if js == _ffi.NULL:
            raise NerqError(_message(_lib.NERQ_ERR_NOMEM), _lib.NERQ_ERR_NOMEM)
        try:
            return _ffi.string(js).decode("utf-8")
        finally:
            _lib.free(js)

    def extract(self, text, id=None, meta=None):
        """The record of one document, as a dict: {"doc", ["meta"],
        "entities", "quotes", "warnings"}. `meta` is a dict (or JSON
        object text) kept under "meta"; `text` is str or bytes."""
        return json.loads(self.extract_json(text, id, meta))

    def _one(self, item, n):
        if isinstance(item, (str, bytes, bytearray, memoryview)):
            return self.extract(item)
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise NerqError("item %d has no \"text\" string" % n, _lib.NERQ_ERR_INPUT)
        meta = {k: v for k, v in item.items() if k not in ("id", "text")}
        idv = item.get("id", None)
        if "id" in item and not isinstance(idv, str):
            idv = dumps(idv, compact=False)
        return self.extract(item["text"], idv, meta or None)

    def extract_many(self, items, threads=1):
        """Streams the records of `items`, in input order. An item is a
        text (str or bytes) or a dict like a line of `nerq --input jsonl`:
        {"id": ..., "text": ..., other keys -> "meta"}. With threads > 1,
        documents are processed by that many threads (libnerq releases
        the GIL), at most 4 * threads ahead of the consumer."""
        threads = int(threads)
        if threads < 1:
            raise ValueError("threads must be at least 1")
        numbered = zip(itertools.count(1), items)
        if threads == 1:
            for n, item in numbered:
                yield self._one(item, n)
            return
        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            window = collections.deque()
            for n, item in numbered:
                window.append(pool.submit(self._one, item, n))
                if len(window) >= 4 * threads:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
