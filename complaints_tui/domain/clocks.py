"""Deadlines of a stage, each able to say why it falls on its date.

Counting rule: the due date is the N-th working day strictly after the clock-start date
(the day of receipt is not counted), and working days inside a suspension do not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .calendar import Suspension, WorkingCalendar
from .dates import UK_DATE as UK_DATE  # with the dates, so the case list need not load
from .dates import fmt as fmt  # the clocks to show one; here too, where it always was
from .policy import Policy
from .vocab import COMPLAINT_PROCEDURES, ENQUIRY_PROCEDURES, stage_label


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
    received: date | None = None
    """The day the stage was received (an escalation: requested); it picks the policy
    period in force and, by policy, the clock start."""
    acknowledged: date | None = None
    manual_start: bool = False
    """The clock start was typed by hand (or set by re-opening): the policy does not move it."""


LOCAL_CALENDAR_PROCEDURES = frozenset({"corporate", "duty", *ENQUIRY_PROCEDURES})
"""Procedures whose clocks local closure days lengthen. Statutory clocks count working
days as the regulations define them (weekends and bank holidays alone); so do FOI and the
Ombudsman's."""


def uses_closures(procedure: str, policy: Policy) -> bool:
    """Whether the council's own closure days lengthen this procedure's clocks."""
    if procedure in LOCAL_CALENDAR_PROCEDURES:
        return True
    return procedure == "statutory" and policy.statutory_closure_days


@dataclass(frozen=True)
class ClockStart:
    day: date
    basis: str
    """'received', 'acknowledged', 'provisional' (starts at an acknowledgement not yet
    recorded: as if on its last allowed day), 'manual' or 'request' (statutory Stage 3)."""

    @property
    def provisional(self) -> bool:
        return self.basis == "provisional"


def clock_start_of(clock: ClockInput, policy: Policy, calendar: WorkingCalendar) -> ClockStart:
    """Where a stage's clock starts, by hand, by the policy in force, or by regulation."""
    if clock.procedure == "statutory" and clock.number == 3:
        # Regulations 19-21 count from the request, whatever start was typed.
        return ClockStart(clock.received or clock.clock_start, "request")
    if clock.manual_start or clock.received is None:
        return ClockStart(clock.clock_start, "manual" if clock.manual_start else "received")
    rules = policy.in_force(clock.received)
    if rules.clock_basis(clock.procedure, clock.number) == "acknowledged":
        if clock.acknowledged is not None:
            return ClockStart(clock.acknowledged, "acknowledged")
        last = calendar.add_working_days(clock.received, rules.acknowledgement)
        return ClockStart(last, "provisional")
    return ClockStart(clock.received, "received")


