"""Hostile inputs for scripts/fuzz.py: presets, IDX and CSV files, and command lines.

Every generator takes a random.Random and a folder for the case's files and returns a Case:
the arguments after the binary, extra environment, and what is known about the input
(``invalid=True``: the binary must refuse it, with a non-zero exit). Python 3 standard
library only.
"""

import gzip
import os
import random
import struct
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------
# Cases


@dataclass
class Case:
    family: str
    args: list
    env: dict = field(default_factory=dict)
    invalid: object = False  # True: must be refused; False or None (either way): any clean outcome
    note: str = ""
    # Run in a pseudo-terminal (script(1)) with "q" typed: view and watch need a terminal.
    terminal: bool = False


# Values a hostile --set may give any field: extremes, wrong types, YAML oddities.
EXTREME_INTS = [
    "0", "-1", "1", "2", "3", "-9223372036854775808", "9223372036854775807", "9223372036854775808",
    "4611686018427387904", "2305843009213693952", "2147483647", "2147483648", "4294967295", "4294967296",
    "100000000000", "1000000000", "99999999999999999999999", "1e9", "1e300", "0x10", "0o17", "+5", "007",
]
EXTREME_FLOATS = [
    "nan", "NaN", ".nan", "inf", "-inf", ".inf", "-.inf", "1e308", "1e309", "-1e308", "5e-324", "1e-400",
    "0.0", "-0.0", "1", "0.5", "0.999999999", "1.0000001", "-0.5", "2", "1e-30",
]
WEIRD_VALUES = [
    "", "~", "null", "true", "false", "yes", "[]", "{}", "[1, 2]", "{a: 1}", "'quoted'", "\"\\u0000\"",
    "*alias", "&a x", "!!binary aGVsbG8=", "!!float 1", "!custom 3", "- x", "a: b", "? x", "|\n  text",
    "x" * 5000, "é", "\u202e", "dense", "relu", "%", "@", "`", "#", "1,2", "1;2",
]


