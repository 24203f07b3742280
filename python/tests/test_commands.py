"""commands.jsonl: what a viewer appends is applied between two steps and recorded as events."""
import threading
import time

import pytest

import bpgrad
from bpgrad.commands import CommandReader
from helpers import Tiny, append_command, read_csv, read_events, read_json


class Run:
    """BPGrad (and optionally Adam) training under a RunWriter, one step at a time."""

    def __init__(self, path, adam=False, **writer_args):
        self.w = bpgrad.RunWriter(path, batch_size=32, **writer_args)
        self.dir = path
        self.b = Tiny("bpgrad", lipschitz=10.0)
        self.cb = self.w.add("bpgrad", self.b.opt)
        self.a = self.ca = None
        if adam:
            self.a = Tiny("adam")
            self.ca = self.w.add("adam", self.a.opt)
        self.step = 0

    def train(self, n):
        for _ in range(n):
            self.w.apply_commands()
            self.step += 1
            if not self.cb.paused:
                self.cb.log(self.step, 1, telemetry=self.b.step())
            if self.ca is not None and not self.ca.paused:
                self.ca.log(self.ca.steps + 1, 1, self.a.step())

    def events(self, kind=None):
        return [(e["step"], e["solver"], e["event"], e["detail"]) for e in read_events(self.dir)
                if e["event"] != "start" and (kind is None or e["event"] == kind)]


def test_set_round_trip(tmp_path):
    r = Run(tmp_path / "run")
    r.train(10)
    append_command(r.dir, {"id": "w1-1", "solver": "bpgrad", "set": "lipschitz", "value": 50})
    r.train(10)
    r.w.close()
    # Applied between step 10 and step 11: the event sits at step 10, the new L is in force from row 11 on.
    assert r.events("set") == [("10", "bpgrad", "set", "lipschitz 10 -> 50 (command w1-1)")]
    rows = read_csv(r.dir / "bpgrad.csv")
    assert [row["lipschitz"] for row in rows] == ["10"] * 10 + ["50"] * 10
    for row in rows[10:]:
        assert float(row["eta"]) == pytest.approx((float(row["loss"]) - float(row["f_star"])) / 50, rel=1e-6)
    assert r.b.opt.param_groups[0]["lipschitz"] == 50.0


def test_a_partial_line_waits_for_its_newline(tmp_path):
    r = Run(tmp_path / "run")
    append_command(r.dir, '{"id": "p-1", "solver": "bpgrad", "se')
    r.train(3)
    assert r.events() == []
    append_command(r.dir, 't": "rho", "value": 0.2}\n')
    r.train(1)
    r.w.close()
    assert r.events("set") == [("3", "bpgrad", "set", "rho 0.1 -> 0.2 (command p-1)")]


