"""The export's rows, read straight from the driver's cursor: the stored values as they are.

Most of an export's columns are the stored values, or a plain choice between them (a blank
for a missing value, "yes" or "no"), which the query itself makes. The rule columns are
stored too (the working days taken and when the acknowledgement was due, stored by the
services with the clock: ``stage_clocks.rule_columns``), and the query compares the days
for what depends on today (whether the stage was on time, whether the acknowledgement was
late). Python adds each case's themes, and the clock stops, remedies and learning as text.
The rows come from the driver's own cursor, not through SQLAlchemy's result rows: turning
every date into a ``date`` and back into text was most of an export's time.

Dates come as the driver gives them: ISO text from SQLite (which stores them so), dates
from PostgreSQL. ISO text compares as the days do, so the query's comparisons take either;
``day`` turns one into a ``date`` where a detail's text needs it. ``rows(..., dates=...)``
gives every date column in one form: "text" (the CSV) or "date" (the workbook).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

from complaints_tui.domain.vocab import STAGED_PROCEDURES

from .context import Context
from .importing.columns import COLUMNS, DETAIL_COLUMNS, EXPORT_ONLY
from .importing.details import DATES as DETAIL_DATES
from .importing.details import learning_text, remedies_text, stops_text

HEADER = (*COLUMNS, *EXPORT_ONLY, *DETAIL_COLUMNS)
DATE_COLUMNS = frozenset({"received", "responded", "due", *DETAIL_DATES})

_STAGED = ", ".join(f"'{p}'" for p in sorted(STAGED_PROCEDURES))


def _on_time(responded: str) -> str:
    """domain.clocks.on_time as SQL: "yes", "no", or "" (pending)."""
    return (
        f"CASE WHEN s.due IS NULL THEN CASE WHEN {responded} IS NULL THEN '' ELSE 'yes' END "
        f"WHEN {responded} IS NOT NULL THEN CASE WHEN {responded} <= s.due THEN 'yes' "
        "ELSE 'no' END "
        "WHEN :today > s.due THEN 'no' ELSE '' END"
    )


# Every column of HEADER, in its order, as the query gives it ('' or NULL where Python
# fills it in), then what those are worked out from. (Where "x or ''" was Python,
# coalesce is SQL.)
_MAIN = (
    "SELECT c.reference, s.procedure, "
    f"CASE WHEN s.procedure IN ({_STAGED}) THEN s.number END, "
    "s.received, s.responded, "
    "coalesce(nullif(s.outcome, ''), "
    "CASE WHEN s.procedure = 'duty' THEN nullif(c.duty_category, '') END, ''), "
    "CASE WHEN s.extended_to IS NULL THEN 'no' ELSE 'yes' END, "
    "coalesce(c.division, ''), coalesce(c.service, ''), coalesce(c.complainant_type, ''), "
    "coalesce(c.channel, ''), "
    "coalesce(nullif(c.advocate, ''), CASE WHEN c.advocate_involved THEN 'yes' ELSE '' END), "
    "'', "  # 12: themes
    "coalesce(c.summary, ''), s.due, s.status, "
    "s.days_taken, "  # 16: stored by the services (stage_clocks.rule_columns)
    # 17: on time, as domain.clocks.on_time says, on the days as stored (ISO text
    # compares as the days do). A duty matter is on time if triaged by its due date; a
    # stage closed without a response has no timeliness to report.
    f"CASE WHEN s.procedure = 'duty' AND s.closed_on IS NOT NULL AND s.responded IS NULL "
    f"THEN {_on_time('s.closed_on')} "
    "WHEN s.responded IS NULL AND s.status IN ('closed', 'withdrawn', 'refused') THEN '' "
    f"ELSE {_on_time('s.responded')} END, "
    # 18: acknowledgement due, stored, and "late" as clocks.acknowledged_late says (on
    # the days as stored): acknowledged after it, or never and still running (or
    # answered, or closed) after it.
    "CASE WHEN s.acknowledgement_due IS NULL THEN '' "
    "WHEN coalesce(s.acknowledged, s.responded, s.closed_on, :today) > s.acknowledgement_due "
    "THEN :ack_text || ' late' ELSE :ack_text END, "
    "coalesce(c.complainant_name, ''), coalesce(c.officer, ''), "
    "coalesce(c.child_statuses, ''), "
    "CASE WHEN c.repeat_complainant THEN 'yes' ELSE 'no' END, coalesce(c.reopened_count, 0), "
    "c.matter_date, s.acknowledged, coalesce(s.extension_reason, ''), s.extension_agreed, "
    "s.panel_date, s.panel_report_date, "
    "'', '', '', "  # 30-32: clock stops, remedies, learning
    "s.fixed_due, s.closed_on, "
    "c.id, s.id "  # 35-36
    "FROM cases c JOIN stages s ON s.case_id = c.id "
    "ORDER BY c.reference, s.received, s.id"
)
_BY_STAGE = "JOIN stages s ON s.id = x.stage_id JOIN cases c ON c.id = s.case_id"
_ORDER = "ORDER BY c.reference, s.received, s.id, x.id"
_THEMES = (
    "SELECT x.case_id, x.theme FROM case_themes x JOIN cases c ON c.id = x.case_id "
    "ORDER BY c.reference, x.id"
)
_STOPS = f'SELECT x.stage_id, x.start, x."end", x.reason FROM suspensions x {_BY_STAGE} {_ORDER}'
_REMEDIES = f"SELECT x.stage_id, x.kind, x.amount_pence FROM remedies x {_BY_STAGE} {_ORDER}"
_LEARNING = (
    f"SELECT x.stage_id, x.text, x.owner, x.due, x.status FROM learning_actions x "
    f"{_BY_STAGE} {_ORDER}"
)

DATES_AT = tuple(i for i, column in enumerate(HEADER) if column in DATE_COLUMNS)
"""Where the dates are in a row as written."""

TEXTS_AT = tuple(
    i
    for i, column in enumerate(HEADER)
    if column not in DATE_COLUMNS
    and column
    not in (
        # numbers, "yes" or "no", or text that starts with a date
        "stage",
        "extended",
        "working_days_taken",
        "on_time",
        "acknowledgement_due",
        "repeat_complainant",
        "reopened_count",
        "clock_stops",
    )
)
"""Where a row as written holds text that may start as a formula does (always text)."""

MEMO_LIMIT = 50_000
"""Values remembered at once in one export: held to a size, however large the database."""


class _Following:
    """The rows of a query in the main query's order, keyed by their first column: each
    key's rows are taken as the main query reaches it. ``key`` is the next row's key (None
    when there is none), so that a row with nothing to take costs one comparison."""

    def __init__(self, cursor: Any, sql: str) -> None:
        cursor.execute(sql)
        self.rows = iter(cursor)
        self.head: Any = next(self.rows, None)
        self.key: Any = None if self.head is None else self.head[0]

    def take(self, key: int) -> list[tuple[Any, ...]]:
        taken = []
        head = self.head
        while head is not None and head[0] == key:
            taken.append(tuple(head[1:]))
            head = next(self.rows, None)
        self.head = head
        self.key = None if head is None else head[0]
        return taken


def _memo(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``function`` remembering its answers (a team has a few thousand distinct days)."""
    seen: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        found = seen.get(value)
        if found is None:
            if len(seen) >= MEMO_LIMIT:
                seen.clear()
            found = seen[value] = function(value)
        return found

    return remembered