def swift_int(text):
    """What Swift's Int(text) gives: None unless optional sign and decimal digits within 64 bits."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    n = int(text)
    return n if -2**63 <= n < 2**63 else None


def any_value(rng):
    pool = rng.choice([EXTREME_INTS, EXTREME_FLOATS, WEIRD_VALUES])
    return rng.choice(pool)


SET_KEYS = [
    "training.batch_size", "training.steps", "training.epochs", "training.seed", "training.eval_every",
    "training.memory_budget_mb", "dataset.n", "dataset.noise", "dataset.classes", "dataset.test_fraction",
    "dataset.limit", "dataset.kind", "dataset.label", "dataset.header", "dataset.task", "dataset.path",
    "network.0.dense", "network.1", "network.2.dense", "network.0", "network.9.dense", "network.-1.dense",
    "loss", "name", "description", "bpgrad.lipschitz", "bpgrad.momentum", "bpgrad.rho", "bpgrad.weight_decay",
    "bpgrad.eta_placement", "bpgrad.loss_source", "adam.lr", "adam.beta1", "adam.beta2", "adam.eps",
    "sgd.lr", "sgd.momentum", "sgd.nesterov", "sgd.dampening", "adagrad.lr_decay", "adagrad.initial_accumulator_value",
    "adadelta.rho", "rmsprop.alpha", "rmsprop.centered", "rmsprop.momentum", "nosuch.key", "solvers.nosuch.lr",
    "training", "dataset", ".", "a..b", "=", "training.batch_size.x",
]

# Sizes that the binary must refuse before it allocates anything (beyond any budget, or
# beyond 32-bit sizes), with the --set that carries them.
HUGE = ["4611686018427387904", "9223372036854775807", "2147483648", "2305843009213693952", "100000000000", "1000000000000"]

# Replaced by fuzz.py with what `bpgrad-tui solvers` lists (the registry); this is the list
# for using the generators alone.
SOLVERS = ["bpgrad", "adam", "sgd", "adagrad", "adadelta", "rmsprop"]

# A memory budget small enough that no fuzz case allocates much before it is refused.
BUDGET = ["--set", "training.memory_budget_mb=256"]


# ---------------------------------------------------------------------------------------------
# YAML text (the standard library has no YAML writer; presets are simple enough to print)


def yaml_scalar(v):
    if v is None:
        return "~"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def to_yaml(v, indent=0):
    pad = "  " * indent
    if isinstance(v, dict):
        if not v:
            return "{}"
        lines = []
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                lines.append(f"{pad}{k}:\n{to_yaml(x, indent + 1)}")
            else:
                lines.append(f"{pad}{k}: {to_yaml(x, indent + 1) if isinstance(x, (dict, list)) else yaml_scalar(x)}")
        return "\n".join(lines)
    if isinstance(v, list):
        if not v:
            return "[]"
        lines = []
        for x in v:
            if isinstance(x, dict) and x:
                body = to_yaml(x, indent + 1).lstrip()
                lines.append(f"{pad}- {body}")
            elif isinstance(x, list):
                lines.append(f"{pad}- {flow(x)}")
            else:
                lines.append(f"{pad}- {yaml_scalar(x)}")
        return "\n".join(lines)
    return pad + yaml_scalar(v)


def flow(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return yaml_scalar(v)


def base_preset(rng):
    """A small valid preset on synthetic data, cheap to train for two steps."""
    kind = rng.choice(["spirals", "moons", "circles", "xor", "blobs", "sine"])
    classes = 3 if kind in ("spirals", "blobs") else 2
    out = 1 if kind == "sine" else classes
    hidden = rng.choice([4, 8, 16])
    act = rng.choice(["tanh", "relu", "sigmoid", {"leaky_relu": 0.1}, {"dropout": 0.2}])
    return {
        "name": "fuzz",
        "description": "generated",
        "dataset": {"kind": kind, "n": rng.choice([20, 50, 120]), "noise": 0.1, "classes": classes, "test_fraction": 0.2},
        "network": [{"dense": hidden}, act, {"dense": out}],
        "loss": "mse" if kind == "sine" else "cross_entropy",
        "training": {"batch_size": rng.choice([1, 4, 16]), "steps": 2, "seed": rng.randrange(100), "eval_every": 1},
        "solvers": {s: {} for s in rng.sample(SOLVERS, 2)},
    }


# ---------------------------------------------------------------------------------------------
# IDX files


def idx_bytes(dims, values=b"", magic=(0, 0, 8)):
    head = bytes(magic) + bytes([len(dims) & 255])
    return head + b"".join(struct.pack(">I", d & 0xFFFFFFFF) for d in dims) + values


def write(path, data, gz=False):
    with open(path, "wb") as f:
        f.write(gzip.compress(data, compresslevel=1) if gz else data)


def idx_pair(rng, folder, prefix, count, h, w, classes=10):
    img = os.path.join(folder, prefix + "-images")
    lab = os.path.join(folder, prefix + "-labels")
    write(img, idx_bytes([count, h, w], bytes(rng.randrange(256) for _ in range(count * h * w))))
    write(lab, idx_bytes([count], bytes(rng.randrange(classes) for _ in range(count))))
    return img, lab


def small_fashion_dir(rng, folder):
    """A Fashion-MNIST-shaped directory of a few images, so fashion presets stay cheap."""
    d = os.path.join(folder, "fmnist")
    os.makedirs(d, exist_ok=True)
    for prefix, n in (("train", 40), ("t10k", 10)):
        pixels = bytes(rng.randrange(256) for _ in range(n * 28 * 28))
        write(os.path.join(d, f"{prefix}-images-idx3-ubyte.gz"), idx_bytes([n, 28, 28], pixels), gz=True)
        write(os.path.join(d, f"{prefix}-labels-idx1-ubyte.gz"), idx_bytes([n], bytes(rng.randrange(10) for _ in range(n))), gz=True)
    return d


def hostile_idx(rng, folder):
    """One hostile image file (and labels that match where it matters): (images, labels, invalid)."""
    img = os.path.join(folder, "img")
    lab = os.path.join(folder, "lab")
    n = rng.choice([2, 5, 12])
    write(lab, idx_bytes([n], bytes(rng.randrange(10) for _ in range(n))))
    choice = rng.randrange(22)
    gz = rng.random() < 0.3
    if choice == 0:  # valid
        write(img, idx_bytes([n, 3, 3], bytes(9 * n)), gz)
        return img, lab, False
    if choice == 1:  # truncated body
        write(img, idx_bytes([n, 3, 3], bytes(9 * n - 1 - rng.randrange(9 * n - 1))), gz)
    elif choice == 2:  # truncated header
        write(img, idx_bytes([n, 3, 3])[: rng.randrange(1, 16)], gz)
    elif choice == 3:  # wrong magic
        write(img, idx_bytes([n, 3, 3], bytes(9 * n), magic=(rng.randrange(1, 256), 0, 8)), gz)
    elif choice == 4:  # wrong value type
        write(img, idx_bytes([n, 3, 3], bytes(9 * n), magic=(0, 0, rng.choice([0x09, 0x0B, 0x0D, 0x0E, 0xFF]))), gz)
    elif choice == 5:  # rank 0 or 5+
        dims = [n] * rng.choice([0, 5, 6, 255])
        write(img, idx_bytes(dims), gz)
    elif choice == 6:  # zero count
        write(img, idx_bytes([0, 3, 3]), gz)
        write(lab, idx_bytes([0]))
    elif choice == 7:  # zero height or width
        write(img, idx_bytes([n, 0, 3] if rng.random() < 0.5 else [n, 3, 0]), gz)
    elif choice == 8:  # dimension product that wraps
        write(img, idx_bytes(rng.choice([[4, 1 << 31, 1 << 31], [0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF], [1 << 16, 1 << 16, 1 << 16]])), gz)
    elif choice == 9:  # huge but not wrapping
        write(img, idx_bytes([rng.choice([1 << 20, 60000, 0xFFFFFFFF]), 28, 28], bytes(100)), gz)
    elif choice == 10:  # too long
        write(img, idx_bytes([n, 3, 3], bytes(9 * n + 1 + rng.randrange(1000))), gz)
    elif choice == 11:  # gzip that inflates past its header
        write(img, idx_bytes([n, 3, 3], bytes(9 * n + 5_000_000)), True)
    elif choice == 12:  # corrupt gzip
        data = bytearray(gzip.compress(idx_bytes([n, 3, 3], bytes(range(256)) * 10)))
        for _ in range(5):
            data[rng.randrange(10, len(data))] = rng.randrange(256)
        write(img, bytes(data))
    elif choice == 13:  # cut gzip
        data = gzip.compress(idx_bytes([n, 3, 3], bytes(9 * n)))
        write(img, data[: rng.randrange(len(data) - 1)])
    elif choice == 14:  # labels that do not match the count
        write(img, idx_bytes([n, 3, 3], bytes(9 * n)), gz)
        write(lab, idx_bytes([n + 1], bytes(n + 1)))
    elif choice == 15:  # labels out of range
        write(img, idx_bytes([n, 3, 3], bytes(9 * n)), gz)
        write(lab, idx_bytes([n], bytes([rng.choice([10, 200, 255])] * n)))
    elif choice == 16:  # a FIFO
        os.remove(img) if os.path.exists(img) else None
        os.mkfifo(img)
    elif choice == 17:  # a directory
        os.makedirs(img, exist_ok=True)
    elif choice == 18:  # a device
        img = rng.choice(["/dev/zero", "/dev/null", "/dev/urandom"])
    elif choice == 19:  # missing
        img = os.path.join(folder, "missing")
    elif choice == 20:  # labels are images (rank 3)
        write(img, idx_bytes([n, 3, 3], bytes(9 * n)), gz)
        write(lab, idx_bytes([n, 1, 1], bytes(n)))
    else:  # random bytes
        write(img, bytes(rng.randrange(256) for _ in range(rng.randrange(40))), gz)
    return img, lab, True


# ---------------------------------------------------------------------------------------------
# CSV files


def hostile_csv(rng, folder):
    """(path, options for the preset, invalid (None: either way), classes the data has)."""
    path = os.path.join(folder, "data.csv")
    rows = [[f"{rng.uniform(-3, 3):.3f}", f"{rng.uniform(-3, 3):.3f}", str(rng.randrange(2))] for _ in range(12)]
    rows[0][2], rows[1][2] = "0", "1"
    header = ["x", "y", "label"]
    choice = rng.randrange(18)
    invalid = True
    opts = {}
    classes = 2
    if choice == 0:
        invalid = False
    elif choice == 1:
        rows[rng.randrange(len(rows))].pop()  # ragged
    elif choice == 2:
        rows[rng.randrange(len(rows))][rng.randrange(2)] = rng.choice(["nan", "inf", "-inf", "abc", "", "1e39", "0x"])
    elif choice == 3:
        rows[rng.randrange(len(rows))][2] = rng.choice(["300", "256", "1e19", "-1", "1.5", "9223372036854775808", "1e38"])
    elif choice == 4:
        rows, header = [], header  # header only
    elif choice == 5:
        rows, header = [], None  # empty file
    elif choice == 6:
        rows = [[r[0]] for r in rows]  # one column
        header = ["x"]
    elif choice == 7:
        opts["label"] = rng.choice(["7", "-1", "99999999999999999999", "nosuch"])
    elif choice == 8:
        rows = rows[:1]  # a single row
    elif choice == 9:
        with open(path, "wb") as f:
            f.write(bytes(rng.randrange(256) for _ in range(200)))
        return path, opts, True, classes
    elif choice == 10:  # CRLF, spaces, blank lines: valid
        invalid = False
        text = "\r\n".join(" , ".join(r) for r in [header] + rows) + "\r\n\r\n"
        with open(path, "w") as f:
            f.write(text)
        return path, opts, False, classes
    elif choice == 11:  # regression: valid
        invalid = False
        opts["task"] = "regression"
    elif choice == 12:  # many classes but valid (labels up to 255)
        invalid = False
        rows[2][2] = "255"
        classes = 256
    elif choice == 13:
        path = rng.choice(["/dev/zero", folder, os.path.join(folder, "missing.csv")])
        return path, opts, True, classes
    elif choice == 14:
        os.mkfifo(path)
        return path, opts, True, classes
    elif choice == 15:  # a huge row
        rows[3] = [str(rng.random()) for _ in range(5000)]
    elif choice == 16:  # header: true on numeric data (first row becomes names): valid
        invalid = False
        opts["header"] = "true"
    else:  # a mid-row quote or unicode (a no-break space is trimmed like a space)
        cell = rng.choice(['"1"', "１", "1\u00a0", "½"])
        rows[4][1] = cell
        invalid = cell != "1\u00a0"
    with open(path, "w", encoding="utf-8") as f:
        if header is not None:
            f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(r) + "\n")
    return path, opts, invalid, classes


# ---------------------------------------------------------------------------------------------
# YAML bombs and oddities


def alias_bomb(rng):
    width = rng.choice([5, 9, 10])
    depth = rng.choice([6, 9, 12])
    lines = [f'a0: &a0 [{", ".join(["x"] * width)}]']
    for i in range(1, depth):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    if rng.random() < 0.3:
        lines.append(f"z:\n  ? *a{depth - 1}\n  : 1")
    if rng.random() < 0.5:
        lines = ["dataset: {kind: moons}", "network: [dense: 2]"] + lines
    return "\n".join(lines) + "\n"


def odd_yaml(rng):
    """Text that is not a valid preset: (text, invalid)."""
    choice = rng.randrange(12)
    if choice == 0:
        return alias_bomb(rng), True
    if choice == 1:
        d = rng.choice([70, 500, 2000, 20000])
        return "a: " + "[" * d + "]" * d + "\n", True
    if choice == 2:
        d = rng.choice([70, 500])
        return "".join("  " * i + f"k{i}:\n" for i in range(d)) + "  " * d + "x\n", True
    if choice == 3:
        return "dataset: {kind: moons}\nnetwork: [dense: 2]\n? [a, b]\n: 1\n", True
    if choice == 4:
        return "\t\x00\x01 not yaml {{{\n", True
    if choice == 5:
        return "", True
    if choice == 6:
        return "just a string\n", True
    if choice == 7:
        return "- a\n- b\n", True
    if choice == 8:
        return "dataset: &d {kind: moons}\nnetwork: [dense: 2]\nx: *nosuch\n", True
    if choice == 9:
        return "dataset: {kind: moons}\ndataset: {kind: xor}\nnetwork: [dense: 2]\n", True
    if choice == 10:
        return "a: 'unterminated\n", True
    return "x: " + "y" * rng.choice([10, 2_000_000]) + "\n", True


def mutate_text(rng, text):
    """Line-level and character-level damage to a valid preset's text."""
    lines = text.split("\n")
    for _ in range(rng.randrange(1, 4)):
        if not lines:
            break
        op = rng.randrange(8)
        i = rng.randrange(len(lines))
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2 and ":" in lines[i]:
            k = lines[i].split(":", 1)[0]
            lines[i] = f"{k}: {any_value(rng)}"
        elif op == 3:
            lines[i] = " " * rng.randrange(1, 5) + lines[i]
        elif op == 4:
            j = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:j] + rng.choice(["[", "]", "{", "}", ":", "-", "&a ", "*a", "#", "'", '"', "\t", "?", "!"]) + lines[i][j:]
        elif op == 5:
            lines = lines[:i]
        elif op == 6:
            lines[i] = lines[i].upper()
        else:
            lines[i], lines[-1] = lines[-1], lines[i]
    return "\n".join(lines) + "\n"


