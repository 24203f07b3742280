"""Workers for test_distributed.py, started with torch.multiprocessing (spawn) on the gloo backend.

Each worker trains the same small network for a few steps on its own share of every global batch
and saves its trajectory (the flat parameters after every step) to OUT/rank{r}.pt.
"""
import os
import threading
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F

import bpgrad

STEPS, BATCH = 50, 8  # BATCH samples per rank per step


def model():
    torch.manual_seed(0)  # every rank (and the single-process reference) starts from the same weights
    return torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3))


def global_batch(step, world):
    """The step's samples over all ranks: rank r's share is rows r*BATCH ... (r+1)*BATCH-1."""
    g = torch.Generator().manual_seed(1000 + step)
    x = torch.randn(world * BATCH, 6, generator=g)
    y = torch.randint(0, 3, (world * BATCH,), generator=g)
    return x, y


def flat(m):
    return torch.cat([p.detach().reshape(-1) for p in m.parameters()])


def reference(world, steps=STEPS, **hyper):
    """The single-process run on the concatenated global batches."""
    torch.set_num_threads(1)
    m = model()
    opt = bpgrad.BPGrad(m.parameters(), **hyper)
    out = []
    for t in range(steps):
        x, y = global_batch(t, world)
        opt.zero_grad()
        loss = F.cross_entropy(m(x), y)
        loss.backward()
        opt.step(loss)
        out.append(flat(m))
    return torch.stack(out)


def worker(rank, world, init_method, out_dir, mode, hyper):
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=init_method, rank=rank, world_size=world)
    try:
        result = train(rank, world, out_dir, mode, hyper)
        torch.save(result, os.path.join(out_dir, f"rank{rank}.pt"))
    finally:
        # DDP's reducer is gone with train()'s frame; destroying the group while it lives can hang at exit.
        dist.barrier()
        dist.destroy_process_group()


def train(rank, world, out_dir, mode, hyper):
    m = model()
    if mode == "manual":  # plain gradient all-reduce instead of DDP
        net = m
    else:
        net = torch.nn.parallel.DistributedDataParallel(m)
    opt = bpgrad.BPGrad(net.parameters(), distributed=False if mode == "no_loss_reduce" else None, **hyper)
    writer = config = None
    if mode == "steer":
        writer = bpgrad.RunWriter(os.path.join(out_dir, "run"), batch_size=world * BATCH, total_steps=STEPS,
                                  poll_interval=0.05)
        config = writer.add("bpgrad", opt)
    trajectory, lipschitz = [], []
    for t in range(STEPS):
        if writer is not None:
            if rank == 0 and t == 10:
                viewer_appends(writer.path, '{"id": "d-1", "solver": "bpgrad", "set": "lipschitz", "value": 7}')
            if rank == 0 and t == 20:
                viewer_appends(writer.path, '{"id": "d-2", "command": "pause"}')
                threading.Timer(1.0, viewer_appends, (writer.path, '{"id": "d-3", "command": "resume"}')).start()
            writer.apply_commands()
        x, y = global_batch(t, world)
        xs, ys = x[rank * BATCH:(rank + 1) * BATCH], y[rank * BATCH:(rank + 1) * BATCH]
        opt.zero_grad()
        loss = F.cross_entropy(net(xs), ys)
        loss.backward()
        if mode == "manual":
            for p in m.parameters():
                dist.all_reduce(p.grad)
                p.grad /= world
        telemetry = opt.step(loss)
        if config is not None:
            config.log(t + 1, 1, telemetry=telemetry)
        trajectory.append(flat(m))
        lipschitz.append(opt.param_groups[0]["lipschitz"])
    if writer is not None:
        writer.close()
    return {"trajectory": torch.stack(trajectory), "lipschitz": lipschitz}


def viewer_appends(run_dir, line):
    """What bpgrad-tui watch does: one write of one whole line, in append mode."""
    fd = os.open(os.path.join(run_dir, "commands.jsonl"), os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)
