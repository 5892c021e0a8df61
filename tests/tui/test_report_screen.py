"""The Report screen, key by key, on a real database with today fixed at Mon 23/11/2026.

Figures on screen are checked against ``year_report`` called directly; workers are
awaited, never slept on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from complaints_tui.domain.report import Report
from complaints_tui.report.html import to_html
from complaints_tui.report.text import to_text
from complaints_tui.services import actions, demo
from complaints_tui.services.context import Context
from complaints_tui.services.report import year_report
from complaints_tui.tui.app import ComplaintsApp
from complaints_tui.tui.screens.report import ReportScreen, ReportView
from complaints_tui.tui.screens.report_export import ExportDialog

from .conftest import TODAY, settle
from .test_screens import plain

SIZE = (120, 40)
QUARTERS = ("Q1", "Q2", "Q3", "Q4", "total")


@pytest.fixture
def report_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    out = tmp_path / "exports"
    out.mkdir()
    monkeypatch.setenv("COMPLAINTS_REPORT_DIR", str(out))
    return out


def direct(ctx: Context, year: int) -> Report:
    return year_report(ctx.engine, year=year, as_at=TODAY, policy=ctx.policy, calendar=ctx.cal)


def line_of(text: str, label: str, table_title: str) -> str:
    """The first line of the table titled ``table_title`` that starts with ``label``."""
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index(table_title)
    return next(line for line in lines[start:] if line.startswith(label))


def status(screen: ReportScreen) -> str:
    return plain(screen.query_one("#report-status", Static))


def notifications(app: ComplaintsApp) -> list[tuple[str, str, str]]:
    """Record what the app tells the officer: (title, message, severity)."""
    seen: list[tuple[str, str, str]] = []
    notify: Callable[..., Any] = app.notify

    def record(message: str, *, title: str = "", severity: str = "information", **kw: Any) -> None:
        seen.append((title, message, severity))
        notify(message, title=title, severity=severity, **kw)

    app.notify = record  # type: ignore[method-assign]
    return seen


async def open_report(pilot) -> tuple[ReportScreen, ReportView]:  # type: ignore[no-untyped-def]
    """Open the report with the app's own key and wait until it is shown."""
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen)
    view = screen.query_one(ReportView)
    assert not view.loading
    return screen, view


def few_cases(ctx: Context) -> None:
    """Two corporate complaints in 2025-26 and one in 2024-25: small numbers."""
    for received in (date(2025, 6, 2), date(2025, 6, 9), date(2024, 10, 1)):
        actions.log_case(
            ctx,
            procedure="corporate",
            received=received,
            complainant_name="A Parent",
            service="Fostering Service",
            division="Children in Care",
            summary="Late payment",
        )


async def test_opens_on_the_last_complete_year_with_the_figures_of_year_report(
    ctx: Context,
) -> None:
    demo.fill(ctx, 400)
    quarters = direct(ctx, 2025).table("received_by_quarter")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_report(pilot)
        assert screen.sub_title == "2025-26"
        assert "Complaints and compliments: annual report 2025-26" in view.text
        assert "2025-26 · 01/04/2025–31/03/2026 · as at 23/11/2026 · took" in status(screen)
        assert "hidden" not in status(screen)
        # At this width the table is turned on its side: a line per procedure and stage,
        # a column per quarter and the year's total.
        for column in quarters.columns:
            figures = [f"{quarters.cell(q, column.key):,}" for q in QUARTERS]
            assert line_of(view.text, column.label, quarters.title).split()[-5:] == figures
        assert quarters.cell("total", "total") > 100


