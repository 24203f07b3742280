#!/usr/bin/env bash
# End-to-end: drive the real dashboard in tmux sessions and read the screen and the run
# directories back. Prints one line per check and closes with "N passed, N failed"; exits
# non-zero on a failure. It signals only the processes it started (by PID).
set -uo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null 2>&1 || { echo "build failed"; echo "e2e: 0 passed, 1 failed"; exit 1; }
BIN="$PWD/.build/release/bpgrad-tui"
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
WORK=$(mktemp -d)
SESSION="bpgrad-e2e-$$"
. scripts/tmux_session.sh
passed=0; failed=0
check() {
    if eval "$2"; then echo "ok   $1"; passed=$((passed + 1)); return; fi
    echo "FAIL $1"; failed=$((failed + 1))
    # What the screen showed, to tell a slow machine from a wrong one.
    tmux capture-pane -t "$SESSION" -p 2>/dev/null | head -6 | sed 's/^/     | /'
}
screen() { tmux capture-pane -t "$SESSION" -p; }
colours() { tmux capture-pane -t "$SESSION" -p -e; }
wait_for() { for _ in $(seq 1 ${2:-200}); do screen | grep -q -- "$1" && return 0; sleep 0.1; done; return 1; }
# The bpgrad-tui process the pane's shell started.
app_pid() { pgrep -P "$(tmux display-message -t "$SESSION" -p '#{pane_pid}')" -x bpgrad-tui | head -1; }
start() {  # start TITLE COMMAND...: a fresh 120x40 session running the command, then a shell
    tmux kill-session -t "$SESSION" 2>/dev/null
    new_session "cd '$WORK' && TERM=xterm-256color $*; echo \"EXIT=\$?\"; exec bash --norc --noprofile"
    tmux set-option -t "$SESSION" remain-on-exit on >/dev/null
}
steps() { [ -f "$1" ] && tail -n +2 "$1" | wc -l || echo 0; }
TORCHRUN=""
# The PyTorch writer is stopped too if the script ends early (an error, ^C).
cleanup() { [ -n "$TORCHRUN" ] && kill "$TORCHRUN" 2>/dev/null; tmux kill-session -t "$SESSION" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
[ -n "${E2E_KEEP:-}" ] && trap - EXIT

# --- The dashboard: drawing, help, L, events, speed, length, hiding, markers, restart, resize, quit.
RUN="$WORK/run"
start "'$BIN' --run-dir '$RUN' --solvers 'bpgrad, bpgrad:L=50, adam' --steps 300"
check "legends name every configuration" 'wait_for "■ BPGrad L=50" 400 && screen | grep -q "■ Adam"'
check "charts contain braille" 'screen | $PY -c "import sys; sys.exit(0 if any(0x2801 <= ord(c) <= 0x28FF for c in sys.stdin.buffer.read().decode()) else 1)"'

tmux send-keys -t "$SESSION" "?"
check "? shows the help" 'wait_for "keys · ? or Esc closes"'
tmux send-keys -t "$SESSION" "?"
check "? again closes it" 'sleep 0.3; ! screen | grep -q "keys · ? or Esc closes"'

check "a run passes its preset length and keeps going" 'wait_for "past the preset.s 300" 100 && sleep 1 && [ "$(steps "$RUN/adam.csv")" -gt 320 ]'
check "the length is an event" 'grep -q ",adam,length_reached," "$RUN/events.csv"'

tmux send-keys -t "$SESSION" Right Right Right Right Right Right Right Right Right Right
check "ten quick presses of right give ten set events, L x1.25 each" '
    for _ in $(seq 1 50); do [ "$(grep -c ",bpgrad,set,lipschitz" "$RUN/events.csv")" -ge 10 ] && break; sleep 0.1; done
    $PY - "$RUN/events.csv" <<EOF
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["event"] == "set" and r["solver"] == "bpgrad"]
pairs = [tuple(float(v) for v in r["detail"].split()[1::2][:2]) for r in rows]
ok = len(pairs) == 10 and all(abs(new - old * 1.25) < 1e-9 * new for old, new in pairs) and all(pairs[i][1] == pairs[i + 1][0] for i in range(9))
sys.exit(0 if ok and abs(pairs[-1][1] - 10 * 1.25 ** 10) < 1e-6 else 1)
EOF'

