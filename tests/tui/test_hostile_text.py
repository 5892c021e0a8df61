"""A hostile cell in the data shows as marks on the screen, never as a terminal command."""

from __future__ import annotations

from datetime import date

from complaints_tui.services import actions
from complaints_tui.services.context import Context
from complaints_tui.tui.app import ComplaintsApp
from complaints_tui.tui.screens.case_detail import CaseDetailScreen
from complaints_tui.tui.screens.case_list import CaseListScreen

from .conftest import settle

HOSTILE = "\x1b]0;owned\x07\x1b[2JLate reply"


async def test_the_list_and_the_case_show_control_characters_as_marks(ctx: Context) -> None:
    ref = actions.log_case(
        ctx,
        procedure="statutory",
        received=date(2026, 11, 16),
        complainant_name="Ann\x1b[8mHidden",
        summary=HOSTILE,
    ).reference
    actions.add_note(ctx, ref, "rang\x1b[31m back")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=(160, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        row = screen.table.render_line(1).text
        assert "\x1b" not in row and "\x07" not in row
        assert "␛]0;owned␇␛[2JLate reply" in row
        app.open_case(ref)
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        # what the terminal is sent: every line of the screen as composed
        strips = detail._compositor.render_strips()
        shown = "\n".join("".join(segment.text for segment in strip) for strip in strips)
        assert "\x1b" not in shown
        assert "Ann␛[8mHidden" in shown and "rang␛[31m back" in shown
