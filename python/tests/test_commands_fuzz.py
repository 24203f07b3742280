"""A seeded fuzz of the commands.jsonl reader under a real training run.

Thousands of hostile lines (deep nesting, huge numbers, wrong types, NaN and Infinity literals,
unicode, control characters, long strings, random and non-UTF-8 bytes, lines over the length
limit) are appended one at a time to the commands.jsonl of a RunWriter training SGD, Adam,
RMSprop and BPGrad, with one training step after each. No exception may escape, each line has
the outcome docs/run-format.md gives it (one `rejected` event for a bad line; otherwise at
most one `set`, `pause` or `resume` per configuration, or nothing for a no-op), and training
goes on. BPGRAD_FUZZ_SEED and BPGRAD_FUZZ_LINES run other seeds or more lines.
"""
import json
import os
import random

from bpgrad._format import csv_field
from bpgrad.commands import LINE_LIMIT
from helpers import Mixed, read_events

SEED = int(os.environ.get("BPGRAD_FUZZ_SEED", "20"))
LINES = int(os.environ.get("BPGRAD_FUZZ_LINES", "3000"))
# Lines per run: a fresh run (fresh optimizers) now and then, since a configuration that a
# fuzzed value made diverge takes no more steps.
SEGMENT = 500
# Appended by the harness whenever every configuration is paused, so that apply_commands,
# which waits for a resume, comes back; its events are told apart by this id.
RESUME = '{"id": "fuzz-resume", "command": "resume"}\n'

NAMES = ["lr", "momentum", "dampening", "nesterov", "weight_decay", "beta1", "beta2", "eps", "alpha", "centered",
         "lipschitz", "rho", "eta_placement", "loss_source", "betas", "amsgrad", "foreach", "maximize", "params",
         "initial_accumulator_value", "", "LR", "lr ", "zeta", "\u00e9t\u00e9", "\u0000", "\x1b[2J", "\ud800"]
SOLVERS = [None, "sgd", "adam", "rmsprop", "bpgrad", "SGD", "nobody", "", " sgd", "..", "events", 5, True, [], {}]


class Line:
    """One fuzz line: its bytes, and whether it can only be a bad command."""

    def __init__(self, data, bad):
        assert b"\n" not in data
        self.data, self.bad = data, bad


def hostile_number(rng):
    return rng.choice([
        "9" * rng.randint(300, 4000), "-" + "9" * 400, "1e400", "-1e400", "1e308", "-1e308", "4.9e-324", "1e-320",
        "0", "-0", "-0.0", "0.0", "1", "-1", "0.5", "0.999999999999", "1.0000000001", "1e-8", "2", "1e300",
        "NaN", "Infinity", "-Infinity", "nan", "inf", "0x10", "1_000", ".5", "5.", "+1", "01", "1e", "--1",
        str(rng.uniform(-2, 2)), str(rng.uniform(0, 1)), str(rng.random() * 10 ** rng.randint(-30, 30)),
    ])


def hostile_string(rng):
    kind = rng.randrange(8)
    if kind == 0:
        return rng.choice(["paper", "reference", "batch", "epoch_mean", "true", "false", "16", "0x10", "1e-3",
                           "", " ", "null", "pause", "resume"])
    if kind == 1:
        return "".join(chr(rng.randrange(0, 0x20)) for _ in range(rng.randint(1, 20)))
    if kind == 2:
        return "".join(chr(rng.randrange(0x80, 0x2FFF)) for _ in range(rng.randint(1, 40)))
    if kind == 3:
        return "x" * rng.choice([100, 5000, 60000])
    if kind == 4:
        return "\ud800" + rng.choice(["", "\udfff", "a"])
    if kind == 5:
        return "\u202e\ufeff\u0085\u2028\u2029\x7f\x9b"
    return "".join(rng.choice("abcdefghij_-. ,\"'\\/{}[]") for _ in range(rng.randint(0, 30)))