tmux send-keys -t "$SESSION" - - -
check "the speed control shows 10 steps/s in the header" 'wait_for "10 steps/s"'
check "the speed cap holds: 10 steps/s over 3 s" 'sleep 1; a=$(steps "$RUN/adam.csv"); sleep 3; b=$(steps "$RUN/adam.csv"); d=$((b - a)); echo "     $d steps in 3 s"; [ "$d" -ge 24 ] && [ "$d" -le 33 ]'
tmux send-keys -t "$SESSION" + + +

# A cell in a given xterm colour, whatever other attributes share its escape sequence.
BRAILLE_214='import sys,re; sys.exit(0 if re.search("\x1b\\[[0-9;]*38;5;214(;[0-9;]*)?m[\u2801-\u28ff]", sys.stdin.read()) else 1)'
MARKER_226='import sys,re; sys.exit(0 if re.search("\x1b\\[[0-9;]*38;5;226(;[0-9;]*)?m", sys.stdin.read()) else 1)'
check "configuration 2 draws braille in its colour" 'colours | head -32 | $PY -c "$BRAILLE_214"'
tmux send-keys -t "$SESSION" 2
check "a hidden configuration leaves the legends" 'sleep 0.5; ! screen | grep "╭ loss" | grep -q "BPGrad L=50"'
check "and the charts (no braille in its colour above the table)" '! colours | head -32 | $PY -c "$BRAILLE_214"'
tmux send-keys -t "$SESSION" 0
check "0 brings it back" 'wait_for "■ BPGrad L=50"'
check "the early changes are still marked (in the marker colour) and the newest listed" 'sleep 0.3; colours | head -32 | $PY -c "$MARKER_226" && screen | grep -q "1 L .*→.* @"'

tmux send-keys -t "$SESSION" r
check "r restarts in a new run directory" 'for _ in $(seq 1 50); do [ -s "$RUN-r2/bpgrad.csv" ] && break; sleep 0.1; done; [ -s "$RUN-r2/bpgrad.csv" ]'
check "the first run ends with a restart event" 'tail -1 "$RUN/events.csv" | grep -q ",,restart,continues in $RUN-r2"'
check "after r every CSV has strictly increasing steps" 'sleep 1; $PY - "$RUN" "$RUN-r2" <<EOF
import csv, glob, sys
for d in sys.argv[1:]:
    for f in glob.glob(d + "/*.csv"):
        if f.endswith("events.csv"): continue
        steps = [int(r["step"]) for r in csv.DictReader(open(f))]
        if not steps or any(b <= a for a, b in zip(steps, steps[1:])): sys.exit(1)
EOF'

tmux send-keys -t "$SESSION" b
check "b shows a decision boundary per configuration" 'wait_for "BPGrad · step" && screen | grep -q "Adam · step"'
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
check "the run directory has run.json, the CSVs and a summary" '[ -s "$RUN/run.json" ] && [ -s "$RUN/bpgrad-L50.csv" ] && [ -s "$RUN/adam.csv" ] && [ -s "$RUN-r2/summary.json" ]'

# --- Configurations: two BPGrads, a fork, and a change to the fork only.
RUN2="$WORK/fork"
start "'$BIN' --run-dir '$RUN2' --solvers 'bpgrad, bpgrad:lipschitz=50'"
check "two configurations of one kind" 'wait_for "■ BPGrad L=50" && screen | grep -q "■ BPGrad "'
# Select the second configuration's L (the first has six hyperparameters) and fork it.
tmux send-keys -t "$SESSION" Down Down Down Down Down Down F
check "F forks the selected configuration" 'wait_for "3 BPGrad L=50 fork@"'
tmux send-keys -t "$SESSION" Down Down Down Down Down Down Right
check "the fork's L changes alone" 'for _ in $(seq 1 50); do grep -q ",bpgrad-L50-fork[0-9]*,set,lipschitz 50 -> 62.5" "$RUN2/events.csv" && break; sleep 0.1; done
    grep -q ",bpgrad-L50-fork[0-9]*,set,lipschitz 50 -> 62.5" "$RUN2/events.csv" && ! grep -q ",bpgrad-L50,set," "$RUN2/events.csv"'
