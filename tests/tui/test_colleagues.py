"""A colleague working on the same database: the screens follow without a key press."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date

from complaints_tui.services import actions
from complaints_tui.services.context import Context
from complaints_tui.tui.app import ComplaintsApp
from complaints_tui.tui.screens.case_detail import CaseDetailScreen
from complaints_tui.tui.screens.case_list import CaseListScreen

from .conftest import settle

SIZE = (120, 35)


def quick_app(ctx: Context) -> ComplaintsApp:
    app = ComplaintsApp(ctx)
    app.CHANGE_POLL = 0.2  # the real app reads every 2 s; the test need not wait that long
    return app


async def wait_for(pilot, condition, seconds: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    """Let the app run, without any key press, until ``condition()`` or the time is up."""
    for _ in range(int(seconds / 0.1)):
        if condition():
            return True
        await asyncio.sleep(0.1)
        await pilot.pause()
    return condition()


def colleague(ctx: Context) -> Context:
    """Another officer on the same database (their own engine would do the same)."""
    return replace(ctx, actor="R. Okafor")


async def test_the_case_list_shows_a_case_a_colleague_logs(ctx: Context) -> None:
    actions.log_case(ctx, procedure="statutory", received=date(2026, 11, 16), summary="Mine")
    app = quick_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        assert screen.table.total == 1
        await asyncio.to_thread(
            actions.log_case,
            colleague(ctx),
            procedure="corporate",
            received=date(2026, 11, 20),
            summary="Logged by a colleague",
        )
        assert await wait_for(pilot, lambda: screen.table.total == 2)


async def test_an_open_case_says_when_a_colleague_changes_it(ctx: Context) -> None:
    ref = actions.log_case(ctx, procedure="statutory", received=date(2026, 11, 16)).reference
    app = quick_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_case(ref)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseDetailScreen)
        assert screen.case is not None and screen.case.stages[0].acknowledged is None
        await asyncio.to_thread(actions.acknowledge, colleague(ctx), ref, on=date(2026, 11, 17))

        def told() -> bool:
            return any("R. Okafor, acknowledged" in str(n.message) for n in app._notifications)

        assert await wait_for(pilot, told)
        assert screen.case.stages[0].acknowledged == date(2026, 11, 17)


async def test_a_note_typed_while_a_colleague_acknowledges_is_saved(ctx: Context) -> None:
    ref = actions.log_case(ctx, procedure="statutory", received=date(2026, 11, 16)).reference
    app = ComplaintsApp(ctx)  # no polling: the form is filled on the version first read
    app.CHANGE_POLL = 3600
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_case(ref)
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Rang mum back")
        await asyncio.to_thread(actions.acknowledge, colleague(ctx), ref, on=date(2026, 11, 17))
        await pilot.press("ctrl+s")
        await settle(pilot)
    from complaints_tui.services.queries import case_detail

    events = case_detail(ctx, ref).events
    assert [e.note for e in events if e.action == "note"] == ["Rang mum back"]
    assert any(e.action == "acknowledged" and e.who == "R. Okafor" for e in events)
