#!/usr/bin/env bash
# The whole test suite: every unit test, then the concurrency tests again under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test
swift test --sanitize=thread --filter Concurrency
