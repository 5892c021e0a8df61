"""The home screen: one row per stage, soonest due first, filtered in the database."""

from __future__ import annotations

from functools import partial
from time import perf_counter
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from complaints_tui.domain.dates import fmt
from complaints_tui.domain.search_text import MIN_INDEXED, search_words
from complaints_tui.services.lists_model import (
    CAP,
    SCOPES,
    SORTS,
    CaseFilter,
    CaseListing,
    CaseRow,
)
from complaints_tui.tui.feedback import report_error
from complaints_tui.tui.keys import HELP
from complaints_tui.tui.messages import ListingLoaded
from complaints_tui.tui.widgets.header import StillHeader
from complaints_tui.tui.widgets.key_bar import KeyBar
from complaints_tui.tui.widgets.search_box import SearchBox
from complaints_tui.tui.widgets.virtual_table import Column, RowView, VirtualTable

SHORT_LABELS = {
    "lgsco": "Ombudsman",
    "mp": "MP",
    "councillor": "Councillor",
    "mayor": "Mayor",
    "chief_executive": "Chief Exec",
    "general": "General enq",
    "foi": "FOI",
    "compliment": "Compliment",
    "duty": "Duty",
}
"""Stage names short enough for a list column (the detail screen spells them out)."""

SOON = 2
"""A running clock due within this many working days is coloured as due soon."""


def short_label(procedure: str, number: int) -> str:
    return SHORT_LABELS.get(procedure) or f"{procedure.capitalize()} {number}"


def deadline_kind(days_left: int | None, status: str) -> str:
    """The colour of a clock: overdue, soon, stopped; muted when it is not running."""
    if status == "suspended":
        return "stopped"
    if status != "open":
        return "muted"
    if days_left is None:
        return ""
    if days_left < 0:
        return "overdue"
    return "soon" if days_left <= SOON else ""


COLUMNS = (
    Column("Reference", 13),
    Column("Stage", 11),
    Column("Received", 10, drop=2),
    Column("Due", 10),
    Column("Left", 4, right=True),
    Column("Status", 9, drop=1),
    Column("Service", 18, drop=3),
    Column("Officer", 10, drop=4),
    Column("Summary", 14, flex=True),
)


def render_case_row(row: CaseRow) -> RowView:
    return RowView(
        (
            row.reference,
            short_label(row.procedure, row.number),
            fmt(row.received),
            fmt(row.due),
            "" if row.days_left is None else str(row.days_left),
            row.status,
            row.service or "",
            row.officer or "",
            f"{row.complainant or ''}: {row.summary}" if row.complainant else row.summary,
        ),
        deadline_kind(row.days_left, row.status),
    )


