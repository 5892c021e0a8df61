"""The export's rule columns stored on every stage (``days_taken``, ``acknowledgement_due``),
kept in step with the policy they were worked out under.

Every write path stores them with the clock (``stage_clocks.rule_columns``); ``meta``'s
``stage_days`` names the policy (its fingerprint) they were worked out under. When that is
not the policy in force (a new schema-15 database, one just upgraded, or a policy whose
calendar or acknowledgement days changed), ``refresh`` works them out again for every stage,
a block of stages at a time, and writes only those that differ.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlmodel import Session

from complaints_tui.domain.policy import fingerprint
from db.tables import Meta

from .context import Context
from .stage_clocks import MEMO_LIMIT, RuleMemo, rule_columns

KEY = "stage_days"
"""``meta``'s key: the fingerprint of the policy the stored rule columns follow."""

BLOCK = 5000
"""Stages read, worked out and written at once: a million stages take no more memory."""


def current(ctx: Context, session: Session) -> bool:
    """Whether the stored rule columns follow the policy in force."""
    row = session.get(Meta, KEY)
    return row is not None and row.value == fingerprint(ctx.policy)


def refresh(ctx: Context, session: Session) -> int:
    """Work out every stage's rule columns under the policy in force, write those that
    changed, and record the policy; returns how many stages changed. In the caller's
    transaction.

    Through the driver's own SQL: SQLAlchemy's handling of each parameter and date was
    most of the time of filling a million stages' columns (an upgrade to schema 15)."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    # SQLite stores dates as ISO text; PostgreSQL's driver gives and takes dates.
    day: Callable[[Any], Any] = _days() if sqlite else _same
    stored: Callable[[Any], Any] = _iso if sqlite else _same
    read = (
        "SELECT id, procedure, received, clock_start, responded, days_taken, "
        f"acknowledgement_due FROM stages WHERE id > {mark} ORDER BY id LIMIT {BLOCK}"
    )
    read_stops = (
        'SELECT stage_id, start, "end" FROM suspensions '
        f"WHERE stage_id BETWEEN {mark} AND {mark} ORDER BY id"
    )
    write = f"UPDATE stages SET days_taken = {mark}, acknowledgement_due = {mark} WHERE id = {mark}"
    memo = RuleMemo()
    changed = 0
    after = 0
    while True:
        # Keyset pages by id: each page a bounded read, whatever the database's size.
        rows = connection.exec_driver_sql(read, (after,)).fetchall()
        if not rows:
            break
        first, after = rows[0][0], rows[-1][0]
        stops: dict[int, list[tuple[date, date | None]]] = {}
        for sid, start, end in connection.exec_driver_sql(read_stops, (first, after)):
            stops.setdefault(sid, []).append((day(start), None if end is None else day(end)))
        updates = []
        for sid, procedure, received, start, responded, taken, acknowledgement in rows:
            found, due = rule_columns(
                ctx,
                procedure,
                day(received),
                day(start),
                None if responded is None else day(responded),
                stops.get(sid, ()),
                memo,
            )
            due = None if due is None else stored(due)
            if found != taken or due != acknowledgement:
                updates.append((found, due, sid))
        if updates:
            connection.exec_driver_sql(write, updates)  # type: ignore[arg-type]
            changed += len(updates)
    record(ctx, session)
    return changed


def _days() -> Callable[[str], date]:
    """ISO text to dates, remembered (a team has a few thousand distinct days)."""
    seen: dict[str, date] = {}

    def day(text: str) -> date:
        found = seen.get(text)
        if found is None:
            if len(seen) >= MEMO_LIMIT:
                seen.clear()
            found = seen[text] = date.fromisoformat(text)
        return found

    return day


def _iso(day: date) -> str:
    return day.isoformat()


def _same(value: Any) -> Any:
    return value


def record(ctx: Context, session: Session) -> None:
    """Record that the stored rule columns follow the policy in force."""
    value = fingerprint(ctx.policy)
    row = session.get(Meta, KEY)
    if row is None:
        session.add(Meta(key=KEY, value=value))
    elif row.value != value:
        row.value = value
    session.flush()
