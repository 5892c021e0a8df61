"""The case list's SQL: the reader of pages and counts.

A filter's conditions and the sorts' segments are in ``lists_where``; the columns a page
reads, and the row they make, in ``lists_rows``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, literal_column, select, tuple_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from complaints_tui.domain.search_text import search_words
from db import search
from db.tables import Case, Stage

from . import lists_counts, lists_ordered, lists_pg, lists_reference
from .context import Context
from .lists_model import CAP, DRIVE, CaseFilter, CaseRow
from .lists_rows import ROW_COLUMNS, row
from .lists_where import _case_conditions, _scope, _search_ids, _segments, _stage_conditions

WALK = 5_000
"""How far along the sort's index a broad search's page looks before checking every row
against the index's matches: a search reads this way only when it matches more than
``DRIVE`` cases (2% of a million), so a page's hundred rows are usually within it."""


FIRST_WALK = 1_000
"""How far PostgreSQL's broad searches by received date or reference look along the
sort's index before reading by bucket or along the cases (``lists_pg``)."""


class _Reader:
    """Runs one filter's queries in one session.

    ``cap``: a narrowed filter is counted up to this many stages (see ``CAP``); ``drive``:
    a search matching up to this many cases is read from them (see ``DRIVE``). ``capped``
    and ``matched`` come from the listing when paging, so every page reads as the first did.
    """

    def __init__(
        self,
        ctx: Context,
        session: Session,
        f: CaseFilter,
        total: int | None = None,
        working_days: bool = True,
        *,
        cap: int = CAP,
        capped: bool = False,
        drive: int = DRIVE,
        matched: int | None = None,
    ) -> None:
        self.working_days = working_days
        self.ctx, self.session, self.filter = ctx, session, f
        self.words = search_words(f.search)
        if ctx.engine.dialect.name == "postgresql":
            session.execute(lists_pg.parallel())  # for the whole transaction
        self.stage_where = _stage_conditions(ctx, f)
        self.case_where = _case_conditions(ctx, f)
        self.found = _search_ids(ctx, f)
        """The cases the search matches (a subquery of the index), or None: no search."""
        long = search.long_words(self.words)
        self.indexed = search.matching_ids(ctx.engine.dialect.name, long)
        """The cases holding the search's long words: what the index answers by itself
        (the shorter words are then checked on each case's own text)."""
        self.short = [w for w in self.words if w not in long]
        running = lists_pg.running_matches(ctx, f, self.words)
        self.running = running is not None
        """PostgreSQL's open-stage search: the matches are the open cases holding the
        words, straight from the token index (``lists_pg.running_matches``), and drive
        the reads as a search's matches do over closed or all stages."""
        if running is not None:
            self.found = self.indexed = running
            self.short = []
        self.segments = _segments(f.sort)
        self.today = ctx.today()
        self.cap, self.drive = cap, drive
        self.matched = self._matched() if matched is None else matched
        """The cases holding the search's long words, counted up to ``drive + 1`` (or
        ``cap + 1``, where only that is asked: ``_matched``): the plan is chosen by it."""
        self.broad = self.found is not None and self.matched > cap
        # PostgreSQL's open cases holding the words are known before counting: few of
        # them drive the count and the pages from the first statement on.
        self.few = self.running and self.matched <= self._drive
        self.ends: dict[tuple[int, str], tuple[Any, Any]] = {}
        """A segment's least and greatest sort values in a scheme of buckets, read once
        for the count and the page (``lists_pg``)."""
        self.read: dict[int, list[Any]] = {}
        """Rows a segment's count read in sort order (``lists_counts._counted_by_reading``)."""
        if total is not None:
            self.know(total, capped)
        lists_pg.plan_by_bucket(self)  # PostgreSQL's broad searches: nested loops

    @property
    def _drive(self) -> int:
        """Up to this many matching cases are read from and sorted. PostgreSQL's open
        cases holding the words (``running``) are found by the token index for a few
        microseconds each, where testing each open stage in due order for a page costs
        10 us a stage: more than ``lists_pg.RUNNING_DRIVE`` of them, and they are dense
        enough among the open stages for a page to be found a few rows in."""
        return lists_pg.RUNNING_DRIVE if self.running else self.drive

    @property
    def drives(self) -> bool:
        """True: the search's matches can drive the reads (closed or all stages, or
        PostgreSQL's open cases holding the words); otherwise open stages are few, and
        each one's text is checked."""
        return self.filter.scope != "open" or self.running

    @property
    def narrowed(self) -> bool:
        return bool(self.stage_where or self.case_where) or self.found is not None

    def _matched(self) -> int:
        # Counted from the index, reading at most that many: what the plan is chosen by.
        # More than ``cap``: pages test each row's text (most rows pass) instead of
        # looking up every match first (which costs as much as the matches are many).
        if self.indexed is None:
            return 0
        # Only "more than the cap?" matters where the plan does not drive by the matches
        # (open stages, and SQLite's reads in the sort's order): a common word's count
        # stops at 1,001 (``smith delay``: 13 ms where 4,624 matches took 60).
        drives = self.filter.scope != "open" and not lists_ordered.applies(self)
        limit = (max(self.cap, self.drive) if drives else self.cap) + 1
        if self.running:  # PostgreSQL's open cases holding the words: see _drive
            limit = max(self.cap, self._drive) + 1
        some = select(func.count()).select_from(self.indexed.limit(limit).subquery())
        return int(self.session.execute(some).scalar_one())

    def know(self, total: int, capped: bool = False) -> None:
        # A filter matching few of all the stages is cheaper read from the matching cases
        # and sorted than by walking the sort's index past every row that does not match.
        # Open stages are few anyway and the status index reads them directly.
        # A search matching few enough cases is read from them however many rows it
        # lists: its matches may all lie at the far end of the sort's index.
        # (Unless SQLite reads them in the sort's order: ``lists_ordered``.)
        few = (not capped and total <= self.cap) or (
            self.found is not None
            and self.matched <= self._drive
            and not lists_ordered.applies(self)
        )
        self.few = few and self.narrowed and self.drives

    def _search_where(self, segment: int | None, mode: str = "auto") -> list[ColumnElement[bool]]:
        """The search's conditions; ``mode`` "none" leaves them out, "index" checks each
        row against the index's matches even when the search is broad."""
        if self.found is None or mode == "none":
            return []
        if self.drives and segment is None:
            return []  # counted through a join with the index (``counts``)
        if self.drives and self.few:
            # The index's matches drive, then sorted; shorter words checked on each case
            # read (the index would look up every match's text for them).
            return [col(Stage.case_id).in_(self.indexed), *search.text_holds(self.short)]
        if self.broad and mode == "auto":
            return search.text_holds(self.words)  # most rows pass: test each one read
        # Each row read along the sort's index is checked against the matches; the unary
        # plus stops SQLite from driving by the case index instead.
        return [literal_column("+stages.case_id").in_(self.found)]

    def _tests_text(self, segment: int | None) -> bool:
        return (
            self.found is not None
            and self.broad
            and not (self.drives and (segment is None or self.few))
        )

    def _where(self, segment: int | None, mode: str = "auto") -> list[ColumnElement[bool]]:
        where = [
            *_scope(self.filter, segment),
            *self.stage_where,
            *self._search_where(segment, mode),
        ]
        if self.case_where and segment is not None and self.few:
            matching = aliased(Case)
            where.append(
                col(Stage.case_id).in_(
                    select(col(matching.id)).where(
                        *_case_conditions(self.ctx, self.filter, matching)
                    )
                )
            )
        elif segment is not None or self.filter.scope == "open":
            # Open stages are few: checked one by one, never found by the officer's index.
            where += _case_conditions(self.ctx, self.filter, walking=True)
        else:
            where += self.case_where
        if segment is not None and (seg := self.segments[segment]).where is not None:
            where.append(seg.where)
        return where

    def counts(self) -> tuple[tuple[int, ...], bool]:
        """Each segment's row count, and whether counting stopped at the cap (see
        ``lists_counts.counts``)."""
        return lists_counts.counts(self)

    def query(
        self,
        segment: int,
        *,
        limit: int,
        offset: int = 0,
        after: tuple[Any, ...] | None = None,
        before: tuple[Any, ...] | None = None,
        backwards: bool = False,
    ) -> list[CaseRow]:
        """Rows of one segment in sort order (``backwards``: from its end, returned reversed)."""
        seg = self.segments[segment]
        descending = seg.descending != backwards
        if segment in self.read and not (offset or after or before or backwards):
            return self._rows(segment, self.read[segment][:limit], backwards)
        pg_rows = (
            lists_pg.rows
            if lists_pg.applies(self)  # PostgreSQL's searches by due or received, by week
            else lists_reference.rows
            if lists_pg.by_reference(self)  # and by reference, along the cases
            else None
        )
        if pg_rows is not None:
            if self.filter.sort != "due" and self._tests_text(segment) and not offset:
                # Most rows match ('ct-'): a short walk finds the page (a newest week's
                # matches read whole and sorted cost 4 times as much).
                walked = self._walk(segment, descending, limit, after, before, FIRST_WALK)
                if len(walked) == limit:
                    return self._rows(segment, walked, backwards)
            found = pg_rows(self, segment, descending, limit, offset, after, before)
            return self._rows(segment, found, backwards)
        if not self.few and lists_ordered.applies(self):
            # SQLite reads the matches in the sort's order (lists_ordered).
            stmt = lists_ordered.statement(self, segment, descending, after, before)
            stmt = stmt.limit(limit).offset(offset or None)
            return self._rows(segment, self.session.execute(stmt).all(), backwards)
        if self._tests_text(segment) and not offset and self.filter.scope != "open":
            # Most rows match, so a page is found a few rows into the sort's index; but
            # the matches may bunch at one end of it (a year in the references, sorted
            # by due date): read at most WALK rows along it, and only when they hold too
            # few matches check every row against the index's matches instead. (Open
            # stages are few: their every text is checked, as counting them did.)
            walked = self._walk(segment, descending, limit, after, before)
            if len(walked) == limit:
                return self._rows(segment, walked, backwards)
            mode = "index"
        else:
            mode = "auto"
        stmt = self._statement(segment, limit, offset, after, before, descending, mode)
        return self._rows(segment, self.session.execute(stmt).all(), backwards)

    def _statement(
        self,
        segment: int,
        limit: int,
        offset: int = 0,
        after: tuple[Any, ...] | None = None,
        before: tuple[Any, ...] | None = None,
        descending: bool | None = None,
        mode: str = "auto",
    ) -> Any:
        """A segment's rows along the sort's index (``descending``: None, the sort's own)."""
        seg = self.segments[segment]
        down = seg.descending if descending is None else descending
        where = [*self._where(segment, mode), *self._bounds(segment, after, before)]
        return (
            select(*ROW_COLUMNS, *seg.columns)
            .select_from(Stage)
            .join(Case, col(Case.id) == col(Stage.case_id))
            .where(*where)
            .order_by(*[c.desc() if down else c.asc() for c in seg.columns])
            .limit(limit)
            .offset(offset or None)
        )

    def _bounds(
        self, segment: int, after: tuple[Any, ...] | None, before: tuple[Any, ...] | None
    ) -> list[ColumnElement[bool]]:
        seg = self.segments[segment]
        key = tuple_(*seg.columns)
        where: list[ColumnElement[bool]] = []
        if self.filter.sort == "reference" and not self.few and self.filter.scope != "open":
            # Always true, but it makes SQLite walk cases in reference order (1 ms a page)
            # rather than sort a million stages by their case's reference (900 ms).
            where.append(col(Case.reference) >= "")
        if after is not None:
            where.append(key < tuple_(*after) if seg.descending else key > tuple_(*after))
        if before is not None:
            where.append(key > tuple_(*before) if seg.descending else key < tuple_(*before))
        return where

    def _walk(
        self,
        segment: int,
        descending: bool,
        limit: int,
        after: tuple[Any, ...] | None,
        before: tuple[Any, ...] | None,
        reach: int = WALK,
    ) -> list[Any]:
        """The matching rows among the next ``reach`` rows along the sort's index."""
        seg = self.segments[segment]

        def order(columns: Sequence[Any]) -> list[Any]:
            return [c.desc() if descending else c.asc() for c in columns]

        stretch = (
            select(*ROW_COLUMNS, *seg.columns, col(Case.search_text))
            .select_from(Stage)
            .join(Case, col(Case.id) == col(Stage.case_id))
            .where(*self._where(segment, "none"), *self._bounds(segment, after, before))
            .order_by(*order(seg.columns))
            .limit(reach)
            .subquery()
        )
        # The stretch carries its rows' columns: filtered and ordered as they are, with
        # no second look-up of the stages (PostgreSQL would hash-join a whole table).
        *row, text = list(stretch.c)
        stmt = (
            select(*row)
            .where(*search.text_holds(self.words, text))
            .order_by(*order(row[len(ROW_COLUMNS) :]))
            .limit(limit)
        )
        return list(self.session.execute(stmt).all())

    def _rows(self, segment: int, values: Sequence[Any], backwards: bool) -> list[CaseRow]:
        rows = [row(self.ctx, self.today, segment, r, self.working_days) for r in values]
        if backwards:
            rows.reverse()
        return rows
