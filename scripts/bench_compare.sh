#!/usr/bin/env bash
# bpgrad-tui bench beside PyTorch and JAX on the same networks, one core each, in one run.
# Needs a Python with torch, jax and numpy: PYTHON=/path/to/python scripts/bench_compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
STEPS=${STEPS:-300}
swift build -c release >/dev/null
rate() { grep "samples/s" | awk '{print $2}'; }
ours_mlp=$(taskset -c 0 .build/release/bpgrad-tui bench --preset fashion-mnist-mlp --steps "$STEPS" | tee /dev/stderr | rate)
ours_lenet=$(taskset -c 0 .build/release/bpgrad-tui bench --preset fashion-mnist-lenet --steps "$STEPS" | tee /dev/stderr | rate)
peers=$(taskset -c 0 "$PYTHON" scripts/bench_peers.py --steps "$STEPS" 2>/dev/null | tee /dev/stderr)
peer() { echo "$peers" | awk -v p="$1" -v m="$2" '$1 == p && $2 == m {print $4}'; }
printf '\n%-8s %12s %12s %12s %10s %10s\n' model bpgrad-tui pytorch jax "vs torch" "vs jax"
for m in mlp lenet; do
  ours=$([ $m = mlp ] && echo "$ours_mlp" || echo "$ours_lenet")
  t=$(peer torch $m); j=$(peer jax $m)
  printf '%-8s %12.0f %12.0f %12.0f %9.2fx %9.2fx\n' $m "$ours" "$t" "$j" "$(echo "$ours / $t" | bc -l)" "$(echo "$ours / $j" | bc -l)"
done
