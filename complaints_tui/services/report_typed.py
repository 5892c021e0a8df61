"""The report's reads as typed columns: a Core select's rows fetched from the driver's
cursor a block at a time and typed column by column, each distinct value once.

Split from ``services/report.py``, which reads the year's facts with these.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from sqlalchemy import Connection, Select, String, Table
from sqlalchemy.types import TypeEngine

from complaints_tui.domain.report_stages import Once
from db.tables import Case, LearningAction, Stage

_STAGES: Table = Stage.__table__  # type: ignore[attr-defined]
_CASES: Table = Case.__table__  # type: ignore[attr-defined]
_LEARNING: Table = LearningAction.__table__  # type: ignore[attr-defined]


def _columns(conn: Connection, stmt: Select[Any], typed: dict[Any, Once]) -> list[list[Any]]:
    """A Core select's rows as columns, each value of the type SQLAlchemy would give.

    The rows are fetched from the driver's cursor as plain tuples, a block at a time, and
    each typed column (dates, booleans) goes through its processor column by column,
    memoised in ``typed``: SQLAlchemy's own result rows would call it once per value, row
    by row, about a third of the reading time."""
    return _read_columns(conn, [stmt], typed)[0]


_BLOCK = 500
"""Rows fetched and turned into columns at once. Turning a whole year's rows (a million
values at 100,000 stages) into columns in one go read every row once per column, long
after the driver made it: a block still in the processor's cache is read again for its
next column at no cost, and its rows are freed while they are there. A quarter of the
reading time went to that at 100,000 stages, a tenth with blocks of 500."""


def _read_columns(
    conn: Connection, stmts: Sequence[Select[Any]], typed: dict[Any, Once]
) -> tuple[list[list[Any]], list[int]]:
    """The rows of ``stmts`` (selects of the same columns, read one after the other) as one
    set of typed columns (see _columns), and how many rows each select gave."""
    dialect = conn.dialect
    getters: list[Any] = []
    for column in stmts[0].selected_columns:
        process = column.type.dialect_impl(dialect).result_processor(dialect, None)
        memo: Once | None = None
        if process is not None:
            memo = typed.get(process)
            if memo is None:
                # once per distinct value: a year's hundreds of thousands of dates fall on
                # a few hundred days, so most are a dict lookup made in C
                memo = typed[process] = Once(process)
        elif _is_text(column.type) and column not in _UNIQUE_TEXT:
            # The driver makes a new string for every value: tens of thousands of copies
            # of a few dozen procedures, outcomes and services. One object per distinct
            # text makes every count of them after this one faster (a string's hash is
            # kept with it, and equal strings are then the same object), by about a
            # third, for a dict lookup each here.
            memo = typed.get(String)
            if memo is None:
                memo = typed[String] = Once(_same)
        getters.append(None if memo is None else memo.__getitem__)
    out: list[list[Any]] = [[] for _ in getters]
    counts = []
    for stmt in stmts:
        result = conn.execute(stmt)
        cursor = result.cursor
        n = 0
        while rows := cursor.fetchmany(_BLOCK):
            n += len(rows)
            for values, get, column in zip(zip(*rows, strict=True), getters, out, strict=True):
                column.extend(values if get is None else map(get, values))
        result.close()
        counts.append(n)
    return out, counts


def _is_text(kind: TypeEngine[Any]) -> bool:
    """Text, as the tables declare it: SQLModel's ``AutoString`` is a decorator of a
    ``String``, not one itself (taken for one, no text was ever shared: each count of a
    year's procedures, outcomes and services went through tens of thousands of separate
    strings: a sixth of the whole report's time at 100,000 stages)."""
    return isinstance(kind, String) or isinstance(getattr(kind, "impl", None), String)


def _same(value: Any) -> Any:
    return value


def _facts(kind: Any, columns: Sequence[Sequence[Any]]) -> list[Any]:
    """Named tuples of ``kind`` from columns, each made in C (``kind._make`` is Python)."""
    return list(map(partial(tuple.__new__, kind), zip(*columns, strict=True)))


_UNIQUE_TEXT = frozenset({_CASES.c.reference, _STAGES.c.ombudsman_reference, _LEARNING.c.text})
"""Text that is (nearly) different on every row: not worth sharing (see _read_columns)."""
