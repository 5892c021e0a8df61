"""Our spreadsheet columns: the names the import reads and the export writes."""

from __future__ import annotations

COLUMNS = (
    "reference",
    "procedure",
    "stage",
    "received",
    "responded",
    "outcome",
    "extended",
    "division",
    "service",
    "complainant",
    "channel",
    "advocate",
    "themes",
    "summary",
)
"""The spreadsheet's columns, in the order the export writes them."""

EXPORT_ONLY = ("due", "status", "working_days_taken", "on_time", "acknowledgement_due")
"""Columns the export adds; the import accepts and ignores them, so an export re-imports."""

DETAIL_COLUMNS = (
    "complainant_name",
    "officer",
    "child_statuses",
    "repeat_complainant",
    "reopened_count",
    "matter_date",
    "acknowledged",
    "extension_reason",
    "extension_agreed",
    "panel_date",
    "panel_report_date",
    "clock_stops",
    "remedies",
    "learning",
    "fixed_due",
    "closed_on",
)
"""The rest of a case's record (see ``details``), after the export's computed columns: an
export re-imports whole. Added after the first release's columns, which scripts read (and
each new one after those before it: the Ombudsman's own deadline and the day a stage
closed without a response came last)."""

REQUIRED = ("reference", "procedure", "received")

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def key(text: str) -> str:
    """Vocabulary keys as typed in a spreadsheet: 'Partially upheld' is partially_upheld."""
    return text.strip().lower().replace(" ", "_").replace("-", "_")