def test_rejections_change_nothing(tmp_path):
    r = Run(tmp_path / "run", adam=True)
    r.train(2)
    for line in [
        {"id": "r-1", "solver": "bpgrad", "set": "lipschitz", "value": -1},
        {"id": "r-2", "solver": "bpgrad", "set": "eta_placement", "value": "sideways"},
        {"id": "r-3", "solver": "bpgrad", "set": "lipschitz", "value": "fifty"},
        {"id": "r-4", "solver": "nobody", "set": "lipschitz", "value": 5},
        {"id": "r-5", "solver": "bpgrad", "set": "lr", "value": 0.1},
        {"id": "r-6", "set": "zeta", "value": 1},
        {"id": "r-7", "solver": "bpgrad", "set": "lipschitz"},
        {"id": "r-8", "command": "jump"},
        {"id": "r-9", "set": "lr", "value": 1, "command": "pause"},
        {"solver": "bpgrad", "set": "rho", "value": 0.5},
        {"id": "r-10", "solver": "adam", "set": "beta1", "value": 1.0},
    ]:
        append_command(r.dir, line)
    append_command(r.dir, "this is not json\n\n[1, 2]\n")
    r.train(1)
    r.w.close()
    rejected = r.events("rejected")
    assert [e[3] for e in rejected] == [
        "lipschitz -1: must be > 0 (command r-1)",
        "eta_placement sideways: must be one of paper, reference (command r-2)",
        "lipschitz fifty: must be a number > 0 (command r-3)",
        "lipschitz 5: no configuration named 'nobody' (there are bpgrad, adam) (command r-4)",
        "lr 0.1: bpgrad has no such hyperparameter (it has lipschitz, momentum, rho, weight_decay, eta_placement, "
        "loss_source) (command r-5)",
        "zeta 1: no configuration has zeta (command r-6)",
        "lipschitz: no value (command r-7)",
        'invalid command: unknown command "jump" (expected pause or resume) (command r-8)',
        'invalid command: expected either "set" with "value" or "command" (command r-9)',
        "beta1 1: must be in [0, 1) (command r-10)",
        "invalid command: line 12 is not JSON (Expecting value: line 1 column 1 (char 0))",
        "invalid command: line 14 is not a JSON object",
    ]
    assert [e[1] for e in rejected] == ["bpgrad"] * 3 + [""] + ["bpgrad", "", "bpgrad", "", "", "adam", "", ""]
    assert {e[0] for e in rejected} == {"2", "0"}
    # A line without an id is applied; its event simply has no "(command ID)".
    assert [e[3] for e in r.events("set")] == ["rho 0.1 -> 0.5"]
    g = r.b.opt.param_groups[0]
    assert (g["lipschitz"], g["eta_placement"], g["rho"]) == (10.0, "paper", 0.5)
    assert r.a.opt.param_groups[0]["betas"] == (0.9, 0.999)


def test_a_set_that_changes_nothing_writes_no_event(tmp_path):
    r = Run(tmp_path / "run")
    append_command(r.dir, {"id": "n-1", "solver": "bpgrad", "set": "lipschitz", "value": 10})
    append_command(r.dir, {"id": "n-2", "solver": "bpgrad", "set": "eta_placement", "value": "paper"})
    r.train(2)
    r.w.close()
    assert r.events() == [("2", "bpgrad", "finished", "")]


def test_without_a_solver_every_configuration_that_has_the_name_is_changed(tmp_path):
    r = Run(tmp_path / "run", adam=True)
    r.train(1)
    append_command(r.dir, {"id": "a-1", "set": "weight_decay", "value": 0.01})
    append_command(r.dir, {"id": "a-2", "set": "lr", "value": 0.05})
    append_command(r.dir, {"id": "a-3", "solver": "adam", "set": "beta1", "value": 0.8})
    r.train(2)
    r.w.close()
    assert r.events("set") == [
        ("1", "bpgrad", "set", "weight_decay 0 -> 0.01 (command a-1)"),
        ("1", "adam", "set", "weight_decay 0 -> 0.01 (command a-1)"),
        ("1", "adam", "set", "lr 0.01 -> 0.05 (command a-2)"),
        ("1", "adam", "set", "beta1 0.9 -> 0.8 (command a-3)"),
    ]
    assert [row["lr"] for row in read_csv(r.dir / "adam.csv")] == ["0.01", "0.05", "0.05"]
    assert r.a.opt.param_groups[0]["betas"] == (0.8, 0.999)


def test_eta_placement_event_says_what_happened_to_the_velocity(tmp_path):
    r = Run(tmp_path / "run")
    append_command(r.dir, {"id": "e-0", "solver": "bpgrad", "set": "eta_placement", "value": "reference"})
    r.train(3)
    append_command(r.dir, {"id": "e-1", "solver": "bpgrad", "set": "eta_placement", "value": "paper"})
    r.train(1)
    r.w.close()
    assert r.events("set") == [
        ("0", "bpgrad", "set", "eta_placement paper -> reference; velocity reset (command e-0)"),
        ("3", "bpgrad", "set", "eta_placement reference -> paper; velocity converted (command e-1)"),
    ]


