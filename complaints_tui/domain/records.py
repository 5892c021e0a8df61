"""Plain records of cases and stages, as read from a spreadsheet or generated as demo data.

They carry what an officer recorded; the services compute the clocks and store them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class StageRecord:
    procedure: str
    number: int
    received: date
    clock_start: date | None = None
    responded: date | None = None
    outcome: str | None = None
    extended_to: int | None = None
    extension_reason: str | None = None
    extension_agreed: date | None = None
    fixed_due: date | None = None
    acknowledged: date | None = None
    request_date: date | None = None
    decision: str | None = None
    decision_reason: str | None = None
    out_of_time: bool = False
    closed_on: date | None = None
    investigator: str | None = None
    panel_date: date | None = None
    panel_report_date: date | None = None
    suspensions: list[tuple[date, date | None, str]] = field(default_factory=list)
    remedies: list[tuple[str, int | None]] = field(default_factory=list)
    """(kind, amount in pence)."""
    learning: list[tuple[str, str | None, date | None, str]] = field(default_factory=list)
    """(text, owner, due, status)."""


@dataclass(slots=True)
class CaseRecord:
    reference: str
    procedure: str
    stages: list[StageRecord] = field(default_factory=list)
    complainant_type: str | None = None
    complainant_name: str | None = None
    child_statuses: tuple[str, ...] = ()
    advocate_involved: bool = False
    advocate: str | None = None
    channel: str | None = None
    division: str | None = None
    service: str | None = None
    themes: tuple[str, ...] = ()
    summary: str = ""
    officer: str | None = None
    matter_date: date | None = None
    duty_category: str | None = None
    repeat_complainant: bool = False
    reopened_count: int = 0
