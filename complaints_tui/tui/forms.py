"""The form of each officer action: its fields, its cross-field checks and its service call.

The case detail, deadlines and escalation screens open the same forms; each returns the
service's ``Done`` (or RELOAD after a conflict). Every call carries the case version the
officer was looking at, so a save over someone else's change is refused, never silent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from complaints_tui.domain.clocks import ClockInput, escalation_window_closes, fmt
from complaints_tui.domain.vocab import (
    LGSCO_OUTCOMES,
    STAGED_PROCEDURES,
    stage_label,
)
from complaints_tui.services import actions
from complaints_tui.services.context import Context
from complaints_tui.services.queries import StageView
from complaints_tui.tui.screens.form_dialog import Field, FormDialog, uk

# The case's own record (details, assignment) lives beside: screens keep calling forms.*
from .forms_case import assign_form as assign_form
from .forms_case import edit_form as edit_form


def _options(ctx: Context, vocabulary: str, keys: Sequence[str] | None = None) -> tuple:
    table = ctx.policy.vocabularies.tables[vocabulary]
    return tuple((label, key) for key, label in table.items() if keys is None or key in keys)


def note_form(ctx: Context, reference: str, version: int) -> FormDialog:
    return FormDialog(
        f"Add a note to {reference}",
        [Field("text", "Note", required=True, placeholder="What happened, who said what")],
        lambda v: actions.add_note(ctx, reference, v["text"], expected_version=version),
        intro="Notes go on the case's timeline with your name and the time; they cannot be "
        "edited later.",
    )


def acknowledge_form(ctx: Context, reference: str, version: int, stage: StageView) -> FormDialog:
    due = f" (due by {fmt(stage.acknowledgement_due)})" if stage.acknowledgement_due else ""
    return FormDialog(
        f"Acknowledge {reference} {stage.label}",
        [Field("on", "Acknowledged on", "date", required=True, value=uk(ctx.today()))],
        lambda v: actions.acknowledge(
            ctx, reference, on=v["on"], stage_id=stage.id, expected_version=version
        ),
        intro=f"Received {fmt(stage.received)}{due}.",
    )


def extend_form(
    ctx: Context,
    reference: str,
    version: int,
    *,
    stage_id: int,
    procedure: str,
    number: int,
    current: int | None,
    clock: ClockInput | None = None,
) -> FormDialog:
    """``clock``, when the screen has it, lets the form show the new due date as typed."""
    timescale = ctx.policy.timescale(procedure, number)
    label = stage_label(procedure, number)
    limit = timescale.extended if timescale else None
    now = current or (timescale.days if timescale else None)
    intro = f"{label}: {now} working days now"
    if limit:
        intro += f"; the policy allows up to {limit} without an override reason."

    def note(values: dict[str, Any]) -> str:
        days = values.get("to_days")
        if clock is None or not days:
            return ""
        from dataclasses import replace

        new = ctx.deadline(replace(clock, extended_to=days))
        if new.due is None:
            return "The clock is stopped: the new due date follows when it restarts."
        return f"New due date: {fmt(new.due)} ({new.due:%A})."

    def check(values: dict[str, Any]) -> dict[str, str]:
        errors = {}
        if now and values["to_days"] <= now:
            errors["to_days"] = f"Must be more than the current {now} working days."
        if limit and values["to_days"] > limit and not values["override"]:
            errors["override"] = f"Needed to go beyond {limit} working days."
        return errors

    return FormDialog(
        f"Extend {reference} {label}",
        [
            Field("to_days", "Days in all", "days", required=True, value=str(limit or "")),
            Field("reason", "Reason", required=True, placeholder="e.g. complex; IIO needs time"),
            Field("agreed_on", "Agreed on", "date", value=uk(ctx.today())),
            Field("override", "Override reason", placeholder="only beyond the policy's maximum"),
        ],
        lambda v: actions.extend(
            ctx,
            reference,
            to_days=v["to_days"],
            reason=v["reason"],
            agreed_on=v["agreed_on"],
            override_reason=v["override"],
            stage_id=stage_id,
            expected_version=version,
        ),
        intro=intro,
        check=check,
        note=note,
    )


def suspend_form(
    ctx: Context, reference: str, version: int, stage_id: int, label: str
) -> FormDialog:
    return FormDialog(
        f"Stop the clock on {reference} {label}",
        [
            Field("reason", "Reason", required=True, placeholder="e.g. awaiting an advocate"),
            Field("start", "Stopped from", "date", required=True, value=uk(ctx.today())),
        ],
        lambda v: actions.suspend(
            ctx,
            reference,
            reason=v["reason"],
            start=v["start"],
            stage_id=stage_id,
            expected_version=version,
        ),
        intro="Working days from this date do not count until the clock restarts.",
    )


def resume_form(
    ctx: Context, reference: str, version: int, stage_id: int, label: str
) -> FormDialog:
    return FormDialog(
        f"Restart the clock on {reference} {label}",
        [Field("on", "Restart on", "date", required=True, value=uk(ctx.today()))],
        lambda v: actions.resume(
            ctx, reference, on=v["on"], stage_id=stage_id, expected_version=version
        ),
        intro="The day the clock restarts counts again.",
    )


REMEDY_CHECKS = ("apology", "explanation", "service_provided", "policy_change")


def respond_form(
    ctx: Context, reference: str, version: int, stage_id: int, procedure: str, label: str
) -> FormDialog:
    lgsco = procedure == "lgsco"
    outcomes = _options(
        ctx,
        "outcome",
        [k for k in ctx.policy.vocabularies.tables["outcome"] if (k in LGSCO_OUTCOMES) == lgsco],
    )
    remedy_label = ctx.policy.vocabularies.label
    fields = [
        Field("outcome", "Outcome", "select", required=True, options=outcomes),
        Field("on", "Responded on", "date", required=True, value=uk(ctx.today())),
        *(Field(k, remedy_label("remedy", k), "check") for k in REMEDY_CHECKS),
        Field("payment", "Payment £", "money"),
        Field("learning", "Learning action", placeholder="what the service will change"),
        Field("owner", "Action owner"),
        Field("learning_due", "Action due", "date"),
    ]

    def check(values: dict[str, Any]) -> dict[str, str]:
        if (values["owner"] or values["learning_due"]) and not values["learning"]:
            return {"learning": "Describe the action (or clear its owner and date)."}
        due, on = values["learning_due"], values["on"]
        if due and on and due < on:
            return {"learning_due": f"{fmt(due)} is before the response ({fmt(on)})."}
        return {}

    def save(values: dict[str, Any]) -> actions.Done:
        remedies: list[tuple[str, float | None]] = [(k, None) for k in REMEDY_CHECKS if values[k]]
        if values["payment"]:
            remedies.append(("payment", values["payment"]))
        learning = []
        if values["learning"]:
            learning.append((values["learning"], values["owner"], values["learning_due"]))
        return actions.respond(
            ctx,
            reference,
            outcome=values["outcome"],
            on=values["on"],
            remedies=remedies,
            learning=learning,
            stage_id=stage_id,
            expected_version=version,
        )

    return FormDialog(
        f"Record the response to {reference} {label}",
        fields,
        save,
        intro="The response stops the clock; the complainant's window to escalate starts.",
        check=check,
    )


def link_form(ctx: Context, reference: str, version: int) -> FormDialog:
    return FormDialog(
        f"Link {reference} to another case",
        [Field("other", "Other reference", required=True, placeholder="CT-2026-00042")],
        lambda v: actions.link(ctx, reference, v["other"], expected_version=version),
        intro="Both cases will show the link.",
    )


def learning_form(ctx: Context, reference: str, version: int, stage_id: int) -> FormDialog:
    def check(values: dict[str, Any]) -> dict[str, str]:
        if values["due"] and values["due"] < ctx.today():
            return {"due": f"{fmt(values['due'])} is in the past."}
        return {}

    return FormDialog(
        f"Add a learning action to {reference}",
        [
            Field("text", "Action", required=True),
            Field("owner", "Owner"),
            Field("due", "Due", "date"),
        ],
        lambda v: actions.add_learning_action(
            ctx,
            reference,
            text=v["text"],
            owner=v["owner"],
            due=v["due"],
            stage_id=stage_id,
            expected_version=version,
        ),
        check=check,
    )


def close_form(ctx: Context, reference: str, version: int) -> FormDialog:
    return FormDialog(
        f"Close {reference}",
        [
            Field("reason", "Reason", required=True),
            Field("on", "Closed on", "date", required=True, value=uk(ctx.today())),
        ],
        lambda v: actions.close(
            ctx, reference, reason=v["reason"], on=v["on"], expected_version=version
        ),
        intro="Closes the case and any stage still open, without a response.",
    )


def reopen_form(ctx: Context, reference: str, version: int) -> FormDialog:
    return FormDialog(
        f"Re-open {reference}",
        [
            Field("reason", "Reason", required=True),
            Field("on", "Re-opened on", "date", required=True, value=uk(ctx.today())),
        ],
        lambda v: actions.reopen(
            ctx, reference, reason=v["reason"], on=v["on"], expected_version=version
        ),
        intro="The latest stage runs again on a fresh clock; its earlier response stays on "
        "the timeline.",
    )


def withdraw_form(ctx: Context, reference: str, version: int, stage: StageView) -> FormDialog:
    return FormDialog(
        f"Withdraw {reference} {stage.label}",
        [
            Field("reason", "Reason", placeholder="e.g. resolved at a meeting"),
            Field("on", "Withdrawn on", "date", required=True, value=uk(ctx.today())),
        ],
        lambda v: actions.withdraw(
            ctx,
            reference,
            reason=v["reason"] or "",
            on=v["on"],
            stage_id=stage.id,
            expected_version=version,
        ),
        intro="The complainant withdraws this stage; it closes without a finding.",
    )


def escalate_form(
    ctx: Context, reference: str, version: int, previous: StageView, decision: str
) -> FormDialog:
    """Accept or refuse the complainant's request for the stage after ``previous``."""
    number = previous.number + 1
    label = stage_label(previous.procedure, number)
    responded = previous.responded
    window = (
        escalation_window_closes(responded, ctx.policy, ctx.cal) if responded is not None else None
    )

    def note(values: dict[str, Any]) -> str:
        asked = values.get("request_date")
        if window is None or asked is None:
            return ""
        if asked <= window:
            left = ctx.cal.working_days_between(asked, window)
            return (
                f"Inside the complainant's {ctx.policy.escalation_window}-working-day window "
                f"(responded {fmt(responded)}, window closes {fmt(window)}; {left} working "
                "day(s) to spare)."
            )
        return f"OUT OF TIME: the window closed {fmt(window)} (responded {fmt(responded)}). " + (
            "Give a reason to accept it." if decision == "accepted" else ""
        )

    def check(values: dict[str, Any]) -> dict[str, str]:
        asked: date | None = values["request_date"]
        if decision == "refused" and not values["reason"]:
            return {"reason": "A refusal needs a reason (it is sent to the complainant)."}
        if decision == "accepted" and window and asked and asked > window and not values["reason"]:
            return {"reason": f"Out of time (window closed {fmt(window)}): give a reason."}
        return {}

    fields = [
        Field("request_date", "Request received", "date", required=True, value=uk(ctx.today()))
    ]
    if decision == "accepted":
        fields.append(
            Field(
                "clock_start",
                "Clock starts",
                "date",
                placeholder="request date, or when the statement was agreed",
            )
        )
    fields.append(
        Field(
            "reason",
            "Reason",
            required=decision == "refused",
            placeholder="why refused" if decision == "refused" else "only if out of time",
        )
    )
    intro = f"The complainant asks for {label}. " + (
        "The new stage's clock starts per the policy."
        if decision == "accepted"
        else "A refusal signposts the complainant to the Ombudsman (LGSCO)."
    )
    return FormDialog(
        f"{'Accept' if decision == 'accepted' else 'Refuse'} {label} for {reference}",
        fields,
        lambda v: actions.escalate(
            ctx,
            reference,
            request_date=v["request_date"],
            decision=decision,
            reason=v["reason"],
            clock_start=v.get("clock_start"),
            expected_version=version,
        ),
        intro=intro,
        check=check,
        note=note,
    )


def ombudsman_form(ctx: Context, reference: str, version: int) -> FormDialog:
    def check(values: dict[str, Any]) -> dict[str, str]:
        if values["deadline"] and values["received"] and values["deadline"] < values["received"]:
            return {"deadline": "The deadline is before the enquiry was received."}
        return {}

    return FormDialog(
        f"Ombudsman enquiry on {reference}",
        [
            Field("received", "Enquiry received", "date", required=True, value=uk(ctx.today())),
            Field("lgsco_ref", "LGSCO reference", required=True, placeholder="e.g. 25 012 345"),
            Field("deadline", "Ombudsman's deadline", "date", required=True),
        ],
        lambda v: actions.refer_to_ombudsman(
            ctx,
            reference,
            received=v["received"],
            ombudsman_reference=v["lgsco_ref"],
            deadline=v["deadline"],
            expected_version=version,
        ),
        intro="The Ombudsman's own deadline replaces the policy's timescale for this stage.",
        check=check,
    )


def is_staged(procedure: str) -> bool:
    return procedure in STAGED_PROCEDURES
