"""Export every stage as the spreadsheet's columns plus the computed clock columns.

The file re-imports into an empty database unchanged: the import ignores the extra columns.
CSV or an Excel workbook (by the file's extension); rows are read and written as a stream,
so the memory an export takes does not grow with the database. A cell that a spreadsheet
would run as a formula is written so that it shows as text (see ``safe_text``), and the
file goes through ``files.atomic_write``: owner-only, and renamed into place when complete.
"""

from __future__ import annotations

import csv
import re
import sqlite3
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import Any

from complaints_tui.domain.policy import fingerprint
from db.read_only import open_read_only

from .context import Context
from .export_rows import DATE_COLUMNS, HEADER, TEXTS_AT, rows
from .export_sheet import write_workbook
from .files import atomic_write
from .importing.cells import FORMULA_START

__all__ = [
    "DATE_COLUMNS",
    "HEADER",
    "WIDTHS",
    "export_csv",
    "export_file",
    "export_xlsx",
    "quick_export",
]
WIDTHS = {
    "reference": 16,
    "procedure": 12,
    "stage": 7,
    "received": 12,
    "responded": 12,
    "outcome": 18,
    "extended": 10,
    "division": 20,
    "service": 24,
    "complainant": 14,
    "channel": 11,
    "advocate": 12,
    "themes": 28,
    "summary": 50,
    "due": 12,
    "status": 11,
    "working_days_taken": 12,
    "on_time": 9,
    "acknowledgement_due": 16,
    "complainant_name": 20,
    "officer": 16,
    "child_statuses": 18,
    "repeat_complainant": 10,
    "reopened_count": 10,
    "extension_reason": 24,
    "clock_stops": 36,
    "remedies": 20,
    "learning": 40,
    "fixed_due": 12,
    "closed_on": 12,
}
"""Column widths in the workbook, in characters: each heading and a typical cell fit."""


def safe_text(value: str) -> str:
    """A cell a spreadsheet shows as text: "=1+2" is written "'=1+2" (OWASP's advice).

    A value that already starts with "'" gets another, so the import, which takes one
    "'" off such a cell, gives back exactly what was stored.
    """
    if value[:1] in FORMULA_START or (value[:1] == "'" and value[1:2] in ("'", *FORMULA_START)):
        return "'" + value
    return value


_TEXTS = itemgetter(*TEXTS_AT)
_UNSAFE = re.compile("\x00[" + re.escape("".join(sorted({*FORMULA_START, "'"}))) + "]")
"""A text of the row, joined with NULs, starting with a character ``safe_text`` may change
(a NUL within a text may find one that does not: ``safe_text`` then leaves it as it is)."""


def export_file(ctx: Context, path: Path) -> int:
    """Export as a workbook for .xlsx, as CSV otherwise."""
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        return export_xlsx(ctx, path)
    return export_csv(ctx, path)


def export_csv(ctx: Context, path: Path) -> int:
    """Write every stage to ``path`` as CSV; returns the number of rows written."""
    return _through_session(ctx, path, write_csv)


def export_xlsx(ctx: Context, path: Path) -> int:
    """Write every stage to ``path`` as a workbook (see ``write_xlsx``)."""
    return _through_session(ctx, path, write_xlsx)


def quick_export(ctx: Context, database: Path, path: Path) -> int | None:
    """Export a SQLite file read with the standard library alone (``db.read_only``), or
    None when it cannot be: the file changed since it was last checked, is at another
    schema, or its clocks were stored under another policy (the ordinary open recomputes
    them first). ``ctx`` needs no engine."""
    connection = open_read_only(database)
    if connection is None:
        return None
    try:
        # The clocks and the stages' rule columns were stored under the policy in force.
        stored = connection.execute(
            "SELECT key, value FROM meta WHERE key IN ('policy', 'stage_days') ORDER BY key"
        ).fetchall()
        policy = fingerprint(ctx.policy)
        if stored != [("policy", policy), ("stage_days", policy)]:
            return None
        write = write_xlsx if _is_workbook(path) else write_csv
        return write(ctx, connection, True, path)
    except sqlite3.Error:
        return None  # nothing is kept of a file half written (atomic_write)
    finally:
        connection.close()


Writer = Callable[[Context, Any, bool, Path], int]


def _through_session(ctx: Context, path: Path, write: Writer) -> int:
    # Imported here: ``quick_export`` reads without the database layer.
    from sqlmodel import Session

    from db.engine import transaction

    from . import stage_days

    # The export reads the stages' stored rule columns: a database whose columns follow
    # another policy (or none yet) has them worked out first, in a transaction of its own.
    with Session(ctx.engine) as session:
        stale = not stage_days.current(ctx, session)
    if stale:
        with transaction(ctx.engine) as session:
            stage_days.refresh(ctx, session)
    with Session(ctx.engine) as session:
        # The driver's own connection, its transaction begun: every query of one export
        # reads the same moment.
        connection = session.connection()
        return write(ctx, connection.connection, connection.dialect.name == "sqlite", path)


def _is_workbook(path: Path) -> bool:
    return Path(path).suffix.lower() in (".xlsx", ".xlsm")


def write_csv(ctx: Context, connection: Any, text_stored: bool, path: Path) -> int:
    """Write every stage read through the driver's ``connection`` to ``path`` as CSV;
    returns the number of rows written."""
    written = 0
    with atomic_write(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        write, unsafe, texts = writer.writerow, _UNSAFE.search, _TEXTS
        for row in rows(ctx, connection, text_stored, dates="text"):
            # One look at the row's texts' first characters: almost every row is safe.
            if unsafe("\x00" + "\x00".join(texts(row))) is not None:
                row = [safe_text(v) if type(v) is str else v for v in row]
            write(row)
            written += 1
    return written


def write_xlsx(ctx: Context, connection: Any, text_stored: bool, path: Path) -> int:
    """Write every stage to ``path`` as a workbook officers can filter at once: a frozen,
    bold header with an autofilter, dates as date cells shown the UK way, set widths."""
    cursor = connection.cursor()
    try:
        cursor.execute("SELECT count(*) FROM stages")
        (count,) = cursor.fetchone()
    finally:
        cursor.close()
    return write_workbook(
        path,
        "Stages",
        HEADER,
        [WIDTHS.get(column, 12) for column in HEADER],
        rows(ctx, connection, text_stored, dates="date"),
        count,
    )
