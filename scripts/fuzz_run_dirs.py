"""Hostile run directories for scripts/fuzz.py: what `plot`, `view` and `watch` read.

One generator, `run_dir_case`, builds a small run directory (docs/run-format.md) and breaks
it: malformed, huge, negative, NaN and +-1e308 numbers, steps and wall_ms that go back,
version fields of every JSON type, non-UTF-8 bytes, control characters, FIFOs, symbolic
links (out of the directory, to /dev/zero, dangling, in a loop), folders in place of files,
empty files, truncated rows and long lines. Then it runs one of

  - `plot DIR --out FIG` (sometimes onto an existing file or a planted link, which must be
    refused without --force),
  - `view DIR` or `watch DIR` in a pseudo-terminal (`script`), which draws a frame and quits
    on the `q` waiting on its input; a trap, a hang or a stack trace fails as everywhere.

Whether an input is known to be invalid: a run.json of a newer version or another format,
and an existing --out without --force, must be refused; everything else may be drawn or
refused, as long as it is one or the other. Python 3 standard library only.
"""

import json
import os

HEADER = ("step,epoch,solver,loss,test_loss,test_accuracy,lr,eta,radius,f_star,grad_norm,step_norm,"
          "lipschitz,momentum,rho,lipschitz_estimate,wall_ms")
EVENTS_HEADER = "step,wall_ms,solver,event,detail"
EVENT_KINDS = ["start", "eval", "epoch_end", "pause", "resume", "set", "rejected", "length_reached", "finished",
               "diverged", "fork", "restart", "stop", "error"]

HOSTILE_NUMBERS = [
    "1e308", "-1e308", "1.7976931348623157e308", "-1.7976931348623157e308", "1e309", "-1e309", "nan", "-nan", "inf",
    "-inf", "5e-324", "-5e-324", "0", "-0", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "1e300", "0x10", "0x1p-1074", "1" * 400, "1e", "--1", "1.2.3", "", " 1", "1 ", "\"1\"", "\x1b[2J", "\x07",
]


def _number(rng, normal):
    return rng.choice(HOSTILE_NUMBERS) if rng.random() < 0.3 else normal


