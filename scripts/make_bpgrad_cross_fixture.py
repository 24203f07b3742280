#!/usr/bin/env python3
"""Writes Tests/BPGradEngineTests/Fixtures/bpgrad_cross_reference.json: trajectories of the Python
package's BPGrad (python/bpgrad) that BPGradCrossReferenceTests.swift replays through the Swift
engine's BPGrad, so the two implementations are held to the same update.

Problems (all float32):
  network     a fixed 3-4-2 tanh network, cross-entropy on 8 fixed samples, full batch (26 parameters)
  rosenbrock  f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 from (-1.5, 2)
Every case runs STEPS steps and stores, per step, the position before it, the gradient and the loss
BPGrad was given, whether an epoch started there, and the telemetry (eta, f*, ||g||, step norm,
Lipschitz estimate); plus the final position. `changes` are hyperparameter changes applied just
before a step (1-based), as a live command would. Cases that switch `eta_placement` exercise the
velocity conversion rule documented in python/bpgrad/optimizer.py.

    /usr/bin/python3 scripts/make_bpgrad_cross_fixture.py          # rewrite the fixture
    /usr/bin/python3 scripts/make_bpgrad_cross_fixture.py --check  # replay it through python/bpgrad
"""
import argparse
import json
import math
import os
import struct
import sys

import torch

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))
import bpgrad  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # also when imported by the pytest suite
from make_solver_fixtures import network_data  # noqa: E402

OUT = os.path.join(ROOT, "Tests", "BPGradEngineTests", "Fixtures", "bpgrad_cross_reference.json")
STEPS = 60
TELEMETRY = ("eta", "f_star", "grad_norm", "step_norm", "lipschitz_estimate")
EPOCH_LENGTH = 15  # epoch_mean cases start an epoch every 15 steps

BASE = {"momentum": 0.9, "rho": 0.1, "weight_decay": 0.0, "eta_placement": "paper", "loss_source": "batch"}
LIPSCHITZ = {"network": 5.0, "rosenbrock": 100.0}  # small enough to move, large enough to stay finite


def cases():
    """(name, problem, hyperparameters, changes) for every trajectory."""
    out = []
    for problem in ("network", "rosenbrock"):
        for placement in ("paper", "reference"):
            for mu in (0.0, 0.9):
                for wd in (0.0, 0.01):
                    h = dict(BASE, lipschitz=LIPSCHITZ[problem], momentum=mu, weight_decay=wd, eta_placement=placement)
                    out.append((f"{problem} {placement} mu={mu} wd={wd}", problem, h, []))
        h = dict(BASE, lipschitz=LIPSCHITZ[problem], momentum=0.5, rho=0.5, weight_decay=0.05, eta_placement="reference")
        out.append((f"{problem} reference mu=0.5 rho=0.5 wd=0.05", problem, h, []))
    for placement in ("paper", "reference"):
        h = dict(BASE, lipschitz=5.0, eta_placement=placement, loss_source="epoch_mean")
        out.append((f"network {placement} epoch_mean", "network", h, []))
    h = dict(BASE, lipschitz=5.0)
    changes = [{"step": 25, "name": "lipschitz", "value": 8.0}, {"step": 40, "name": "rho", "value": 0.3},
               {"step": 50, "name": "momentum", "value": 0.5}]
    out.append(("network paper, L, rho and mu changed live", "network", h, changes))
    for start in ("paper", "reference"):
        other = "reference" if start == "paper" else "paper"
        h = dict(BASE, lipschitz=5.0, eta_placement=start)
        changes = [{"step": 20, "name": "eta_placement", "value": other},
                   {"step": 40, "name": "eta_placement", "value": start}]
        out.append((f"network {start} -> {other} -> {start} (velocity converted)", "network", h, changes))
    h = dict(BASE, lipschitz=5.0, eta_placement="paper")
    out.append(("network placement switched before the first step (velocity reset)", "network", h,
                [{"step": 1, "name": "eta_placement", "value": "reference"}]))
    return out


