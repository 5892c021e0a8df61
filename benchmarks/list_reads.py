"""The case list's reads alone, each beside the same SQL run by the bare driver.

Used by ``benchmarks/tui.py`` for SQLite files and PostgreSQL URLs alike: for every
filter a keystroke can ask for, ``lists.open_listing`` (what a keystroke waits for,
without Textual's paint) is timed, and ``lists.find_cases`` (``find``, the palette) for a
few searches, its statements are recorded as they run, and the
floor is those very statements with their parameters replayed on the driver's own
connection (sqlite3 or psycopg) with every row fetched: what the database itself costs.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import event

TERMS_READ = (
    "ahmed",
    "smith delay",
    "smith de",
    "smith d",
    "2025-0042",
    "zoe",
    "202",
    "2025",
    "2025-0",
    "ct-",
)
SORTED_READ = ("2025", "2025-0", "smith delay", "ct-")
"""Searches read again under the received and reference sorts over closed and all stages:
a year matches a third of a million stages, ``ct-`` every one, two words a few hundred."""
FINDS = ("smith", "2025", "ct-", "2025-0042")
"""What ``find`` and the command palette are asked: a name, a year, every case, one case."""


@dataclass(frozen=True)
class Read:
    label: str
    ours: list[float]
    floor: list[float]


def filters() -> list[tuple[str, Any]]:
    from complaints_tui.services.lists import CaseFilter

    out: list[tuple[str, Any]] = [("open stages (launch list)", CaseFilter())]
    for scope in ("open", "all"):
        for term in TERMS_READ:
            out.append((f"search {term!r} ({scope})", CaseFilter(scope=scope, search=term)))
    out += [
        ("closed stages", CaseFilter(scope="closed")),
        ("all stages", CaseFilter(scope="all")),
        ("mine (open)", CaseFilter(mine=True)),
        ("mine (all)", CaseFilter(scope="all", mine=True)),
        ("mine (all) by received", CaseFilter(scope="all", mine=True, sort="received")),
        ("mine (all) by reference", CaseFilter(scope="all", mine=True, sort="reference")),
        ("all by received", CaseFilter(scope="all", sort="received")),
        ("all by reference", CaseFilter(scope="all", sort="reference")),
    ]
    for sort in ("received", "reference"):
        for scope in ("all", "closed"):
            for term in SORTED_READ:
                f = CaseFilter(scope=scope, search=term, sort=sort)
                out.append((f"{term!r} ({scope}) by {sort[:3]}", f))
    return out


def reads() -> list[tuple[str, Any]]:
    """Every read timed: each filter's ``open_listing``, then each ``find_cases``."""
    from complaints_tui.services.lists import find_cases, open_listing

    out: list[tuple[str, Any]] = [
        (label, lambda ctx, f=f: open_listing(ctx, f)) for label, f in filters()
    ]
    out += [(f"find {text!r}", lambda ctx, t=text: find_cases(ctx, t)) for text in FINDS]
    return out


def measure(target: str, actor: str, today: str, runs: int = 5, only: str = "") -> list[Read]:
    """Each read's times and its floor's; ``only``: the reads whose label holds it."""
    from complaints_tui.services.context import Context
    from complaints_tui.services.lists import open_listing
    from db.engine import make_engine

    engine = make_engine(target)
    ctx = Context(engine, actor=actor, clock=lambda: date.fromisoformat(today))
    seen: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    open_listing(ctx, filters()[0][1])  # connect and warm the caches, untimed
    out = []
    for label, read in reads():
        if only not in label:
            continue
        ours, floor = [], []
        for _ in range(runs):
            seen.clear()
            started = time.perf_counter()
            read(ctx)
            ours.append(time.perf_counter() - started)
            statements = list(seen)
            raw = engine.raw_connection()
            try:
                started = time.perf_counter()
                for statement, parameters in statements:
                    cursor = raw.cursor()
                    cursor.execute(statement, parameters)
                    cursor.fetchall()
                    cursor.close()
                floor.append(time.perf_counter() - started)
                raw.rollback()
            finally:
                raw.close()
        out.append(Read(label, ours, floor))
    engine.dispose()
    return out


def main() -> int:
    """Only the list reads, for one database or more (copies: a first open may upgrade)."""
    import argparse
    import sys
    from pathlib import Path

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("targets", nargs="+", help="SQLite files or PostgreSQL URLs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="only the reads whose label holds this")
    options = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import tui

    ok = True
    for target in options.targets:
        stages = tui._sizes(target)[0]
        limit = 0.150 if stages <= 200_000 else 0.250
        print(f"{target}: {stages:,} stages (target < {limit * 1000:.0f} ms), medians:")
        ok &= report(measure(target, tui.OFFICER, tui.TODAY, options.runs, options.only), limit)
    return 0 if ok else 1


def report(reads: list[Read], target_s: float) -> bool:
    """Print the table; True when every median is under the target."""
    ok = True
    for r in reads:
        ours, floor = statistics.median(r.ours), statistics.median(r.floor)
        verdict = "ok" if ours < target_s else "OVER"
        ok &= verdict == "ok"
        print(
            f"    {r.label:<32} median {ours * 1000:5.0f} ms (max {max(r.ours) * 1000:5.0f})"
            f"   same SQL, bare driver {floor * 1000:5.0f} ms"
            f"   {ours / floor if floor else float('nan'):4.1f}x  {verdict}"
        )
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
