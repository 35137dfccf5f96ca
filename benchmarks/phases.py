"""Where the time of one load goes: read, checks, hand-over — in one process, no sandbox.

``python benchmarks/phases.py FILE [--fast auto|always|never] [--repeat N]``

Runs the steps :func:`grantstats.reading.loader.parse` runs in the sandbox child, timing
each, and the hand-over the sandbox adds, both ways: as ``load`` does it (the tables as
Arrow IPC, :mod:`grantstats.reading.handover`, and the small rest of the workbook
pickled: encoded in the child, decoded in the parent) and as it was before (the whole
workbook pickled in the child, unpickled in the parent); the pipe itself is not timed.
``read`` is split into fastexcel's part (``load_sheet``: parsing the sheet XML into
Arrow), taking its columns over (Arrow to numpy, dictionary-encoding the texts; the
header row and shared strings read from the XML) and the rest (the workbook's other
sheets read by calamine, the markers scan, the file opened twice). Prints the medians
in seconds.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any


def measure(path: Path, mode: str) -> dict[str, float]:
    """One load of ``path`` in ``mode``, step by step."""
    import fastexcel

    from grantstats.reading import fast, handover, loader
    from grantstats.reading.sniff import read_checked

    spent: dict[str, float] = defaultdict(float)
    load_sheet = fastexcel.ExcelReader.load_sheet_by_name
    read_sheet = fast.read_sheet

    def timed_load(self: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return load_sheet(self, *args, **kwargs)
        finally:
            spent["fastexcel load_sheet"] += time.perf_counter() - started

    def timed_read(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return read_sheet(*args, **kwargs)
        finally:
            spent["fast path read (all)"] += time.perf_counter() - started

    fastexcel.ExcelReader.load_sheet_by_name = timed_load  # type: ignore[method-assign]
    fast.read_sheet = timed_read
    try:
        t0 = time.perf_counter()
        kind, data = read_checked(path)
        t1 = time.perf_counter()
        raw = loader._read(path, data, kind, mode)
        t2 = time.perf_counter()
        wb = loader._checked(path, raw, loader.DEFAULT_AGE_BANDS)
        t3 = time.perf_counter()
        blob = pickle.dumps(("ok", wb), protocol=pickle.HIGHEST_PROTOCOL)
        t4 = time.perf_counter()
        pickle.loads(blob)
        t5 = time.perf_counter()
        tables = handover.to_ipc(wb.tables)
        rest = pickle.dumps(("ok", (tables, replace(wb, tables={}))),
                            protocol=pickle.HIGHEST_PROTOCOL)
        t6 = time.perf_counter()
        _, (tables, small) = pickle.loads(rest)
        replace(small, tables=handover.from_ipc(tables))
        t7 = time.perf_counter()
    finally:
        fastexcel.ExcelReader.load_sheet_by_name = load_sheet  # type: ignore[method-assign]
        fast.read_sheet = read_sheet
    spent["preflight (parent)"] = t1 - t0
    spent["read"] = t2 - t1
    spent["checks"] = t3 - t2
    spent["hand-over: pickle (child)"] = t4 - t3
    spent["hand-over: unpickle (parent)"] = t5 - t4
    spent["hand-over: Arrow IPC (child)"] = t6 - t5
    spent["hand-over: from Arrow (parent)"] = t7 - t6
    spent["fast path: columns taken over"] = (spent["fast path read (all)"]
                                              - spent["fastexcel load_sheet"])
    spent["read: the rest"] = spent["read"] - spent["fast path read (all)"]
    spent["total"] = t3 - t0 + t7 - t5  # with the Arrow hand-over, as load does it
    spent["fast sheets"] = float(sum(s.fast is not None for s in raw.sheets))
    spent["MB handed over (pickle)"] = len(blob) / 1e6
    spent["MB handed over (Arrow)"] = len(rest) / 1e6
    return dict(spent)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--fast", default="auto", choices=("auto", "always", "never"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    runs = [measure(args.file, args.fast) for _ in range(args.repeat)]
    order = ["preflight (parent)", "read", "fastexcel load_sheet",
             "fast path: columns taken over", "read: the rest", "checks",
             "hand-over: pickle (child)", "hand-over: unpickle (parent)",
             "hand-over: Arrow IPC (child)", "hand-over: from Arrow (parent)", "total",
             "fast sheets", "MB handed over (pickle)", "MB handed over (Arrow)"]
    print(f"{args.file.name} (GRANTSTATS_FAST={args.fast}), medians of {args.repeat}:")
    for name in order:
        print(f"  {name:32s} {statistics.median(r.get(name, 0.0) for r in runs):8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
