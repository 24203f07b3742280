"""commands.jsonl written by anyone: every line becomes at most one outcome per configuration,
a bad line exactly one `rejected` event, and nothing a viewer writes ends the training run."""
import json
import math
import os
import threading
import time

import pytest
import torch
import torch.nn.functional as F

from bpgrad.commands import LINE_LIMIT, READ_LIMIT, CommandReader
from helpers import Mixed, append_command, read_csv, read_events


def append_bytes(run_dir, data):
    """A viewer's append of raw bytes (which need not be UTF-8)."""
    fd = os.open(os.path.join(run_dir, "commands.jsonl"), os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def one_rejection(r, line, match):
    """Appends `line`, trains one step, and checks that it gave exactly one `rejected` event."""
    before = len(r.events())
    if isinstance(line, bytes):
        append_bytes(r.dir, line)
    else:
        append_command(r.dir, line if isinstance(line, str) else json.dumps(line) + "\n")
    r.train(1)
    new = r.events()[before:]
    assert len(new) == 1, new
    assert new[0][2] == "rejected" and match in new[0][3], new
    return new[0]


# -- item: one bad line, one rejected event -----------------------------------------------------

def test_blank_is_json_whitespace_only(tmp_path):
    """Spaces, tabs and carriage returns make a blank line (no event), as in the Swift reader;
    a line of other control characters (a vertical tab, a form feed) is a bad command."""
    r = Mixed(tmp_path / "run")
    r.train(1)
    before = len(r.events())
    append_bytes(r.dir, b"\r\n \t \r\n\n")
    r.train(1)
    assert r.events()[before:] == []
    one_rejection(r, b"\x0b\n", "not JSON")
    one_rejection(r, b"\x0c\n", "not JSON")


def test_a_bad_line_is_one_rejected_event_whatever_it_targets(tmp_path):
    r = Mixed(tmp_path / "run")
    r.train(1)
    one_rejection(r, "not json\n", "is not JSON")
    one_rejection(r, "[1]\n", "is not a JSON object")
    one_rejection(r, {"id": "u-1", "set": "zeta", "value": 1}, "zeta 1: no configuration has zeta (command u-1)")
    # weight_decay is in all four; -1 is refused by every one of them: one event, not four.
    e = one_rejection(r, {"id": "u-2", "set": "weight_decay", "value": -1}, "weight_decay -1: must be >= 0 (command u-2)")
    assert e[1] == ""
    # momentum 1.5 is fine for SGD and RMSprop but not for BPGrad: the command is refused whole.
    e = one_rejection(r, {"id": "u-3", "set": "momentum", "value": 1.5}, "momentum 1.5: bpgrad: must be in [0, 1) (command u-3)")
    assert r.opts["sgd"].param_groups[0]["momentum"] == 0
    assert r.opts["rmsprop"].param_groups[0]["momentum"] == 0
    one_rejection(r, {"id": "u-4", "command": "jump"}, 'unknown command "jump"')
    # A good solver-less set still changes every configuration that has it, one event each.
    append_command(r.dir, {"id": "u-5", "set": "lr", "value": 0.02})
    r.train(1)
    r.w.close()
    assert [(e[1], e[3]) for e in r.events("set")] == [
        ("sgd", "lr 0.1 -> 0.02 (command u-5)"), ("adam", "lr 0.01 -> 0.02 (command u-5)"),
        ("rmsprop", "lr 0.01 -> 0.02 (command u-5)")]


# -- item: truncated commands.jsonl ---------------------------------------------------------------

def test_a_truncated_file_is_read_again_from_its_beginning(tmp_path):
    path = tmp_path / "commands.jsonl"
    reader = CommandReader(str(path))
    path.write_text('{"id": "1", "command": "pause"}\n{"id": "2", "command": "resume"}\n')
    assert [c.id for c in reader.read()] == ["1", "2"]
    path.write_text('{"id": "3", "command": "pause"}\n')  # shorter than what was read: start again at 0
    assert [(c.id, c.line) for c in reader.read()] == [("3", 1)]
    assert reader.read() == []
    with open(path, "a") as f:
        f.write('{"id": "4", "command": "resume"}\n')
    assert [(c.id, c.line) for c in reader.read()] == [("4", 2)]


def test_a_truncated_file_under_a_run_applies_its_new_lines(tmp_path):
    r = Mixed(tmp_path / "run")
    append_command(r.dir, {"id": "t-1", "solver": "sgd", "set": "lr", "value": 0.2})
    append_command(r.dir, {"id": "t-2", "solver": "sgd", "set": "lr", "value": 0.3})
    r.train(1)
    os.truncate(r.dir / "commands.jsonl", 0)
    append_command(r.dir, {"id": "t-3", "solver": "sgd", "set": "lr", "value": 0.4})
    r.train(1)
    r.w.close()
    assert [e[3] for e in r.events("set")] == ["lr 0.1 -> 0.2 (command t-1)", "lr 0.2 -> 0.3 (command t-2)",
                                               "lr 0.3 -> 0.4 (command t-3)"]


# -- item: hostile lines ---------------------------------------------------------------------------

def test_a_400_digit_integer_is_rejected(tmp_path):
    r = Mixed(tmp_path / "run")
    one_rejection(r, '{"id": "h-1", "solver": "sgd", "set": "lr", "value": %s}\n' % ("9" * 400),
                  "(command h-1)")
    one_rejection(r, '{"id": "h-2", "set": "lr", "value": -%s}\n' % ("9" * 400), "(command h-2)")
    one_rejection(r, '{"id": "h-3", "solver": "sgd", "set": "lr", "value": 1e400}\n', "(command h-3)")
    r.train(1)
    r.w.close()
    assert r.opts["sgd"].param_groups[0]["lr"] == 0.1


def test_deep_nesting_is_rejected(tmp_path):
    r = Mixed(tmp_path / "run")
    one_rejection(r, "[" * 1100 + "\n", "invalid command")
    one_rejection(r, '{"set": "lr", "value": ' + "[" * 5000 + "]" * 5000 + "}\n", "invalid command")
    one_rejection(r, '{"id": ' + "[" * 900 + "]" * 900 + ', "command": "pause"}\n', "invalid command")
    one_rejection(r, '{"set": "lr", "value": ' + "[" * 511 + "]" * 511 + "}\n", "lr a list")
    # 512 levels with the outer object is the most either reader takes; brackets in strings
    # do not count.
    one_rejection(r, '{"set": "lr", "value": ' + "[" * 512 + "]" * 512 + "}\n", "nested deeper than 512 levels")
    one_rejection(r, '{"id": "s-1", "set": "lr", "value": "' + "[" * 900 + '"}\n', "must be a number")
    r.train(2)
    r.w.close()


def test_rmsprop_momentum_and_centered_can_be_switched_on_live(tmp_path):
    r = Mixed(tmp_path / "run")
    r.train(3)
    append_command(r.dir, {"id": "m-1", "solver": "rmsprop", "set": "momentum", "value": 0.05})
    append_command(r.dir, {"id": "m-2", "solver": "rmsprop", "set": "centered", "value": True})
    r.train(3)
    append_command(r.dir, {"id": "m-3", "solver": "rmsprop", "set": "momentum", "value": 0})
    append_command(r.dir, {"id": "m-4", "solver": "rmsprop", "set": "centered", "value": False})
    r.train(2)
    append_command(r.dir, {"id": "m-5", "solver": "rmsprop", "set": "momentum", "value": 0.5})
    append_command(r.dir, {"id": "m-6", "solver": "rmsprop", "set": "centered", "value": True})
    r.train(1)
    # Switched on again: the buffers start from zero, not from what was left when it was off.
    assert r.confs["rmsprop"].steps == 9 and not r.confs["rmsprop"].done
    r.w.close()
    assert [e[3] for e in r.events("set")] == [
        "momentum 0 -> 0.05 (command m-1)", "centered false -> true (command m-2)",
        "momentum 0.05 -> 0 (command m-3)", "centered true -> false (command m-4)",
        "momentum 0 -> 0.5 (command m-5)", "centered false -> true (command m-6)"]
    rows = read_csv(r.dir / "rmsprop.csv")
    assert len(rows) == 9 and all(math.isfinite(float(row["loss"])) for row in rows)


def test_rmsprop_switched_on_live_matches_a_fresh_start_of_that_term(tmp_path):
    """What the created buffers mean: one step after the switch equals torch's RMSprop
    whose momentum (centered) term starts from zero at that step with the same square_avg."""
    r = Mixed(tmp_path / "run")
    r.train(3)
    opt, model = r.opts["rmsprop"], r.models["rmsprop"]
    twin_model = torch.nn.Linear(4, 3)
    twin_model.load_state_dict(model.state_dict())
    twin = torch.optim.RMSprop(twin_model.parameters(), lr=0.01, momentum=0.05, centered=True)
    for p, q in zip(model.parameters(), twin_model.parameters()):
        twin.state[q] = {"step": opt.state[p]["step"], "square_avg": opt.state[p]["square_avg"].clone(),
                         "momentum_buffer": torch.zeros_like(q), "grad_avg": torch.zeros_like(q)}
    append_command(r.dir, {"solver": "rmsprop", "set": "momentum", "value": 0.05})
    append_command(r.dir, {"solver": "rmsprop", "set": "centered", "value": True})
    r.train(1)
    twin.zero_grad()
    F.cross_entropy(twin_model(r.x), r.y).backward()
    twin.step()
    for p, q in zip(model.parameters(), twin_model.parameters()):
        assert torch.equal(p, q)
    r.w.close()


def test_sgd_nesterov_needs_momentum_and_no_dampening(tmp_path):
    r = Mixed(tmp_path / "run")
    why = "Nesterov momentum requires a momentum above 0 and zero dampening, as in torch.optim.SGD"
    one_rejection(r, {"id": "n-1", "solver": "sgd", "set": "nesterov", "value": True},
                  f"nesterov true: {why} (command n-1)")
    assert r.opts["sgd"].param_groups[0]["nesterov"] is False
    append_command(r.dir, {"id": "n-2", "solver": "sgd", "set": "momentum", "value": 0.9})
    append_command(r.dir, {"id": "n-3", "solver": "sgd", "set": "nesterov", "value": True})
    r.train(1)
    assert r.opts["sgd"].param_groups[0]["nesterov"] is True
    one_rejection(r, {"id": "n-4", "solver": "sgd", "set": "momentum", "value": 0}, f"momentum 0: {why} (command n-4)")
    one_rejection(r, {"id": "n-5", "solver": "sgd", "set": "dampening", "value": 0.1}, f"dampening 0.1: {why} (command n-5)")
    # Without a solver: SGD refuses momentum 0, so no configuration changes.
    one_rejection(r, {"id": "n-6", "set": "momentum", "value": 0}, "momentum 0: sgd: " + why)
    r.w.close()
    assert r.opts["sgd"].param_groups[0]["momentum"] == 0.9
    assert r.opts["bpgrad"].param_groups[0]["momentum"] == 0.9


def test_numbers_in_strings_are_refused(tmp_path):
    r = Mixed(tmp_path / "run")
    one_rejection(r, {"id": "s-1", "solver": "sgd", "set": "lr", "value": "0x10"}, "lr 0x10: must be a number >= 0 (command s-1)")
    one_rejection(r, {"id": "s-2", "solver": "sgd", "set": "lr", "value": "16"}, "lr 16: must be a number >= 0 (command s-2)")
    one_rejection(r, {"id": "s-3", "solver": "sgd", "set": "nesterov", "value": "true"}, "must be true or false")
    one_rejection(r, {"id": "s-4", "solver": "sgd", "set": "lr", "value": True}, "must be a number")
    r.w.close()
    assert r.opts["sgd"].param_groups[0]["lr"] == 0.1


def test_a_line_over_64_kib_is_rejected_once_and_reading_goes_on(tmp_path):
    assert LINE_LIMIT == 65536
    r = Mixed(tmp_path / "run")
    long_line = '{"id": "big", "set": "lr", "value": "' + "x" * (3 * LINE_LIMIT) + '"}\n'
    append_command(r.dir, long_line)
    append_command(r.dir, {"id": "after", "solver": "sgd", "set": "lr", "value": 0.5})
    r.train(2)
    # Exactly at the limit (65,536 bytes before the newline) is still read.
    fits = '{"id": "fits", "solver": "sgd", "set": "lr", "value": 0.25}'
    append_command(r.dir, fits + " " * (LINE_LIMIT - len(fits)) + "\n")
    r.train(1)
    r.w.close()
    assert [e[3] for e in r.events()] == [
        "invalid command: line 1 is longer than 65,536 bytes (skipped)",
        "lr 0.1 -> 0.5 (command after)",
        "lr 0.5 -> 0.25 (command fits)"]


def test_a_long_line_still_being_written_is_rejected_once(tmp_path):
    r = Mixed(tmp_path / "run")
    for _ in range(5):
        append_command(r.dir, "y" * 40000)  # no newline yet, growing over several steps
        r.train(1)
    append_command(r.dir, '\n{"id": "next", "command": "pause", "solver": "adam"}\n')
    r.train(1)
    r.w.close()
    assert [e[3] for e in r.events()] == ["invalid command: line 1 is longer than 65,536 bytes (skipped)",
                                          "(command next)"]


def test_a_huge_sparse_file_is_read_a_bounded_amount_per_call(tmp_path):
    r = Mixed(tmp_path / "run")
    path = r.dir / "commands.jsonl"
    with open(path, "r+b") as f:
        f.truncate(64 << 30)  # 64 GiB of zero bytes, no newline, almost no disk
    reads = []
    real_pread = os.pread

    def spy(fd, n, offset):
        data = real_pread(fd, n, offset)
        reads.append(len(data))
        return data

    os.pread = spy
    try:
        started = time.monotonic()
        r.train(5)
        spent = time.monotonic() - started
    finally:
        os.pread = real_pread
    assert reads and max(reads) <= READ_LIMIT and sum(reads) <= 5 * READ_LIMIT
    assert spent < 5
    os.truncate(path, 0)  # shorter than what was read: read again from the start
    append_command(r.dir, {"id": "ok", "solver": "sgd", "set": "lr", "value": 0.5})
    r.train(1)
    r.w.close()
    assert [e[3] for e in r.events()] == ["invalid command: line 1 is longer than 65,536 bytes (skipped)",
                                          "lr 0.1 -> 0.5 (command ok)"]


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink", "dangling"])
def test_a_commands_file_that_is_not_a_regular_file_is_refused_once(tmp_path, kind):
    r = Mixed(tmp_path / "run")
    path = r.dir / "commands.jsonl"
    os.unlink(path)
    target = tmp_path / "elsewhere.jsonl"
    target.write_text('{"id": "x", "command": "pause"}\n')
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        os.mkdir(path)
    elif kind == "symlink":
        os.symlink(target, path)
    else:
        os.symlink(tmp_path / "nothing", path)
    done = threading.Event()
    threading.Thread(target=lambda: (r.train(3), done.set()), daemon=True).start()
    assert done.wait(10), "apply_commands hung"
    r.w.close()
    errors = r.events("error")
    assert len(errors) == 1 and r.events() == errors
    assert errors[0][3].startswith(f"{path}: ") and "not a regular file" in errors[0][3] and "ignored" in errors[0][3]
    assert all(not c.paused for c in r.confs.values())


def test_pause_resume_and_unknown_solver_keep_the_command_id(tmp_path):
    r = Mixed(tmp_path / "run", poll_interval=0.01)
    append_command(r.dir, {"id": "p-1", "solver": "adam", "command": "pause"})
    append_command(r.dir, {"id": "p-2", "solver": "adam", "command": "resume"})
    append_command(r.dir, {"id": "p-3", "solver": "nobody", "command": "pause"})
    append_command(r.dir, {"id": "p-4", "solver": "nobody", "set": "lr", "value": 1})
    r.train(1)
    r.w.close()
    assert [(e[1], e[2], e[3]) for e in r.events()] == [
        ("adam", "pause", "(command p-1)"), ("adam", "resume", "(command p-2)"),
        ("", "rejected", "pause: no configuration named 'nobody' (there are sgd, adam, rmsprop, bpgrad) (command p-3)"),
        ("", "rejected", "lr 1: no configuration named 'nobody' (there are sgd, adam, rmsprop, bpgrad) (command p-4)")]


def test_control_characters_and_lone_surrogates_are_written_safely(tmp_path):
    r = Mixed(tmp_path / "run")
    one_rejection(r, '{"id": "c\\u0000\\u001b[2J\\ud800", "set": "\\ud800\\u0007", "value": "\\udfff"}\n', "no configuration has")
    one_rejection(r, b'{"set": "lr", "value": "\xff\xfe\x1b"}\n', "invalid command")
    one_rejection(r, b'{"set": "lr\xc3", "value": 1}\n', "no configuration has")
    r.w.close()
    raw = (r.dir / "events.csv").read_bytes()
    raw.decode("utf-8")
    assert not any(b < 0x20 and b != 0x0A for b in raw)


def test_a_rejection_echoes_a_name_or_value_once_cut_to_40_characters(tmp_path):
    # docs/run-format.md: a detail quotes the value once, cut to 40 characters with an ellipsis;
    # control characters show as '?' (as the Swift writer's EventDetail.excerpt does).
    r = Mixed(tmp_path / "run")
    e = one_rejection(r, {"id": "x-1", "solver": "sgd", "set": "lr", "value": "v" * 5000}, "(command x-1)")
    assert e[3] == "lr " + "v" * 40 + "…: must be a number >= 0 (command x-1)"
    e = one_rejection(r, {"id": "x-2", "set": "n\x1b[2J" + "m" * 100, "value": 1}, "(command x-2)")
    assert e[3] == "n?[2J" + "m" * 35 + "… 1: no configuration has n?[2J" + "m" * 35 + "… (command x-2)"
    e = one_rejection(r, '{"id": "x-3", "solver": "sgd", "set": "lr", "value": %s}\n' % ("9" * 400), "(command x-3)")
    assert e[3].startswith("lr " + "9" * 40 + "…: out of range")
    e = one_rejection(r, {"id": "x-4", "solver": "s" * 300, "command": "pause"}, "(command x-4)")
    assert e[3] == "pause: no configuration named '" + "s" * 40 + "…' (there are sgd, adam, rmsprop, bpgrad) (command x-4)"
    r.w.close()


def test_a_replaced_file_is_read_again_from_its_beginning(tmp_path):
    path = tmp_path / "commands.jsonl"
    reader = CommandReader(str(path))
    path.write_text('{"id": "1", "command": "pause"}\n')
    assert [c.id for c in reader.read()] == ["1"]
    other = tmp_path / "new.jsonl"  # longer than what was read, so only its identity tells
    other.write_text('{"id": "2", "command": "pause"}\n{"id": "3", "command": "resume"}\n')
    os.replace(other, path)
    assert [(c.id, c.line) for c in reader.read()] == [("2", 1), ("3", 2)]
