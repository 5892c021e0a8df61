"""The report benchmark's floors and timing helpers: raw sqlite3 reading the rows the report
reads, and the main aggregates as plain GROUP BYs (see report.py, which prints them)."""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from complaints_tui.domain.report import period_of
from db.tables import Stage


def timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, list[float], list[float]]:
    """The result, and wall and CPU seconds of each run."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return result, walls, cpus


def line(name: str, walls: list[float], cpus: list[float], note: str = "") -> None:
    ms = [1000 * x for x in walls]
    print(
        f"  {name:<42} wall best {min(ms):7.0f} ms  median {statistics.median(ms):7.0f} ms"
        f"  cpu best {1000 * min(cpus):7.0f} ms  {note}"
    )


_STAGE_COLS = (
    "s.id, s.case_id, s.procedure, s.number, s.received, s.clock_start, s.due, s.timescale, "
    "s.extended_to, s.responded, s.outcome, s.decision, s.status, s.closed_on, s.fixed_due, "
    "s.panel_date, s.panel_report_date, s.extension_agreed, s.acknowledged, s.request_date, "
    "c.id, c.procedure, c.complainant_type, c.advocate_involved, c.advocate, c.channel, "
    "c.division, c.service, c.duty_category, c.repeat_complainant, c.reopened_count, "
    "c.child_statuses"
)


def read_floor(con: sqlite3.Connection, year: int, as_at: date) -> int:
    """Raw sqlite3 reading the rows the report reads for one year: its stages with their
    cases, those carried in and later stages, the year's themes, clock stops, remedies and
    learning, and the earlier years' counts. Returns the rows read."""
    start, end = period_of(year)
    cutoff = min(end, as_at).isoformat()
    start_s = start.isoformat()
    in_year = "s.received BETWEEN :start AND :cutoff"
    carried = (
        "(s.received < :start AND s.procedure != 'compliment' AND "
        "(coalesce(s.responded, s.closed_on) IS NULL OR coalesce(s.responded, s.closed_on) "
        ">= :start))"
    )
    later = "(s.received > :cutoff AND s.received <= :as_at AND s.number > 1)"
    args = {
        "start": start_s,
        "cutoff": cutoff,
        "as_at": as_at.isoformat(),
        "history": date(year - 6, 4, 1).isoformat(),
    }
    n = 0
    base = f"SELECT {_STAGE_COLS} FROM stages s LEFT JOIN cases c ON c.id = s.case_id WHERE "
    for where in (in_year, carried, later):
        n += len(con.execute(base + where, args).fetchall())
    n += len(
        con.execute(
            "SELECT t.case_id, t.theme, t.theme_key FROM case_themes t WHERE t.case_id IN "
            f"(SELECT s.case_id FROM stages s WHERE {in_year} AND s.procedure IN "
            "('corporate', 'lgsco', 'statutory'))",
            args,
        ).fetchall()
    )
    for table, cols in (
        ("suspensions", "x.stage_id, x.start, x.end"),
        ("remedies", "x.stage_id, x.kind, x.amount_pence"),
        ("learning_actions", "x.stage_id, x.status, x.due, x.completed_on, x.text, x.owner"),
    ):
        n += len(
            con.execute(
                f"SELECT {cols} FROM {table} x JOIN stages s ON s.id = x.stage_id "
                f"WHERE {in_year} OR {carried}",
                args,
            ).fetchall()
        )
    n += len(
        con.execute(
            "SELECT procedure, number, received, count(*) FROM stages WHERE received >= "
            ":history AND received < :start AND (decision IS NULL OR decision != 'refused') "
            "GROUP BY procedure, number, received",
            args,
        ).fetchall()
    )
    return n


def plain_sql(path: Path, engine: Engine, year: int, as_at: date, repeat: int) -> None:
    """The report's main aggregates as one GROUP BY each."""
    start, end = period_of(year)
    cutoff = min(end, as_at)
    raw = [
        (
            "received by stage and month",
            "SELECT procedure, number, substr(received, 1, 7), count(*) FROM stages "
            "WHERE received BETWEEN ? AND ? AND (decision IS NULL OR decision != 'refused') "
            "GROUP BY 1, 2, 3",
        ),
        (
            "on time by stage",
            "SELECT procedure, number, count(*), "
            "sum(CASE WHEN coalesce(responded, closed_on) <= due THEN 1 ELSE 0 END) "
            "FROM stages WHERE received BETWEEN ? AND ? GROUP BY 1, 2",
        ),
        (
            "outcomes by stage",
            "SELECT procedure, number, outcome, count(*) FROM stages "
            "WHERE received BETWEEN ? AND ? AND outcome IS NOT NULL GROUP BY 1, 2, 3",
        ),
    ]
    print("\nThe same aggregates as plain SQL (one GROUP BY each)")
    total_w: list[float] = [0.0] * repeat
    total_c: list[float] = [0.0] * repeat
    con = sqlite3.connect(path)
    dates = (start.isoformat(), cutoff.isoformat())
    for name, sql in raw:
        _, w, c = timed(partial(lambda q: con.execute(q, dates).fetchall(), sql), repeat)
        total_w = [a + b for a, b in zip(total_w, w, strict=True)]
        total_c = [a + b for a, b in zip(total_c, c, strict=True)]
        line(f"raw sqlite3: {name}", w, c)
    line("raw sqlite3: all three", total_w, total_c)
    con.close()

    s = Stage.__table__.c  # type: ignore[attr-defined]
    in_year = s.received.between(start, cutoff)
    answered = func.coalesce(s.responded, s.closed_on)
    core = [
        (
            "received by stage and day",
            select(s.procedure, s.number, s.received, func.count())
            .where(in_year)
            .group_by(s.procedure, s.number, s.received),
        ),
        (
            "on time by stage",
            select(s.procedure, s.number, func.count(), func.count(answered <= s.due))
            .where(in_year)
            .group_by(s.procedure, s.number),
        ),
        (
            "outcomes by stage",
            select(s.procedure, s.number, s.outcome, func.count())
            .where(in_year, s.outcome.is_not(None))
            .group_by(s.procedure, s.number, s.outcome),
        ),
    ]
    total_w = [0.0] * repeat
    total_c = [0.0] * repeat
    with engine.connect() as conn:
        for name, query in core:
            _, w, c = timed(partial(lambda q: conn.execute(q).all(), query), repeat)
            total_w = [a + b for a, b in zip(total_w, w, strict=True)]
            total_c = [a + b for a, b in zip(total_c, c, strict=True)]
            line(f"SQLAlchemy Core: {name}", w, c)
    line("SQLAlchemy Core: all three", total_w, total_c)
