"""Foundation timings: demo data, import and export, and recomputing every open clock.

Run: .venv/bin/python benchmarks/foundation.py [--cases 100000] [--dir /tmp/bench]
Prints seconds for each step, beside raw sqlite3's floor for inserting the same rows.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.services import demo
from complaints_tui.services.context import Context
from complaints_tui.services.store import recompute
from db.engine import make_engine

TODAY = date(2026, 11, 23)


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    print(f"{label:<58} {time.perf_counter() - start:7.2f} s")
    return result


def cli(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "complaints_tui", "--today", TODAY.isoformat(), *args],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="complaints-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("demo", "import", "floor"):
        for suffix in ("", "-wal", "-shm"):
            (folder / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)
    n = args.cases
    print(f"{n:,} cases, files in {folder}")

    timed("calendar built (holidays 2000-2040)", WorkingCalendar)
    timed(
        f"demo --cases {n} (command, incl. start-up)",
        lambda: cli("--db", str(folder / "demo.sqlite3"), "demo", "--cases", str(n)),
    )
    csv_path = folder / "export.csv"
    timed(
        "export (command)",
        lambda: cli("--db", str(folder / "demo.sqlite3"), "export", str(csv_path)),
    )
    timed(
        "import of that export (command)",
        lambda: cli("--db", str(folder / "import.sqlite3"), "import", str(csv_path)),
    )

    engine = make_engine(folder / "demo.sqlite3")
    ctx = Context(engine, clock=lambda: TODAY)
    with sqlite3.connect(folder / "demo.sqlite3") as conn:
        open_count = conn.execute(
            "SELECT count(*) FROM stages WHERE status IN ('open','suspended')"
        ).fetchone()[0]
        all_count = conn.execute("SELECT count(*) FROM stages").fetchone()[0]
    timed(f"recompute every open clock ({open_count:,} open stages)", lambda: recompute(ctx))
    with engine.begin() as conn:  # worst case: treat every stage as open
        conn.exec_driver_sql("UPDATE stages SET status='open' WHERE status='responded'")
    timed(f"recompute {all_count:,} clocks (every stage made open)", lambda: recompute(ctx))
    engine.dispose()

    records = demo.generate(Context(make_engine(folder / "floor.sqlite3"), clock=lambda: TODAY), n)
    rows = [(i, r.reference, r.procedure, r.summary) for i, r in enumerate(records, 1)]

    def floor() -> None:
        with sqlite3.connect(folder / "floor.sqlite3") as conn:
            conn.execute(
                "CREATE TABLE bare (id INTEGER PRIMARY KEY, reference TEXT UNIQUE, "
                "procedure TEXT, summary TEXT)"
            )
            conn.executemany("INSERT INTO bare VALUES (?,?,?,?)", rows)

    timed(f"floor: raw sqlite3 executemany of {n:,} 4-column rows", floor)


if __name__ == "__main__":
    main()
