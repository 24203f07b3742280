"""`RunWriter`: writes a bpgrad-tui run directory (docs/run-format.md, version 1) from PyTorch.

One directory per run: ``run.json``, one ``<name>.csv`` per configuration, ``events.csv``,
``summary.json`` and ``commands.jsonl`` (which viewers append to and `apply_commands` reads).
Under torch.distributed only rank 0 touches files; every rank must build the writer, add the
same configurations and call `apply_commands` at the same points, which keeps the ranks'
hyperparameters and pauses in step.
"""
import collections
import datetime
import errno
import json
import math
import os
import re
import threading
import time

import torch.distributed as dist

from ._format import csv_field, csv_number, exact_value, excerpt, short_number, short_value
from .commands import CommandReader
from .hyperparameters import HyperparameterError, steering_for

FORMAT, VERSION, WRITER = "bpgrad-run", 1, "bpgrad-python"
STEP_HEADER = ("step,epoch,solver,loss,test_loss,test_accuracy,lr,eta,radius,f_star,grad_norm,step_norm,"
               "lipschitz,momentum,rho,lipschitz_estimate,wall_ms")
EVENT_HEADER = "step,wall_ms,solver,event,detail"
_NAME = re.compile(r"[A-Za-z0-9._-]+")
_NAME_BYTES = 200
# Names whose CSV file would collide with the run's own files, compared ignoring case because
# a case-insensitive file system (macOS, Windows) holds one file for Events.csv and events.csv.
_RESERVED = ("events", "summary", "preset", "run", "sweep", "commands")
# Files are created, never opened through a link someone planted in a shared run directory.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_EMA_WEIGHT = 0.95
_RATE_WINDOW = 3.0


class RunWriterError(Exception):
    """A run directory that cannot be created or written; the message names the file."""


def _utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _name_problem(name):
    """Why `name` cannot name a configuration (docs/run-format.md), or None."""
    if not isinstance(name, str):
        return "must be a string"
    if not 1 <= len(name.encode("utf-8")) <= _NAME_BYTES:
        return f"must be 1 to {_NAME_BYTES} bytes long"
    if not _NAME.fullmatch(name):
        return "may hold only the characters [A-Za-z0-9._-]"
    if name.startswith("."):
        return "must not start with '.' (a hidden file, or . and ..)"
    if name.lower() in _RESERVED:
        return (f"is reserved: {name.lower()} names one of the run's own files (reserved, ignoring case: "
                f"{', '.join(_RESERVED)})")
    return None


