#!/usr/bin/env bash
# End-to-end: drive the real dashboard in a tmux session and read the screen back.
# Prints one line per check and closes with "N passed, N failed"; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null 2>&1 || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
BIN="$PWD/.build/release/bpgrad-tui"
WORK=$(mktemp -d)
RUN="$WORK/run"
SESSION="bpgrad-e2e-$$"
passed=0; failed=0
check() { if eval "$2"; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1"; failed=$((failed + 1)); fi; }
screen() { tmux capture-pane -t "$SESSION" -p; }
wait_for() { for _ in $(seq 1 100); do screen | grep -q -- "$1" && return 0; sleep 0.1; done; return 1; }
cleanup() { tmux kill-session -t "$SESSION" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
[ -n "${E2E_KEEP:-}" ] && trap - EXIT

tmux new-session -d -s "$SESSION" -x 120 -y 40 "cd '$WORK' && TERM=xterm-256color '$BIN' --run-dir '$RUN' --set training.steps=1000000; echo \"EXIT=\$?\"; exec bash --norc --noprofile"
tmux set-option -t "$SESSION" remain-on-exit on >/dev/null

check "legends BPGrad and Adam are drawn" 'wait_for "■ BPGrad" && screen | grep -q "■ Adam"'
check "charts contain braille" 'screen | python3 -c "import sys; sys.exit(0 if any(0x2801 <= ord(c) <= 0x28FF for c in sys.stdin.buffer.read().decode()) else 1)"'

tmux send-keys -t "$SESSION" "?"
check "? shows the help" 'wait_for "preset picker"'
tmux send-keys -t "$SESSION" "?"
check "? again closes it" 'sleep 0.3; ! screen | grep -q "preset picker"'

before=$(screen | grep -o "lipschitz *[0-9.e-]*" | head -1 | awk "{print \$2}")
tmux send-keys -t "$SESSION" Right
check "right arrow raises BPGrad's L" 'sleep 0.5; after=$(screen | grep -o "lipschitz *[0-9.e-]*" | head -1 | awk "{print \$2}"); [ -n "$before" ] && [ "$after" != "$before" ]'
check "the change is an event in events.csv" 'for _ in $(seq 1 30); do grep -q ",bpgrad,set,lipschitz" "$RUN/events.csv" && break; sleep 0.1; done; grep -q ",bpgrad,set,lipschitz" "$RUN/events.csv"'

tmux send-keys -t "$SESSION" b
check "b shows a decision boundary per solver" 'wait_for "BPGrad · step" && screen | grep -q "Adam · step"'
tmux send-keys -t "$SESSION" b
check "b again brings the charts back" 'wait_for "■ BPGrad"'

tmux resize-window -t "$SESSION" -x 60 -y 20
check "60x20 shows the too-small message" 'wait_for "terminal too small: need 80x24, have 60x20"'
tmux resize-window -t "$SESSION" -x 120 -y 40
check "120x40 redraws the dashboard" 'wait_for "■ BPGrad"'

tmux send-keys -t "$SESSION" q
check "q exits with status 0" 'wait_for "EXIT=0"'
tmux send-keys -t "$SESSION" "stty -a | grep -o -- ' echo ' ; echo shell-is-usable" Enter
check "the shell is usable afterwards (echo restored)" 'wait_for "^shell-is-usable" && screen | grep -q "^ echo\$"'
check "the run directory has both CSVs and a summary" '[ -s "$RUN/bpgrad.csv" ] && [ -s "$RUN/adam.csv" ] && [ -s "$RUN/summary.json" ]'

# SIGTERM restores the terminal and still exits cleanly.
tmux kill-session -t "$SESSION" 2>/dev/null
tmux new-session -d -s "$SESSION" -x 120 -y 40 "cd '$WORK' && TERM=xterm-256color '$BIN' --no-log; echo \"EXIT=\$?\"; exec bash --norc --noprofile"
wait_for "■ BPGrad" >/dev/null
pkill -TERM -x bpgrad-tui
check "SIGTERM exits with status 0" 'wait_for "EXIT=0"'
tmux send-keys -t "$SESSION" "stty -a | grep -o -- ' echo ' ; echo shell-is-usable" Enter
check "the shell is usable after SIGTERM" 'wait_for "^shell-is-usable" && screen | grep -q "^ echo\$"'

# The landscape view: heatmap, minima, and a clean exit.
tmux kill-session -t "$SESSION" 2>/dev/null
tmux new-session -d -s "$SESSION" -x 120 -y 40 "cd '$WORK' && TERM=xterm-256color '$BIN' landscape --function himmelblau; echo \"EXIT=\$?\"; exec bash --norc --noprofile"
check "landscape draws the heatmap, the minima and the solvers" 'wait_for "bpgrad-tui landscape" && screen | grep -q "✕" && screen | grep -q "BPGrad-BP"'
tmux send-keys -t "$SESSION" q
check "landscape: q exits with status 0" 'wait_for "EXIT=0"'

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
