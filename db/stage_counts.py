"""PostgreSQL's count of stages by status, kept by the database: what the case list shows
for a whole scope (open, closed or all stages, unfiltered) without counting a million
index entries (120-260 ms a keystroke at a million stages; PostgreSQL has no cheap count).

- ``stage_counts`` holds signed deltas: (status, dated, stages), ``dated`` meaning the
  stage has a due date (the due-date sort's two segments). A scope's count is the sum of
  its rows, read in the reader's own snapshot, so it is exact as a ``count(*)`` would be.
- A statement trigger on stages adds one row per (status, dated) a statement changes:
  inserts never wait for each other, so officers writing at once never block or deadlock
  on a shared counter row. One write in ``COMPACT`` folds the rows into one per
  (status, dated): a DELETE ... RETURNING and the INSERT of its sums, in one statement,
  so each row is folded by exactly one transaction whatever runs beside it.
- Any plain SQL insert, update or delete of stages is followed (TRUNCATE too). A bulk
  write (``db.search_weeks.bulk``) sets the trigger aside, as it does the due weeks'
  triggers, and counts every stage afresh at its end (``recount``).

SQLite has nothing here: its count of an index is cheap enough (``lists_sql``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event, text

from .search_weeks import BULK, statement_triggers
from .tables import Stage

TABLE = "stage_counts"
COMPACT = 256
"""Every this many counted writes, the writer folds the table's rows."""
LOCK_KEY = 0x636F6D706C62
"""A transaction advisory lock: one folding at a time (the schema lock's key + 1)."""

_DELTAS = {
    "INSERT": "SELECT status, due IS NOT NULL, count(*) FROM new_rows GROUP BY 1, 2",
    "DELETE": "SELECT status, due IS NOT NULL, -count(*) FROM old_rows GROUP BY 1, 2",
    # Only a change of status or of having a due date moves a count: most updates of
    # a stage (a letter sent, a note) add nothing.
    "UPDATE": (
        "SELECT status, dated, sum(n) FROM ("
        "SELECT status, due IS NOT NULL AS dated, 1 AS n FROM new_rows UNION ALL "
        "SELECT status, due IS NOT NULL, -1 FROM old_rows) d GROUP BY 1, 2 HAVING sum(n) <> 0"
    ),
}
_INSERT = f"INSERT INTO {TABLE} (status, dated, stages) "
FOLD = (
    f"WITH gone AS (DELETE FROM {TABLE} RETURNING status, dated, stages) "
    f"{_INSERT}SELECT status, dated, sum(stages) FROM gone GROUP BY 1, 2 "
    "HAVING sum(stages) <> 0"
)
_RECOUNT = (
    f"WITH gone AS (DELETE FROM {TABLE} RETURNING 1) "
    f"{_INSERT}SELECT status, due IS NOT NULL, count(*) FROM stages GROUP BY 1, 2"
)
"""Every stage counted afresh, and every earlier row dropped, in one snapshot: a
colleague's write committed before it is in both, one committed after in neither."""

_DDL = (
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        status varchar NOT NULL, dated boolean NOT NULL, stages bigint NOT NULL)""",
    f"CREATE SEQUENCE IF NOT EXISTS {TABLE}_writes",
    f"""CREATE OR REPLACE FUNCTION {TABLE}_follow() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('{BULK}', true) = 'on' THEN
            RETURN NULL;  -- a bulk write counts every stage once, at its end
        END IF;
        IF TG_OP = 'INSERT' THEN
            {_INSERT}{_DELTAS["INSERT"]};
        ELSIF TG_OP = 'DELETE' THEN
            {_INSERT}{_DELTAS["DELETE"]};
        ELSE
            {_INSERT}{_DELTAS["UPDATE"]};
        END IF;
        IF FOUND AND mod(nextval('{TABLE}_writes'), {COMPACT}) = 0
                AND pg_try_advisory_xact_lock({LOCK_KEY}) THEN
            {FOLD};
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION {TABLE}_emptied() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {TABLE};
        RETURN NULL;
    END $$""",
    *statement_triggers(TABLE),
    f"""CREATE OR REPLACE TRIGGER {TABLE}_truncate AFTER TRUNCATE ON stages
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_emptied()""",
)

DROP = (
    *(f"DROP TRIGGER IF EXISTS {TABLE}_{op} ON stages" for op in ("insert", "update", "delete")),
    f"DROP TRIGGER IF EXISTS {TABLE}_truncate ON stages",
    f"DROP FUNCTION IF EXISTS {TABLE}_follow()",
    f"DROP FUNCTION IF EXISTS {TABLE}_emptied()",
    f"DROP SEQUENCE IF EXISTS {TABLE}_writes",
    f"DROP TABLE IF EXISTS {TABLE}",
)

READ = f"SELECT status, dated, sum(stages) FROM {TABLE} GROUP BY status, dated"
"""Each (status, dated)'s count of stages."""


def create(connection: Connection, *, fill: bool = False) -> None:
    """The table and its triggers (PostgreSQL only; idempotent); ``fill``: count every
    stage there is (an upgrade)."""
    if connection.dialect.name != "postgresql":
        return
    for statement in _DDL:
        connection.exec_driver_sql(statement)
    if fill:
        recount(connection)


def recount(connection: Connection) -> None:
    """Count every stage afresh (the end of a bulk write, in its transaction)."""
    if connection.dialect.name != "postgresql":
        return
    # Waits for a colleague's folding to finish (a short transaction), and keeps theirs
    # from starting until this transaction ends: their DELETE would wait on its rows.
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
    connection.exec_driver_sql(_RECOUNT)


def drop(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        for statement in DROP:
            connection.exec_driver_sql(statement)


def counts(session: Any) -> dict[tuple[str, bool], int]:
    """(status, dated) -> stages, in the session's snapshot."""
    return {(status, dated): int(n) for status, dated, n in session.execute(text(READ))}


@event.listens_for(Stage.__table__, "after_create")
def _created(_table: Any, connection: Connection, **_kw: Any) -> None:
    create(connection)


@event.listens_for(Stage.__table__, "before_drop")
def _dropping(_table: Any, connection: Connection, **_kw: Any) -> None:
    drop(connection)
