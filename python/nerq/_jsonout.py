"""dumps(): JSON text exactly as libnerq's writer (jsonw.c) writes a
record: keys in dict order, UTF-8 kept, only '"', '\\' and control
characters escaped (\\b \\f \\n \\r \\t, else \\u00XX in capitals). The
record keeps the tokens of "meta" as it was given them; the binding gives
it meta written by this function, whose numbers are Python's (the
shortest text that reads back the same float, as json.dumps writes it).
compact=False puts ", " and ": " between items."""
import math
import re

_ESC = re.compile(r'[\x00-\x1f"\\]')
_NAMED = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n",
          "\r": "\\r", "\t": "\\t"}


def _esc(m):
    c = m.group(0)
    return _NAMED.get(c) or "\\u%04X" % ord(c)


def _string(s):
    return '"' + _ESC.sub(_esc, s) + '"'


def _real(x):
    """A float as json.dumps writes it (repr: the shortest round trip)."""
    if math.isnan(x) or math.isinf(x):
        raise ValueError("JSON has no NaN or infinity")
    return float.__repr__(float(x))


def dumps(obj, compact=True):
    """The JSON text of obj (dict, list, tuple, str, int, float, bool or
    None) as the nerq command writes it."""
    item, key = (",", ":") if compact else (", ", ": ")
    out = []

    def put(o):
        if o is None:
            out.append("null")
        elif o is True:
            out.append("true")
        elif o is False:
            out.append("false")
        elif isinstance(o, str):
            out.append(_string(o))
        elif isinstance(o, int):
            out.append(str(int(o)))
        elif isinstance(o, float):
            out.append(_real(o))
        elif isinstance(o, dict):
            out.append("{")
            for i, (k, v) in enumerate(o.items()):
                if i:
                    out.append(item)
                out.append(_string(str(k)))
                out.append(key)
                put(v)
            out.append("}")
        elif isinstance(o, (list, tuple)):
            out.append("[")
            for i, v in enumerate(o):
                if i:
                    out.append(item)
                put(v)
            out.append("]")
        else:
            raise TypeError("not JSON: %s" % type(o).__name__)

    put(obj)
    return "".join(out)
