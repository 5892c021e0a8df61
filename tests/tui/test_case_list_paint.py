"""What the case list paints as keys change it: the latest search's rows, the header's
count, the scrollbar and the search line, each repainted without laying out the screen."""

from __future__ import annotations

import time
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input

from complaints_tui.services import lists
from complaints_tui.services.context import Context
from complaints_tui.services.lists import CaseFilter, open_listing
from complaints_tui.tui.app import ComplaintsApp
from complaints_tui.tui.screens.case_list import CaseListScreen
from complaints_tui.tui.widgets.virtual_table import VirtualTable

from .conftest import settle, type_text
from .test_case_list_counts import burst, demo_ctx  # noqa: F401 (a fixture)
from .test_screens import SIZE, text_of


def painted(app: App[Any]) -> list[str]:
    """The terminal's lines as the officer sees them."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def on_screen(app: App[Any], text: str) -> bool:
    return any(text in line for line in painted(app))


async def test_a_fast_run_of_keys_paints_only_the_last_searchs_rows(
    demo_ctx: Context,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read = lists.open_listing

    def slow_for_the_first(ctx: Context, f: CaseFilter, **kw: Any) -> Any:
        if f.search == "ct-":  # its rows arrive after those of the keys typed after it
            time.sleep(0.6)
        return read(ctx, f, **kw)

    monkeypatch.setattr(lists, "open_listing", slow_for_the_first)
    shown: list[tuple[int, str | None]] = []
    show = VirtualTable.show

    def record(self: VirtualTable, total: int, first: Any, fetch: Any, **kw: Any) -> None:
        shown.append((total, first[0].reference if first else None))
        show(self, total, first, fetch, **kw)

    monkeypatch.setattr(VirtualTable, "show", record)
    app = ComplaintsApp(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        shown.clear()
        burst(app, "/ct-2026-0009")
        await settle(pilot)
        last = read(demo_ctx, CaseFilter(search="ct-2026-0009"))
        stale = read(demo_ctx, CaseFilter(search="ct-"))
        assert stale.total > last.total > 0
        assert shown and shown[-1] == (last.total, last.first[0].reference)
        assert (stale.total, stale.first[0].reference) not in shown
        assert f"matching “ct-2026-0009” · {last.total:,} ·" in text_of(screen, "#list-status")
        assert all(row.reference.startswith("CT-2026-0009") for row in last.first)
        assert on_screen(app, last.first[-1].reference)
        assert not on_screen(app, stale.first[0].reference) or stale.first[0] in last.first


async def test_the_header_and_status_follow_every_key(demo_ctx: Context) -> None:  # noqa: F811
    app = ComplaintsApp(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        for key, f in (
            ("o", CaseFilter(scope="closed")),
            ("m", CaseFilter(scope="closed", mine=True)),
            ("o", CaseFilter(scope="all", mine=True)),
            ("s", CaseFilter(scope="all", mine=True, sort="received")),
            ("m", CaseFilter(scope="all", sort="received")),
        ):
            await pilot.press(key)
            await settle(pilot)
            total = open_listing(demo_ctx, f).total
            stages = "stage" if total == 1 else "stages"
            header = painted(app)[0]
            assert f"{total:,} {lists.SCOPES[f.scope].lower()} {stages}" in header, key
            assert screen.sub_title in header
            assert f"· {total:,} · by {lists.SORTS[f.sort]}" in text_of(screen, "#list-status")


async def test_the_scrollbar_and_the_last_row_follow_the_count(demo_ctx: Context) -> None:  # noqa: F811
    app = ComplaintsApp(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        table = screen.table
        await pilot.press("o", "o")  # every stage: more rows than the screen holds
        await settle(pilot)
        assert table.total > SIZE[1] and table.show_vertical_scrollbar
        await pilot.press("slash")
        await type_text(pilot, "smith")  # a handful: no scrollbar
        await settle(pilot)
        few = open_listing(demo_ctx, CaseFilter(scope="all", search="smith"))
        assert table.total == few.total < SIZE[1] - 5
        assert not table.show_vertical_scrollbar
        assert on_screen(app, few.first[-1].reference)
        await pilot.press("escape", "c", "o", "o")  # every stage again: End reaches the last
        await settle(pilot)
        assert table.show_vertical_scrollbar
        every = open_listing(demo_ctx, CaseFilter(scope="all"))
        assert table.total == every.total
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor == every.total - 1
        assert table.scroll_y == table.max_scroll_y > 0
        assert on_screen(app, table.row.reference)


async def test_a_long_search_keeps_its_end_in_view(demo_ctx: Context) -> None:  # noqa: F811
    app = ComplaintsApp(demo_ctx)
    async with app.run_test(size=(60, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        await pilot.press("slash")
        words = " ".join(f"w{i:02d}" for i in range(30))  # 119 characters
        await type_text(pilot, words)
        await settle(pilot)
        search = screen.query_one("#search", Input)
        assert search.value == words
        assert search.scroll_x > 0
        line = painted(app)[search.region.y]  # the status line says it all, not this one
        assert "w28 w29" in line and "w00" not in line
