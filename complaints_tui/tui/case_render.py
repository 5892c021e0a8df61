"""How one case reads on screen: its fields, each stage's clock, and its timeline.

Plain functions from the case's read model to Rich renderables, so the case screen only
lays them out (and they can be tested without a screen).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from complaints_tui.domain.clocks import OPEN_STATUSES, fmt
from complaints_tui.domain.printable import printable
from complaints_tui.domain.vocab import COMPLAINT_PROCEDURES, Vocabularies
from complaints_tui.services.queries import CaseDetail, StageView


def _when(at: datetime) -> str:
    """Event times are stored in UTC; officers read them in local time."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone().strftime("%d/%m/%Y %H:%M")


def _grid() -> Table:
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(style="dim", no_wrap=True, width=20)
    table.add_column(ratio=1)
    return table


def _add(table: Table, label: str, value: Any) -> None:
    if value not in (None, "", ()):
        # values come from outside (names, summaries, reasons): never a control sequence
        table.add_row(label, value if isinstance(value, Text) else printable(str(value)))


def case_fields(case: CaseDetail, vocab: Vocabularies) -> Table:
    t = _grid()
    _add(t, "Complainant", case.complainant_name)
    contact_rows(t, case, vocab)
    _add(t, "Complainant type", vocab.label("complainant", case.complainant_type))
    _add(
        t, "Child's status", ", ".join(vocab.label("child_status", s) for s in case.child_statuses)
    )
    _add(t, "Advocate", case.advocate or ("yes" if case.advocate_involved else "none"))
    _add(t, "Channel", vocab.label("channel", case.channel))
    _add(t, "Division", case.division)
    _add(t, "Service / team", case.service)
    _add(t, "Officer", case.officer or "unassigned")
    _add(t, "Themes", "; ".join(case.themes))
    if case.matter_date:
        late = " — more than 12 months before the complaint" if case.late_matter else ""
        _add(t, "Matters happened", f"{fmt(case.matter_date)}{late}")
    _add(t, "Duty category", vocab.label("duty_category", case.duty_category))
    _add(t, "Repeat complainant", "yes" if case.repeat_complainant else None)
    _add(t, "Re-opened", case.reopened_count or None)
    _add(t, "Closed", fmt(case.closed_on))
    _add(t, "Linked cases", ", ".join(case.linked))
    _add(t, "Summary", case.summary)
    return t


def contact_rows(t: Table, case: CaseDetail, vocab: Vocabularies) -> None:
    """How to reach the complainant, who the case is about, and the member asking."""
    _add(t, "Address", case.complainant_address)
    _add(t, "Email", case.complainant_email)
    _add(t, "Phone", case.complainant_phone)
    _add(t, "Prefers", vocab.label("preferred_contact", case.preferred_contact))
    for child in case.children:
        born = f", born {fmt(child.date_of_birth)}" if child.date_of_birth else ""
        _add(t, "Child", f"{child.name}{born}")
    _add(t, "Case-management ref", case.cms_reference)
    if case.member_name or case.member_area:
        area = "Constituency" if case.procedure == "mp" else "Ward"
        _add(t, "Member", case.member_name)
        _add(t, area, case.member_area)