def problem(name):
    """(parameters, loss function) for one problem, parameters fresh each call."""
    if name == "rosenbrock":
        p = torch.tensor([-1.5, 2.0], requires_grad=True)
        return [p], lambda: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2
    x, y, init = network_data(seed=11)
    params = [t.clone().requires_grad_(True) for t in init]

    def loss():
        w1, b1, w2, b2 = params
        return torch.nn.functional.cross_entropy(torch.tanh(x @ w1.T + b1) @ w2.T + b2, y)
    return params, loss


def flat(tensors):
    return torch.cat([t.detach().reshape(-1) for t in tensors]).tolist()


def run(problem_name, hyper, changes):
    params, loss_fn = problem(problem_name)
    opt = bpgrad.BPGrad(params, **hyper)
    rec = {k: [] for k in ("positions", "gradients", "losses", "epoch_starts", "eta", "f_star", "grad_norm",
                           "step_norm", "lipschitz_estimate")}
    for t in range(1, STEPS + 1):
        for c in changes:
            if c["step"] == t:
                opt.set_hyperparameter(c["name"], c["value"])
        epoch_start = (t - 1) % EPOCH_LENGTH == 0
        if epoch_start:
            opt.start_epoch()
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        rec["positions"].append(flat(params))
        rec["gradients"].append(flat([p.grad for p in params]))
        rec["losses"].append(loss.item())
        rec["epoch_starts"].append(epoch_start)
        tel = opt.step(loss)
        for k in TELEMETRY:
            rec[k].append(getattr(tel, k))
    rec["positions"].append(flat(params))
    return rec


def build():
    out = []
    for name, problem_name, hyper, changes in cases():
        case = {"name": name, "problem": problem_name, "hyper": hyper, "changes": changes}
        case.update(run(problem_name, hyper, changes))
        if not all(math.isfinite(v) for row in case["positions"] for v in row):
            raise SystemExit(f"case {name!r} diverged: choose a larger lipschitz for {problem_name}")
        out.append(case)
    return {"generator": "scripts/make_bpgrad_cross_fixture.py", "torch_version": torch.__version__,
            "steps": STEPS, "cases": out}


def float32_text(v):
    """The shortest decimal that reads back as the same float32 (at most 9 digits)."""
    target = struct.pack("<f", v)
    for digits in range(6, 10):
        s = "%.*g" % (digits, v)
        if struct.pack("<f", float(s)) == target:
            return s
    return "%.9g" % v


def dumps(fixture):
    """JSON with float32 arrays written short; one case per line so diffs stay readable."""
    def f32_rows(rows):
        return "[" + ",".join("[" + ",".join(float32_text(v) for v in row) + "]" for row in rows) + "]"
    lines = []
    for case in fixture["cases"]:
        parts = []
        for k, v in case.items():
            if k in ("positions", "gradients"):
                text = f32_rows(v)
            elif k == "losses":  # float32 values, exactly
                text = "[" + ",".join(float32_text(x) for x in v) + "]"
            elif k in TELEMETRY:  # doubles; 10 digits are far below the tests' 1e-5
                text = "[" + ",".join("null" if x is None else "%.10g" % x for x in v) + "]"
            else:
                text = json.dumps(v, separators=(",", ":"))
            parts.append(json.dumps(k) + ":" + text)
        lines.append("{" + ",".join(parts) + "}")
    head = {k: v for k, v in fixture.items() if k != "cases"}
    return json.dumps(head, separators=(",", ":"))[:-1] + ',"cases":[\n' + ",\n".join(lines) + "\n]}\n"


def relative(a, b):
    d = math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))
    n = math.sqrt(sum(y * y for y in b))
    return d / max(n, 1e-30)


def close(x, y, tolerance):
    """Telemetry values agree: both absent, or within `tolerance` relative."""
    return (x is None) == (y is None) and (y is None or abs(x - y) <= tolerance * max(abs(y), 1e-12))


