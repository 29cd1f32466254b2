"""dumps(): JSON text exactly as jansson (and so the nerq command)
writes it: keys in dict order, UTF-8 kept, only '"', '\\' and control
characters escaped (\\b \\f \\n \\r \\t, else \\u00XX in capitals), reals
as C's "%.17g" with jansson's touch-ups. compact=True is JSON_COMPACT;
compact=False is jansson's default separators (", " and ": ")."""
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
    """jsonp_dtostr: "%.17g", a ".0" when neither '.' nor 'e' is there,
    no '+' and no leading zeros in the exponent."""
    if math.isnan(x) or math.isinf(x):
        raise ValueError("JSON has no NaN or infinity")
    s = "%.17g" % x
    if "." not in s and "e" not in s:
        s += ".0"
    if "e" in s:
        mant, exp = s.split("e")
        sign = "-" if exp.startswith("-") else ""
        s = mant + "e" + sign + (exp.lstrip("+-").lstrip("0") or "0")
    return s


def dumps(obj, compact=True):
    """The JSON text of obj (dict, list, tuple, str, int, float, bool or
    None) as jansson's json_dumps writes it."""
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
