"""Deadlines of a stage, each able to say why it falls on its date.

Counting rule: the due date is the N-th working day strictly after the clock-start date
(the day of receipt is not counted), and working days inside a suspension do not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .calendar import Suspension, WorkingCalendar
from .policy import Policy
from .vocab import COMPLAINT_PROCEDURES, stage_label

UK_DATE = "%d/%m/%Y"


def fmt(day: date | None) -> str:
    """Dates as officers write them: 05/01/2024."""
    return day.strftime(UK_DATE) if day else ""


@dataclass(frozen=True)
class ClockInput:
    """What a stage's deadline depends on."""

    procedure: str
    number: int | None
    clock_start: date
    extended_to: int | None = None
    """Working days in force after an agreed extension."""
    fixed_due: date | None = None
    """A deadline set from outside (the Ombudsman's), overriding the policy."""
    suspensions: tuple[Suspension, ...] = ()
    panel_date: date | None = None
    panel_report_date: date | None = None


@dataclass(frozen=True)
class Deadline:
    due: date | None
    """None when the procedure has no deadline or the clock is stopped."""
    timescale: int | None
    """Working days in force (after any extension)."""
    standard: int | None
    extended: bool = False
    stopped_since: date | None = None
    suspended_days: int = 0
    explanation: tuple[str, ...] = field(default=(), compare=False)

    @property
    def stopped(self) -> bool:
        return self.stopped_since is not None


def _closed(suspensions: tuple[Suspension, ...]) -> tuple[Suspension, ...]:
    return tuple(s for s in suspensions if s[1] is not None)


def _open_since(suspensions: tuple[Suspension, ...]) -> date | None:
    return next((s[0] for s in suspensions if s[1] is None), None)


def stage_deadline(
    clock: ClockInput, policy: Policy, calendar: WorkingCalendar, *, explain: bool = True
) -> Deadline:
    """The due date of a stage's response, with the reasons for it."""
    timescale = policy.timescale(clock.procedure, clock.number)
    name = stage_label(clock.procedure, clock.number)
    if timescale is None:
        return Deadline(None, None, None, explanation=(f"{name}: no response deadline.",))
    stopped_since = _open_since(clock.suspensions)
    closed = _closed(clock.suspensions)
    lines: list[str] = []

    if clock.fixed_due is not None:
        lines.append(f"{name}: the deadline set by the Ombudsman, {fmt(clock.fixed_due)}.")
        return Deadline(clock.fixed_due, None, None, explanation=tuple(lines))

    start, days, standard = clock.clock_start, timescale.days, timescale.days
    extended = clock.extended_to is not None and clock.extended_to != standard
    if clock.procedure == "statutory" and clock.number == 3:
        s = policy.statutory
        if clock.panel_report_date:
            start, days = clock.panel_report_date, s.stage3_response
            lines.append(
                f"Statutory Stage 3: response within {days} working days of the panel's "
                f"report ({fmt(start)})."
            )
        elif clock.panel_date:
            start, days = clock.panel_date, s.stage3_report + s.stage3_response
            lines.append(
                f"Statutory Stage 3: panel held {fmt(start)}; report within "
                f"{s.stage3_report} and response within {s.stage3_response} working days: "
                f"{days} working days."
            )
        else:
            panel_by = calendar.add_working_days(start, s.stage3_panel, closed)
            lines.append(
                f"Statutory Stage 3: panel within {s.stage3_panel} working days of the "
                f"request (by {fmt(panel_by)}), report within {s.stage3_report}, "
                f"response within {s.stage3_response}: {days} working days."
            )
    elif extended:
        assert clock.extended_to is not None
        days = clock.extended_to
        lines.append(
            f"{name}: extended from {standard} to {days} working days "
            f"(the policy allows up to {timescale.extended} without an override)."
        )
    else:
        lines.append(f"{name}: {days} working days (standard timescale).")
    lines.append(
        f"Clock started {fmt(start)} ({start.strftime('%A')}); that day is not counted, "
        "so day 1 is the next working day."
    )

    suspended = calendar.suspended_working_days(closed, start) if closed else 0
    for s_from, s_to in closed:
        lines.append(f"Clock stopped {fmt(s_from)} to {fmt(s_to)}.")
    if suspended:
        lines.append(f"{suspended} working day(s) inside suspensions do not count.")
    if stopped_since is not None:
        lines.append(f"Clock stopped since {fmt(stopped_since)}: no due date until it is resumed.")
        return Deadline(None, days, standard, extended, stopped_since, suspended, tuple(lines))

    due = calendar.add_working_days(start, days, closed)
    if explain:
        for skipped in calendar.skipped_weekdays(start, due):
            lines.append(f"Skipped {fmt(skipped.day)}: {skipped.reason}.")
        lines.append(f"Due {fmt(due)} ({due.strftime('%A')}).")
    return Deadline(due, days, standard, extended, None, suspended, tuple(lines))


