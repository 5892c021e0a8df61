"""Import and export, CSV and workbook, each beside raw sqlite3's floor from the same run.

Run: .venv/bin/python benchmarks/imports.py [--cases 100000] [--repeat 3] [--dir /tmp/bench]

Every figure is a command run as an officer runs it (start-up included), the median of
``--repeat`` runs, with the peak memory of that process. The floors:
- raw sqlite3 executemany of 4-column rows, one per case (benchmarks/foundation.py's floor);
- raw sqlite3 executemany of the very rows the import stored (cases, stages, themes, events)
  into an empty copy of the same schema: what storing them costs with no checking at all;
- for the export, raw sqlite3 reading the same join and csv.writer writing it.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TODAY = "2026-11-23"
TABLES = ("cases", "stages", "case_themes", "events")


# The command's own peak (VmHWM, reset by exec), printed as it exits: a child's ru_maxrss
# would count this script's memory at the fork, not the command's.
_PEAK = (
    "import atexit, runpy, sys\n"
    "def peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM'):\n"
    "            print('PEAK', line.split()[1], file=sys.stderr)\n"
    "atexit.register(peak)\n"
    "sys.argv = ['complaints-tui', *sys.argv[1:]]\n"
    "runpy.run_module('complaints_tui', run_name='__main__', alter_sys=True)\n"
)


def command(*args: str) -> tuple[float, int]:
    """Seconds and peak memory (MB) of one run of the command."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, "--today", TODAY, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr}")
    peaks = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK")]
    return seconds, (peaks[-1] // 1024) if peaks else 0


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def median_of(repeat: int, run: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    results = [run() for _ in range(repeat)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def timed(fn: Callable[[], object]) -> tuple[float, int]:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start, 0


def floor_four_columns(db: Path, folder: Path) -> Callable[[], tuple[float, int]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, reference, procedure, summary FROM cases").fetchall()

    def run() -> tuple[float, int]:
        target = fresh(folder / "floor4.sqlite3")

        def insert() -> None:
            with sqlite3.connect(target) as conn:
                conn.execute(
                    "CREATE TABLE bare (id INTEGER PRIMARY KEY, reference TEXT UNIQUE, "
                    "procedure TEXT, summary TEXT)"
                )
                conn.executemany("INSERT INTO bare VALUES (?,?,?,?)", rows)

        return timed(insert)

    return run


def floor_same_schema(db: Path, folder: Path) -> Callable[[], tuple[float, int]]:
    """The stored rows, inserted raw into an empty database of the same schema (tables
    and unique indexes; the other indexes built after, as the import does)."""
    with sqlite3.connect(db) as conn:
        schema = [
            (kind, sql)
            for kind, sql in conn.execute(
                "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL "
                "AND name NOT LIKE 'sqlite_%' ORDER BY type DESC"
            )
        ]
        data = {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}

    def run() -> tuple[float, int]:
        target = fresh(folder / "floor-schema.sqlite3")

        def insert() -> None:
            with sqlite3.connect(target) as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                for kind, sql in schema:
                    if kind == "table" or (kind == "index" and "UNIQUE" in sql.upper()):
                        try:
                            conn.execute(sql)
                        except sqlite3.OperationalError:
                            continue  # a virtual table's shadow tables, made with it
                for table, rows in data.items():
                    if rows:
                        marks = ",".join("?" * len(rows[0]))
                        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
                for kind, sql in schema:
                    if kind == "index" and "UNIQUE" not in sql.upper():
                        conn.execute(sql)

        return timed(insert)

    return run


def floor_export(db: Path, folder: Path) -> Callable[[], tuple[float, int]]:
    def run() -> tuple[float, int]:
        def write() -> None:
            with (
                sqlite3.connect(db) as conn,
                (folder / "floor.csv").open("w", newline="") as handle,
            ):
                writer = csv.writer(handle)
                writer.writerows(
                    conn.execute(
                        "SELECT c.reference, s.procedure, s.number, s.received, s.responded, "
                        "s.outcome, s.extended_to, c.division, c.service, c.complainant_type, "
                        "c.channel, c.advocate, c.summary, s.due, s.status "
                        "FROM cases c JOIN stages s ON s.case_id = c.id "
                        "ORDER BY c.reference, s.received, s.id"
                    )
                )

        return timed(write)

    return run


def line(label: str, figure: tuple[float, int], floor: float | None = None) -> None:
    seconds, peak = figure
    ratio = f"{seconds / floor:6.1f}x" if floor else "       "
    memory = f"{peak:6d} MB" if peak else "         "
    print(f"{label:<52} {seconds:7.2f} s {ratio} {memory}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="complaints-imports-"))
    folder.mkdir(parents=True, exist_ok=True)
    demo = folder / f"demo-{args.cases}.sqlite3"
    if not demo.exists():
        print(f"making {args.cases:,} demo cases in {demo}")
        command("--db", str(demo), "demo", "--cases", str(args.cases))
    with sqlite3.connect(demo) as conn:
        stages = conn.execute("SELECT count(*) FROM stages").fetchone()[0]
    print(f"{args.cases:,} cases, {stages:,} stages; medians of {args.repeat}; files in {folder}")
    csv_file, xlsx_file = folder / "export.csv", folder / "export.xlsx"
    r = args.repeat

    export_csv = median_of(r, lambda: command("--db", str(demo), "export", str(csv_file)))
    export_xlsx = median_of(r, lambda: command("--db", str(demo), "export", str(xlsx_file)))
    target = folder / "import.sqlite3"

    def import_of(path: Path) -> tuple[float, int]:
        return command("--db", str(fresh(target)), "import", str(path))

    import_csv = median_of(r, lambda: import_of(csv_file))
    check_csv = median_of(
        r, lambda: command("--db", str(fresh(target)), "import", str(csv_file), "--check")
    )
    import_xlsx = median_of(max(1, r - 1), lambda: import_of(xlsx_file))
    import_of(csv_file)  # the rows the floors insert are the ones the import stored
    four = median_of(r, floor_four_columns(target, folder))
    schema = median_of(r, floor_same_schema(target, folder))
    export_floor = median_of(r, floor_export(demo, folder))
    start_up = median_of(r, lambda: command("--help"))

    print(f"{'':<52} {'seconds':>9} {'ratio':>7} {'peak':>9}")
    line(f"floor: raw sqlite3, {args.cases:,} 4-column rows", four)
    line("floor: raw sqlite3, the stored rows, same schema", schema)
    line("floor: raw sqlite3 + csv.writer, the export's join", export_floor)
    line("start-up of any command (--help)", start_up)
    print("ratio to the same-schema floor (and to the 4-column floor):")
    for label, figure in (
        (f"import {csv_file.name} ({stages:,} rows)", import_csv),
        (f"import {csv_file.name} --check", check_csv),
        (f"import {xlsx_file.name}", import_xlsx),
    ):
        line(label, figure, schema[0])
        print(f"{'':<52} {'':>9} {figure[0] / four[0]:6.1f}x (4-column floor)")
    print("ratio to the export floor:")
    line(f"export {csv_file.name}", export_csv, export_floor[0])
    line(f"export {xlsx_file.name}", export_xlsx, export_floor[0])


if __name__ == "__main__":
    main()
