#!/usr/bin/env python3
"""RunWriter steering on CUDA: the live changes that need optimizer state (RMSprop's momentum and
centered switched on), hostile commands.jsonl lines and BPGrad, on parameters on the GPU.

Run where a GPU is: /usr/bin/python3 scripts/cuda_run_writer_check.py (prints the device, torch's
version and one line per check; exits 1 on any failure). CI has no GPU; the CPU suite covers
the same paths in python/tests/test_hostile_commands.py.
"""
import json
import os
import sys
import tempfile

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import bpgrad  # noqa: E402


def main():
    dev = torch.device(os.environ.get("BPGRAD_CHECK_DEVICE", "cuda"))
    if dev.type == "cuda" and not torch.cuda.is_available():
        print("no CUDA device: nothing to check")
        return 0
    name = torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu"
    print(f"device {name}, torch {torch.__version__}")
    torch.manual_seed(0)
    x, y = torch.randn(256, 32, device=dev), torch.randint(0, 4, (256,), device=dev)
    models = {k: torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.ReLU(), torch.nn.Linear(64, 4)).to(dev)
              for k in ("rmsprop", "bpgrad", "adam")}
    opts = {"rmsprop": torch.optim.RMSprop(models["rmsprop"].parameters(), lr=1e-3),
            "bpgrad": bpgrad.BPGrad(models["bpgrad"].parameters(), lipschitz=10.0),
            "adam": torch.optim.Adam(models["adam"].parameters(), lr=1e-3)}
    failures = 0
    with tempfile.TemporaryDirectory() as root:
        run = os.path.join(root, "run")
        w = bpgrad.RunWriter(run, batch_size=256)
        for k, o in opts.items():
            w.add(k, o)

        done = [0]

        def steps(n):
            for _ in range(n):
                done[0] += 1
                for k, m in models.items():
                    opts[k].zero_grad()
                    loss = torch.nn.functional.cross_entropy(m(x), y)
                    loss.backward()
                    tel = opts[k].step(loss) if k == "bpgrad" else opts[k].step()
                    w.configurations[k].log(done[0], 1, loss=loss.item(), telemetry=tel if k == "bpgrad" else None)
                w.apply_commands()

        def command(obj):
            with open(os.path.join(run, "commands.jsonl"), "a") as f:
                f.write((obj if isinstance(obj, str) else json.dumps(obj)) + "\n")

        steps(3)
        for line in [{"id": "m", "solver": "rmsprop", "set": "momentum", "value": 0.5},
                     {"id": "c", "solver": "rmsprop", "set": "centered", "value": True},
                     {"id": "big", "set": "lr", "value": int("9" * 400)}, "[" * 1100,
                     {"id": "L", "solver": "bpgrad", "set": "lipschitz", "value": 20}]:
            command(line)
        try:
            steps(5)
            state = opts["rmsprop"].state[next(models["rmsprop"].parameters())]
            ok = state["momentum_buffer"].device == state["grad_avg"].device == x.device
            print(("ok  " if ok else "FAIL") + " RMSprop momentum and centered switched on live: buffers on the parameters' device, 5 more steps")
            failures += not ok
        except Exception as e:  # noqa: BLE001
            print(f"FAIL training after the commands: {type(e).__name__}: {e}")
            failures += 1
        w.close()
        with open(os.path.join(run, "events.csv")) as f:
            events = f.read()
        rejected = events.count(",rejected,")
        print(("ok  " if rejected == 2 else "FAIL") + f" two hostile lines, {rejected} rejected events")
        failures += rejected != 2
        ok = "lipschitz 10 -> 20 (command L)" in events
        print(("ok  " if ok else "FAIL") + " BPGrad's L set live")
        failures += not ok
    print(f"{3 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
