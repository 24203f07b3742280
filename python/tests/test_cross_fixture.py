"""The committed Swift cross-reference fixture is what this package's BPGrad does now.

BPGradCrossReferenceTests.swift replays the fixture through the Swift engine; this test closes
the loop on the Python side, so a change to either implementation fails one of the two.
"""
import importlib.util
import json
import os

from conftest import REPO

SCRIPT = os.path.join(REPO, "scripts", "make_bpgrad_cross_fixture.py")


def load_script():
    spec = importlib.util.spec_from_file_location("make_bpgrad_cross_fixture", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fixture_matches_a_fresh_python_run():
    m = load_script()
    with open(m.OUT) as f:
        stored = json.load(f)
    fresh = m.build()
    assert len(stored["cases"]) >= 20
    assert m.compare(fresh, stored) == []


def test_fixture_covers_both_placements_momentum_and_weight_decay():
    m = load_script()
    with open(m.OUT) as f:
        cases = json.load(f)["cases"]
    seen = {(c["hyper"]["eta_placement"], c["hyper"]["momentum"] > 0, c["hyper"]["weight_decay"] > 0) for c in cases}
    assert len(seen) == 8
    assert any(c["hyper"]["loss_source"] == "epoch_mean" for c in cases)
    assert all(len(c["losses"]) >= 50 for c in cases)


def test_compare_notices_a_changed_position():
    m = load_script()
    with open(m.OUT) as f:
        stored = json.load(f)
    changed = json.loads(json.dumps(stored))
    changed["cases"][3]["positions"][10][0] += 1e-3
    assert m.compare(stored, changed) != []
