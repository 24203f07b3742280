#!/usr/bin/env bash
# bpgrad-tui bench beside PyTorch and JAX on the same networks and data, one core each (taskset -c 0),
# batch 128. The machine is shared and noisy, so the engines take turns for ROUNDS rounds and each
# engine's best round is compared (ratios from one run of this script).
# Needs a Python with torch, jax and numpy: PYTHON=/path/to/python scripts/bench_compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
STEPS=${STEPS:-300}
ROUNDS=${ROUNDS:-3}
swift build -c release >/dev/null
results=$(mktemp)
for round in $(seq 1 "$ROUNDS"); do
  for m in mlp lenet; do
    rate=$(taskset -c 0 .build/release/bpgrad-tui bench --preset "fashion-mnist-$m" --steps "$STEPS" | awk '/samples\/s/ {print $2}')
    echo "bpgrad-tui $m $rate" >> "$results"
  done
  taskset -c 0 "$PYTHON" scripts/bench_peers.py --steps "$STEPS" 2>/dev/null | awk '{print $1, $2, $4}' >> "$results"
done
best() { awk -v e="$1" -v m="$2" '$1 == e && $2 == m && $3 > b {b = $3} END {print b}' "$results"; }
printf 'samples/s, best of %s rounds, one core, batch 128\n' "$ROUNDS"
printf '%-8s %12s %12s %12s %10s %10s\n' model bpgrad-tui pytorch jax "vs torch" "vs jax"
for m in mlp lenet; do
  o=$(best bpgrad-tui $m); t=$(best torch $m); j=$(best jax $m)
  printf '%-8s %12.0f %12.0f %12.0f %9.2fx %9.2fx\n' $m "$o" "$t" "$j" "$(echo "$o / $t" | bc -l)" "$(echo "$o / $j" | bc -l)"
done
rm -f "$results"
