"""RunWriter writes what docs/run-format.md (version 1) describes."""
import errno
import json
import math
import os
import re
import threading
import time

import pytest

import bpgrad
from helpers import Tiny, read_csv, read_events, read_json

HEADER = ("step,epoch,solver,loss,test_loss,test_accuracy,lr,eta,radius,f_star,grad_norm,step_norm,"
          "lipschitz,momentum,rho,lipschitz_estimate,wall_ms")
EVENT_KINDS = {"start", "eval", "epoch_end", "pause", "resume", "set", "rejected", "length_reached", "finished",
               "diverged", "fork", "restart", "stop", "error"}


def race(run_dir, steps=30, **writer_args):
    """BPGrad and Adam side by side for `steps` steps, evaluating every 10, epochs of 15 steps."""
    b, a = Tiny("bpgrad"), Tiny("adam")
    with bpgrad.RunWriter(run_dir, preset="tiny", dataset="32 samples", network="dense(3)", parameters=15,
                          batch_size=32, steps_per_epoch=15, total_steps=steps, **writer_args) as w:
        cb = w.add("bpgrad", b.opt, label="BPGrad L=10")
        ca = w.add("adam", a.opt)
        for step in range(1, steps + 1):
            w.apply_commands()
            epoch = (step - 1) // 15 + 1
            if (step - 1) % 15 == 0:
                b.opt.start_epoch()
            t, loss = b.step(), a.step()
            test = dict(test_loss=0.5, test_accuracy=0.75) if step % 10 == 0 else {}
            cb.log(step, epoch, telemetry=t, **test)
            ca.log(step, epoch, loss, **test)
            if step % 15 == 0:
                cb.epoch_end(epoch)
                ca.epoch_end(epoch)
    return w


def test_files_and_run_json(tmp_path):
    d = tmp_path / "run"
    race(d)
    assert sorted(os.listdir(d)) == ["adam.csv", "bpgrad.csv", "commands.jsonl", "events.csv", "run.json", "summary.json"]
    run = read_json(d, "run.json")
    assert list(run) == ["format", "version", "writer", "created", "preset", "dataset", "network", "parameters",
                         "batch_size", "steps_per_epoch", "total_steps", "previous", "configurations"]
    assert (run["format"], run["version"], run["writer"]) == ("bpgrad-run", 1, "bpgrad-python")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", run["created"])
    assert (run["preset"], run["batch_size"], run["steps_per_epoch"], run["total_steps"], run["previous"]) == ("tiny", 32, 15, 30, None)
    b, a = run["configurations"]
    assert b == {"name": "bpgrad", "kind": "bpgrad", "label": "BPGrad L=10",
                 "hyperparameters": {"lipschitz": 10.0, "momentum": 0.9, "rho": 0.1, "weight_decay": 0.0,
                                     "eta_placement": "paper", "loss_source": "batch"},
                 "parent": None, "fork_step": None}
    assert (a["name"], a["kind"], a["label"]) == ("adam", "adam", "Adam")
    assert a["hyperparameters"] == {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-08, "weight_decay": 0.0}


def test_step_csv(tmp_path):
    d = tmp_path / "run"
    race(d)
    for name in ("bpgrad", "adam"):
        text = (d / f"{name}.csv").read_text()
        assert text.splitlines()[0] == HEADER
        rows = read_csv(d / f"{name}.csv")
        assert [int(r["step"]) for r in rows] == list(range(1, 31))
        assert {r["solver"] for r in rows} == {name}
        assert [int(r["epoch"]) for r in rows] == [1] * 15 + [2] * 15
        walls = [float(r["wall_ms"]) for r in rows]
        assert walls == sorted(walls) and walls[0] >= 0
        for r in rows:
            assert len(r) == 17 and None not in r
            assert math.isfinite(float(r["loss"]))
            evaluated = int(r["step"]) % 10 == 0
            assert (r["test_loss"], r["test_accuracy"]) == (("0.5", "0.75") if evaluated else ("", ""))
    for r in read_csv(d / "bpgrad.csv"):
        assert r["lr"] == ""
        assert (r["lipschitz"], r["momentum"], r["rho"]) == ("10", "0.9", "0.1")
        assert float(r["step_norm"]) > 0 and float(r["grad_norm"]) > 0
        assert float(r["eta"]) == float(r["radius"]) > 0
        assert float(r["f_star"]) <= 0.1 * float(r["loss"]) + 1e-12
    assert read_csv(d / "bpgrad.csv")[0]["lipschitz_estimate"] == ""
    assert float(read_csv(d / "bpgrad.csv")[5]["lipschitz_estimate"]) > 0
    for r in read_csv(d / "adam.csv"):
        assert r["lr"] == "0.01"
        assert all(r[k] == "" for k in ("eta", "radius", "f_star", "lipschitz", "momentum", "rho", "lipschitz_estimate",
                                        "grad_norm", "step_norm"))  # not measured in race()


