"""BPGrad for PyTorch: the same update as the Swift engine's Sources/BPGradEngine/Solvers/BPGrad.swift."""
import math
from dataclasses import dataclass
from typing import Optional, Tuple

import torch
import torch.distributed as dist

from .hyperparameters import BPGRAD_SPECS, HyperparameterError

#: How many recent secant ratios the Lipschitz estimate looks at (as the Swift engine).
ESTIMATE_WINDOW = 100

# Optimizer-wide state lives in `self.state` under this key, beside the per-parameter
# velocities: torch's state_dict() and load_state_dict() carry non-tensor keys unchanged.
_GLOBAL = "bpgrad"


@dataclass(frozen=True)
class Telemetry:
    """What one BPGrad step did. Loss values are the all-reduced ones when distributed.

    With several param groups, `eta`, `radius`, `f_star`, `lipschitz`, `momentum` and `rho`
    are those of the first group; `etas` has every group's eta in order.
    """

    #: how many times step() has been called, this call included.
    step: int
    #: f_t, the loss BPGrad used: the batch loss or, with loss_source epoch_mean, the epoch's running mean.
    loss_used: float
    #: eta_t = (f_t - f*_t) / L, the step size.
    eta: float
    #: the pruned radius r_t (equal to eta_t).
    radius: float
    #: f*_t = rho * min_{i<=t} f_i.
    f_star: float
    #: ||g_t||_2 over every parameter of every group, weight decay included.
    grad_norm: float
    #: ||x_{t+1} - x_t||_2, the step taken (0 when skipped).
    step_norm: float
    #: max and median of |f_{i+1} - f_i| / ||x_{i+1} - x_i|| over the last 100 steps; None before the second step.
    lipschitz_estimate: Optional[float]
    lipschitz_median: Optional[float]
    #: True when the step was skipped because the gradient is zero.
    skipped: bool
    #: the first group's L, mu and rho in force at this step.
    lipschitz: float
    momentum: float
    rho: float
    etas: Tuple[float, ...]
    #: "velocity converted" or "velocity reset" when an eta_placement switch made directly in
    #: param_groups was applied at this step; None otherwise.
    velocity: Optional[str] = None


