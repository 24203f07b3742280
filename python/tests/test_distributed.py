"""BPGrad under torch.distributed: two gloo processes on the CPU, different data on each rank."""
import os
import time

import pytest
import torch
import torch.multiprocessing as mp

import dist_workers

HYPER = dict(lipschitz=5.0, momentum=0.9, rho=0.1)
pytestmark = pytest.mark.skipif(not torch.distributed.is_available(), reason="torch.distributed is not built in")


def run(tmp_path, mode, world=2, hyper=HYPER, timeout=120):
    """Runs the workers; a hang fails the test after `timeout` seconds instead of stalling CI."""
    init = f"file://{tmp_path}/rendezvous"
    context = mp.spawn(dist_workers.worker, args=(world, init, str(tmp_path), mode, hyper), nprocs=world, join=False)
    deadline = time.monotonic() + timeout
    while not context.join(timeout=1):
        if time.monotonic() > deadline:
            for p in context.processes:
                p.kill()
            pytest.fail(f"the {world} workers did not finish within {timeout} s")
    return [torch.load(os.path.join(tmp_path, f"rank{r}.pt")) for r in range(world)]


def relative(a, b):
    return ((a - b).norm(dim=1) / b.norm(dim=1)).max().item()


@pytest.mark.parametrize("mode", ["ddp", "manual"])
def test_every_rank_takes_the_single_process_step(tmp_path, mode):
    ranks = run(tmp_path, mode)
    a, b = ranks[0]["trajectory"], ranks[1]["trajectory"]
    assert a.shape[0] == dist_workers.STEPS
    assert torch.equal(a, b), "the ranks' parameters differ"
    single = dist_workers.reference(2, **HYPER)
    assert relative(a, single) < 1e-5
    assert (a[-1] - a[0]).norm() > 0.1, "the network hardly moved: the comparison would prove nothing"


def test_without_the_loss_all_reduce_the_ranks_drift_apart(tmp_path):
    ranks = run(tmp_path, "no_loss_reduce")
    a, b = ranks[0]["trajectory"], ranks[1]["trajectory"]
    # DDP still averages the gradients, but each rank's eta comes from its own loss.
    assert not torch.equal(a[0], b[0])
    assert relative(a, b) > 1e-4


def test_commands_reach_every_rank(tmp_path):
    ranks = run(tmp_path, "steer")
    a, b = ranks[0], ranks[1]
    assert torch.equal(a["trajectory"], b["trajectory"])
    # The set was read by rank 0 between steps 10 and 11 and applied on both ranks from step 11 on.
    assert a["lipschitz"] == b["lipschitz"] == [5.0] * 10 + [7.0] * 40
    run_dir = tmp_path / "run"
    events = (run_dir / "events.csv").read_text().splitlines()
    assert "bpgrad,set,lipschitz 5 -> 7 (command d-1)" in events[2]
    kinds = [line.split(",")[3] for line in events[1:]]
    assert kinds == ["start", "set", "pause", "resume", "finished"]
    assert not any(name.startswith("rank") for name in os.listdir(run_dir))
    rows = (run_dir / "bpgrad.csv").read_text().splitlines()[1:]
    assert len(rows) == dist_workers.STEPS
    # The 1 s pause between steps 20 and 21 is left out of wall_ms.
    wall = [float(r.split(",")[-1]) for r in rows]
    assert wall[20] - wall[19] < 500