check "events.csv records the fork with its parent and step" 'grep -Eq ",bpgrad-L50-fork[0-9]+,fork,from bpgrad-L50 at step [0-9]+" "$RUN2/events.csv"'
check "three CSVs, the fork's starting after the fork step" 'f=$(ls "$RUN2"/bpgrad-L50-fork*.csv); [ -s "$RUN2/bpgrad.csv" ] && [ -s "$RUN2/bpgrad-L50.csv" ] && [ -n "$f" ] &&
    [ "$(sed -n 2p "$f" | cut -d, -f1)" -gt 1 ]'
check "the legend names the fork" 'screen | grep "╭ loss" | grep -q "fork@" || screen | grep -q "■3"'
pid=$(app_pid)
check "the dashboard is running before SIGTERM" '[ -n "$pid" ]'
[ -n "$pid" ] && kill -TERM "$pid"
check "SIGTERM exits with status 0" 'wait_for "EXIT=0"'
tmux send-keys -t "$SESSION" "stty -a | grep -o -- ' echo ' ; echo shell-is-usable" Enter
check "the shell is usable after SIGTERM" 'wait_for "^shell-is-usable" && screen | grep -q "^ echo\$"'

# --- watch: the PyTorch example under two gloo processes, followed and steered from the terminal.
RUN3="$WORK/ddp"
PYTHONPATH=python "$PY" -m torch.distributed.run --standalone --nproc_per_node=2 --redirects 1 --tee 1 \
    python/examples/train_fashion_mnist.py --steps 400 --limit 8000 --test-limit 1000 --run-dir "$RUN3" --quiet > "$WORK/ddp.log" 2>&1 &
TORCHRUN=$!
start "'$BIN' watch '$RUN3'"
check "watch waits for the directory, then draws the PyTorch run" 'wait_for "■ BPGrad" 600'
check "the charts grow as rows arrive" 'a=$(steps "$RUN3/bpgrad.csv"); sleep 2; b=$(steps "$RUN3/bpgrad.csv"); [ "$b" -gt "$a" ]'
tmux send-keys -t "$SESSION" Right
check "right on L becomes a set event the writer confirms" 'for _ in $(seq 1 100); do grep -q ",bpgrad,set,lipschitz 10 -> 12.5 (command " "$RUN3/events.csv" && break; sleep 0.1; done
    grep -q ",bpgrad,set,lipschitz 10 -> 12.5 (command " "$RUN3/events.csv"'
check "and the rows after it carry the new L" 'sleep 1; $PY - "$RUN3" <<EOF
import csv, sys
d = sys.argv[1]
at = [int(r["step"]) for r in csv.DictReader(open(d + "/events.csv")) if r["event"] == "set"][0]
rows = list(csv.DictReader(open(d + "/bpgrad.csv")))
after = [float(r["lipschitz"]) for r in rows if int(r["step"]) > at]
before = [float(r["lipschitz"]) for r in rows if int(r["step"]) <= at]
sys.exit(0 if after and set(after) == {12.5} and set(before) == {10.0} else 1)
EOF'
check "the panel shows the confirmed value" 'wait_for "lipschitz *12.5"'
tmux send-keys -t "$SESSION" q
check "watch: q exits with status 0" 'wait_for "EXIT=0"'
kill "$TORCHRUN" 2>/dev/null; wait "$TORCHRUN" 2>/dev/null; TORCHRUN=""

