"""The workbook import's reading of its sheet, beside the sheet's reading floor, in turns.

Run: .venv/bin/python benchmarks/sheet_read.py EXPORT.xlsx [--repeat 5] [--other CHECKOUT]

EXPORT.xlsx is a workbook `complaints-tui --db COPY export EXPORT.xlsx` wrote (the import's
own input in benchmarks/imports.py). Each figure is one fresh process of this Python:
- ours: this checkout's ``open_source(EXPORT.xlsx)`` and every row's cells, as the import
  reads them before checking any (openpyxl's reading of the workbook around the sheet, the
  scan for merged cells, the sheet's rows);
- the floor: ``export_floors.floor_read_workbook``, the sheet's XML inflated out of the zip
  a megabyte at a time and split into rows and cells by str.split, values left as text;
- with ``--other``: another checkout's ``open_source`` the same way (main's, say, for before
  and after), run with that directory first on sys.path (PYTHONPATH would lose to the
  editable install); it must name the same number of cells.
They take turns, the order turning each round, and the medians of CPU (the process's own
time.process_time) and wall are printed with their ratios to the floor's, the peak memory
of each process (VmHWM), and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

_CHILD = """
import sys, time
from pathlib import Path
root, which, path = sys.argv[1], sys.argv[2], Path(sys.argv[3])
sys.path.insert(0, root)
if which == "floor":
    sys.path.insert(0, root + "/benchmarks")
    from export_floors import floor_read_workbook
    wall, _, cpu = floor_read_workbook(path)()
    cells = 0
else:
    import complaints_tui
    assert complaints_tui.__file__.startswith(root), complaints_tui.__file__
    from complaints_tui.services.importing.sources import open_source
    cpu, wall = time.process_time(), time.perf_counter()
    cells = 0
    for _, row in open_source(path).rows:
        cells += len(row)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(wall, cpu, peak // 1024, cells)
"""

HERE = Path(__file__).resolve().parent.parent


def run(root: Path, which: str, path: Path) -> tuple[float, float, int, int]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(root), which, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu, peak, cells = done.stdout.split()
    return float(wall), float(cpu), int(peak), int(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--other", type=Path, help="another checkout to read it with")
    args = parser.parse_args()
    kinds = [("ours", HERE, "read"), ("floor", HERE, "floor")]
    if args.other:
        kinds.append((f"other ({args.other})", args.other.resolve(), "read"))
    figures: dict[str, list[tuple[float, float, int, int]]] = {k: [] for k, _, _ in kinds}
    load_before = os.getloadavg()
    for turn in range(args.repeat):
        for label, root, which in kinds[turn % len(kinds) :] + kinds[: turn % len(kinds)]:
            figures[label].append(run(root, which, args.workbook))
    load_after = os.getloadavg()
    cells = {f[3] for label, fs in figures.items() if label != "floor" for f in fs}
    assert len(cells) == 1, f"the readers name different numbers of cells: {cells}"
    floor_wall = statistics.median(f[0] for f in figures["floor"])
    floor_cpu = statistics.median(f[1] for f in figures["floor"])
    print(f"{args.workbook.name}: {cells.pop():,} cells, {args.repeat} turns each")
    print(f"{'':<40} {'cpu':>8} {'ratio':>6} {'wall':>8} {'ratio':>6} {'peak':>7}")
    for label, fs in figures.items():
        cpu = statistics.median(f[1] for f in fs)
        wall = statistics.median(f[0] for f in fs)
        peak = max(f[2] for f in fs)
        print(
            f"{label:<40} {cpu:7.2f}s {cpu / floor_cpu:5.2f}x {wall:7.2f}s "
            f"{wall / floor_wall:5.2f}x {peak:5d}MB"
        )
        print(f"{'':<40} cpu each: {', '.join(f'{f[1]:.2f}' for f in fs)}")
    print(
        "load average before: {:.2f} {:.2f} {:.2f}; after: {:.2f} {:.2f} {:.2f}".format(
            *load_before, *load_after
        )
    )


if __name__ == "__main__":
    main()
