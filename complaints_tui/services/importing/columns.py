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

EXPORT_ONLY = ("due", "status", "working_days_taken", "on_time")
"""Columns the export adds; the import accepts and ignores them, so an export re-imports."""

REQUIRED = ("reference", "procedure", "received")

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def key(text: str) -> str:
    """Vocabulary keys as typed in a spreadsheet: 'Partially upheld' is partially_upheld."""
    return text.strip().lower().replace(" ", "_").replace("-", "_")