def _row(rng, step, wall, name, kind):
    loss = _number(rng, repr(round(2.0 / (abs(step) + 1), 6)))
    test = _number(rng, repr(round(2.2 / (abs(step) + 1), 6))) if step % 5 == 0 else ""
    acc = _number(rng, "0.5") if step % 5 == 0 else ""
    bp = kind == "bpgrad"
    eta = _number(rng, "0.01") if bp else ""
    fields = [str(step), str(1 + step // 10), name, loss, test, acc, "" if bp else "0.01", eta, eta, "0.02" if bp else "",
              _number(rng, "1.5"), _number(rng, "0.01"), "10" if bp else "", "0.9" if bp else "", "0.1" if bp else "",
              "2.5" if bp else "", _number(rng, repr(wall))]
    return ",".join(fields)


def _csv_rows(rng, name, kind, steps):
    rows = [HEADER]
    step, wall = 0, 0.0
    for _ in range(steps):
        r = rng.random()
        # Steps and times mostly go forward; sometimes back, repeated, negative or huge.
        step = step - rng.randrange(0, 3) if r < 0.08 else (rng.choice([0, -1, 10**18, 2**63]) if r < 0.1 else step + 1)
        wall = wall - rng.uniform(0, 50) if rng.random() < 0.1 else (rng.choice([1e308, -1e308, 0.0]) if rng.random() < 0.03 else wall + rng.uniform(0, 20))
        row = _row(rng, step, wall, name, kind)
        t = rng.random()
        if t < 0.04:
            row = row[:rng.randrange(len(row) + 1)]                        # truncated
        elif t < 0.06:
            row += "," * rng.randrange(1, 30)                                 # extra fields
        elif t < 0.07:
            row = row.replace(",", ",\"", 1)                                   # broken quoting
        elif t < 0.08:
            row = "x" * rng.choice([1000, 70000, 1_100_000])                  # long line
        rows.append(row)
    text = "\n".join(rows)
    return text if rng.random() < 0.15 else text + "\n"                       # unterminated last line


def _events(rng, names, steps):
    lines = [EVENTS_HEADER]
    for _ in range(rng.randrange(0, 40)):
        kind = rng.choice(EVENT_KINDS + ["bogus", "", "\x1b]0;title\x07"])
        detail = rng.choice(["", "lipschitz 10 -> 20", "lr 0.01 -> 1e308", "continues in /etc", "from x at step 3",
                             "loss=nan", "\"quoted, with comma\"", "\x1b[31mred", "a" * 3000])
        if "," in detail and not detail.startswith("\""):
            detail = "\"" + detail + "\""
        lines.append(f"{_number(rng, str(rng.randrange(steps + 2)))},{_number(rng, '1.5')},{rng.choice(names + [''])},{kind},{detail}")
    if rng.random() < 0.1:
        lines.append("1,2,x," * 20000)                                       # a 120 KB line
    return "\n".join(lines) + "\n"


def _run_json(rng, names_kinds):
    version = 1 if rng.random() < 0.6 else rng.choice([1.5, 2, 0, -1, 1e300, -1e300, "1", None, True, [1], {"v": 1}, 1e-300, 99])
    invalid = isinstance(version, (int, float)) and not isinstance(version, bool) and not (1 <= version < 2)
    fmt = "bpgrad-run"
    if rng.random() < 0.05:
        fmt = rng.choice(["other", "bpgrad-run\x1b[2J\x07", 7, None])
        invalid = invalid or fmt is not None
    configs = []
    for name, kind in names_kinds:
        c = {"name": name, "kind": kind, "label": rng.choice([name, name.upper(), "\x1b[31mred\x07", "x" * 500, ""]),
             "hyperparameters": {"lipschitz": _json_number(rng, 10), "momentum": rng.choice([0.9, "0.9", True, None, -1e308])},
             "parent": None, "fork_step": rng.choice([None, 3, -1, 1e300, "7"])}
        configs.append(c)
    if rng.random() < 0.1:
        configs.append({"name": rng.choice(["../escape", ".hidden", "a/b", "", "x" * 300, "events", "ok\x1b"]), "kind": "adam"})
    doc = {"format": fmt, "version": version, "writer": "fuzz", "preset": "spirals", "steps_per_epoch": rng.choice([10, 0, -5, 1e300, None, "10"]),
           "total_steps": rng.choice([100, None, -1, 1e308, "x"]), "batch_size": rng.choice([32, 0, 1e300, None]),
           "configurations": configs}
    if fmt is None:
        del doc["format"]
    text = json.dumps(doc)
    if rng.random() < 0.08:
        text = text[:rng.randrange(len(text))]                                # caught mid-write
        invalid = False                                                        # then it is not read at all
    return text, invalid


def _json_number(rng, normal):
    return rng.choice([normal, normal, 1e308, -1e308, 0, -1, 1e-320, 10**30])


def _summary(rng, names):
    state = rng.choice(["running", "finished", "stopped", "bogus", None])
    updated = rng.choice(["2020-01-01T00:00:00Z", "not a time", None, "2099-01-01T00:00:00Z", "\x1b[2J"])
    solvers = [{"solver": n, "status": rng.choice(["running", "finished", "diverged at step 99999999999999999999", "error: \x07", None]),
                "steps": rng.choice([3, -1, 1e308, None]), "final_loss": rng.choice([0.1, 1e308, None, "x"])} for n in names]
    return json.dumps({"format": "bpgrad-run", "version": 1, "state": state, "updated": updated, "solvers": solvers})


def _write(path, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    kwargs = {} if isinstance(data, bytes) else {"encoding": "utf-8", "errors": "surrogateescape"}
    with open(path, mode, **kwargs) as f:
        f.write(data)


def _plant(rng, path, folder):
    """Puts something hostile at `path` instead of a regular file."""
    choice = rng.choice(["fifo", "dir", "empty", "link-out", "link-zero", "link-dangling", "link-loop", "binary", "crlf"])
    if os.path.isdir(path) and not os.path.islink(path):
        os.rmdir(path)
    elif os.path.lexists(path):
        os.remove(path)
    if choice == "fifo":
        os.mkfifo(path)
    elif choice == "dir":
        os.mkdir(path)
    elif choice == "empty":
        _write(path, "")
    elif choice == "link-out":
        outside = os.path.join(folder, "outside-" + os.path.basename(path))
        _write(outside, HEADER + "\n1,1,x,0.5,,,,,,,,,,,,,1\n")
        os.symlink(outside, path)
    elif choice == "link-zero":
        os.symlink("/dev/zero", path)
    elif choice == "link-dangling":
        os.symlink(os.path.join(folder, "nothing-here"), path)
    elif choice == "link-loop":
        os.symlink(path, path)
    elif choice == "binary":
        _write(path, bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))))
    else:
        _write(path, (HEADER + "\r\n1,1,x,0.5,,,,,,,,,,,,,1\r\n").encode() + b"\xff\xfe\xc3(\n")
    return choice


