"""The case list's broad searches on PostgreSQL, read week by week: by due date, by
received date, and the counts of every sort (the reference sort's pages are not: its
order has no buckets, and they are walked along the cases in ``lists_reference``).

A broad search ("2025": 378,000 of a million stages) has its matches bunched at one end
of the due-date sort: pg_trgm answers it with a bitmap of every match (0.6 s before a row
is read) and walking the due index tests 190,000 rows before 2025's first.

Here the due-date sort is read in its buckets (``db.search_weeks``: a week of due dates,
or a run of ids among stages without one), and the received-date sort in its weeks of
receipt ("2025" newest first: 340,000 stages of 2026 come first), in order: for each
bucket, the index's tokens of that bucket and the words' trigrams give the few cases to
look at, their stages in the bucket are checked against the filter and every word on the
case's text, and sorted. One statement walks the buckets (a lateral join over
``generate_series``) and stops when it has a page, or the count its cap: a week with no
match costs a few index pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Text, func, literal, literal_column, select, text, true
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlmodel import col

from db import search_weeks
from db.tables import Case, Stage

from .context import Context
from .lists_model import CAP, CaseFilter
from .lists_rows import ROW_COLUMNS
from .lists_where import _scope

if TYPE_CHECKING:
    from .lists_sql import _Reader

_PARALLEL = {
    # Every read of the case list stops at a page or a capped count: starting parallel
    # workers costs more than it saves (17 ms to count no row, under load).
    "max_parallel_workers_per_gather": "0",
}
_PLANNER = {
    # The buckets' lateral join must stay a nested loop read in bucket order, each
    # bucket's cases found by the token index and their stages by the case's index;
    # a hash join would read every stage of the due range, JIT compile for the loop's
    # estimated rows.
    "enable_hashjoin": "off",
    "enable_mergejoin": "off",
    "jit": "off",
}


def parallel() -> Any:
    """The first statement of every reader's transaction on PostgreSQL: no parallel
    workers."""
    return _set(_PARALLEL)


def plan_by_bucket(reader: _Reader) -> None:
    """Once the reader knows its search is broad (``_broad``): no hash or merge joins and
    no JIT for the rest of its transaction. Its other reads walk a sort's index a page
    long, nested loops either way; set once rather than around each bucket read and put
    back after, which cost four round trips a keystroke (each 5-10 ms when the machine
    is loaded). A search matching few cases keeps the usual planner: its matches are
    joined to their stages by hash (23 ms for '2025-00' at 100,000 stages, where a nested
    loop walks the due index, 36 ms)."""
    if _broad(reader):
        reader.session.execute(_set(_PLANNER))


def _set(settings: dict[str, str]) -> Any:
    put = ", ".join(f"set_config('{n}', '{v}', true)" for n, v in settings.items())
    return text(f"SELECT {put}")


def _broad(reader: _Reader) -> bool:
    """A search over closed or all stages, on PostgreSQL, whose words the token index can
    answer, that is broad (looking up every match costs as they are many)."""
    if not (
        reader.ctx.engine.dialect.name == "postgresql"
        and reader.found is not None
        and bool(search_weeks.trigrams(reader.words))
    ):
        return False
    # Broad at the list's usual cap, also when a longer count (the list's last row asked
    # for) makes it narrow: PostgreSQL would walk the sort's index to its matches. (Open
    # stages: ``running_matches`` finds the open cases holding the words directly.)
    return reader.filter.scope != "open" and (reader.broad or reader.matched > CAP)


def applies(reader: _Reader) -> bool:
    """True: this filter's pages are read by bucket: a broad search (``_broad``) sorted
    by due date or by received date, the sorts that have buckets."""
    return reader.filter.sort in ("due", "received") and _broad(reader)


def counts(reader: _Reader) -> bool:
    """True: this filter's counts are read by bucket: a broad search in any sort. A
    count needs no order, so the reference sort's is counted in received weeks."""
    return _broad(reader)


def _scheme(reader: _Reader, segment: int) -> str:
    """The buckets a segment is read in: "due" (weeks of due dates), "undated" (runs of
    ids of the stages without one) or "received" (weeks of received dates)."""
    if reader.filter.sort == "due":
        return "due" if segment == 0 else "undated"
    return "received"


