"""The officer's desk on a demo database: "my work" beside the team's, and a letter.

    .venv/bin/python benchmarks/desk.py [--cases 100000] [--dir DIR] [--runs 15]

Builds (or reuses) ``DIR/desk-N.sqlite3`` with ``complaints-tui demo --cases N`` and
prints medians, each beside a floor measured in the same run:

- the deadlines screen's group counts for the whole team, and for one officer with the
  team's beside them (what the screen now reads), against raw sqlite3 counting the open
  stages of that officer;
- one acknowledgement letter prepared (case read, template filled) and written as .docx
  with its timeline entry, against python-docx saving an empty document.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TODAY = date(2026, 11, 23)


def median_ms(run: Callable[[], object], runs: int) -> float:
    run()  # warm: imports, the calendar, SQLite's page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    path = options.dir / f"desk-{options.cases}.sqlite3"
    if not path.exists():
        print(f"building {path} ({options.cases:,} cases)...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "complaints_tui", "--db", str(path), "--today",
             TODAY.isoformat(), "demo", "--cases", str(options.cases)],
            check=True, cwd=ROOT,
        )  # fmt: skip

    from docx import Document

    from complaints_tui.services import letters
    from complaints_tui.services.context import Context
    from complaints_tui.services.lists import deadline_groups
    from db.engine import make_engine

    ctx = Context(make_engine(path), actor="J. Bennett", clock=lambda: TODAY)
    officer = "J. Bennett"
    raw = sqlite3.connect(path)

    def floor_count() -> object:
        return raw.execute(
            "SELECT count(*) FROM stages JOIN cases ON cases.id = stages.case_id "
            "WHERE stages.status = 'open' AND cases.officer = ?",
            (officer,),
        ).fetchone()

    reference = raw.execute(
        "SELECT reference FROM cases JOIN stages ON stages.case_id = cases.id "
        "WHERE stages.status = 'open' AND stages.procedure = 'statutory' LIMIT 1"
    ).fetchone()[0]
    out = Path(tempfile.mkdtemp()) / "letter.docx"
    empty = Path(tempfile.mkdtemp()) / "empty.docx"

    def letter() -> object:
        draft = letters.prepare(ctx, reference, "acknowledgement")
        return letters.write(ctx, draft, out)

    figures = [
        ("deadline groups, whole team", median_ms(lambda: deadline_groups(ctx), options.runs)),
        (
            "deadline groups, mine + team",
            median_ms(lambda: deadline_groups(ctx, officer=officer), options.runs),
        ),
        ("floor: raw sqlite3 count of my open stages", median_ms(floor_count, options.runs)),
        ("acknowledgement letter prepared + written", median_ms(letter, options.runs)),
        (
            "floor: python-docx saves an empty document",
            median_ms(lambda: Document().save(str(empty)), options.runs),
        ),
    ]
    print(f"{options.cases:,} cases, median of {options.runs} runs")
    for name, ms in figures:
        print(f"  {name:<46} {ms:8.1f} ms")
    team, mine, floor = figures[0][1], figures[1][1], figures[2][1]
    print(
        f"  mine + team / team alone: {mine / team:.2f}x; mine + team / floor: {mine / floor:.1f}x"
    )
    print(f"  letter / empty document: {figures[3][1] / figures[4][1]:.1f}x")


if __name__ == "__main__":
    main()
