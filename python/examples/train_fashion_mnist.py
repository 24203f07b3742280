#!/usr/bin/env python3
"""Trains an MLP or a small CNN on Fashion-MNIST with BPGrad and/or Adam and writes a bpgrad-tui
run directory that `bpgrad-tui watch DIR` shows live (and steers through commands.jsonl).

Alone:        python3 train_fashion_mnist.py --optimizer both --steps 300
Distributed:  torchrun --nproc_per_node=2 train_fashion_mnist.py --optimizer both --steps 300

Under torchrun every rank builds the same initial weights (same seed), trains on its own disjoint
share of each epoch's shuffled samples (as DistributedSampler does) and averages gradients with
DistributedDataParallel; BPGrad averages the loss over the ranks before computing eta, so every
rank takes the same step. Only rank 0 writes the run directory. The data are Debian's IDX files
(package dataset-fashion-mnist), read with gzip and struct; torchvision is not needed.
"""
import argparse
import datetime
import gzip
import math
import os
import signal
import struct
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

try:
    import bpgrad
except ImportError:  # run from a checkout without installing the package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import bpgrad

DATA = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530  # Fashion-MNIST training-set pixel statistics


def fail(message):
    print(f"train_fashion_mnist: {message}", file=sys.stderr)
    sys.exit(2)


def read_idx(path, limit=None):
    """An IDX file (gzip or raw) as a uint8 tensor; reads only the first `limit` items."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            head = f.read(4)
            if len(head) != 4 or head[0] != 0 or head[1] != 0 or head[2] != 0x08:
                fail(f"{path}: not an IDX file of unsigned bytes (magic {head.hex()})")
            dims = struct.unpack(">" + "I" * head[3], f.read(4 * head[3]))
            n = dims[0] if limit is None else min(dims[0], limit)
            item = math.prod(dims[1:])
            data = f.read(n * item)
    except OSError as e:
        fail(f"{path}: cannot be read ({e.strerror or e}); install Debian's dataset-fashion-mnist or pass --data DIR")
    if len(data) != n * item:
        fail(f"{path}: truncated: expected {n * item} bytes of data, found {len(data)}")
    return torch.frombuffer(bytearray(data), dtype=torch.uint8).reshape((n,) + tuple(dims[1:]))


def load(directory, split, limit):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"), limit)
    labels = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"), limit)
    if len(images) != len(labels):
        fail(f"{directory}: {len(images)} {split} images but {len(labels)} labels")
    x = (images.float().div_(255) - MEAN) / STD
    return x.unsqueeze(1), labels.long()  # [n, 1, 28, 28]


def make_model(kind):
    if kind == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 5 * 5, 64), nn.ReLU(), nn.Linear(64, 10))


NETWORK = {"mlp": "flatten dense(256) relu dense(128) relu dense(10)",
           "cnn": "conv2d(8@5x5 pad 2) relu maxpool(2) conv2d(16@5x5) relu maxpool(2) dense(64) relu dense(10)"}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    p.add_argument("--optimizer", choices=["bpgrad", "adam", "both"], default="both")
    p.add_argument("--device", default="cpu", help="cpu, cuda, or cuda:N (under torchrun cuda means cuda:LOCAL_RANK)")
    p.add_argument("--backend", default=None, help="torch.distributed backend (default: gloo on cpu, nccl on cuda)")
    length = p.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, default=None, help="training steps (default: 1 epoch)")
    length.add_argument("--epochs", type=int, default=None)
    p.add_argument("--batch-size", type=int, default=64, help="per rank; the global batch is this times the world size")
    p.add_argument("--lipschitz", type=float, default=10.0)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--rho", type=float, default=0.1)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--eta-placement", choices=["paper", "reference"], default="paper")
    p.add_argument("--loss-source", choices=["batch", "epoch_mean"], default="batch")
    p.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--eval-every", type=int, default=100, help="test-set evaluation interval in steps (0: only at the end)")
    p.add_argument("--limit", type=int, default=None, help="use only the first N training samples")
    p.add_argument("--test-limit", type=int, default=None, help="use only the first N test samples")
    p.add_argument("--data", default=DATA, help="directory with the four *-ubyte.gz IDX files")
    p.add_argument("--run-dir", default=None, help="default runs/<yyyyMMdd-HHmmss>-fashion-mnist-<model>")
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads per process; more than one pays only on cores that nothing else uses")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    for name in ("steps", "epochs", "batch_size", "limit", "test_limit", "threads"):
        value = getattr(args, name)
        if value is not None and value < 1:
            p.error(f"--{name.replace('_', '-')} must be >= 1, got {value}")
    if args.eval_every < 0:
        p.error(f"--eval-every must be >= 0, got {args.eval_every}")
    return args


def setup(args):
    """(rank, world, device): initialises torch.distributed when launched by torchrun."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    device = torch.device(args.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            fail("--device cuda: no CUDA device is available")
        if world > 1 and device.index is None:
            device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
        torch.cuda.set_device(device)
    if world > 1:
        dist.init_process_group(args.backend or ("nccl" if device.type == "cuda" else "gloo"))
    torch.set_num_threads(args.threads)
    return rank, world, device


