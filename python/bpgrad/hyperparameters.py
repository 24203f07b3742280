"""What a hyperparameter accepts, and how the run writer reads and changes an optimizer's.

`Spec` checks one value with torch-style messages (``invalid lipschitz: -1 (must be > 0)``).
`steering_for(optimizer)` returns a `Steering`: the optimizer's kind (``bpgrad``, ``adam``, ...),
its hyperparameters as docs/run-format.md names them (Adam's ``betas`` become ``beta1`` and
``beta2``), and a validated way to change one in every param group between two steps.
"""
import math

import torch

from ._format import short_value

_NUMBER, _FLAG, _CHOICE = "number", "flag", "choice"


class Spec:
    """One hyperparameter: its kind and the values it accepts."""

    def __init__(self, name, kind=_NUMBER, lower=-math.inf, upper=math.inf, lower_open=False, upper_open=False,
                 options=(), settable=True, why_fixed=""):
        self.name, self.kind = name, kind
        self.lower, self.upper, self.lower_open, self.upper_open = lower, upper, lower_open, upper_open
        self.options = tuple(options)
        self.settable, self.why_fixed = settable, why_fixed

    @property
    def expected(self):
        """What the value must be, as the message after ``must be`` says it."""
        if self.kind == _FLAG:
            return "true or false"
        if self.kind == _CHOICE:
            return "one of " + ", ".join(self.options)
        lo, hi = short_value(self.lower), short_value(self.upper)
        if self.upper == math.inf and self.lower == -math.inf:
            return "a finite number"
        if self.upper == math.inf:
            return ("> " if self.lower_open else ">= ") + lo
        return ("in (" if self.lower_open else "in [") + lo + ", " + hi + (")" if self.upper_open else "]")

    def problem(self, value):
        """Why `value` is not accepted (``must be > 0``), or None when it is."""
        if self.kind == _NUMBER:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return "must be a number" + ("" if self.expected == "a finite number" else " " + self.expected)
            x = float(value)
            ok_low = x > self.lower if self.lower_open else x >= self.lower
            ok_high = x < self.upper if self.upper_open else x <= self.upper
            return None if math.isfinite(x) and ok_low and ok_high else f"must be {self.expected}"
        if self.kind == _FLAG:
            return None if isinstance(value, bool) else "must be true or false"
        return None if isinstance(value, str) and value in self.options else f"must be {self.expected}"

    def check(self, value):
        """The value, normalised (numbers become float), or HyperparameterError."""
        why = self.problem(value)
        if why is not None:
            raise HyperparameterError(self.name, value, why)
        return float(value) if self.kind == _NUMBER else value


class HyperparameterError(ValueError):
    """A refused hyperparameter value; str() reads like torch.optim's: ``invalid lipschitz: -1 (must be > 0)``."""

    def __init__(self, name, value, why):
        self.name, self.value, self.why = name, value, why
        super().__init__(f"invalid {name}: {_shown(value)} ({why})")


def _shown(value):
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (bool, int, float)):
        return short_value(value)
    return repr(value)


def _positive(name):
    return Spec(name, lower=0, lower_open=True)


def _non_negative(name):
    return Spec(name, lower=0)


def _fraction(name, closed_above=False):
    return Spec(name, lower=0, upper=1, upper_open=not closed_above)


#: BPGrad's hyperparameters, as the Swift engine's BPGrad declares them.
BPGRAD_SPECS = {s.name: s for s in [
    _positive("lipschitz"),
    _fraction("momentum"),
    _fraction("rho", closed_above=True),
    _non_negative("weight_decay"),
    Spec("eta_placement", _CHOICE, options=("paper", "reference")),
    Spec("loss_source", _CHOICE, options=("batch", "epoch_mean")),
]}

_ACCUMULATOR = "it takes effect only when the optimizer is built"

#: torch.optim solvers the dashboard also has, with the names docs/run-format.md uses.
TORCH_SPECS = {
    "adam": [_non_negative("lr"), _fraction("beta1"), _fraction("beta2"), _non_negative("eps"), _non_negative("weight_decay")],
    "sgd": [_non_negative("lr"), _non_negative("momentum"), Spec("dampening"), Spec("nesterov", _FLAG),
            _non_negative("weight_decay")],
    "adagrad": [_non_negative("lr"), _non_negative("lr_decay"), _non_negative("eps"),
                Spec("initial_accumulator_value", lower=0, settable=False, why_fixed=_ACCUMULATOR),
                _non_negative("weight_decay")],
    "adadelta": [_non_negative("lr"), _fraction("rho", closed_above=True), _non_negative("eps"), _non_negative("weight_decay")],
    "rmsprop": [_non_negative("lr"), _non_negative("alpha"), _non_negative("eps"), _non_negative("momentum"),
                Spec("centered", _FLAG), _non_negative("weight_decay")],
}
TORCH_SPECS["adamw"] = TORCH_SPECS["adam"]

