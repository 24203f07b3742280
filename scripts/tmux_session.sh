# Sourced by e2e.sh and hostile_e2e.sh: starts the tmux session "$SESSION" (120x40) running
# the shell command $1.
#
# Killing the last session ends the tmux server, and a new-session that reaches the exiting
# server fails ("server exited unexpectedly"), which once made a CI run's checks all fail:
# so try again until the session exists.
new_session() {
    for _ in $(seq 1 50); do
        if tmux new-session -d -s "$SESSION" -x 120 -y 40 "$1" 2>/dev/null && tmux has-session -t "$SESSION" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "could not start the tmux session $SESSION" >&2
    return 1
}
