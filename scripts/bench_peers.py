#!/usr/bin/env python3
"""Times one training step (forward, cross-entropy, backward, update) of the Fashion-MNIST MLP
(784-256-128-10, ReLU) and LeNet-5 in PyTorch and JAX on one CPU thread, batch 128, on real
Fashion-MNIST batches when Debian's dataset-fashion-mnist is installed (random pixels otherwise;
the timing does not depend on the values). The update is SGD with momentum 0.9 (`--solver sgd`)
or Adam with PyTorch's defaults (`--solver adam`: torch.optim.Adam, and the same rule written
out in JAX, inside the jitted step).

Run it beside `bpgrad-tui bench` in one session (scripts/bench_compare.sh does both):
    python3 scripts/bench_peers.py --steps 200 --solver adam
Needs: pip install torch jax numpy.
"""
import argparse, gzip, os, time

os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np

BATCH = 128
DATA = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def batches(n):
    rng = np.random.default_rng(0)
    if os.path.exists(DATA):
        with gzip.open(DATA) as f:
            x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
        with gzip.open(DATA.replace("images-idx3", "labels-idx1")) as f:
            y = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    else:
        x = rng.random((60000, 1, 28, 28), dtype=np.float32)
        y = rng.integers(0, 10, 60000)
    idx = rng.permutation(len(x))
    return [(x[idx[i * BATCH:(i + 1) * BATCH]], y[idx[i * BATCH:(i + 1) * BATCH]]) for i in range(n)]


def bench_torch(kind, data, warmup, solver):
    import torch
    import torch.nn as nn
    torch.set_num_threads(1)
    torch.manual_seed(0)
    if kind == "mlp":
        net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    else:
        net = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                            nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                            nn.Linear(84, 10))
    if solver == "adam":
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    else:
        opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    tensors = [(torch.from_numpy(x), torch.from_numpy(y)) for x, y in data]

    def step(x, y):
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    for x, y in tensors[:warmup]:
        step(x, y)
    t = time.perf_counter()
    for x, y in tensors[warmup:]:
        step(x, y)
    return (len(tensors) - warmup) * BATCH / (time.perf_counter() - t)


def bench_jax(kind, data, warmup, solver):
    import jax
    import jax.numpy as jnp
    key = jax.random.PRNGKey(0)

    def dense(key, fan_in, fan_out):
        b = 1 / np.sqrt(fan_in)
        k1, k2 = jax.random.split(key)
        return (jax.random.uniform(k1, (fan_in, fan_out), minval=-b, maxval=b), jax.random.uniform(k2, (fan_out,), minval=-b, maxval=b))

    def conv(key, cin, cout, k):
        b = 1 / np.sqrt(cin * k * k)
        k1, k2 = jax.random.split(key)
        return (jax.random.uniform(k1, (cout, cin, k, k), minval=-b, maxval=b), jax.random.uniform(k2, (cout,), minval=-b, maxval=b))

    keys = jax.random.split(key, 5)
    if kind == "mlp":
        params = [dense(keys[0], 784, 256), dense(keys[1], 256, 128), dense(keys[2], 128, 10)]

        def forward(p, x):
            h = x.reshape(x.shape[0], -1)
            for i, (w, b) in enumerate(p):
                h = h @ w + b
                if i < len(p) - 1:
                    h = jax.nn.relu(h)
            return h
    else:
        params = [conv(keys[0], 1, 6, 5), conv(keys[1], 6, 16, 5), dense(keys[2], 400, 120), dense(keys[3], 120, 84), dense(keys[4], 84, 10)]

        def pool(h):
            return jax.lax.reduce_window(h, -jnp.inf, jax.lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")

        def forward(p, x):
            (w1, b1), (w2, b2) = p[0], p[1]
            h = jax.lax.conv_general_dilated(x, w1, (1, 1), ((2, 2), (2, 2))) + b1[None, :, None, None]
            h = pool(jax.nn.relu(h))
            h = jax.lax.conv_general_dilated(h, w2, (1, 1), "VALID") + b2[None, :, None, None]
            h = pool(jax.nn.relu(h)).reshape(x.shape[0], -1)
            for i, (w, b) in enumerate(p[2:]):
                h = h @ w + b
                if i < 2:
                    h = jax.nn.relu(h)
            return h

    def loss(p, x, y):
        logits = forward(p, x)
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1))

    tree = jax.tree_util.tree_map

    @jax.jit
    def sgd_step(p, state, x, y):
        g = jax.grad(loss)(p, x, y)
        v = tree(lambda a, b: 0.9 * a + b, state[0], g)
        return tree(lambda a, b: a - 0.05 * b, p, v), (v,)

    @jax.jit
    def adam_step(p, state, x, y):
        m, v, t = state
        g = jax.grad(loss)(p, x, y)
        t = t + 1
        m = tree(lambda a, b: 0.9 * a + 0.1 * b, m, g)
        v = tree(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
        c1, c2 = 1 - 0.9 ** t, jnp.sqrt(1 - 0.999 ** t)
        p = tree(lambda a, mm, vv: a - (1e-3 / c1) * mm / (jnp.sqrt(vv) / c2 + 1e-8), p, m, v)
        return p, (m, v, t)

    zeros = tree(jnp.zeros_like, params)
    step, state = (adam_step, (zeros, zeros, jnp.float32(0))) if solver == "adam" else (sgd_step, (zeros,))
    arrays = [(jnp.asarray(x), jnp.asarray(y.astype(np.int32))) for x, y in data]
    for x, y in arrays[:warmup]:
        params, state = step(params, state, x, y)
    jax.block_until_ready(params)
    t = time.perf_counter()
    for x, y in arrays[warmup:]:
        params, state = step(params, state, x, y)
    jax.block_until_ready(params)
    return (len(arrays) - warmup) * BATCH / (time.perf_counter() - t)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--models", default="mlp,lenet")
    ap.add_argument("--peers", default="torch,jax")
    ap.add_argument("--solver", default="sgd", choices=["sgd", "adam"])
    a = ap.parse_args()
    data = batches(a.steps + a.warmup)
    for kind in a.models.split(","):
        for peer in a.peers.split(","):
            rate = (bench_torch if peer == "torch" else bench_jax)(kind, data, a.warmup, a.solver)
            print(f"{peer:6s} {kind:6s} samples/s {rate:10.0f}", flush=True)


if __name__ == "__main__":
    main()
