"""Every officer action, and every refusal leaving the database unchanged."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from complaints_tui.domain.errors import ConflictError, DomainError, NotFoundError
from complaints_tui.services import actions as a
from complaints_tui.services.context import Context
from complaints_tui.services.queries import case_detail


def snapshot(ctx: Context) -> list[tuple]:
    """Every row of every table: what 'changes nothing' is checked against."""
    with ctx.engine.connect() as conn:
        out = []
        for table in (
            "cases",
            "stages",
            "suspensions",
            "remedies",
            "learning_actions",
            "events",
            "case_themes",
            "case_links",
        ):
            out += [(table, *row) for row in conn.execute(text(f"SELECT * FROM {table}"))]
        return out


def refused(ctx: Context, call, match: str) -> None:
    before = snapshot(ctx)
    with pytest.raises(DomainError, match=match):
        call()
    assert snapshot(ctx) == before


def statutory(ctx: Context, received: date = date(2026, 11, 2)) -> str:
    return a.log_case(
        ctx,
        procedure="statutory",
        received=received,
        service="Lichfield - Early Help",
        themes=["Delay", "Communication"],
        summary="Assessment delayed",
        officer="Test Officer",
    ).reference


def test_log_case_starts_the_clock_and_numbers_references(ctx: Context) -> None:
    first = statutory(ctx)
    second = a.log_case(ctx, procedure="mp", received=date(2026, 11, 20)).reference
    assert (first, second) == ("CT-2026-00001", "CT-2026-00002")
    case = case_detail(ctx, first)
    stage = case.stages[0]
    # received Mon 2 Nov 2026: 10 working days -> Mon 16 Nov
    assert stage.deadline.due == date(2026, 11, 16)
    assert stage.acknowledgement_due == date(2026, 11, 5)
    assert stage.days_left == -5  # overdue since the 16th: 17,18,19,20,23
    assert case.themes == ("Delay", "Communication")
    assert case.events[0].action == "logged" and case.events[0].who == "Test Officer"
    mp = case_detail(ctx, second).stages[0]
    assert mp.deadline.due == date(2026, 12, 4)  # 10 working days after Fri 20 Nov


def test_log_case_refusals(ctx: Context) -> None:
    statutory(ctx)
    refused(ctx, lambda: a.log_case(ctx, procedure="nonsense"), "Unknown procedure")
    refused(ctx, lambda: a.log_case(ctx, procedure="statutory", number=4), "Stages 1 to 3")
    refused(ctx, lambda: a.log_case(ctx, procedure="mp", received=date(2026, 11, 24)), "future")
    refused(ctx, lambda: a.log_case(ctx, procedure="mp", complainant_type="alien"), "complainant")
    refused(ctx, lambda: a.log_case(ctx, procedure="mp", channel="pigeon"), "channel")
    refused(ctx, lambda: a.log_case(ctx, procedure="mp", reference="CT-2026-00001"), "in use")


def test_late_matter_is_flagged_but_accepted(ctx: Context) -> None:
    done = a.log_case(
        ctx, procedure="statutory", received=date(2026, 11, 2), matter_date=date(2025, 10, 1)
    )
    assert done.warnings and "12" in done.warnings[0]
    assert case_detail(ctx, done.reference).late_matter


def test_contact_triaged_to_a_complaint_and_to_duty(ctx: Context) -> None:
    c1 = a.log_contact(ctx, who="Mrs A", channel="email", service="CIC North", summary="x")
    c2 = a.log_contact(ctx, who="Mr B", channel="telephone", service="MASH", summary="y")
    assert case_detail(ctx, c1.reference).stages[0].deadline.due == date(2026, 11, 25)
    a.triage(ctx, c1.reference, procedure="corporate")
    detail = case_detail(ctx, c1.reference)
    assert detail.procedure == "corporate"
    assert detail.stages[0].label == "Corporate 1"
    assert detail.stages[0].deadline.due == date(2026, 12, 7)  # 10 working days from 23 Nov
    a.triage(ctx, c2.reference, duty_category="refused_legal_proceedings")
    detail = case_detail(ctx, c2.reference)
    assert detail.duty_category == "refused_legal_proceedings"
    assert detail.status == "closed"
    refused(ctx, lambda: a.triage(ctx, c1.reference, procedure="mp"), "already been triaged")
    c3 = a.log_contact(ctx, who="C", channel=None, service=None, summary="z")
    refused(ctx, lambda: a.triage(ctx, c3.reference), "either a procedure")
    refused(ctx, lambda: a.triage(ctx, c3.reference, duty_category="nap"), "duty category")
    with pytest.raises(DomainError, match="Who made the contact"):
        a.log_contact(ctx, who=" ", channel=None, service=None, summary="z")


def test_acknowledge(ctx: Context) -> None:
    ref = statutory(ctx)
    a.acknowledge(ctx, ref, on=date(2026, 11, 4))
    assert case_detail(ctx, ref).stages[0].acknowledged == date(2026, 11, 4)
    refused(ctx, lambda: a.acknowledge(ctx, ref, on=date(2026, 11, 1)), "before the stage")
    refused(ctx, lambda: a.acknowledge(ctx, ref, on=date(2026, 11, 30)), "future")


def test_extend_moves_the_due_date_within_the_policy(ctx: Context) -> None:
    ref = statutory(ctx)
    a.extend(ctx, ref, to_days=20, reason="Complex; complainant agreed")
    stage = case_detail(ctx, ref).stages[0]
    assert stage.deadline.due == date(2026, 11, 30)  # 20 working days after 2 Nov
    assert stage.extended_to == 20 and stage.deadline.extended
    assert any("extended from 10 to 20" in line for line in stage.deadline.explanation)
    refused(ctx, lambda: a.extend(ctx, ref, to_days=25, reason="more"), "never run beyond 20")
    refused(ctx, lambda: a.extend(ctx, ref, to_days=15, reason="less"), "longer than")
    refused(ctx, lambda: a.extend(ctx, ref, to_days=25, reason=" "), "needs a reason")
    # The regulations fix statutory Stage 1 at 20 at most: an override cannot go further.
    refused(
        ctx,
        lambda: a.extend(ctx, ref, to_days=25, reason="Ill", override_reason="Manager agreed"),
        "never run beyond 20",
    )
    corporate = a.log_case(ctx, procedure="corporate", received=date(2026, 11, 2)).reference
    refused(ctx, lambda: a.extend(ctx, corporate, to_days=25, reason="more"), "at most 20")
    a.extend(ctx, corporate, to_days=25, reason="Ill", override_reason="Manager agreed")
    assert case_detail(ctx, corporate).stages[0].deadline.due == date(2026, 12, 7)


def test_suspend_and_resume_stop_the_clock(ctx: Context) -> None:
    ref = statutory(ctx)
    a.suspend(ctx, ref, reason="Awaiting advocate", start=date(2026, 11, 9))
    stage = case_detail(ctx, ref).stages[0]
    assert stage.status == "suspended" and stage.deadline.due is None
    refused(ctx, lambda: a.suspend(ctx, ref, reason="again"), "already stopped")
    refused(ctx, lambda: a.resume(ctx, ref, on=date(2026, 11, 6)), "before it stopped")
    a.resume(ctx, ref, on=date(2026, 11, 16))
    stage = case_detail(ctx, ref).stages[0]
    # 5 working days (9-13 Nov) did not count: due 16 Nov + 5 working days = 23 Nov
    assert stage.status == "open"
    assert stage.deadline.due == date(2026, 11, 23)
    assert stage.suspensions[0].end == date(2026, 11, 15)  # the day before it restarted
    refused(ctx, lambda: a.resume(ctx, ref), "not stopped")
    refused(ctx, lambda: a.suspend(ctx, ref, reason=""), "needs a reason")
    refused(
        ctx, lambda: a.suspend(ctx, ref, reason="x", start=date(2026, 10, 1)), "before it started"
    )


def test_respond_records_outcome_remedies_and_learning(ctx: Context) -> None:
    ref = statutory(ctx)
    done = a.respond(
        ctx,
        ref,
        outcome="partially_upheld",
        on=date(2026, 11, 20),
        remedies=[("apology", None), ("payment", 250.0)],
        learning=[("Team briefing on timely assessments", "Team manager", date(2027, 1, 31))],
    )
    assert "(late)" in done.message  # due 16 Nov
    case = case_detail(ctx, ref)
    stage = case.stages[0]
    assert (stage.responded, stage.outcome, stage.status) == (
        date(2026, 11, 20),
        "partially_upheld",
        "responded",
    )
    assert stage.working_days_taken == 14 and stage.on_time is False
    assert [(r.kind, r.amount_pence) for r in stage.remedies] == [
        ("apology", None),
        ("payment", 25000),
    ]
    assert stage.learning[0].owner == "Team manager"
    assert stage.escalation_window_closes == date(2026, 12, 18)
    assert case.status == "closed"
    refused(ctx, lambda: a.respond(ctx, ref, outcome="upheld"), "no open stage")


def test_respond_refusals(ctx: Context) -> None:
    ref = statutory(ctx)
    refused(ctx, lambda: a.respond(ctx, ref, outcome="brilliant"), "Unknown outcome")
    refused(ctx, lambda: a.respond(ctx, ref, outcome="no_fault"), "Ombudsman decision")
    refused(ctx, lambda: a.respond(ctx, ref, outcome="upheld", on=date(2026, 10, 1)), "before the")
    refused(ctx, lambda: a.respond(ctx, ref, outcome="upheld", remedies=[("cake", 1.0)]), "remedy")


def test_statutory_escalation_is_a_right(ctx: Context) -> None:
    ref = statutory(ctx)
    refused(ctx, lambda: a.escalate(ctx, ref), "no response yet")
    a.respond(ctx, ref, outcome="not_upheld", on=date(2026, 11, 13))
    refused(ctx, lambda: a.escalate(ctx, ref, decision="refused", reason="no"), "cannot be refused")
    refused(ctx, lambda: a.escalate(ctx, ref, request_date=date(2026, 11, 12)), "before the")
    done = a.escalate(ctx, ref, request_date=date(2026, 11, 23))
    case = case_detail(ctx, ref)
    assert [s.label for s in case.stages] == ["Statutory 1", "Statutory 2"]
    # 25 working days after Mon 23 Nov 2026: Christmas, Boxing Day (Mon 28) skipped -> 30 Dec
    assert case.stages[1].deadline.due == date(2026, 12, 30)
    assert case.status == "open"
    assert "accepted" in done.message


def test_escalation_out_of_time_needs_a_reason(ctx: Context) -> None:
    ref = statutory(ctx, received=date(2026, 9, 1))
    a.respond(ctx, ref, outcome="not_upheld", on=date(2026, 9, 15))
    # window: 20 working days after 15 Sep -> 13 Oct
    refused(ctx, lambda: a.escalate(ctx, ref, request_date=date(2026, 10, 14)), "out of time")
    done = a.escalate(ctx, ref, request_date=date(2026, 10, 14), reason="Complainant in hospital")
    assert done.warnings and "13/10/2026" in done.warnings[0]
    assert case_detail(ctx, ref).stages[1].out_of_time


def test_corporate_stage_2_refused_signposts_to_the_ombudsman(ctx: Context) -> None:
    ref = a.log_case(ctx, procedure="corporate", received=date(2026, 10, 1)).reference
    a.respond(ctx, ref, outcome="not_upheld", on=date(2026, 10, 14))
    refused(ctx, lambda: a.escalate(ctx, ref, decision="refused"), "needs a reason")
    a.escalate(
        ctx, ref, request_date=date(2026, 10, 20), decision="refused", reason="No new issues"
    )
    case = case_detail(ctx, ref)
    stage2 = case.stages[1]
    assert (stage2.decision, stage2.status, stage2.outcome) == (
        "refused",
        "refused",
        "signposted_lgsco",
    )
    assert stage2.deadline.due is None and case.status == "closed"
    refused(ctx, lambda: a.escalate(ctx, ref), "refused: there is no further stage")


def test_stage_3_is_the_last(ctx: Context) -> None:
    ref = a.log_case(ctx, procedure="corporate", received=date(2026, 6, 1)).reference
    day = date(2026, 6, 10)
    for _ in range(2):
        a.respond(ctx, ref, outcome="not_upheld", on=day)
        a.escalate(ctx, ref, request_date=day)
    a.respond(ctx, ref, outcome="not_upheld", on=date(2026, 7, 1))
    refused(ctx, lambda: a.escalate(ctx, ref), "last stage")
    mp = a.log_case(ctx, procedure="mp").reference
    refused(ctx, lambda: a.escalate(ctx, mp), "no further stages")


def test_withdraw(ctx: Context) -> None:
    ref = statutory(ctx)
    a.withdraw(ctx, ref, reason="Resolved informally")
    stage = case_detail(ctx, ref).stages[0]
    assert (stage.status, stage.outcome) == ("withdrawn", "withdrawn")
    refused(ctx, lambda: a.withdraw(ctx, ref, reason="again"), "no open stage")


def test_refer_to_ombudsman_uses_its_deadline(ctx: Context) -> None:
    ref = statutory(ctx)
    a.respond(ctx, ref, outcome="not_upheld", on=date(2026, 11, 13))
    a.refer_to_ombudsman(
        ctx,
        ref,
        received=date(2026, 11, 20),
        ombudsman_reference="26 004 321",
        deadline=date(2026, 12, 18),
    )
    stage = case_detail(ctx, ref).stages[-1]
    assert (stage.procedure, stage.deadline.due, stage.ombudsman_reference) == (
        "lgsco",
        date(2026, 12, 18),
        "26 004 321",
    )
    refused(ctx, lambda: a.respond(ctx, ref, outcome="upheld"), "Ombudsman's decisions")
    a.respond(ctx, ref, outcome="fault_injustice", remedies=[("payment", 300.0)])
    refused(
        ctx,
        lambda: a.refer_to_ombudsman(
            ctx, ref, received=date(2026, 11, 20), deadline=date(2026, 11, 1)
        ),
        "before the enquiry",
    )
    other = a.log_case(ctx, procedure="lgsco", received=date(2026, 11, 2)).reference
    # no deadline entered: the policy's default, 20 working days
    assert case_detail(ctx, other).stages[0].deadline.due == date(2026, 11, 30)


def test_close_and_reopen(ctx: Context) -> None:
    ref = statutory(ctx)
    refused(ctx, lambda: a.close(ctx, ref, reason=""), "needs a reason")
    a.close(ctx, ref, reason="Complainant stopped responding")
    case = case_detail(ctx, ref)
    assert case.status == "closed" and case.stages[0].status == "closed"
    refused(ctx, lambda: a.close(ctx, ref, reason="again"), "already closed")
    a.reopen(ctx, ref, reason="New information", on=date(2026, 11, 23))
    case = case_detail(ctx, ref)
    assert case.status == "open" and case.reopened_count == 1
    assert case.stages[0].deadline.due == date(2026, 12, 7)  # fresh clock from 23 Nov
    refused(ctx, lambda: a.reopen(ctx, ref, reason="again"), "not closed")


def test_note_assign_link_and_edit(ctx: Context) -> None:
    ref = statutory(ctx)
    other = a.log_case(ctx, procedure="mp", received=date(2026, 11, 20)).reference
    a.add_note(ctx, ref, "Spoke to mum; she will send the letter")
    a.assign(ctx, ref, "R. Okafor")
    a.link(ctx, ref, other)
    a.update_case(
        ctx,
        ref,
        {"service": "Tamworth - Early Help", "channel": "letter"},
        themes=["delay", "Placement"],
    )
    case = case_detail(ctx, ref)
    assert case.officer == "R. Okafor" and case.linked == (other,)
    assert case_detail(ctx, other).linked == (ref,)
    assert case.service == "Tamworth - Early Help" and case.themes == ("delay", "Placement")
    actions = [e.action for e in case.events]
    assert actions.count("note") == 1 and "assigned" in actions and "linked" in actions
    edit = next(e for e in case.events if e.field == "service")
    assert (edit.old, edit.new) == ("Lichfield - Early Help", "Tamworth - Early Help")
    refused(ctx, lambda: a.add_note(ctx, ref, "  "), "cannot be empty")
    refused(ctx, lambda: a.link(ctx, ref, ref), "itself")
    refused(ctx, lambda: a.link(ctx, ref, other), "already linked")
    refused(ctx, lambda: a.update_case(ctx, ref, {"channel": "fax"}), "Unknown channel")
    refused(ctx, lambda: a.update_case(ctx, ref, {"reference": "X"}), "cannot be edited")
    with pytest.raises(NotFoundError):
        a.add_note(ctx, "CT-1999-00001", "x")


def test_learning_actions(ctx: Context) -> None:
    ref = statutory(ctx)
    a.add_learning_action(ctx, ref, text="Update the leaflet", owner="Head of service")
    action = case_detail(ctx, ref).stages[0].learning[0]
    a.set_learning_status(ctx, ref, action.id, "done")
    assert case_detail(ctx, ref).stages[0].learning[0].status == "done"
    refused(ctx, lambda: a.set_learning_status(ctx, ref, action.id, "maybe"), "Unknown")
    refused(ctx, lambda: a.add_learning_action(ctx, ref, text=""), "needs a description")


def test_two_officers_saving_the_same_case(ctx: Context) -> None:
    """Saves made on the version both read: a change of something else merges; a change
    of the same thing is refused, names who did what, and writes nothing."""
    ref = statutory(ctx)
    seen = case_detail(ctx, ref).version
    a.add_note(ctx, ref, "first officer", expected_version=seen)
    a.extend(ctx, ref, to_days=15, reason="second officer", expected_version=seen)
    assert case_detail(ctx, ref).stages[0].extended_to == 15
    assert case_detail(ctx, ref).version == seen + 2
    before = snapshot(ctx)
    with pytest.raises(ConflictError, match="changed since you opened it by Test Officer"):
        a.extend(ctx, ref, to_days=20, reason="third officer", expected_version=seen)
    assert snapshot(ctx) == before
    # a note typed meanwhile is kept whatever was saved
    a.add_note(ctx, ref, "typed while they extended", expected_version=seen)
    assert case_detail(ctx, ref).version == seen + 3
