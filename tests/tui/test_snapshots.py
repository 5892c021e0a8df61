"""Snapshots of the main screens at a fixed size, date and clock.

Regenerate after an intended change with ``pytest tests/tui --snapshot-update`` and look at
the SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update
from sqlmodel import Session
from textual.pilot import Pilot

from complaints_tui.services import actions
from complaints_tui.services.context import Context
from complaints_tui.tui.app import ComplaintsApp
from db.tables import Event

from .conftest import office, settle


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Timeline times are shown in local time: pin it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def app(ctx: Context, utc: None) -> ComplaintsApp:
    office(ctx)
    for n, (who, summary) in enumerate(
        [
            ("Kelly Taylor", "Delay in issuing the EHCP beyond the 20-week timescale"),
            ("Office of Jane Doe MP", "Asks why the family's assessment is late"),
        ]
    ):
        actions.log_contact(
            ctx,
            who=who,
            channel="email",
            service="SEND Assessment Team",
            summary=summary,
            received=date(2026, 11, 20 + n),
        )
    with Session(ctx.engine) as session:  # the timeline shows when: make it fixed
        session.execute(update(Event).values(at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC)))
        session.commit()
    return ComplaintsApp(ctx)


async def _quiet(pilot: Pilot) -> None:
    """Settled, without the opening line's notification: it times out after 10 seconds,
    which a loaded machine can reach before the picture is taken."""
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def _first_case(pilot: Pilot) -> None:
    await _quiet(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def _triage(pilot: Pilot) -> None:
    await _quiet(pilot)
    await pilot.press("2")
    await settle(pilot)


async def _deadlines(pilot: Pilot) -> None:
    await _quiet(pilot)
    await pilot.press("3")
    await settle(pilot)


async def _escalation(pilot: Pilot) -> None:
    await _quiet(pilot)
    await pilot.press("o", "o")  # every stage: the responded ones too
    await settle(pilot)
    await pilot.press("slash", *"Megan", "enter", "enter")
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)


async def _extend(pilot: Pilot) -> None:
    await _first_case(pilot)
    await pilot.press("x")
    await settle(pilot)


async def _letter(pilot: Pilot) -> None:
    await _first_case(pilot)
    await pilot.press("L")
    await settle(pilot)


def test_case_detail_at_80x24(snap_compare, app: ComplaintsApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(80, 24), run_before=_first_case)


def test_deadlines_at_80x24(snap_compare, app: ComplaintsApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(80, 24), run_before=_deadlines)


def test_letter_preview(snap_compare, app: ComplaintsApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(120, 35), run_before=_letter)


def test_letter_preview_at_80x24(snap_compare, app: ComplaintsApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(80, 24), run_before=_letter)


def test_case_list(snap_compare, app: ComplaintsApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(120, 35), run_before=_quiet)


def test_case_list_at_80x24(snap_compare, app: ComplaintsApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(80, 24), run_before=_quiet)


def test_case_detail(snap_compare, app: ComplaintsApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(120, 35), run_before=_first_case)


def test_triage(snap_compare, app: ComplaintsApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(120, 35), run_before=_triage)


def test_deadlines(snap_compare, app: ComplaintsApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(120, 35), run_before=_deadlines)


def test_escalation(snap_compare, app: ComplaintsApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(120, 35), run_before=_escalation)


def test_extend_form_at_80x24(snap_compare, app: ComplaintsApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=(80, 24), run_before=_extend)
