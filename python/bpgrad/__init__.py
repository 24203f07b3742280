"""BPGrad for PyTorch, and a writer of bpgrad-tui run directories.

- `BPGrad`: the optimizer (Zhang, Wu & Wang, CVPR 2018), the same update as bpgrad-tui's engine.
- `RunWriter`: writes a run directory (docs/run-format.md) that ``bpgrad-tui watch`` shows and
  steers through ``commands.jsonl``.
"""
from .hyperparameters import HyperparameterError
from .optimizer import BPGrad, Telemetry
from .run_writer import Configuration, RunWriter, RunWriterError

__version__ = "0.1.0"
__all__ = ["BPGrad", "Telemetry", "RunWriter", "Configuration", "RunWriterError", "HyperparameterError"]
