#!/usr/bin/env bash
# The memory budget's estimate against what a run really takes, per preset: the smallest
# --set training.memory_budget_mb=N that the run passes (found by bisection; the estimate is
# checked before anything is allocated) beside the peak resident size of a 20-step run
# (/usr/bin/time's maximum RSS). The estimate is meant as an upper bound: "over" should be
# positive on every line. A benchmark, not a test (peak RSS depends on the machine).
#
#   scripts/memory_estimate.sh                       # the shipped presets, train and compare
#   scripts/memory_estimate.sh compare --preset my.yaml --solvers "bpgrad,adam,sgd"
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/bpgrad-tui}
[ -x "$BIN" ] || swift build -c release >/dev/null
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
measure() {
    local lo=1 hi=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) ))
    "$BIN" "$@" --steps 1 --set training.memory_budget_mb=$hi >/dev/null 2>&1 || { echo "$*: does not run"; return; }
    while [ $((hi - lo)) -gt 1 ]; do
        local mid=$(((lo + hi) / 2))
        if "$BIN" "$@" --steps 1 --set training.memory_budget_mb=$mid >/dev/null 2>&1; then hi=$mid; else lo=$mid; fi
    done
    local out; out=$(mktemp)
    /usr/bin/time -f "%M" -o "$out" "$BIN" "$@" --steps 20 --set training.memory_budget_mb=$hi >/dev/null 2>&1
    local rss=$(( $(tail -1 "$out") / 1024 )); rm -f "$out"
    printf '%-70s estimate %6d MiB  peak RSS %6d MiB  over %+d%%\n' "$*" "$hi" "$rss" $(( (hi - rss) * 100 / (rss > 0 ? rss : 1) ))
}
if [ $# -gt 0 ]; then measure "$@"; exit; fi
for p in spirals moons sine-regression fashion-mnist-mlp fashion-mnist-lenet; do
    measure train --preset "$p"
    measure compare --preset "$p" --no-log
done
