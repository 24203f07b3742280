"""Makes the package importable from the checkout (installed or not) and keeps torch to one thread:
the machine's cores are shared, and OpenMP threads that wait for each other make small ops slow."""
import os
import sys

import torch

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(PYTHON_DIR)
if PYTHON_DIR not in sys.path:
    sys.path.insert(0, PYTHON_DIR)

torch.set_num_threads(1)
sys.dont_write_bytecode = True  # no __pycache__ in scripts/ when the fixture script is imported