def rows(
    ctx: Context, connection: Any, text_stored: bool, *, dates: str
) -> Iterator[tuple[Any, ...]]:
    """Every stage as a row of HEADER's values, read through ``connection`` (the driver's
    own: sqlite3's or psycopg's) in its current transaction. ``text_stored``: the driver
    gives dates as ISO text (SQLite); ``dates``: "text" (ISO) or "date", as written."""
    day: Callable[[Any], date] = _memo(date.fromisoformat) if text_stored else _same
    written: Callable[[Any], Any] | None
    if dates == "text":
        written = None if text_stored else _memo(date.isoformat)
    else:
        written = day if text_stored else None
    today = ctx.today()
    stored_today = today.isoformat() if text_stored else today
    cursors = [connection.cursor() for _ in range(5)]
    try:
        cursors[1].execute(_THEMES)
        # Each case's themes, in the main query's order (groupby and join run in C).
        theme_groups = groupby(cursors[1], _first)
        themes_case, themes = next(theme_groups, (None, ()))
        stops = _Following(cursors[2], _STOPS)
        remedies = _Following(cursors[3], _REMEDIES)
        learning = _Following(cursors[4], _LEARNING)
        main = cursors[0]
        main.execute(_query(text_stored), {"today": stored_today})
        case_id = None
        themes_text = ""
        # One stage a turn: the loop is most of an export's own time, so what most stages
        # need (one comparison each) is written out here, not called.
        for row in main:
            cells = list(row)
            if cells[35] != case_id:  # the case's first stage
                case_id = cells[35]
                if themes_case == case_id:
                    themes_text = ";".join(map(_second, themes))
                    themes_case, themes = next(theme_groups, (None, ()))
                else:
                    themes_text = ""
            cells[12] = themes_text
            stage_id = cells[36]
            if stops.key == stage_id:
                cells[30] = stops_text(
                    (day(a), b and day(b), why or "") for a, b, why in stops.take(stage_id)
                )
            if remedies.key == stage_id:
                cells[31] = remedies_text(remedies.take(stage_id))
            if learning.key == stage_id:
                cells[32] = learning_text(
                    [(t, o, d and day(d), s) for t, o, d, s in learning.take(stage_id)]
                )
            del cells[35:]
            if written is not None:
                for at in DATES_AT:
                    value = cells[at]
                    if value is not None:
                        cells[at] = written(value)
            yield cells
    finally:
        for cursor in cursors:
            cursor.close()


def _query(text_stored: bool) -> str:
    """The main query as the driver takes it: today's placeholder, and the stored
    acknowledgement day as ISO text (SQLite stores it so; PostgreSQL's own text of a date
    follows its DateStyle setting, ``to_char`` does not)."""
    if text_stored:
        return _MAIN.replace(":ack_text", "s.acknowledgement_due")
    return _MAIN.replace(":today", "%(today)s").replace(
        ":ack_text", "to_char(s.acknowledgement_due, 'YYYY-MM-DD')"
    )


def _same(value: Any) -> Any:
    return value


_first, _second = itemgetter(0), itemgetter(1)