def _left(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return f" — {-days} working day(s) overdue"
    if days == 0:
        return " — due today"
    return f" — {days} working day(s) left"


def acknowledgement_text(stage: StageView, today: date) -> Text:
    """When it was acknowledged, against when it was due; late in red."""
    due_by = stage.acknowledgement_due
    due = f" (due by {fmt(due_by)})" if due_by else ""
    if stage.acknowledged:
        text = Text(f"{fmt(stage.acknowledged)}{due}")
        if due_by and stage.acknowledged > due_by:
            text.append(" — late", style="bold red")
        return text
    text = Text(f"not yet{due}")
    if due_by and today > due_by and stage.status in OPEN_STATUSES:
        text.append(" — overdue", style="bold red")
    return text


def stage_block(
    stage: StageView, vocab: Vocabularies, *, acting: bool, today: date | None = None
) -> Group:
    today = today or date.today()
    d = stage.deadline
    marker = "▶ " if acting else ""
    title = Text(f"{marker}{stage.label}", style="bold")
    title.append(f"  [{stage.status}]", style="bold red" if (stage.days_left or 0) < 0 else "")
    if d.due and stage.status in OPEN_STATUSES:
        title.append(f"  due {fmt(d.due)}{_left(stage.days_left)}")
    t = _grid()
    _add(t, "Received", fmt(stage.received))
    if stage.clock_start != stage.received:
        _add(t, "Clock started", fmt(stage.clock_start))
    if stage.procedure in COMPLAINT_PROCEDURES:
        _add(t, "Acknowledged", acknowledgement_text(stage, today))
    if d.timescale:
        kind = "extended" if d.extended else "standard"
        _add(t, "Timescale", f"{d.timescale} working days ({kind})")
    if stage.extended_to:
        agreed = f", agreed {fmt(stage.extension_agreed)}" if stage.extension_agreed else ""
        _add(t, "Extension", f"to {stage.extended_to} days{agreed}: {stage.extension_reason or ''}")
    if stage.fixed_due:
        _add(t, "Ombudsman deadline", fmt(stage.fixed_due))
    _add(t, "Ombudsman reference", stage.ombudsman_reference)
    for s in stage.suspensions:
        when = (
            f"{fmt(s.start)} to {fmt(s.end)}" if s.end else f"since {fmt(s.start)}, still stopped"
        )
        _add(t, "Clock stopped", f"{when}: {s.reason}")
    _add(t, "Due", fmt(d.due) if d.due else ("clock stopped" if d.stopped else "no deadline"))
    if stage.responded:
        taken = f", {stage.working_days_taken} working days" if stage.working_days_taken else ""
        late = "" if stage.on_time is not False else " — late"
        _add(t, "Responded", f"{fmt(stage.responded)}{taken}{late}")
    _add(t, "Outcome", vocab.label("outcome", stage.outcome))
    for r in stage.remedies:
        amount = f" £{r.amount_pence / 100:,.2f}" if r.amount_pence else ""
        _add(t, "Remedy", f"{vocab.label('remedy', r.kind)}{amount}")
    for a in stage.learning:
        owner = f" — {a.owner}" if a.owner else ""
        due = f", due {fmt(a.due)}" if a.due else ""
        _add(t, "Learning action", f"{a.text}{owner}{due} [{a.status}]")
    if stage.request_date:
        decision = stage.decision or ""
        reason = f": {stage.decision_reason}" if stage.decision_reason else ""
        late = " (out of time)" if stage.out_of_time else ""
        _add(t, "Requested", f"{fmt(stage.request_date)}{late} — {decision}{reason}")
    if stage.escalation_window_closes and stage.number < 3:
        _add(t, "May escalate until", fmt(stage.escalation_window_closes))
    _add(t, "Investigator", stage.investigator)
    _add(t, "IIO", stage.iio)
    _add(t, "Independent person", stage.independent_person)
    why = Text("Why this date: ", style="italic dim")
    why.append("\n".join(d.explanation), style="italic")
    return Group(title, t, why, Text(""))


def _uk(value: str | None) -> str:
    """Dates stored ISO in the timeline, shown UK style like every other date."""
    if value and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return fmt(date.fromisoformat(value))
        except ValueError:
            return value
    return value or "-"


def timeline(case: CaseDetail) -> Table:
    t = Table.grid(padding=(0, 1), expand=True)
    t.add_column(no_wrap=True, style="dim")
    t.add_column(no_wrap=True)
    t.add_column(ratio=1)
    previous = None
    for e in case.events:
        # A triage changed the case's and its stage's procedure: one change to the officer.
        same = (_when(e.at), e.who, e.action, e.field, e.old, e.new, e.note)
        if same == previous:
            continue
        previous = same
        change = ""
        if e.field:
            change = f"{e.field}: {_uk(e.old)} → {_uk(e.new)}"
        elif e.new:
            change = _uk(e.new)
        if e.note:
            change = f"{change} — {e.note}" if change else e.note
        t.add_row(
            _when(e.at), printable(e.who), Text.assemble((e.action, "bold"), " ", printable(change))
        )
    if not case.events:
        t.add_row("", "", "No events recorded (imported or demo data).")
    return t
