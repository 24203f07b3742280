#!/usr/bin/env bash
# The Python package's tests (python/tests) with Debian's python3 (python3-torch, python3-pytest).
# Another python3 may come first on PATH, so /usr/bin/python3 is called by path. pytest's exit
# code 5 (no tests collected) is a failure here, like any other non-zero code.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-/usr/bin/python3}
"$PYTHON" -m pytest python/tests -q -p no:cacheprovider "$@"
status=$?
if [ "$status" -eq 5 ]; then
    echo "test_python.sh: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
