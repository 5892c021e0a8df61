"""The report screen's keys: years, exports, the published version, the basis, the letter."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from complaints_tui.tui.keys import HELP

SUPPRESS_BELOW = 5
"""The publication threshold: counts from 1 to 4 show as "<5" (as ``--suppress-below 5``)."""

FIRST_YEAR = 1990
"""The earliest year offered, as the ``report`` command's ``--year`` allows."""

YEARS = Binding.Group("Year", compact=True)
"""[ and ] share one footer entry."""

REPORT_BINDINGS: list[BindingType] = [
    HELP,
    Binding(
        "left_square_bracket,left",
        "year(-1)",
        "Previous year",
        tooltip="The financial year before",
        id="report.previous-year",
        group=YEARS,
    ),
    Binding(
        "right_square_bracket,right",
        "year(1)",
        "Next year",
        tooltip="The financial year after (up to the year to date)",
        id="report.next-year",
        group=YEARS,
    ),
    Binding(
        "h",
        "export('html')",
        "HTML file",
        tooltip="Write the report as one HTML file, to print (A4) or send; asks where",
        id="report.export-html",
    ),
    Binding(
        "t",
        "export('text')",
        "Text file",
        tooltip="Write the report as plain text, 88 columns for A4; asks where",
        id="report.export-text",
    ),
    Binding(
        "p",
        "export('pdf')",
        "PDF file",
        tooltip="Write the report as a PDF to table (A4, page numbers, charts); asks where",
        id="report.export-pdf",
    ),
    Binding(
        "s",
        "toggle_suppress",
        "Hide <5",
        tooltip=f"Published version: show counts below {SUPPRESS_BELOW} as "
        f"'<{SUPPRESS_BELOW}' and hide what would reveal them (s again shows all)",
        id="report.suppress",
    ),
    Binding(
        "b",
        "toggle_basis",
        "Basis",
        tooltip="Count outcomes and timeliness over the stages received in the year, or "
        "over those concluded in it, carried in included (b again switches back)",
        id="report.basis",
    ),
    Binding(
        "o",
        "letter",
        "Ombudsman letter",
        tooltip="Type the Ombudsman's annual letter for this year: the report sets it "
        "beside our records and names the cases they disagree on",
        id="report.lgsco-letter",
    ),
    Binding(
        "ctrl+r",
        "reload",
        "Reload",
        tooltip="Read the figures again",
        id="report.reload",
        show=False,
    ),
]
