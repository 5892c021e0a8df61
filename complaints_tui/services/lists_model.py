"""The case list's vocabulary: what an officer asks for and the rows they get back.

Plain frozen dataclasses and the list's constants, shared by the queries that fill them
(``lists_sql``), the list functions (``lists``) and the screens.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

PAGE = 100
"""Rows fetched at a time: a few screens' worth, well under the 5 ms a page costs."""

CAP = 1_000
"""A narrowed list (a search, mine, a filter) is counted up to this many stages and then
shown as "1,000+": counting a million matches exactly costs most of a second a keystroke,
and an officer narrows the search rather than scroll that far. Reaching the last row of a
capped list counts ten times further (``CaseListing.cap``)."""

DRIVE = 20_000
"""A search matching at most this many cases is read from its matches and sorted (a couple
of microseconds a match, so 40 ms at most); one matching more reads along the sort's index,
checking each row's text. Choosing by the count keeps a search whose matches bunch at one
end of the sort (a year, sorted by due date) from walking past most of the table."""

SCOPES: dict[str, str] = {"open": "Open", "closed": "Closed", "all": "All"}
"""Which stages the case list shows: running clocks, finished ones, or every stage."""

SORTS: dict[str, str] = {
    "due": "due date",
    "received": "received, newest first",
    "reference": "reference",
}
"""The case list's orders, each served by an index."""

STAGE_STATUSES = ("open", "suspended", "responded", "closed", "refused", "withdrawn")


UNASSIGNED = "(unassigned)"
"""The officer filter's value for cases assigned to nobody (no officer's name has brackets)."""


@dataclass(frozen=True)
class CaseFilter:
    """What the officer asked the case list for."""

    scope: str = "open"
    mine: bool = False
    procedure: str | None = None
    stage: int | None = None
    service: str | None = None
    division: str | None = None
    officer: str | None = None
    status: str | None = None
    search: str = ""
    sort: str = "due"

    def but(self, **changes: Any) -> CaseFilter:
        return replace(self, **changes)

    @property
    def narrowed(self) -> bool:
        """True when any filter beyond the scope and sort is set."""
        return bool(
            self.mine
            or self.procedure
            or self.stage
            or self.service
            or self.division
            or self.officer
            or self.status
            or self.search.strip()
        )


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list: a stage with its case."""

    stage_id: int
    reference: str
    version: int
    procedure: str
    number: int
    label: str
    received: date
    due: date | None
    days_left: int | None
    """Working days to the due date (negative: overdue); None when the clock is not running."""
    status: str
    service: str | None
    division: str | None
    officer: str | None
    complainant: str | None
    summary: str
    key: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    """Where the row sits in its sort: (segment, sort values...), for keyset paging."""


@dataclass(frozen=True)
class CaseListing:
    """A filter's rows as a screen pages through them: the counts and the first page."""

    filter: CaseFilter
    total: int
    segment_sizes: tuple[int, ...]
    first: tuple[CaseRow, ...]
    working_days: bool = True
    """False: rows carry no days_left (the calendar was not needed to read them)."""
    capped: bool = False
    """True: more stages match than ``total``; the listing holds the first ``total`` of them
    in sort order (its counting stopped at ``cap``)."""
    cap: int = CAP
    broad: bool = False
    """The search matches more than ``cap`` cases: pages check each row's text as they read
    along the sort's index rather than look up every match first."""
    drive: int = DRIVE
    matched: int | None = None
    """How many cases the search matches, counted up to ``drive + 1`` or ``cap + 1`` (see
    ``_Reader._matched``; None: no search)."""


def summary_line(text: str) -> str:
    """A summary on one line (lists truncate it to the width they have)."""
    return " ".join(text.split())


@dataclass(frozen=True)
class FilterChoices:
    """The values the filters offer, as they occur in the data."""

    services: tuple[str, ...]
    divisions: tuple[str, ...]
    officers: tuple[str, ...]


@dataclass(frozen=True)
class CaseHit:
    """A case found by search (``find``, the command palette)."""

    reference: str
    procedure: str
    complainant: str | None
    summary: str
    status: str = "open"


@dataclass(frozen=True)
class Found:
    """What a search found: how many cases in all, and the newest of them."""

    text: str
    total: int
    hits: tuple[CaseHit, ...]
    searched: bool = True
    """False: no word was long enough to search by (three letters or more)."""
    capped: bool = False
    """True: more cases match than ``total`` (counting stopped there, as the list's does)."""
