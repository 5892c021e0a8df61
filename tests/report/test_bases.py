"""Honest timeliness and the two counting bases, on small years built by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.clocks import ClockInput, stage_deadline
from complaints_tui.domain.policy import Policy
from complaints_tui.domain.report import (
    CaseFact,
    Report,
    ReportFacts,
    StageFact,
    SuspensionFact,
    build_report,
)
from complaints_tui.domain.report_publish import finish, only_procedures
from complaints_tui.report.layout import on_time

YEAR = 2023
AS_AT = date(2024, 6, 30)


def due(
    cal: WorkingCalendar,
    policy: Policy,
    start: date,
    extended_to: int | None = None,
    stops: tuple[tuple[date, date], ...] = (),
) -> date:
    clock = ClockInput("corporate", 1, start, extended_to=extended_to, suspensions=stops)
    got = stage_deadline(clock, policy, cal, explain=False).due
    assert got is not None
    return got


def stage(sid: int, received: date, **kw: object) -> StageFact:
    return StageFact(sid, sid, "corporate", 1, received, received, **kw)  # type: ignore[arg-type]


def cases(*ids: int) -> list[CaseFact]:
    return [CaseFact(i, "corporate") for i in ids]


def build(facts: ReportFacts, policy: Policy, cal: WorkingCalendar, **kw: object) -> Report:
    return build_report(facts, year=YEAR, as_at=AS_AT, policy=policy, calendar=cal, **kw)  # type: ignore[arg-type]


def year_on_time(report: Report) -> dict[str, int]:
    return dict(report.table("on_time_by_quarter").cell("total", "corporate_1"))


def test_an_extension_agreed_after_the_due_date_does_not_save_the_stage(
    calendar: WorkingCalendar, policy: Policy
) -> None:
    received = date(2023, 6, 1)
    original = due(calendar, policy, received)
    extended = due(calendar, policy, received, extended_to=20)
    answered = calendar.add_working_days(original, 3)  # inside the extension
    assert original < answered <= extended
    facts = ReportFacts(
        stages=[
            # agreed the day before it was due: an honest extension, on time
            stage(
                1,
                received,
                due=extended,
                extended_to=20,
                responded=answered,
                status="responded",
                extension_agreed=original - timedelta(days=1),
            ),
            # agreed two days after it was due: late, whatever the new date says
            stage(
                2,
                received,
                due=extended,
                extended_to=20,
                responded=answered,
                status="responded",
                extension_agreed=calendar.add_working_days(original, 2),
            ),
            # no date of agreement recorded: the extension is taken as agreed in time
            stage(
                3, received, due=extended, extended_to=20, responded=answered, status="responded"
            ),
        ],
        cases=cases(1, 2, 3),
    )
    report = build(facts, policy, calendar)
    assert year_on_time(report) == {"on_time": 2, "total": 3, "pending": 0, "closed": 0}
    assert on_time(year_on_time(report)) == "67% (2/3)"


def test_a_clock_stop_begun_after_the_due_date_does_not_move_it(
    calendar: WorkingCalendar, policy: Policy
) -> None:
    received = date(2023, 9, 4)
    original = due(calendar, policy, received)
    stop_in_time = (calendar.add_working_days(received, 2), calendar.add_working_days(received, 7))
    stop_late = (calendar.add_working_days(original, 1), calendar.add_working_days(original, 6))
    answered = calendar.add_working_days(original, 4)
    facts = ReportFacts(
        stages=[
            stage(
                1,
                received,
                due=due(calendar, policy, received, stops=(stop_in_time,)),
                responded=answered,
                status="responded",
            ),
            stage(
                2,
                received,
                due=due(calendar, policy, received, stops=(stop_late,)),
                responded=answered,
                status="responded",
            ),
        ],
        cases=cases(1, 2),
        suspensions=[SuspensionFact(1, *stop_in_time), SuspensionFact(2, *stop_late)],
    )
    cells = year_on_time(build(facts, policy, calendar))
    # the stop before the due date moved it past the answer; the late one did not
    assert cells == {"on_time": 1, "total": 2, "pending": 0, "closed": 0}


def test_closed_without_a_response_is_never_on_time(
    calendar: WorkingCalendar, policy: Policy
) -> None:
    received = date(2023, 5, 2)
    facts = ReportFacts(
        stages=[
            stage(
                1,
                received,
                due=due(calendar, policy, received),
                closed_on=date(2023, 5, 4),
                status="closed",
                outcome="withdrawn",
            ),
            stage(
                2,
                received,
                due=due(calendar, policy, received),
                responded=date(2023, 5, 5),
                status="responded",
                outcome="upheld",
            ),
        ],
        cases=cases(1, 2),
    )
    report = build(facts, policy, calendar)
    assert year_on_time(report) == {"on_time": 1, "total": 2, "pending": 0, "closed": 1}
    assert on_time(year_on_time(report)) == "100% (1/1)"
    bands = report.table("timescale_bands")
    assert bands.cell("corporate_1", "closed") == 1
    assert bands.cell("corporate_1", "standard") == 1
    assert bands.cell("corporate_1", "limits") == "10 / 20"


def test_a_timescale_changed_in_the_year_bands_each_stage_by_the_one_it_was_received_under(
    calendar: WorkingCalendar, policy: Policy
) -> None:
    # From 1 November 2023 this council answers corporate Stage 1 in 5 working days (10
    # with an extension); before, 10 (20). Both stages took 8 working days.
    quicker = replace(policy.corporate, stage1=5, stage1_extended=10)
    changed = replace(policy, periods=((date(2023, 11, 1), replace(policy, corporate=quicker)),))
    before, after = date(2023, 6, 1), date(2023, 11, 2)
    facts = ReportFacts(
        stages=[
            stage(
                n,
                received,
                due=calendar.add_working_days(received, days),
                responded=calendar.add_working_days(received, 8),
                status="responded",
                outcome="upheld",
            )
            for n, received, days in ((1, before, 10), (2, after, 5))
        ],
        cases=cases(1, 2),
    )
    bands = build(facts, changed, calendar).table("timescale_bands")
    assert bands.cell("corporate_1", "limits") == "5 / 10, 10 / 20"
    assert bands.cell("corporate_1", "standard") == 1  # 8 within the old 10
    assert bands.cell("corporate_1", "extended") == 1  # 8: over the new 5, within its 10
    assert bands.cell("corporate_1", "over") == 0


def test_the_concluded_basis_counts_what_was_concluded_in_the_year(
    calendar: WorkingCalendar, policy: Policy
) -> None:
    carried = date(2023, 3, 20)  # received in 2022-23, answered in 2023-24
    late_in_year = date(2024, 3, 25)  # received in 2023-24, answered in 2024-25
    facts = ReportFacts(
        stages=[
            stage(
                1,
                carried,
                due=due(calendar, policy, carried),
                responded=date(2023, 4, 3),
                status="responded",
                outcome="upheld",
            ),
            stage(
                2,
                late_in_year,
                due=due(calendar, policy, late_in_year),
                responded=date(2024, 4, 5),
                status="responded",
                outcome="not_upheld",
            ),
        ],
        cases=cases(1, 2),
    )
    received = build(facts, policy, calendar)
    concluded = build(facts, policy, calendar, basis="concluded")
    assert received.basis == "received" and concluded.basis == "concluded"

    def outcomes(report: Report) -> dict[str, int]:
        t = report.table("outcomes_by_stage")
        return {r.key: r.cells["corporate_1"] for r in t.rows if r.kind == "detail"}

    assert outcomes(received) == {"not_upheld": 1}
    assert outcomes(concluded) == {"upheld": 1}
    # what was received stays counted on receipt, on both bases
    for report in (received, concluded):
        assert report.table("received_by_quarter").cell("total", "corporate_1") == 1
    assert concluded.table("on_time_by_quarter").title.endswith("by quarter concluded")
    # both definitions are in the notes of each
    for report in (received, concluded):
        text = " ".join(report.notes)
        assert "'received'" in text and "'concluded'" in text and "carried in" in text


def test_a_report_of_one_procedure(calendar: WorkingCalendar, policy: Policy) -> None:
    day = date(2023, 7, 3)
    facts = ReportFacts(
        stages=[
            stage(1, day, due=due(calendar, policy, day)),
            StageFact(2, 2, "statutory", 1, day, day),
        ],
        cases=[CaseFact(1, "corporate"), CaseFact(2, "statutory")],
    )
    only = only_procedures(facts, ["statutory"])
    report = finish(build(only, policy, calendar), None, {}, ["statutory"])
    q = report.table("received_by_quarter")
    assert [c.key for c in q.columns] == ["statutory_1", "total"]
    assert "Statutory" in report.title
    assert any("covers only" in n for n in report.notes)
    # a table with nothing to say is left out, and the notes say which
    assert "Remedies" in report.omitted
    assert all(t.id != "remedies" for t in report.tables)
    assert report.tables[0].id == "key_figures"


def test_the_complaint_handling_code_figures(calendar: WorkingCalendar, policy: Policy) -> None:
    add = calendar.add_working_days
    day = date(2026, 5, 5)
    facts = ReportFacts(
        stages=[
            # acknowledged in 3, answered 8 working days after: within the Code
            stage(
                1,
                day,
                due=add(day, 13),
                acknowledged=add(day, 3),
                responded=add(add(day, 3), 8),
                status="responded",
            ),
            # acknowledged in 7, answered 12 after, extended by more than the Code's 10
            stage(
                2,
                day,
                due=add(day, 30),
                acknowledged=add(day, 7),
                extended_to=30,
                responded=add(add(day, 7), 22),
                status="responded",
            ),
            # received before the Code applied: not counted
            stage(
                3,
                date(2026, 3, 2),
                due=add(date(2026, 3, 2), 10),
                acknowledged=date(2026, 3, 20),
                responded=date(2026, 3, 25),
                status="responded",
            ),
        ],
        cases=cases(1, 2, 3),
    )
    report = build_report(
        facts, year=2026, as_at=date(2026, 11, 30), policy=policy, calendar=calendar
    )
    t = report.table("complaint_handling_code")
    assert on_time(t.cell("acknowledged", "figure")) == "50% (1/2)"
    assert on_time(t.cell("stage1", "figure")) == "50% (1/2)"
    assert on_time(t.cell("extended1", "figure")) == "100% (1/1)"
    # no Stage 2 in the year: nothing to say
    assert t.cell("stage2", "figure")["total"] == 0
