"""Build the annual report for a year: read the facts as column tuples, compute in domain.

Speed matters (a year of a 100,000-stage database in well under a second), so everything is
read with SQLAlchemy Core selects of plain columns - never ORM objects - one query per
table, and the earlier years of ``received_by_year`` come pre-counted by a GROUP BY.
The SQL is portable: no engine-specific functions, and all date arithmetic is in Python.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Engine, Table, and_, func, or_, select

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.policy import Policy
from complaints_tui.domain.report import (
    CaseFact,
    LearningFact,
    ReceivedCount,
    RemedyFact,
    Report,
    ReportFacts,
    StageFact,
    SuspensionFact,
    ThemeFact,
    build_report,
    period_of,
)
from complaints_tui.domain.vocab import STAGED_PROCEDURES
from db.tables import Case, CaseTheme, LearningAction, Remedy, Stage, Suspension

_STAGES: Table = Stage.__table__  # type: ignore[attr-defined]
_CASES: Table = Case.__table__  # type: ignore[attr-defined]
_SUSPENSIONS: Table = Suspension.__table__  # type: ignore[attr-defined]
_REMEDIES: Table = Remedy.__table__  # type: ignore[attr-defined]
_LEARNING: Table = LearningAction.__table__  # type: ignore[attr-defined]
_stages = _STAGES.c
_cases = _CASES.c
_themes = CaseTheme.__table__.c  # type: ignore[attr-defined]
_suspensions = _SUSPENSIONS.c
_remedies = _REMEDIES.c
_learning = _LEARNING.c

THEMED_PROCEDURES = frozenset({*STAGED_PROCEDURES, "lgsco"})
"""The report's theme tables cover complaints and the Ombudsman's enquiries only."""

_STAGE_COLUMNS = (
    _stages.id,
    _stages.case_id,
    _stages.procedure,
    _stages.number,
    _stages.received,
    _stages.clock_start,
    _stages.due,
    _stages.timescale,
    _stages.extended_to,
    _stages.responded,
    _stages.outcome,
    _stages.decision,
    _stages.status,
    _stages.closed_on,
    _stages.fixed_due,
    _stages.panel_date,
    _stages.panel_report_date,
)


_CASE_COLUMNS = (
    _cases.id,
    _cases.procedure,
    _cases.complainant_type,
    _cases.advocate_involved,
    _cases.advocate,
    _cases.channel,
    _cases.division,
    _cases.service,
    _cases.duty_category,
    _cases.repeat_complainant,
    _cases.reopened_count,
)

_CHUNK = 5000
"""Ids per IN list: well inside SQLite's and PostgreSQL's limits on bound parameters."""


def _in_scope(year: int, as_at: date) -> ColumnElement[bool]:
    """Which stages the report reads.

    The year's stages; those received earlier and still open at its start (carried
    forward); and later stages of the year's staged cases, up to the as-at date, to see
    which went on to Stage 2 or 3.

    ``coalesce(received, received)`` is ``received``, written so that the planner scans
    the table once instead of walking the received index for the years before: the
    carried-forward part has to look at every earlier stage anyway (whether it was still
    open is not indexed), and one sequential scan beats thousands of random reads.
    """
    start, end = period_of(year)
    cutoff = min(end, as_at)
    received = func.coalesce(_stages.received, _stages.received)
    answered = func.coalesce(_stages.responded, _stages.closed_on)
    in_year = received.between(start, cutoff)
    carried = and_(
        received < start,
        _stages.procedure != "compliment",
        or_(answered.is_(None), answered >= start),
    )
    year_cases = select(_stages.case_id).where(
        _stages.received.between(start, cutoff), _stages.procedure.in_(sorted(STAGED_PROCEDURES))
    )
    later = and_(
        _stages.received > cutoff,
        _stages.received <= as_at,
        _stages.number > 1,
        _stages.case_id.in_(year_cases),
    )
    return or_(in_year, carried, later)


def load_facts(engine: Engine, *, year: int, as_at: date) -> ReportFacts:
    """Everything ``build_report`` needs for the year, as immutable facts."""
    start, _ = period_of(year)
    scope = _in_scope(year, as_at)
    with engine.connect() as conn:
        # Stages with their cases in one pass; a case with several stages comes back once
        # per stage and is kept once.
        stages: list[StageFact] = []
        cases: dict[int, CaseFact] = {}
        n = len(_STAGE_COLUMNS)
        query = (
            select(*_STAGE_COLUMNS, *_CASE_COLUMNS)
            .select_from(_STAGES.outerjoin(_CASES, _cases.id == _stages.case_id))
            .where(scope)
        )
        for row in conn.execute(query):
            stages.append(StageFact._make(row[:n]))
            if row[n] is not None and row[n] not in cases:
                cases[row[n]] = CaseFact._make(row[n:])

        # Themes only matter for complaints: read them by case id, in chunks.
        themed = sorted({s.case_id for s in stages if s.procedure in THEMED_PROCEDURES})
        themes = [
            ThemeFact._make(row)
            for chunk in _chunks(themed)
            for row in conn.execute(
                select(_themes.case_id, _themes.theme, _themes.theme_key).where(
                    _themes.case_id.in_(chunk)
                )
            )
        ]

        # The small per-stage tables: joined to the stages in scope.
        def per_stage(table: Table, *columns: Any) -> list[Any]:
            return list(
                conn.execute(
                    select(*columns)
                    .select_from(table.join(_STAGES, _stages.id == table.c.stage_id))
                    .where(scope)
                )
            )

        suspensions = [
            SuspensionFact._make(r)
            for r in per_stage(
                _SUSPENSIONS,
                _suspensions.stage_id,
                _suspensions.start,
                _suspensions.end,
            )
        ]
        remedies = [
            RemedyFact._make(r)
            for r in per_stage(
                _REMEDIES,
                _remedies.stage_id,
                _remedies.kind,
                _remedies.amount_pence,
            )
        ]
        learning = [
            LearningFact._make(r)
            for r in per_stage(
                _LEARNING,
                _learning.stage_id,
                _learning.status,
                _learning.due,
                _learning.completed_on,
            )
        ]

        # The two earlier years only need counts: grouped by day in SQL (grouping by an
        # expression with bound dates is not portable: PostgreSQL sees two expressions),
        # then by year in the domain.
        received = func.coalesce(_stages.received, _stages.received)
        history = [
            ReceivedCount._make(row)
            for row in conn.execute(
                select(_stages.procedure, _stages.number, _stages.received, func.count())
                .where(
                    received >= date(year - 2, 4, 1),
                    received < start,
                    or_(_stages.decision.is_(None), _stages.decision != "refused"),
                )
                .group_by(_stages.procedure, _stages.number, _stages.received)
            )
        ]
    return ReportFacts(
        stages=stages,
        cases=list(cases.values()),
        themes=themes,
        suspensions=suspensions,
        remedies=remedies,
        learning=learning,
        history=history,
    )


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def year_report(
    engine: Engine,
    *,
    year: int,
    as_at: date,
    policy: Policy,
    calendar: WorkingCalendar,
) -> Report:
    """The annual report for the financial year starting 1 April ``year``, as at a date."""
    facts = load_facts(engine, year=year, as_at=as_at)
    return build_report(facts, year=year, as_at=as_at, policy=policy, calendar=calendar)