def test_numbers_are_written_as_percent_9g(tmp_path):
    d = tmp_path / "run"
    race(d)
    row = read_csv(d / "bpgrad.csv")[3]
    for k in ("loss", "eta", "f_star", "grad_norm", "step_norm"):
        assert row[k] == "%.9g" % float(row[k])


def test_events(tmp_path):
    d = tmp_path / "run"
    race(d)
    assert (d / "events.csv").read_text().splitlines()[0] == "step,wall_ms,solver,event,detail"
    events = read_events(d)
    assert {e["event"] for e in events} <= EVENT_KINDS
    starts = [e for e in events if e["event"] == "start"]
    assert [(e["step"], e["solver"]) for e in starts] == [("0", "bpgrad"), ("0", "adam")]
    assert starts[0]["detail"] == "eta_placement=paper lipschitz=10 loss_source=batch momentum=0.9 rho=0.1 weight_decay=0"
    evals = [e for e in events if e["event"] == "eval"]
    assert [(e["step"], e["solver"]) for e in evals] == [(s, n) for s in ("10", "20", "30") for n in ("bpgrad", "adam")]
    assert evals[0]["detail"] == "test_loss=0.5 test_accuracy=0.75"
    ends = [(e["step"], e["solver"], e["detail"]) for e in events if e["event"] == "epoch_end"]
    assert ends == [("15", "bpgrad", "epoch 1"), ("15", "adam", "epoch 1"), ("30", "bpgrad", "epoch 2"), ("30", "adam", "epoch 2")]
    finished = [(e["step"], e["solver"]) for e in events if e["event"] == "finished"]
    assert finished == [("30", "bpgrad"), ("30", "adam")]
    walls = [float(e["wall_ms"]) for e in events]
    assert walls == sorted(walls)


def test_summary(tmp_path):
    d = tmp_path / "run"
    race(d)
    s = read_json(d, "summary.json")
    assert (s["format"], s["version"], s["state"]) == ("bpgrad-run", 1, "finished")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s["updated"])
    b, a = s["solvers"]
    assert set(b) == {"solver", "kind", "label", "hyperparameters", "status", "steps", "final_loss", "best_loss",
                      "final_test_loss", "best_test_accuracy", "samples_per_second", "wall_seconds"}
    assert (b["solver"], b["kind"], b["status"], b["steps"]) == ("bpgrad", "bpgrad", "finished", 30)
    assert (a["solver"], a["kind"], a["status"], a["steps"]) == ("adam", "adam", "finished", 30)
    rows = read_csv(d / "bpgrad.csv")
    losses = [float(r["loss"]) for r in rows]
    ema = 0.0
    for x in losses:
        ema = 0.95 * ema + 0.05 * x
    assert b["final_loss"] == pytest.approx(ema / (1 - 0.95 ** 30))
    assert b["best_loss"] == pytest.approx(min(losses))
    assert (b["final_test_loss"], b["best_test_accuracy"]) == (0.5, 0.75)
    # Once done: samples / wall time of the last row.
    last = float(rows[-1]["wall_ms"]) / 1000
    assert b["wall_seconds"] == pytest.approx(last, abs=1e-3)
    assert b["samples_per_second"] == pytest.approx(32 * 30 / last, rel=1e-3)


