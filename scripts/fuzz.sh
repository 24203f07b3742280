#!/usr/bin/env bash
# The fuzz run CI does: build the release binary, then 3,000 hostile cases with seed 1 (under a
# minute on two cores). Extra arguments go to fuzz.py, e.g. --long or --cases 20000.
set -euo pipefail
cd "$(dirname "$0")/.."
nice -n 5 swift build -c release >/dev/null
exec /usr/bin/python3 scripts/fuzz.py --seed 1 --cases 3000 "$@"