def nested(rng, depth):
    open_, close = rng.choice([("[", "]"), ('{"a":', "}")])
    return open_ * depth + rng.choice(["1", "null", '"x"', "[]"]) + close * depth


def value_text(rng):
    kind = rng.randrange(7)
    if kind == 0:
        return hostile_number(rng)
    if kind == 1:
        return json.dumps(hostile_string(rng))
    if kind == 2:
        return rng.choice(["true", "false", "null", "[]", "{}", "[1]", '{"v": 1}'])
    if kind == 3:
        return nested(rng, rng.choice([2, 50, 500, 990, 1100, 5000]))
    return rng.choice(["0.01", "0.02", "0.1", "0.5", "0.9", "0", "1", "10", "20", "true", "false", '"paper"',
                       '"reference"', '"epoch_mean"', '"batch"'])


def field(key, text):
    return json.dumps(key) + ": " + text


TAME_VALUES = ["0", "0.001", "0.01", "0.05", "0.1", "0.5", "0.9", "0.99", "1", "2", "10", "50", "true", "false",
               '"paper"', '"reference"', '"batch"', '"epoch_mean"']


def command_line(rng):
    """A JSON object shaped like a command, with hostile parts; written by hand, not json.dumps,
    so that literals json.dumps never makes (NaN, 1e400, 5,000 digits) get in. Half of them
    are tame (known names, plausible values) so that many are applied."""
    tame = rng.random() < 0.5
    parts = []
    if tame or rng.random() < 0.7:
        ids = [json.dumps(f"f{rng.randrange(10 ** 6)}")]
        if not tame:
            ids += [json.dumps(hostile_string(rng)), hostile_number(rng), "null", "[]", '""', nested(rng, 900)]
        parts.append(field("id", rng.choice(ids)))
    if rng.random() < 0.7:
        s = rng.choice(SOLVERS[:5] if tame else SOLVERS)
        parts.append(field("solver", json.dumps(s)))
    r = rng.random()
    if r < 0.65:
        parts.append(field("set", json.dumps(rng.choice(NAMES[:14] if tame else NAMES))
                       if tame or rng.random() < 0.9 else value_text(rng)))
        if tame or rng.random() < 0.95:
            parts.append(field("value", rng.choice(TAME_VALUES) if tame else value_text(rng)))
    elif r < 0.9:
        parts.append(field("command", rng.choice(['"pause"', '"resume"'] if tame else
                                                 ['"pause"', '"resume"', '"jump"', '"PAUSE"', "1", "null", "[]"])))
    elif r < 0.95 and not tame:
        parts.append(field("set", '"lr"'))
        parts.append(field("command", '"pause"'))
    if rng.random() < 0.05 and not tame:
        parts.append(field("extra", value_text(rng)))
    if rng.random() < 0.05 and parts and not tame:
        parts.append(parts[0])  # a duplicate key
    rng.shuffle(parts)
    text = "{" + ", ".join(parts) + "}"
    if rng.random() < 0.03 and not tame:
        text = text[:rng.randrange(len(text))]  # cut short
    return Line(text.encode("utf-8", errors="surrogatepass"), bad=False)


def garbage_line(rng):
    """A line that is not a command at all: it must give exactly one rejected event."""
    kind = rng.randrange(7)
    if kind == 0:
        data = bytes(rng.choice([b for b in range(256) if b != 10]) for _ in range(rng.randint(1, 200)))
        if not data.strip():
            data = b"\xff" + data
    elif kind == 1:
        data = nested(rng, rng.choice([1, 10, 1100, 20000])).encode()
    elif kind == 2:
        data = hostile_number(rng).encode()
    elif kind == 3:
        data = json.dumps(hostile_string(rng)).encode("utf-8", errors="surrogatepass") or b'""'
    elif kind == 4:
        data = b"x" * rng.choice([LINE_LIMIT + 1, 2 * LINE_LIMIT, 200000])
    elif kind == 5:
        data = rng.choice([b"\xef\xbb\xbf{}", b"{\"set\": \"lr\", \"value\": \xff}", b"\xc3\x28", b"[]", b"{}",
                           b"{\"set\"}", b"{'set': 'lr'}", b"NaN", b"true", b"null"])
    else:
        data = b'{"id": "g", "command": "pause"' + b"}" * rng.randint(2, 5)
    return Line(data, bad=True)


