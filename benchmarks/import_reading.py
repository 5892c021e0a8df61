"""The Python half of a CSV import: reading the file, checking every cell and building the
records, with no SQL, beside the floor of reading the same rows with csv.reader alone.

Run: .venv/bin/python benchmarks/import_reading.py FILE.csv [--repeat 5]
         [--other /path/to/other/checkout/.venv/bin/python]
     (FILE: the export of `complaints-tui demo --cases 100000`, 104,652 stages)

The import's time an officer waits is the larger of the SQL (the store) and this reading;
every second of it is also CPU the whole import pays. Two figures, each in this process:
- ``records``: every row read, checked and built into the case records the store takes,
  the records taken one by one and dropped (``store_new`` replaced: nothing stored);
- ``check``: ``check_file``, what ``import --check`` and the Import screen's preview do.
The floor: csv.reader reading every row of the file in the same encoding (the cheapest
plain way to have the rows at all), in turns with ours; for a workbook (FILE.xlsx), its
sheet inflated and split into rows and cells (export_floors.floor_read_workbook). CPU
seconds (process_time) are the figures to compare; wall seconds and the load average are
printed beside them. A large workbook's sheet is read by a child process
(importing/sheet_apart), whose CPU this process's time leaves out: the figures are the
import's own process, the one the officer waits for.

With ``--other PYTHON`` (another checkout's own venv, e.g. main's), each side runs in a
process of its own, taking turns ``--repeat`` times, and the medians of both are printed
with their ratio: the before/after of a change, paired and alternated.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 23)


def floor(path: Path) -> tuple[float, float]:
    """(CPU, wall) seconds of csv.reader reading every row of ``path`` (a workbook: its
    sheet inflated and split into rows and cells, export_floors' reading floor)."""
    cpu, wall = time.process_time(), time.perf_counter()
    if path.suffix.lower() == ".xlsx":
        from export_floors import floor_read_workbook

        floor_read_workbook(path)()
    else:
        with path.open(encoding="utf-8", newline="") as handle:
            for _ in csv.reader(handle):
                pass
    return time.process_time() - cpu, time.perf_counter() - wall


def floor_label(path: Path) -> str:
    if path.suffix.lower() == ".xlsx":
        return "floor: the sheet inflated, split"
    return "floor: csv.reader, every row"


def reading(path: Path) -> dict[str, object]:
    """The import's two readings of ``path``, run once untimed (the imports, the schema)."""
    from complaints_tui.services import importer
    from complaints_tui.services.context import Context
    from complaints_tui.services.store_writer import existing_in
    from db.engine import make_engine, transaction

    folder = Path(tempfile.mkdtemp(prefix="import-reading-"))
    ctx = Context(engine=make_engine(folder / "reading.sqlite3"), clock=lambda: TODAY)

    def taken(ctx: Context, make_records: Any, **_: object) -> int:
        with transaction(ctx.engine) as session:
            existing = existing_in(session)
        for _record in make_records(existing):
            pass
        return 0

    importer.store_new = taken  # type: ignore[assignment]
    runs = {"records": importer.import_file, "check": importer.check_file}
    for run in runs.values():
        run(ctx, path)
    return {name: (lambda run=run: run(ctx, path)) for name, run in runs.items()}


def timed(run: object) -> tuple[float, float]:
    """(CPU, wall) seconds of ``run()``."""
    cpu, wall = time.process_time(), time.perf_counter()
    run()  # type: ignore[operator]
    return time.process_time() - cpu, time.perf_counter() - wall


def one(path: Path, repeat: int) -> dict[str, list[float]]:
    """Each figure ``repeat`` times, ours and the floor taking turns: {name: [cpu...]}."""
    runs = reading(path)
    figures: dict[str, list[float]] = {"floor": [], "records": [], "check": [], "wall": []}
    for _ in range(repeat):
        figures["floor"].append(floor(path)[0])
        cpu, wall = timed(runs["records"])
        figures["records"].append(cpu)
        figures["wall"].append(wall)
        figures["floor"].append(floor(path)[0])
        figures["check"].append(timed(runs["check"])[0])
    return figures


def line(label: str, values: list[float], base: float) -> None:
    median = statistics.median(values)
    spread = f"{min(values):.2f}-{max(values):.2f}"
    print(f"{label:<34} {median:6.2f} s CPU ({spread})  {median / base:5.1f}x the floor")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--other", help="another checkout's python, run in turns with this one")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.json:  # one side of --other: one run of each, as JSON
        print(json.dumps(one(options.file, 1)))
        return
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if options.other is None:
        figures = one(options.file, options.repeat)
        base = statistics.median(figures["floor"])
        print(f"{floor_label(options.file):<34} {base:6.2f} s CPU")
        line("read + check + build (records)", figures["records"], base)
        line("import --check (check_file)", figures["check"], base)
    else:
        sides = {"this": sys.executable, "other": options.other}
        runs: dict[str, list[dict[str, list[float]]]] = {"this": [], "other": []}
        me = [str(Path(__file__).resolve()), str(options.file), "--json"]
        for _ in range(options.repeat):
            for side in ("other", "this"):
                done = subprocess.run(
                    [sides[side], *me], capture_output=True, text=True, check=True
                )
                runs[side].append(json.loads(done.stdout))
        base = statistics.median(f for side in runs.values() for r in side for f in r["floor"])
        print(f"{floor_label(options.file):<34} {base:6.2f} s CPU")
        for name in ("records", "check"):
            medians = {}
            for side in ("other", "this"):
                values = [r[name][0] for r in runs[side]]
                medians[side] = statistics.median(values)
                line(f"{name} ({side})", values, base)
            print(f"{'':<34} this/other {medians['this'] / medians['other']:.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
