"""The case list's conditions: a filter's WHERE clauses and the sorts' segments.

Each sort follows an index's own column order; the due-date sort is two segments
(running clocks by due date, then stopped or deadline-free stages) because the databases
disagree on where NULLs sort and neither can then use the index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, literal_column, or_
from sqlmodel import col

from complaints_tui.domain.clocks import OPEN_STATUSES
from complaints_tui.domain.search_text import search_words
from db import search
from db.tables import Case, Stage

from .context import Context
from .lists_model import SCOPES, SORTS, UNASSIGNED, CaseFilter


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
