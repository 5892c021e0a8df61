"""A team's database: backup, copy and officers acting at once, beside their floors.

Run: .venv/bin/python benchmarks/store.py [--cases 20000] [--pg URL] [--repeat 3]
(``--pg`` defaults to $COMPLAINTS_TEST_PG; the PostgreSQL lines are left out without it.)

Prints the median of ``--repeat`` runs of each step, beside a floor measured in the same
run: raw sqlite3 (its own backup API; reading every row of every table and inserting it
into an empty copy with executemany), and for many officers at once the same number of
notes made one after the other.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import text

from complaints_tui.services import actions, demo, transfer
from complaints_tui.services.context import Context
from db.engine import make_engine

TODAY = date(2026, 11, 23)


def median(
    fn: Callable[[], object], repeat: int, before: Callable[[], object] = lambda: None
) -> float:
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def line(label: str, seconds: float, floor: float | None = None) -> None:
    ratio = f"  x{seconds / floor:5.1f} of the floor" if floor else ""
    print(f"{label:<62} {seconds:7.3f} s{ratio}")


def raw_copy(source: Path, target: Path) -> None:
    """The floor of a copy: every row of every table read and inserted with sqlite3."""
    target.unlink(missing_ok=True)
    names = [t.name for t in transfer.data_tables()]  # the tables a copy moves
    with sqlite3.connect(source) as src:
        found = dict(src.execute("SELECT name, sql FROM sqlite_master WHERE type='table'"))
        with sqlite3.connect(target) as dst:
            for name in names:
                dst.execute(found[name])
            for name in names:
                cursor = src.execute(f"SELECT * FROM {name}")
                width = len(cursor.description)
                marks = ",".join("?" * width)
                while chunk := cursor.fetchmany(5000):
                    dst.executemany(f"INSERT INTO {name} VALUES ({marks})", chunk)


def fresh_pg_schema(base: str) -> tuple[str, Callable[[], None]]:
    from tests.conftest import PostgresSchemas  # the suite's maker of empty schemas

    schemas = PostgresSchemas(base)
    return schemas.new(), schemas.drop


def together(calls: list[Callable[[], object]]) -> None:
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> None:
        barrier.wait()
        call()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def officers(target: str, label: str, repeat: int, notes: int = 50) -> None:
    engine = make_engine(target)
    ctx = Context(engine, actor="Bench", clock=lambda: TODAY)
    ref = actions.log_case(ctx, procedure="corporate").reference
    seq = median(lambda: [actions.add_note(ctx, ref, "n") for _ in range(notes)], repeat)
    line(f"{label}: floor, {notes} notes one after the other", seq)
    at_once = median(
        lambda: together([lambda: actions.add_note(ctx, ref, "n") for _ in range(notes)]), repeat
    )
    line(f"{label}: {notes} officers adding a note at the same moment", at_once, seq)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg", default=os.environ.get("COMPLAINTS_TEST_PG"))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="complaints-store-bench-"))
    source = folder / "team.sqlite3"
    engine = make_engine(source)
    ctx = Context(engine, actor="Bench", clock=lambda: TODAY)
    demo.fill(ctx, args.cases, seed=1)
    with engine.connect() as connection:
        rows = sum(transfer.row_counts(connection).values())
        size = source.stat().st_size
    print(f"{args.cases:,} demo cases, {rows:,} rows, {size / 1e6:.1f} MB in {folder}")
    r = args.repeat

    floor = median(lambda: sqlite3.connect(source).backup(sqlite3.connect(folder / "f.db")), r)
    line("floor: raw sqlite3 backup API", floor)
    line("backup FILE", median(lambda: transfer.backup(ctx, folder / "b.sqlite3"), r), floor)

    floor = median(lambda: raw_copy(source, folder / "raw.sqlite3"), r)
    line("floor: raw sqlite3 read + executemany of every row", floor)

    def to_sqlite() -> None:
        target = folder / "copy.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        transfer.copy_to(ctx, str(target))

    line("copy --to another SQLite file", median(to_sqlite, r), floor)
    if args.pg:
        made: list[Callable[[], None]] = []

        def to_pg() -> None:
            url, drop = fresh_pg_schema(args.pg)
            made.append(drop)
            transfer.copy_to(ctx, url)

        line("copy --to PostgreSQL (a fresh schema)", median(to_pg, r), floor)
        for drop in made:
            drop()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM cases")).scalar() == args.cases
    engine.dispose()

    officers(str(folder / "officers.sqlite3"), "SQLite", r)
    if args.pg:
        url, drop = fresh_pg_schema(args.pg)
        officers(url, "PostgreSQL", r)
        drop()


if __name__ == "__main__":
    main()
