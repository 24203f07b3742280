#!/usr/bin/python3
"""Fuzz bpgrad-tui's inputs: hostile presets, IDX and CSV files, --set values and options, and
run directories for plot, view and watch (scripts/fuzz_run_dirs.py).

Runs the release binary on generated cases, two at a time, and fails on
  - a trap or signal (exit code >= 128, death by a signal, or "Fatal error" on stderr),
  - a hang past the time limit,
  - exit 0 on an input known to be invalid,
  - a non-zero exit without a message on stderr.
Prints a count per outcome class and closes with "fuzz: N passed, M failed"; exits 1 on any
failure, and keeps each failing case's files and command under --keep (default: a folder in
/tmp, printed).

    /usr/bin/python3 scripts/fuzz.py --seed 1 --cases 3000      # what CI runs (about 2 minutes)
    /usr/bin/python3 scripts/fuzz.py --long                      # 30,000 cases, a random seed

Cases are cheap: two training steps on small data, and a memory budget of 256 MiB
(--set training.memory_budget_mb=256) so that a size that is too large is refused before
anything is allocated; the "huge-size" cases use the default 4 GiB budget with sizes no
budget admits. Each process also runs under an address-space limit (--memory-limit-gb), so
a size that slips past the checks shows up as a crash here rather than eating the machine.
Inputs come from scripts/fuzz_inputs.py. `view` and `watch` run in a pseudo-terminal under
script(1) with "q" waiting on their input; what they print goes to the terminal, so for them
stdout counts as stderr. Python 3 standard library only.
"""

import argparse
import collections
import concurrent.futures
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz_inputs  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FAILURES = {"signal", "fatal-error", "hang", "accepted-invalid", "silent-error", "other-exit"}


def classify(case, returncode, stderr, timed_out):
    if timed_out:
        return "hang"
    if returncode < 0 or returncode >= 128:
        return "signal"
    if "Fatal error" in stderr:
        return "fatal-error"
    if returncode == 0:
        return "accepted-invalid" if case.invalid is True else "exit-0"
    if returncode == 3:
        return "diverged (exit 3)"
    if not stderr.strip():
        return "silent-error"
    if returncode == 64:
        return "usage-error (exit 64)"
    if returncode == 1:
        return "clean-error (exit 1)"
    return "other-exit"


def limits(memory_bytes):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.setsid()  # its own process group, so a hang can be killed with everything it started
    return apply


