"""The officer's desk, key by key: my work today, letters, who the case is about, and a
keyboard that never traps (each test is one thing an officer ran into)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from docx import Document
from textual.widgets import Input, Label, Static
from textual.widgets._toast import Toast

from complaints_tui.services import actions
from complaints_tui.services.context import Context
from complaints_tui.services.queries import case_detail
from complaints_tui.tui.app import ComplaintsApp
from complaints_tui.tui.screens.case_detail import CaseDetailScreen
from complaints_tui.tui.screens.case_list import CaseListScreen
from complaints_tui.tui.screens.conflict import ConfirmDialog
from complaints_tui.tui.screens.deadlines import DeadlinesScreen
from complaints_tui.tui.screens.escalation import EscalationScreen
from complaints_tui.tui.screens.form_dialog import FormDialog
from complaints_tui.tui.screens.letter import LetterScreen
from complaints_tui.tui.widgets.key_bar import KeyBar

from .conftest import TODAY, office, settle, type_text
from .test_screens import open_case, plain, text_of

SIZE = (120, 40)


def messages(app: ComplaintsApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_deadlines_open_on_my_work_and_m_shows_the_team(ctx: Context) -> None:
    office(ctx)  # every case is Test Officer's except the MP enquiry (R. Okafor's)
    actions.log_case(ctx, procedure="statutory", received=date(2026, 11, 2), officer="R. Okafor")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Test Officer: 1 overdue and 1 due today (team: 2 and 1)" in messages(app)[0]
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        assert screen.title == "Deadlines — Test Officer"
        first = screen.table.row_at(0)
        assert plain_row(screen, 0) == "━━ Overdue (mine 1 · team 2) ━━"
        assert first.key == "overdue"
        await pilot.press("m")
        await settle(pilot)
        assert screen.title == "Deadlines — the whole team"
        assert plain_row(screen, 0) == "━━ Overdue (team 2 · mine 1) ━━"
        assert screen.table.total == sum(g.count + 1 for g in screen.groups)


def plain_row(screen: DeadlinesScreen, index: int) -> str:
    from complaints_tui.tui.screens.deadlines import render_item

    return str(render_item(screen.table.row_at(index), screen.mine).text)


async def test_an_officer_not_on_the_list_sees_the_team_and_is_told(ctx: Context) -> None:
    office(ctx)
    stranger = Context(ctx.engine, calendar=ctx.cal, actor="root", clock=ctx.clock)
    app = ComplaintsApp(stranger)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "root is not on the team's officer list" in messages(app)[0]
        await pilot.press("3")
        await settle(pilot)
        assert app.screen.title == "Deadlines — the whole team"


async def test_number_keys_never_return_to_an_old_case(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, cases.overdue)  # from the case list
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("enter")  # a case from the deadlines screen
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, CaseListScreen), "the list, not the old case screen"
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, DeadlinesScreen)
        assert len(app.screen_stack) == 1


async def test_a_case_screen_returned_to_shows_the_latest_version(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_case(pilot, cases.responded)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EscalationScreen)
        actions.add_note(ctx, cases.responded, "a colleague's note meanwhile")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is detail
        assert detail.sub_title == f"version {case_detail(ctx, cases.responded).version}"
        assert "a colleague's note meanwhile" in text_of(detail, "#timeline")
        await pilot.press("n")  # no false "changed by someone else"
        await settle(pilot)
        await type_text(pilot, "Spoke to dad")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is detail
        assert "Spoke to dad" in text_of(detail, "#timeline")


async def test_escape_on_a_typed_form_asks_before_discarding(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_case(pilot, cases.overdue)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(pilot)
        assert app.screen is detail
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Half a note")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        assert form.query_one("#field-text", Input).value == "Half a note"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert app.screen is detail
        assert "Half a note" not in text_of(detail, "#timeline")


async def test_q_does_not_quit_and_ctrl_q_does(ctx: Context) -> None:
    office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, DeadlinesScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running


async def test_notifications_do_not_cover_the_form(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await settle(pilot)
        await open_case(pilot, cases.overdue)
        await pilot.press("x")  # the extension form, four fields
        await settle(pilot)
        app.notify("Saved: a long notification about something else entirely", timeout=30)
        await settle(pilot)
        dialog = app.screen.query_one("#dialog").region
        toasts = list(app.screen.query(Toast))
        assert toasts
        for toast in toasts:
            assert not toast.region.overlaps(dialog), (toast.region, dialog)


async def test_every_key_of_the_case_screen_is_on_its_bar(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        detail = await open_case(pilot, cases.overdue)
        bar = plain(detail.query_one(KeyBar).query_one("#key-bar-keys", Static))
        words = bar.replace("\u00a0", " ")
        for text in ("? Help", "a Acknowledge", "x Extend", "d Edit details", "L Letter",
                     "i Learning action", "w Withdraw stage", "c Close/re-open", "[ ] Stage",
                     "o Assign", "l Link"):  # fmt: skip
            assert text in words, text


async def test_wording_on_the_case_screen(ctx: Context) -> None:
    cases = office(ctx)
    late = actions.log_case(ctx, procedure="corporate", received=date(2026, 11, 2)).reference
    actions.acknowledge(ctx, late, on=date(2026, 11, 12))  # due by 05/11
    contact = actions.log_contact(
        ctx, who="Dan", channel="email", service=None, summary="Unhappy", received=TODAY
    ).reference
    actions.triage(ctx, contact, procedure="statutory")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_case(pilot, cases.stopped)
        stages = text_of(detail, "#stages")
        assert "since 20/11/2026, still stopped: Awaiting an advocate" in stages
        assert "to still stopped" not in stages
        detail = await open_case(pilot, late)
        assert "12/11/2026 (due by 05/11/2026) — late" in text_of(detail, "#stages")
        assert "acknowledged: - → 12/11/2026" in text_of(detail, "#timeline")
        detail = await open_case(pilot, contact)
        timeline = text_of(detail, "#timeline")
        assert timeline.count("procedure: duty → statutory") == 1
        detail = await open_case(pilot, cases.later)  # an MP enquiry
        await pilot.press("a")
        await settle(pilot)
        assert "An MP enquiry needs no acknowledgement." in messages(app)
        detail = await open_case(pilot, cases.responded)
        await pilot.press("x")
        await settle(pilot)
        assert any("[ and ] choose another stage" in m for m in messages(app))


async def test_a_learning_action_due_in_2020_is_refused(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, cases.overdue)
        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, "Train staff")
        await pilot.press("tab", "tab")
        await type_text(pilot, "01/01/2020")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        assert "01/01/2020 is in the past" in plain(form.query_one("#error-due", Label))
    assert case_detail(ctx, cases.overdue).stages[0].learning == ()


async def test_a_duty_matter_is_offered_no_complaint_outcome(ctx: Context) -> None:
    ref = actions.log_contact(
        ctx, who="Eve", channel="email", service=None, summary="Info", received=TODAY
    ).reference
    actions.triage(ctx, ref, duty_category="pending_information")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_case(pilot, ref)
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is detail
        assert any("has no complaint outcome" in m for m in messages(app))


async def test_labels_never_run_into_their_field(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, cases.responded)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("o")  # the Ombudsman's enquiry form
        await settle(pilot)
        for label in app.screen.query(".field-label").results(Label):
            text = plain(label)
            assert label.region.width > len(text), text
        edit_placeholder = ""
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        for _ in range(100):  # on a loaded machine the form can take a few frames more
            if app.screen.query("#field-child"):
                break
            await pilot.pause(0.05)
        edit_placeholder = app.screen.query_one("#field-child", Input).placeholder
        assert edit_placeholder.startswith("none"), "a hint, not what looks like data"


async def test_the_extension_preview_never_freezes(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_case(pilot, cases.overdue)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "99999999")
        await settle(pilot)
        form = app.screen
        assert plain(form.query_one("#dialog-note", Static)) == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "At most 65 working days" in plain(form.query_one("#error-to_days", Label))
        await pilot.press("ctrl+u")
        await type_text(pilot, "20")
        await settle(pilot)
        assert "New due date: 30/11/2026" in plain(form.query_one("#dialog-note", Static))


async def test_letter_preview_write_and_record_the_acknowledgement(
    ctx: Context, tmp_path: Path
) -> None:
    cases = office(ctx)
    actions.update_case(ctx, cases.this_week, {"complainant_address": "3 Bore St\nLichfield"})
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_case(pilot, cases.this_week)
        await pilot.press("L")
        await settle(pilot)
        letter = app.screen
        assert isinstance(letter, LetterScreen)
        preview = plain(letter.query_one("#letter-preview", Static))
        assert "Dear Tom Jones," in preview and "by 26 November 2026" in preview
        path = letter.query_one("#letter-path", Input)
        path.value = str(tmp_path / "ack.docx")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is detail
        timeline = text_of(detail, "#timeline")
        assert "letter Acknowledgement, dated 23/11/2026" in timeline
        assert "acknowledged: - → 23/11/2026" in timeline
    paragraphs = [p.text for p in Document(str(tmp_path / "ack.docx")).paragraphs]
    assert paragraphs[0] == "Tom Jones\n3 Bore St\nLichfield"


async def test_edit_contact_children_and_a_new_theme_from_the_form(ctx: Context) -> None:
    cases = office(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = await open_case(pilot, cases.overdue)
        await pilot.press("d")
        await settle(pilot)
        form = app.screen
        form.query_one("#field-complainant_email", Input).value = "sam@example.org"
        form.query_one("#field-children", Input).value = "Zoë Smith 03/04/2015; Ben Smith"
        form.query_one("#field-themes", Input).value = "Delay; Made-up theme"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "a new theme is confirmed first"
        assert "'Made-up theme' is not a theme in use" in plain(
            form.query_one("#dialog-error", Static)
        )
        await pilot.press("ctrl+s")  # confirmed
        await settle(pilot)
        assert app.screen is detail
        fields = text_of(detail, "#case-fields")
        assert "sam@example.org" in fields
        assert "Zoë Smith, born 03/04/2015" in fields and "Ben Smith" in fields
        assert "Made-up theme" in fields


async def test_a_notification_on_triage_does_not_cover_the_capture_form(ctx: Context) -> None:
    app = ComplaintsApp(ctx)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("2", "n")
        await settle(pilot)
        app.notify("Contact logged as CT-2026-00001: a notification", timeout=30)
        await settle(pilot)
        form = app.screen.query_one("#capture").region
        toasts = list(app.screen.query(Toast))
        assert toasts
        for toast in toasts:
            assert not toast.region.overlaps(form), (toast.region, form)
