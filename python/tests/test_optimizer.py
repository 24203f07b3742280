"""BPGrad against numbers worked out by hand, its reductions, and its bookkeeping."""
import copy
import math

import pytest
import torch

import bpgrad


def make(values, **hyper):
    p = torch.nn.Parameter(torch.tensor(values, dtype=torch.float32))
    return p, bpgrad.BPGrad([p], **hyper)


def step(opt, p, grad, loss):
    p.grad = torch.tensor(grad, dtype=torch.float32)
    return opt.step(loss)


def test_paper_placement_by_hand():
    # L = 2, rho = 0.5, mu = 0.5, g = (3, 4) so ||g|| = 5.
    # Step 1: f = 4, f* = 2, eta = 1, v = -(0.6, 0.8), x = (0.4, 0.2).
    # Step 2: f = 3, f* = 1.5, eta = 0.75, g = (0, 2): v = 0.5 (-0.6, -0.8) - 0.75 (0, 1) = (-0.3, -1.15), x = (0.1, -0.95).
    p, opt = make([1.0, 1.0], lipschitz=2, rho=0.5, momentum=0.5)
    t1 = step(opt, p, [3, 4], 4.0)
    assert (t1.f_star, t1.eta, t1.radius) == (2.0, 1.0, 1.0)
    assert t1.grad_norm == pytest.approx(5) and t1.step_norm == pytest.approx(1)
    assert t1.lipschitz_estimate is None
    assert p.tolist() == pytest.approx([0.4, 0.2], abs=1e-6)
    t2 = step(opt, p, [0, 2], torch.tensor(3.0))
    assert (t2.f_star, t2.eta) == (1.5, 0.75)
    assert p.tolist() == pytest.approx([0.1, -0.95], abs=1e-6)
    assert t2.step_norm == pytest.approx(math.hypot(0.3, 1.15), rel=1e-6)
    # |f_2 - f_1| / ||x_2 - x_1|| = 1 / 1.
    assert t2.lipschitz_estimate == pytest.approx(1) and t2.lipschitz_median == pytest.approx(1)
    assert opt.last_telemetry is t2


def test_reference_placement_by_hand():
    # v = mu v - g/||g||, x += eta v. Step 2: v = 0.5 (-0.6, -0.8) - (0, 1) = (-0.3, -1.4), x = (0.4, 0.2) + 0.75 v.
    p, opt = make([1.0, 1.0], lipschitz=2, rho=0.5, momentum=0.5, eta_placement="reference")
    step(opt, p, [3, 4], 4.0)
    assert p.tolist() == pytest.approx([0.4, 0.2], abs=1e-6)
    t = step(opt, p, [0, 2], 3.0)
    assert p.tolist() == pytest.approx([0.175, -0.85], abs=1e-6)
    assert t.step_norm == pytest.approx(0.75 * math.hypot(0.3, 1.4), rel=1e-6)


def test_f_star_is_rho_times_the_running_minimum_including_the_current_loss():
    p, opt = make([0.0, 0.0], lipschitz=1, rho=0.1, momentum=0)
    lowest = math.inf
    for f in [5.0, 2.0, 3.0, 1.0, 4.0]:
        lowest = min(lowest, f)
        t = step(opt, p, [1, 0], f)
        assert t.f_star == pytest.approx(0.1 * lowest, rel=1e-12)
        assert t.eta == pytest.approx(f - 0.1 * lowest, rel=1e-12)
        # With mu = 0 the step norm is exactly eta.
        assert t.step_norm == pytest.approx(t.eta, rel=1e-6)


