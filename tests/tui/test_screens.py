"""An officer's day, key by key, on a real database (no sleeps: workers are awaited)."""

from __future__ import annotations

import io
import threading
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from rich.console import Console
from textual.content import Content
from textual.widgets import Input, Select, Static

from complaints_tui.services import actions
from complaints_tui.services.context import Context
from complaints_tui.services.lists import CaseFilter, open_listing
from complaints_tui.services.queries import case_detail
from complaints_tui.tui.app import ComplaintsApp
from complaints_tui.tui.screens.case_detail import CaseDetailScreen
from complaints_tui.tui.screens.case_list import CaseListScreen
from complaints_tui.tui.screens.conflict import ConflictDialog
from complaints_tui.tui.screens.deadlines import DeadlinesScreen
from complaints_tui.tui.screens.escalation import EscalationScreen
from complaints_tui.tui.screens.form_dialog import FormDialog
from complaints_tui.tui.screens.help import HelpScreen
from complaints_tui.tui.screens.report import ReportScreen
from complaints_tui.tui.screens.triage import TriageScreen

from .conftest import TODAY, office, settle, type_text

SIZE = (120, 40)


def text_of(screen: object, selector: str) -> str:
    return plain(screen.query_one(selector, Static))  # type: ignore[attr-defined]


def plain(widget: Static) -> str:
    """What a Static shows, as plain text (markup and Rich renderables alike)."""
    content = widget.content
    if isinstance(content, str):
        return Content.from_markup(content).plain if widget._render_markup else content
    if hasattr(content, "plain"):
        return str(content.plain)
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def open_case(pilot, reference: str) -> CaseDetailScreen:  # type: ignore[no-untyped-def]
    pilot.app.open_case(reference)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseDetailScreen)
    return screen


async def test_triage_five_contacts_of_different_kinds_with_single_keys(ctx: Context) -> None:
    refs = [
        actions.log_contact(
            ctx,
            who=f"Caller {n}",
            channel="telephone",
            service="Fostering Service",
            summary=f"Contact number {n}",
            received=date(2026, 11, 16 + n),
        ).reference
        for n in range(5)
    ]
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        assert screen.queue.total == 5
        assert screen.queue.row.reference == refs[0]
        await pilot.press("s")  # statutory complaint
        await settle(pilot)
        assert screen.queue.total == 4
        assert screen.queue.row.reference == refs[1], "moves on to the next contact"
        for key in ("c", "m", "a", "p"):  # corporate, MP, duty advice, compliment
            await pilot.press(key)
            await settle(pilot)
        assert screen.queue.total == 0
    kinds = [(d.procedure, d.duty_category) for d in (case_detail(ctx, r) for r in refs)]
    assert kinds == [
        ("statutory", None),
        ("corporate", None),
        ("mp", None),
        ("duty", "advice"),
        ("compliment", None),
    ]
    statutory = case_detail(ctx, refs[0]).stages[0]
    assert statutory.deadline.due == ctx.cal.add_working_days(statutory.received, 10)


async def test_search_a_case_by_reference_and_open_it(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        assert screen.table.total == 6  # open stages: five running clocks and a stopped one
        await pilot.press("slash")
        await type_text(pilot, cases.this_week)
        await settle(pilot)
        assert screen.table.total == 1
        assert screen.query_one("#search", Input).value == cases.this_week
        await pilot.press("enter")  # from the search box to the list
        await pilot.press("enter")  # open the highlighted case
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        assert detail.case is not None and detail.case.reference == cases.this_week
        assert "Tom Jones" in text_of(detail, "#case-fields")
        assert "26/11/2026" in text_of(detail, "#stages")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_search_matches_summary_and_complainant_as_you_type(ctx: Context) -> None:
    office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        await pilot.press("slash")
        await type_text(pilot, "patel")  # a complainant
        await settle(pilot)
        assert screen.table.total == 1
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, "advocate")  # a summary
        await settle(pilot)
        assert screen.listing is not None
        assert [screen.table.row_at(0).reference] == [r.reference for r in screen.listing.first]
        assert screen.table.total == 1
        await pilot.press("escape", "c")  # back to the list, clear
        await settle(pilot)
        assert screen.table.total == 6


