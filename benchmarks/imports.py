"""Import and export, CSV and workbook, each beside raw sqlite3's floor from the same run.

Run: .venv/bin/python benchmarks/imports.py [--cases 100000] [--repeat 3] [--dir /tmp/bench]
     [--formats csv]  (CSV only: the workbooks take minutes)

Every figure is a command run as an officer runs it (start-up included), the median of
``--repeat`` runs, with the peak memory of that process. A large import or ``demo`` writes
its rows in a child process while the command builds the next ones
(services/store_writer), and a large workbook's sheet is read by a third
(services/importing/sheet_apart): the wall time is what the officer waits for, the CPU
time is every process's, and the peak is the command's own plus its largest child's (their
peaks added, as they run at once); the whole tree's peak (PSS summed over its processes,
sampled) is printed at the end, from one more run of each. The floors:
- raw sqlite3 executemany of 4-column rows, one per case (benchmarks/foundation.py's floor);
- raw sqlite3 executemany of the very rows the import stored (cases, stages, themes, events)
  into an empty copy of the same schema: what storing them costs with no checking at all
  (and, beside it, the same with the program's connection settings: foreign keys checked);
- for the export, raw sqlite3 reading the same join's columns (every stored column the
  export writes, the stored rule columns of schema 15 among them: the working days taken
  and when the acknowledgement was due) and the rows of its clock stops, remedies and
  learning, and csv.writer writing them;
- for ``demo``, raw sqlite3 executemany of the demo's own stored rows into an empty copy
  of the same schema, as for the import.
- for the workbook's export, a workbook floor beside the CSV one: the same reading by
  raw sqlite3, each row written as the sheet's XML by one fixed format (no check, no
  escape, every value an inline string), through zipfile's deflate at the export's level
  (``floor_export_workbook``); run in turns with the export;
- for the workbook's import, a workbook floor beside the CSV ones: the same-schema floor
  plus the sheet's XML inflated out of the file and split into rows and cells by
  str.split (``floor_read_workbook``); run in turns with the import.
(The export's floors and the workbook's reading floor are in ``export_floors.py``.)
The export of a checked SQLite file reads it with sqlite3 alone (no SQLAlchemy), as an
officer's export of the team's file does when nothing else has changed it since.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from export_floors import (
    Figure,
    floor_export,
    floor_export_workbook,
    floor_read_workbook,
    timed,
)
from measured import adopt_descendants, command_figure, peak_of

TODAY = "2026-11-23"
HASH_BYTES = 1 << 23
"""db.search.HASH_BYTES (not imported: the floors use sqlite3 alone)."""


def command(*args: str) -> Figure:
    """One run of ``complaints-tui --today TODAY ARGS`` (measured.command_figure)."""
    return command_figure("--today", TODAY, *args)


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def median_of(repeat: int, run: Callable[[], Figure]) -> Figure:
    results = [run() for _ in range(repeat)]
    return (
        statistics.median(r[0] for r in results),
        max(r[1] for r in results),
        statistics.median(r[2] for r in results),
    )


def floor_four_columns(db: Path, folder: Path) -> Callable[[], Figure]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, reference, procedure, summary FROM cases").fetchall()

    def run() -> Figure:
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


def floor_same_schema(
    db: Path, folder: Path, *, enforced: bool = False, buffered: bool = False
) -> Callable[[], Figure]:
    """Every row the import stored, inserted raw into an empty database of the same schema:
    its tables, unique indexes as rows arrive, the other indexes built after (as the import
    does), the search index (FTS5) filled set-based at the end, and the triggers.

    ``enforced``: with the connection settings every connection of the program has
    (db/engine.py): the schema's foreign keys checked as rows arrive, and WAL's usual
    synchronous=NORMAL. sqlite3's own default leaves foreign keys unchecked, which the
    program never does; the ratios stay against the unchecked floor (the cheaper one),
    and the checked one is printed beside it (from 0 to a fifth more, by load).

    ``buffered``: the search indexes (FTS5) buffer as much of their new terms as the
    program's bulk store has them buffer (``db.search.HASH_BYTES``, where FTS5's default is
    1 MB): the program's own tuning, given to the floor too, printed beside it."""
    with sqlite3.connect(db) as conn:
        master = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        virtual = [name for kind, name, sql in master if "VIRTUAL TABLE" in sql.upper()]
        shadows = {n for kind, n, _ in master for v in virtual if n.startswith(f"{v}_")}
        tables = [
            name
            for kind, name, sql in master
            if kind == "table" and name not in shadows and name not in virtual
        ]
        data = {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in tables}

    def run() -> Figure:
        target = fresh(folder / "floor-schema.sqlite3")

        def insert() -> None:
            with sqlite3.connect(target) as conn:
                if enforced:
                    conn.execute("PRAGMA foreign_keys=ON")
                conn.execute("PRAGMA journal_mode=WAL")
                if enforced:
                    conn.execute("PRAGMA synchronous=NORMAL")
                for kind, name, sql in master:
                    if kind == "table" and name not in shadows:
                        conn.execute(sql)
                for name in virtual if buffered else ():
                    conn.execute(
                        f"INSERT INTO {name}({name}, rank) VALUES ('hashsize', {HASH_BYTES})"
                    )
                for kind, _, sql in master:
                    if kind == "index" and "UNIQUE" in sql.upper():
                        conn.execute(sql)
                for table, rows in data.items():
                    if rows:
                        marks = ",".join("?" * len(rows[0]))
                        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
                for kind, _, sql in master:
                    if kind == "index" and "UNIQUE" not in sql.upper():
                        conn.execute(sql)
                for name in virtual:
                    conn.execute(
                        f"INSERT INTO {name}(rowid, search_text) "
                        "SELECT id, search_text FROM cases WHERE search_text <> ''"
                    )
                for kind, _, sql in master:
                    if kind == "trigger":
                        conn.execute(sql)

        return timed(insert)

    return run