def test_without_momentum_the_placements_are_one_update():
    # Each step starts both from the same point (the rounding orders differ, and an oscillating
    # trajectory would amplify that); every step must agree to float32 precision.
    torch.manual_seed(0)
    a = torch.nn.Linear(5, 3)
    b = copy.deepcopy(a)
    pa = bpgrad.BPGrad(a.parameters(), lipschitz=3, momentum=0, weight_decay=0.01, eta_placement="paper")
    pb = bpgrad.BPGrad(b.parameters(), lipschitz=3, momentum=0, weight_decay=0.01, eta_placement="reference")
    x, y = torch.randn(16, 5), torch.randn(16, 3)
    for _ in range(20):
        with torch.no_grad():
            for u, v in zip(a.parameters(), b.parameters()):
                v.copy_(u)
        for model, opt in ((a, pa), (b, pb)):
            opt.zero_grad()
            loss = ((model(x) - y) ** 2).mean()
            loss.backward()
            t = opt.step(loss)
            assert t.step_norm == pytest.approx(t.eta, rel=1e-5)
        for u, v in zip(a.parameters(), b.parameters()):
            assert torch.allclose(u, v, rtol=1e-6, atol=1e-7)


def test_weight_decay_is_in_the_gradient_and_its_norm():
    # g = (0, 0) + 0.5 * (2, 0) = (1, 0): the step goes along -x even with a zero gradient.
    p, opt = make([2.0, 0.0], lipschitz=1, rho=0, momentum=0, weight_decay=0.5)
    t = step(opt, p, [0, 0], 1.0)
    assert t.grad_norm == pytest.approx(1) and not t.skipped
    assert p.tolist() == pytest.approx([1.0, 0.0])


def test_zero_gradient_skips_the_step():
    p, opt = make([1.0, 2.0], lipschitz=1)
    t = step(opt, p, [0, 0], 1.0)
    assert t.skipped and t.step_norm == 0 and t.grad_norm == 0
    assert p.tolist() == [1.0, 2.0]


def test_non_finite_gradient_leaves_the_parameters_alone():
    p, opt = make([1.0, 2.0], lipschitz=1)
    t = step(opt, p, [math.nan, 1], 1.0)
    assert math.isnan(t.grad_norm) and not t.skipped and t.step_norm == 0
    assert p.tolist() == [1.0, 2.0]


def test_epoch_mean_loss_source():
    # f_t is the mean of the batch losses so far in the epoch; start_epoch() restarts it.
    p, opt = make([0.0], lipschitz=1, rho=0, momentum=0, loss_source="epoch_mean")
    used = [step(opt, p, [1], f).loss_used for f in (4.0, 2.0, 6.0)]
    assert used == [4.0, 3.0, 4.0]
    opt.start_epoch()
    assert step(opt, p, [1], 1.0).loss_used == 1.0
    assert step(opt, p, [1], 3.0).loss_used == 2.0


def test_lipschitz_estimate_is_max_and_median_over_the_last_100_steps():
    # mu = 0, rho = 0, L = 1: every step has norm eta = f, so the ratio |f_t - f_{t-1}| / f_{t-1} is known.
    p, opt = make([0.0], lipschitz=1, rho=0, momentum=0)
    losses = [1.0 + (i % 7) for i in range(130)]
    ratios = []
    for i, f in enumerate(losses):
        t = step(opt, p, [1], f)
        if i > 0:
            ratios.append(abs(f - losses[i - 1]) / losses[i - 1])
    window = sorted(ratios[-100:])
    assert t.lipschitz_estimate == pytest.approx(window[-1], rel=1e-6)
    assert t.lipschitz_median == pytest.approx((window[49] + window[50]) / 2, rel=1e-6)


def test_one_gradient_norm_over_every_group_each_group_its_own_eta():
    a = torch.nn.Parameter(torch.tensor([0.0, 0.0]))
    b = torch.nn.Parameter(torch.tensor([0.0]))
    opt = bpgrad.BPGrad([{"params": [a]}, {"params": [b], "lipschitz": 4, "rho": 0.5}], lipschitz=1, rho=0, momentum=0)
    a.grad, b.grad = torch.tensor([3.0, 0.0]), torch.tensor([4.0])
    t = opt.step(2.0)
    # ||g|| = 5; group 0: eta = 2 / 1; group 1: eta = (2 - 0.5 * 2) / 4 = 0.25.
    assert t.grad_norm == pytest.approx(5) and t.etas == pytest.approx((2.0, 0.25))
    assert a.tolist() == pytest.approx([-2 * 3 / 5, 0]) and b.tolist() == pytest.approx([-0.25 * 4 / 5])
    assert t.step_norm == pytest.approx(math.hypot(1.2, 0.2))