def _rules(clock: ClockInput, policy: Policy) -> Policy:
    return policy.in_force(clock.received or clock.clock_start)


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
    start: ClockStart | None = None
    """Where the clock started (provisional until an acknowledgement is recorded)."""
    panel_due: date | None = None
    """Statutory Stage 3: the panel meets by this day (30 working days of the request)."""
    report_due: date | None = None
    """Statutory Stage 3, once the panel is held: the panel's report is due by this day."""

    @property
    def provisional(self) -> bool:
        return self.start is not None and self.start.provisional

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
    rules = _rules(clock, policy)
    timescale = rules.timescale(clock.procedure, clock.number)
    name = stage_label(clock.procedure, clock.number)
    if timescale is None:
        return Deadline(None, None, None, explanation=(f"{name}: no response deadline.",))
    stopped_since = _open_since(clock.suspensions)
    closed = _closed(clock.suspensions)
    # The reasons are written only when asked for (explain): the report asks for the due
    # date alone, of hundreds of stages, and the words were half of the time.
    lines: list[str] = []
    if explain and rules is not policy:
        lines.append(f"Timescales of the policy in force on {fmt(clock.received)} (received).")

    if clock.fixed_due is not None:
        if explain:
            lines.append(f"{name}: the deadline set by the Ombudsman, {fmt(clock.fixed_due)}.")
        return Deadline(clock.fixed_due, None, None, explanation=tuple(lines))

    begins = clock_start_of(clock, policy, calendar)
    start, days, standard = begins.day, timescale.days, timescale.days
    extended = clock.extended_to is not None and clock.extended_to != standard
    panel_due = report_due = None
    if clock.procedure == "statutory" and clock.number == 3:
        s = rules.statutory
        panel_due = calendar.add_working_days(start, s.stage3_panel)
        if explain:
            lines.append(
                f"Statutory Stage 3: panel within {s.stage3_panel} working days of the request "
                f"(by {fmt(panel_due)})."
            )
        if clock.panel_date:
            report_due = calendar.add_working_days(clock.panel_date, s.stage3_report)
            if explain:
                late = " - later than the regulations allow" if clock.panel_date > panel_due else ""
                lines.append(f"Panel held {fmt(clock.panel_date)}{late}.")
                lines.append(
                    f"Report within {s.stage3_report} working days of the panel "
                    f"(by {fmt(report_due)})."
                )
        if clock.panel_report_date:
            start, days = clock.panel_report_date, s.stage3_response
            if explain and report_due and clock.panel_report_date > report_due:
                lines.append(
                    f"Report sent {fmt(clock.panel_report_date)} - later than the regulations "
                    "allow."
                )
            if explain:
                lines.append(
                    f"Response within {days} working days of the panel's report "
                    f"({fmt(start)}): {days} working days."
                )
        elif clock.panel_date:
            start, days = clock.panel_date, s.stage3_report + s.stage3_response
            if explain:
                lines.append(
                    f"Response within {s.stage3_response} working days of the report; until "
                    f"the report is in, due {days} working days after the panel."
                )
        elif explain:
            lines.append(
                f"Report within {s.stage3_report} of the panel and response within "
                f"{s.stage3_response} of the report; until the panel is held, the response is "
                f"due {days} working days after the request."
            )
    elif extended:
        assert clock.extended_to is not None
        days = clock.extended_to
        if explain:
            lines.append(
                f"{name}: extended from {standard} to {days} working days "
                f"(the policy allows up to {timescale.extended} without an override)."
            )
    elif explain:
        lines.append(f"{name}: {days} working days (standard timescale).")
    if explain:
        lines.extend(_clock_start_lines(begins.basis, start))

    suspended = calendar.suspended_working_days(closed, start) if closed else 0
    if explain:
        for s_from, s_to in closed:
            lines.append(f"Clock stopped {fmt(s_from)} to {fmt(s_to)}.")
        if suspended:
            lines.append(f"{suspended} working day(s) inside suspensions do not count.")
    if stopped_since is not None:
        if explain:
            lines.append(
                f"Clock stopped since {fmt(stopped_since)}: no due date until it is resumed."
            )
        return Deadline(
            None,
            days,
            standard,
            extended,
            stopped_since,
            suspended,
            tuple(lines),
            begins,
            panel_due,
            report_due,
        )

    due = calendar.add_working_days(start, days, closed)
    if explain:
        for skipped in calendar.skipped_weekdays(start, due):
            lines.append(f"Skipped {fmt(skipped.day)}: {skipped.reason}.")
        lines.append(
            f"Due {fmt(due)} ({due.strftime('%A')})"
            + (", provisional." if begins.provisional else ".")
        )
    return Deadline(
        due, days, standard, extended, None, suspended, tuple(lines), begins, panel_due, report_due
    )


def _clock_start_lines(basis: str, start: date) -> list[str]:
    """Where the clock starts, in words."""
    lines = []
    if basis == "provisional":
        lines.append(
            f"Clock starts at the acknowledgement, not yet recorded: PROVISIONAL, as if "
            f"acknowledged on the last allowed day, {fmt(start)}."
        )
    elif basis == "acknowledged":
        lines.append(f"Clock starts at the acknowledgement ({fmt(start)}), by policy.")
    elif basis == "manual":
        lines.append(f"Clock start set by hand ({fmt(start)}).")
    lines.append(
        f"Clock started {fmt(start)} ({start.strftime('%A')}); that day is not counted, "
        "so day 1 is the next working day."
    )
    return lines


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
    """Complaints are acknowledged within the days of the policy in force when received;
    other contacts need none."""
    if procedure not in COMPLAINT_PROCEDURES:
        return None
    return calendar.add_working_days(received, policy.in_force(received).acknowledgement)


def acknowledged_late(
    acknowledged: date | None, due: date | None, today: date, *, ended: date | None = None
) -> bool:
    """Acknowledged after its due date; or never acknowledged, and still running (or
    answered, ``ended``) after that date."""
    if due is None:
        return False
    if acknowledged is not None:
        return acknowledged > due
    return (ended or today) > due


def entered_late(entered: date | None, agreed: date | None, due_before: date | None) -> bool:
    """An extension or clock stop agreed or entered after the stage was already due: it
    cannot make the stage on time (the guidance counts extensions agreed in advance)."""
    if due_before is None:
        return False
    return any(d is not None and d > due_before for d in (entered, agreed))


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
    voided: bool = False,
) -> str:
    """One word for where a stage stands: open, suspended, responded, closed,
    refused, withdrawn or voided (logged by mistake: in no list or report)."""
    if voided:
        return "voided"
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
    rules = _rules(clock, policy) if policy.periods else policy
    timescale = rules.timescale(clock.procedure, clock.number)
    if timescale is None:
        return None, None
    if clock.fixed_due is not None:
        return clock.fixed_due, None
    if clock.received is None or (clock.manual_start and clock.number != 3):
        start = clock.clock_start
    else:
        start = clock_start_of(clock, policy, calendar).day
    days = timescale.days
    if clock.procedure == "statutory" and clock.number == 3:
        s = rules.statutory
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