def all_mean(values, device, world):
    """The mean over the ranks of a few numbers (one all-reduce); the numbers themselves when alone."""
    t = torch.tensor(values, dtype=torch.float64, device=device)
    if world > 1:
        dist.all_reduce(t)
        t /= world
    return t.tolist()


@torch.no_grad()
def evaluate(model, x, y, device, world, rank):
    """Test loss and accuracy over this rank's share of the test set, combined over the ranks."""
    model.eval()
    xs, ys = x[rank::world], y[rank::world]
    total, correct = 0.0, 0.0
    for i in range(0, len(xs), 1000):
        out = model(xs[i:i + 1000].to(device))
        target = ys[i:i + 1000].to(device)
        total += F.cross_entropy(out, target, reduction="sum").item()
        correct += (out.argmax(1) == target).sum().item()
    model.train()
    t = torch.tensor([total, correct, float(len(xs))], dtype=torch.float64, device=device)
    if world > 1:
        dist.all_reduce(t)
    return t[0].item() / t[2].item(), t[1].item() / t[2].item()


class Racer:
    """One optimizer training its own copy of the network: model, optimizer, run configuration."""

    def __init__(self, name, model, optimizer, config, device, world, rank):
        self.name, self.model, self.optimizer, self.config = name, model, optimizer, config
        self.device, self.world, self.rank = device, world, rank
        self.is_bpgrad = isinstance(optimizer, bpgrad.BPGrad)
        self.last = None

    def step(self, x, y, epoch, epoch_start, evaluate_now, test):
        if self.is_bpgrad and epoch_start:
            self.optimizer.start_epoch()
        self.optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(self.model(x), y)
        loss.backward()
        step = self.config.steps + 1
        if self.is_bpgrad:
            telemetry = self.optimizer.step(loss)
            fields = dict(telemetry=telemetry)
            self.last = f"loss {telemetry.loss_used:.4f} eta {telemetry.eta:.3g}"
        else:
            params = [p for p in self.model.parameters() if p.grad is not None]
            grad_norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in params])).item()
            before = [p.detach().clone() for p in params]
            self.optimizer.step()
            step_norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.detach() - b)
                                                              for p, b in zip(params, before)])).item()
            (mean_loss,) = all_mean([loss.item()], self.device, self.world)
            fields = dict(loss=mean_loss, grad_norm=grad_norm, step_norm=step_norm)
            self.last = f"loss {mean_loss:.4f}"
        if evaluate_now:
            test_loss, test_accuracy = evaluate(self.model, test[0], test[1], self.device, self.world, self.rank)
            fields.update(test_loss=test_loss, test_accuracy=test_accuracy)
            self.last += f" test {test_accuracy:.4f}"
        self.config.log(step, epoch, **fields)


def main(argv=None):
    args = parse_args(argv)
    rank, world, device = setup(args)
    # SIGTERM (torchrun stopping a worker, a kill) ends the run as "stopped", files complete.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    train(args, rank, world, device)
    if world > 1:
        # After train() has returned, so DDP's reducers are gone: destroying the group under a
        # live DistributedDataParallel can hang at exit.
        dist.barrier()
        dist.destroy_process_group()