def test_closure_is_called_with_gradients_enabled():
    model = torch.nn.Linear(2, 1)
    opt = bpgrad.BPGrad(model.parameters(), lipschitz=10)
    x = torch.randn(4, 2)

    def closure():
        opt.zero_grad()
        loss = model(x).pow(2).mean()
        loss.backward()
        return loss

    before = [q.clone() for q in model.parameters()]
    t = opt.step(closure)
    assert t.loss_used > 0 and t.step_norm > 0
    assert any(not torch.equal(u, v) for u, v in zip(before, model.parameters()))


def test_step_needs_the_loss():
    p, opt = make([1.0], lipschitz=1)
    p.grad = torch.tensor([1.0])
    with pytest.raises(TypeError, match="needs the loss"):
        opt.step()
    with pytest.raises(ValueError, match="one number"):
        opt.step(torch.tensor([1.0, 2.0]))


@pytest.mark.parametrize("name, value, message", [
    ("lipschitz", -1, "invalid lipschitz: -1 (must be > 0)"),
    ("lipschitz", 0, "invalid lipschitz: 0 (must be > 0)"),
    ("lipschitz", math.inf, "invalid lipschitz: inf (must be > 0)"),
    ("lipschitz", "5", "invalid lipschitz: '5' (must be a number > 0)"),
    ("momentum", 1, "invalid momentum: 1 (must be in [0, 1))"),
    ("rho", 1.5, "invalid rho: 1.5 (must be in [0, 1])"),
    ("weight_decay", -0.1, "invalid weight_decay: -0.1 (must be >= 0)"),
    ("eta_placement", "sideways", "invalid eta_placement: 'sideways' (must be one of paper, reference)"),
    ("loss_source", "epoch", "invalid loss_source: 'epoch' (must be one of batch, epoch_mean)"),
])
def test_bad_hyperparameters_are_refused_at_construction_and_on_change(name, value, message):
    p = torch.nn.Parameter(torch.zeros(2))
    hyper = {"lipschitz": 1.0, name: value}
    with pytest.raises(ValueError) as e:
        bpgrad.BPGrad([p], **hyper)
    assert str(e.value) == message
    opt = bpgrad.BPGrad([p], lipschitz=1)
    with pytest.raises(ValueError) as e:
        opt.set_hyperparameter(name, value)
    assert str(e.value) == message
    # Assigned directly (as a scheduler would): refused at the next step, before anything changes.
    opt.param_groups[0][name] = value
    p.grad = torch.ones(2)
    with pytest.raises(ValueError) as e:
        opt.step(1.0)
    assert str(e.value) == message
    assert p.tolist() == [0.0, 0.0]


def test_loss_source_must_agree_across_groups():
    a, b = torch.nn.Parameter(torch.zeros(1)), torch.nn.Parameter(torch.zeros(1))
    with pytest.raises(ValueError, match="same in every param group"):
        bpgrad.BPGrad([{"params": [a]}, {"params": [b], "loss_source": "epoch_mean"}], lipschitz=1)


def test_hyperparameters_are_read_at_every_step():
    p, opt = make([0.0], lipschitz=1, rho=0, momentum=0)
    assert step(opt, p, [1], 2.0).eta == 2.0
    opt.param_groups[0]["lipschitz"] = 4.0
    t = step(opt, p, [1], 2.0)
    assert t.eta == 0.5 and t.lipschitz == 4.0


