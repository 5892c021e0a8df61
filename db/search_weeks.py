"""PostgreSQL's search index in due-date and received-date order: each case's trigrams,
by the weeks its stages fall due in and were received in.

A broad search sorted by due date ("2025" matches 378,000 of a million stages) has its
matches bunched at one end of the sort. pg_trgm answers it with a bitmap of every match
before reading a row (about 0.6 s), and GIN cannot give matches in sort order; walking
the due index instead tests 190,000 rows before the first page of 2025's. SQLite has
``db.search_order`` for this; this is PostgreSQL's way to the same end:

- ``cases.order_weeks`` (a column only PostgreSQL has, unknown to the models) lists the
  buckets of the case's stages in the due-date sort: the week each falls due in (weeks
  from a Monday, ``week``), or for a stage without a due date its id's run of
  ``UNDATED_SPAN`` above ``UNDATED`` (that segment is sorted by id);
- a GIN index on ``order_tokens(order_weeks, search_text)``: every pair of one of those
  buckets and one of the text's trigrams (pg_trgm's ``show_trgm``), as ``'week:trigram'``.
  A search asks for one bucket's tokens of its words' trigrams (``tokens``): small posting
  lists, so a week with no match costs a few index pages, not a pass over the trigrams'
  posting lists of every case;
- every case with a running clock (a stage open or suspended) also has the bucket
  ``RUNNING``: its tokens give a search over open stages the few open cases holding its
  words, where testing every open stage's text costs 10 us a stage (170 ms at a million);
- every case also has the received-date sort's buckets: the week each of its stages was
  received in, from ``RECEIVED`` (schema 14). A broad search newest first ("2025": the
  2026 stages come first and hold none of it) is read by them as by the due weeks, and
  any sort's count of a broad search (a count needs no order: the reference sort's too);
- statement triggers on stages keep ``order_weeks`` in step in the writing transaction
  (a stage added, deleted, re-dated, re-received, moved, opened or closed); the index
  follows the text by itself.

The reader (``complaints_tui.services.lists_pg``) reads the buckets in order, one at a
time, and stops after a page: every match is still checked on the case's text.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, event

from .tables import Stage

COLUMN = "order_weeks"
INDEX = "ix_cases_order_tokens"
TOKENS = "order_tokens"
"""The index's SQL function: (buckets, text) -> the 'bucket:trigram' tokens."""

EPOCH = date(2000, 1, 3)
"""A Monday: week 0 starts here (weeks before it are negative)."""
UNDATED = 1 << 24
"""The first bucket of the stages without a due date: after every week (300,000 years)."""
UNDATED_SPAN = 4096
"""Stage ids per bucket of the stages without a due date."""

RUNNING = -(1 << 24)
"""The bucket of every case with a running clock, whatever its due dates: before every
week (300,000 years before 2000), so no due-date walk ever reads it."""
RECEIVED = -(1 << 25)
"""Where the received-date sort's buckets start: a stage received in week ``w`` (from
``EPOCH``) is in bucket ``RECEIVED + w``, far below ``RUNNING`` and every due week, so
neither a due-date walk nor an open-stage search ever reads one (schema 14)."""

RUNNING_STATUSES = ("open", "suspended")
"""``domain.clocks.OPEN_STATUSES`` (db/ does not import the domain's rules)."""

BULK = "complaints.order_weeks_bulk"
"""A setting local to a bulk write's transaction: the triggers leave the weeks to it."""

_BUCKET = (
    "CASE WHEN {s}.due IS NULL THEN {undated} + {s}.id / {span} "
    "ELSE floor(({s}.due - DATE '{epoch}') / 7.0)::integer END"
)


def _bucket(stage: str) -> str:
    return _BUCKET.format(s=stage, undated=UNDATED, span=UNDATED_SPAN, epoch=EPOCH.isoformat())


_RECEIVED_BUCKET = "{base} + floor(({s}.received - DATE '{epoch}') / 7.0)::integer"

_RUNNING_SQL = ", ".join(f"'{status}'" for status in RUNNING_STATUSES)
_BUCKETS = (
    "stages s CROSS JOIN LATERAL (VALUES ({bucket}), (CASE WHEN s.status IN ({running}) "
    "THEN {marker} END), ({received})) b(bucket)"
).format(
    bucket=_bucket("s"),
    running=_RUNNING_SQL,
    marker=RUNNING,
    received=_RECEIVED_BUCKET.format(base=RECEIVED, s="s", epoch=EPOCH.isoformat()),
)
"""Each stage's buckets as rows ``b.bucket``: its place in the due-date sort, ``RUNNING``
when its clock runs (NULL otherwise: every use drops NULLs), and its week of the
received-date sort."""


def _weeks_of(case: str) -> str:
    return (
        f"(SELECT coalesce(array_agg(DISTINCT b.bucket), '{{}}') FROM {_BUCKETS} "
        f"WHERE s.case_id = {case} AND b.bucket IS NOT NULL)"
    )


