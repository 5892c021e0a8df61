"""The case list's broad searches on PostgreSQL in reference order: the cases walked along
the index of their references with their text (``db.search_order.REFERENCE_TEXT``,
schema 16), each case's text checked in the index itself. Split from ``lists_pg`` (the
reads by bucket), whose ``by_reference`` says when a page is read here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, literal_column, not_, select, true, union_all
from sqlmodel import col

from db import search_order
from db.tables import Case, Stage

from .lists_pg import _STAGE
from .lists_rows import ROW_COLUMNS

if TYPE_CHECKING:
    from .lists_sql import _Reader


def rows(
    reader: _Reader,
    segment: int,
    descending: bool,
    limit: int,
    offset: int,
    after: Any,
    before: Any,
) -> list[Any]:
    """A broad search's rows in reference order: the cases walked along the index of
    their references with their text (``search_order.REFERENCE_TEXT``, schema 16), each
    checked on that text in the index itself (strpos), and each match's row and its
    stages in the scope beside it (a lateral join, in id order). Where the matches bunch
    at the far end ('2025-0': 282,000 cases of 2024 come first at a million) this skips
    a case for a seventh of a microsecond, where reading each case's row to check it
    took a microsecond (40 ms against 130 at a million, quiet); looking up every match
    in the trigram index first cost 0.7 s at 100,000 stages, 1.9 s at a million.

    The cases too long for that index (``search_order.PG_TEXT_LIMIT``) are walked along
    their own, and the two walks' first rows merged: each walk in order with its limit,
    so the planner reads each index in order and merges them."""
    seg = reader.segments[segment]
    walks = [
        _reference_walk(reader, segment, descending, limit + offset, after, before, short)
        for short in (True, False)
    ]
    both = union_all(*walks).subquery("walks")
    columns = list(both.c)
    order = columns[len(ROW_COLUMNS) : len(ROW_COLUMNS) + len(seg.columns)]
    stmt = (
        select(*columns)
        .order_by(*(c.desc() if descending else c.asc() for c in order))
        .limit(limit)
        .offset(offset or None)
    )
    return list(reader.session.execute(stmt).all())


def _reference_walk(
    reader: _Reader,
    segment: int,
    descending: bool,
    limit: int,
    after: Any,
    before: Any,
    short: bool,
) -> Any:
    """One walk of ``rows``: the first ``limit`` rows of the cases whose text
    fits the reference index with it (``short``), or of the others."""
    seg = reader.segments[segment]
    stage = (
        select(*(col(getattr(Stage, name)) for name in _STAGE))
        .where(
            col(Stage.case_id) == col(Case.id),
            *reader._where(segment, "none"),
            *reader._bounds(segment, after, before),
        )
        .order_by(col(Stage.id).desc() if descending else col(Stage.id).asc())
        .offset(0)
        .correlate(Case.__table__)
        .lateral("stage")
    )

    def adapt(column: Any) -> Any:
        return stage.c[column.name] if column.table is Stage.__table__ else column

    # The walk reads only the index's columns (reference, id, text): an index-only scan.
    walked = Case.__table__.alias("walked")
    reference = walked.c.reference
    size = func.octet_length(reference) + func.octet_length(walked.c.search_text)
    # The index's own condition, word for word (a bound value would not prove it).
    fits = size <= literal_column(str(search_order.PG_TEXT_LIMIT))
    where = [fits if short else not_(fits)]
    where += [func.strpos(walked.c.search_text, w) > 0 for w in reader.words]
    # The bounds on the case's reference too: the reference index's walk starts there.
    low, high = (before, after) if seg.descending else (after, before)
    if low is not None:
        where.append(reference >= low[0])
    if high is not None:
        where.append(reference <= high[0])
    order = [reference.desc(), stage.c.id.desc()] if descending else [reference, stage.c.id]
    columns = (*ROW_COLUMNS, *seg.columns)
    return (
        select(*(adapt(c).label(f"c{i}") for i, c in enumerate(columns)))
        .select_from(walked)
        .join(Case, col(Case.id) == walked.c.id)
        .join(stage, true())
        .where(*where)
        .order_by(*order)
        .limit(limit)
    )
