"""Reading ``commands.jsonl``: new complete lines since the last read, parsed into commands.

A viewer appends one JSON object per line (docs/run-format.md)::

    {"id": "w4821-1", "solver": "bpgrad", "set": "lipschitz", "value": 50}
    {"id": "w4821-2", "command": "pause"}

The reader remembers how far it has read and keeps an unterminated last line until its
newline arrives, so a line still being written is read whole. Anyone who can write to the run
directory can write this file, so nothing in it may end the training run: a line that is not
a command (not JSON, nested too deep, longer than `LINE_LIMIT`) becomes a `Command` with an
`error`, and a file that is not a regular file is ignored with one `problem`.
"""
import errno
import json
import math
import os
import stat
from dataclasses import dataclass
from typing import Any, Optional

from ._format import excerpt

#: The longest line read, in bytes before its newline; a longer one is skipped up to its newline
#: and rejected once (a viewer's command is a few dozen bytes).
LINE_LIMIT = 65536
#: The most bytes one `CommandReader.read` takes from the file, so that a huge file (a sparse
#: 64 GiB one, say) costs a bounded amount of memory and time per training step.
READ_LIMIT = 1 << 20


@dataclass(frozen=True)
class Command:
    """One line of commands.jsonl. `error` says why it is not a valid command (then it is rejected)."""

    line: int
    id: Optional[str] = None
    solver: Optional[str] = None
    set: Optional[str] = None
    value: Any = None
    command: Optional[str] = None
    error: Optional[str] = None

    @property
    def suffix(self):
        """`` (command ID)``, or nothing when the line had no usable id."""
        return f" (command {self.id})" if self.id is not None else ""


def _json_text(value):
    """A JSON value for a message: lists and objects by kind only (they may be nested thousands
    deep), anything else as JSON, cut as every echo is (`excerpt`)."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return excerpt(json.dumps(value))


def _no_constant(name):
    # NaN, Infinity and -Infinity are not JSON; Python's json module would accept them.
    raise ValueError(f"{name} is not a JSON value")


# The deepest nesting a line may have, counting its outer object: the Swift reader's JSON parser
# refuses deeper, and Python's own limit depends on its version and recursion limit.
MAX_DEPTH = 512


def _depth(text):
    """How deep the line's arrays and objects nest (brackets inside strings do not count)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def parse_command(text, line):
    """Parses one line of commands.jsonl (without its newline)."""
    # Only a line with that many brackets can be that deep: the scan is skipped for the rest.
    if text.count("[") + text.count("{") > MAX_DEPTH and _depth(text) > MAX_DEPTH:
        return Command(line, error=f"line {line} is not a command (nested deeper than {MAX_DEPTH} levels)")
    try:
        obj = json.loads(text, parse_constant=_no_constant)
    except ValueError as e:
        return Command(line, error=f"line {line} is not JSON ({e})")
    except RecursionError:
        return Command(line, error=f"line {line} is not a command (nested too deep)")
    if not isinstance(obj, dict):
        return Command(line, error=f"line {line} is not a JSON object")
    cid = obj.get("id")
    if cid is not None and (not isinstance(cid, str) or not cid):
        return Command(line, error=f"line {line}: id is {_json_text(cid)}, not a string (expected a non-empty string, or no id)")
    solver = obj.get("solver")
    if solver is not None and not isinstance(solver, str):
        return Command(line, id=cid, error=f"solver is {_json_text(solver)} (expected a configuration name or null)")
    has_set, has_command = "set" in obj, "command" in obj
    if has_set == has_command:
        return Command(line, id=cid, solver=solver, error="expected either \"set\" with \"value\" or \"command\"")
    if has_command:
        command = obj["command"]
        if command not in ("pause", "resume"):
            return Command(line, id=cid, solver=solver, error=f"unknown command {_json_text(command)} (expected pause or resume)")
        return Command(line, id=cid, solver=solver, command=command)
    name = obj["set"]
    if not isinstance(name, str) or not name:
        return Command(line, id=cid, solver=solver, error=f"set is {_json_text(name)} (expected a hyperparameter name)")
    if "value" not in obj:
        return Command(line, id=cid, solver=solver, set=name, error=f"{excerpt(name)}: no value")
    value = obj["value"]
    if value is None or isinstance(value, (list, dict)):
        return Command(line, id=cid, solver=solver, set=name,
                       error=f"{excerpt(name)} {_json_text(value)}: expected a number, a boolean or a string")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # JSON numbers are doubles: 1e400 or a 400-digit integer has none, and would overflow
        # every float() that shows or checks it.
        try:
            finite = math.isfinite(float(value))
        except OverflowError:
            finite = False
        if not finite:
            return Command(line, id=cid, solver=solver, set=name,
                           error=f"{excerpt(name)} {_json_text(value)}: out of range (a number must fit in a double, "
                                 "at most about 1.8e308)")
    return Command(line, id=cid, solver=solver, set=name, value=value)