def _follow(cases: str) -> str:
    return (
        f"UPDATE cases c SET {COLUMN} = {_weeks_of('c.id')} WHERE c.id IN ({cases}) "
        f"AND c.{COLUMN} IS DISTINCT FROM {_weeks_of('c.id')};"
    )


_MOVED = (
    "SELECT n.case_id FROM new_rows n JOIN old_rows o ON o.id = n.id "
    "WHERE n.due IS DISTINCT FROM o.due OR n.case_id <> o.case_id "
    "OR n.status IS DISTINCT FROM o.status OR n.received IS DISTINCT FROM o.received"
)
_MOVED_FROM = _MOVED.replace("SELECT n.case_id", "SELECT o.case_id")


def _ddl(trgm: str) -> tuple[str, ...]:
    """``trgm``: the schema pg_trgm lives in."""
    return (
        f"ALTER TABLE cases ADD COLUMN IF NOT EXISTS {COLUMN} integer[] NOT NULL DEFAULT '{{}}'",
        f"""CREATE OR REPLACE FUNCTION {TOKENS}(weeks integer[], words text) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT coalesce(array_agg(w::text || ':' || g), '{{}}')
            FROM unnest(weeks) w, unnest("{trgm}".show_trgm(words)) g
        $$""",
        f"""CREATE OR REPLACE FUNCTION {COLUMN}_follow() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF current_setting('{BULK}', true) = 'on' THEN
                RETURN NULL;  -- a bulk write works every case out once, at its end
            END IF;
            IF TG_OP = 'INSERT' THEN
                {_follow("SELECT case_id FROM new_rows")}
            ELSIF TG_OP = 'DELETE' THEN
                {_follow("SELECT case_id FROM old_rows")}
            ELSE
                {_follow(f"{_MOVED} UNION {_MOVED_FROM}")}
            END IF;
            RETURN NULL;
        END $$""",
        *statement_triggers(COLUMN),
    )


def statement_triggers(name: str) -> tuple[str, ...]:
    """Triggers ``{name}_insert``, ``_update`` and ``_delete`` on stages, each calling the
    function ``{name}_follow()`` once a statement, with the rows it wrote as ``new_rows``
    and ``old_rows``."""
    referencing = {
        "insert": "NEW TABLE AS new_rows",
        "update": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
        "delete": "OLD TABLE AS old_rows",
    }
    return tuple(
        f"CREATE OR REPLACE TRIGGER {name}_{op} AFTER {op.upper()} ON stages "
        f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {name}_follow()"
        for op, tables in referencing.items()
    )


DROP = (
    f"DROP TRIGGER IF EXISTS {COLUMN}_insert ON stages",
    f"DROP TRIGGER IF EXISTS {COLUMN}_update ON stages",
    f"DROP TRIGGER IF EXISTS {COLUMN}_delete ON stages",
    f"DROP FUNCTION IF EXISTS {COLUMN}_follow()",
    f"DROP INDEX IF EXISTS {INDEX}",
    f"ALTER TABLE cases DROP COLUMN IF EXISTS {COLUMN}",
    f"DROP FUNCTION IF EXISTS {TOKENS}(integer[], text)",
)

_INDEX = f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases USING gin ({TOKENS}({COLUMN}, search_text))"
_FILL_OF = (
    f"UPDATE cases c SET {COLUMN} = w.weeks FROM (SELECT s.case_id, "
    f"array_agg(DISTINCT b.bucket) AS weeks FROM {_BUCKETS} "
    "WHERE b.bucket IS NOT NULL{among} GROUP BY s.case_id) w "
    "WHERE w.case_id = c.id"
)
_FILL = _FILL_OF.format(among="")
_FILL_ABOVE = (
    _FILL_OF.format(among=" AND s.case_id IN (SELECT case_id FROM stages WHERE id > %(above)s)")
    + f" AND c.{COLUMN} IS DISTINCT FROM w.weeks"
)
_FILL_RUNNING = (
    _FILL_OF.format(
        among=f" AND s.case_id IN (SELECT case_id FROM stages WHERE status IN ({_RUNNING_SQL}))"
    )
    + f" AND c.{COLUMN} IS DISTINCT FROM w.weeks"
)
"""Schema 12: the cases with a running clock gain ``RUNNING`` (a few percent of them)."""


def add_received(connection: Connection) -> None:
    """Schema 14's upgrade: the triggers follow a stage's received date too, and every
    case gains the received weeks of its stages (PostgreSQL only). Every case row is
    rewritten, so the token index is built afresh after, in one pass, rather than
    kept up to date row by row."""
    if connection.dialect.name != "postgresql":
        return
    from . import search

    # Every case row gets a new version: with the substring index in place too, each one
    # is also added to it (28 s at 100,000 cases, against 7 s for the rewrite alone and
    # 14 s to build that index again). Both indexes are built after, each in one pass,
    # with memory enough to sort their keys in few runs.
    connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
    connection.exec_driver_sql(f"DROP INDEX IF EXISTS {INDEX}")
    search.drop_index(connection)
    create(connection, fill=True)
    search.create_index(connection)