def train(args, rank, world, device):
    x_train, y_train = load(args.data, "train", args.limit)
    x_test, y_test = load(args.data, "test", args.test_limit)
    per_rank = len(x_train) // world
    steps_per_epoch = per_rank // args.batch_size
    if steps_per_epoch < 1:
        fail(f"{len(x_train)} training samples over {world} ranks make no batch of {args.batch_size}")
    total = args.steps or (args.epochs or 1) * steps_per_epoch
    run_dir = args.run_dir or os.path.join(
        "runs", datetime.datetime.now().strftime("%Y%m%d-%H%M%S") + f"-fashion-mnist-{args.model}")

    kinds = ["bpgrad", "adam"] if args.optimizer == "both" else [args.optimizer]
    torch.manual_seed(args.seed)
    initial = make_model(args.model).state_dict()
    parameters = sum(t.numel() for t in initial.values())
    try:
        writer = bpgrad.RunWriter(run_dir, preset=f"fashion-mnist-{args.model}", dataset=f"Fashion-MNIST ({len(x_train)} train)",
                                  network=NETWORK[args.model], parameters=parameters, batch_size=args.batch_size * world,
                                  steps_per_epoch=steps_per_epoch, total_steps=total)
    except bpgrad.RunWriterError as e:
        fail(str(e))
    with writer:
        racers = []
        for kind in kinds:
            model = make_model(args.model)
            model.load_state_dict(initial)  # every optimizer starts from the same weights
            model.to(device)
            if world > 1:
                model = nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
            if kind == "bpgrad":
                opt = bpgrad.BPGrad(model.parameters(), lipschitz=args.lipschitz, momentum=args.momentum, rho=args.rho,
                                    weight_decay=args.weight_decay, eta_placement=args.eta_placement, loss_source=args.loss_source)
            else:
                opt = torch.optim.Adam(model.parameters(), lr=args.lr)
            racers.append(Racer(kind, model, opt, writer.add(kind, opt), device, world, rank))
        if rank == 0 and not args.quiet:
            print(f"run directory {run_dir}: {', '.join(kinds)} on {world} rank(s), {total} steps "
                  f"of {args.batch_size * world} samples", file=sys.stderr)

        generator = torch.Generator()
        epoch, started, last_print = 0, time.monotonic(), 0.0
        while any(not r.config.done and r.config.steps < total for r in racers):
            epoch += 1
            # DistributedSampler's scheme: one permutation per epoch, the same on every rank; rank r takes r, r+world, ...
            order = torch.randperm(len(x_train), generator=generator.manual_seed(args.seed * 1000003 + epoch))
            share = order[rank::world][:steps_per_epoch * args.batch_size]
            for b in range(steps_per_epoch):
                writer.apply_commands()  # live changes and pauses from bpgrad-tui watch
                live = [r for r in racers if not r.config.done and not r.config.paused and r.config.steps < total]
                if not any(not r.config.done and r.config.steps < total for r in racers):
                    break
                idx = share[b * args.batch_size:(b + 1) * args.batch_size]
                x, y = x_train[idx].to(device), y_train[idx].to(device)
                for r in live:
                    step = r.config.steps + 1
                    due = step == total or b == steps_per_epoch - 1 or (args.eval_every and step % args.eval_every == 0)
                    r.step(x, y, epoch, b == 0, due, (x_test, y_test))
                    if r.config.steps >= total:
                        r.config.finish()
                for r in live:
                    if b == steps_per_epoch - 1 and not r.config.done:
                        r.config.epoch_end(epoch)
                now = time.monotonic()
                if rank == 0 and not args.quiet and (now - last_print >= 2 or all(r.config.done for r in racers)):
                    last_print = now
                    print(f"epoch {epoch} " + " | ".join(f"{r.name} step {r.config.steps}/{total} {r.last}" for r in racers),
                          file=sys.stderr)
    if rank == 0 and not args.quiet:
        print(f"done in {time.monotonic() - started:.1f} s; watch it with: bpgrad-tui watch {run_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