def floor_read_csv(path: Path) -> Callable[[], Figure]:
    """Reading the import's file with csv.reader and nothing else: what any import of it
    must read, and the same-schema floor does not (its rows come from memory)."""

    def run() -> Figure:
        def read() -> None:
            with path.open(newline="", encoding="utf-8") as handle:
                for _ in csv.reader(handle):
                    pass

        return timed(read)

    return run


def alternated(
    repeat: int, ours: Callable[[], Figure], floor: Callable[[], Figure]
) -> tuple[Figure, Figure]:
    """``ours`` and ``floor`` taking turns ``repeat`` times: each one's medians."""
    pairs = [(ours(), floor()) for _ in range(repeat)]

    def medians(side: int) -> Figure:
        return (
            statistics.median(p[side][0] for p in pairs),
            max(p[side][1] for p in pairs),
            statistics.median(p[side][2] for p in pairs),
        )

    return medians(0), medians(1)


def line(label: str, figure: Figure, floor: Figure | None = None) -> None:
    """The figure, and beside it its ratio to the floor: by the clock and by CPU time (the
    machine is shared: CPU time is what another process's load disturbs least)."""
    seconds, peak, cpu = figure
    ratio = f"{seconds / floor[0]:6.1f}x" if floor else "       "
    cpu_ratio = f"{cpu / floor[2]:6.1f}x" if floor and floor[2] else "       "
    memory = f"{peak:6d} MB" if peak else "         "
    print(f"{label:<48} {seconds:7.2f} s {ratio} {cpu:7.2f} s {cpu_ratio} {memory}")