def write_text(folder, name, text):
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8", errors="surrogatepass") as f:
        f.write(text)
    return path


# ---------------------------------------------------------------------------------------------
# Case families


def shipped_mutation(rng, folder, shipped):
    """A shipped preset, its text damaged or its fields overridden."""
    name, text = rng.choice(shipped)
    args = ["train", "--steps", "2"]
    extra = []
    if name.startswith("fashion"):
        extra += ["--set", f"dataset.directory={small_fashion_dir(rng, folder)}"]
    if rng.random() < 0.5:
        path = write_text(folder, "mutated.yaml", mutate_text(rng, text))
        return Case("preset-mutation", args + ["--preset", path] + extra + BUDGET)
    path = write_text(folder, "preset.yaml", text)
    sets = []
    for _ in range(rng.randrange(1, 4)):
        sets += ["--set", f"{rng.choice(SET_KEYS)}={any_value(rng)}"]
    return Case("set-mutation", args + ["--preset", path] + extra + sets + BUDGET)


def huge_size(rng, folder, shipped):
    """A size the binary must refuse before allocating (no small budget: the default 4 GiB)."""
    p = base_preset(rng)
    preset = write_text(folder, "p.yaml", to_yaml(p))
    key = rng.choice(["network.0.dense", "training.batch_size", "dataset.n", "network.2.dense"])
    value = rng.choice(HUGE)
    command = rng.choice(["train", "train", "compare", "bench"])
    args = [command, "--preset", preset, "--set", f"{key}={value}"]
    if command == "bench":
        args += ["--steps", "1", "--solver", "adam"]
    elif command == "compare":
        args += ["--steps", "2", "--no-log"]
    else:
        args += ["--steps", "2"]
    return Case("huge-size", args, invalid=True, note=f"{key}={value}")