def unflatten(params, values):
    """Writes a flat list of values into `params` in order (float32, as recorded)."""
    with torch.no_grad():
        at = 0
        for p in params:
            n = p.numel()
            p.copy_(torch.tensor(values[at:at + n], dtype=p.dtype).reshape(p.shape))
            at += n


def replay(case, tolerance=1e-5):
    """Replays one stored trajectory through the package's BPGrad with teacher forcing.

    Each step starts from the recorded position with the recorded gradient and loss; the
    optimizer keeps its own state (velocity, running minimum, epoch mean, Lipschitz window).
    The next position and the telemetry must match the record to `tolerance` relative, and the
    gradient and loss evaluated afresh at the recorded position must match the recorded ones.
    Unlike comparing a free-running trajectory, this does not let float32 round-off compound
    over 60 steps: one step on another CPU (other vector width, other reduction order) differs
    from the record by a few ulps, about 1e-7 relative, whatever CPU made the fixture.
    Returns the differences as readable lines (at most one per case and kind).
    """
    name, hyper = case["name"], case["hyper"]
    params, loss_fn = problem(case["problem"])
    opt = bpgrad.BPGrad(params, **hyper)
    problems, seen = [], set()

    def note(kind, text):
        if kind not in seen:
            seen.add(kind)
            problems.append(f"case {name!r}: {text}")

    for t in range(len(case["losses"])):
        for c in case["changes"]:
            if c["step"] == t + 1:
                opt.set_hyperparameter(c["name"], c["value"])
        if case["epoch_starts"][t]:
            opt.start_epoch()
        unflatten(params, case["positions"][t])
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        fresh_gradient, recorded_gradient = flat([p.grad for p in params]), case["gradients"][t]
        if relative(fresh_gradient, recorded_gradient) > tolerance:
            note("gradient", f"gradient at step {t + 1} differs by {relative(fresh_gradient, recorded_gradient):.2e} relative")
        # Relative to the loss or to 1, whichever is larger: a loss near 0 (a nearly certain
        # prediction) is a difference of two nearly equal float32 values, and CPUs and torch
        # versions differ there by 1.2e-5 of a 1.2e-3 loss, 1.5e-8 absolute.
        if abs(loss.item() - case["losses"][t]) > tolerance * max(abs(case["losses"][t]), 1.0):
            note("loss", f"loss at step {t + 1}: {loss.item()} evaluated, {case['losses'][t]} stored")
        unflatten([p.grad for p in params], recorded_gradient)
        tel = opt.step(case["losses"][t])
        after = flat(params)
        if relative(after, case["positions"][t + 1]) > tolerance:
            note("position", f"position {t + 1} differs by {relative(after, case['positions'][t + 1]):.2e} relative")
        for k in TELEMETRY:
            if not close(getattr(tel, k), case[k][t], tolerance):
                note(k, f"{k} at step {t + 1}: {getattr(tel, k)} replayed, {case[k][t]} stored")
    return problems


def check(stored, tolerance=1e-5):
    """Differences between the stored fixture and this package's BPGrad, as readable lines."""
    expected = cases()
    if len(expected) != len(stored["cases"]):
        return [f"{len(stored['cases'])} cases stored, {len(expected)} defined"]
    problems = []
    for (name, problem_name, hyper, changes), case in zip(expected, stored["cases"]):
        if case["name"] != name or case["problem"] != problem_name or case["hyper"] != hyper or case["changes"] != changes:
            problems.append(f"case {case['name']!r}: its definition changed")
            continue
        problems += replay(case, tolerance)
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="replay the stored fixture through python/bpgrad (teacher forcing) instead of writing")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.check:
        with open(OUT) as f:
            stored = json.load(f)
        problems = check(stored)
        for p in problems:
            print(p)
        print(f"{len(stored['cases'])} cases replayed, {len(problems)} differences")
        sys.exit(1 if problems else 0)
    fixture = build()
    with open(OUT, "w") as f:
        f.write(dumps(fixture))
    print(f"wrote {len(fixture['cases'])} trajectories of {STEPS} steps to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