class TestPlacementSwitch:
    """At a switch the velocity is converted with the eta of the last step taken, or reset."""

    def run_two_steps(self, placement):
        p, opt = make([1.0, 1.0], lipschitz=2, rho=0.5, momentum=0.5, eta_placement=placement)
        step(opt, p, [3, 4], 4.0)  # eta = 1
        step(opt, p, [0, 2], 3.0)  # eta = 0.75
        return p, opt

    def test_paper_to_reference_divides_by_the_last_eta(self):
        p, opt = self.run_two_steps("paper")
        v = opt.state[p]["velocity"].clone()  # (-0.3, -1.15)
        assert opt.set_hyperparameter("eta_placement", "reference") == "velocity converted"
        assert opt.state[p]["velocity"].tolist() == pytest.approx((v / 0.75).tolist())
        # Next step: f = 2, f* = 1, eta = 0.5, g = (1, 0): v = 0.5 v/0.75 - (1, 0), x += 0.5 v.
        x = p.detach().clone()
        step(opt, p, [1, 0], 2.0)
        expected = x + 0.5 * (0.5 * v / 0.75 - torch.tensor([1.0, 0.0]))
        assert p.tolist() == pytest.approx(expected.tolist(), abs=1e-6)

    def test_reference_to_paper_multiplies_by_the_last_eta(self):
        p, opt = self.run_two_steps("reference")
        v = opt.state[p]["velocity"].clone()  # (-0.3, -1.4)
        assert opt.set_hyperparameter("eta_placement", "paper") == "velocity converted"
        assert opt.state[p]["velocity"].tolist() == pytest.approx((v * 0.75).tolist())

    def test_a_round_trip_restores_the_velocity(self):
        p, opt = self.run_two_steps("paper")
        v = opt.state[p]["velocity"].clone()
        opt.set_hyperparameter("eta_placement", "reference")
        opt.set_hyperparameter("eta_placement", "paper")
        assert opt.state[p]["velocity"].tolist() == pytest.approx(v.tolist())

    def test_before_any_step_or_after_a_zero_eta_the_velocity_is_reset(self):
        p, opt = make([1.0], lipschitz=1)
        assert opt.set_hyperparameter("eta_placement", "reference") == "velocity reset"
        p2, opt2 = make([1.0], lipschitz=1, rho=1, momentum=0.5)  # rho = 1: eta = 0 at the lowest loss
        step(opt2, p2, [1], 1.0)
        assert opt2.set_hyperparameter("eta_placement", "reference") == "velocity reset"
        assert opt2.state[p2]["velocity"].tolist() == [0.0]

    def test_no_switch_no_outcome(self):
        p, opt = self.run_two_steps("paper")
        assert opt.set_hyperparameter("eta_placement", "paper") is None
        assert opt.set_hyperparameter("lipschitz", 3) is None

    def test_a_switch_assigned_in_param_groups_is_converted_at_the_next_step(self):
        p, opt = self.run_two_steps("paper")
        q, ref = self.run_two_steps("paper")
        ref.set_hyperparameter("eta_placement", "reference")
        opt.param_groups[0]["eta_placement"] = "reference"
        t = step(opt, p, [1, 0], 2.0)
        t_ref = step(ref, q, [1, 0], 2.0)
        assert t.velocity == "velocity converted" and t_ref.velocity is None
        assert p.tolist() == q.tolist()


def test_state_dict_round_trip_continues_the_same_trajectory():
    torch.manual_seed(1)
    model = torch.nn.Linear(3, 2)
    opt = bpgrad.BPGrad(model.parameters(), lipschitz=2, loss_source="epoch_mean")
    x, y = torch.randn(8, 3), torch.randn(8, 2)

    def train(m, o, n):
        out = []
        for _ in range(n):
            o.zero_grad()
            loss = ((m(x) - y) ** 2).mean()
            loss.backward()
            out.append(o.step(loss))
        return out

    train(model, opt, 5)
    clone = copy.deepcopy(model)
    opt2 = bpgrad.BPGrad(clone.parameters(), lipschitz=99)
    opt2.load_state_dict(opt.state_dict())
    a, b = train(model, opt, 5), train(clone, opt2, 5)
    assert [t.eta for t in a] == [t.eta for t in b]
    assert [t.lipschitz_estimate for t in a] == [t.lipschitz_estimate for t in b]
    for u, v in zip(model.parameters(), clone.parameters()):
        assert torch.equal(u, v)


def test_distributed_true_needs_an_initialised_process_group():
    p, opt = make([1.0], lipschitz=1)
    opt.distributed = True
    p.grad = torch.tensor([1.0])
    with pytest.raises(RuntimeError, match="needs torch.distributed to be initialised"):
        opt.step(1.0)
    with pytest.raises(ValueError, match="invalid distributed"):
        bpgrad.BPGrad([p], lipschitz=1, distributed="yes")