# Group entries of torch.optim that are implementation switches, not hyperparameters.
_SWITCHES = {"foreach", "maximize", "capturable", "differentiable", "fused", "amsgrad"}

# torch.optim.SGD refuses this combination when it is built; a live change must not make it.
_NESTEROV = "Nesterov momentum requires a momentum above 0 and zero dampening, as in torch.optim.SGD"


class Steering:
    """Reads and changes one optimizer's hyperparameters (every param group at once).

    Values are read from the first param group; a change is checked first and then written
    into every group, so schedulers and live commands meet the same dictionaries.
    """

    def __init__(self, optimizer, kind=None):
        self.optimizer = optimizer
        from .optimizer import BPGrad  # here, not at the top: optimizer imports this module
        self._bpgrad = isinstance(optimizer, BPGrad)
        if self._bpgrad:
            self.kind = kind or "bpgrad"
            self._family = "bpgrad"
            self.specs = dict(BPGRAD_SPECS)
            return
        name = type(optimizer).__name__.lower()
        self.kind = kind or name
        self._family = name
        if name in TORCH_SPECS:
            self.specs = {s.name: s for s in TORCH_SPECS[name]}
        else:
            group = optimizer.param_groups[0]
            self.specs = {}
            for k, v in group.items():
                if k == "params" or k in _SWITCHES:
                    continue
                if isinstance(v, bool):
                    self.specs[k] = Spec(k, _FLAG)
                elif isinstance(v, (int, float)):
                    self.specs[k] = Spec(k)

    def _get(self, group, name):
        if name in ("beta1", "beta2") and "betas" in group:
            return float(group["betas"][0 if name == "beta1" else 1])
        value = group.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        return value

    def values(self):
        """The hyperparameters in force (first param group), in the specs' order."""
        group = self.optimizer.param_groups[0]
        return {name: self._get(group, name) for name in self.specs if name in group or name in ("beta1", "beta2")}

    def check(self, name, value):
        """The value `set` would apply, normalised; HyperparameterError if refused. Changes nothing."""
        spec = self.specs.get(name)
        if spec is None:
            known = ", ".join(self.specs) or "none"
            raise HyperparameterError(name, value, f"{self.kind} has no such hyperparameter (it has {known})")
        if not spec.settable:
            raise HyperparameterError(name, value, f"cannot be changed while training: {spec.why_fixed}")
        new = spec.check(value)
        if self._family == "sgd" and name in ("nesterov", "momentum", "dampening"):
            for group in self.optimizer.param_groups:
                after = {k: group.get(k) for k in ("nesterov", "momentum", "dampening")}
                after[name] = new
                if after["nesterov"] and (after["momentum"] <= 0 or after["dampening"] != 0):
                    raise HyperparameterError(name, value, _NESTEROV)
        return new

    def set(self, name, value):
        """Checks and applies one change. Returns (old, new, note); HyperparameterError if refused.

        `note` is BPGrad's velocity outcome for ``eta_placement`` (``velocity converted`` or
        ``velocity reset``), else None. A value equal to the current one changes nothing and
        comes back with old == new.
        """
        new = self.check(name, value)
        old = self.values().get(name)
        if self._bpgrad:
            note = self.optimizer.set_hyperparameter(name, new)
            return old, new, note
        if old == new and all(self._get(g, name) == new for g in self.optimizer.param_groups):
            return old, new, None
        for group in self.optimizer.param_groups:
            if self._family == "rmsprop":
                self._switch_on_rmsprop_buffers(group, name, new)
            if name in ("beta1", "beta2") and "betas" in group:
                b1, b2 = group["betas"]
                group["betas"] = (new, b2) if name == "beta1" else (b1, new)
            else:
                group[name] = new
        return old, new, None

    def _switch_on_rmsprop_buffers(self, group, name, new):
        """Gives RMSprop the state a term switched on live needs.

        torch's RMSprop makes ``momentum_buffer`` (momentum > 0) and ``grad_avg`` (centered)
        only in a parameter's first step, and its later steps raise KeyError without them. A
        term switched on (momentum from 0 to above 0, centered from false to true) gets them
        as zeros for every parameter that has state: exactly what torch makes when the term is
        on from the first step, so the term starts here with no history while square_avg keeps
        its own. A term switched on again gets fresh zeros too, not what was left when it was
        switched off: a stale grad_avg could exceed the centred variance's square_avg and take
        the square root of a negative number.
        """
        if name == "momentum":
            key, switched_on = "momentum_buffer", group["momentum"] <= 0 < new
        elif name == "centered":
            key, switched_on = "grad_avg", not group["centered"] and new
        else:
            return
        if not switched_on:
            return
        for p in group["params"]:
            state = self.optimizer.state.get(p)
            if state:
                state[key] = torch.zeros_like(p, memory_format=torch.preserve_format)


def steering_for(optimizer, kind=None):
    """A `Steering` for any torch.optim.Optimizer (BPGrad, the torch solvers, or any other)."""
    return Steering(optimizer, kind)
