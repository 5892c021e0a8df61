"""One case as plain text, for ``complaints-tui show REF``."""

from __future__ import annotations

from collections.abc import Callable

from complaints_tui.domain.clocks import fmt
from complaints_tui.domain.printable import printable
from complaints_tui.domain.vocab import PROCEDURES, Vocabularies
from complaints_tui.services.queries import CaseDetail, StageView


def contact_lines(
    case: CaseDetail, vocab: Vocabularies, line: Callable[[str, object], str | None]
) -> list[str | None]:
    """How to reach the complainant and who the case is about (never in a report)."""
    out = [
        line("Address", (case.complainant_address or "").replace("\n", ", ")),
        line("Email", case.complainant_email),
        line("Phone", case.complainant_phone),
        line("Prefers", vocab.label("preferred_contact", case.preferred_contact)),
    ]
    for child in case.children:
        born = f", born {fmt(child.date_of_birth)}" if child.date_of_birth else ""
        out.append(line("Child", f"{child.name}{born}"))
    out += [
        line("Case-management ref", case.cms_reference),
        line("Member", case.member_name),
        line("Constituency" if case.procedure == "mp" else "Ward", case.member_area),
    ]
    return out


def case_text(case: CaseDetail, vocab: Vocabularies) -> str:
    def line(label: str, value: object) -> str | None:
        return f"  {label:<20} {value}" if value not in (None, "", ()) else None

    parts: list[str | None] = [
        f"{case.reference}  {PROCEDURES.get(case.procedure, case.procedure)}  [{case.status}]",
        line("Complainant", vocab.label("complainant", case.complainant_type)),
        line("Name", case.complainant_name),
        *contact_lines(case, vocab, line),
        line(
            "Child's status", ", ".join(vocab.label("child_status", s) for s in case.child_statuses)
        ),
        line("Advocate", case.advocate or ("yes" if case.advocate_involved else None)),
        line("Channel", vocab.label("channel", case.channel)),
        line("Division", case.division),
        line("Service", case.service),
        line("Officer", case.officer),
        line("Themes", "; ".join(case.themes)),
        line("Duty category", vocab.label("duty_category", case.duty_category)),
        line("Linked cases", ", ".join(case.linked)),
        line("Re-opened", case.reopened_count or None),
        line("Summary", case.summary),
        line("Pending since", fmt(case.pending_since)),
        line("Voided", case.voided_on and f"{fmt(case.voided_on)}: {case.void_reason or ''}"),
    ]
    if case.late_matter:
        parts.append("  ! The matters complained about are more than 12 months old.")
    for stage in case.stages:
        parts.append("")
        parts.append(f"{stage.label}  [{stage.status}]")
        parts += [
            line("Received", fmt(stage.received)),
            line("Acknowledged", fmt(stage.acknowledged)),
            # One space, as officers and scripts read it: "Acknowledgement due 05/01/2024".
            f"  Acknowledgement due {fmt(stage.acknowledgement_due)}"
            + (" LATE" if stage.acknowledged_late else "")
            if stage.acknowledgement_due
            else None,
            line(
                "Clock starts",
                f"{fmt(stage.deadline.start.day)} (provisional: at the acknowledgement, not "
                "yet recorded)"
                if stage.deadline.start and stage.deadline.provisional
                else None,
            ),
            line("Due", fmt(stage.deadline.due)),
            line("Due is provisional", "yes" if stage.deadline.provisional else None),
            line("Working days left", stage.days_left),
            line("Responded", fmt(stage.responded)),
            line("Working days taken", stage.working_days_taken),
            line("Outcome", vocab.label("outcome", stage.outcome)),
            line("Decision", stage.decision and f"{stage.decision} {stage.decision_reason or ''}"),
            line("May escalate until", fmt(stage.escalation_window_closes)),
            line(
                "Extended to",
                stage.extended_to and _extension(stage),
            ),
            line(
                "Extended late",
                f"agreed or entered after the stage was due ({fmt(stage.standard_due)})"
                if stage.extension_late
                else None,
            ),
            line("Panel due by", fmt(stage.deadline.panel_due)),
            line("Panel held", fmt(stage.panel_date)),
            line("Report due by", fmt(stage.deadline.report_due)),
            line("Panel's report", fmt(stage.panel_report_date)),
            line("Panel members", stage.panel_members),
            line("Investigator", stage.investigator),
            line("IIO", stage.iio),
            line("Independent Person", stage.independent_person),
            line("Ombudsman reference", stage.ombudsman_reference),
            line("Ombudsman deadline", fmt(stage.fixed_due)),
            line(
                "Reply to Ombudsman",
                fmt(stage.responded) if stage.procedure == "lgsco" else None,
            ),
            line("Ombudsman decided", fmt(stage.ombudsman_decided)),
            line("Voided", stage.voided_on and f"{fmt(stage.voided_on)}: {stage.void_reason}"),
        ]
        for stop in stage.suspensions:
            entered = f", entered {fmt(stop.recorded)}" if stop.recorded else ""
            late = " LATE: entered after the stage was due" if stop.entered_late else ""
            parts.append(
                line(
                    "Clock stopped",
                    f"{fmt(stop.start)} to {fmt(stop.end) or 'still stopped'}{entered}: "
                    f"{stop.reason}{late}",
                )
            )
        for remedy in stage.remedies:
            amount = f" £{remedy.amount_pence / 100:,.2f}" if remedy.amount_pence else ""
            parts.append(f"  Remedy               {vocab.label('remedy', remedy.kind)}{amount}")
        parts += [f"    {text}" for text in stage.deadline.explanation]
    parts.append("")
    parts.append("Timeline")
    for event in case.events:
        change = ""
        if event.field:
            change = f" {event.field}: {event.old or '-'} -> {event.new or '-'}"
        elif event.new:
            change = f" {event.new}"
        note = f" - {event.note}" if event.note else ""
        parts.append(f"  {event.at:%d/%m/%Y %H:%M} {event.who}: {event.action}{change}{note}")
    # Names, summaries and notes came from outside: nothing in them may drive the terminal.
    return printable("\n".join(p for p in parts if p is not None))


def _extension(stage: StageView) -> str:
    """'20 working days, agreed 01/02/2024, entered 02/02/2024: awaiting records'; an
    imported extension may carry no date or reason, and then says so rather than blanks."""
    text = f"{stage.extended_to} working days"
    if stage.extension_agreed:
        text += f", agreed {fmt(stage.extension_agreed)}"
    if stage.extension_recorded:
        text += f", entered {fmt(stage.extension_recorded)}"
    if stage.extension_reason:
        text += f": {stage.extension_reason}"
    if not (stage.extension_agreed or stage.extension_reason):
        text += " (no date agreed or reason recorded)"
    return text