def conv_case(rng, folder, shipped):
    """Convolutions over small images, with sizes from sane to 2^61."""
    img, lab = idx_pair(rng, folder, "train", 12, 6, 6)
    conv = {"filters": rng.choice([1, 2, 3]), "kernel": rng.choice([1, 3, 5]), "stride": rng.choice([1, 2]), "padding": rng.choice([0, 1, 2])}
    if rng.random() < 0.6:
        conv[rng.choice(list(conv))] = rng.choice([0, -1, 7, 1000, 2147483648, 2305843009213693952, 4611686018427387904])
    f, k, st, pad = conv["filters"], conv["kernel"], conv["stride"], conv["padding"]
    # Clearly refused: non-positive sizes, 32-bit overflows, a kernel that does not fit.
    invalid = f <= 0 or k <= 0 or st <= 0 or pad < 0 or f >= 2**31 or k >= 2**31 or pad >= 2**31 or k > 6 + 2 * max(pad, 0)
    net = [{"conv2d": conv}, "relu"]
    if rng.random() < 0.5:
        size = rng.choice([1, 2, 3, 100, 4611686018427387904])
        net.append({"maxpool2d": size})
        if size > 6:
            invalid = True
    net += ["flatten", {"dense": 10}]
    p = {"dataset": {"kind": "idx", "train_images": img, "train_labels": lab}, "network": net,
         "training": {"batch_size": 4, "steps": 2, "eval_every": 1}}
    preset = write_text(folder, "conv.yaml", to_yaml(p))
    # Otherwise (padding 1000 and such) it may train or be over the budget: either is fine.
    return Case("conv-sizes", ["train", "--preset", preset] + BUDGET, invalid=invalid)


