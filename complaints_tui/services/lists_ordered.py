"""SQLite's reads of a search's matches in the sort's own order, over closed or all stages.

A broad search ("2025" matches 378,000 of a million stages) has its matches bunched in
every sort: reading along the sort's index walks past most of the table before it meets a
page of them, and looking every match up to sort it costs as much as the matches are many.
Here a page reads an index that holds the matches in the sort's order:

- by due date or received date: the stage index of that sort (``db.search_order``, FTS5
  trigrams keyed by the stage's place in it); each row's words are checked on its case's
  text too, as the index holds trigrams only;
- by reference: cases in reference order with their folded text
  (``search_order.REFERENCE_TEXT``), each case's words checked in the index itself, so a
  case that does not match costs a fifth of a microsecond and its row is never read.

Used for such a search unless it lists few rows (``_Reader.few``: at most the cap; those
are read from the matches and sorted). PostgreSQL reads otherwise (``lists_sql``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select, tuple_
from sqlmodel import col

from db import search, search_order
from db.tables import Case, Stage

from .lists_rows import ROW_COLUMNS

if TYPE_CHECKING:
    from .lists_sql import _Reader

_INDEXES = {"due": search_order.DUE, "received": search_order.RECEIVED}


def applies(reader: _Reader) -> bool:
    """True: this filter's pages can be read in its sort's order on SQLite (a search with
    a word of three letters or more, over closed or all stages)."""
    return (
        reader.found is not None
        and reader.filter.scope != "open"
        and reader.ctx.engine.dialect.name == "sqlite"
        and search_order.match(reader.words) is not None
        and (reader.filter.sort in _INDEXES or reader.filter.sort == "reference")
    )


def statement(
    reader: _Reader,
    segment: int,
    descending: bool,
    after: tuple[Any, ...] | None,
    before: tuple[Any, ...] | None,
) -> Any:
    """A segment's rows in sort order (``descending``: from its end), after or before a
    row's sort values; the caller adds the limit and offset."""
    if reader.filter.sort == "reference":
        return _by_reference(reader, segment, descending, after, before)
    return _by_stage_index(reader, _INDEXES[reader.filter.sort], segment, descending, after, before)


def _by_stage_index(
    reader: _Reader,
    index: search_order.Order,
    segment: int,
    descending: bool,
    after: tuple[Any, ...] | None,
    before: tuple[Any, ...] | None,
) -> Any:
    """Read in the index's order: its matches come already sorted, so a page stops after a
    page of them, however far along the sort they lie."""
    table = index.table()
    key = table.c.rowid
    where = [
        table.c[index.name].op("MATCH")(search_order.match(reader.words)),
        *reader._where(segment, "none"),
        *search.text_holds(reader.words),
    ]
    if index is search_order.RECEIVED:  # one segment, newest first

        def at(values: tuple[Any, ...]) -> int:
            return search_order.received_key(values[0], values[1])

    else:
        undated = search_order.UNDATED
        where.append(key < undated if segment == 0 else key >= undated)

        def at(values: tuple[Any, ...]) -> int:
            due, stage_id = (values[0], values[1]) if segment == 0 else (None, values[0])
            return search_order.due_key(due, stage_id)

    # The key grows along the sort; newest first reads it downwards.
    down = reader.segments[segment].descending
    if after is not None:
        where.append(key < at(after) if down else key > at(after))
    if before is not None:
        where.append(key > at(before) if down else key < at(before))
    return (
        select(*ROW_COLUMNS, *reader.segments[segment].columns)
        .select_from(table)
        .join(Stage, col(Stage.id) == key.op("&")(search_order.STAGE_MASK))
        .join(Case, col(Case.id) == col(Stage.case_id))
        .where(*where)
        .order_by(key.desc() if descending else key.asc())
    )


def _by_reference(
    reader: _Reader,
    segment: int,
    descending: bool,
    after: tuple[Any, ...] | None,
    before: tuple[Any, ...] | None,
) -> Any:
    """Cases walked in reference order along the index that holds their text, each
    checked there; only a matching case's stages are read (its stages in id order)."""
    columns = reader.segments[segment].columns
    reference = col(Case.reference)
    where = [*reader._where(segment, "none"), *search.text_holds(reader.words)]
    # The reference bounds the walk where the index can use it (the pair alone it cannot);
    # ">= ''" is always true but keeps SQLite walking cases in reference order.
    where.append(reference >= (after[0] if after is not None else ""))
    if after is not None:
        where.append(tuple_(*columns) > tuple_(*after))
    if before is not None:
        where += [reference <= before[0], tuple_(*columns) < tuple_(*before)]
    order = [c.desc() if descending else c.asc() for c in columns]
    return (
        select(*ROW_COLUMNS, *columns)
        .select_from(Stage)
        .join(Case, col(Case.id) == col(Stage.case_id))
        .where(*where)
        .order_by(*order)
    )
