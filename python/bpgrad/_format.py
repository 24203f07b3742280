"""Number and text formats shared by the optimizer's messages and the run-directory writer.

Two forms, as in the Swift engine: `csv_number` is C's ``%.9g`` (what docs/run-format.md asks
for in CSV files), `short_number` is the compact form the engine uses in messages and event
details (`formatNumber` in Sources/BPGradEngine/Solvers/Hyperparameter.swift).
"""
import math
import re

# C0 and C1 controls and DEL (a terminal that shows a file would obey ESC, BEL or CSI), and lone
# surrogates (which JSON's \ud800 escapes can produce and UTF-8 cannot encode).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def excerpt(text, limit=40):
    """At most `limit` characters of what a command said (a name, a value) for an event's
    detail, cut with an ellipsis, control characters as ``?``: so one line of commands.jsonl
    cannot fill events.csv or a terminal with its echo (the Swift writer's EventDetail.excerpt)."""
    text = _UNSAFE.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else "?", str(text))
    return text if len(text) <= limit else text[:limit] + "\u2026"


def csv_number(x):
    """``%.9g``, with ``nan``, ``inf`` and ``-inf``; None becomes the empty field."""
    if x is None:
        return ""
    return "%.9g" % float(x)


def _special(x):
    """``nan``, ``inf`` or ``-inf`` for a float that is not finite, else None."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return None


def _float(x):
    """float(x), or +-inf for an integer too large for a double (which float() refuses)."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def short_number(x):
    """Integers without a point, 4 significant digits in [1e-3, 1e5), else ``%.3e``."""
    x = _float(x)
    if _special(x):
        return _special(x)
    if x == round(x) and abs(x) < 1e6:
        return str(int(x))
    a = abs(x)
    if 1e-3 <= a < 1e5:
        s = "%.4g" % x
        if "e" in s:
            s = "%.4f" % x
        return s
    return "%.3e" % x


def exact_value(v):
    """A hyperparameter value exactly, as the engine writes it in events: whole numbers without
    a point, others as the shortest text that reads back to the same float (15.625, 1e-08)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        x = _float(v)
        if _special(x):
            return _special(x)
        if x == round(x) and abs(x) < 1e15:
            return str(int(x))
        return repr(x)
    return str(v)


def short_value(v):
    """A hyperparameter value as event details show it: numbers short, booleans lower case."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return short_number(v)
    return str(v)


def csv_field(text):
    """One CSV field: quoted when it holds a comma or a quote, with inner quotes doubled.

    Line breaks and other control characters become spaces so that every row stays one line
    (readers work line by line) and shows as text; a lone surrogate becomes U+FFFD.
    """
    text = _UNSAFE.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else " ", str(text))
    if "," in text or '"' in text:
        return '"' + text.replace('"', '""') + '"'
    return text
