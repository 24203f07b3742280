#!/usr/bin/env bash
# The whole test suite: every Swift unit test; every test that starts a session again under
# ThreadSanitizer; the Python package's tests (with Debian's torch, /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
swift test
swift test --sanitize=thread --filter 'SessionConcurrencyTests|SafeguardTests|TrainingTests|RunReaderTests|DashboardAppTests|CommandSessionTests'
./scripts/test_python.sh