RUNNING_DRIVE = 4_000
"""Open cases holding the words up to this many are read from the token index and sorted
('ahmed': 1,066 of a million stages' 16,863 open ones; 40 ms, where testing the open
stages in due order for 1,001 matches tested them all, 130 ms)."""


def running_matches(ctx: Context, f: CaseFilter, words: Sequence[str]) -> Any:
    """The ids of the open cases holding every word, as a subquery, or None (SQLite, another
    scope, or words the token index cannot answer). A case with a running clock has the
    bucket ``search_weeks.RUNNING``: its tokens of the words' trigrams name the few open
    cases that can hold them, each then checked on its text. Testing each of a million
    stages' 17,000 open ones instead costs 10 us a stage ('zoe': 170 ms); the token index
    answers in a few ms however common the words are among all cases."""
    if ctx.engine.dialect.name != "postgresql" or f.scope != "open" or not words:
        return None
    grams = search_weeks.trigrams(words)
    if not grams:
        return None
    wanted = literal(search_weeks.tokens(grams, search_weeks.RUNNING), ARRAY(Text))
    return select(col(Case.id)).where(
        _tokens().op("@>")(wanted),
        *(func.strpos(col(Case.search_text), w) > 0 for w in words),
    )


def _tokens() -> Any:
    """The token index's expression (the planner uses the index for exactly this)."""
    return getattr(func, search_weeks.TOKENS)(
        literal_column(f"cases.{search_weeks.COLUMN}"), col(Case.search_text)
    )


def _series(reader: _Reader, segment: int, descending: bool, after: Any, before: Any) -> Any:
    """The segment's buckets in reading order, from the one holding the bound, or None
    when the segment holds no stage of the scope."""
    scheme = _scheme(reader, segment)
    if (segment, scheme) not in reader.ends:  # the count and the page ask alike
        reader.ends[segment, scheme] = _ends(reader, segment, scheme)
    low, high = reader.ends[segment, scheme]
    if low is None:
        return None
    bucket = _BUCKET_OF[scheme]
    first, last = bucket(low), bucket(high)
    # A bound is a row's sort values: in a descending sort the rows after it are lower.
    if reader.segments[segment].descending:
        after, before = before, after
    if after is not None:
        first = max(first, bucket(after[0]))
    if before is not None:
        last = min(last, bucket(before[0]))
    start, stop, step = (last, first, -1) if descending else (first, last, 1)
    series = func.generate_series(start, stop, step).table_valued("bucket")
    return series.render_derived(name="buckets")


def _ends(reader: _Reader, segment: int, scheme: str) -> tuple[Any, Any]:
    """The scope's least and greatest sort values of a segment's stages in a scheme's
    buckets, or (None, None) when it holds no stage of the scope."""
    where = [*_scope(reader.filter, segment), *reader.stage_where]
    if scheme != "undated":
        # The scope's earliest and latest dates: the ends of an index either way.
        on = col(Stage.due) if scheme == "due" else col(Stage.received)
        low, high = reader.session.execute(
            select(func.min(on), func.max(on)).where(*where, on.is_not(None))
        ).one()
    else:
        undated = col(Stage.due).is_(None)
        if reader.session.execute(select(col(Stage.id)).where(*where, undated).limit(1)).first():
            # The ends of the due index's stages without a due date (in id order there):
            # with the scope too, PostgreSQL would walk the primary key past every stage.
            def end(order: Any) -> int:
                stmt = select(col(Stage.id)).where(undated).order_by(col(Stage.due), order)
                return int(reader.session.execute(stmt.limit(1)).scalar_one())

            low, high = end(col(Stage.id).asc()), end(col(Stage.id).desc())
        else:
            low = high = None
    return low, high


_BUCKET_OF: dict[str, Callable[[Any], int]] = {
    "due": search_weeks.week,
    "undated": search_weeks.undated,
    "received": search_weeks.received_week,
}


def _in_bucket(scheme: str, bucket: Any) -> list[ColumnElement[bool]]:
    if scheme == "due":
        start = literal(search_weeks.EPOCH) + 7 * bucket
        return [col(Stage.due) >= start, col(Stage.due) < start + 7]
    if scheme == "received":
        start = literal(search_weeks.EPOCH) + 7 * (bucket - search_weeks.RECEIVED)
        return [col(Stage.received) >= start, col(Stage.received) < start + 7]
    first = (bucket - search_weeks.UNDATED) * search_weeks.UNDATED_SPAN
    return [col(Stage.id) >= first, col(Stage.id) < first + search_weeks.UNDATED_SPAN]