async def test_previous_and_next_year_with_the_keys(ctx: Context) -> None:
    demo.fill(ctx, 400)
    earlier = direct(ctx, 2024).table("received_by_quarter")
    app = ComplaintsApp(ctx)
    seen = notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_report(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.sub_title == "2024-25"
        assert "Period: 01/04/2024 to 31/03/2025" in view.text
        assert "2024-25 · 01/04/2024–31/03/2025" in status(screen)
        total = earlier.cell("total", "total")
        assert line_of(view.text, "Total", earlier.title).split()[-1] == f"{total:,}"

        await pilot.press("right", "right")  # the arrows too, up to the year to date
        await settle(pilot)
        assert screen.sub_title == "2026-27"
        assert "2026-27 to date · 01/04/2026–31/03/2027 · as at 23/11/2026" in status(screen)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.sub_title == "2026-27", "the next year has not started"
        assert any("has not started" in message for _, message, _ in seen)


async def test_a_year_without_cases_says_so(ctx: Context) -> None:
    demo.fill(ctx, 400)  # three years: 2024-25 to the year to date
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_report(pilot)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert screen.sub_title == "2023-24"
        assert "Nothing was received in 2023-24 (01/04/2023 to 31/03/2024)" in " ".join(
            view.text.split()
        )
        assert "Received by quarter" not in view.text


async def test_export_html_and_text_with_one_key_each(ctx: Context, report_dir: Path) -> None:
    demo.fill(ctx, 400)
    expected = direct(ctx, 2025)
    app = ComplaintsApp(ctx)
    seen = notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        screen, _view = await open_report(pilot)
        # each export asks where, offering the report's own name in the export folder
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one(Input).value == str(
            report_dir / "complaints-report-2025-26.html"
        )
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t", "enter")
        await settle(pilot)
        html = report_dir / "complaints-report-2025-26.html"
        text = report_dir / "complaints-report-2025-26.txt"
        assert html.read_text(encoding="utf-8") == to_html(expected)
        assert text.read_text(encoding="utf-8") == to_text(expected)
        shown = " ".join(status(screen).split())
        assert f"HTML written to {html}" in shown
        assert f"Text written to {text}" in shown
        assert [(t, m) for t, m, _ in seen if t.endswith("report written")] == [
            ("HTML report written", str(html)),
            ("Text report written", str(text)),
        ]
    assert '<section id="received_by_quarter">' in html.read_text(encoding="utf-8")
    assert "Received by quarter" in text.read_text(encoding="utf-8")
    assert sorted(p.name for p in report_dir.iterdir()) == [html.name, text.name]


async def test_suppression_hides_small_counts_on_screen_and_in_exports(
    ctx: Context, report_dir: Path
) -> None:
    few_cases(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_report(pilot)
        title = "Received by quarter"
        assert line_of(view.text, "Q1", title).split()[-2:] == ["2", "2"]
        await pilot.press("s")
        await settle(pilot)
        assert line_of(view.text, "Q1", title).split()[-2:] == ["<5", "<5"]
        assert "Published version: numbers below 5 are hidden" in view.text
        assert status(screen).endswith("· <5 hidden")
        await pilot.press("h", "enter")
        await settle(pilot)
        published = report_dir / "complaints-report-2025-26-published.html"
        assert "&lt;5" in published.read_text(encoding="utf-8")
        await pilot.press("s")  # and back to every figure
        await settle(pilot)
        assert line_of(view.text, "Q1", title).split()[-2:] == ["2", "2"]
        assert "hidden" not in status(screen)


async def test_an_export_to_a_missing_folder_is_refused_in_the_dialog(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    few_cases(ctx)
    missing = tmp_path / "no-such-folder"
    monkeypatch.setenv("COMPLAINTS_REPORT_DIR", str(missing))
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        await pilot.press("t", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert f"There is no folder {missing}" in plain(
            app.screen.query_one("#dialog-note", Static)
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
    assert not missing.exists()


async def test_an_export_never_replaces_a_file_silently_and_remembers_the_folder(
    ctx: Context, report_dir: Path, tmp_path: Path
) -> None:
    few_cases(ctx)
    other = tmp_path / "elsewhere"
    other.mkdir()
    target = other / "for-members.pdf"
    target.write_bytes(b"the manager's own notes")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        # the file exists: a warning, nothing written
        assert isinstance(app.screen, ExportDialog)
        assert "already exists" in plain(app.screen.query_one("#dialog-note", Static))
        assert target.read_bytes() == b"the manager's own notes"
        await pilot.press("enter")  # again: replace it
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert target.read_bytes().startswith(b"%PDF")
        # the next export starts in the folder used last
        await pilot.press("h")
        await settle(pilot)
        assert app.screen.query_one(Input).value == str(other / "complaints-report-2025-26.html")
        await pilot.press("escape")
        await settle(pilot)
    assert sorted(p.name for p in other.iterdir()) == ["for-members.pdf"]


async def test_the_basis_key_counts_on_conclusion(ctx: Context) -> None:
    demo.fill(ctx, 400)
    want = year_report(
        ctx.engine, year=2025, as_at=TODAY, policy=ctx.policy, calendar=ctx.cal, basis="concluded"
    ).table("outcomes_by_stage")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_report(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert "on conclusion" in status(screen)
        assert "Counted on the 'concluded' basis" in view.text
        assert screen.shown is not None
        got = screen.shown.report.table("outcomes_by_stage")
        assert got.to_dict() == want.to_dict()
        await pilot.press("b")
        await settle(pilot)
        assert "on conclusion" not in status(screen)


async def test_readable_at_80_columns_and_laid_out_again_when_wider(ctx: Context) -> None:
    few_cases(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, view = await open_report(pilot)
        assert view.rendered is not None
        assert max(len(line) for line in view.text.splitlines()) <= view.text_width
        assert view.rendered.width == view.text_width
        await pilot.resize_terminal(140, 30)
        await settle(pilot)
        assert view.rendered.width == view.text_width > 120


async def test_counts_again_when_the_officer_comes_back(ctx: Context) -> None:
    few_cases(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_report(pilot)
        title = "Received by quarter"
        assert line_of(view.text, "Total", title).split()[-1] == "2"
        await pilot.press("1")
        await settle(pilot)
        actions.log_case(ctx, procedure="corporate", received=date(2026, 1, 5), summary="Late")
        await pilot.press("4")
        await settle(pilot)
        assert app.screen is screen
        assert line_of(view.text, "Total", title).split()[-1] == "3"


async def test_a_year_shown_before_is_shown_at_once_until_the_data_changes(
    ctx: Context,
) -> None:
    few_cases(ctx)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_report(pilot)
        first = screen.shown
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("4")
        # shown before any worker has run: the same report, laid out already
        assert screen.shown is first and not view.loading
        await settle(pilot)
        assert screen.shown is first  # nothing changed: not counted again
        assert "checking" not in status(screen)