def idx_case(rng, folder, shipped):
    img, lab, invalid = hostile_idx(rng, folder)
    ds = {"kind": "idx", "train_images": img, "train_labels": lab}
    if rng.random() < 0.4:
        # A test split of its own: empty or of another shape is refused.
        h = rng.choice([3, 3, 4])
        count = 0 if rng.random() < 0.3 else 3
        timg, tlab = idx_pair(rng, folder, "test", count, h, 3)
        ds.update({"test_images": timg, "test_labels": tlab})
        invalid = invalid or h != 3 or count == 0
    p = {"dataset": ds, "network": ["flatten", {"dense": 10}], "training": {"batch_size": 4, "steps": 2, "eval_every": 1}}
    preset = write_text(folder, "idx.yaml", to_yaml(p))
    return Case("idx-file", ["train", "--preset", preset] + BUDGET, invalid=invalid)


def csv_case(rng, folder, shipped):
    path, opts, invalid, classes = hostile_csv(rng, folder)
    ds = {"kind": "csv", "path": path}
    ds.update(opts)
    regression = opts.get("task") == "regression"
    net = [{"dense": 4}, "tanh", {"dense": 1 if regression else classes}]
    p = {"dataset": ds, "network": net, "loss": "mse" if regression else "cross_entropy",
         "training": {"batch_size": 4, "steps": 2, "eval_every": 1}}
    preset = write_text(folder, "csv.yaml", to_yaml(p))
    return Case("csv-file", ["train", "--preset", preset] + BUDGET, invalid=invalid)


