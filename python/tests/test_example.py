"""examples/train_fashion_mnist.py runs alone and under torchrun with two gloo processes."""
import gzip
import importlib.util
import os
import socket
import struct
import subprocess
import sys

import pytest
import torch

from conftest import PYTHON_DIR
from helpers import read_csv, read_events, read_json

EXAMPLE = os.path.join(PYTHON_DIR, "examples", "train_fashion_mnist.py")
DEBIAN_DATA = "/usr/share/datasets/fashion-mnist"


def write_idx(path, tensor):
    """An IDX file of unsigned bytes, gzip-compressed, as the Fashion-MNIST files are."""
    dims = tuple(tensor.shape)
    with gzip.open(path, "wb") as f:
        f.write(bytes([0, 0, 0x08, len(dims)]) + struct.pack(">" + "I" * len(dims), *dims))
        f.write(bytes(tensor.to(torch.uint8).reshape(-1).tolist()))


@pytest.fixture
def data(tmp_path):
    """A small stand-in for Fashion-MNIST in the same file format: 600 train and 200 test samples."""
    d = tmp_path / "data"
    d.mkdir()
    g = torch.Generator().manual_seed(0)
    for prefix, n in (("train", 600), ("t10k", 200)):
        labels = torch.randint(0, 10, (n,), generator=g)
        # Each class a brighter band of rows, plus noise: learnable, so the loss falls.
        images = torch.randint(0, 80, (n, 28, 28), generator=g)
        for i, c in enumerate(labels.tolist()):
            images[i, 2 * c:2 * c + 6] += 150
        write_idx(d / f"{prefix}-images-idx3-ubyte.gz", images)
        write_idx(d / f"{prefix}-labels-idx1-ubyte.gz", labels)
    return d


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, timeout=240):
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env)


def test_two_gloo_processes_under_torchrun(tmp_path, data):
    run_dir = tmp_path / "run"
    # --redirects/--tee: Debian's torch 1.13 on Python 3.11 cannot parse their default "0" (an IntFlag change).
    p = run([sys.executable, "-m", "torch.distributed.run", "--nnodes", "1", "--nproc_per_node", "2",
             "--rdzv_backend", "c10d", "--rdzv_endpoint", f"127.0.0.1:{free_port()}", "--rdzv_id", "example-test",
             "--redirects", "1", "--tee", "1", "--monitor_interval", "1",
             EXAMPLE, "--data", str(data), "--steps", "12", "--batch-size", "16", "--eval-every", "6",
             "--run-dir", str(run_dir), "--optimizer", "both", "--lipschitz", "5"])
    assert p.returncode == 0, p.stderr[-3000:]
    info = read_json(run_dir, "run.json")
    assert (info["writer"], info["batch_size"], info["steps_per_epoch"], info["total_steps"]) == ("bpgrad-python", 32, 18, 12)
    assert info["dataset"] == "Fashion-MNIST (600 train)" and info["parameters"] == 235146
    assert [c["name"] for c in info["configurations"]] == ["bpgrad", "adam"]
    for name in ("bpgrad", "adam"):
        rows = read_csv(run_dir / f"{name}.csv")
        assert [int(r["step"]) for r in rows] == list(range(1, 13))
        assert [r["test_accuracy"] != "" for r in rows] == [s in (6, 12) for s in range(1, 13)]
        assert float(rows[-1]["loss"]) < float(rows[0]["loss"])
        assert float(rows[-1]["step_norm"]) > 0
    events = read_events(run_dir)
    assert [e["event"] for e in events if e["solver"] == "bpgrad"] == ["start", "eval", "eval", "finished"]
    assert read_json(run_dir, "summary.json")["state"] == "finished"
    # Only rank 0 wrote: one row per step, not two.
    assert len((run_dir / "bpgrad.csv").read_text().splitlines()) == 13


def test_alone_with_the_cnn(tmp_path, data):
    run_dir = tmp_path / "run"
    p = run([sys.executable, EXAMPLE, "--data", str(data), "--model", "cnn", "--optimizer", "bpgrad", "--steps", "5",
             "--batch-size", "32", "--run-dir", str(run_dir), "--quiet"])
    assert p.returncode == 0, p.stderr[-3000:]
    assert len(read_csv(run_dir / "bpgrad.csv")) == 5
    assert not (run_dir / "adam.csv").exists()


def example():
    spec = importlib.util.spec_from_file_location("train_fashion_mnist", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not os.path.exists(os.path.join(DEBIAN_DATA, "train-images-idx3-ubyte.gz")),
                    reason="Debian's dataset-fashion-mnist is not installed")
def test_reads_the_debian_fashion_mnist_files():
    m = example()
    x, y = m.load(DEBIAN_DATA, "train", 256)
    assert x.shape == (256, 1, 28, 28) and y.shape == (256,)
    assert y.min() >= 0 and y.max() <= 9 and len(set(y.tolist())) == 10
    assert abs(x.mean().item()) < 0.3  # normalised with the training set's statistics
    x, y = m.load(DEBIAN_DATA, "test", None)
    assert x.shape == (10000, 1, 28, 28)


def test_bad_inputs_are_one_clear_message(tmp_path, data, capsys):
    m = example()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("keep")
    with pytest.raises(SystemExit) as e:
        m.main(["--data", str(data), "--steps", "1", "--run-dir", str(tmp_path / "b")])
    assert e.value.code == 2 and "exists and is not empty" in capsys.readouterr().err
    assert os.listdir(tmp_path / "b") == ["x"]
    (data / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(b"\x00\x00\x0d\x01junk"))
    with pytest.raises(SystemExit) as e:
        m.load(str(data), "test", None)
    assert e.value.code == 2 and "t10k-labels-idx1-ubyte.gz: not an IDX file of unsigned bytes" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        m.load(str(tmp_path / "missing"), "train", None)
    assert e.value.code == 2 and "cannot be read (No such file or directory)" in capsys.readouterr().err
    (data / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(bytes([0, 0, 8, 3]) + struct.pack(">III", 600, 28, 28) + b"x" * 100))
    with pytest.raises(SystemExit) as e:
        m.load(str(data), "train", None)
    assert e.value.code == 2 and "truncated" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        m.parse_args(["--steps", "0"])
    assert e.value.code == 2 and "--steps must be >= 1" in capsys.readouterr().err
