"""Benchmark: the annual report for one year, beside floors measured in the same run.

    .venv/bin/python benchmarks/report.py [--db PATH] [--cases 100000] [--year 2025]

Without an existing --db it first runs ``complaints-tui --db PATH demo --cases N``. It
prints wall and CPU times (best and median of --repeat runs) for: the whole report on
both counting bases (this year and the year before, as the report prints them), each
half, suppression and the four renderers (PDF included); then two floors - raw sqlite3
reading the same rows the report reads (both years), and the main aggregates as one
GROUP BY each - and the ratio of the whole report to each; then the real app's memory
(RSS) before and after its Report screen shows two years, with the report counted in a
child process (as the app does) and, for comparison, in the app's own process
(``--memory`` for those figures alone). Not a test: numbers to note.

The whole report's runs and the floor's take turns (a run of each per round), so a load
that drifts on a shared machine meets them alike; the ratios are also given paired by
round (each round's report over the same round's floor, the median of the rounds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report_floor import line, plain_sql, read_floor, timed  # noqa: E402

from complaints_tui.domain.calendar import WorkingCalendar  # noqa: E402
from complaints_tui.domain.policy import Policy  # noqa: E402
from complaints_tui.domain.report import (  # noqa: E402
    build_report,
    financial_year,
    period_of,
    year_label,
)
from complaints_tui.domain.report_publish import previous_as_at  # noqa: E402
from complaints_tui.report.html import to_html  # noqa: E402
from complaints_tui.report.json import to_json  # noqa: E402
from complaints_tui.report.pdf import to_pdf  # noqa: E402
from complaints_tui.report.suppress import suppress  # noqa: E402
from complaints_tui.report.text import to_text  # noqa: E402
from complaints_tui.services.bulk_gc import fewer_collections  # noqa: E402
from complaints_tui.services.report import load_facts, year_report  # noqa: E402
from db.engine import database_url, make_engine  # noqa: E402
from db.tables import Stage  # noqa: E402


def ensure_database(path: Path, cases: int, today: str | None) -> None:
    if path.exists():
        return
    exe = shutil.which("complaints-tui", path=str(Path(sys.executable).parent)) or shutil.which(
        "complaints-tui"
    )
    if exe is None:
        sys.exit("complaints-tui is not installed: run `make` or `pip install -e .` first")
    command = [exe, "--db", str(path)]
    if today:
        command += ["--today", today]
    command += ["demo", "--cases", str(cases)]
    print(f"Creating {path} with {cases:,} demo cases: {' '.join(command)}")
    started = time.perf_counter()
    done = subprocess.run(command, check=False)
    if done.returncode != 0:
        sys.exit(f"the demo command failed (exit {done.returncode}); is `demo` available?")
    print(f"  created in {time.perf_counter() - started:.0f} s")


def busiest_complete_year(engine: Engine, today: date) -> int:
    """The latest financial year that is over and has stages."""
    stages = Stage.__table__.c  # type: ignore[attr-defined]
    with engine.connect() as conn:
        last = conn.execute(select(func.max(stages.received))).scalar()
    if last is None:
        sys.exit("the database holds no stages")
    return min(financial_year(last), financial_year(today) - 1)


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for text in status:
            if text.startswith("VmRSS:"):
                return int(text.split()[1]) / 1024
    return 0.0


async def _screen_memory(path: Path, today: date, in_process: bool) -> dict[str, float]:
    """The real app, headless: its RSS with the case list painted, then after the Report
    screen has shown the last complete year, then the year before (and back)."""
    import complaints_tui.tui.screens.report_build as report_screen
    from complaints_tui.services.context import Context
    from complaints_tui.tui.app import ComplaintsApp

    if in_process:  # the way it was: counted in the app's own process
        report_screen.year_report_apart = (  # type: ignore[assignment]
            lambda engine, *, cancelled, **kw: year_report(engine, **kw)
        )
    engine = make_engine(path)
    app = ComplaintsApp(Context(engine, clock=lambda: today))
    out: dict[str, float] = {}

    async def shown(pilot: Any, year: int) -> None:
        deadline = time.perf_counter() + 600
        while time.perf_counter() < deadline:
            built = getattr(app.screen, "shown", None)
            if built is not None and built.report.year == year:
                return
            await pilot.pause(0.05)
        raise SystemExit(f"the Report screen never showed {year_label(year)}")

    async with app.run_test(size=(120, 40)) as pilot:
        # the list painted: every worker done (one the app cancelled, e.g. a poll
        # replaced by a newer one, is done too)
        deadline = time.perf_counter() + 600
        while any(not w.is_finished for w in app.workers):
            if time.perf_counter() > deadline:
                raise SystemExit("the case list never finished loading")
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        out["app"] = _rss_mb()
        year = financial_year(today) - 1
        await pilot.press("4")
        await shown(pilot, year)
        out["report shown"] = _rss_mb()
        await pilot.press("left_square_bracket")
        await shown(pilot, year - 1)
        await pilot.press("right_square_bracket")
        await shown(pilot, year)
        out["two years shown"] = _rss_mb()
    engine.dispose()
    return out


def screen_memory(path: Path, today: date) -> None:
    """The Report screen's memory, each way in a fresh process of its own (a clean RSS),
    on main()'s copy of the database."""
    print("\nThe Report screen's memory (the real app, headless; RSS in MB)")
    for how in ("child", "in-process"):
        command = [sys.executable, __file__, "--db", str(path), "--today", today.isoformat()]
        done = subprocess.run(
            [*command, "--memory-child", how], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            print(f"  {how}: failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        mb = json.loads(done.stdout.strip().splitlines()[-1])
        grew = mb["two years shown"] - mb["app"]
        note = "  <- target: at most 50 MB" if how == "child" else "  (before: for comparison)"
        print(
            f"  counted {how + ':':<12} app {mb['app']:5.0f}, report shown "
            f"{mb['report shown']:5.0f}, two years shown {mb['two years shown']:5.0f}: "
            f"grew {grew:4.0f} MB{note}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # under db/, where .gitignore already keeps SQLite files out of the repository
    parser.add_argument("--db", default=str(ROOT / "db" / "report-benchmark.sqlite3"))
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--year", type=int, help="default: the latest complete year")
    parser.add_argument("--today", help="the demo's and the report's today (YYYY-MM-DD)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--memory", action="store_true", help="only the Report screen's memory (RSS) figures"
    )
    parser.add_argument(
        "--ratio-only",
        action="store_true",
        help="only the whole report (both bases) and its floor: quicker at 1,000,000 stages",
    )
    parser.add_argument("--memory-child", choices=("child", "in-process"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        today = date.fromisoformat(args.today)
        figures = asyncio.run(_screen_memory(Path(args.db), today, args.memory_child != "child"))
        print(json.dumps(figures))
        return

    given = Path(args.db).expanduser()
    ensure_database(given, args.cases, args.today)
    # Everything runs on a copy: opening a database of an older schema upgrades it, and
    # the app writes to what it opens; the database given is only read.
    folder = tempfile.TemporaryDirectory(prefix="report-bench-")
    path = Path(folder.name) / given.name
    shutil.copyfile(given, path)
    today = date.fromisoformat(args.today) if args.today else date.today()
    policy = Policy()
    calendar = WorkingCalendar(policy.closure_days)
    engine = make_engine(path)
    year = args.year if args.year is not None else busiest_complete_year(engine, today)
    as_at = today
    if args.memory:
        screen_memory(path, today)
        return

    with engine.connect() as conn:
        stages = Stage.__table__.c  # type: ignore[attr-defined]
        n_all = conn.execute(select(func.count()).select_from(Stage.__table__)).scalar()  # type: ignore[attr-defined]
        start, end = period_of(year)
        n_year = conn.execute(
            select(func.count()).where(stages.received.between(start, end))
        ).scalar()
    url = make_url(database_url(path))
    label = year_label(year)
    print(
        f"Database {given} (a copy at {url.database}): {n_all:,} stages, "
        f"{n_year:,} received in {label}"
    )
    print(f"Report for {label} as at {as_at}, best and median of {args.repeat}\n")

    # The floor and both bases take turns, a run of each per round: on a shared machine the
    # load drifts, and runs of one kind all together would meet a different load.
    con = sqlite3.connect(path)
    before = previous_as_at(year, as_at)
    whole: dict[str, list[float]] = {"received": [], "concluded": []}
    whole_cpu: dict[str, list[float]] = {"received": [], "concluded": []}
    fw: list[float] = []
    fc: list[float] = []
    rows = 0
    for _ in range(args.repeat):
        rows, w, c = timed(
            lambda: read_floor(con, year, as_at) + read_floor(con, year - 1, before), 1
        )
        fw += w
        fc += c
        for basis in whole:
            report, w, c = timed(
                lambda b=basis: year_report(  # type: ignore[misc]
                    engine, year=year, as_at=as_at, policy=policy, calendar=calendar, basis=b
                ),
                1,
            )
            whole[basis] += w
            whole_cpu[basis] += c
            del report
    con.close()
    for basis in whole:
        line(f"whole report, {basis} basis (both years)", whole[basis], whole_cpu[basis])
    if not args.ratio_only:
        report = year_report(engine, year=year, as_at=as_at, policy=policy, calendar=calendar)
        _, w, c = timed(
            lambda: year_report(
                engine, year=year, as_at=as_at, policy=policy, calendar=calendar, compare=False
            ),
            args.repeat,
        )
        line("  this year alone (no year before)", w, c)
        # The halves as year_report runs them: with the cycle collector paused.
        with fewer_collections(pause=True):
            facts, w, c = timed(lambda: load_facts(engine, year=year, as_at=as_at), args.repeat)
            line("  reading the facts (Core selects)", w, c, f"{len(facts.stages):,} stages read")
            _, w, c = timed(
                lambda: build_report(
                    facts, year=year, as_at=as_at, policy=policy, calendar=calendar
                ),
                args.repeat,
            )
            line("  computing the tables (domain)", w, c)
        published, w, c = timed(lambda: suppress(report, 5), args.repeat)
        line("suppression below 5", w, c)
        for name, render in (("text", to_text), ("html", to_html), ("json", to_json)):
            out, w, c = timed(partial(render, published), args.repeat)
            line(f"render {name}", w, c, f"{len(out):,} characters")
        pdf, w, c = timed(partial(to_pdf, published), max(1, args.repeat // 2))
        line("render pdf", w, c, f"{len(pdf):,} bytes  <- target: under 5 s")

    print("\nFloor: raw sqlite3 reading the same rows (this year and the year before)")
    line("raw sqlite3: the report's rows, both years", fw, fc, f"{rows:,} rows")
    floor, floor_cpu = statistics.median(fw), min(fc)
    for basis, w in whole.items():
        ratio = statistics.median(w) / floor
        cpu = min(whole_cpu[basis]) / floor_cpu
        # the same round's report over the same round's floor, the median of the rounds
        paired = statistics.median(a / b for a, b in zip(w, fw, strict=True))
        print(
            f"  ratio, whole report ({basis}) / floor: wall {ratio:.2f}x (paired by round "
            f"{paired:.2f}x), cpu {cpu:.2f}x"
            "  <- target: at most 2x (cpu is the fairer figure on a busy machine)"
        )

    if args.ratio_only:
        engine.dispose()
        return
    plain_sql(path, engine, year, as_at, args.repeat)
    engine.dispose()
    screen_memory(path, today)


if __name__ == "__main__":
    main()
