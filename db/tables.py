"""The tables. Keys of the domain vocabularies are stored as text; dates as DATE.

All SQL stays portable (SQLite now, PostgreSQL later): no engine-specific functions,
date arithmetic happens in Python.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Timestamps are stored in UTC and shown in local time."""
    return datetime.now(UTC)


def key(row: Case | Stage) -> int:
    """The id of a row that has been flushed (the type checker cannot know it is set)."""
    assert row.id is not None, "flush the row before using its id"
    return row.id


class Case(SQLModel, table=True):
    # Few indexes: lists are driven by the stages' indexes, and every extra index here
    # costs the 100,000-case import about half a second.
    __tablename__ = "cases"
    __table_args__ = (
        # "My cases" over closed or all stages: a million stages, count 445 -> 210 ms.
        Index("ix_cases_officer", "officer"),
        # The filters' choices, walked one value at a time (``repo.distinct_values``):
        # a scan of a million cases took a second a column.
        Index("ix_cases_service", "service"),
        Index("ix_cases_division", "division"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True)
    procedure: str
    complainant_type: str | None = None
    complainant_name: str | None = None
    child_statuses: str = ""
    """Keys of the child's statuses, ';'-separated (several may apply)."""
    advocate_involved: bool = False
    advocate: str | None = None
    channel: str | None = None
    division: str | None = None
    service: str | None = None
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    officer: str | None = None
    matter_date: date | None = None
    """When the matters complained about happened (for the 12-month rule)."""
    duty_category: str | None = None
    """For a duty matter: its category; None on a duty contact means not yet triaged."""
    repeat_complainant: bool = False
    reopened_count: int = 0
    status: str = "open"
    closed_on: date | None = None
    # How to reach the complainant: shown on the case and in `show`, never in a list's
    # summary or in any report (schema 2).
    complainant_address: str | None = Field(default=None, sa_column=Column(Text))
    complainant_email: str | None = None
    complainant_phone: str | None = None
    preferred_contact: str | None = None
    """How the complainant prefers to be contacted (a key: email, phone, letter...)."""
    cms_reference: str | None = None
    """The child's reference in the council's case-management system (Mosaic, LCS...)."""
    member_name: str | None = None
    """For an MP or councillor enquiry: the member's name."""
    member_area: str | None = None
    """The MP's constituency or the councillor's ward."""
    pending_since: date | None = None
    """A duty contact awaiting further information: since when (it stays in the queue)."""
    voided_on: date | None = None
    """Logged by mistake: left out of lists and reports, kept in the timeline, restorable."""
    void_reason: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    version: int = 1
    """Optimistic lock: every save checks and bumps it."""
    search_text: str = Field(
        default="", sa_column=Column(Text, nullable=False, default="", server_default="")
    )
    """The searched fields folded (no accents, case-folded), kept by db/search.py."""


class CaseTheme(SQLModel, table=True):
    __tablename__ = "case_themes"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    theme: str
    theme_key: str = Field(index=True)
    """The theme normalised (trimmed, case-folded) so 'Delay' and 'delay ' match."""


class CaseLink(SQLModel, table=True):
    __tablename__ = "case_links"
    __table_args__ = (UniqueConstraint("case_id", "linked_case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    linked_case_id: int = Field(foreign_key="cases.id")


class CaseChild(SQLModel, table=True):
    """A child the case is about (several per case)."""

    __tablename__ = "case_children"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    name: str
    date_of_birth: date | None = None


class Officer(SQLModel, table=True):
    """The team's officers: assignment picks from this list, so a typo cannot add one."""

    __tablename__ = "officers"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    active: bool = True
    left_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Stage(SQLModel, table=True):
    __tablename__ = "stages"
    __table_args__ = (
        UniqueConstraint("case_id", "procedure", "number"),
        Index("ix_stages_status_due", "status", "due", "id"),
        Index("ix_stages_received", "received"),
        # The case list's due-date order over closed or all stages (100,000 cases: first
        # page 115 -> 20 ms, each further page 59 -> 6 ms).
        Index("ix_stages_due", "due", "id"),
        # The deadlines screen's open escalation windows: responded stages by response
        # date (count and page 60-86 -> under 5 ms).
        Index("ix_stages_status_responded", "status", "responded"),
        # A search's stages counted from its cases without reading a stage row: a million
        # stages, 65,000 matching, 400 -> 115 ms.
        Index("ix_stages_case_status_due", "case_id", "status", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    """Indexed by the (case_id, procedure, number) unique constraint."""
    procedure: str
    number: int = 1
    """1-3 for statutory and corporate; 1 for single-stage procedures."""
    received: date
    clock_start: date
    clock_set_by_hand: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    """The clock start was typed (or set by re-opening): the policy's rule does not move it."""
    due: date | None = None
    """Stored for sorting and filtering; recomputed by the services on every change."""
    timescale: int | None = None
    extended_to: int | None = None
    extension_agreed: date | None = None
    extension_reason: str | None = None
    fixed_due: date | None = None
    """The Ombudsman's own deadline for an LGSCO enquiry."""
    ombudsman_reference: str | None = None
    acknowledged: date | None = None
    responded: date | None = None
    outcome: str | None = None
    investigator: str | None = None
    iio: str | None = None
    independent_person: str | None = None
    panel_date: date | None = None
    panel_report_date: date | None = None
    request_date: date | None = None
    """For an escalated stage: when the complainant asked for it."""
    decision: str | None = None
    """accepted, refused or withdrawn (for an escalated stage)."""
    decision_reason: str | None = None
    out_of_time: bool = False
    status: str = "open"
    closed_on: date | None = None
    panel_members: str | None = None
    """Statutory Stage 3: the review panel's members, as the officer types them."""
    ombudsman_decided: date | None = None
    """An Ombudsman enquiry: the date of the Ombudsman's decision (``outcome``); the
    council's reply to the Ombudsman is ``responded``."""
    extension_recorded: date | None = None
    """The day the extension was entered (it may be after the stage was due)."""
    voided_on: date | None = None
    """Logged by mistake: left out of lists and reports, kept in the timeline, restorable."""
    void_reason: str | None = None
    days_taken: int | None = None
    """Working days from the clock start to the response, less clock stops (None while
    unanswered), and ``acknowledgement_due`` the day a complaint's acknowledgement was due
    (None for other contacts): the export's rule columns, stored by the services with the
    clock (``services.stage_clocks.rule_columns``) under the policy ``meta.stage_days``
    names, so an export reads them as it reads any column."""
    acknowledgement_due: date | None = None


class Suspension(SQLModel, table=True):
    __tablename__ = "suspensions"

    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = Field(foreign_key="stages.id", index=True)
    start: date
    end: date | None = None
    reason: str = ""
    recorded: date | None = None
    """The day the clock stop was entered (it may be after the stage was due)."""


class Remedy(SQLModel, table=True):
    __tablename__ = "remedies"

    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = Field(foreign_key="stages.id", index=True)
    kind: str
    amount_pence: int | None = None
    """Payments in pence, so totals in pounds add up exactly."""
    note: str = ""


class LearningAction(SQLModel, table=True):
    __tablename__ = "learning_actions"

    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = Field(foreign_key="stages.id", index=True)
    text: str
    owner: str | None = None
    due: date | None = None
    status: str = "open"
    completed_on: date | None = None


class Event(SQLModel, table=True):
    """The append-only timeline of a case: every change and every note."""

    __tablename__ = "events"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    stage_id: int | None = None
    at: datetime = Field(default_factory=utcnow)
    who: str
    action: str
    field: str | None = None
    old: str | None = None
    new: str | None = None
    note: str | None = Field(default=None, sa_column=Column(Text))
    version: int | None = None
    """The case's version this change made (schema 6; None before): what a screen that
    read an older version has missed."""


class LgscoLetter(SQLModel, table=True):
    """The Ombudsman's annual letter for a financial year, as an officer typed it in.

    Append-only (schema 8): saving the form again adds a row, and the newest row of a year
    is the letter; earlier ones stay, with who entered them and when.
    """

    __tablename__ = "lgsco_letters"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    """The financial year the letter covers, by the year it starts (2025 for 2025-26)."""
    premature: int | None = None
    closed_after_initial_enquiries: int | None = None
    not_investigated: int | None = None
    no_fault: int | None = None
    fault_no_injustice: int | None = None
    fault_injustice: int | None = None
    recommendations: int | None = None
    complied: int | None = None
    who: str
    at: datetime = Field(default_factory=utcnow)


class Meta(SQLModel, table=True):
    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str
