#!/usr/bin/env python3
"""Writes Tests/BPGradEngineTests/Fixtures/solver_reference.json: PyTorch trajectories that the
Swift tests replay to prove each solver matches torch.optim exactly.

Problems (all float32):
  rosenbrock  f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 from (-1.5, 2), the standard form
  bowl        f(x, y) = 0.5 u^2 + 2 v^2 + 0.5 u v with u = x - 1, v = y + 0.5, from (3, -2): a skewed quadratic
              whose minimum (1, -0.5) is away from the origin, so relative errors stay meaningful
  network     a fixed 3-4-2 tanh network, cross-entropy on 8 fixed samples, full batch
Each case runs 100 steps and stores every position (all parameters for the network).

    pip install torch && python3 scripts/make_solver_fixtures.py
"""
import json, math, os
import torch

torch.set_num_threads(1)
STEPS = 100
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "BPGradEngineTests", "Fixtures", "solver_reference.json")

CASES = [
    ("sgd", {"lr": 0.01}),
    ("sgd", {"lr": 0.01, "momentum": 0.9}),
    ("sgd", {"lr": 0.005, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("sgd", {"lr": 0.01, "momentum": 0.5, "dampening": 0.3}),
    ("adam", {"lr": 0.01}),
    ("adam", {"lr": 0.05, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.1}),
    ("adagrad", {"lr": 0.1}),
    ("adagrad", {"lr": 0.5, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "eps": 1e-8, "weight_decay": 0.05}),
    ("adadelta", {"lr": 1.0}),
    ("adadelta", {"lr": 0.5, "rho": 0.5, "eps": 1e-4, "weight_decay": 0.1}),
    ("rmsprop", {"lr": 0.01}),
    ("rmsprop", {"lr": 0.005, "alpha": 0.9, "momentum": 0.9, "centered": True, "eps": 1e-6}),
    ("rmsprop", {"lr": 0.001, "momentum": 0.5, "weight_decay": 0.1}),
]


def make_optimizer(kind, params, h):
    h = dict(h)
    if kind == "adam":
        b1, b2 = h.pop("beta1", 0.9), h.pop("beta2", 0.999)
        return torch.optim.Adam(params, betas=(b1, b2), foreach=False, **h)
    cls = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "adadelta": torch.optim.Adadelta, "rmsprop": torch.optim.RMSprop}[kind]
    return cls(params, foreach=False, **h)


def run_function(kind, h, f, start):
    p = torch.tensor(start, dtype=torch.float32, requires_grad=True)
    opt = make_optimizer(kind, [p], h)
    positions = [p.detach().tolist()]
    for _ in range(STEPS):
        opt.zero_grad()
        f(p[0], p[1]).backward()
        opt.step()
        positions.append(p.detach().tolist())
    return positions


def network_data(seed=3):
    """Eight samples and the weights of a 3-4-2 tanh network, from one seeded generator (the
    BPGrad cross fixture uses the same problem with its own seed)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(8, 3, generator=g) * 2 - 1
    y = torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
    w1 = (torch.rand(4, 3, generator=g) * 2 - 1) * 0.6
    b1 = (torch.rand(4, generator=g) * 2 - 1) * 0.6
    w2 = (torch.rand(2, 4, generator=g) * 2 - 1) * 0.5
    b2 = (torch.rand(2, generator=g) * 2 - 1) * 0.5
    return x, y, [w1, b1, w2, b2]


def run_network(kind, h):
    x, y, init = network_data()
    params = [t.clone().requires_grad_(True) for t in init]
    opt = make_optimizer(kind, params, h)
    flat = lambda: torch.cat([t.detach().reshape(-1) for t in params]).tolist()
    positions = [flat()]
    for _ in range(STEPS):
        opt.zero_grad()
        w1, b1, w2, b2 = params
        logits = torch.tanh(x @ w1.T + b1) @ w2.T + b2
        torch.nn.functional.cross_entropy(logits, y).backward()
        opt.step()
        positions.append(flat())
    return positions


def main():
    x, y, init = network_data()
    fixture = {
        "torch_version": torch.__version__,
        "steps": STEPS,
        "network": {"inputs": x.reshape(-1).tolist(), "labels": y.tolist(), "layers": [3, 4, 2],
                    "initial": torch.cat([t.reshape(-1) for t in init]).tolist()},
        "cases": [],
    }
    problems = {
        "rosenbrock": (lambda a, b: (1 - a) ** 2 + 100 * (b - a ** 2) ** 2, [-1.5, 2.0]),
        "bowl": (lambda a, b: 0.5 * (a - 1) ** 2 + 2 * (b + 0.5) ** 2 + 0.5 * (a - 1) * (b + 0.5), [3.0, -2.0]),
    }
    finite = lambda rows: all(math.isfinite(v) for row in rows for v in row)
    for kind, h in CASES:
        for name, (f, start) in problems.items():
            # A learning rate that explodes on this problem is scaled down until the run stays finite.
            hp = dict(h)
            positions = run_function(kind, hp, f, start)
            while not finite(positions):
                hp["lr"] *= 0.1
                positions = run_function(kind, hp, f, start)
            fixture["cases"].append({"solver": kind, "hyper": hp, "problem": name, "positions": positions})
        fixture["cases"].append({"solver": kind, "hyper": h, "problem": "network", "positions": run_network(kind, h)})
    # float32 values need 9 significant digits to round-trip; more only bloats the file.
    for case in fixture["cases"]:
        case["positions"] = [[float(f"{v:.9g}") for v in row] for row in case["positions"]]
    with open(OUT, "w") as out:
        json.dump(fixture, out, separators=(",", ":"))
    print(f"wrote {len(fixture['cases'])} trajectories to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