async def test_search_ignores_accents_and_finds_closed_cases(ctx: Context) -> None:
    office(ctx)
    zoe = actions.log_case(
        ctx, procedure="corporate", received=date(2026, 10, 1), complainant_name="Zoë Ní Bhriain"
    ).reference
    actions.close(ctx, zoe, reason="Resolved informally", on=date(2026, 10, 5))
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        await pilot.press("slash")
        await type_text(pilot, "zo")
        await settle(pilot)
        assert screen.table.total == 6  # two letters: not a search yet, and it says so
        assert "3 letters or more" in text_of(screen, "#list-status")
        await type_text(pilot, "e bhriain")
        await settle(pilot)
        assert screen.table.total == 0  # open stages only: the case is closed
        await pilot.press("escape", "o", "o")  # all stages
        await settle(pilot)
        assert screen.table.total == 1
        assert screen.table.row_at(0).reference == zoe


async def test_command_palette_finds_a_case_by_name(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "aisha ahmed")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.reference == cases.stopped


async def test_list_toggles_scope_mine_and_sort(ctx: Context) -> None:
    office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        first = screen.table.row_at(0)
        assert first.days_left < 0, "overdue first: sorted by due date"
        await pilot.press("o")  # closed
        await settle(pilot)
        assert screen.table.total == 2
        await pilot.press("o")  # all
        await settle(pilot)
        assert screen.table.total == 8
        await pilot.press("o", "m")  # open, mine
        await settle(pilot)
        assert screen.table.total == 5  # the MP enquiry is R. Okafor's
        await pilot.press("s")  # received, newest first
        await settle(pilot)
        assert screen.table.row_at(0).received == TODAY or screen.table.row_at(0).received == date(
            2026, 11, 17
        )


async def test_extend_and_suspend_a_clock_and_see_the_due_date_move(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_case(pilot, cases.due_today)
        assert "due 23/11/2026" in text_of(detail, "#stages")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert app.screen.query_one("#field-to_days", Input).value == "20"
        await pilot.press("tab")
        await type_text(pilot, "Complex: two services")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is detail
        stage = detail.stage
        assert stage is not None and stage.deadline.due == date(2026, 12, 7)
        assert "due 07/12/2026" in text_of(detail, "#stages")

        await pilot.press("s")  # stop the clock
        await settle(pilot)
        await type_text(pilot, "Awaiting an advocate")
        await pilot.press("ctrl+s")
        await settle(pilot)
        stage = detail.stage
        assert stage is not None and stage.status == "suspended" and stage.deadline.due is None
        assert "clock stopped" in text_of(detail, "#stages")

        await pilot.press("s")  # restart it the same day: no working day was lost
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        stage = detail.stage
        assert stage is not None and stage.deadline.due == date(2026, 12, 7)


async def test_an_invalid_date_shows_inline_and_saves_nothing(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, cases.overdue)
        await pilot.press("a")  # acknowledge
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        await pilot.press("ctrl+u")
        await type_text(pilot, "31/02/2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog, "nothing saved while a field is invalid"
        assert "impossible date" in text_of(dialog, "#error-on")
        assert case_detail(ctx, cases.overdue).stages[0].acknowledged is None
        await pilot.press("ctrl+u")
        await type_text(pilot, "2026-11-20")  # ISO is accepted too
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FormDialog)
    assert case_detail(ctx, cases.overdue).stages[0].acknowledged == date(2026, 11, 20)


async def test_a_refusal_from_the_rules_stays_in_the_form(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, cases.overdue)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "01/12/2026")  # in the future: the service refuses
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert "in the future" in text_of(dialog, "#dialog-error")


async def test_escalate_a_statutory_case_to_stage_2(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, cases.responded)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EscalationScreen)
        check = text_of(screen, "#window-check")
        assert "until 30/11/2026" in check and "inside the window" in check
        assert "cannot be refused" in text_of(screen, "#rules")
        await pilot.press("f")  # refuse: not allowed for statutory Stage 2
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert "Inside the complainant's 20-working-day window" in text_of(
            app.screen, "#dialog-note"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "Statutory 2" in text_of(screen, "#chain")
    stage2 = case_detail(ctx, cases.responded).stages[-1]
    assert (stage2.label, stage2.decision, stage2.status) == ("Statutory 2", "accepted", "open")
    assert stage2.deadline.due == ctx.cal.add_working_days(TODAY, 25)


async def test_escalate_a_corporate_case_to_a_refused_stage_2(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, cases.corporate_responded)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EscalationScreen)
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        await pilot.press("ctrl+s")  # a refusal without a reason is not saved
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#field-reason", Input).has_focus, "focus goes to the field"
        await type_text(pilot, "Stage 1 answered every point")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EscalationScreen)
    stage2 = case_detail(ctx, cases.corporate_responded).stages[-1]
    assert (stage2.label, stage2.decision, stage2.outcome) == (
        "Corporate 2",
        "refused",
        "signposted_lgsco",
    )