class BPGrad(torch.optim.Optimizer):
    r"""BPGrad (Zhang, Wu & Wang, "BPGrad: Towards Global Optimality in Deep Learning via Branch
    and Pruning", CVPR 2018), the deep-learning solver of the paper's Algorithm 2.

    With L the Lipschitz constant, f_t the loss at x_t and g_t its gradient plus
    weight_decay * x_t::

        f*_t    = rho * min_{i <= t} f_i           estimate of the global minimum
        eta_t   = (f_t - f*_t) / L                 step size = pruned radius r_t
        paper:      v_{t+1} = mu * v_t - eta_t * g_t / ||g_t||_2,   x_{t+1} = x_t + v_{t+1}
        reference:  v_{t+1} = mu * v_t - g_t / ||g_t||_2,           x_{t+1} = x_t + eta_t * v_{t+1}

    ``||g||`` is one L2 norm over every parameter of every param group. ``reference`` is the
    authors' MATLAB code. With ``loss_source="epoch_mean"``, f_t is the running mean of the
    batch losses so far in the epoch (call :meth:`start_epoch` before an epoch's first step);
    the minimum then runs over those means. A zero gradient skips the step (the telemetry says
    ``skipped``); so does a non-finite one (the parameters are left alone; the telemetry's
    grad_norm shows it). With momentum 0 the two placements are the same update and the step
    norm is exactly eta_t.

    This is the update of the Swift engine's ``BPGrad`` (Sources/BPGradEngine/Solvers/BPGrad.swift);
    scripts/make_bpgrad_cross_fixture.py records trajectories that the Swift tests replay.

    Args:
        params: parameters or param groups, as for any torch.optim optimizer.
        lipschitz (float): L, > 0. There is no default: the right L depends on the loss scale.
        momentum (float): mu, in [0, 1). Default 0.9.
        rho (float): in [0, 1]. Default 0.1.
        weight_decay (float): >= 0, added to the gradient before the norm. Default 0.
        eta_placement (str): ``"paper"`` or ``"reference"``. Default ``"paper"``.
        loss_source (str): ``"batch"`` or ``"epoch_mean"``; the same in every group. Default ``"batch"``.
        distributed (bool or None): all-reduce (mean) the loss before eta is computed. None (the
            default) does so when torch.distributed is initialised with more than one process.
        process_group: the group for that all-reduce (default: the world).

    Param groups: every group uses its own L, mu, rho, weight_decay and eta_placement; the loss,
    its running minimum and the gradient norm are shared, so group k steps by
    eta_k = (f_t - rho_k * min f) / L_k along its part of g / ||g||.

    Hyperparameters live in ``param_groups`` and are read at every step, so a scheduler or a
    live command just assigns them; they are checked at construction, by
    :meth:`set_hyperparameter`, and again at the start of every step (a bad value raises
    ValueError before anything changes).

    Switching ``eta_placement`` between steps: the velocity is a displacement in the paper form
    and a unitless sum of directions in the reference form. At a switch it is converted with
    eta_last, the eta of the group's last step taken (paper -> reference: v /= eta_last;
    reference -> paper: v *= eta_last), or reset to zero when no step has been taken yet or
    eta_last is 0 or not finite. :meth:`set_hyperparameter` converts at once and returns
    ``"velocity converted"`` or ``"velocity reset"``; a switch assigned directly in
    ``param_groups`` is converted at the next step and reported in its telemetry's ``velocity``.

    Distributed (DDP or any scheme that all-reduces the gradients): every rank must take the
    same step, so the loss is averaged over the ranks (one all-reduce of one number, on the
    parameters' device, any backend) before eta is computed; the gradient norm is taken on the
    gradients as they are, which DDP has already averaged.

    Example::

        opt = bpgrad.BPGrad(model.parameters(), lipschitz=10)
        for x, y in loader:
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            telemetry = opt.step(loss)        # or opt.step(closure)
    """

    def __init__(self, params, lipschitz, momentum=0.9, rho=0.1, weight_decay=0.0, eta_placement="paper",
                 loss_source="batch", *, distributed=None, process_group=None):
        defaults = dict(lipschitz=lipschitz, momentum=momentum, rho=rho, weight_decay=weight_decay,
                        eta_placement=eta_placement, loss_source=loss_source)
        for name, value in defaults.items():
            defaults[name] = BPGRAD_SPECS[name].check(value)
        if distributed is not None and not isinstance(distributed, bool):
            raise ValueError(f"invalid distributed: {distributed!r} (must be True, False or None)")
        self.distributed = distributed
        self.process_group = process_group
        self.last_telemetry = None
        super().__init__(params, defaults)

    def add_param_group(self, param_group):
        super().add_param_group(param_group)
        group = self.param_groups[-1]
        for name, spec in BPGRAD_SPECS.items():
            group[name] = spec.check(group[name])
        self._check_loss_source()

    def _check_loss_source(self):
        sources = {g["loss_source"] for g in self.param_groups}
        if len(sources) > 1:
            raise HyperparameterError("loss_source", sorted(sources), "must be the same in every param group")

    # -- state -----------------------------------------------------------------------------

    def _global(self):
        st = self.state.get(_GLOBAL)
        if st is None:
            st = dict(step=0, min_loss=math.inf, epoch_sum=0.0, epoch_count=0, epoch_start=False,
                      previous_loss=None, previous_step_norm=0.0, ratios=[], groups=[])
            self.state[_GLOBAL] = st
        while len(st["groups"]) < len(self.param_groups):
            st["groups"].append(dict(placement=None, eta_last=None))
        return st

    def start_epoch(self):
        """Marks the next step as the first of an epoch (loss_source epoch_mean restarts its mean)."""
        self._global()["epoch_start"] = True

    def reset(self):
        """Forgets the velocity, the running minimum, the epoch mean and the Lipschitz window."""
        self.state.clear()
        self.last_telemetry = None

    # -- hyperparameters -------------------------------------------------------------------

    def set_hyperparameter(self, name, value, group=None):
        """Checks `value` and assigns it in every param group (or only group index `group`).

        Returns ``"velocity converted"`` or ``"velocity reset"`` when an ``eta_placement``
        switch converted the velocity (see the class docstring), else None. Raises ValueError
        for an unknown name or a bad value, changing nothing.
        """
        spec = BPGRAD_SPECS.get(name)
        if spec is None:
            raise HyperparameterError(name, value, f"BPGrad has no such hyperparameter (it has {', '.join(BPGRAD_SPECS)})")
        value = spec.check(value)
        indices = range(len(self.param_groups)) if group is None else [group]
        if name == "loss_source" and group is not None and len(self.param_groups) > 1:
            raise HyperparameterError(name, value, "must be the same in every param group: set it with group=None")
        notes = []
        for i in indices:
            g = self.param_groups[i]
            if name == "eta_placement" and g["eta_placement"] != value:
                notes.append(self._convert_velocity(i, g["eta_placement"], value))
            g[name] = value
        if not notes:
            return None
        return "velocity reset" if "velocity reset" in notes else "velocity converted"

    def _convert_velocity(self, index, old, new):
        """Re-expresses group `index`'s velocity for `new` placement; returns the outcome."""
        gs = self._global()["groups"][index]
        eta = gs["eta_last"]
        convertible = eta is not None and eta != 0 and math.isfinite(eta)
        with torch.no_grad():
            for p in self.param_groups[index]["params"]:
                v = self.state.get(p, {}).get("velocity")
                if v is None:
                    continue
                if not convertible:
                    v.zero_()
                elif old == "paper" and new == "reference":
                    v.div_(eta)
                elif old == "reference" and new == "paper":
                    v.mul_(eta)
        gs["placement"] = new
        return "velocity converted" if convertible else "velocity reset"

    # -- the step --------------------------------------------------------------------------

    def _distributed_active(self):
        if self.distributed is False:
            return False
        if not (dist.is_available() and dist.is_initialized()):
            if self.distributed:
                raise RuntimeError("BPGrad(distributed=True) needs torch.distributed to be initialised")
            return False
        return dist.get_world_size(self.process_group) > 1

    def _device(self):
        for group in self.param_groups:
            for p in group["params"]:
                return p.device
        return torch.device("cpu")

    def _loss_value(self, loss):
        """The loss as a float, averaged over the ranks when distributed."""
        if isinstance(loss, torch.Tensor):
            if loss.numel() != 1:
                raise ValueError(f"BPGrad.step: the loss must be one number, got a tensor of shape {tuple(loss.shape)}")
            t = loss.detach().reshape(1)
        else:
            try:
                t = float(loss)
            except (TypeError, ValueError):
                raise TypeError(f"BPGrad.step: the loss must be a number, a one-element tensor or a closure, got {type(loss).__name__}") from None
        if not self._distributed_active():
            return float(t)
        t = torch.as_tensor(t, dtype=torch.float64).reshape(1).to(self._device(), torch.float64)
        dist.all_reduce(t, op=dist.ReduceOp.SUM, group=self.process_group)
        return t.item() / dist.get_world_size(self.process_group)

    @torch.no_grad()
    def step(self, loss=None):
        """Takes one step from the loss at the current point and the gradients in ``.grad``.

        `loss` is the loss value (a float or a one-element tensor) or a closure that
        re-evaluates the model and returns it (the closure runs with gradients enabled, as
        torch.optim's closures do). Returns the step's :class:`Telemetry`, also kept in
        ``last_telemetry``.
        """
        if loss is None:
            raise TypeError("BPGrad.step needs the loss: step(loss) or step(closure); eta_t = (f_t - f*_t) / L depends on it")
        if callable(loss) and not isinstance(loss, torch.Tensor):
            with torch.enable_grad():
                loss = loss()
        for group in self.param_groups:
            for name, spec in BPGRAD_SPECS.items():
                group[name] = spec.check(group[name])
        self._check_loss_source()
        # g = grad + weight_decay * x, and one norm over all of it (before any state changes).
        directions, norms = [], []
        device = self._device()
        for group in self.param_groups:
            wd = group["weight_decay"]
            ds = []
            for p in group["params"]:
                if p.grad is None:
                    continue
                if p.grad.is_sparse:
                    raise RuntimeError("BPGrad does not support sparse gradients")
                d = p.grad if wd == 0 else p.grad.add(p, alpha=wd)
                ds.append((p, d))
                norms.append(torch.linalg.vector_norm(d).to(device))
            directions.append(ds)
        grad_norm = torch.linalg.vector_norm(torch.stack(norms).double()).item() if norms else 0.0

        f_batch = self._loss_value(loss)

        st = self._global()
        epoch_start, st["epoch_start"] = st["epoch_start"], False
        if self.param_groups[0]["loss_source"] == "epoch_mean":
            if epoch_start:
                st["epoch_sum"], st["epoch_count"] = 0.0, 0
            st["epoch_sum"] += f_batch
            st["epoch_count"] += 1
            f = st["epoch_sum"] / st["epoch_count"]
        else:
            f = f_batch
        self._observe_lipschitz(st, f)
        st["min_loss"] = f if f < st["min_loss"] else st["min_loss"]
        f_stars = [g["rho"] * st["min_loss"] for g in self.param_groups]
        etas = [(f - fs) / g["lipschitz"] for g, fs in zip(self.param_groups, f_stars)]

        # An eta_placement assigned directly in param_groups since the last step.
        notes = []
        for i, group in enumerate(self.param_groups):
            gs = st["groups"][i]
            if gs["placement"] is None:
                gs["placement"] = group["eta_placement"]
            elif gs["placement"] != group["eta_placement"]:
                notes.append(self._convert_velocity(i, gs["placement"], group["eta_placement"]))

        estimate, median = self._estimate(st)
        g0 = self.param_groups[0]
        step_norm, skipped = 0.0, grad_norm == 0
        if grad_norm > 0 and math.isfinite(grad_norm):
            squares = []
            for i, (group, ds) in enumerate(zip(self.param_groups, directions)):
                mu, eta = group["momentum"], etas[i]
                reference = group["eta_placement"] == "reference"
                scale = 1.0 / grad_norm if reference else eta / grad_norm
                for p, d in ds:
                    state = self.state[p]
                    v = state.get("velocity")
                    if v is None:
                        v = state["velocity"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                    v.mul_(mu).add_(d, alpha=-scale)
                    if reference:
                        p.add_(v, alpha=eta)
                    else:
                        p.add_(v)
                    n = torch.linalg.vector_norm(v).to(device)
                    squares.append(n * abs(eta) if reference else n)
                st["groups"][i]["eta_last"] = eta
            if squares:
                step_norm = torch.linalg.vector_norm(torch.stack(squares).double()).item()
        st["step"] += 1
        st["previous_step_norm"] = step_norm

        telemetry = Telemetry(
            step=st["step"], loss_used=f, eta=etas[0], radius=etas[0], f_star=f_stars[0], grad_norm=grad_norm,
            step_norm=step_norm, lipschitz_estimate=estimate, lipschitz_median=median, skipped=skipped,
            lipschitz=g0["lipschitz"], momentum=g0["momentum"], rho=g0["rho"], etas=tuple(etas),
            velocity=("velocity reset" if "velocity reset" in notes else "velocity converted") if notes else None)
        self.last_telemetry = telemetry
        return telemetry

    @staticmethod
    def _observe_lipschitz(st, f):
        """|f_{t+1} - f_t| / ||x_{t+1} - x_t|| for the step just taken, into the window."""
        last, norm = st["previous_loss"], st["previous_step_norm"]
        st["previous_loss"] = f
        if last is None or not norm > 0:
            return
        ratio = abs(f - last) / norm
        if not math.isfinite(ratio):
            return
        st["ratios"].append(ratio)
        if len(st["ratios"]) > ESTIMATE_WINDOW:
            del st["ratios"][0]

    @staticmethod
    def _estimate(st):
        r = sorted(st["ratios"])
        n = len(r)
        if n == 0:
            return None, None
        median = r[n // 2] if n % 2 == 1 else (r[n // 2 - 1] + r[n // 2]) / 2
        return r[-1], median
