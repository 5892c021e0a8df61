"""A table that shows a window of rows fetched a page at a time.

Textual's DataTable measures every cell it is given (seconds for 10,000 rows), so a list
of 100,000 cases cannot be handed to it. This widget knows only the number of rows and a
function that reads a page; it asks for the pages the screen shows, as they scroll into
view, in a thread worker, and forgets pages it has not shown for a while.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, WorkerState

from complaints_tui.domain.printable import printable
from complaints_tui.tui.widgets.table_row import Column, RowView, draw_cells, fit_columns

PAGE = 100
KEEP_PAGES = 40
"""Pages kept in memory (4,000 rows): the rest are read again if scrolled back to."""

Fetch = Callable[[int, int, Any, Any], Sequence[Any]]
"""fetch(offset, limit, after, before) -> rows, run in a thread. ``after`` is the row just
before ``offset`` and ``before`` the row just after the page, when the table has them, so
the reader can seek by key instead of counting ``offset`` rows."""


class VirtualTable(ScrollView, can_focus=True):
    """Rows ``0 .. total`` of a list read page by page; a row cursor; Enter selects."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--overdue",
        "virtual-table--soon",
        "virtual-table--stopped",
        "virtual-table--heading",
        "virtual-table--muted",
        "virtual-table--placeholder",
    }

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        height: 1fr;
        & > .virtual-table--header { text-style: bold; background: $panel; color: $text; }
        & > .virtual-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .virtual-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .virtual-table--overdue { color: $text-error; text-style: bold; }
        & > .virtual-table--soon { color: $text-warning; }
        & > .virtual-table--stopped { color: $text-muted; text-style: italic; }
        & > .virtual-table--heading { color: $text-primary; text-style: bold; }
        & > .virtual-table--muted { color: $text-muted; }
        & > .virtual-table--placeholder { color: $text-muted; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=False, repaint=False)

    class Highlighted(Message):
        """The cursor moved onto a row (posted again when the row's page arrives)."""

        def __init__(self, table: VirtualTable, index: int, row: Any) -> None:
            super().__init__()
            self.table, self.index, self.row = table, index, row

        @property
        def control(self) -> VirtualTable:
            return self.table

    class Selected(Message):
        """Enter (or a second click) on a row."""

        def __init__(self, table: VirtualTable, index: int, row: Any) -> None:
            super().__init__()
            self.table, self.index, self.row = table, index, row

        @property
        def control(self) -> VirtualTable:
            return self.table

    class _PageLoaded(Message):
        def __init__(self, generation: int, page: int, rows: Sequence[Any]) -> None:
            super().__init__()
            self.generation, self.page, self.rows = generation, page, rows

    def __init__(
        self,
        columns: Sequence[Column],
        render_row: Callable[[Any], RowView],
        *,
        empty: str = "Nothing to show.",
        page_size: int = PAGE,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = tuple(columns)
        self.render_row = render_row
        self.empty = empty
        self.page_size = page_size
        self.total = 0
        self._waiting = True
        self._fetch: Fetch | None = None
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self._request_scheduled = False
        self._base: Style | None = None
        """The table's own style during one paint (see render_lines)."""
        self._layouts: dict[int, list[tuple[int, Column, int]]] = {}

    # -- feeding it ------------------------------------------------------------------------

    def show(
        self, total: int, first: Sequence[Any], fetch: Fetch, *, keep_cursor: bool = False
    ) -> None:
        """A new list: its size, its first page and how to read the others."""
        self._generation += 1
        self.total = total
        self._waiting = False
        self._fetch = fetch
        self._pages.clear()
        self._pending.clear()
        if first:
            self._pages[0] = list(first)
        self._set_rows(total)
        cursor = min(self.cursor, max(total - 1, 0)) if keep_cursor else 0
        self.set_reactive(VirtualTable.cursor, cursor)
        if not keep_cursor:
            self.scroll_to(y=0, animate=False)
        else:
            self._follow_cursor()
        self.refresh()
        self._announce()

    def wait(self) -> None:
        """Say "Loading…" until the next ``show`` (a first load, not a refresh)."""
        self._waiting = True
        self.total = 0
        self._set_rows(0)
        self.refresh()

    def _set_rows(self, total: int) -> None:
        """Scroll over ``total`` rows (and the header)."""
        size = Size(self.size.width, total + 1)
        if size == self.virtual_size:
            return
        # Assigning virtual_size lays out the whole screen, and so repaints every widget
        # on it, on every keystroke that changes the count. The table's own box (1fr) does
        # not depend on its rows: only the scrollbar does, which this updates (a scrollbar
        # that appears or goes still lays the screen out, as it must).
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)

    @property
    def row(self) -> Any:
        """The row under the cursor; None until its page has arrived."""
        return self.row_at(self.cursor)

    def row_at(self, index: int) -> Any:
        """Row ``index``; None until its page has arrived."""
        if not 0 <= index < self.total:
            return None
        page, at = divmod(index, self.page_size)
        rows = self._pages.get(page)
        if rows is None or at >= len(rows):
            return None
        self._pages.move_to_end(page)
        return rows[at]

    def move_to(self, index: int, *, to_top: bool = False) -> None:
        """Put the cursor on a row; ``to_top`` also scrolls that row to the top."""
        if self.total:
            self.cursor = max(0, min(index, self.total - 1))
            if to_top:
                self.scroll_to(y=self.cursor, animate=False)

    # -- the cursor ------------------------------------------------------------------------

    @property
    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        self._follow_cursor()
        self.refresh_lines(old + 1)
        self.refresh_lines(new + 1)
        self._announce()

    def _follow_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + self._visible_rows:
            self.scroll_to(y=self.cursor - self._visible_rows + 1, animate=False)

    def _announce(self) -> None:
        row = self.row
        if row is not None:
            self.post_message(self.Highlighted(self, self.cursor, row))

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * self._visible_rows)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.total - 1)

    def action_select(self) -> None:
        row = self.row
        if row is not None:
            self.post_message(self.Selected(self, self.cursor, row))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = round(self.scroll_y) + offset.y - 1
        if index >= self.total:
            return
        if index == self.cursor:
            self.action_select()
        else:
            self.cursor = index

    # -- pages -----------------------------------------------------------------------------

    def _want(self, page: int) -> None:
        if page in self._pages or page in self._pending:
            return
        self._pending.add(page)
        if not self._request_scheduled:
            self._request_scheduled = True
            self.call_later(self._request_pages)

    def _request_pages(self) -> None:
        self._request_scheduled = False
        if self._fetch is None:
            return
        for page in sorted(self._pending):
            offset = page * self.page_size
            limit = min(self.page_size, self.total - offset)
            after = before = None
            previous, following = self._pages.get(page - 1), self._pages.get(page + 1)
            if previous is not None and len(previous) == self.page_size:
                after = previous[-1]
            elif following:
                before = following[0]
            self._load_page(self._fetch, self._generation, page, offset, limit, after, before)

    @work(thread=True, exit_on_error=False, group="pages")
    def _load_page(
        self,
        fetch: Fetch,
        generation: int,
        page: int,
        offset: int,
        limit: int,
        after: Any,
        before: Any,
    ) -> None:
        rows = fetch(offset, limit, after, before)
        self.post_message(self._PageLoaded(generation, page, rows))

    def _on_virtual_table__page_loaded(self, message: _PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return  # a page of a list the officer has since filtered away
        self._pending.discard(message.page)
        self._pages[message.page] = list(message.rows)
        while len(self._pages) > KEEP_PAGES:
            self._pages.popitem(last=False)
        self.refresh()
        if self.cursor // self.page_size == message.page:
            self._announce()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "pages" and event.state is WorkerState.ERROR:
            self._pending.clear()
            from complaints_tui.tui.feedback import report_error

            report_error(self, event.worker.error)

    # -- drawing ---------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.total + 1)
        self._follow_cursor()

    def _layout(self, width: int) -> list[tuple[int, Column, int]]:
        """(index, column, width) of the columns that fit, the flexible one widened."""
        layout = self._layouts.get(width)
        if layout is None:  # once a width, not once a line
            layout = self._layouts[width] = fit_columns(self.columns, width)
        return layout

    def _line(self, cells: Sequence[str], width: int, style: Style) -> Strip:
        return draw_cells(self._layout(width), cells, width, style)

    def render_lines(self, crop: Region) -> list[Strip]:
        # rich_style walks every ancestor's background: once for the lines of a paint,
        # not once a line (it was half the time a new page of rows took to draw).
        self._base = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._base = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base or self.rich_style
        if y == 0:
            header = base + self.get_component_rich_style("virtual-table--header")
            return self._line([c.title for c in self.columns], width, header)
        index = round(self.scroll_y) + y - 1
        if index >= self.total:
            if index == 0:
                message = " Loading…" if self._waiting else f" {self.empty}"
                style = base + self.get_component_rich_style("virtual-table--placeholder")
                return Strip([Segment(set_cell_size(message, width), style)], width)
            return Strip.blank(width, base)
        row = self.row_at(index)
        if row is None:
            self._want(index // self.page_size)
            style = base + self.get_component_rich_style("virtual-table--placeholder")
            return self._line(["…"], width, style)
        view = self.render_row(row)
        style = base
        if view.kind:
            style += self.get_component_rich_style(f"virtual-table--{view.kind}")
        if index == self.cursor:
            style += self.get_component_rich_style("virtual-table--cursor")
        if view.text is not None:
            text = printable(view.text, one_line=True)
            return Strip([Segment(set_cell_size(text, width), style)], width)
        return self._line(view.cells, width, style)