def test_text_conventions_and_whole_rows(tmp_path, monkeypatch):
    writes = []
    real_write = os.write

    def spy(fd, data):
        writes.append(bytes(data))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", spy)
    d = tmp_path / "run"
    race(d)
    # Every CSV line went out in one write() call holding exactly that line, and every JSON
    # file (run.json, summary.json) in one call holding the whole document.
    documents = [w for w in writes if w.startswith(b"{")]
    assert documents and all(json.loads(w) for w in documents)
    writes = [w for w in writes if not w.startswith(b"{")]
    lines = [w for w in writes if w.count(b"\n") == 1 and w.endswith(b"\n")]
    assert len(lines) == len(writes)
    for name in ("bpgrad.csv", "adam.csv", "events.csv", "run.json", "summary.json"):
        raw = (d / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
        raw.decode("utf-8")
    csv_lines = sum((d / n).read_bytes().count(b"\n") for n in ("bpgrad.csv", "adam.csv", "events.csv"))
    assert csv_lines == len(writes)


def test_rows_are_readable_before_close(tmp_path):
    d = tmp_path / "run"
    w = bpgrad.RunWriter(d)
    b = Tiny()
    c = w.add("bpgrad", b.opt)
    c.log(1, 1, telemetry=b.step())
    assert len(read_csv(d / "bpgrad.csv")) == 1  # nothing waits in a buffer
    w.close()


def test_summary_is_rewritten_while_running_and_always_whole(tmp_path):
    d = tmp_path / "run"
    w = bpgrad.RunWriter(d, batch_size=32, summary_interval=0.05)
    b = Tiny()
    c = w.add("bpgrad", b.opt)
    seen, bad, stop = set(), [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                s = read_json(d, "summary.json")
                seen.add((s["state"], s["solvers"][0]["steps"] if s["solvers"] else -1))
            except (ValueError, KeyError, IndexError) as e:
                bad.append(e)

    t = threading.Thread(target=reader)
    t.start()
    for step in range(1, 41):
        c.log(step, 1, telemetry=b.step())
        time.sleep(0.01)
    time.sleep(0.15)
    s = read_json(d, "summary.json")
    assert (s["state"], s["solvers"][0]["status"], s["solvers"][0]["steps"]) == ("running", "running", 40)
    assert s["solvers"][0]["samples_per_second"] > 0
    w.close()
    stop.set()
    t.join()
    assert bad == []
    assert len({steps for state, steps in seen if state == "running"}) >= 3
    assert read_json(d, "summary.json")["state"] == "finished"


def test_refuses_an_existing_non_empty_directory(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "bpgrad.csv").write_text("precious\n")
    with pytest.raises(bpgrad.RunWriterError, match="exists and is not empty"):
        bpgrad.RunWriter(tmp_path / "old")
    assert (tmp_path / "old" / "bpgrad.csv").read_text() == "precious\n"
    (tmp_path / "file").write_text("x")
    with pytest.raises(bpgrad.RunWriterError, match="not a directory"):
        bpgrad.RunWriter(tmp_path / "file")
    (tmp_path / "empty").mkdir()
    bpgrad.RunWriter(tmp_path / "empty").close()
    assert (tmp_path / "empty" / "run.json").exists()


def test_configuration_names(tmp_path):
    w = bpgrad.RunWriter(tmp_path / "run")
    for bad, why in [
        (7, "must be a string"),
        ("", "1 to 200 bytes"),
        ("a" * 201, "1 to 200 bytes"),
        ("a b", "[A-Za-z0-9._-]"), ("x/y", "[A-Za-z0-9._-]"), ("ü", "[A-Za-z0-9._-]"), ("a\n", "[A-Za-z0-9._-]"),
        (".", "must not start with '.'"), ("..", "must not start with '.'"), (".hidden", "must not start with '.'"),
        ("events", "reserved"), ("summary", "reserved"), ("preset", "reserved"), ("run", "reserved"),
        ("sweep", "reserved"), ("commands", "reserved"),
        ("Events", "reserved"), ("SUMMARY", "reserved"), ("Run", "reserved"), ("CommandS", "reserved"),
    ]:
        with pytest.raises(ValueError, match=r"invalid configuration name .*" + re.escape(why)):
            w.add(bad, kind="sgd")
    for good in ("sgd-0.1", "a" * 200, "run2", "events.1", "x.", "_", "-", "0"):
        w.add(good, kind="sgd", hyperparameters={"lr": 0.1})
    with pytest.raises(ValueError, match="already exists"):
        w.add("sgd-0.1", kind="sgd")
    # Unique ignoring case: on a case-insensitive file system SGD-0.1.csv is sgd-0.1.csv.
    with pytest.raises(ValueError, match=r"'SGD-0\.1' already exists .*as 'sgd-0\.1'.*ignoring case"):
        w.add("SGD-0.1", kind="sgd")
    with pytest.raises(ValueError, match="give an optimizer or a kind"):
        w.add("x")
    w.close()
    # run.json was rewritten when the configuration was added.
    assert [c["name"] for c in read_json(tmp_path / "run", "run.json")["configurations"]] == [
        "sgd-0.1", "a" * 200, "run2", "events.1", "x.", "_", "-", "0"]


def test_steps_must_increase(tmp_path):
    with bpgrad.RunWriter(tmp_path / "run") as w:
        c = w.add("x", kind="sgd")
        c.log(1, 1, 0.5)
        with pytest.raises(ValueError, match="not after step 1"):
            c.log(1, 1, 0.5)
        with pytest.raises(ValueError, match="epoch"):
            c.log(2, 0, 0.5)


def test_divergence(tmp_path):
    d = tmp_path / "run"
    with bpgrad.RunWriter(d) as w:
        c = w.add("x", kind="sgd")
        c.log(1, 1, 0.5)
        c.log(2, 1, float("nan"))
        assert c.diverged and c.done
    events = read_events(d)
    assert [(e["step"], e["event"], e["detail"]) for e in events[1:]] == [("2", "diverged", "loss=nan")]
    s = read_json(d, "summary.json")
    assert s["state"] == "finished" and s["solvers"][0]["status"] == "diverged at step 2"
    assert s["solvers"][0]["final_loss"] == pytest.approx(0.5)  # non-finite losses stay out of the average
    assert read_csv(d / "x.csv")[1]["loss"] == "nan"


def test_an_exception_stops_the_run_with_an_error_event(tmp_path):
    d = tmp_path / "run"
    with pytest.raises(RuntimeError):
        with bpgrad.RunWriter(d) as w:
            w.add("x", kind="sgd").log(1, 1, 0.5)
            raise RuntimeError("out of memory")
    events = read_events(d)
    assert (events[-1]["event"], events[-1]["solver"], events[-1]["detail"]) == ("error", "", "RuntimeError: out of memory")
    s = read_json(d, "summary.json")
    assert s["state"] == "stopped" and s["solvers"][0]["status"] == "error: RuntimeError: out of memory"


def test_interrupt_writes_stop_events(tmp_path):
    d = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        with bpgrad.RunWriter(d) as w:
            w.add("x", kind="sgd").log(1, 1, 0.5)
            raise KeyboardInterrupt
    assert [(e["step"], e["event"]) for e in read_events(d)[1:]] == [("1", "stop")]
    s = read_json(d, "summary.json")
    assert s["state"] == "stopped" and s["solvers"][0]["status"] == "stopped"


def test_unwritable_file_is_a_clear_error(tmp_path, monkeypatch):
    d = tmp_path / "run"
    w = bpgrad.RunWriter(d)
    c = w.add("x", kind="sgd")

    def full(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(bpgrad.RunWriterError, match=r"x\.csv: cannot be written \(No space left on device\)"):
        c.log(1, 1, 0.5)
    monkeypatch.undo()
    w.close()


def test_details_with_commas_and_quotes_are_quoted(tmp_path):
    d = tmp_path / "run"
    with bpgrad.RunWriter(d) as w:
        w.event("error", 'disk "A", then\nB')
    line = (d / "events.csv").read_text().splitlines()[1]
    assert line.endswith(',,error,"disk ""A"", then B"')
    assert read_events(d)[0]["detail"] == 'disk "A", then B'


# -- writes in a shared folder and on a full disk ----------------------------------------------------

def test_links_planted_in_the_run_directory_are_never_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    d = tmp_path / "run"
    w = bpgrad.RunWriter(d)
    # The summary's temporary name, and summary.json itself, replaced by links to someone's file.
    os.symlink(victim, d / f".summary.json.tmp-{os.getpid()}")
    os.unlink(d / "summary.json")
    os.symlink(victim, d / "summary.json")
    # A configuration's CSV planted before the configuration is added.
    os.symlink(victim, d / "x.csv")
    with pytest.raises(bpgrad.RunWriterError, match=r"x\.csv: cannot be created"):
        w.add("x", kind="sgd")
    os.symlink(tmp_path / "nowhere", d / "y.csv")  # dangling: opening must not create its target
    with pytest.raises(bpgrad.RunWriterError, match=r"y\.csv: cannot be created"):
        w.add("y", kind="sgd")
    w.close()
    assert victim.read_text() == "precious\n"
    assert not (tmp_path / "nowhere").exists()
    assert not os.path.islink(d / "summary.json") and read_json(d, "summary.json")["state"] == "finished"
    assert [n for n in os.listdir(d) if ".tmp-" in n] == []


def disk_with_room(monkeypatch, room):
    """os.write on a disk with `room` bytes left: a write that does not fit is cut short, the
    next one fails with ENOSPC. Returns a function that frees the disk again."""
    real_write = os.write
    left = [room]

    def write(fd, data):
        if left[0] is None:
            return real_write(fd, data)
        if left[0] == 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = real_write(fd, bytes(data)[:left[0]])
        left[0] -= n
        return n

    monkeypatch.setattr(os, "write", write)
    return lambda: left.__setitem__(0, None)


def check_no_torn_rows(d):
    for name in os.listdir(d):
        if name.endswith(".csv"):
            raw = (d / name).read_bytes()
            assert raw.endswith(b"\n"), name
            width = raw.split(b"\n")[0].count(b",")
            assert all(line.count(b",") >= width for line in raw.split(b"\n")[:-1]), name
    assert [n for n in os.listdir(d) if ".tmp-" in n] == []


def test_a_full_disk_leaves_no_torn_row_and_close_says_stopped(tmp_path, monkeypatch):
    d = tmp_path / "run"
    w = bpgrad.RunWriter(d)
    c = w.add("x", kind="sgd")
    c.log(1, 1, 0.5)
    free = disk_with_room(monkeypatch, 300)
    with pytest.raises(bpgrad.RunWriterError, match=r"x\.csv: cannot be written \(No space left on device\)"):
        for step in range(2, 100):
            c.log(step, 1, 0.5)
    w._try_write_summary()  # what the heartbeat does every second: it fails too, and leaves nothing behind
    with pytest.raises(bpgrad.RunWriterError, match=r"summary\.json: cannot be written"):
        w.check()
    check_no_torn_rows(d)
    free()
    w.close()
    check_no_torn_rows(d)
    s = read_json(d, "summary.json")
    assert s["state"] == "stopped"
    assert s["solvers"][0]["status"].startswith("error: ") and "x.csv" in s["solvers"][0]["status"]
    rows = read_csv(d / "x.csv")
    assert [int(r["step"]) for r in rows] == list(range(1, len(rows) + 1)) and s["solvers"][0]["steps"] == len(rows)


def test_close_on_a_disk_that_stays_full_raises(tmp_path, monkeypatch):
    d = tmp_path / "run"
    w = bpgrad.RunWriter(d)
    c = w.add("x", kind="sgd")
    c.log(1, 1, 0.5)
    disk_with_room(monkeypatch, 150)
    with pytest.raises(bpgrad.RunWriterError, match=r"x\.csv"):
        for step in range(2, 100):
            c.log(step, 1, 0.5)
    with pytest.raises(bpgrad.RunWriterError, match=r"summary\.json: cannot be written \(No space left on device\)"):
        w.close()
    monkeypatch.undo()
    check_no_torn_rows(d)
    assert read_json(d, "summary.json")["state"] == "running"  # the old one, whole; the caller was told


def test_a_full_disk_inside_the_with_block_ends_the_run_as_an_error(tmp_path, monkeypatch):
    d = tmp_path / "run"
    with pytest.raises(bpgrad.RunWriterError, match=r"x\.csv"):
        with bpgrad.RunWriter(d) as w:
            c = w.add("x", kind="sgd")
            c.log(1, 1, 0.5)
            free = disk_with_room(monkeypatch, 200)
            try:
                for step in range(2, 100):
                    c.log(step, 1, 0.5)
            finally:
                free()
    check_no_torn_rows(d)
    s = read_json(d, "summary.json")
    assert s["state"] == "stopped" and s["solvers"][0]["status"].startswith("error: RunWriterError: ")


FILE_SIZE_LIMIT_SCRIPT = r"""
import os, resource, sys
sys.path.insert(0, sys.argv[2])
import bpgrad
resource.setrlimit(resource.RLIMIT_FSIZE, (6000, 6000))
w = bpgrad.RunWriter(sys.argv[1])
c = w.add("x", kind="sgd")
try:
    for step in range(1, 10000):
        c.log(step, 1, 0.123456789)
except bpgrad.RunWriterError as e:
    print("error:", e)
w.close()
print("closed")
"""


def test_a_file_size_limit_is_a_clear_error_not_a_signal(tmp_path):
    import subprocess
    import sys
    d = tmp_path / "run"
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = subprocess.run([sys.executable, "-c", FILE_SIZE_LIMIT_SCRIPT, str(d), here], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == [f"error: {d / 'x.csv'}: cannot be written (File too large)", "closed"]
    check_no_torn_rows(d)
    s = read_json(d, "summary.json")
    assert s["state"] == "stopped" and s["solvers"][0]["status"].startswith("error: ")
    assert (d / "x.csv").stat().st_size < 6000