def yaml_case(rng, folder, shipped):
    text, invalid = odd_yaml(rng)
    path = write_text(folder, "odd.yaml", text)
    if rng.random() < 0.3:
        # `presets` lists a folder with the file in it and must still exit 0.
        return Case("presets-listing", ["presets"], env={"BPGRAD_TUI_PRESETS": folder})
    return Case("yaml-bomb-or-syntax", ["train", "--preset", path, "--steps", "2"] + BUDGET, invalid=invalid)


def preset_path_case(rng, folder, shipped):
    fifo = os.path.join(folder, "fifo.yaml")
    os.mkfifo(fifo)
    os.makedirs(os.path.join(folder, "dir.yaml"), exist_ok=True)
    path = rng.choice([fifo, os.path.join(folder, "dir.yaml"), "/dev/zero", "/dev/null", os.path.join(folder, "nope.yaml"), folder + "/"])
    return Case("preset-path", ["train", "--preset", path, "--steps", "2"], invalid=True)


def generated_preset(rng, folder, shipped):
    """A valid synthetic preset with one field broken (wrong type, extreme or missing)."""
    p = base_preset(rng)
    section = rng.choice(["dataset", "network", "training", "solvers", "loss", "top"])
    invalid = True
    if section == "dataset":
        k = rng.choice(["kind", "n", "noise", "classes", "test_fraction", "limit", "unknown"])
        p["dataset"][k] = rng.choice([any_value(rng), -5, 0, 1, 10**30, "spiral", [1], {"a": 1}])
        invalid = None
    elif section == "network":
        op = rng.randrange(4)
        if op == 0:
            p["network"] = []
        elif op == 1:
            p["network"].insert(rng.randrange(len(p["network"]) + 1), rng.choice(["flatten", "tahn", {"dense": 0}, {"conv2d": 3}, {"maxpool2d": 2}, {"dropout": 1.5}, [1, 2]]))
        elif op == 2:
            p["network"][-1] = {"dense": rng.choice([1, 5, 256])}
        else:
            p["network"][0] = {"type": rng.choice(["dense", "conv2d", "nope"]), "units": any_value(rng)}
        invalid = None
    elif section == "training":
        k = rng.choice(["batch_size", "steps", "epochs", "seed", "eval_every", "memory_budget_mb", "extra"])
        if k in ("steps", "epochs"):
            # Large valid counts would just train for a long time: only small or refused ones.
            p["training"][k] = rng.choice(["0", "-1", "x", "1.5", 2**53 + 1, 2**62, 2**63, 1, 3, "~", "[]"])
        else:
            p["training"][k] = rng.choice([any_value(rng), -1, 0, 2**62, 2**63, "x"])
        invalid = None
    elif section == "solvers":
        s = rng.choice(SOLVERS + ["adamw"])
        p["solvers"] = {s: {rng.choice(["lr", "momentum", "rho", "lipschitz", "eps", "nesterov", "beta1", "centered", "x"]): any_value(rng)}}
        if rng.random() < 0.3:
            p["solvers"] = {"sgd": {"nesterov": True, "momentum": rng.choice([0, 0.9]), "dampening": rng.choice([0, 0.5])}}
        invalid = None
    elif section == "loss":
        p["loss"] = rng.choice(["mse", "cross_entropy", "hinge", any_value(rng)])
        invalid = None
    else:
        del p[rng.choice(["dataset", "network"])]
    text = to_yaml(p) if rng.random() < 0.8 else "\n".join(f"{k}: {flow(v)}" for k, v in p.items()) + "\n"
    path = write_text(folder, "gen.yaml", text)
    solver = rng.choice(list(p.get("solvers", {}) or {"sgd": 0}) + [None])
    args = ["train", "--preset", path] + (["--solver", solver] if solver and rng.random() < 0.5 else []) + BUDGET
    return Case("generated-preset", args, invalid=bool(invalid))


