"""A record that follows the rules, through the services, with dates counted by hand.

'Today' is Mon 23 Nov 2026 (tests/conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.policy import DEFAULT_POLICY_FILE
from complaints_tui.domain.policy_file import load_policy
from complaints_tui.services import actions as a
from complaints_tui.services.context import Context
from complaints_tui.services.lists import CaseFilter, open_listing
from complaints_tui.services.lists_deadlines import deadline_groups, deadline_items
from complaints_tui.services.queries import case_detail
from complaints_tui.services.report import load_facts
from complaints_tui.services.store import recompute
from tests.conftest import TODAY
from tests.services.test_actions import refused

D = date


def stage3_case(ctx: Context) -> str:
    ref = a.log_case(ctx, procedure="statutory", received=D(2025, 10, 1)).reference
    a.respond(ctx, ref, outcome="not_upheld", on=D(2025, 10, 10))
    a.escalate(ctx, ref, request_date=D(2025, 10, 13))
    a.respond(ctx, ref, outcome="partially_upheld", on=D(2025, 12, 1))
    return ref


def test_statutory_stage3_panel_report_and_response(ctx: Context) -> None:
    ref = stage3_case(ctx)
    # Stage 2's window from Mon 1 Dec 2025: 2-5 (4), 8-12 (9), 15-19 (14), 22-24 (17),
    # 29-31 (20): closes Wed 31 Dec. A request inside it cannot be refused.
    refused(
        ctx,
        lambda: a.escalate(ctx, ref, request_date=D(2025, 12, 11), decision="refused", reason="no"),
        "cannot be refused",
    )
    a.escalate(ctx, ref, request_date=D(2025, 12, 11))
    stage = case_detail(ctx, ref).stages[-1]
    assert (stage.deadline.panel_due, stage.deadline.due) == (D(2026, 1, 27), D(2026, 2, 24))
    refused(ctx, lambda: a.extend(ctx, ref, to_days=60, reason="busy"), "no extensions")
    refused(
        ctx,
        lambda: a.suspend(ctx, ref, reason="awaiting an advocate", start=D(2025, 12, 15)),
        "cannot be stopped",
    )
    refused(ctx, lambda: a.record_panel_report(ctx, ref, on=D(2026, 1, 22)), "panel's date first")
    refused(ctx, lambda: a.record_panel(ctx, ref, on=D(2025, 12, 10)), "before the request")
    a.record_panel(ctx, ref, on=D(2026, 1, 19), members="A Chair; B Member; C Member")
    stage = case_detail(ctx, ref).stages[-1]
    assert stage.deadline.due == D(2026, 2, 16) and stage.panel_members.startswith("A Chair")
    a.record_panel_report(ctx, ref, on=D(2026, 1, 22))
    case = case_detail(ctx, ref)
    assert case.stages[-1].deadline.due == D(2026, 2, 12)
    assert {e.field for e in case.events} >= {"panel_date", "panel_report_date", "panel_members"}
    a.set_people(ctx, ref, iio="Ivy Investigator", independent_person="Ian Person")
    assert case_detail(ctx, ref).stages[1].iio == "Ivy Investigator"


def test_a_late_statutory_request_may_be_declined_with_a_reason(ctx: Context) -> None:
    ref = a.log_case(ctx, procedure="statutory", received=D(2022, 8, 22)).reference
    a.respond(ctx, ref, outcome="not_upheld", on=D(2022, 9, 5))
    # Window from Mon 5 Sep 2022: 6-9 (4), 12-16 (9), Mon 19 Sep the Queen's funeral,
    # 20-23 (13), 26-30 (18), 3 Oct (19), Tue 4 Oct (20).
    refused(
        ctx,
        lambda: a.escalate(ctx, ref, request_date=D(2022, 10, 4), decision="refused", reason="x"),
        "closes 04/10/2022",
    )
    refused(
        ctx,
        lambda: a.escalate(ctx, ref, request_date=D(2022, 10, 4), clock_start=D(2022, 10, 3)),
        "before the request",
    )
    refused(
        ctx,
        lambda: a.escalate(ctx, ref, request_date=D(2022, 10, 4), clock_start=D(2026, 11, 24)),
        "future",
    )
    refused(
        ctx,
        lambda: a.escalate(ctx, ref, request_date=D(2022, 10, 5), decision="refused"),
        "needs a reason",
    )
    done = a.escalate(
        ctx, ref, request_date=D(2022, 10, 5), decision="refused", reason="Asked after 4 months"
    )
    assert "declined" in done.message
    assert case_detail(ctx, ref).stages[-1].decision == "refused"


def test_extend_has_hard_limits_and_late_extensions_are_recorded(ctx: Context) -> None:
    ref = a.log_case(ctx, procedure="corporate", received=D(2026, 11, 2)).reference
    refused(ctx, lambda: a.extend(ctx, ref, to_days=999999, reason="x"), "beyond 65")
    refused(
        ctx,
        lambda: a.extend(ctx, ref, to_days=99999, reason="x", override_reason="boss"),
        "beyond 65",
    )
    # Due Mon 16 Nov 2026; agreed on the 10th but entered today, the 23rd: late.
    done = a.extend(ctx, ref, to_days=20, reason="complex", agreed_on=D(2026, 11, 10))
    assert done.warnings and "already due (16/11/2026)" in done.warnings[0]
    stage = case_detail(ctx, ref).stages[0]
    assert (stage.extension_recorded, stage.extension_late) == (TODAY, True)
    assert stage.deadline.due == D(2026, 11, 30)
    # In time: received Mon 16 Nov, due Mon 30 Nov; extended today.
    early = a.log_case(ctx, procedure="corporate", received=D(2026, 11, 16)).reference
    assert not a.extend(ctx, early, to_days=15, reason="complex").warnings
    assert case_detail(ctx, early).stages[0].extension_late is False


def test_clock_stops_the_rules(ctx: Context) -> None:
    ref = a.log_case(ctx, procedure="statutory", received=D(2026, 11, 2)).reference
    refused(ctx, lambda: a.suspend(ctx, ref, reason="advocate", start=D(2026, 11, 24)), "future")
    # Due Mon 16 Nov; a stop from the 13th entered today is after the due date.
    done = a.suspend(ctx, ref, reason="advocate", start=D(2026, 11, 13))
    assert done.warnings
    assert case_detail(ctx, ref).stages[0].suspensions[0].entered_late
    # Responding on the day a stop began ends it as resume would: no stop at all.
    other = a.log_case(ctx, procedure="statutory", received=D(2026, 11, 2)).reference
    a.suspend(ctx, other, reason="advocate", start=D(2026, 11, 16))
    a.respond(ctx, other, outcome="upheld", on=D(2026, 11, 16))
    stage = case_detail(ctx, other).stages[0]
    assert stage.suspensions == () and stage.working_days_taken == 10 and stage.on_time
    # Closing ends an open stop the day before.
    a.close(ctx, ref, reason="no contact", on=D(2026, 11, 20))
    assert case_detail(ctx, ref).stages[0].suspensions[0].end == D(2026, 11, 19)


def test_response_before_a_typed_clock_start_is_refused(ctx: Context) -> None:
    ref = a.log_case(
        ctx, procedure="corporate", received=D(2026, 11, 2), clock_start=D(2026, 11, 9)
    ).reference
    # 10 from Mon 9 Nov: Mon 23 Nov.
    assert case_detail(ctx, ref).stages[0].deadline.due == D(2026, 11, 23)
    refused(ctx, lambda: a.respond(ctx, ref, outcome="upheld", on=D(2026, 11, 6)), "clock started")
    with pytest.raises(Exception, match="before the contact was received"):
        a.log_case(ctx, procedure="corporate", received=D(2026, 11, 2), clock_start=D(2026, 11, 1))


def test_reopening_gives_a_fresh_standard_clock(ctx: Context) -> None:
    ref = a.log_case(ctx, procedure="corporate", received=D(2026, 11, 2)).reference
    a.extend(ctx, ref, to_days=20, reason="complex", agreed_on=D(2026, 11, 5))
    a.respond(ctx, ref, outcome="upheld", on=D(2026, 11, 20))
    a.reopen(ctx, ref, reason="new information", on=D(2026, 11, 23))
    stage = case_detail(ctx, ref).stages[0]
    # 10 (not 20) from Mon 23 Nov: 24-27 (4), 30 Nov-4 Dec (9), Mon 7 Dec.
    assert (stage.deadline.due, stage.extended_to) == (D(2026, 12, 7), None)


def test_reopening_a_refused_request_is_refused(ctx: Context) -> None:
    ref = a.log_case(ctx, procedure="corporate", received=D(2026, 10, 1)).reference
    a.respond(ctx, ref, outcome="not_upheld", on=D(2026, 10, 15))
    a.escalate(ctx, ref, request_date=D(2026, 10, 20), decision="refused", reason="no new issues")
    refused(ctx, lambda: a.reopen(ctx, ref, reason="asked again"), "refused request")


def test_the_ombudsman_side(ctx: Context) -> None:
    ref = a.log_case(ctx, procedure="corporate", received=D(2026, 9, 1)).reference
    a.refer_to_ombudsman(
        ctx,
        ref,
        received=D(2026, 11, 10),
        ombudsman_reference="25 012 345",
        deadline=D(2026, 12, 1),
    )
    refused(
        ctx,
        lambda: a.refer_to_ombudsman(ctx, ref, ombudsman_reference="25 012 345"),
        "already has",
    )
    refused(ctx, lambda: a.extend(ctx, ref, to_days=30, reason="x"), "Ombudsman's")
    refused(ctx, lambda: a.set_ombudsman_deadline(ctx, ref, on=D(2026, 11, 30)), "after it")
    a.set_ombudsman_deadline(ctx, ref, on=D(2026, 12, 15))
    assert case_detail(ctx, ref).stages[-1].deadline.due == D(2026, 12, 15)
    a.reply_to_ombudsman(ctx, ref, on=D(2026, 11, 20))
    a.record_ombudsman_decision(ctx, ref, decision="fault_injustice", on=D(2026, 11, 23))
    stage = case_detail(ctx, ref).stages[-1]
    assert (stage.responded, stage.ombudsman_decided, stage.outcome) == (
        D(2026, 11, 20),
        D(2026, 11, 23),
        "fault_injustice",
    )


def test_corrections_keep_old_and_new_and_are_not_reopenings(ctx: Context) -> None:
    ref = a.log_case(ctx, procedure="statutory", received=D(2026, 11, 2)).reference
    refused(
        ctx,
        lambda: a.correct(ctx, ref, field="received", to="03/11/2026", reason=" "),
        "needs a reason",
    )
    a.correct(ctx, ref, field="received", to="03/11/2026", reason="typed the wrong day")
    # 10 from Tue 3 Nov: Tue 17 Nov.
    assert case_detail(ctx, ref).stages[0].deadline.due == D(2026, 11, 17)
    a.respond(ctx, ref, outcome="upheld", on=D(2026, 11, 13), remedies=[("apology", None)])
    a.correct(ctx, ref, field="outcome", to="not_upheld", reason="wrong key")
    a.correct(ctx, ref, field="remedies", to="explanation; payment:250", reason="letter says")
    a.correct(ctx, ref, field="responded", to="2026-11-12", reason="letter dated 12th")
    a.correct(ctx, ref, field="procedure", to="corporate", reason="not about social care")
    case = case_detail(ctx, ref)
    stage = case.stages[0]
    assert case.reopened_count == 0 and case.procedure == "corporate"
    assert (stage.procedure, stage.outcome, stage.responded) == (
        "corporate",
        "not_upheld",
        D(2026, 11, 12),
    )
    assert [(r.kind, r.amount_pence) for r in stage.remedies] == [
        ("explanation", None),
        ("payment", 25000),
    ]
    corrected = [(e.field, e.old, e.new, e.note) for e in case.events if e.action == "corrected"]
    assert ("received", "2026-11-02", "2026-11-03", "typed the wrong day") in corrected
    assert ("outcome", "upheld", "not_upheld", "wrong key") in corrected
    assert ("procedure", "statutory", "corporate", "not about social care") in corrected


def test_void_and_restore(ctx: Context) -> None:
    keep = a.log_case(ctx, procedure="corporate", received=D(2026, 11, 2)).reference
    gone = a.log_case(ctx, procedure="corporate", received=D(2026, 11, 3)).reference
    refused(ctx, lambda: a.void(ctx, gone, reason=""), "needs a reason")
    a.respond(ctx, gone, outcome="upheld", on=D(2026, 11, 20))
    a.add_learning_action(ctx, gone, text="Call back within a day", due=D(2026, 12, 18))
    learning = {g.key: g.count for g in deadline_groups(ctx)}["learning"]
    a.void(ctx, gone, reason="logged twice")
    # a voided case's learning actions are due from no one
    assert {g.key: g.count for g in deadline_groups(ctx)}["learning"] == learning - 1
    assert gone not in {i.reference for i in deadline_items(ctx, "learning")}
    for scope in ("open", "closed", "all"):
        refs = {r.reference for r in open_listing(ctx, CaseFilter(scope=scope)).first}
        assert gone not in refs
    assert keep in {r.reference for r in open_listing(ctx, CaseFilter(scope="all")).first}
    facts = load_facts(ctx.engine, year=2026, as_at=TODAY)
    assert len(facts.stages) == 1
    # nor are its learning actions (or other rows of its stages) in the report
    assert facts.learning == []
    refused(ctx, lambda: a.respond(ctx, gone, outcome="upheld"), "voided")
    assert case_detail(ctx, gone).voided_on == TODAY
    a.restore(ctx, gone, reason="not a duplicate after all")
    assert gone in {r.reference for r in open_listing(ctx, CaseFilter(scope="all")).first}
    assert case_detail(ctx, gone).status == "closed"
    assert gone in {i.reference for i in deadline_items(ctx, "learning")}


def test_compliments_are_closed_and_pending_contacts_wait(ctx: Context) -> None:
    ref = a.log_case(ctx, procedure="compliment", received=D(2026, 11, 20)).reference
    assert case_detail(ctx, ref).stages[0].status == "closed"
    contact = a.log_contact(ctx, who="Ms A", channel=None, service=None, summary="x").reference
    a.triage(ctx, contact, duty_category="pending_information")
    assert case_detail(ctx, contact).pending_since == TODAY
    a.triage(ctx, contact, procedure="compliment")
    case = case_detail(ctx, contact)
    assert (case.stages[0].status, case.pending_since) == ("closed", None)


def test_recompute_never_moves_an_old_case_onto_a_newer_period(engine) -> None:  # type: ignore[no-untyped-def]
    base = Context(engine, calendar=WorkingCalendar(), actor="T", clock=lambda: D(2026, 3, 31))
    ref = a.log_case(base, procedure="corporate", received=D(2026, 3, 31)).reference
    code = load_policy(DEFAULT_POLICY_FILE.with_name("complaint_handling_code_2026.toml"))
    later = Context(engine, policy=code, actor="T", clock=lambda: D(2026, 4, 1))
    recompute(later)
    # Received 31 Mar: the old rules, 10 from receipt over Easter: Thu 16 Apr.
    assert case_detail(later, ref).stages[0].deadline.due == D(2026, 4, 16)
    new = a.log_case(later, procedure="corporate", received=D(2026, 4, 1)).reference
    stage = case_detail(later, new).stages[0]
    assert (stage.deadline.due, stage.deadline.provisional) == (D(2026, 4, 24), True)
    a.acknowledge(later, new, on=D(2026, 4, 1))
    # Acknowledged the day it came: 2 Apr (1), 7-10 (5), 13-17 (10): Fri 17 Apr.
    assert case_detail(later, new).stages[0].deadline.due == D(2026, 4, 17)


def test_days_left_count_a_statutory_stage_in_the_regulations_days(engine) -> None:  # type: ignore[no-untyped-def]
    from complaints_tui.domain.policy_file import parse_policy

    closures = [D(2025, 12, 29), D(2025, 12, 30), D(2025, 12, 31)]
    policy = parse_policy({"closure_days": closures})
    ctx = Context(engine, policy=policy, actor="T", clock=lambda: D(2025, 12, 22))
    stat = a.log_case(ctx, procedure="statutory", received=D(2025, 12, 22)).reference
    corp = a.log_case(ctx, procedure="corporate", received=D(2025, 12, 22)).reference
    rows = {r.reference: r for r in open_listing(ctx, CaseFilter()).first}
    # Statutory is due Thu 8 Jan 2026 (closures count): 10 of the regulations' days left,
    # not the 7 a count skipping 29-31 Dec would show. Corporate, due Tue 13 Jan: 10.
    assert (rows[stat].due, rows[stat].days_left) == (D(2026, 1, 8), 10)
    assert (rows[corp].due, rows[corp].days_left) == (D(2026, 1, 13), 10)
    items = {i.reference: i for i in deadline_items(ctx, "acknowledgements")}
    # Acknowledged within 3: statutory 23, 24, Mon 29 Dec; corporate skips 29-31: Fri 2 Jan.
    assert (items[stat].when, items[stat].days_left) == (D(2025, 12, 29), 3)
    assert (items[corp].when, items[corp].days_left) == (D(2026, 1, 2), 3)
