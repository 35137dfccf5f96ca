"""Processes below a test's command, read from Linux's /proc: to check that nothing a
command started outlives it."""

from __future__ import annotations

from pathlib import Path


def processes() -> dict[int, tuple[int, str, str]]:
    """Every process: pid -> (parent pid, state, start time)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry.name)] = (int(fields[1]), fields[0], fields[19])
    return found


def descendants(pid: int) -> set[tuple[int, str]]:
    """The processes below ``pid``, as (pid, start time): a pid reused later differs."""
    table = processes()
    children: dict[int, list[int]] = {}
    for child, (parent, _state, _start) in table.items():
        children.setdefault(parent, []).append(child)
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.add((child, table[child][2]))
            todo.append(child)
    return out


def still_running(seen: set[tuple[int, str]]) -> list[int]:
    """Those of ``seen`` that still run (the same process, not a reused pid; no zombie)."""
    table = processes()
    return [pid for pid, start in seen
            if pid in table and table[pid][2] == start and table[pid][1] not in "ZX"]