def create(connection: Connection, *, fill: bool = False) -> None:
    """The column, its triggers and the index (PostgreSQL only; idempotent); ``fill``:
    work out every case's weeks first (the index is built after, in one pass)."""
    if connection.dialect.name != "postgresql":
        return
    from .search import PG_EXTENSION_SCHEMA

    connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    trgm = connection.exec_driver_sql(PG_EXTENSION_SCHEMA).scalar_one()
    for statement in _ddl(trgm):
        connection.exec_driver_sql(statement)
    if fill:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {INDEX}")
        connection.exec_driver_sql(_FILL)
    connection.exec_driver_sql(_INDEX)


def mark_running(connection: Connection) -> None:
    """Schema 12's upgrade: the new triggers, and ``RUNNING`` for every case whose clock
    runs (PostgreSQL only)."""
    if connection.dialect.name != "postgresql":
        return
    create(connection)
    connection.exec_driver_sql(_FILL_RUNNING)
    # The new tokens wait in GIN's pending list, which every search then scans (346
    # pages at a million: the open-stage searches took 2-3 times as long) until a
    # vacuum that 16,000 updated rows would not start: moved into the index now.
    connection.exec_driver_sql(f"SELECT gin_clean_pending_list('{INDEX}')")


@contextmanager
def bulk(connection: Connection, *, emptied: bool = False) -> Iterator[None]:
    """Around a bulk write of stages (import, demo, copy, restore) in one transaction: the
    triggers (these and ``db.stage_counts``'s) stand aside (a setting local to the
    transaction, so other officers' writes meanwhile are followed as ever); the cases of
    the new stages are worked out in one statement at the end, rather than one update of
    a case per stage written, and every stage is counted afresh (``stage_counts.recount``).
    Nothing on SQLite (``db.search_order.bulk`` is its counterpart)."""
    if connection.dialect.name != "postgresql":
        yield
        return
    above = 0
    if not emptied:
        above = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM stages").scalar()
    # Into an empty database (demo data, a first import, a restore) the token index is
    # built once at the end: kept up to date row by row, it made a demo of 20,000 cases
    # take 23 s instead of 15.
    whole = not above
    if whole:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {INDEX}")
    connection.exec_driver_sql(f"SELECT set_config('{BULK}', 'on', true)")
    yield
    connection.exec_driver_sql(_FILL_ABOVE, {"above": above})
    # The stage counts' trigger stood aside too (the same setting): counted afresh.
    from . import stage_counts

    stage_counts.recount(connection)
    connection.exec_driver_sql(f"SELECT set_config('{BULK}', 'off', true)")
    if whole:
        connection.exec_driver_sql(_INDEX)


def drop(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        for statement in DROP:
            connection.exec_driver_sql(statement)


@event.listens_for(Stage.__table__, "after_create")
def _created(_table: Any, connection: Connection, **_kw: Any) -> None:
    create(connection)


@event.listens_for(Stage.__table__, "before_drop")
def _dropping(_table: Any, connection: Connection, **_kw: Any) -> None:
    drop(connection)


# -- reading ---------------------------------------------------------------------------------


def week(due: date) -> int:
    """The bucket of a stage due on ``due``."""
    return (due - EPOCH).days // 7


def week_start(bucket: int) -> date:
    return EPOCH + timedelta(days=7 * bucket)


def undated(stage_id: int) -> int:
    """The bucket of a stage without a due date."""
    return UNDATED + stage_id // UNDATED_SPAN


def received_week(received: date) -> int:
    """The bucket of a stage received on ``received``."""
    return RECEIVED + (received - EPOCH).days // 7


def received_start(bucket: int) -> date:
    return EPOCH + timedelta(days=7 * (bucket - RECEIVED))


_RUN = re.compile("[a-z0-9]+")
_APART = frozenset(string.punctuation + string.whitespace)
"""ASCII characters pg_trgm never counts as part of a word, in any locale."""


def trigrams(words: Sequence[str]) -> list[str]:
    """Trigrams every text holding these (folded) words has among its ``show_trgm``: those
    inside a run of ASCII letters and digits (pg_trgm splits words at anything else, and
    writes a trigram of other letters as a hash), and where the word has punctuation
    beside a run, the padded trigrams of a word's start or end ('2025-0': '25 ' and
    '  0', which tell 2025-0... from 2025-1...). Empty: the index cannot help, and the
    reader goes the usual way."""
    grams: dict[str, None] = {}
    for word in words:
        for found in _RUN.finditer(word):
            run, start, end = found.group(), found.start(), found.end()
            grams.update((run[i : i + 3], None) for i in range(len(run) - 2))
            if start and word[start - 1] in _APART:
                grams["  " + run[0]] = None
                if len(run) >= 2:
                    grams[" " + run[:2]] = None
            if end < len(word) and word[end] in _APART and len(run) >= 2:
                grams[run[-2:] + " "] = None
    return list(grams)


def tokens(grams: Sequence[str], bucket: int) -> list[str]:
    return [f"{bucket}:{g}" for g in grams]
