"""The case list's first page read with the standard library alone, for the app's launch.

SQLAlchemy and SQLModel take most of a second to import, three times what Textual takes.
An officer opening the app on a SQLite file sees the open stages, soonest due first,
read here with ``sqlite3``, while the database layer loads behind the painted list and
then reads the same page again (with the working days left) through ``lists``. The rows
are exactly those of ``lists.open_listing(ctx, CaseFilter(), working_days=False)``
(``tests/services/test_first_page.py`` holds the two to each other).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from complaints_tui.domain.vocab import stage_label
from db.read_only import vouched

from .lists_model import PAGE, CaseFilter, CaseListing, CaseRow, summary_line

_COLUMNS = (
    "s.id, c.reference, c.version, s.procedure, s.number, s.received, s.due, s.status, "
    "c.service, c.division, c.officer, c.complainant_name, c.summary"
)
_RUNNING = "s.status = 'open' AND s.due IS NOT NULL ORDER BY s.due, s.id"
_STOPPED = "s.status IN ('open', 'suspended') AND s.due IS NULL ORDER BY s.id"


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text[:10])


def first_listing(path: Path, *, limit: int = PAGE) -> CaseListing | None:
    """The default list's counts and first page; None when the file cannot be read this
    way (missing, not ours, older or damaged): the ordinary open then says why."""
    if not vouched(path):
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None
    try:
        with conn:
            # One read transaction: the counts and the rows agree.
            running, stopped = conn.execute(
                "SELECT coalesce(sum(due IS NOT NULL), 0), coalesce(sum(due IS NULL), 0) "
                "FROM stages WHERE status IN ('open', 'suspended')"
            ).fetchone()
            rows: list[CaseRow] = []
            for segment, where, size in ((0, _RUNNING, running), (1, _STOPPED, stopped)):
                if len(rows) >= limit or not size:
                    continue
                for values in conn.execute(
                    f"SELECT {_COLUMNS} FROM stages s JOIN cases c ON c.id = s.case_id "
                    f"WHERE {where} LIMIT ?",
                    (limit - len(rows),),
                ):
                    rows.append(_row(segment, values))
    except (sqlite3.Error, ValueError):
        return None
    finally:
        conn.close()
    return CaseListing(CaseFilter(), running + stopped, (running, stopped), tuple(rows), False)


def _row(segment: int, values: tuple) -> CaseRow:  # type: ignore[type-arg]
    sid, ref, version, proc, num, received, due, status, service, division, officer, name, summ = (
        values
    )
    due_day = _day(due)
    return CaseRow(
        stage_id=sid,
        reference=ref,
        version=version,
        procedure=proc,
        number=num,
        label=stage_label(proc, num),
        received=_day(received),  # type: ignore[arg-type]
        due=due_day,
        days_left=None,
        status=status,
        service=service,
        division=division,
        officer=officer,
        complainant=name,
        summary=summary_line(summ or ""),
        key=(segment, due_day, sid) if segment == 0 else (segment, sid),
    )
