"""Pilot tests run the real app on a real SQLite file with today fixed at Mon 23/11/2026."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from complaints_tui.services import actions
from complaints_tui.services.context import Context
from db.engine import make_engine
from tests.conftest import with_team

TODAY = date(2026, 11, 23)
"""A Monday, clear of bank holidays for the next four weeks."""


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Context]:
    engine = make_engine(tmp_path / "complaints.sqlite3")
    yield with_team(Context(engine, actor="Test Officer", clock=lambda: TODAY))
    engine.dispose()


async def settle(pilot: Pilot) -> None:
    """Wait until every worker has finished and its messages have been handled.

    A worker's result can start another (a save, then the screen's reload), later on a
    busy machine: at least four rounds, and then until two rounds in a row find no
    worker still going (for at most 30 s)."""
    deadline = time.monotonic() + 30
    rounds = quiet = 0
    while (rounds < 4 or quiet < 2) and time.monotonic() < deadline:
        await pilot.pause()
        going = [w for w in pilot.app.workers if not w.is_finished]
        for worker in going:
            # one replaced by a newer one (a poll, a year asked for) has finished too
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
        rounds += 1
        quiet = 0 if going else quiet + 1
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


@dataclass(frozen=True)
class Office:
    """The references of a small, hand-made caseload (see ``office``)."""

    overdue: str
    due_today: str
    this_week: str
    next_week: str
    later: str
    stopped: str
    responded: str
    corporate_responded: str


def office(ctx: Context) -> Office:
    """Cases whose due dates fall in each deadline group, counted by hand:
    statutory and corporate Stage 1 are 10 working days from receipt."""

    def log(procedure: str, received: date, name: str, summary: str, **kw: object) -> str:
        return actions.log_case(
            ctx,
            procedure=procedure,
            received=received,
            complainant_name=name,
            service="Lichfield - Early Help",
            division="Early Help",
            summary=summary,
            officer=kw.pop("officer", "Test Officer"),  # type: ignore[arg-type]
            **kw,  # type: ignore[arg-type]
        ).reference

    overdue = log("statutory", date(2026, 11, 2), "Sam Smith", "Late reply")  # due Mon 16/11
    due_today = log("corporate", date(2026, 11, 9), "Jo Khan", "Missed visit")  # due 23/11
    this_week = log("statutory", date(2026, 11, 12), "Tom Jones", "Delay")  # due Thu 26/11
    next_week = log("corporate", date(2026, 11, 17), "Zara Patel", "Attitude")  # due Tue 01/12
    later = log("mp", date(2026, 11, 23), "Liam Brown", "MP asks on behalf", officer="R. Okafor")
    stopped = log("statutory", date(2026, 11, 16), "Aisha Ahmed", "Needs an advocate")
    actions.suspend(ctx, stopped, reason="Awaiting an advocate", start=date(2026, 11, 20))
    responded = log("statutory", date(2026, 10, 19), "Megan Evans", "Assessment wrong")
    actions.respond(ctx, responded, outcome="not_upheld", on=date(2026, 11, 2))
    corporate = log("corporate", date(2026, 10, 26), "Ryan Clarke", "Payment late")
    actions.respond(
        ctx,
        corporate,
        outcome="upheld",
        on=date(2026, 11, 16),
        remedies=[("apology", None)],
        learning=[("Pay carers on time", "Finance manager", date(2026, 11, 30))],
    )
    return Office(overdue, due_today, this_week, next_week, later, stopped, responded, corporate)
