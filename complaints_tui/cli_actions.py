"""The officer actions on the command line: their argument types, the rules' commands
(panel, the Ombudsman's side, corrections, voiding) and the one service call each makes.

Argument parsing only, as in cli.py: no rules live here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from complaints_tui.cli_desk import date_arg, log_extras


def remedy_arg(text: str) -> tuple[str, float | None]:
    kind, _, amount = text.partition(":")
    if not amount:
        return kind.strip(), None
    try:
        return kind.strip(), float(amount.strip().lstrip("£").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{amount}' is not an amount in pounds") from None


def add_rules_parsers(sub: Any) -> None:
    """Statutory Stage 3's panel, the Ombudsman's side, corrections and voiding."""
    p = sub.add_parser("panel", help="statutory Stage 3: the review panel met")
    p.add_argument("reference")
    p.add_argument("--on", type=date_arg, required=True)
    p.add_argument("--members", help="the panel's members")
    p = sub.add_parser("panel-report", help="statutory Stage 3: the panel's report was sent")
    p.add_argument("reference")
    p.add_argument("--on", type=date_arg, required=True)
    p = sub.add_parser("people", help="name the IIO, Independent Person, panel or investigator")
    p.add_argument("reference")
    p.add_argument("--iio", help="statutory Stage 2's Investigating Officer")
    p.add_argument("--ip", help="statutory Stage 2's Independent Person")
    p.add_argument("--members", help="statutory Stage 3's panel members")
    p.add_argument("--investigator", help="the stage's investigating manager")
    p = sub.add_parser("deadline", help="a later deadline the Ombudsman agreed")
    p.add_argument("reference")
    p.add_argument("--on", type=date_arg, required=True)
    p = sub.add_parser("ombudsman-reply", help="the council replied to the Ombudsman's enquiry")
    p.add_argument("reference")
    p.add_argument("--on", type=date_arg)
    p = sub.add_parser("ombudsman-decision", help="the Ombudsman's decision and its date")
    p.add_argument("reference")
    p.add_argument("--decision", required=True, help="e.g. fault_injustice, no_fault")
    p.add_argument("--on", type=date_arg)
    p.add_argument("--remedy", action="append", type=remedy_arg, default=[])
    p = sub.add_parser("correct", help="correct a mistake (procedure, dates, outcome, remedies)")
    p.add_argument("reference")
    p.add_argument(
        "--field",
        required=True,
        choices=("procedure", "received", "outcome", "remedies", "responded"),
    )
    p.add_argument("--to", required=True, help="the right value")
    p.add_argument("--reason", required=True)
    p.add_argument("--stage", help="the stage: 1-3, or lgsco (default: the latest)")
    for name, text in (
        ("void", "void a case (or --stage) logged by mistake"),
        ("unvoid", "restore a voided case or stage (undo void)"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("reference")
        p.add_argument("--reason", required=True)
        p.add_argument("--stage", help="one stage: 1-3, or lgsco")


def action_calls() -> dict[str, Callable[[Any, argparse.Namespace], Any]]:
    from complaints_tui.services import actions as a

    return {
        "log": lambda ctx, o: a.log_case(
            ctx,
            procedure=o.procedure,
            number=o.stage,
            received=o.received,
            reference=o.reference,
            complainant_type=o.complainant,
            complainant_name=o.name,
            child_statuses=o.child_status,
            advocate=o.advocate,
            channel=o.channel,
            division=o.division,
            service=o.service,
            themes=o.theme,
            summary=o.summary,
            officer=o.officer,
            matter_date=o.matter_date,
            fixed_due=o.deadline,
            **log_extras(o),
            clock_start=o.clock_start,
        ),
        "contact": lambda ctx, o: a.log_contact(
            ctx,
            who=o.who,
            channel=o.channel,
            service=o.service,
            summary=o.summary,
            received=o.received,
        ),
        "triage": lambda ctx, o: a.triage(
            ctx, o.reference, procedure=o.procedure, duty_category=o.duty
        ),
        "acknowledge": lambda ctx, o: a.acknowledge(ctx, o.reference, on=o.on),
        "extend": lambda ctx, o: a.extend(
            ctx,
            o.reference,
            to_days=o.to,
            reason=o.reason,
            agreed_on=o.agreed,
            override_reason=o.override,
        ),
        "suspend": lambda ctx, o: a.suspend(ctx, o.reference, reason=o.reason, start=o.start),
        "resume": lambda ctx, o: a.resume(ctx, o.reference, on=o.on),
        "respond": lambda ctx, o: a.respond(
            ctx,
            o.reference,
            outcome=o.outcome,
            on=o.on,
            remedies=o.remedy,
            learning=[(text, None, None) for text in o.learning],
        ),
        "escalate": lambda ctx, o: a.escalate(
            ctx,
            o.reference,
            request_date=o.on,
            decision="refused" if o.refuse else "accepted",
            reason=o.reason,
            clock_start=o.clock_start,
        ),
        "withdraw": lambda ctx, o: a.withdraw(ctx, o.reference, reason=o.reason, on=o.on),
        "refer": lambda ctx, o: a.refer_to_ombudsman(
            ctx,
            o.reference,
            received=o.on,
            ombudsman_reference=o.lgsco_ref,
            deadline=o.deadline,
        ),
        "close": lambda ctx, o: a.close(ctx, o.reference, reason=o.reason, on=o.on),
        "reopen": lambda ctx, o: a.reopen(ctx, o.reference, reason=o.reason, on=o.on),
        "note": lambda ctx, o: a.add_note(ctx, o.reference, o.text),
        "assign": lambda ctx, o: a.assign(ctx, o.reference, o.officer),
        "link": lambda ctx, o: a.link(ctx, o.reference, o.other),
        "panel": lambda ctx, o: a.record_panel(ctx, o.reference, on=o.on, members=o.members),
        "panel-report": lambda ctx, o: a.record_panel_report(ctx, o.reference, on=o.on),
        "people": lambda ctx, o: a.set_people(
            ctx,
            o.reference,
            iio=o.iio,
            independent_person=o.ip,
            panel_members=o.members,
            investigator=o.investigator,
        ),
        "deadline": lambda ctx, o: a.set_ombudsman_deadline(ctx, o.reference, on=o.on),
        "ombudsman-reply": lambda ctx, o: a.reply_to_ombudsman(ctx, o.reference, on=o.on),
        "ombudsman-decision": lambda ctx, o: a.record_ombudsman_decision(
            ctx, o.reference, decision=o.decision, on=o.on, remedies=o.remedy
        ),
        "correct": lambda ctx, o: a.correct(
            ctx, o.reference, field=o.field, to=o.to, reason=o.reason, stage=o.stage
        ),
        "void": lambda ctx, o: a.void(ctx, o.reference, reason=o.reason, stage=o.stage),
        "unvoid": lambda ctx, o: a.restore(ctx, o.reference, reason=o.reason, stage=o.stage),
    }
