"""The Ombudsman's annual letter, typed in on the Report screen (``o``).

The officer copies the letter's figures for the year - its decisions by category, and the
recommendations complied with - into a form; they are saved in the database, and the
year's report then shows them beside the council's own records, naming the cases the two
disagree on.
"""

from __future__ import annotations

from typing import Any

from complaints_tui.domain.report import year_label
from complaints_tui.domain.report_letter import UPHELD_DECISIONS
from complaints_tui.services.actions import Done
from complaints_tui.services.context import Context
from complaints_tui.services.report_letters import COMPLIANCE, DECISIONS, StoredLetter, save_letter

from .form_dialog import Field, FormDialog

LABELS = {
    "premature": "Premature",
    "closed_after_initial_enquiries": "Closed after enquiries",
    "not_investigated": "Not investigated",
    "no_fault": "No fault",
    "fault_no_injustice": "Fault, no injustice",
    "fault_injustice": "Fault and injustice",
    "recommendations": "Recommendations",
    "complied": "Complied with",
}
"""As the form labels them (short enough for its label column)."""


def summary(values: dict[str, Any]) -> str:
    """What the figures typed so far add up to, as the letter would put it."""
    decided = sum(values.get(k) or 0 for k in DECISIONS)
    upheld = sum(values.get(k) or 0 for k in UPHELD_DECISIONS)
    out = f"{decided} decision{'s' if decided != 1 else ''}, {upheld} upheld (fault found)"
    given, complied = values.get("recommendations"), values.get("complied")
    if given and complied is not None:
        out += f"; {complied} of {given} recommendations complied with"
    return out + "."


def letter_form(ctx: Context, year: int, stored: StoredLetter | None) -> FormDialog:
    label = year_label(year)
    figures = stored.figures if stored else {}
    fields = [
        Field(
            name,
            LABELS[name],
            "count",
            value="" if figures.get(name) is None else str(figures[name]),
        )
        for name in (*DECISIONS, *COMPLIANCE)
    ]
    intro = (
        f"Type the figures of the Ombudsman's annual letter for {label} as it gives them "
        "(leave a figure empty when the letter has none). The report shows them beside our "
        "own records and names the cases the two disagree on."
    )
    if stored is not None:
        intro += f" Last entered by {stored.who} on {stored.at:%d/%m/%Y}."

    def save(values: dict[str, Any]) -> Done:
        kept = save_letter(ctx, year, values)
        return Done(f"Ombudsman letter {label}", f"Saved: {summary(dict(kept.figures))}")

    return FormDialog(
        f"The Ombudsman's annual letter for {label}",
        fields,
        save,
        intro=intro,
        note=summary,
    )