def cli_case(rng, folder, shipped):
    """Command lines: extreme options on a cheap preset."""
    p = base_preset(rng)
    path = write_text(folder, "cli.yaml", to_yaml(p))
    command = rng.choice(["train", "train", "compare", "bench", "landscape", "presets"])
    invalid = False
    if command == "train":
        opt = rng.choice(["--steps", "--epochs", "--seed", "--threads", "--solver", "--log"])
        args = ["train", "--preset", path] + BUDGET
        if opt in ("--steps", "--epochs"):
            value = rng.choice(["0", "-1", "abc", "", "1e9", "9223372036854775808", "4611686018427387904", "9007199254740993", "1", "2", "3"])
            return Case("cli-train", args + [opt, value], invalid=value not in ("1", "2", "3"))
        args += ["--steps", "2"]
        if opt == "--seed":
            value = rng.choice(EXTREME_INTS + ["abc"])
            n = swift_int(value)
            return Case("cli-train", args + [opt, value], invalid=n is None or n < 0)
        if opt == "--threads":
            # Up to the machine's processors is valid: 2 depends on the machine, 1025 is too many anywhere here.
            value = rng.choice(["1", "2", "0", "-1", "1025", "4611686018427387904", "x"])
            return Case("cli-train", args + [opt, value], invalid=None if value == "2" else value != "1")
        if opt == "--solver":
            value = rng.choice(SOLVERS + ["nosuch", "", "ADAM", "bpgrad-bp"])
            # Kinds are case-insensitive ("ADAM" is adam), as in --solvers.
            return Case("cli-train", args + [opt, value], invalid=value.lower() not in SOLVERS)
        value = rng.choice(["/dev/full", folder, "/nonexistent/x.csv", os.path.join(folder, "log.csv")])
        return Case("cli-train", args + [opt, value], invalid=value != os.path.join(folder, "log.csv"))
    if command == "compare":
        return Case("cli-compare", ["compare", "--preset", path, "--steps", "2", "--no-log", "--solvers", rng.choice(["bpgrad,adam", "sgd", "nosuch", ",,,", "adam,adam"])] + BUDGET)
    if command == "bench":
        threads = rng.choice(["1", "0", "-1", "4611686018427387904", "2", "1025"])
        invalid = None if threads == "2" else threads != "1"
        return Case("cli-bench", ["bench", "--preset", path, "--steps", "1", "--solver", "adam", "--threads", threads] + BUDGET, invalid=invalid)
    if command == "landscape":
        args = ["landscape", "--headless", "--steps", "3", "--function", rng.choice(["rastrigin", "ackley", "himmelblau", "rosenbrock", "six-hump-camel", "styblinski-tang", "nosuch"])]
        if rng.random() < 0.5:
            args += ["--start", rng.choice(["0,0", "1e308,1e308", "nan,nan", "inf,0", "1", "a,b", "-4,4", "1,2,3"])]
        if rng.random() < 0.5:
            args += ["--set", f"{rng.choice(['bpgrad-bp', 'bpgrad', 'adam', 'sgd'])}.{rng.choice(['lipschitz', 'rho', 'lr', 'momentum'])}={any_value(rng)}"]
        if rng.random() < 0.3:
            args += ["--log", rng.choice(["/dev/full", folder, os.path.join(folder, "l.csv")])]
        return Case("cli-landscape", args)
    return Case("cli-presets", ["presets"], env={"BPGRAD_TUI_PRESETS": rng.choice([folder, "/dev/zero", "", ":::", "/nonexistent"])})


def run_dir_case(rng, folder, shipped):
    # Its own module (scripts/fuzz_run_dirs.py); Case is handed over to keep the import one-way.
    import fuzz_run_dirs
    return fuzz_run_dirs.run_dir_case(rng, folder, shipped, Case)


FAMILIES = [
    (shipped_mutation, 24),
    (generated_preset, 16),
    (idx_case, 14),
    (csv_case, 12),
    (yaml_case, 8),
    (cli_case, 12),
    (huge_size, 6),
    (conv_case, 6),
    (preset_path_case, 2),
    (run_dir_case, 14),
]


def make_case(rng, folder, shipped):
    total = sum(w for _, w in FAMILIES)
    pick = rng.randrange(total)
    for make, weight in FAMILIES:
        if pick < weight:
            return make(rng, folder, shipped)
        pick -= weight
    raise AssertionError
