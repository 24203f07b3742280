#!/usr/bin/env bash
# bpgrad-tui bench beside PyTorch and JAX on the same networks and data, one core each
# (taskset -c $CORE), batch 128. The machine is shared and noisy, so the engines take turns for
# ROUNDS rounds and each engine's best round is compared (ratios from one run of this script).
# Each bpgrad-tui round also times the step's matrix products alone (bench's gemm-only line):
# the floor for any engine on the same GEMM. BPGrad has no PyTorch or JAX implementation; it is
# set beside their SGD with momentum, the update with the same memory traffic but one pass less.
# Then: every solver's update alone against the memory bandwidth (bench --solvers), and two
# trainers on two cores against one (bench --parallel 2).
#
# Needs a Python with torch, jax and numpy: PYTHON=/path/to/python scripts/bench_compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
STEPS=${STEPS:-300}
ROUNDS=${ROUNDS:-3}
CORE=${CORE:-0}
# model:solver pairs for bpgrad-tui, and the peers' solver each is compared with.
CONFIGS=${CONFIGS:-"mlp:sgd mlp:adam mlp:bpgrad lenet:sgd lenet:adam"}
peer_solver() { [ "$1" = adam ] && echo adam || echo sgd; }

swift build -c release >/dev/null
bin=.build/release/bpgrad-tui
results=$(mktemp)
trap 'rm -f "$results"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$ROUNDS"); do
  for config in $CONFIGS; do
    m=${config%%:*} s=${config##*:}
    out=$(taskset -c "$CORE" "$bin" bench --preset "fashion-mnist-$m" --solver "$s" --steps "$STEPS" --rounds 1)
    rate=$(awk '/^samples\/s/ {print $2}' <<<"$out")
    step=$(awk '/^ms\/step/ {print $2}' <<<"$out")
    gemm=$(awk '/^gemm-only/ {print $2}' <<<"$out")
    echo "bpgrad-tui $m $s $rate $step $gemm" >> "$results"
  done
  for ps in $(for c in $CONFIGS; do peer_solver "${c##*:}"; done | sort -u); do
    models=$(for c in $CONFIGS; do if [ "$(peer_solver "${c##*:}")" = "$ps" ]; then echo "${c%%:*}"; fi; done | sort -u | paste -sd, -)
    taskset -c "$CORE" "$PYTHON" scripts/bench_peers.py --steps "$STEPS" --solver "$ps" --models "$models" 2>/dev/null \
      | awk -v s="$ps" '{print $1, $2, s, $4}' >> "$results"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# best ENGINE MODEL SOLVER COLUMN: the highest samples/s (column 4), or the lowest ms (5, 6).
best() { awk -v e="$1" -v m="$2" -v s="$3" -v c="$4" '$1 == e && $2 == m && $3 == s {
  v = $c + 0; if (n == 0 || (c == 4 ? v > b : v < b)) b = v; n++ } END {print b + 0}' "$results"; }
spread() { awk -v e="$1" -v m="$2" -v s="$3" '$1 == e && $2 == m && $3 == s {
  v = $4 + 0; if (n == 0 || v > hi) hi = v; if (n == 0 || v < lo) lo = v; n++ } END {printf "%.0f%%", n ? 100 * (hi - lo) / hi : 0}' "$results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }

echo "cpu          $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores; pinned to core $CORE)"
echo "bpgrad-tui   $("$bin" bench --steps 1 --rounds 1 | awk -F'  +' '/^gemm  / {print $2}')"
echo "peers        $("$PYTHON" -c 'import torch, jax; print("torch", torch.__version__, "/ jax", jax.__version__)' 2>/dev/null || echo unknown)"
echo "load         $load_before before, $load_after after (1, 5, 15 min)"
printf 'samples/s, best of %s rounds of %s steps, one core, batch 128 (spread: best vs worst round)\n' "$ROUNDS" "$STEPS"
printf '%-6s %-7s %11s %7s %9s %9s %9s %10s %10s %9s %9s\n' \
  model solver bpgrad-tui spread "ms/step" gemm-only step/gemm pytorch jax "vs torch" "vs jax"
for config in $CONFIGS; do
  m=${config%%:*} s=${config##*:} ps=$(peer_solver "${config##*:}")
  o=$(best bpgrad-tui "$m" "$s" 4); st=$(best bpgrad-tui "$m" "$s" 5); g=$(best bpgrad-tui "$m" "$s" 6)
  t=$(best torch "$m" "$ps" 4); j=$(best jax "$m" "$ps" 4)
  label=$s; if [ "$s" != "$ps" ]; then label="$s*"; fi
  printf '%-6s %-7s %11.0f %7s %9.3f %9.3f %9s %10.0f %10.0f %9s %9s\n' "$m" "$label" "$o" "$(spread bpgrad-tui "$m" "$s")" \
    "$st" "$g" "$(ratio "$st" "$g")" "$t" "$j" "$(ratio "$o" "$t")" "$(ratio "$o" "$j")"
done
echo "* set beside the peers' SGD with momentum 0.9 (neither has BPGrad)"
echo "gemm-only: the step's matrix products alone; for LeNet-5 only its dense layers (its convolutions are oneDNN primitives)"
echo "peer spread: $(for c in $CONFIGS; do m=${c%%:*} ps=$(peer_solver "${c##*:}"); echo "torch $m $ps $(spread torch "$m" "$ps"), jax $m $ps $(spread jax "$m" "$ps")"; done | sort -u | paste -sd';' - | sed 's/;/; /g')"
echo
taskset -c "$CORE" "$bin" bench --solvers --rounds "$ROUNDS"
echo
"$bin" bench --preset fashion-mnist-mlp --solver adam --steps "$STEPS" --rounds "$ROUNDS" --parallel 2 | grep '^parallel'