_STAGE = ("id", "procedure", "number", "received", "due", "status")
"""The stage columns a page reads (``lists_rows.ROW_COLUMNS``) and the sort's."""


def _bucket_rows(
    reader: _Reader, segment: int, bucket: Any, after: Any, before: Any
) -> tuple[Any, Callable[[Any], Any]]:
    """One bucket's matching stages, and the adapter of a stage column to them: the
    bucket's cases from the token index, checked on the case's text, then their stages
    in the bucket checked against the filter. The stages are a fenced lateral join (OFFSET
    0), so the cases always drive: reading the bucket's open stages by the status index
    and each one's case instead costs 3 ms a week at a million (16,863 open stages)."""
    grams = search_weeks.trigrams(reader.words)
    wanted = array([func.concat(bucket, f":{g}") for g in grams], type_=ARRAY(Text))
    indexed = _tokens()
    stage = (
        select(*(col(getattr(Stage, name)) for name in _STAGE))
        .where(
            col(Stage.case_id) == col(Case.id),
            *reader._where(segment, "none"),
            *_in_bucket(_scheme(reader, segment), bucket),
            *reader._bounds(segment, after, before),
        )
        .offset(0)
        .correlate(Case.__table__, bucket.table)
        .lateral("stage")
    )

    def adapt(column: Any) -> Any:
        return stage.c[column.name] if column.table is Stage.__table__ else column

    stmt = (
        select(literal(1).label("one"))
        .select_from(Case)
        .join(stage, true())
        .where(
            indexed.op("@>")(wanted),
            # strpos, not LIKE: the same test, which the planner cannot answer with the
            # trigram index too (ANDing its bitmap of every match costs 13 ms a bucket).
            *(func.strpos(col(Case.search_text), w) > 0 for w in reader.words),
        )
    )
    return stmt, adapt


def count(reader: _Reader, segment: int, limit: int) -> int:
    """How many stages of the segment match (at most ``limit``). Unsorted: a bucket's
    count stops at the limit where its rows in order would need them all sorted (reading
    the first page with the count was slower: 40 ms against 17 + 9 for '2025' at 1M)."""
    series = None if limit <= 0 else _series(reader, segment, False, None, None)
    if series is None:
        return 0
    inner, _ = _bucket_rows(reader, segment, series.c.bucket, None, None)
    found = inner.limit(limit).lateral("found")
    rows = select(found.c.one).select_from(series).join(found, true()).limit(limit).subquery()
    return int(reader.session.execute(select(func.count()).select_from(rows)).scalar_one())


def rows(
    reader: _Reader,
    segment: int,
    descending: bool,
    limit: int,
    offset: int,
    after: Any,
    before: Any,
) -> list[Any]:
    """A segment's rows in sort order (``descending``: from its end), after or before a
    row's sort values, ``offset`` rows on."""
    stmt = _statement(reader, segment, descending, limit, offset, after, before)
    if stmt is None:
        return []
    return list(reader.session.execute(stmt).all())


def _statement(
    reader: _Reader,
    segment: int,
    descending: bool,
    limit: int,
    offset: int,
    after: Any,
    before: Any,
) -> Any:
    series = _series(reader, segment, descending, after, before)
    if series is None:
        return None
    seg = reader.segments[segment]
    inner, adapt = _bucket_rows(reader, segment, series.c.bucket, after, before)
    inner = inner.with_only_columns(*(adapt(c) for c in (*ROW_COLUMNS, *seg.columns)))
    order = [adapt(c).desc() if descending else adapt(c).asc() for c in seg.columns]
    found = inner.order_by(*order).limit(limit + offset).lateral("found")
    # The buckets come in order and each bucket's rows sorted: the join's rows are in
    # sort order as read (an ORDER BY here would make PostgreSQL read every bucket).
    stmt = select(*found.c).select_from(series).join(found, true()).limit(limit)
    return stmt.offset(offset) if offset else stmt


def by_reference(reader: _Reader) -> bool:
    """True: a broad search's page in the reference sort is read by walking the cases in
    reference order, each case's text checked (``lists_reference.rows``)."""
    return reader.filter.sort == "reference" and not reader.few and _broad(reader)