# --- The value editor: typing replaces the value in force (50 on L = 10 is 50, not 1050).
RUN_EDIT="$WORK/run-edit"
start "'$BIN' --run-dir '$RUN_EDIT' --solvers bpgrad"
check "the editor opens on L, selected" 'wait_for "■ BPGrad" 400 && tmux send-keys -t "$SESSION" Enter && wait_for "typing replaces"'
tmux send-keys -t "$SESSION" 5 0 Enter
check "typing 50 and Enter sets L to 50" '(for _ in $(seq 1 50); do grep -qE ",bpgrad,set,lipschitz [0-9.e+-]+ -> 50$" "$RUN_EDIT/events.csv" && exit 0; sleep 0.1; done; exit 1)'
tmux send-keys -t "$SESSION" q
check "editor session: q exits with status 0" 'wait_for "EXIT=0"'

# --- A copied binary carries the built-in presets: one file, anywhere.
mkdir -p "$WORK/elsewhere" && cp "$BIN" "$WORK/elsewhere/bpgrad-tui"
check "a copied binary lists the built-in presets from an empty folder" '(cd "$WORK/elsewhere" && env -u BPGRAD_TUI_PRESETS XDG_CONFIG_HOME="$WORK/elsewhere/config" ./bpgrad-tui presets) | grep -q "found: built-in preset .spirals."'
check "a copied binary trains the default preset" '(cd "$WORK/elsewhere" && env -u BPGRAD_TUI_PRESETS XDG_CONFIG_HOME="$WORK/elsewhere/config" ./bpgrad-tui train --steps 3 >/dev/null 2>&1)'
mkdir -p "$WORK/mine" && sed "s/^description: .*/description: my own spirals/" presets/spirals.yaml > "$WORK/mine/spirals.yaml"
check "--presets-dir comes before the built-in presets" '(cd "$WORK/elsewhere" && ./bpgrad-tui presets --presets-dir "$WORK/mine") | grep -q "^spirals *my own spirals"'

# --- A full disk under the dashboard: an alert on screen, and exit 1 after q (it exited 0).
mkdir -p "$WORK/small"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k tmpfs "$WORK/small" 2>/dev/null; then
    start "'$BIN' --run-dir '$WORK/small/run' --solvers 'bpgrad, adam'"
    check "a full disk is an alert on the dashboard" 'wait_for "No space left" 600'
    tmux send-keys -t "$SESSION" q
    check "and q then exits with status 1, naming the file" 'wait_for "EXIT=1" && screen | grep -q "error: "'
    tmux kill-session -t "$SESSION" 2>/dev/null; umount "$WORK/small"
else
    echo "note: not root or no tmpfs; the dashboard's full-disk check is skipped"
fi

# --- Signals whose default action ends the process: the terminal comes back (it stayed raw).
for sig in USR1 USR2 ALRM; do
    start "'$BIN' --solvers adam --no-log"
    wait_for "■ Adam" 400
    kill -$sig "$(app_pid)"
    check "SIG$sig ends the dashboard with the terminal restored" 'wait_for "EXIT=1[0-9][0-9]" && tmux send-keys -t "$SESSION" "stty -a | grep -o -- \" echo \" ; echo shell-is-usable" Enter && wait_for "^shell-is-usable" && screen | grep -q "^ echo\$"'
done

# --- compare stopped by SIGTERM: the table, then 128 + 15 as train does.
"$BIN" compare --steps 1000000 --no-log >"$WORK/compare.out" 2>/dev/null & COMPARE=$!
sleep 3; kill -TERM "$COMPARE"; wait "$COMPARE"; COMPARE_RC=$?
check "compare stopped by SIGTERM prints its table and exits 143" '[ "$COMPARE_RC" = 143 ] && grep -q "stopped" "$WORK/compare.out"'

# --- The landscape view: heatmap, minima, and a clean exit.
start "'$BIN' landscape --function himmelblau"
check "landscape draws the heatmap, the minima and the solvers" 'wait_for "bpgrad-tui landscape" && screen | grep -q "✕" && screen | grep -q "BPGrad-BP"'
tmux send-keys -t "$SESSION" q
check "landscape: q exits with status 0" 'wait_for "EXIT=0"'

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
