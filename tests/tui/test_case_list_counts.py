"""A narrowed list counted up to a cap: the officer sees "N+" and can still reach every row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from complaints_tui.services import demo
from complaints_tui.services.context import Context
from complaints_tui.services.lists import CaseFilter, fetch_rows, open_listing
from complaints_tui.tui.app import ComplaintsApp
from complaints_tui.tui.screens.case_list import CaseListScreen
from db.engine import make_engine

from .conftest import TODAY, settle, type_text
from .test_screens import SIZE, text_of

CAP = 40
"""A cap of 40 on 300 cases: what the app's 10,000 is on a million stages."""


@pytest.fixture
def demo_ctx(tmp_path: Path) -> Iterator[Context]:
    engine = make_engine(tmp_path / "complaints.sqlite3")
    ctx = Context(engine, actor="J. Bennett", clock=lambda: TODAY)
    demo.fill(ctx, 300, seed=5)
    yield ctx
    engine.dispose()


async def test_a_broad_search_says_it_counted_up_to_the_cap_and_counts_on_at_the_end(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CaseListScreen, "COUNT_CAP", CAP)
    every = open_listing(demo_ctx, CaseFilter(scope="all", search="ct-"))
    assert every.total > CAP * 3 and not every.capped  # the default cap counts them all
    app = ComplaintsApp(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        await pilot.press("o", "o", "slash")  # every stage, then search
        await type_text(pilot, "ct-")
        await settle(pilot)
        assert f"· {CAP}+ ·" in text_of(screen, "#list-status")
        assert screen.sub_title.startswith(f"{CAP}+ ")
        assert screen.table.total == CAP
        assert screen.table.row_at(0).reference == every.first[0].reference

        await pilot.press("escape", "end")  # the last row counted: it counts further
        await settle(pilot)
        assert screen.table.total == every.total
        assert f"· {every.total:,} ·" in text_of(screen, "#list-status")
        assert screen.table.cursor == CAP - 1  # where the officer was
        await pilot.press("end")
        await settle(pilot)
        last = fetch_rows(demo_ctx, every, offset=every.total - 1, limit=1)[0]
        assert screen.table.cursor == every.total - 1
        assert screen.table.row.reference == last.reference


async def test_a_search_under_the_cap_is_counted_exactly(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CaseListScreen, "COUNT_CAP", CAP)
    app = ComplaintsApp(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        await pilot.press("o", "o", "slash")
        await type_text(pilot, "smith")
        await settle(pilot)
        exact = open_listing(demo_ctx, CaseFilter(scope="all", search="smith"))
        assert 0 < exact.total <= CAP
        assert screen.table.total == exact.total
        assert f"· {exact.total:,} ·" in text_of(screen, "#list-status")
        assert "+" not in screen.sub_title


def burst(app: ComplaintsApp, keys: str) -> None:
    """Keys as a terminal delivers a burst: every one queued before any is handled."""
    for char in keys:
        event = events.Key({"/": "slash", "-": "minus"}.get(char, char), char)
        event.set_sender(app)
        app._driver.send_message(event)  # type: ignore[union-attr]


async def test_letters_typed_straight_after_slash_go_to_the_search(demo_ctx: Context) -> None:
    app = ComplaintsApp(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        burst(app, "/smith")
        await settle(pilot)
        assert screen.query_one("#search", Input).value == "smith"
        assert screen.filter.search == "smith"
        assert screen.filter.sort == "due" and not screen.filter.mine  # 's', 'm' typed, not keys
        burst(app, "/ab")  # in the search box, '/' is a character like any other
        await settle(pilot)
        assert screen.query_one("#search", Input).value == "smith/ab"


async def test_a_key_typed_on_the_list_just_before_slash_still_acts(demo_ctx: Context) -> None:
    app = ComplaintsApp(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        burst(app, "m/smith")  # pasted: 'm' is the list's key, the rest the search
        await settle(pilot)
        assert screen.filter.mine and screen.filter.search == "smith"
        assert screen.query_one("#search", Input).value == "smith"
        assert "assigned to J. Bennett" in text_of(screen, "#list-status")