def _json_value(x):
    """JSON has no nan or inf: those become null."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


class _LineFile:
    """An append-only text file written one whole line per write() call (no buffering to flush).

    A line that cannot be written whole (a full disk, a file size limit) is cut off again, so
    the file never ends in a torn row; `error` keeps the first such failure.
    """

    def __init__(self, path, header=None):
        self.path = path
        self.size = 0  # the file is ours alone (created here), so this is where the next line starts
        self.error = None
        try:
            self.fd = os.open(path, _CREATE | os.O_APPEND, 0o644)
        except OSError as e:
            raise RunWriterError(f"{path}: cannot be created ({e.strerror})") from None
        if header is not None:
            self.write(header)

    def write(self, line):
        data = (line + "\n").encode("utf-8", errors="replace")
        written = 0
        try:
            while written < len(data):  # one call, but for a full disk or a signal
                n = os.write(self.fd, data[written:])
                if n <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                written += n
        except OSError as e:
            if written:
                try:
                    os.ftruncate(self.fd, self.size)
                except OSError:
                    pass
            error = RunWriterError(f"{self.path}: cannot be written ({e.strerror})")
            self.error = self.error or error
            raise error from None
        self.size += written

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _write_json_atomically(path, obj):
    """Writes `path` whole or not at all: a new temporary file, then a rename over `path`.

    The temporary file is created with O_EXCL and O_NOFOLLOW, so a link planted under its name
    is never written through; the rename replaces a link at `path` itself, not its target. On
    any failure the temporary file is removed and `path` keeps its last complete version.
    """
    data = (json.dumps(obj, indent=2, allow_nan=False) + "\n").encode("utf-8")
    tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.tmp-{os.getpid()}")
    try:
        try:
            fd = os.open(tmp, _CREATE, 0o644)
        except FileExistsError:
            # Left by a crashed process that had our pid, or planted. The name is this writer's
            # own, and unlinking removes a link itself, never what it points to.
            os.unlink(tmp)
            fd = os.open(tmp, _CREATE, 0o644)
        try:
            written = 0
            while written < len(data):
                n = os.write(fd, data[written:])
                if n <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                written += n
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise RunWriterError(f"{path}: cannot be written ({e.strerror})") from None


class Configuration:
    """One configuration of a run (one optimizer setting): its CSV, its events, its summary line.

    Made by `RunWriter.add`. On ranks other than 0 every method records nothing but keeps
    the bookkeeping (`steps`, `paused`) that the loop may read.
    """

    def __init__(self, writer, name, kind, label, optimizer, hyperparameters, parent, fork_step):
        self.writer, self.name, self.kind, self.label = writer, name, kind, label
        self.optimizer = optimizer
        self.steering = steering_for(optimizer, kind) if optimizer is not None else None
        self.initial_hyperparameters = dict(hyperparameters)
        self.hyperparameters = dict(hyperparameters)
        self.parent, self.fork_step = parent, fork_step
        self.steps = fork_step or 0
        self.paused = False
        self.status = "running"
        self._samples = 0
        self._ema, self._ema_n = 0.0, 0
        self.best_loss = None
        self.final_test_loss = None
        self.best_test_accuracy = None
        self._last_wall_ms = None
        self._rates = collections.deque()
        self._csv = None

    # -- what the loop calls ---------------------------------------------------------------

    @property
    def done(self):
        """True once finished, diverged, stopped or failed: no more steps are expected."""
        return self.status not in ("running", "paused")

    @property
    def diverged(self):
        return self.status.startswith("diverged")

    def log(self, step, epoch, loss=None, telemetry=None, *, test_loss=None, test_accuracy=None, lr=None,
            grad_norm=None, step_norm=None, samples=None):
        """Writes the row of one step (and an ``eval`` event when `test_loss` is given).

        `telemetry` is what ``BPGrad.step`` returned; its `loss_used` fills the ``loss`` column
        (the f_t BPGrad used) and it supplies eta, radius, f_star, grad_norm, step_norm, L, mu,
        rho and the Lipschitz estimate. For other solvers pass `loss` (and, when you measure
        them, `grad_norm` and `step_norm`); `lr` defaults to the first param group's ``lr``.
        `samples` is how many samples the step used over all ranks (default: the run's
        batch_size). A non-finite loss, gradient norm or step norm marks the configuration
        diverged and writes a ``diverged`` event.
        """
        if isinstance(step, bool) or not isinstance(step, int) or step < 1:
            raise ValueError(f"{self.name}: step {step!r} (must be an integer >= 1)")
        if step <= self.steps:
            raise ValueError(f"{self.name}: step {step} is not after step {self.steps} (steps must increase)")
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 1:
            raise ValueError(f"{self.name}: epoch {epoch!r} (must be an integer >= 1)")
        t = telemetry
        if t is not None:
            loss = t.loss_used
            grad_norm = t.grad_norm if grad_norm is None else grad_norm
            step_norm = t.step_norm if step_norm is None else step_norm
        if loss is None:
            raise ValueError(f"{self.name}: log() needs the loss or a BPGrad telemetry")
        loss = float(loss)
        self.writer.check()
        if lr is None and self.steering is not None and t is None:
            value = self.optimizer.param_groups[0].get("lr")
            lr = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        w = self.writer
        wall = w.wall_ms()
        if not w.active:
            self.steps = step
            return
        row = [str(step), str(epoch), self.name, csv_number(loss), csv_number(test_loss), csv_number(test_accuracy),
               csv_number(lr), csv_number(t and t.eta), csv_number(t and t.radius), csv_number(t and t.f_star),
               csv_number(grad_norm), csv_number(step_norm), csv_number(t and t.lipschitz), csv_number(t and t.momentum),
               csv_number(t and t.rho), csv_number(t and t.lipschitz_estimate), "%.3f" % wall]
        self._csv.write(",".join(row))
        self.steps = step  # only once its row is written: a row lost to a full disk is not counted
        with w._lock:
            self._samples += w.batch_size if samples is None and w.batch_size is not None else (samples or 0)
            self._last_wall_ms = wall
            if math.isfinite(loss):
                self._ema = _EMA_WEIGHT * self._ema + (1 - _EMA_WEIGHT) * loss
                self._ema_n += 1
                self.best_loss = loss if self.best_loss is None else min(self.best_loss, loss)
            if test_loss is not None:
                self.final_test_loss = float(test_loss)
            if test_accuracy is not None and math.isfinite(test_accuracy):
                acc = float(test_accuracy)
                self.best_test_accuracy = acc if self.best_test_accuracy is None else max(self.best_test_accuracy, acc)
            now = time.monotonic()
            self._rates.append((now, self._samples))
            while len(self._rates) > 2 and now - self._rates[1][0] > _RATE_WINDOW:
                self._rates.popleft()
            if self.steering is not None:
                self.hyperparameters = self.steering.values()
        if test_loss is not None:
            detail = f"test_loss={short_number(test_loss)}"
            if test_accuracy is not None:
                detail += f" test_accuracy={short_number(test_accuracy)}"
            self.event("eval", detail)
        finite = all(x is None or math.isfinite(x) for x in (loss, grad_norm, step_norm))
        if not finite and not self.diverged:
            self._set_status(f"diverged at step {step}")
            self.event("diverged", f"loss={short_number(loss)}")

    def epoch_end(self, epoch):
        """An ``epoch_end`` event at the current step."""
        self.event("epoch_end", f"epoch {epoch}")

    def finish(self):
        """The planned length was reached: a ``finished`` event, status finished."""
        if not self.done:
            self._set_status("finished")
            self.event("finished")

    def event(self, kind, detail=""):
        """Any event of this configuration at its current step (see docs/run-format.md for kinds)."""
        self.writer._event(self.steps, self.name, kind, detail)

    # -- bookkeeping -------------------------------------------------------------------------

    def _set_status(self, status):
        with self.writer._lock:
            self.status = status

    def _summary(self, running):
        """This configuration's line in summary.json (called with the writer's lock held)."""
        rate = None
        if self.writer.batch_size is not None or self._samples:
            if running and not self.done and len(self._rates) >= 2:
                (t0, s0), (t1, s1) = self._rates[0], self._rates[-1]
                rate = (s1 - s0) / (t1 - t0) if t1 > t0 else None
            elif self._last_wall_ms:
                rate = self._samples / (self._last_wall_ms / 1000)
        final = self._ema / (1 - _EMA_WEIGHT ** self._ema_n) if self._ema_n else None
        return {
            "solver": self.name, "kind": self.kind, "label": self.label,
            "hyperparameters": {k: _json_value(v) for k, v in self.hyperparameters.items()},
            "status": "paused" if self.paused and not self.done else self.status,
            "steps": self.steps,
            "final_loss": _json_value(final), "best_loss": _json_value(self.best_loss),
            "final_test_loss": _json_value(self.final_test_loss),
            "best_test_accuracy": _json_value(self.best_test_accuracy),
            "samples_per_second": _json_value(rate),
            "wall_seconds": None if self._last_wall_ms is None else self._last_wall_ms / 1000,
        }

    def _run_json(self):
        return {"name": self.name, "kind": self.kind, "label": self.label,
                "hyperparameters": {k: _json_value(v) for k, v in self.initial_hyperparameters.items()},
                "parent": self.parent, "fork_step": self.fork_step}


class RunWriter:
    """Writes one run directory as docs/run-format.md describes, and applies viewers' commands.

    ::

        with bpgrad.RunWriter("runs/mnist-1", dataset="Fashion-MNIST", batch_size=128) as run:
            b = run.add("bpgrad", bpgrad_opt, label="BPGrad L=10")
            a = run.add("adam", adam_opt)
            for step in range(1, total + 1):
                run.apply_commands()                 # steering; blocks while everything is paused
                ...
                b.log(step, epoch, telemetry=bpgrad_opt.step(loss_b))
                a.log(step, epoch, loss_a.item())
        # leaving the block writes the finished events and summary.json with state finished

    Args:
        path: the directory to create. An existing non-empty directory is refused
            (RunWriterError): a run directory is never reopened for writing.
        preset, dataset, network, parameters, batch_size, steps_per_epoch, total_steps,
            previous: the descriptive fields of run.json (any may be None). `batch_size` is the
            number of samples one step uses over all ranks (for samples/s).
        distributed: None (the default) follows torch.distributed: when it is initialised with
            more than one process, only rank 0 writes and commands are broadcast from it.
        process_group: the group for that broadcast (default: the world).
        summary_interval: seconds between rewrites of summary.json (at most 1).
        poll_interval: seconds between reads of commands.jsonl while paused.

    The clock (`wall_ms`) starts when the writer is made and stands still during
    `apply_commands`: the events it writes carry the time at which it was called, and time
    spent waiting in a pause is left out.

    A file that cannot be written (a full disk, a file size limit) raises RunWriterError,
    naming the file, from the call that wrote it; the line is not left half written. `close`
    then ends the run as stopped, with an ``error`` event and status.
    """

    def __init__(self, path, *, preset=None, dataset=None, network=None, parameters=None, batch_size=None,
                 steps_per_epoch=None, total_steps=None, previous=None, distributed=None, process_group=None,
                 summary_interval=1.0, poll_interval=0.2):
        self.path = os.fspath(path)
        self.batch_size = batch_size
        self.process_group = process_group
        if distributed is None:
            distributed = dist.is_available() and dist.is_initialized() and dist.get_world_size(process_group) > 1
        self.distributed = bool(distributed)
        rank = dist.get_rank(process_group) if self.distributed else 0
        self.active = rank == 0
        self.summary_interval = min(float(summary_interval), 1.0)
        self.poll_interval = float(poll_interval)
        self.configurations = {}
        self.state = "running"
        self._lock = threading.Lock()
        self._summary_lock = threading.Lock()  # the heartbeat and the loop share one temporary name
        self._paused_total = 0.0
        self._frozen_at = None  # the clock's time while apply_commands runs
        self._commands_problem_shown = False
        self._closed = False
        self._thread_error = None
        self._info = {"format": FORMAT, "version": VERSION, "writer": WRITER, "created": _utc_now(),
                      "preset": preset, "dataset": dataset, "network": network, "parameters": parameters,
                      "batch_size": batch_size, "steps_per_epoch": steps_per_epoch, "total_steps": total_steps,
                      "previous": previous}
        error = None
        if self.active:
            try:
                self._create()
            except RunWriterError as e:
                error = str(e)
        if self.distributed:
            error = self._broadcast(error)
        if error is not None:
            raise RunWriterError(error)
        self._t0 = time.monotonic()
        self._stop = threading.Event()
        self._thread = None
        if self.active:
            self._thread = threading.Thread(target=self._heartbeat, name="bpgrad-summary", daemon=True)
            self._thread.start()

    def _create(self):
        p = self.path
        if os.path.exists(p):
            if not os.path.isdir(p):
                raise RunWriterError(f"{p}: exists and is not a directory; give a new path for the run directory")
            if os.listdir(p):
                raise RunWriterError(f"{p}: the directory exists and is not empty; a run directory is never reused "
                                     "or overwritten, so give a new path")
        try:
            os.makedirs(p, exist_ok=True)
        except OSError as e:
            raise RunWriterError(f"{p}: cannot create the run directory ({e.strerror})") from None
        self._events = _LineFile(os.path.join(p, "events.csv"), EVENT_HEADER)
        try:
            fd = os.open(os.path.join(p, "commands.jsonl"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            os.close(fd)
        except OSError as e:
            raise RunWriterError(f"{os.path.join(p, 'commands.jsonl')}: cannot be created ({e.strerror})") from None
        self._commands = CommandReader(os.path.join(p, "commands.jsonl"))
        self._write_run_json()
        self._write_summary()

    # -- configurations ---------------------------------------------------------------------

    def add(self, name, optimizer=None, *, kind=None, label=None, hyperparameters=None, parent=None, fork_step=None):
        """Adds a configuration and returns its `Configuration` (call on every rank, in the same order).

        With `optimizer` (BPGrad or any torch.optim optimizer) the kind and the hyperparameters
        are read from it and `apply_commands` can change them; without one, give `kind` (and
        `hyperparameters`) and the configuration is logged but not steerable. `name` names
        ``<name>.csv``: 1 to 200 bytes of ``[A-Za-z0-9._-]``, not starting with ``.``, not one of
        events, summary, preset, run, sweep, commands, and unique in the run, all ignoring case
        (docs/run-format.md). Anything else is a ValueError.
        """
        why = _name_problem(name)
        if why is not None:
            raise ValueError(f"invalid configuration name {name!r}: it {why}")
        same = [n for n in self.configurations if n.lower() == name.lower()]
        if same:
            raise ValueError(f"configuration {name!r} already exists in {self.path} (as {same[0]!r}; names are "
                             "compared ignoring case, since they name files on case-insensitive file systems too)")
        if optimizer is None and kind is None:
            raise ValueError(f"configuration {name!r}: give an optimizer or a kind")
        steering = steering_for(optimizer, kind) if optimizer is not None else None
        kind = steering.kind if steering is not None else kind
        values = dict(steering.values()) if steering is not None else {}
        values.update(hyperparameters or {})
        label = label or {"bpgrad": "BPGrad", "adam": "Adam", "adamw": "AdamW", "sgd": "SGD", "adagrad": "Adagrad",
                          "adadelta": "Adadelta", "rmsprop": "RMSprop"}.get(kind, name)
        c = Configuration(self, name, kind, label, optimizer, values, parent, fork_step)
        if self.active:
            c._csv = _LineFile(os.path.join(self.path, f"{name}.csv"), STEP_HEADER)
        with self._lock:
            self.configurations[name] = c
        if self.active:
            self._write_run_json()
            c.event("start", " ".join(f"{k}={exact_value(v)}" for k, v in sorted(values.items())))
            if fork_step is not None and parent is not None:
                c.event("fork", f"from {parent} at step {fork_step}")
        return c

    # -- time and events ---------------------------------------------------------------------

    def wall_ms(self):
        """Training time in milliseconds since the writer was made, pauses left out."""
        now = self._frozen_at if self._frozen_at is not None else time.monotonic()
        return (now - self._t0 - self._paused_total) * 1000

    def event(self, kind, detail="", step=0):
        """A run-wide event (empty solver column)."""
        self._event(step, "", kind, detail)

    def _event(self, step, solver, kind, detail):
        if not self.active:
            return
        line = ",".join([str(step), "%.3f" % self.wall_ms(), csv_field(solver), csv_field(kind), csv_field(detail)])
        self._events.write(line)

    # -- steering ----------------------------------------------------------------------------

    def apply_commands(self):
        """Applies every complete new line of commands.jsonl; call between two steps, on every rank.

        A ``set`` changes the optimizer's param groups (checked first; a bad value becomes a
        ``rejected`` event and changes nothing); ``pause``/``resume`` mark configurations. While
        every configuration still training is paused this call waits (reading the file every
        `poll_interval` seconds; on all ranks) until one is resumed; a single paused
        configuration is shown by its `paused` attribute and the loop should skip its step.
        Returns the events written, as (solver, event, detail) tuples.

        Every event written here carries the wall_ms of the moment of the call: the training
        clock stands still between two steps, and a pause, what is applied during it and the
        resume all happen at the time the pause began.
        """
        self._frozen_at = started = time.monotonic()
        waited = False
        try:
            outcomes = self._poll()
            if self._all_paused():
                waited = True
                if self.active:
                    self._try_write_summary()
                while self._all_paused():
                    if self.active:
                        time.sleep(self.poll_interval)
                    outcomes += self._poll()
        finally:
            self._frozen_at = None
            if waited:
                self._paused_total += time.monotonic() - started
        return outcomes

    def _all_paused(self):
        live = [c for c in self.configurations.values() if not c.done]
        return bool(live) and all(c.paused for c in live)

    def _broadcast(self, obj):
        box = [obj]
        dist.broadcast_object_list(box, src=0, group=self.process_group)
        return box[0]

    def _poll(self):
        commands = self._commands.read() if self.active and not self._closed else []
        if self.active and self._commands.problem is not None and not self._commands_problem_shown:
            self._commands_problem_shown = True
            self.event("error", f"{self._commands.path}: {self._commands.problem}; commands from viewers are "
                                "ignored for the rest of this run")
        if self.distributed:
            commands = self._broadcast(commands)
        outcomes = []
        for cmd in commands:
            outcomes += self._apply(cmd)
        if outcomes and self.active:
            self._try_write_summary()
        return outcomes

    def _apply(self, cmd):
        out = []

        def record(c, kind, detail):
            solver = c.name if c is not None else ""
            self._event(c.steps if c is not None else 0, solver, kind, detail)
            out.append((solver, kind, detail))

        target = self.configurations.get(cmd.solver) if cmd.solver is not None else None
        what = cmd.set if cmd.set is not None else (cmd.command or "command")
        if cmd.error is not None:
            prefix = "" if cmd.set is not None else "invalid command: "
            record(target, "rejected", f"{prefix}{cmd.error}{cmd.suffix}")
            return out
        if cmd.solver is not None and target is None:
            names = ", ".join(self.configurations) or "none"
            shown = f"{excerpt(cmd.set)} {excerpt(short_value(cmd.value))}" if cmd.set is not None else what
            record(None, "rejected", f"{shown}: no configuration named '{excerpt(cmd.solver)}' (there are {names}){cmd.suffix}")
            return out
        targets = [target] if target is not None else list(self.configurations.values())
        if cmd.command is not None:
            for c in targets:
                if c.done or c.paused == (cmd.command == "pause"):
                    continue
                with self._lock:
                    c.paused = cmd.command == "pause"
                record(c, cmd.command, cmd.suffix.strip())
            return out
        shown = f"{excerpt(cmd.set)} {excerpt(short_value(cmd.value))}"
        if target is None:
            targets = [c for c in targets if c.steering is not None and cmd.set in c.steering.specs]
            if not targets:
                record(None, "rejected", f"{shown}: no configuration has {excerpt(cmd.set)}{cmd.suffix}")
                return out
        # A command is applied to every configuration it names or to none, so a bad one is one
        # rejected event whatever it targets: every target checks the value before any changes.
        refusals = []
        for c in targets:
            if c.steering is None:
                refusals.append((c, f"{c.name} was added without an optimizer, so it cannot be changed"))
                continue
            try:
                c.steering.check(cmd.set, cmd.value)
            except HyperparameterError as e:
                refusals.append((c, e.why))
        if refusals:
            if len(targets) == 1:
                record(targets[0], "rejected", f"{shown}: {refusals[0][1]}{cmd.suffix}")
            elif len(refusals) == len(targets) and len({why for _, why in refusals}) == 1:
                record(None, "rejected", f"{shown}: {refusals[0][1]}{cmd.suffix}")
            else:
                whys = "; ".join(f"{c.name}: {why}" for c, why in refusals)
                record(None, "rejected", f"{shown}: {whys}{cmd.suffix}")
            return out
        for c in targets:
            try:
                old, new, note = c.steering.set(cmd.set, cmd.value)
            except HyperparameterError as e:  # checked above; kept so that nothing can escape
                record(c, "rejected", f"{shown}: {e.why}{cmd.suffix}")
                continue
            if old == new and note is None:
                continue
            with self._lock:
                c.hyperparameters = c.steering.values()
            detail = f"{cmd.set} {exact_value(old)} -> {exact_value(new)}" + (f"; {note}" if note else "")
            record(c, "set", detail + cmd.suffix)
        return out

    # -- summary and the end -----------------------------------------------------------------

    def _summary(self):
        with self._lock:
            return {"format": FORMAT, "version": VERSION, "state": self.state, "updated": _utc_now(),
                    "solvers": [c._summary(self.state == "running") for c in self.configurations.values()]}

    def _write_summary(self):
        with self._summary_lock:
            _write_json_atomically(os.path.join(self.path, "summary.json"), self._summary())

    def _try_write_summary(self):
        try:
            self._write_summary()
        except RunWriterError as e:
            self._thread_error = e

    def _write_run_json(self):
        info = dict(self._info)
        with self._lock:
            info["configurations"] = [c._run_json() for c in self.configurations.values()]
        _write_json_atomically(os.path.join(self.path, "run.json"), info)

    def _heartbeat(self):
        while not self._stop.wait(self.summary_interval):
            self._try_write_summary()

    def check(self):
        """Raises the RunWriterError the background summary writer met, if any (once: the next
        rewrite may succeed, and nothing but that version of summary.json was lost)."""
        error, self._thread_error = self._thread_error, None
        if error is not None:
            raise error

    def _write_failure(self):
        """The first line that could not be written to events.csv or a configuration's CSV, or None."""
        if not self.active:
            return None
        files = [self._events] + [c._csv for c in self.configurations.values() if c._csv is not None]
        return next((f.error for f in files if f.error is not None), None)

    def close(self, state="finished"):
        """Ends the run: every configuration still training gets a ``finished`` event
        (`state` "finished") or a ``stop`` event ("stopped"); summary.json is written a last
        time with that state. Safe to call twice.

        After a line could not be written (RunWriterError from `log` or `apply_commands`) the
        run's files are incomplete: the run ends as ``stopped``, with an ``error`` event and
        the status ``error: ...`` for every configuration still training. Everything that can
        still be written is; then the first failure of this call is raised (summary.json's
        first: while it cannot be written it still says ``running``)."""
        if state not in ("finished", "stopped"):
            raise ValueError(f"invalid state {state!r} (must be finished or stopped)")
        if self._closed:
            return
        errors = []
        failure = self._write_failure()
        if failure is not None:
            self._end_in_error(str(failure), errors)
        for c in self.configurations.values():
            if c.done:
                continue
            try:
                if state == "finished":
                    c.finish()
                else:
                    c._set_status("stopped")
                    c.event("stop")
            except RunWriterError as e:
                errors.append(e)
                c._set_status(f"error: {e}")
        self._finish(state, errors)

    def _end_in_error(self, message, errors):
        """An ``error`` event (if it can be written) and status ``error: MESSAGE`` for every
        configuration still training."""
        try:
            self.event("error", message)
        except RunWriterError as e:
            errors.append(e)
        for c in self.configurations.values():
            if not c.done:
                c._set_status(f"error: {message}")

    def _finish(self, state, errors=()):
        self._closed = True
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
        if not self.active:
            return
        with self._lock:
            done = all(c.status == "finished" or c.diverged for c in self.configurations.values())
            self.state = "finished" if state == "finished" and done else "stopped"
        try:
            self._write_summary()
        except RunWriterError as e:
            errors = [e, *errors]
        finally:
            self._events.close()
            for c in self.configurations.values():
                if c._csv is not None:
                    c._csv.close()
        if errors:
            raise errors[0]

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._closed:
            return False
        if exc_type is None:
            self.close("finished")
        elif issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            self.close("stopped")
        else:
            # The training's exception goes on; one of ours (summary.json still cannot be
            # written) is raised from it. A failure to write the error event is not: the
            # summary says the same.
            self._end_in_error(f"{exc_type.__name__}: {exc}", [])
            self._finish("stopped")
        return False