def _file_kind(mode):
    for test, kind in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "not a plain file"


class CommandReader:
    """Follows one commands.jsonl file: each call returns the complete lines added since the last.

    When the file becomes shorter than what has been read (truncated) or is another file
    (replaced, by a rename), it is read again from its beginning, as ``tail -F`` does. Each call reads at most
    `READ_LIMIT` bytes; a line longer than `LINE_LIMIT` bytes is rejected once and skipped up
    to its newline. The file is opened without following a symbolic link and without
    blocking; a link, a FIFO, a directory or any other file that is not a regular file (or one
    that cannot be read) sets `problem` and is ignored from then on.
    """

    def __init__(self, path):
        self.path = path
        self.offset = 0  # bytes taken from the file, the unterminated last line included
        self.lines_read = 0
        self.problem = None
        self._partial = b""  # the start of a line whose newline has not arrived
        self._skipping = False  # inside a line over LINE_LIMIT, already rejected
        self._identity = None  # (device, inode) of the file read so far

    def _chunk(self):
        """Up to READ_LIMIT new bytes of the file (b"" when there are none)."""
        if self.problem is not None:
            return b""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            return b""
        except OSError as e:
            self.problem = ("is a symbolic link, not a regular file" if e.errno == errno.ELOOP
                            else f"cannot be read ({e.strerror})")
            return b""
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                self.problem = f"is {_file_kind(st.st_mode)}, not a regular file"
                return b""
            if st.st_size < self.offset or (st.st_dev, st.st_ino) != (self._identity or (st.st_dev, st.st_ino)):
                self.offset, self.lines_read, self._partial, self._skipping = 0, 0, b"", False
            self._identity = (st.st_dev, st.st_ino)
            if st.st_size == self.offset:
                return b""
            return os.pread(fd, min(READ_LIMIT, st.st_size - self.offset), self.offset)
        except OSError as e:
            self.problem = f"cannot be read ({e.strerror})"
            return b""
        finally:
            os.close(fd)

    def _lines(self):
        """New complete lines as (line number, text), blank lines dropped; text is None for a
        line over LINE_LIMIT."""
        data = self._chunk()
        self.offset += len(data)
        out, start = [], 0
        while True:
            end = data.find(b"\n", start)
            if end < 0:
                break
            if self._skipping:  # the end of a line that was rejected when it grew too long
                self._skipping = False
            else:
                raw = self._partial + data[start:end]
                self.lines_read += 1
                if len(raw) > LINE_LIMIT:
                    out.append((self.lines_read, None))
                else:
                    # Blank is JSON's whitespace only (space, tab, carriage return), as in the
                    # Swift reader: a line of other control characters is a bad command.
                    text = raw.decode("utf-8", errors="replace").strip(" \t\r")
                    if text:
                        out.append((self.lines_read, text))
            self._partial = b""
            start = end + 1
        if not self._skipping:
            self._partial += data[start:]
            if len(self._partial) > LINE_LIMIT:  # rejected now, not when (if ever) its newline comes
                self.lines_read += 1
                out.append((self.lines_read, None))
                self._partial, self._skipping = b"", True
        return out

    def read(self):
        """New complete lines, parsed."""
        return [parse_command(text, n) if text is not None else
                Command(n, error=f"line {n} is longer than {LINE_LIMIT:,} bytes (skipped)")
                for n, text in self._lines()]
