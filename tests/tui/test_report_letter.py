"""The Ombudsman's letter form on the Report screen, key by key, on a real database.

What the screen shows is checked against ``year_report`` given the same letter directly.
"""

from __future__ import annotations

from textual.widgets import Input

from complaints_tui.domain.report import Report
from complaints_tui.services import demo
from complaints_tui.services.context import Context
from complaints_tui.services.report import year_report
from complaints_tui.services.report_letters import stored_letter
from complaints_tui.tui.app import ComplaintsApp
from complaints_tui.tui.screens.form_dialog import FormDialog

from .conftest import TODAY, settle
from .test_report_screen import SIZE, open_report

LETTER = {  # the form's fields in order, as the officer types them ("" left empty)
    "premature": "3",
    "closed_after_initial_enquiries": "5",
    "not_investigated": "",
    "no_fault": "2",
    "fault_no_injustice": "1",
    "fault_injustice": "2",
    "recommendations": "4",
    "complied": "3",
}


async def type_letter(pilot, figures: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Type each figure and press Enter for the next field, as an officer would."""
    for value in figures.values():
        await pilot.press("ctrl+u", *value)  # clear what the field held, then type
        await pilot.press("enter")
        await pilot.pause()


def expected(ctx: Context) -> Report:
    stored = stored_letter(ctx.engine, 2025)
    assert stored is not None
    return year_report(
        ctx.engine,
        year=2025,
        as_at=TODAY,
        policy=ctx.policy,
        calendar=ctx.cal,
        letter=stored.letter,
    )


async def test_the_letter_typed_in_is_reconciled_and_still_there_after_a_restart(
    ctx: Context,
) -> None:
    demo.fill(ctx, 400)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_report(pilot)
        assert "The Ombudsman's annual letter and our records" not in view.text
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await type_letter(pilot, LETTER)  # Enter on the last field saves
        await settle(pilot)
        assert app.screen is screen
        text = view.text
        assert "The Ombudsman's annual letter and our records" in text
        assert "Cases the letter and our records disagree on" in text

    want = expected(ctx)
    figures = want.table("lgsco_letter")
    assert figures.cell("premature", "letter") == 3
    assert figures.cell("total", "letter") == 13
    assert figures.cell("upheld", "letter") == 3
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index("The Ombudsman's annual letter and our records")
    premature = next(line for line in lines[start:] if line.startswith("Premature"))
    ours = figures.cell("premature", "records")
    assert premature.split()[-3:] == ["3", str(ours), str(ours - 3)]
    assert any(
        line.startswith("Recommendations complied with") and line.endswith(" 3")
        for line in lines[start:]
    )
    # every case the two disagree on is named on screen by its reference
    disagree = want.table("lgsco_letter_cases").rows
    assert disagree
    for row in disagree:
        assert str(row.cells["case"]) in text

    # a restart: the figures are in the database, in the form and in the report
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_report(pilot)
        assert "The Ombudsman's annual letter and our records" in view.text
        await pilot.press("o")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        shown = {name: form.query_one(f"#field-{name}", Input).value for name in LETTER}
        assert shown == LETTER
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_figures_that_cannot_be_the_letters_are_refused_and_nothing_is_saved(
    ctx: Context,
) -> None:
    demo.fill(ctx, 100)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        await pilot.press("o")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        await type_letter(pilot, {**LETTER, "no_fault": "two"})
        await settle(pilot)
        assert app.screen is form
        assert "'two' is not a whole number" in str(form.query_one("#error-no_fault").render())
        assert stored_letter(ctx.engine, 2025) is None

        # the officer corrects it (the form has put the cursor there), then claims more
        # recommendations complied with than were made: one line, still nothing saved
        await pilot.press("ctrl+u", "2", "tab", "tab", "tab", "tab", "ctrl+u", "9", "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        error = str(form.query_one("#dialog-error").render())
        assert "Complied with (9) cannot be more than the recommendations (4)" in error
        assert stored_letter(ctx.engine, 2025) is None

        await pilot.press("ctrl+u", "4", "ctrl+s")
        await settle(pilot)
        assert app.screen is not form
        stored = stored_letter(ctx.engine, 2025)
        assert stored is not None
        assert stored.letter.complied == 4
        assert stored.letter.decisions["no_fault"] == 2
        assert stored.who == "Test Officer"
