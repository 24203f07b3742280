"""Small shared pieces of the run-directory tests: a tiny problem, file readers, a viewer's append."""
import csv
import io
import json
import os

import torch
import torch.nn.functional as F

import bpgrad


class Tiny:
    """A 4-3 linear classifier on 32 fixed samples, with an optimizer."""

    def __init__(self, kind="bpgrad", **hyper):
        torch.manual_seed(0)
        self.model = torch.nn.Linear(4, 3)
        g = torch.Generator().manual_seed(5)
        self.x = torch.randn(32, 4, generator=g)
        self.y = torch.randint(0, 3, (32,), generator=g)
        if kind == "bpgrad":
            self.opt = bpgrad.BPGrad(self.model.parameters(), **{"lipschitz": 10.0, **hyper})
        else:
            self.opt = torch.optim.Adam(self.model.parameters(), **{"lr": 0.01, **hyper})

    def step(self):
        """One step; returns the BPGrad telemetry or, for other optimizers, the loss."""
        self.opt.zero_grad()
        loss = F.cross_entropy(self.model(self.x), self.y)
        loss.backward()
        if isinstance(self.opt, bpgrad.BPGrad):
            return self.opt.step(loss)
        self.opt.step()
        return loss.item()


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def read_events(run_dir):
    return read_csv(os.path.join(run_dir, "events.csv"))


def read_json(run_dir, name):
    with open(os.path.join(run_dir, name)) as f:
        return json.load(f)


def append_command(run_dir, obj_or_text):
    """What a viewer does: one write of one whole line (or of any text), in append mode."""
    text = obj_or_text if isinstance(obj_or_text, str) else json.dumps(obj_or_text) + "\n"
    fd = os.open(os.path.join(run_dir, "commands.jsonl"), os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


class Mixed:
    """SGD, Adam, RMSprop and BPGrad on the same tiny problem under one RunWriter."""

    def __init__(self, path, sgd=None, rmsprop=None, **writer_args):
        self.w = bpgrad.RunWriter(path, batch_size=32, **writer_args)
        self.dir = path
        torch.manual_seed(0)
        g = torch.Generator().manual_seed(5)
        self.x = torch.randn(32, 4, generator=g)
        self.y = torch.randint(0, 3, (32,), generator=g)
        self.models, self.opts, self.confs = {}, {}, {}
        makers = {
            "sgd": lambda p: torch.optim.SGD(p, **{"lr": 0.1, **(sgd or {})}),
            "adam": lambda p: torch.optim.Adam(p, lr=0.01),
            "rmsprop": lambda p: torch.optim.RMSprop(p, **{"lr": 0.01, **(rmsprop or {})}),
            "bpgrad": lambda p: bpgrad.BPGrad(p, lipschitz=10.0),
        }
        for name, make in makers.items():
            torch.manual_seed(0)
            model = torch.nn.Linear(4, 3)
            self.models[name], self.opts[name] = model, make(model.parameters())
            self.confs[name] = self.w.add(name, self.opts[name])
        self.step = 0

    def train(self, n):
        for _ in range(n):
            self.w.apply_commands()
            self.step_all()

    def step_all(self):
        """One step of every configuration that is neither paused nor done; returns their names."""
        self.step += 1
        stepped = []
        for name, c in self.confs.items():
            if c.paused or c.done:
                continue
            opt = self.opts[name]
            opt.zero_grad()
            loss = F.cross_entropy(self.models[name](self.x), self.y)
            loss.backward()
            if name == "bpgrad":
                c.log(c.steps + 1, 1, telemetry=opt.step(loss))
            else:
                opt.step()
                c.log(c.steps + 1, 1, loss.item())
            stepped.append(name)
        return stepped

    def events(self, *kinds):
        return [(e["step"], e["solver"], e["event"], e["detail"]) for e in read_events(self.dir)
                if e["event"] not in ("start", "finished") and (not kinds or e["event"] in kinds)]
