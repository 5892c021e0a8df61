"""The report's reads as typed columns: a Core select's rows fetched whole from the
driver's cursor and typed column by column, each distinct value once.

Split from ``services/report.py``, which reads the year's facts with these.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from sqlalchemy import Connection, Select, String, Table

from complaints_tui.domain.report_stages import Once
from db.tables import Case, LearningAction, Stage

_STAGES: Table = Stage.__table__  # type: ignore[attr-defined]
_CASES: Table = Case.__table__  # type: ignore[attr-defined]
_LEARNING: Table = LearningAction.__table__  # type: ignore[attr-defined]


def _columns(conn: Connection, stmt: Select[Any], typed: dict[Any, Once]) -> list[Sequence[Any]]:
    """A Core select's rows as columns, each value of the type SQLAlchemy would give.

    The rows are fetched whole from the driver's cursor, as plain tuples, and each typed
    column (dates, booleans) goes through its processor column by column, memoised in
    ``typed``: SQLAlchemy's own result rows would call it once per value, row by row,
    about a third of the reading time."""
    return _as_columns(conn, stmt, _fetched(conn, stmt), typed)


def _fetched(conn: Connection, stmt: Select[Any]) -> list[Any]:
    """A Core select's rows as the driver gives them: plain tuples."""
    result = conn.execute(stmt)
    rows: list[Any] = result.cursor.fetchall()
    result.close()
    return rows


def _as_columns(
    conn: Connection, stmt: Select[Any], rows: Sequence[Any], typed: dict[Any, Once]
) -> list[Sequence[Any]]:
    """Rows of ``stmt``'s columns (from one or more reads) as typed columns: see _columns."""
    dialect = conn.dialect
    out: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else []
    if not out:
        return [() for _ in stmt.selected_columns]
    for i, column in enumerate(stmt.selected_columns):
        process = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if process is not None:
            memo = typed.get(process)
            if memo is None:
                # once per distinct value: a year's hundreds of thousands of dates fall on
                # a few hundred days, so most are a dict lookup made in C
                memo = typed[process] = Once(process)
            out[i] = list(map(memo.__getitem__, out[i]))
        elif isinstance(column.type, String) and column not in _UNIQUE_TEXT:
            # The driver makes a new string for every value: tens of thousands of copies
            # of a few dozen procedures, outcomes and services. One object per distinct
            # text makes every count of them after this one faster (a string's hash is
            # kept with it, and equal strings are then the same object), by about a
            # third, for a dict lookup each here.
            memo = typed.get(String)
            if memo is None:
                memo = typed[String] = Once(_same)
            out[i] = list(map(memo.__getitem__, out[i]))
    return out


def _same(value: Any) -> Any:
    return value


def _facts(kind: Any, columns: Sequence[Sequence[Any]]) -> list[Any]:
    """Named tuples of ``kind`` from columns, each made in C (``kind._make`` is Python)."""
    return list(map(partial(tuple.__new__, kind), zip(*columns, strict=True)))


_UNIQUE_TEXT = frozenset({_CASES.c.reference, _STAGES.c.ombudsman_reference, _LEARNING.c.text})
"""Text that is (nearly) different on every row: not worth sharing (see _as_columns)."""