def fuzz_lines(rng, n):
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.7:
            out.append(command_line(rng))
        elif r < 0.97:
            out.append(garbage_line(rng))
        else:
            out.append(Line(rng.choice([b"", b"   ", b"\t", b"\r"]), bad=False))  # blank: no event
    return out


def test_fuzzed_commands_never_end_the_run(tmp_path, monkeypatch):
    rng = random.Random(SEED)
    lines = fuzz_lines(rng, LINES)
    segments = [lines[i:i + SEGMENT] for i in range(0, len(lines), SEGMENT)]
    totals = {}
    for k, segment in enumerate(segments):
        for kind, n in fuzz_one_run(tmp_path / f"run{k}", segment, k * SEGMENT, monkeypatch).items():
            totals[kind] = totals.get(kind, 0) + n
    # The fuzz reached what it is for: many changes applied, pauses, and every kind of refusal.
    assert totals["set"] > LINES // 20 and totals["pause"] > LINES // 100, totals
    assert totals["rejected"] > LINES // 3, totals


def fuzz_one_run(run_dir, lines, first, monkeypatch):
    """Feeds `lines` to one run, checking each line's outcome; returns the count of each event kind."""
    r = Mixed(run_dir, poll_interval=0)
    path = r.dir / "commands.jsonl"

    def append(data):
        with open(path, "ab") as f:
            f.write(data)

    # apply_commands waits (sleeping) while every configuration is paused: each of its sleeps
    # here appends a resume, so that it comes back at once.
    monkeypatch.setattr("bpgrad.run_writer.time.sleep", lambda seconds: append(RESUME.encode()))
    expected_steps = {name: 0 for name in r.confs}
    all_outcomes = []
    for i, line in enumerate(lines):
        append(line.data + b"\n")
        outcomes = r.w.apply_commands()
        all_outcomes += outcomes
        own = [o for o in outcomes if not o[2].endswith("(command fuzz-resume)")]
        where = f"fuzz line {first + i + 1} (seed {SEED}): {line.data[:200]!r} gave {own}"
        kinds = {o[1] for o in own}
        assert kinds <= {"set", "rejected", "pause", "resume"}, where
        if "rejected" in kinds or line.bad:
            assert len(own) == 1 and own[0][1] == "rejected", where
        else:
            assert len(kinds) <= 1, where
            solvers = [o[0] for o in own]
            assert len(solvers) == len(set(solvers)) and "" not in solvers, where
        if not line.data.strip():
            assert own == [], where
        for name in r.step_all():
            expected_steps[name] += 1
    r.w.close()
    # Every outcome was written to events.csv, in order, as csv_field writes its detail.
    events = read_events(r.dir)
    written = [(e["solver"], e["event"], e["detail"]) for e in events if e["event"] in ("set", "rejected", "pause", "resume")]
    assert written == [(s, k, written_detail(d)) for s, k, d in all_outcomes]
    assert not [e for e in events if e["event"] == "error"]
    # Training went on: every configuration took a step whenever it was neither paused nor done.
    assert {name: c.steps for name, c in r.confs.items()} == expected_steps
    assert sum(expected_steps.values()) > len(lines)
    counts = {}
    for o in all_outcomes:
        if not o[2].endswith("(command fuzz-resume)"):
            counts[o[1]] = counts.get(o[1], 0) + 1
    return counts


def written_detail(detail):
    """What an event detail reads as in events.csv (control characters are written as spaces,
    lone surrogates as U+FFFD)."""
    text = csv_field(detail)
    if text.startswith('"'):
        text = text[1:-1].replace('""', '"')
    return text