def working_days_taken(
    calendar: WorkingCalendar,
    clock_start: date,
    responded: date,
    suspensions: tuple[Suspension, ...] = (),
) -> int:
    """Working days from the clock start to the response, less suspended days."""
    return calendar.working_days_between(clock_start, responded, _closed(suspensions))


def working_days_left(calendar: WorkingCalendar, today: date, due: date) -> int:
    """Working days from today to the due date: 0 due today, negative when overdue."""
    left = calendar.working_days_between(today, due)
    # On a weekend or holiday after the due date no working day has passed since it, but
    # the stage is already late (as ``on_time`` says): never report it as due today.
    return min(left, -1) if today > due else left


def acknowledgement_due(
    procedure: str, received: date, policy: Policy, calendar: WorkingCalendar
) -> date | None:
    """Complaints are acknowledged within the policy's days; other contacts need none."""
    if procedure not in COMPLAINT_PROCEDURES:
        return None
    return calendar.add_working_days(received, policy.acknowledgement)


def escalation_window_closes(responded: date, policy: Policy, calendar: WorkingCalendar) -> date:
    """The last day the complainant may ask for the next stage."""
    return calendar.add_working_days(responded, policy.escalation_window)


def is_late_matter(received: date, matter_date: date | None, policy: Policy) -> bool:
    """True for a complaint about matters older than the policy's months."""
    if matter_date is None:
        return False
    months = policy.late_matter_months
    year, month = divmod(matter_date.month - 1 + months, 12)
    limit_year, limit_month = matter_date.year + year, month + 1
    # the same day-of-month, clamped to the month's end (29 Feb -> 28 Feb)
    day = matter_date.day
    while True:
        try:
            limit = date(limit_year, limit_month, day)
            break
        except ValueError:
            day -= 1
    return received > limit


def stage_status(
    *,
    responded: date | None,
    closed_on: date | None,
    decision: str | None,
    suspended: bool,
) -> str:
    """One word for where a stage stands: open, suspended, responded, closed,
    refused or withdrawn."""
    if decision in ("refused", "withdrawn"):
        return decision
    if responded is not None:
        return "responded"
    if closed_on is not None:
        return "closed"
    return "suspended" if suspended else "open"


OPEN_STATUSES = ("open", "suspended")
"""Stage statuses whose clock is still the team's business."""


def on_time(responded: date | None, due: date | None, today: date) -> bool | None:
    """Responded on or before the due date; an open stage past due is late; None: pending."""
    if due is None:
        return None if responded is None else True
    if responded is not None:
        return responded <= due
    return False if today > due else None


def due_date(
    clock: ClockInput, policy: Policy, calendar: WorkingCalendar
) -> tuple[date | None, int | None]:
    """(due date, working days in force), the same as ``stage_deadline`` gives, without
    building the explanation: the fast path for recomputing many clocks at once."""
    timescale = policy.timescale(clock.procedure, clock.number)
    if timescale is None:
        return None, None
    if clock.fixed_due is not None:
        return clock.fixed_due, None
    start, days = clock.clock_start, timescale.days
    if clock.procedure == "statutory" and clock.number == 3:
        s = policy.statutory
        if clock.panel_report_date:
            start, days = clock.panel_report_date, s.stage3_response
        elif clock.panel_date:
            start, days = clock.panel_date, s.stage3_report + s.stage3_response
    elif clock.extended_to is not None:
        days = clock.extended_to
    if any(end is None for _, end in clock.suspensions):
        return None, days
    if clock.suspensions:
        return calendar.add_working_days(start, days, clock.suspensions), days
    return calendar.add_working_days(start, days), days