def run_dir_case(rng, folder, shipped, Case):
    run = os.path.join(folder, "run")
    os.mkdir(run)
    kinds = ["bpgrad", "adam", "sgd", "external"]
    names_kinds = [(f"c{i}", rng.choice(kinds)) for i in range(rng.randrange(1, 4))]
    names = [n for n, _ in names_kinds]
    steps = rng.choice([0, 1, 2, 5, 30, 200])
    invalid = False
    legacy = rng.random() < 0.1
    if not legacy:
        text, invalid = _run_json(rng, names_kinds)
        _write(os.path.join(run, "run.json"), text)
    for name, kind in names_kinds:
        _write(os.path.join(run, name + ".csv"), _csv_rows(rng, name, kind, steps))
    _write(os.path.join(run, "events.csv"), _events(rng, names, steps))
    if rng.random() < 0.6:
        _write(os.path.join(run, "summary.json"), _summary(rng, names))
    if rng.random() < 0.05:
        _write(os.path.join(run, names[0] + ".csv"), b"\xff\xfe" + HEADER.encode() + b"\n1,1,c0,\xc3\x28,,,,,,,,,,,,,1\n")
    # Files that are not what they should be.
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        target = rng.choice(["run.json", "summary.json", "events.csv"] + [n + ".csv" for n in names])
        _plant(rng, os.path.join(run, target), folder)
        if target == "run.json":
            invalid = False  # not read (or empty: not JSON yet), so not refused either

    command = rng.choices(["plot", "view", "watch"], weights=[6, 3, 1])[0]
    if command == "plot":
        out = os.path.join(folder, "fig." + rng.choice(["png", "svg", "pdf"]))
        args = ["plot", run, "--metric", rng.choice(["loss", "test_accuracy", "step_size", "radius", "grad_norm"]),
                "--out", out]
        args += rng.choice([[], ["--x", "time"], ["--x", "epoch"], ["--log-y"], ["--smooth", "0.9"], ["--x", "time", "--log-y"]])
        occupied = rng.random() < 0.1
        force = rng.random() < 0.5
        if occupied:
            if rng.random() < 0.5:
                _write(out, "precious")
            else:
                _write(os.path.join(folder, "victim"), "precious")
                os.symlink(os.path.join(folder, "victim"), out)
            if force:
                args.append("--force")
        if rng.random() < 0.1:
            # A link planted at a temporary name the old writer used.
            os.symlink(os.path.join(folder, "victim-tmp"), out + ".tmp-1")
        return Case("run-dir-plot", args, invalid=True if (occupied and not force) or invalid else None)
    return Case(f"run-dir-{command}", [command, run], invalid=True if invalid else None, terminal=True)
