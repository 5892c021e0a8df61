"""Forms for the rules of issue 8: statutory Stage 3's panel, the independent people, the
Ombudsman's reply, decision and deadline, corrections, and voiding. Each returns the
service's ``Done`` (or RELOAD after a conflict), like those in ``forms.py``."""

from __future__ import annotations

from typing import Any

from complaints_tui.domain.clocks import fmt
from complaints_tui.domain.vocab import LGSCO_OUTCOMES
from complaints_tui.services import actions
from complaints_tui.services.context import Context
from complaints_tui.services.queries import CaseDetail, StageView
from complaints_tui.tui.screens.form_dialog import Field, FormDialog, uk


def stage_spec(stage: StageView) -> str:
    """How the correction and void services name a stage."""
    return f"lgsco{stage.number}" if stage.procedure == "lgsco" else str(stage.number)


def panel_form(ctx: Context, case: CaseDetail, stage: StageView) -> FormDialog:
    """The panel's date (with its members) or, once held, its report's date."""
    d = stage.deadline
    if stage.panel_date is None:
        return FormDialog(
            f"Review panel for {case.reference}",
            [
                Field("on", "Panel held on", "date", required=True, value=uk(ctx.today())),
                Field(
                    "members",
                    "Panel members",
                    value=stage.panel_members or "",
                    placeholder="chair; member; member",
                ),
            ],
            lambda v: actions.record_panel(
                ctx,
                case.reference,
                on=v["on"],
                members=v["members"],
                stage_id=stage.id,
                expected_version=case.version,
            ),
            intro=f"Requested {fmt(stage.received)}: the panel meets within 30 working days "
            f"(by {fmt(d.panel_due)}); the response is then due 20 working days after it.",
        )
    return FormDialog(
        f"Panel's report for {case.reference}",
        [Field("on", "Report sent on", "date", required=True, value=uk(ctx.today()))],
        lambda v: actions.record_panel_report(
            ctx, case.reference, on=v["on"], stage_id=stage.id, expected_version=case.version
        ),
        intro=f"Panel held {fmt(stage.panel_date)}: its report is due by {fmt(d.report_due)}; "
        "the response is due 15 working days after the report.",
    )


def people_form(ctx: Context, case: CaseDetail, stage: StageView) -> FormDialog:
    fields = [Field("investigator", "Investigator", value=stage.investigator or "")]
    if stage.procedure == "statutory" and stage.number == 2:
        fields += [
            Field("iio", "Investigating Officer (IIO)", value=stage.iio or ""),
            Field("ip", "Independent Person", value=stage.independent_person or ""),
        ]
    if stage.procedure == "statutory" and stage.number == 3:
        fields.append(Field("members", "Panel members", value=stage.panel_members or ""))

    def save(v: dict[str, Any]) -> actions.Done:
        return actions.set_people(
            ctx,
            case.reference,
            investigator=v["investigator"] or "",
            iio=(v["iio"] or "") if "iio" in v else None,
            independent_person=(v["ip"] or "") if "ip" in v else None,
            panel_members=(v["members"] or "") if "members" in v else None,
            stage_id=stage.id,
            expected_version=case.version,
        )

    return FormDialog(f"Who handles {case.reference} {stage.label}", fields, save)


def deadline_form(ctx: Context, case: CaseDetail, stage: StageView) -> FormDialog:
    return FormDialog(
        f"The Ombudsman agreed a later deadline for {case.reference}",
        [Field("on", "New deadline", "date", required=True)],
        lambda v: actions.set_ombudsman_deadline(
            ctx, case.reference, on=v["on"], stage_id=stage.id, expected_version=case.version
        ),
        intro=f"The deadline is the Ombudsman's ({fmt(stage.deadline.due)} now): it is never "
        "extended here, only replaced by one the Ombudsman agreed.",
    )


def reply_form(ctx: Context, case: CaseDetail, stage: StageView) -> FormDialog:
    return FormDialog(
        f"Reply to the Ombudsman on {case.reference}",
        [Field("on", "Replied on", "date", required=True, value=uk(ctx.today()))],
        lambda v: actions.reply_to_ombudsman(
            ctx, case.reference, on=v["on"], stage_id=stage.id, expected_version=case.version
        ),
        intro="The council's reply to the enquiry; the Ombudsman's decision is recorded "
        "separately, when it comes.",
    )


def decision_form(ctx: Context, case: CaseDetail, stage: StageView) -> FormDialog:
    table = ctx.policy.vocabularies.tables["outcome"]
    options = tuple((label, key) for key, label in table.items() if key in LGSCO_OUTCOMES)
    return FormDialog(
        f"The Ombudsman's decision on {case.reference}",
        [
            Field("decision", "Decision", "select", required=True, options=options),
            Field("on", "Decided on", "date", required=True, value=uk(ctx.today())),
        ],
        lambda v: actions.record_ombudsman_decision(
            ctx,
            case.reference,
            decision=v["decision"],
            on=v["on"],
            stage_id=stage.id,
            expected_version=case.version,
        ),
        intro="The report counts the Ombudsman's decisions by this date.",
    )


def correct_form(ctx: Context, case: CaseDetail, stage: StageView) -> FormDialog:
    options = tuple((text, name) for name, text in actions.CORRECTABLE.items())
    return FormDialog(
        f"Correct {case.reference} {stage.label}",
        [
            Field("field", "What is wrong", "select", required=True, options=options),
            Field("to", "Right value", required=True, placeholder="e.g. 03/11/2026"),
            Field("reason", "Reason", required=True),
        ],
        lambda v: actions.correct(
            ctx,
            case.reference,
            field=v["field"],
            to=v["to"],
            reason=v["reason"],
            stage=stage.id,
            expected_version=case.version,
        ),
        intro="A correction is not a re-opening: old and new values go on the timeline with "
        "your reason, and the clocks follow.",
    )


def void_form(ctx: Context, case: CaseDetail, stage: StageView) -> FormDialog:
    """Void (or restore) the case; choosing 'this stage only' voids just the stage."""
    restoring = case.voided_on is not None or stage.voided_on is not None
    verb = "Restore" if restoring else "Void"
    fields = [Field("reason", "Reason", required=True)]
    if not restoring:
        fields.append(Field("stage_only", f"Only {stage.label}", "check"))

    def save(v: dict[str, Any]) -> actions.Done:
        which = stage.id if (v.get("stage_only") or stage.voided_on) else None
        call = actions.restore if restoring else actions.void
        return call(
            ctx, case.reference, reason=v["reason"], stage=which, expected_version=case.version
        )

    return FormDialog(
        f"{verb} {case.reference}",
        fields,
        save,
        intro="A voided case or stage is in no list or report; it stays on the timeline."
        if not restoring
        else "It comes back into the lists and reports.",
    )