def _other(figure: Figure, floor: Figure, label: str) -> None:
    """The figure's ratios to another floor, on a line of their own."""
    cpu = f"{figure[2] / floor[2]:6.1f}x" if floor[2] else "       "
    print(f"{'':<48} {'':>9} {figure[0] / floor[0]:6.1f}x {'':>9} {cpu} ({label})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--formats", default="csv,xlsx", help="csv, or csv,xlsx (the default)")
    args = parser.parse_args()
    adopt_descendants()
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

    xlsx = "xlsx" in args.formats.split(",")
    none: Figure = (0.0, 0, 0.0)

    made = folder / "demo-again.sqlite3"
    demo_run = median_of(
        r, lambda: command("--db", str(fresh(made)), "demo", "--cases", str(args.cases))
    )
    demo_floor = median_of(r, floor_same_schema(made, folder))
    demo_checked = median_of(r, floor_same_schema(made, folder, enforced=True))
    demo_buffered = median_of(r, floor_same_schema(made, folder, buffered=True))
    export_csv = median_of(r, lambda: command("--db", str(demo), "export", str(csv_file)))
    # the workbook's export and its floor taking turns (the file is the import's too)
    export_xlsx, xlsx_export_floor = (
        alternated(
            r,
            lambda: command("--db", str(demo), "export", str(xlsx_file)),
            floor_export_workbook(demo, folder),
        )
        if xlsx
        else (none, none)
    )
    target = folder / "import.sqlite3"

    def import_of(path: Path) -> Figure:
        return command("--db", str(fresh(target)), "import", str(path))

    import_csv = median_of(r, lambda: import_of(csv_file))
    check_csv = median_of(
        r, lambda: command("--db", str(fresh(target)), "import", str(csv_file), "--check")
    )
    import_xlsx, xlsx_read_floor = (
        alternated(max(1, r - 1), lambda: import_of(xlsx_file), floor_read_workbook(xlsx_file))
        if xlsx
        else (none, none)
    )
    import_of(csv_file)  # the rows the floors insert are the ones the import stored
    four = median_of(r, floor_four_columns(target, folder))
    schema = median_of(r, floor_same_schema(target, folder))
    checked = median_of(r, floor_same_schema(target, folder, enforced=True))
    buffered = median_of(r, floor_same_schema(target, folder, buffered=True))
    export_floor = median_of(r, floor_export(demo, folder))
    read_floor = median_of(r, floor_read_csv(csv_file))
    start_up = median_of(r, lambda: command("--help"))

    print(f"{'':<48} {'wall':>9} {'ratio':>7} {'cpu':>9} {'ratio':>7} {'peak':>9}")
    line(f"floor: raw sqlite3, {args.cases:,} 4-column rows", four)
    line("floor: raw sqlite3, the stored rows, same schema", schema)
    line("  the same, foreign keys checked (as the program)", checked)
    line("  the same, FTS5 buffering 8 MB (as the program)", buffered)
    line("floor: raw sqlite3 + csv.writer, the export's join", export_floor)
    line(f"  (not a floor: csv.reader of {csv_file.name} alone)", read_floor)
    line("start-up of any command (--help)", start_up)
    if xlsx:
        line("floor: raw sqlite3 + the sheet's XML, deflated", xlsx_export_floor)
        line(f"  (not a floor: {xlsx_file.name}'s sheet inflated, split)", xlsx_read_floor)
    print("ratio to the same-schema floor (and to the 4-column floor):")
    imports = [
        (f"import {csv_file.name} ({stages:,} rows)", import_csv),
        (f"import {csv_file.name} --check", check_csv),
    ]
    if xlsx:
        imports.append((f"import {xlsx_file.name}", import_xlsx))
    for label, figure in imports:
        line(label, figure, schema)
        _other(figure, checked, "to the floor with foreign keys checked")
        _other(figure, buffered, "to the floor with FTS5 buffering 8 MB")
        _other(figure, four, "to the 4-column floor")
        _other(
            figure,
            (schema[0] + read_floor[0], 0, schema[2] + read_floor[2]),
            "to the same-schema floor plus csv.reader of the file",
        )
    if xlsx:
        _other(
            import_xlsx,
            (schema[0] + xlsx_read_floor[0], 0, schema[2] + xlsx_read_floor[2]),
            f"{xlsx_file.name}: to the workbook floor, same-schema + its sheet read",
        )
    print("ratio to the same-schema floor of the demo's own rows:")
    line(f"demo --cases {args.cases:,}", demo_run, demo_floor)
    _other(demo_run, demo_checked, "to the floor with foreign keys checked")
    _other(demo_run, demo_buffered, "to the floor with FTS5 buffering 8 MB")
    line("  floor: raw sqlite3, the demo's rows, same schema", demo_floor)
    line("  the same, foreign keys checked", demo_checked)
    print("ratio to the export floor:")
    line(f"export {csv_file.name}", export_csv, export_floor)
    if xlsx:
        line(f"export {xlsx_file.name}", export_xlsx, export_floor)
        _other(export_xlsx, xlsx_export_floor, "to the workbook floor")
    print("the process tree's peak, PSS summed (benchmarks/measured.py), one run each:")
    trees = [(f"import {csv_file.name}", target, ["import", str(csv_file)])]
    if xlsx:
        trees.append((f"import {xlsx_file.name}", target, ["import", str(xlsx_file)]))
    trees.append((f"demo --cases {args.cases:,}", made, ["demo", "--cases", str(args.cases)]))
    for label, db, run in trees:
        program = [sys.executable, "-m", "complaints_tui", "--today", TODAY, "--db", str(fresh(db))]
        print(f"{label:<48} {'':>34} {peak_of([*program, *run])[1]:6d} MB")


if __name__ == "__main__":
    main()
