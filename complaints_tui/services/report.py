"""Build the annual report for a year: read the facts as column tuples, compute in domain.

Speed matters (a year of a 100,000-stage database in about a second), so everything is
read with SQLAlchemy Core selects of plain columns - never ORM objects - each by an
indexed range or id, fetched from the driver's cursor a block at a time and typed column
by column (see ``report_typed._read_columns``); the earlier years of ``received_by_year``
come pre-counted by a GROUP BY.
The SQL is portable: no engine-specific functions, and all date arithmetic is in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from sqlalchemy import Engine, Table, and_, func, or_, select

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.policy import Policy
from complaints_tui.domain.report import (
    RECEIVED,
    LearningFact,
    ReceivedCount,
    RemedyFact,
    Report,
    ReportFacts,
    SuspensionFact,
    ThemeFact,
    build_report,
    period_of,
)
from complaints_tui.domain.report_columns import StageTable
from complaints_tui.domain.report_letter import Letter
from complaints_tui.domain.report_publish import finish, only_procedures, previous_as_at
from complaints_tui.domain.report_stages import Once
from complaints_tui.domain.vocab import STAGED_PROCEDURES
from db.tables import (
    Case,
    CaseTheme,
    Event,
    LearningAction,
    LgscoLetter,
    Remedy,
    Stage,
    Suspension,
)

from .bulk_gc import fewer_collections
from .report_letters import stored_letter
from .report_typed import _columns, _facts, _read_columns

_STAGES: Table = Stage.__table__  # type: ignore[attr-defined]
_CASES: Table = Case.__table__  # type: ignore[attr-defined]
_SUSPENSIONS: Table = Suspension.__table__  # type: ignore[attr-defined]
_REMEDIES: Table = Remedy.__table__  # type: ignore[attr-defined]
_LEARNING: Table = LearningAction.__table__  # type: ignore[attr-defined]
_stages = _STAGES.c
_cases = _CASES.c
_THEMES: Table = CaseTheme.__table__  # type: ignore[attr-defined]
_themes = _THEMES.c
_suspensions = _SUSPENSIONS.c
_remedies = _REMEDIES.c
_learning = _LEARNING.c

_IDS_PER_QUERY = 500
"""Stage ids bound in one IN (...): well within SQLite's and PostgreSQL's limits."""

HISTORY_YEARS = 6
"""Earlier years the received table shows, when the data holds them (the seeds show 3-7)."""

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
    _stages.extension_agreed,
    _stages.acknowledged,
    _stages.request_date,
    _stages.ombudsman_reference,
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
    _cases.child_statuses,
    _cases.reference,
)


_UNCOUNTED = frozenset({_stages.timescale, _cases.procedure})
"""Columns of the facts no table counts: the stored timescale (each stage is judged
against the policy's) and the case's procedure (each stage counts under its own)."""

_LETTER_ONLY = frozenset({_stages.ombudsman_reference, _cases.reference})
"""Columns only the Ombudsman's letter reconciles (by the case's and his references)."""


def load_facts(
    engine: Engine,
    *,
    year: int,
    as_at: date,
    every_column: bool = True,
    references: bool = True,
) -> ReportFacts:
    """Everything ``build_report`` needs for the year, as immutable facts.

    Reads the year's stages with their cases; those received earlier and still open at its
    start (carried forward); later Stage 2 and 3 requests up to the as-at date (to see who
    went on); the year's themes, clock stops, remedies and learning actions; and counts
    for the two years before.

    Without ``every_column`` the columns no table counts are not read (None in their
    place), nor, without ``references``, those only the Ombudsman's letter needs: text
    read for each of a year's tens of thousands of stages is most of the reading time.
    """
    start, end = period_of(year)
    cutoff = min(end, as_at)
    live = _stages.status != "voided"  # logged by mistake: in no report
    in_year = and_(_stages.received.between(start, cutoff), live)
    answered = func.coalesce(_stages.responded, _stages.closed_on)
    left_out = (set() if every_column else set(_UNCOUNTED)) | (
        set() if references else set(_LETTER_ONLY)
    )
    every = (*_STAGE_COLUMNS, *_CASE_COLUMNS)
    read = [c for c in every if c not in left_out]
    with_cases = (
        select(*read)
        .select_from(_STAGES.outerjoin(_CASES, _cases.id == _stages.case_id))
        .where(live)
    )
    n = len(_STAGE_COLUMNS)
    carried_in = and_(
        _stages.received < start,
        _stages.procedure != "compliment",
        or_(answered.is_(None), answered >= start),
    )
    typed: dict[Any, Once] = {}  # shared: the same days recur in every query
    with engine.connect() as conn:
        # the three reads typed as one set of columns, each stage's case beside it as
        # joined (see StageTable)
        got, (in_year_n, carried_n, _) = _read_columns(
            conn,
            [
                with_cases.where(condition)
                for condition in (
                    in_year,
                    carried_in,
                    and_(_stages.received > cutoff, _stages.received <= as_at, _stages.number > 1),
                )
            ],
            typed,
        )
        carried_ids = got[0][in_year_n : in_year_n + carried_n]
        rows = len(got[0])
        # a column not read is None throughout (see the docstring)
        columns = iter(got)
        joined = [[None] * rows if c in left_out else next(columns) for c in every]
        del got, columns
        stages = StageTable(joined[:n], joined[n:])

        # Themes only matter for the year's complaints: those of the cases with a stage of
        # a themed procedure in the year, each row once (a join would repeat a case's
        # themes once per stage, to be de-duplicated in Python).
        themed_cases = select(_stages.case_id).where(
            in_year, _stages.procedure.in_(sorted(THEMED_PROCEDURES))
        )
        themes = list(
            dict.fromkeys(  # a theme entered twice on a case counts once
                _facts(
                    ThemeFact,
                    _columns(
                        conn,
                        select(_themes.case_id, _themes.theme, _themes.theme_key).where(
                            _themes.case_id.in_(themed_cases)
                        ),
                        typed,
                    ),
                )
            )
        )

        # The small per-stage tables, for the year's stages and those carried in (the
        # concluded basis counts them).
        # Those carried in are found by their ids, already read: asking again for stages
        # "received before the year and still open at its start" would make the database
        # look at every earlier stage once more for each of these tables.
        # The year's are joined by the date alone: a voided stage's rows are then dropped
        # here, by the stages read (asking the database to check each stage's status made
        # it read every stage of the year, to keep a few thousand rows: twice the time).
        read_ids = set(joined[0])
        received_in_year = _stages.received.between(start, cutoff)

        def per_stage(kind: Any, table: Table, *columns: Any) -> list[Any]:
            stmt = select(*columns).select_from(table.join(_STAGES, _stages.id == table.c.stage_id))
            out = [
                fact
                for fact in _facts(kind, _columns(conn, stmt.where(received_in_year), typed))
                if fact[0] in read_ids
            ]
            for at in range(0, len(carried_ids), _IDS_PER_QUERY):
                ids = table.c.stage_id.in_(carried_ids[at : at + _IDS_PER_QUERY])
                out += _facts(kind, _columns(conn, select(*columns).where(ids), typed))
            return out

        suspensions = per_stage(
            SuspensionFact,
            _SUSPENSIONS,
            _suspensions.stage_id,
            _suspensions.start,
            _suspensions.end,
        )
        remedies = per_stage(
            RemedyFact, _REMEDIES, _remedies.stage_id, _remedies.kind, _remedies.amount_pence
        )
        learning = per_stage(
            LearningFact,
            _LEARNING,
            _learning.stage_id,
            _learning.status,
            _learning.due,
            _learning.completed_on,
            _learning.text,
            _learning.owner,
        )

        # The two earlier years only need counts: grouped by day in SQL (grouping by an
        # expression with bound dates is not portable: PostgreSQL sees two expressions),
        # then by year in the domain.
        # (fetched and typed as columns too: SQLAlchemy's rows, made one at a time for a
        # few thousand days, were about 8% of a year's reading)
        history = _facts(
            ReceivedCount,
            _columns(
                conn,
                select(_stages.procedure, _stages.number, _stages.received, func.count())
                .where(
                    _stages.received >= date(year - HISTORY_YEARS, 4, 1),
                    _stages.received < start,
                    or_(_stages.decision.is_(None), _stages.decision != "refused"),
                    live,
                )
                .group_by(_stages.procedure, _stages.number, _stages.received),
                typed,
            ),
        )
    return ReportFacts(
        stages=stages,
        cases=stages.case_facts(),
        themes=themes,
        suspensions=suspensions,
        remedies=remedies,
        learning=learning,
        history=history,
    )


def data_version(engine: Engine) -> tuple[Any, ...]:
    """A marker that moves whenever the data changes, read cheaply: the newest row of the
    timeline (every change writes one) and of the tables a report counts, each by its
    primary key's index. Rows are added, never renumbered, so a report built at one
    marker is good until the marker moves."""
    tables = (
        Event.__table__,  # type: ignore[attr-defined]
        _STAGES,
        _CASES,
        _REMEDIES,
        _LEARNING,
        _SUSPENSIONS,
        LgscoLetter.__table__,  # type: ignore[attr-defined]
    )
    with engine.connect() as conn:
        # one scalar subquery a table: each is a single index lookup, never a join
        newest = (select(func.max(t.c.id)).scalar_subquery() for t in tables)
        return tuple(conn.execute(select(*newest)).one())


def year_report(
    engine: Engine,
    *,
    year: int,
    as_at: date,
    policy: Policy,
    calendar: WorkingCalendar,
    basis: str = RECEIVED,
    procedures: Collection[str] | None = None,
    compare: bool = True,
    progress: Callable[[str], None] | None = None,
    letter: Letter | None = None,
) -> Report:
    """The annual report for the financial year starting 1 April ``year``, as at a date,
    with the year before beside it (the same months of it while this year is in progress)
    unless ``compare`` is false; of ``procedures`` alone when they are given. The
    Ombudsman's letter is ``letter``, else the one entered for the year, if any."""
    say = progress or (lambda _: None)
    with fewer_collections(pause=True):  # a year's rows are plain data: see bulk_gc
        if letter is None:  # the letter typed in on the Report screen, if any
            stored = stored_letter(engine, year)
            letter = stored.letter if stored else None
        say("Reading the year's cases")
        facts = only_procedures(
            load_facts(
                engine, year=year, as_at=as_at, every_column=False, references=letter is not None
            ),
            procedures,
        )
        say("Counting the year")
        report = build_report(
            facts,
            year=year,
            as_at=as_at,
            policy=policy,
            calendar=calendar,
            basis=basis,
            letter=letter,
        )
        previous = None
        if compare and year - 1 >= 1990:
            before = previous_as_at(year, as_at)
            say("Reading the year before")
            old = only_procedures(
                load_facts(
                    engine, year=year - 1, as_at=before, every_column=False, references=False
                ),
                procedures,
            )
            say("Counting the year before")
            previous = build_report(
                old, year=year - 1, as_at=before, policy=policy, calendar=calendar, basis=basis
            )
            del old
        # Freed while the collector is still paused: once it runs again, its first sweep
        # looks at every object made since it was paused that is still alive.
        del facts
        say("Laying out")
        return finish(report, previous, policy.report.as_dict(), procedures)
