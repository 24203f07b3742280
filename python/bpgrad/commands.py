"""Reading ``commands.jsonl``: new complete lines since the last read, parsed into commands.

A viewer appends one JSON object per line (docs/run-format.md)::

    {"id": "w4821-1", "solver": "bpgrad", "set": "lipschitz", "value": 50}
    {"id": "w4821-2", "command": "pause"}

The reader remembers how far it has read and never consumes an unterminated last line, so
a line still being written is read once its newline has arrived.
"""
import json
import os
from dataclasses import dataclass
from typing import Any, Optional


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


def parse_command(text, line):
    """Parses one line of commands.jsonl (without its newline)."""
    try:
        obj = json.loads(text)
    except ValueError as e:
        return Command(line, error=f"line {line} is not JSON ({e})")
    if not isinstance(obj, dict):
        return Command(line, error=f"line {line} is not a JSON object")
    cid = obj.get("id")
    if cid is not None and (not isinstance(cid, str) or not cid):
        return Command(line, error=f"line {line}: id is {json.dumps(cid)}, not a string (expected a non-empty string, or no id)")
    solver = obj.get("solver")
    if solver is not None and not isinstance(solver, str):
        return Command(line, id=cid, error=f"solver is {json.dumps(solver)} (expected a configuration name or null)")
    has_set, has_command = "set" in obj, "command" in obj
    if has_set == has_command:
        return Command(line, id=cid, solver=solver, error="expected either \"set\" with \"value\" or \"command\"")
    if has_command:
        command = obj["command"]
        if command not in ("pause", "resume"):
            return Command(line, id=cid, solver=solver, error=f"unknown command {json.dumps(command)} (expected pause or resume)")
        return Command(line, id=cid, solver=solver, command=command)
    name = obj["set"]
    if not isinstance(name, str) or not name:
        return Command(line, id=cid, solver=solver, error=f"set is {json.dumps(name)} (expected a hyperparameter name)")
    if "value" not in obj:
        return Command(line, id=cid, solver=solver, set=name, error=f"{name}: no value")
    value = obj["value"]
    if value is None or isinstance(value, (list, dict)):
        return Command(line, id=cid, solver=solver, set=name,
                       error=f"{name} {json.dumps(value)}: expected a number, a boolean or a string")
    return Command(line, id=cid, solver=solver, set=name, value=value)


class CommandReader:
    """Follows one commands.jsonl file: each call returns the complete lines added since the last."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.lines_read = 0

    def read_lines(self):
        """New complete lines (text without the newline; blank lines dropped), oldest first."""
        try:
            with open(self.path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                if size < self.offset:  # truncated by someone: go on from its new end
                    self.offset = size
                    return []
                f.seek(self.offset)
                data = f.read(size - self.offset)
        except FileNotFoundError:
            return []
        end = data.rfind(b"\n")
        if end < 0:
            return []
        self.offset += end + 1
        lines = []
        for raw in data[:end].split(b"\n"):
            self.lines_read += 1
            text = raw.decode("utf-8", errors="replace").strip()
            if text:
                lines.append((self.lines_read, text))
        return lines

    def read(self):
        """New complete lines, parsed."""
        return [parse_command(text, n) for n, text in self.read_lines()]