class CaseListScreen(Screen[None]):
    AUTO_FOCUS = "#cases"
    sub_title: Reactive[str | None] = Reactive(None, compute=False, repaint=False)
    """The count, shown in the header. Screen's own sub-title repaints the whole screen
    each time it changes, as the count does on most keys; the header repaints its line."""
    COUNT_CAP = CAP
    """A narrowed list is counted this far at first (``lists_model.CAP``)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        HELP,
        Binding(
            "slash",
            "search",
            "Search",
            tooltip="Search reference, names, case-management number and summary as you type",
            id="cases.search",
            # Run before the key reaches the list, so the keys typed straight after it
            # (already on their way to the list) find the search box focused.
            priority=True,
        ),
        Binding("enter", "open", "Open", tooltip="Open the highlighted case", id="cases.open"),
        Binding(
            "o",
            "scope",
            "Open/closed",
            tooltip="Show open stages, closed stages or every stage",
            id="cases.scope",
        ),
        Binding("m", "mine", "Mine", tooltip="Only cases assigned to you", id="cases.mine"),
        Binding(
            "f",
            "filters",
            "Filter",
            tooltip="Filter by procedure, stage, service, division, officer, status",
            id="cases.filter",
        ),
        Binding(
            "s", "sort", "Sort", tooltip="Sort by due date, received or reference", id="cases.sort"
        ),
        Binding(
            "c", "clear", "Clear", tooltip="Clear the search and every filter", id="cases.clear"
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            tooltip="Read the list again",
            id="cases.reload",
            show=False,
        ),
        Binding("escape", "leave_search", "List", show=False, id="cases.leave-search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = CaseFilter()
        self.listing: CaseListing | None = None
        self.last_load_seconds: float | None = None
        """How long the last filter took from request to painted rows (for the benchmark)."""
        self.painted_at: float | None = None
        """perf_counter() when the last listing was on screen."""
        self._loads = 0
        self._cap = self.COUNT_CAP
        """How far a narrowed list is counted; ten times further each time the officer
        reaches the last row of a capped one."""

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield StillHeader()
        yield SearchBox(
            placeholder="/ search: reference, name, case-management number or summary",
            id="search",
            compact=True,
        )
        yield Static("", id="list-status")
        yield VirtualTable(
            COLUMNS,
            render_case_row,  # type: ignore[arg-type]
            empty="No stages match. c clears the search and filters.",
            id="cases",
        )
        yield KeyBar()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#cases", VirtualTable)

    def on_mount(self) -> None:
        self.title = "Cases"
        self.table.focus()
        app: Any = self.app
        first, app.first_listing = app.first_listing, None
        if first is not None and first.filter == self.filter:
            self.post_message(ListingLoaded(first, keep_cursor=False, started=perf_counter()))
        else:
            self.load(first=True)

    def follow_changes(self) -> None:
        """A colleague saved something: show the list as it is now, cursor kept."""
        self.load(keep_cursor=True)

    def on_screen_resume(self) -> None:
        # Back from a case (or another screen): its changes may have moved rows.
        if self.listing is not None:
            self.load(keep_cursor=True)

    # -- loading -----------------------------------------------------------------------------

    def load(self, *, keep_cursor: bool = False, first: bool = False) -> None:
        self._loads += 1
        self._load(self.filter, keep_cursor, perf_counter(), first, self._cap)

    @work(thread=True, exclusive=True, exit_on_error=False, group="list")
    def _load(
        self, f: CaseFilter, keep_cursor: bool, started: float, first: bool, cap: int
    ) -> None:
        app: Any = self.app
        from complaints_tui.services.lists import open_listing

        if first and not app.calendar_built():
            # At launch the rows are painted before the working-day calendar exists, without
            # 'Left'; once they are on screen the calendar is built and they are read again.
            listing = open_listing(self.ctx, f, working_days=False, cap=cap)
        else:
            app.calendar_ready()
            listing = open_listing(self.ctx, f, cap=cap)
        if not get_current_worker().is_cancelled:
            self.post_message(ListingLoaded(listing, keep_cursor=keep_cursor, started=started))

    def on_listing_loaded(self, message: ListingLoaded) -> None:
        listing = message.listing
        if listing.filter != self.filter:
            return  # the officer has typed on since
        self.listing = listing
        self.table.show(
            listing.total,
            listing.first,
            partial(self._fetch, listing),
            keep_cursor=message.keep_cursor,
        )
        self._show_status()
        started = message.started

        def painted() -> None:
            self.painted_at = perf_counter()
            self.last_load_seconds = self.painted_at - started
            if not listing.working_days:
                self.load(keep_cursor=True)  # now with the working days left
            else:
                self.app.warm_up()  # type: ignore[attr-defined]

        self.call_after_refresh(self.app.after_paint, painted)  # type: ignore[attr-defined]

    def _fetch(
        self, listing: CaseListing, offset: int, limit: int, after: Any, before: Any
    ) -> list:
        from complaints_tui.services.lists import fetch_rows

        return fetch_rows(self.ctx, listing, offset=offset, limit=limit, after=after, before=before)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            report_error(self, event.worker.error)

    def _show_status(self) -> None:
        f = self.filter
        app: Any = self.app
        parts = [f"[b]{SCOPES[f.scope]}[/b] stages"]
        if f.mine:
            parts.append(f"assigned to {escape(app.actor)}")
        if f.procedure:
            parts.append(app.policy.vocabularies.label("procedure", f.procedure))
        if f.stage:
            parts.append(f"Stage {f.stage}")
        for label, value in (
            ("service", f.service),
            ("division", f.division),
            ("officer", f.officer),
            ("status", f.status),
        ):
            if value:
                parts.append(f"{label}: {escape(str(value))}")
        if f.search.strip():
            if any(len(word) >= MIN_INDEXED for word in search_words(f.search)):
                parts.append(f"matching “{escape(f.search.strip())}”")
            else:  # one or two letters match nearly everything: not searched yet
                parts.append(f"type {MIN_INDEXED} letters or more to search")
        listing = self.listing
        total = listing.total if listing else 0
        counted = f"{total:,}+" if listing is not None and listing.capped else f"{total:,}"
        legend = "[$text-error]overdue[/] [$text-warning]≤2 days[/] [i $text-muted]stopped[/]"
        # One line high whatever it says (app.tcss): no layout of the screen for it, which
        # a key that changes the count would otherwise pay for twice.
        self.query_one("#list-status", Static).update(
            f"{' · '.join(parts)} · [b]{counted}[/b] · by {SORTS[f.sort]}   {legend}",
            layout=False,
        )
        self.sub_title = f"{counted} {SCOPES[f.scope].lower()} stage{'' if total == 1 else 's'}"

    def refilter(self, f: CaseFilter) -> None:
        if f != self.filter:
            self.filter = f
            self._cap = self.COUNT_CAP
            self._show_status()
            self.load()

    # -- keys --------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.refilter(self.filter.but(search=event.value))

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.table.focus()

    @on(VirtualTable.Highlighted, "#cases")
    def _highlighted(self, event: VirtualTable.Highlighted) -> None:
        listing = self.listing
        if (
            listing is not None
            and listing.capped
            and listing.filter == self.filter
            and listing.cap == self._cap
            and event.index >= listing.total - 1
        ):
            # The last row counted: count further, so the rest can be scrolled to.
            self._cap = listing.cap * 10
            self.load(keep_cursor=True)

    @on(VirtualTable.Selected, "#cases")
    def _selected(self, event: VirtualTable.Selected) -> None:
        if self.listing is None or self.listing.filter != self.filter:
            # Enter pressed before the rows for the latest keystroke arrived: the row
            # under the cursor belongs to the previous search, so open nothing.
            self.notify("Still searching: press Enter again in a moment.", timeout=2)
            return
        self.app.open_case(event.row.reference)  # type: ignore[attr-defined]

    def action_open(self) -> None:
        self.table.action_select()

    async def on_key(self, event: events.Key) -> None:
        # A printable key reaching the screen while the search box has the focus was not
        # typed into the box (the box keeps those): it was typed on the list just before
        # '/', in the same burst ("m/smith" pasted). The app would look it up among the
        # box's keys once it got there, and drop it; it is the list's, so act on it here.
        if not (event.is_printable and isinstance(self.focused, Input)):
            return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # '/' typed in the search box is part of the search (the binding is a priority one).
        return not (action == "search" and isinstance(self.focused, Input))

    def action_search(self) -> None:
        # At once, not a turn later as ``focus()`` does: letters typed straight after '/'
        # belong to the search, not to the list's own keys.
        self.set_focus(self.query_one("#search", Input))

    def action_leave_search(self) -> None:
        self.table.focus()

    def action_scope(self) -> None:
        order = list(SCOPES)
        scope = order[(order.index(self.filter.scope) + 1) % len(order)]
        self.refilter(self.filter.but(scope=scope, status=None))

    def action_mine(self) -> None:
        self.refilter(self.filter.but(mine=not self.filter.mine))

    def action_sort(self) -> None:
        order = list(SORTS)
        self.refilter(self.filter.but(sort=order[(order.index(self.filter.sort) + 1) % len(order)]))

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        self.refilter(CaseFilter(sort=self.filter.sort))

    def action_reload(self) -> None:
        self.load(keep_cursor=True)

    def action_filters(self) -> None:
        from complaints_tui.tui.screens.filters import FilterDialog

        def chosen(f: CaseFilter | None) -> None:
            if f is not None:
                self.refilter(f.but(search=self.filter.search))

        self.app.push_screen(FilterDialog(self.filter), chosen)