def run_case(binary, case, folder, timeout, memory_bytes):
    env = dict(os.environ)
    env.update({
        # One oneDNN thread: cases run side by side without thread pools to start.
        "OMP_NUM_THREADS": "1",
        # Crashes are what we look for; Swift's backtracer would spend seconds on each.
        "SWIFT_BACKTRACE": "enable=no",
        "HOME": folder,
        "XDG_CONFIG_HOME": folder,
        "BPGRAD_TUI_PRESETS": "",
        "NO_COLOR": "1",
    })
    env.update(case.env)
    start = time.monotonic()
    command, given = [binary] + case.args, None
    if case.terminal:
        env.update({"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"})
        # -e: script exits with the program's status (128 + N for signal N).
        command = ["script", "-qec", " ".join(shell_quote(a) for a in command), "/dev/null"]
        given = b"q"
    proc = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.PIPE if given else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limits(memory_bytes))
    timed_out = False
    try:
        out, err = proc.communicate(input=given, timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
    out, err = out.decode(errors="replace"), err.decode(errors="replace")
    if case.terminal:
        err = out + err  # the terminal carries the program's stderr
    return proc.returncode, out, err, timed_out, time.monotonic() - start


def shell_quote(a):
    return "'" + a.replace("'", "'\\''") + "'" if any(c in a for c in " \t\n'\"$`\\*?[]{}()<>|&;#~") or a == "" else a


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=None, help="random seed (default 1, or a random one with --long)")
    ap.add_argument("--cases", type=int, default=None, help="number of cases (default 3000; 30000 with --long)")
    ap.add_argument("--long", action="store_true", help="run 30,000 cases with a random seed unless given")
    ap.add_argument("--jobs", type=int, default=2, help="cases run in parallel (default 2)")
    ap.add_argument("--timeout", type=float, default=15, help="seconds before a case counts as a hang (default 15)")
    ap.add_argument("--memory-limit-gb", type=float, default=6, help="address-space limit per process (default 6)")
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "bpgrad-tui"),
                    help="the release binary (default .build/release/bpgrad-tui; e.g. .build-x/release/bpgrad-tui)")
    ap.add_argument("--keep", default=None, help="folder for failing cases (default: a new one in /tmp)")
    ap.add_argument("--family", default=None, help="only cases of this family (e.g. idx-file)")
    ap.add_argument("--verbose", action="store_true", help="print every case's outcome")
    ap.add_argument("--show-messages", type=int, default=0, metavar="N",
                    help="print up to N distinct error messages per family, to review their wording")
    opts = ap.parse_args()

    opts.binary = os.path.abspath(opts.binary)
    seed = opts.seed if opts.seed is not None else (random.randrange(1 << 30) if opts.long else 1)
    cases = opts.cases if opts.cases is not None else (30000 if opts.long else 3000)
    if not os.access(opts.binary, os.X_OK):
        sys.exit(f"fuzz: no binary at {opts.binary}; run 'swift build -c release' first")
    # The solver kinds from the binary's own registry, so a new solver is fuzzed as well.
    listing = subprocess.run([opts.binary, "solvers"], capture_output=True, text=True, timeout=60)
    kinds = [line.split()[0] for line in listing.stdout.splitlines() if line and not line[0].isspace()]
    if listing.returncode != 0 or not kinds:
        sys.exit(f"fuzz: '{opts.binary} solvers' listed no solvers (exit {listing.returncode})")
    fuzz_inputs.SOLVERS[:] = kinds
    shipped = []
    for name in sorted(os.listdir(os.path.join(ROOT, "presets"))):
        if name.endswith(".yaml"):
            with open(os.path.join(ROOT, "presets", name), encoding="utf-8") as f:
                shipped.append((name[:-5], f.read()))

    work = tempfile.mkdtemp(prefix="bpgrad-fuzz-")
    keep = opts.keep or tempfile.mkdtemp(prefix="bpgrad-fuzz-failures-")
    print(f"fuzz: seed {seed}, {cases} cases, {opts.jobs} at a time, binary {opts.binary}", flush=True)
    rng = random.Random(seed)
    counts = collections.Counter()
    by_family = collections.defaultdict(collections.Counter)
    failures = []
    messages = collections.defaultdict(dict)
    started = time.monotonic()

    def generate(i):
        folder = os.path.join(work, f"case-{i}")
        os.makedirs(folder)
        while True:
            case = fuzz_inputs.make_case(rng, folder, shipped)
            if opts.family is None or case.family == opts.family:
                return case, folder
            shutil.rmtree(folder)
            os.makedirs(folder)

    def finish(i, case, folder, result):
        code, out, err, timed_out, seconds = result
        outcome = classify(case, code, err, timed_out)
        counts[outcome] += 1
        by_family[case.family][outcome] += 1
        failed = outcome in FAILURES
        last = err.strip().splitlines()[-1] if err.strip() else ""
        if code and last and len(messages[case.family]) < opts.show_messages:
            messages[case.family].setdefault(last[:70], last)
        if opts.verbose or failed:
            print(f"{'FAIL' if failed else 'ok  '} #{i} {case.family} {outcome} exit={code} {seconds:.1f}s", flush=True)
        if failed:
            target = os.path.join(keep, f"case-{i}")
            shutil.copytree(folder, target, symlinks=True, ignore_dangling_symlinks=True,
                            copy_function=lambda s, d: shutil.copy2(s, d) if os.path.isfile(s) else None)
            env = " ".join(f"{k}={shell_quote(v)}" for k, v in case.env.items())
            command = (env + " " if env else "") + " ".join(shell_quote(a) for a in [opts.binary] + case.args)
            with open(os.path.join(target, "command.txt"), "w") as f:
                f.write(f"# from {folder}\n{command}\n# exit {code}\n# stderr:\n{err}\n")
            failures.append((i, case, outcome, code, err, command))
            print(f"     {command}\n     {err.strip().splitlines()[-1] if err.strip() else '(no stderr)'}", flush=True)
        shutil.rmtree(folder, ignore_errors=True)

    memory = int(opts.memory_limit_gb * (1 << 30))
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
            pending = {}
            i = 0
            while i < cases or pending:
                while i < cases and len(pending) < 2 * opts.jobs:
                    case, folder = generate(i)
                    future = pool.submit(run_case, opts.binary, case, folder, opts.timeout, memory)
                    pending[future] = (i, case, folder)
                    i += 1
                done, _ = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    n, case, folder = pending.pop(future)
                    finish(n, case, folder, future.result())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - started
    print(f"\noutcomes ({elapsed:.0f} s):")
    for outcome, n in sorted(counts.items(), key=lambda kv: (kv[0] in FAILURES, -kv[1])):
        print(f"  {n:7d}  {outcome}{'   <- failure' if outcome in FAILURES else ''}")
    print("by family:")
    for family in sorted(by_family):
        parts = ", ".join(f"{o} {n}" for o, n in sorted(by_family[family].items(), key=lambda kv: -kv[1]))
        print(f"  {family:22s} {parts}")
    if opts.show_messages:
        print("messages:")
        for family in sorted(messages):
            for text in messages[family].values():
                print(f"  {family:22s} {text}")
    failed = sum(n for o, n in counts.items() if o in FAILURES)
    if failed:
        print(f"failing cases kept in {keep} (command.txt in each)")
    else:
        shutil.rmtree(keep, ignore_errors=True)
    print(f"fuzz: {cases - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