def test_pause_blocks_until_resume_and_the_pause_is_not_training_time(tmp_path):
    r = Run(tmp_path / "run", poll_interval=0.02)
    r.train(3)
    append_command(r.dir, {"id": "q-1", "command": "pause"})
    threading.Timer(1.0, append_command, (r.dir, {"id": "q-2", "command": "resume"})).start()
    started, wall = time.monotonic(), r.w.wall_ms()
    r.train(1)
    assert time.monotonic() - started >= 0.95
    assert r.w.wall_ms() - wall < 500
    r.w.close()
    assert r.events()[:2] == [("3", "bpgrad", "pause", "(command q-1)"), ("3", "bpgrad", "resume", "(command q-2)")]
    rows = read_csv(r.dir / "bpgrad.csv")
    assert float(rows[3]["wall_ms"]) - float(rows[2]["wall_ms"]) < 500


def test_one_paused_configuration_lets_the_others_train(tmp_path):
    r = Run(tmp_path / "run", adam=True, summary_interval=0.05)
    r.train(2)
    append_command(r.dir, {"id": "s-1", "solver": "adam", "command": "pause"})
    r.train(3)
    assert r.ca.paused and not r.cb.paused
    time.sleep(0.2)
    status = {s["solver"]: s["status"] for s in read_json(r.dir, "summary.json")["solvers"]}
    assert status == {"bpgrad": "running", "adam": "paused"}
    append_command(r.dir, {"id": "s-2", "command": "pause"})  # adam is paused already: only bpgrad gets an event
    append_command(r.dir, {"id": "s-3", "command": "resume"})
    r.train(1)
    r.w.close()
    assert r.events("pause") == [("2", "adam", "pause", "(command s-1)"), ("5", "bpgrad", "pause", "(command s-2)")]
    assert r.events("resume") == [("5", "bpgrad", "resume", "(command s-3)"), ("2", "adam", "resume", "(command s-3)")]
    assert (r.cb.steps, r.ca.steps) == (6, 3)


def test_reader_keeps_its_place(tmp_path):
    path = tmp_path / "commands.jsonl"
    reader = CommandReader(str(path))
    assert reader.read() == []  # no file yet
    path.write_text('{"id": "1", "command": "pause"}\n{"id": "2", "comm')
    assert [c.id for c in reader.read()] == ["1"]
    assert reader.read() == []
    with open(path, "a") as f:
        f.write('and": "resume"}\n')
    cmds = reader.read()
    assert [(c.id, c.command, c.line) for c in cmds] == [("2", "resume", 2)]


def test_events_applied_while_paused_carry_the_time_the_pause_began(tmp_path):
    # wall_ms leaves paused time out, so the training clock stands still during a pause: the
    # pause, every set applied while paused and the resume all carry the same wall_ms, which
    # is at or before the next row's.
    r = Run(tmp_path / "run", poll_interval=0.02)
    r.train(3)
    append_command(r.dir, {"id": "q-1", "command": "pause"})
    threading.Timer(0.4, append_command, (r.dir, {"id": "q-2", "solver": "bpgrad", "set": "rho", "value": 0.2})).start()
    threading.Timer(0.8, append_command, (r.dir, {"id": "q-3", "command": "resume"})).start()
    r.train(1)
    r.w.close()
    events = [e for e in read_events(r.dir) if e["event"] in ("pause", "set", "resume")]
    assert [(e["event"], e["detail"]) for e in events] == [
        ("pause", "(command q-1)"), ("set", "rho 0.1 -> 0.2 (command q-2)"), ("resume", "(command q-3)")]
    walls = [float(e["wall_ms"]) for e in events]
    assert walls[0] == walls[1] == walls[2]
    rows = read_csv(r.dir / "bpgrad.csv")
    assert float(rows[2]["wall_ms"]) <= walls[0] <= float(rows[3]["wall_ms"])
