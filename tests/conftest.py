"""Shared fixtures: a real SQLite file in tmp_path and a fixed 'today'."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.services.context import Context
from db.engine import make_engine

TODAY = date(2026, 11, 23)
"""A Monday; every test that depends on 'today' uses this."""

_CALENDAR = WorkingCalendar()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "complaints.sqlite3"


@pytest.fixture
def engine(db_path: Path) -> Engine:
    engine = make_engine(db_path)
    yield engine
    engine.dispose()


TEAM = ("Test Officer", "R. Okafor")
"""The officers on the team's list in every test database (assignment picks from it)."""


def with_team(ctx: Context) -> Context:
    from complaints_tui.services.officers import add_officer

    for name in TEAM:
        add_officer(ctx, name)
    return ctx


@pytest.fixture
def ctx(engine: Engine) -> Context:
    return with_team(Context(engine, calendar=_CALENDAR, actor="Test Officer", clock=lambda: TODAY))