async def test_record_a_response_with_outcome_and_remedy(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_case(pilot, cases.overdue)
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        outcome = dialog.query_one("#field-outcome", Select)
        assert outcome.has_focus
        await pilot.press("enter")  # open the choices
        await pilot.press("down", "down", "enter")  # blank, Upheld, Partially upheld
        await pilot.pause()
        assert outcome.value == "partially_upheld"
        await pilot.press("tab", "tab", "space")  # responded on: today; Apology: ticked
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is detail
        assert "Partially upheld" in text_of(detail, "#stages")
    stage = case_detail(ctx, cases.overdue).stages[0]
    assert (stage.responded, stage.outcome, stage.on_time) == (TODAY, "partially_upheld", False)
    assert [r.kind for r in stage.remedies] == ["apology"]


async def test_deadlines_are_grouped_and_change_after_an_extension(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        counts = {g.key: g.count for g in screen.groups}
        assert counts == {
            "overdue": 1,
            "today": 1,
            "this_week": 1,
            "next_week": 1,
            "later": 1,
            "suspended": 1,
            "acknowledgements": 5,
            "windows": 2,
            "learning": 1,
        }
        table = screen.table
        rows = [table.row_at(i) for i in range(table.total)]
        headings = [getattr(r, "title", None) for r in rows if not hasattr(r, "reference")]
        assert headings[:3] == ["Overdue", "Due today", "Due this week"]
        order = [r.reference for r in rows if hasattr(r, "reference")][:5]
        assert order == [
            cases.overdue,
            cases.due_today,
            cases.this_week,
            cases.next_week,
            cases.later,
        ]
        windows = [r for r in rows if getattr(r, "group", "") == "windows"]
        assert [w.when for w in windows] == [date(2026, 11, 30), date(2026, 12, 14)]

        await pilot.press("right_square_bracket")  # to "Due today"
        assert table.cursor == 2
        await pilot.press("down")  # its one clock
        assert table.row.reference == cases.due_today
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Complex")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and isinstance(screen, DeadlinesScreen)
        counts = {g.key: g.count for g in screen.groups}
        assert (counts["today"], counts["later"]) == (0, 2)


async def test_saving_over_someone_elses_change_offers_a_reload(ctx: Context) -> None:
    """A colleague extended the clock after the screen was read; extending it again
    names them and what they did, and overwrites nothing."""
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    app.CHANGE_POLL = 3600  # the screen keeps the version it first read
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_case(pilot, cases.overdue)
        seen = detail.case.version  # type: ignore[union-attr]
        colleague = replace(ctx, actor="R. Okafor")
        actions.extend(colleague, cases.overdue, to_days=15, reason="Their extension")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "My extension")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        assert "R. Okafor: extended" in app.screen.message
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is detail
        assert detail.case is not None and detail.case.version == seen + 1
        assert "Their extension" in text_of(detail, "#stages")
    stage = case_detail(ctx, cases.overdue).stages[0]
    assert (stage.extended_to, stage.extension_reason) == (15, "Their extension")


async def test_a_note_saved_over_a_colleagues_note_keeps_both(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    app.CHANGE_POLL = 3600
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, cases.overdue)
        actions.add_note(replace(ctx, actor="R. Okafor"), cases.overdue, "A colleague's note")
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "My note")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ConflictDialog)
    notes = [e.note for e in case_detail(ctx, cases.overdue).events if e.action == "note"]
    assert notes == ["A colleague's note", "My note"]


async def test_quick_capture_logs_a_contact_into_the_queue(ctx: Context) -> None:
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen) and screen.queue.total == 0
        await pilot.press("n")
        await type_text(pilot, "Dana Whitfield")
        await pilot.press("tab", "tab", "tab")  # channel, received (today), service
        await type_text(pilot, "Fostering Service")
        await pilot.press("tab")
        await type_text(pilot, "Wants a call back about respite")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.queue.total == 1
        row = screen.queue.row_at(0)
        assert (row.who, row.received, row.service) == (
            "Dana Whitfield",
            TODAY,
            "Fostering Service",
        )
        assert screen.query_one("#who", Input).has_focus, "ready for the next contact"


async def test_help_lists_every_screens_keys(ctx: Context) -> None:
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(plain(s) for s in app.screen.query(".help-section").results(Static))
        for words in ("Open/closed", "Extend", "Stop/restart clock", "Statutory complaint"):
            assert words in text
        for words in ("Duty: refused (legal proceedings)", "Accept next stage", "Next group"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, CaseListScreen)


async def test_the_report_has_its_place_in_the_navigation(ctx: Context) -> None:
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert app.current_mode == "report"
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("1")
        assert isinstance(app.screen, CaseListScreen)


