"""What screens and the command line read: small frozen dataclasses, never live ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session

from complaints_tui.domain.clocks import (
    OPEN_STATUSES,
    Deadline,
    acknowledged_late,
    acknowledgement_due,
    entered_late,
    escalation_window_closes,
    is_late_matter,
    on_time,
    working_days_left,
    working_days_taken,
)
from complaints_tui.domain.vocab import stage_label
from db import repo
from db.tables import key

from .context import Context
from .stage_clocks import clock_input


@dataclass(frozen=True)
class SuspensionView:
    start: date
    end: date | None
    reason: str
    recorded: date | None = None
    entered_late: bool = False
    """Entered after the stage was already due: it cannot make the stage on time."""


@dataclass(frozen=True)
class RemedyView:
    kind: str
    amount_pence: int | None


@dataclass(frozen=True)
class LearningView:
    id: int
    text: str
    owner: str | None
    due: date | None
    status: str


@dataclass(frozen=True)
class StageView:
    id: int
    procedure: str
    number: int
    label: str
    received: date
    clock_start: date
    deadline: Deadline
    days_left: int | None
    """Working days from today to the due date (negative: overdue); None when closed."""
    status: str
    acknowledged: date | None
    acknowledgement_due: date | None
    responded: date | None
    working_days_taken: int | None
    on_time: bool | None
    outcome: str | None
    extended_to: int | None
    extension_agreed: date | None
    extension_reason: str | None
    fixed_due: date | None
    ombudsman_reference: str | None
    investigator: str | None
    iio: str | None
    independent_person: str | None
    request_date: date | None
    decision: str | None
    decision_reason: str | None
    out_of_time: bool
    escalation_window_closes: date | None
    suspensions: tuple[SuspensionView, ...]
    remedies: tuple[RemedyView, ...]
    learning: tuple[LearningView, ...]
    acknowledged_late: bool = False
    extension_recorded: date | None = None
    extension_late: bool = False
    """Agreed or entered after the stage was due (by its standard timescale)."""
    standard_due: date | None = None
    """The due date without the extension."""
    panel_date: date | None = None
    panel_report_date: date | None = None
    panel_members: str | None = None
    ombudsman_decided: date | None = None
    voided_on: date | None = None
    void_reason: str | None = None


@dataclass(frozen=True)
class ChildView:
    """A child the case is about."""

    id: int
    name: str
    date_of_birth: date | None


@dataclass(frozen=True)
class EventView:
    at: datetime
    who: str
    action: str
    field: str | None
    old: str | None
    new: str | None
    note: str | None


@dataclass(frozen=True)
class CaseDetail:
    reference: str
    procedure: str
    status: str
    version: int
    complainant_type: str | None
    complainant_name: str | None
    child_statuses: tuple[str, ...]
    advocate_involved: bool
    advocate: str | None
    channel: str | None
    division: str | None
    service: str | None
    summary: str
    officer: str | None
    matter_date: date | None
    late_matter: bool
    duty_category: str | None
    repeat_complainant: bool
    reopened_count: int
    closed_on: date | None
    themes: tuple[str, ...]
    linked: tuple[str, ...]
    stages: tuple[StageView, ...]
    events: tuple[EventView, ...]
    # Who the case is about and how to reach the complainant: the case screen and `show`
    # only, never a list or a report.
    complainant_address: str | None = None
    complainant_email: str | None = None
    complainant_phone: str | None = None
    preferred_contact: str | None = None
    cms_reference: str | None = None
    member_name: str | None = None
    member_area: str | None = None
    children: tuple[ChildView, ...] = ()
    pending_since: date | None = None
    voided_on: date | None = None
    void_reason: str | None = None


def case_detail(ctx: Context, reference: str) -> CaseDetail:
    """Everything about one case, each clock with its explanation."""
    today = ctx.today()
    with Session(ctx.engine) as session:
        case = repo.get_case(session, reference)
        stages = []
        for st in repo.case_stages(session, case):
            spans = repo.stage_suspensions(session, st)
            pairs = tuple((s.start, s.end) for s in spans)
            cal = ctx.cal_for(st.procedure)
            clock = clock_input(st, pairs)
            if st.decision == "refused":
                deadline = Deadline(None, None, None, explanation=("Request refused.",))
            else:
                deadline = ctx.deadline(clock)
            is_open = st.status in OPEN_STATUSES
            ack_due = acknowledgement_due(st.procedure, st.received, ctx.policy, cal)
            standard_due = ctx.due(replace(clock, extended_to=None))[0] if st.extended_to else None
            stops = []
            for s in spans:
                # The due date as it stood before this stop (and any later one) was entered.
                earlier = tuple((x.start, x.end) for x in spans if x.start < s.start)
                before = ctx.due(replace(clock, suspensions=earlier))[0]
                late = entered_late(s.recorded, None, before)
                stops.append(SuspensionView(s.start, s.end, s.reason, s.recorded, late))
            stages.append(
                StageView(
                    id=key(st),
                    procedure=st.procedure,
                    number=st.number,
                    label=stage_label(st.procedure, st.number),
                    received=st.received,
                    clock_start=st.clock_start,
                    deadline=deadline,
                    days_left=(
                        working_days_left(ctx.cal, today, deadline.due)
                        if is_open and deadline.due
                        else None
                    ),
                    status=st.status,
                    acknowledged=st.acknowledged,
                    acknowledgement_due=ack_due,
                    responded=st.responded,
                    working_days_taken=(
                        working_days_taken(cal, st.clock_start, st.responded, pairs)
                        if st.responded
                        else None
                    ),
                    on_time=on_time(st.responded, st.due, today),
                    outcome=st.outcome,
                    extended_to=st.extended_to,
                    extension_agreed=st.extension_agreed,
                    extension_reason=st.extension_reason,
                    fixed_due=st.fixed_due,
                    ombudsman_reference=st.ombudsman_reference,
                    investigator=st.investigator,
                    iio=st.iio,
                    independent_person=st.independent_person,
                    request_date=st.request_date,
                    decision=st.decision,
                    decision_reason=st.decision_reason,
                    out_of_time=st.out_of_time,
                    escalation_window_closes=(
                        escalation_window_closes(st.responded, ctx.policy, ctx.cal)
                        if st.responded and st.procedure in ("statutory", "corporate")
                        else None
                    ),
                    suspensions=tuple(stops),
                    remedies=tuple(
                        RemedyView(r.kind, r.amount_pence) for r in repo.stage_remedies(session, st)
                    ),
                    learning=tuple(
                        LearningView(a.id or 0, a.text, a.owner, a.due, a.status)
                        for a in repo.stage_learning(session, st)
                    ),
                    acknowledged_late=acknowledged_late(
                        st.acknowledged, ack_due, today, ended=st.responded or st.closed_on
                    ),
                    extension_recorded=st.extension_recorded,
                    extension_late=bool(st.extended_to)
                    and entered_late(st.extension_recorded, st.extension_agreed, standard_due),
                    standard_due=standard_due,
                    panel_date=st.panel_date,
                    panel_report_date=st.panel_report_date,
                    panel_members=st.panel_members,
                    ombudsman_decided=st.ombudsman_decided,
                    voided_on=st.voided_on,
                    void_reason=st.void_reason,
                )
            )
        return CaseDetail(
            reference=case.reference,
            procedure=case.procedure,
            status=case.status,
            version=case.version,
            complainant_type=case.complainant_type,
            complainant_name=case.complainant_name,
            child_statuses=tuple(s for s in case.child_statuses.split(";") if s),
            advocate_involved=case.advocate_involved,
            advocate=case.advocate,
            channel=case.channel,
            division=case.division,
            service=case.service,
            summary=case.summary,
            officer=case.officer,
            matter_date=case.matter_date,
            late_matter=bool(
                stages and is_late_matter(stages[0].received, case.matter_date, ctx.policy)
            ),
            duty_category=case.duty_category,
            repeat_complainant=case.repeat_complainant,
            reopened_count=case.reopened_count,
            closed_on=case.closed_on,
            themes=tuple(repo.case_themes(session, case)),
            linked=tuple(repo.linked_references(session, case)),
            stages=tuple(stages),
            events=tuple(
                EventView(e.at, e.who, e.action, e.field, e.old, e.new, e.note)
                for e in repo.case_events(session, case)
            ),
            complainant_address=case.complainant_address,
            complainant_email=case.complainant_email,
            complainant_phone=case.complainant_phone,
            preferred_contact=case.preferred_contact,
            cms_reference=case.cms_reference,
            member_name=case.member_name,
            member_area=case.member_area,
            children=tuple(
                ChildView(key(c), c.name, c.date_of_birth)
                for c in repo.case_children(session, case)
            ),
            pending_since=case.pending_since,
            voided_on=case.voided_on,
            void_reason=case.void_reason,
        )
