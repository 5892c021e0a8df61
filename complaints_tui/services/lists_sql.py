"""The case list's SQL: a filter's conditions, its sort segments and the reader of pages.

Each sort follows an index's own column order; the due-date sort is two segments
(running clocks by due date, then stopped or deadline-free stages) because the databases
disagree on where NULLs sort and neither can then use the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal_column, or_, select, tuple_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from complaints_tui.domain.clocks import OPEN_STATUSES, working_days_left
from complaints_tui.domain.search_text import search_words
from complaints_tui.domain.vocab import stage_label
from db import search
from db.tables import Case, Stage

from .context import Context
from .lists_model import SCOPES, SORTS, UNASSIGNED, CaseFilter, CaseRow, summary_line


@dataclass(frozen=True)
class _Segment:
    where: ColumnElement[bool] | None
    columns: tuple[Any, ...]
    descending: bool = False


def _segments(sort: str) -> tuple[_Segment, ...]:
    if sort == "due":
        return (
            _Segment(col(Stage.due).is_not(None), (col(Stage.due), col(Stage.id))),
            _Segment(col(Stage.due).is_(None), (col(Stage.id),)),
        )
    if sort == "received":
        return (_Segment(None, (col(Stage.received), col(Stage.id)), descending=True),)
    if sort == "reference":
        return (_Segment(None, (col(Case.reference), col(Stage.id))),)
    raise ValueError(f"unknown sort {sort!r} (known: {', '.join(SORTS)})")


_ROW_COLUMNS = (
    col(Stage.id),
    col(Case.reference),
    col(Case.version),
    col(Stage.procedure),
    col(Stage.number),
    col(Stage.received),
    col(Stage.due),
    col(Stage.status),
    col(Case.service),
    col(Case.division),
    col(Case.officer),
    col(Case.complainant_name),
    col(Case.summary),
)


def _contains(ctx: Context, column: Any, word: str) -> ColumnElement[bool]:
    # SQLite's LIKE already ignores ASCII case; elsewhere ILIKE (lower() LIKE lower())
    # does. Choosing here keeps SQLite off a lower() call per row per column.
    if ctx.engine.dialect.name == "sqlite":
        return column.contains(word, autoescape=True)
    return column.icontains(word, autoescape=True)


def _scope(f: CaseFilter, segment: int | None = None) -> list[ColumnElement[bool]]:
    if f.scope == "open":
        if f.sort == "due" and segment == 0:
            # A stopped clock has no due date, so the running clocks are exactly the 'open'
            # stages: an equality the (status, due, id) index answers in order, where the
            # IN would make SQLite walk every due date of the table.
            return [col(Stage.status) == "open"]
        return [col(Stage.status).in_(OPEN_STATUSES)]
    if f.scope == "closed":
        return [col(Stage.status).not_in((*OPEN_STATUSES, "voided"))]
    if f.scope == "all":
        return [col(Stage.status) != "voided"]  # logged by mistake: in no list
    raise ValueError(f"unknown scope {f.scope!r} (known: {', '.join(SCOPES)})")


def _stage_conditions(ctx: Context, f: CaseFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.status:
        where.append(col(Stage.status) == f.status)
    if f.procedure:
        where.append(col(Stage.procedure) == f.procedure)
    if f.stage:
        where.append(col(Stage.number) == f.stage)
    return where


def _case_conditions(
    ctx: Context, f: CaseFilter, case: Any = Case, *, walking: bool = False
) -> list[ColumnElement[bool]]:
    """The filter's conditions on the case. ``walking``: a page read along the sort's
    index, where SQLite must check each row rather than drive by the officer's index
    and sort the officer's every stage (the unary plus hides the column's index)."""

    def column(name: str) -> Any:
        if walking and case is Case and ctx.engine.dialect.name == "sqlite":
            return literal_column(f"+cases.{name}")
        return col(getattr(case, name))

    where: list[ColumnElement[bool]] = []
    if f.mine:
        where.append(column("officer") == ctx.actor)
    if f.officer == UNASSIGNED:
        where.append(or_(column("officer").is_(None), column("officer") == ""))
    officer = f.officer if f.officer != UNASSIGNED else None
    for name, value in (("service", f.service), ("division", f.division), ("officer", officer)):
        if value:
            where.append(column(name) == value)
    return where


def _search_ids(ctx: Context, f: CaseFilter) -> Any:
    """The ids of the cases the search matches, as a subquery; None when not searching."""
    return search.matching_ids(ctx.engine.dialect.name, search_words(f.search))


def _row(
    ctx: Context,
    today: date,
    segment: int,
    values: Sequence[Any],
    working_days: bool,
) -> CaseRow:
    sid, ref, version, proc, num, received, due, status, service, division, officer, name, summ = (
        values[: len(_ROW_COLUMNS)]
    )
    running = due is not None and status in OPEN_STATUSES
    return CaseRow(
        stage_id=sid,
        reference=ref,
        version=version,
        procedure=proc,
        number=num,
        label=stage_label(proc, num),
        received=received,
        due=due,
        days_left=working_days_left(ctx.cal_for(proc), today, due)
        if running and working_days
        else None,
        status=status,
        service=service,
        division=division,
        officer=officer,
        complainant=name,
        summary=summary_line(summ),
        key=(segment, *values[len(_ROW_COLUMNS) :]),
    )


FEW = 500
"""Below this many matching rows, a page is read from the matching cases and sorted."""


class _Reader:
    """Runs one filter's queries in one session."""

    def __init__(
        self,
        ctx: Context,
        session: Session,
        f: CaseFilter,
        total: int | None = None,
        working_days: bool = True,
    ) -> None:
        self.working_days = working_days
        self.ctx, self.session, self.filter = ctx, session, f
        self.stage_where = _stage_conditions(ctx, f)
        self.case_where = _case_conditions(ctx, f)
        self.found = _search_ids(ctx, f)
        """The cases the search matches (a subquery of the index), or None: no search."""
        self.segments = _segments(f.sort)
        self.today = ctx.today()
        self.few = False
        if total is not None:
            self.know(total)

    def know(self, total: int) -> None:
        # A filter matching few of all the stages is cheaper read from the matching cases
        # and sorted than by walking the sort's index past every row that does not match.
        # Open stages are few anyway and the status index reads them directly.
        narrowed = bool(self.case_where) or self.found is not None
        self.few = total <= FEW and narrowed and self.filter.scope != "open"

    def _where(self, segment: int | None) -> list[ColumnElement[bool]]:
        where = [*_scope(self.filter, segment), *self.stage_where]
        # Who drives: the search's cases (counting, or a few rows to sort), or the sort's
        # index with each row checked against them (a page of many). The unary plus stops
        # SQLite from driving by the case index when the index walk is the cheaper plan.
        drive = self.filter.scope != "open" and (segment is None or self.few)
        if self.found is not None:
            stage_case = col(Stage.case_id) if drive else literal_column("+stages.case_id")
            where.append(stage_case.in_(self.found))
        if self.case_where and segment is not None and self.few:
            matching = aliased(Case)
            where.append(
                col(Stage.case_id).in_(
                    select(col(matching.id)).where(
                        *_case_conditions(self.ctx, self.filter, matching)
                    )
                )
            )
        elif segment is not None or self.filter.scope == "open":
            # Open stages are few: checked one by one, never found by the officer's index.
            where += _case_conditions(self.ctx, self.filter, walking=True)
        else:
            where += self.case_where
        if segment is not None and (seg := self.segments[segment]).where is not None:
            where.append(seg.where)
        return where

    def counts(self) -> tuple[int, ...]:
        """Each segment's row count, in one pass."""
        if self.filter.scope != "open" and not (
            self.stage_where or self.case_where or self.found is not None
        ):
            return self._scope_counts()
        sizes = [
            func.count()
            if seg.where is None
            else func.coalesce(func.sum(case((seg.where, 1), else_=0)), 0)
            for seg in self.segments
        ]
        stmt = select(*sizes).select_from(Stage)
        if self.case_where:  # stages alone: one small index
            stmt = stmt.join(Case, col(Case.id) == col(Stage.case_id))
        return tuple(int(n) for n in self.session.execute(stmt.where(*self._where(None))).one())

    def _scope_counts(self) -> tuple[int, ...]:
        # Closed or all stages, unfiltered: a million index entries to count one by one.
        # Instead, counts an index gives by its size (every stage, the stages without a
        # due date) less the open stages, which the status index holds few of.
        def count(*where: ColumnElement[bool]) -> int:
            stmt = select(func.count()).select_from(Stage).where(*where)
            return int(self.session.execute(stmt).scalar_one())

        running = col(Stage.status).in_(OPEN_STATUSES)
        closed = self.filter.scope == "closed"
        if len(self.segments) == 1:
            return (count() - (count(running) if closed else 0),)
        undated = col(Stage.due).is_(None)
        total, no_due = count(), count(undated)
        if closed:
            total, no_due = total - count(running), no_due - count(undated, running)
        return (total - no_due, no_due)

    def query(
        self,
        segment: int,
        *,
        limit: int,
        offset: int = 0,
        after: tuple[Any, ...] | None = None,
        before: tuple[Any, ...] | None = None,
        backwards: bool = False,
    ) -> list[CaseRow]:
        """Rows of one segment in sort order (``backwards``: from its end, returned reversed)."""
        seg = self.segments[segment]
        key = tuple_(*seg.columns)
        where = self._where(segment)
        if self.filter.sort == "reference" and not self.few and self.filter.scope != "open":
            # Always true, but it makes SQLite walk cases in reference order (1 ms a page)
            # rather than sort a million stages by their case's reference (900 ms).
            where.append(col(Case.reference) >= "")
        if after is not None:
            where.append(key < tuple_(*after) if seg.descending else key > tuple_(*after))
        if before is not None:
            where.append(key > tuple_(*before) if seg.descending else key < tuple_(*before))
        descending = seg.descending != backwards
        order = [c.desc() if descending else c.asc() for c in seg.columns]
        stmt = (
            select(*_ROW_COLUMNS, *seg.columns)
            .select_from(Stage)
            .join(Case, col(Case.id) == col(Stage.case_id))
            .where(*where)
            .order_by(*order)
            .limit(limit)
            .offset(offset or None)
        )
        rows = [
            _row(self.ctx, self.today, segment, r, self.working_days)
            for r in self.session.execute(stmt)
        ]
        if backwards:
            rows.reverse()
        return rows