async def test_command_palette_opens_a_case_by_reference(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, cases.later)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert app.screen.reference == cases.later


async def test_filter_dialog_narrows_the_list_in_the_database(ctx: Context) -> None:
    office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("tab", "enter")  # Procedure: open its choices
        await pilot.press("down", "enter")  # from "any" to Statutory complaint
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and isinstance(screen, CaseListScreen)
        assert screen.filter.procedure == "statutory"
        assert screen.table.total == 3  # two running statutory clocks and a stopped one
        assert "Statutory complaint" in text_of(screen, "#list-status")
        await pilot.press("c")
        await settle(pilot)
        assert screen.table.total == 6


async def test_edit_details_checks_every_field_before_saving(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_case(pilot, cases.overdue)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-service", Input).focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "Fostering Service")
        dialog.query_one("#field-matter_date", Input).focus()
        await type_text(pilot, "32/13/2025")
        dialog.query_one("#field-child", Input).focus()
        await type_text(pilot, "Child in care; Orphan")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "impossible date" in text_of(dialog, "#error-matter_date")
        assert case_detail(ctx, cases.overdue).service == "Lichfield - Early Help"
        dialog.query_one("#field-matter_date", Input).focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "2025-10-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog, "the unknown child's status is refused too"
        assert "Unknown: orphan" in text_of(dialog, "#error-child")
        dialog.query_one("#field-child", Input).focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "Child in care")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is detail
        assert "Fostering Service" in text_of(detail, "#case-fields")
    case = case_detail(ctx, cases.overdue)
    assert (case.service, case.matter_date, case.child_statuses) == (
        "Fostering Service",
        date(2025, 10, 1),
        ("child_in_care",),
    )
    assert case.late_matter, "more than 12 months before the complaint"


async def test_note_assign_and_link_from_the_case(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_case(pilot, cases.overdue)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Called mum back")
        await pilot.press("enter")  # Enter in the last field saves
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "R. Okafor")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await type_text(pilot, cases.later)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is detail
        timeline = text_of(detail, "#timeline")
        assert "Called mum back" in timeline and "assigned" in timeline
    case = case_detail(ctx, cases.overdue)
    assert (case.officer, case.linked) == ("R. Okafor", (cases.later,))
    assert case_detail(ctx, cases.later).linked == (cases.overdue,)


async def test_an_ombudsman_enquiry_records_its_reference_and_deadline(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, cases.corporate_responded)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("tab")  # received: today
        await type_text(pilot, "26 004 123")
        await pilot.press("tab")
        await type_text(pilot, "18/12/2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EscalationScreen)
        assert "Ombudsman" in text_of(screen, "#chain")
    stage = case_detail(ctx, cases.corporate_responded).stages[-1]
    assert (stage.procedure, stage.ombudsman_reference, stage.deadline.due) == (
        "lgsco",
        "26 004 123",
        date(2026, 12, 18),
    )


async def test_at_launch_the_list_is_painted_first_then_given_its_working_days(
    ctx: Context,
) -> None:
    cases = office(ctx)
    fresh = Context(ctx.engine, actor="Test Officer", clock=lambda: TODAY)  # no calendar yet
    first = open_listing(fresh, CaseFilter(), working_days=fresh.calendar is not None)
    assert not first.working_days and first.first[0].days_left is None
    app = ComplaintsApp(fresh, first=first)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        assert screen.listing is not None and screen.listing.working_days
        row = screen.table.row_at(0)
        assert (row.reference, row.days_left) == (cases.overdue, -5)


async def test_enter_before_the_search_results_arrive_opens_nothing(ctx: Context) -> None:
    office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        # a keystroke whose rows are still being read: the highlighted row is stale
        screen.filter = screen.filter.but(search="Brown")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen


async def test_a_second_triage_key_waits_for_the_first_to_be_saved(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    refs = [
        actions.log_contact(
            ctx,
            who=f"Caller {n}",
            channel="email",
            service=None,
            summary="A contact",
            received=date(2026, 11, 19 + n),
        ).reference
        for n in range(2)
    ]
    saving = threading.Event()
    real_triage = actions.triage

    def slow_triage(*args: Any, **kwargs: Any) -> actions.Done:
        saving.wait(timeout=10)  # held until the test has pressed the second key
        return real_triage(*args, **kwargs)

    monkeypatch.setattr("complaints_tui.tui.screens.triage.actions.triage", slow_triage)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("s")  # saving...
        await pilot.press("c")  # ...so this one must not act on the same contact
        saving.set()
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
    assert [case_detail(ctx, r).procedure for r in refs] == ["statutory", "corporate"]
    assert errors == [], "no conflict reported for the officer's own quick keys"
