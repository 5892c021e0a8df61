"""The report's facts read through the driver's cursor: the same values, of the same types,
as SQLAlchemy's own result rows give, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.policy import Policy
from complaints_tui.domain.report import (
    CaseFact,
    LearningFact,
    RemedyFact,
    SuspensionFact,
    build_report,
)
from complaints_tui.domain.report_columns import StageTable
from complaints_tui.domain.report_publish import finish
from complaints_tui.services import report_typed
from complaints_tui.services.report import _CASES, _STAGES, _columns, load_facts, year_report
from db.engine import make_engine

from . import scenario
from .test_service import store


def _check(target: str, calendar: WorkingCalendar, policy: Policy) -> None:
    facts = scenario.facts(calendar)
    store(target, facts)  # type: ignore[arg-type]
    engine = make_engine(target)
    stmt = select(_STAGES, _CASES).select_from(
        _STAGES.outerjoin(_CASES, _CASES.c.id == _STAGES.c.case_id)
    )
    with engine.connect() as conn:
        want = [tuple(r) for r in conn.execute(stmt).all()]
        got = list(zip(*_columns(conn, stmt, {}), strict=True))
    assert got == want
    # equal is not enough: a date must be a date (not '2023-05-02'), a flag a bool (not 1)
    assert [[type(v) for v in r] for r in got] == [[type(v) for v in r] for r in want]
    loaded = load_facts(engine, year=scenario.YEAR, as_at=scenario.AS_AT)
    assert sorted(loaded.stages) == sorted(
        s for s in facts.stages if s.id in {x.id for x in loaded.stages}
    )
    report = year_report(
        engine,
        year=scenario.YEAR,
        as_at=scenario.AS_AT,
        policy=policy,
        calendar=calendar,
        compare=False,
    )
    from_facts = finish(
        build_report(
            facts, year=scenario.YEAR, as_at=scenario.AS_AT, policy=policy, calendar=calendar
        ),
        None,
        {},
    )
    # the register's partial first year is only known to the database (test_service)
    tables = [t for t in report.tables if t.id != "received_by_year"]
    assert tables == [t for t in from_facts.tables if t.id != "received_by_year"]
    engine.dispose()


def test_sqlite_values_come_back_typed(
    new_db: Callable[..., str], calendar: WorkingCalendar, policy: Policy
) -> None:
    _check(new_db(), calendar, policy)


@pytest.mark.parametrize("block", [1, 4])
def test_read_a_few_rows_at_a_time_the_values_are_the_same(
    new_db: Callable[..., str],
    calendar: WorkingCalendar,
    policy: Policy,
    monkeypatch: pytest.MonkeyPatch,
    block: int,
) -> None:
    # the rows are typed a block at a time: the scenario's stages, carried-in ones and
    # their clock stops and remedies, crossing many blocks' edges, read the same
    monkeypatch.setattr(report_typed, "_BLOCK", block)
    _check(new_db(), calendar, policy)


def test_each_distinct_text_is_read_once(
    new_db: Callable[..., str], calendar: WorkingCalendar
) -> None:
    # every count of procedures, outcomes and services looks at each text; read as one
    # object per distinct text, tens of thousands of stages count several times faster
    target = new_db()
    store(target, scenario.facts(calendar))  # type: ignore[arg-type]
    engine = make_engine(target)
    stmt = select(_STAGES.c.procedure, _STAGES.c.status, _CASES.c.service).select_from(
        _STAGES.outerjoin(_CASES, _CASES.c.id == _STAGES.c.case_id)
    )
    with engine.connect() as conn:
        columns = _columns(conn, stmt, {})
    engine.dispose()
    for texts in columns:
        assert len(texts) > len(set(texts)) > 1
        assert len({id(t) for t in texts}) == len(set(texts))


@pytest.mark.postgresql
def test_postgresql_values_come_back_typed(
    new_db: Callable[..., str], calendar: WorkingCalendar, policy: Policy
) -> None:
    _check(new_db(), calendar, policy)


@pytest.mark.parametrize("as_at", [scenario.AS_AT, date(2024, 1, 15)])
def test_stages_given_as_columns_count_as_the_same_stages_given_as_rows(
    calendar: WorkingCalendar, policy: Policy, as_at: date
) -> None:
    facts = scenario.facts(calendar)
    cases = {c.id: c for c in facts.cases}
    blank = (None,) * len(CaseFact._fields)
    table = StageTable(
        list(zip(*facts.stages, strict=True)),
        list(zip(*(cases.get(s.case_id, blank) for s in facts.stages), strict=True)),
    )
    # stages received after the as-at date are in the columns, and must be left out
    assert max(s.received for s in facts.stages) > as_at
    assert list(table) == list(facts.stages)
    assert sorted(table.case_facts()) == sorted(facts.cases)
    as_columns = replace(facts, stages=table, cases=table.case_facts())
    for basis in ("received", "concluded"):
        kw = {"year": scenario.YEAR, "as_at": as_at, "policy": policy, "calendar": calendar}
        want = build_report(facts, basis=basis, **kw).to_dict()
        assert build_report(as_columns, basis=basis, **kw).to_dict() == want


def test_a_carried_in_stages_remedy_and_clock_stop_are_read_on_the_concluded_basis(
    tmp_path: Path, calendar: WorkingCalendar, policy: Policy
) -> None:
    # stage 101 was received the year before and answered in this one; its remedy, clock
    # stop and learning action are read by its id, not by the year's dates
    base = scenario.facts(calendar)
    facts = replace(
        base,
        remedies=[*base.remedies, RemedyFact(101, "payment", 12345)],
        suspensions=[*base.suspensions, SuspensionFact(101, date(2023, 3, 22), date(2023, 3, 24))],
        learning=[*base.learning, LearningFact(101, "open", date(2024, 2, 1), None, "Call back")],
    )
    store(tmp_path / "t.sqlite3", facts)
    engine = make_engine(tmp_path / "t.sqlite3")
    loaded = load_facts(engine, year=scenario.YEAR, as_at=scenario.AS_AT)
    assert RemedyFact(101, "payment", 12345) in loaded.remedies
    assert SuspensionFact(101, date(2023, 3, 22), date(2023, 3, 24)) in loaded.suspensions
    assert [a.text for a in loaded.learning if a.stage_id == 101] == ["Call back"]
    kw = {"year": scenario.YEAR, "as_at": scenario.AS_AT, "policy": policy, "calendar": calendar}
    got = year_report(engine, basis="concluded", compare=False, **kw)
    want = finish(build_report(facts, basis="concluded", **kw), None, {})
    assert [t for t in got.tables if t.id != "received_by_year"] == [
        t for t in want.tables if t.id != "received_by_year"
    ]
    # the payment on the carried-in stage is in the year's remedies when counted concluded
    without = finish(build_report(base, basis="concluded", **kw), None, {})
    paid = got.table("remedies").cell("payment", "amount")
    assert paid == without.table("remedies").cell("payment", "amount") + 123.45
    engine.dispose()
