"""The export's rule columns stored on each stage (working days taken, acknowledgement due):
written with the clock by every write path, and worked out again when the policy changes or
a database was just upgraded, so the export, which reads them, writes what the rules say."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import text

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.clocks import acknowledgement_due, working_days_taken
from complaints_tui.domain.policy import Policy
from complaints_tui.services import actions as a
from complaints_tui.services import demo
from complaints_tui.services.context import Context
from complaints_tui.services.exporter import export_file
from complaints_tui.services.store import follow_policy
from tests.services.test_export_rows import expected_rows

TODAY = date(2026, 11, 23)


def stored(ctx: Context) -> dict[int, tuple[int | None, date | None]]:
    """Each stage's stored rule columns, as dates (SQLite stores ISO text)."""
    with ctx.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, days_taken, acknowledgement_due FROM stages"))
        return {
            sid: (taken, date.fromisoformat(ack) if isinstance(ack, str) else ack)
            for sid, taken, ack in rows
        }


def by_the_rules(ctx: Context) -> dict[int, tuple[int | None, date | None]]:
    """Each stage's rule columns worked out from its stored record and the policy in force."""
    with ctx.engine.connect() as conn:
        stops: dict[int, list[tuple[date, date | None]]] = {}
        for sid, start, end in conn.execute(
            text('SELECT stage_id, start, "end" FROM suspensions ORDER BY id')
        ):
            stops.setdefault(sid, []).append((_day(start), _day(end)))
        out = {}
        for sid, procedure, received, start, responded in conn.execute(
            text("SELECT id, procedure, received, clock_start, responded FROM stages")
        ):
            taken = None
            if responded is not None:
                taken = working_days_taken(
                    ctx.cal, _day(start), _day(responded), tuple(stops.get(sid, ()))
                )
            ack = acknowledgement_due(procedure, _day(received), ctx.policy, ctx.cal_for(procedure))
            out[sid] = (taken, ack)
        return out


def _day(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


def test_officer_actions_store_the_days_taken_and_the_acknowledgement_due(
    ctx: Context,
) -> None:
    ref = a.log_case(
        ctx, procedure="statutory", received=date(2026, 11, 2), summary="Assessment delayed"
    ).reference
    mp = a.log_case(ctx, procedure="mp", received=date(2026, 11, 2)).reference
    first = stored(ctx)
    assert sorted(first.values(), key=str) == sorted(
        [(None, date(2026, 11, 5)), (None, None)], key=str
    )  # Mon 2 Nov + 3 working days; an MP's enquiry needs no acknowledgement
    a.suspend(ctx, ref, reason="Complainant away", start=date(2026, 11, 9))
    a.resume(ctx, ref, on=date(2026, 11, 12))
    a.respond(ctx, ref, outcome="upheld", on=date(2026, 11, 20))
    a.respond(ctx, mp, outcome="upheld", on=date(2026, 11, 4))
    now = stored(ctx)
    assert now == by_the_rules(ctx)
    # 2 Nov to 20 Nov is 14 working days; the clock stood still on 9-11 Nov (3 of them)
    assert sorted(v[0] for v in now.values()) == [2, 11]


def test_the_columns_follow_a_change_of_policy_on_closed_stages_too(engine, tmp_path: Path) -> None:
    before = Context(engine, calendar=WorkingCalendar(), actor="Test Officer", clock=lambda: TODAY)
    demo.fill(before, 200, seed=5)
    follow_policy(before)
    assert stored(before) == by_the_rules(before)
    # Closure days over weeks the demo's stages answered in, and a longer acknowledgement:
    # the days taken and the acknowledgement's due day of closed stages change as well.
    closures = tuple(date(2026, 3, d) for d in range(2, 28))
    policy = replace(Policy(), closure_days=closures, acknowledgement=5)
    after = Context(engine, policy=policy, actor="Test Officer", clock=lambda: TODAY)
    was = stored(before)
    follow_policy(after)
    now = stored(after)
    assert now == by_the_rules(after)
    assert sum(was[sid][0] != now[sid][0] for sid in now) > 0
    assert sum(was[sid][1] != now[sid][1] for sid in now) > 100
    path = tmp_path / "export.csv"
    export_file(after, path)
    with path.open(newline="", encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == expected_rows(after)


def test_columns_never_worked_out_are_filled_before_an_export(engine, tmp_path: Path) -> None:
    # As a database just upgraded to schema 15 is: the columns empty, no policy recorded
    # for them; the export works them out first.
    ctx = Context(engine, calendar=WorkingCalendar(), actor="Test Officer", clock=lambda: TODAY)
    demo.fill(ctx, 150, seed=7)
    want = stored(ctx)
    assert want == by_the_rules(ctx)  # the bulk store wrote them
    with engine.begin() as conn:
        conn.execute(text("UPDATE stages SET days_taken = NULL, acknowledgement_due = NULL"))
        conn.execute(text("DELETE FROM meta WHERE key = 'stage_days'"))
    path = tmp_path / "export.csv"
    export_file(ctx, path)
    assert stored(ctx) == want
    with path.open(newline="", encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == expected_rows(ctx)
