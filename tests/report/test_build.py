"""Every table of the report, cell by cell, on the hand-built scenario and edge cases."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.policy import Policy
from complaints_tui.domain.report import (
    CaseFact,
    ReceivedCount,
    Report,
    ReportFacts,
    StageFact,
    Table,
    build_report,
    column_key,
    month_keys,
    quarter_of,
)
from complaints_tui.report.layout import blocks, change

from . import scenario

TABLE_IDS = [
    "received_by_year",
    "received_by_quarter",
    "received_by_month",
    "on_time_by_quarter",
    "on_time_by_division",
    "timeliness_bands",
    "timescale_bands",
    "complaint_handling_code",
    "outcomes_by_stage",
    "escalation",
    "panels",
    "by_service",
    "later_stages_by_service",
    "complainant_types",
    "advocacy",
    "by_child_status",
    "channels",
    "themes",
    "themes_upheld",
    "remedies",
    "lgsco_decisions",
    "compliments_by_service",
    "duty_by_category",
    "duty_by_service",
    "carried_forward",
    "reopened_and_repeat",
    "learning_actions",
    "learning_list",
]


def grid(table: Table) -> dict[str, dict[str, Any]]:
    return {row.key: dict(row.cells) for row in table.rows}


def columns(table: Table) -> list[str]:
    return [c.key for c in table.columns]


def ot(on_time: int, total: int, pending: int = 0, closed: int = 0) -> dict[str, int]:
    return {"on_time": on_time, "total": total, "pending": pending, "closed": closed}


ZERO = ot(0, 0)


def test_every_table_in_order(report: Report) -> None:
    assert [t.id for t in report.tables] == TABLE_IDS
    assert report.period_start == date(2023, 4, 1)
    assert report.period_end == date(2024, 3, 31)
    assert report.period_label == "2023-24"
    assert any("belongs to the year in which it was received" in n for n in report.notes)
    assert any("not yet due" in n and "pending" in n for n in report.notes)


def test_received_by_year(report: Report) -> None:
    t = report.table("received_by_year")
    keys = ["statutory_1", "statutory_2", "corporate_1", "lgsco", "mp", "councillor"]
    assert columns(t) == [*keys, "compliment", "duty", "total"]
    # without a history the earlier year is counted from the stages given: the two
    # received before April 2023 (one carried forward, one still open)
    assert grid(t) == {
        "2022-23": {
            **dict.fromkeys(keys, 0),
            "statutory_1": 1,
            "corporate_1": 1,
            "compliment": 0,
            "duty": 0,
            "total": 2,
        },
        "2023-24": {
            "statutory_1": 2,
            "statutory_2": 1,
            "corporate_1": 4,
            "lgsco": 1,
            "mp": 1,
            "councillor": 1,
            "compliment": 1,
            "duty": 2,
            "total": 13,
        },
    }


def test_received_by_year_from_history(calendar: WorkingCalendar, policy: Policy) -> None:
    facts = scenario.facts(calendar)
    history = [
        ReceivedCount("corporate", 1, date(2021, 6, 1), 3),
        ReceivedCount("foi", 1, date(2022, 3, 31), 1),  # 31 March: still 2021-22
        ReceivedCount("statutory", 1, date(2022, 4, 1), 5),
        ReceivedCount("statutory", 1, date(2020, 4, 1), 9),
        ReceivedCount("statutory", 1, date(2016, 4, 1), 9),  # too early to show
    ]
    facts = replace(facts, history=history)
    built = build_report(facts, year=2023, as_at=scenario.AS_AT, policy=policy, calendar=calendar)
    t = built.table("received_by_year")
    # as many earlier years as the data holds, up to six
    assert [r.key for r in t.rows] == ["2020-21", "2021-22", "2022-23", "2023-24"]
    assert t.cell("2020-21", "statutory_1") == 9
    assert "foi" in columns(t)
    assert t.cell("2021-22", "corporate_1") == 3
    assert t.cell("2021-22", "foi") == 1
    assert t.cell("2021-22", "total") == 4
    assert t.cell("2022-23", "statutory_1") == 5
    assert t.cell("2022-23", "total") == 5
    assert t.cell("2023-24", "total") == 13


def test_a_partial_first_year_is_left_out(calendar: WorkingCalendar, policy: Policy) -> None:
    # the register starts in November 2021: 2021-22 is five months, not a year
    history = [
        ReceivedCount("corporate", 1, date(2021, 11, 15), 40),
        ReceivedCount("corporate", 1, date(2022, 6, 1), 100),
    ]
    facts = replace(scenario.facts(calendar), history=history)
    built = build_report(facts, year=2023, as_at=scenario.AS_AT, policy=policy, calendar=calendar)
    t = built.table("received_by_year")
    assert [r.key for r in t.rows] == ["2022-23", "2023-24"]


def test_a_year_in_progress_is_compared_with_the_same_months(
    calendar: WorkingCalendar, policy: Policy
) -> None:
    history = [
        ReceivedCount("corporate", 1, date(2022, 4, 1), 10),
        ReceivedCount("corporate", 1, date(2023, 2, 1), 30),  # after the same date
    ]
    facts = replace(scenario.facts(calendar), history=history)
    built = build_report(
        facts, year=2023, as_at=date(2023, 9, 30), policy=policy, calendar=calendar
    )
    t = built.table("received_by_year")
    assert [r.key for r in t.rows] == ["2022-23", "previous_to_date", "2023-24"]
    assert t.row("previous_to_date").label == "2022-23 to 30 Sep"
    assert t.cell("previous_to_date", "corporate_1") == 10
    assert t.cell("2022-23", "corporate_1") == 40
    (block,) = blocks(t)
    # the % change is on the same months, not the whole year before
    total = {r[0]: r for r in block.rows}["Corporate 1"]
    assert total[-1] == change(t.cell("2023-24", "corporate_1"), 10)


def test_received_by_quarter(report: Report) -> None:
    t = report.table("received_by_quarter")
    assert columns(t) == [
        "statutory_1",
        "statutory_2",
        "corporate_1",
        "lgsco",
        "mp",
        "councillor",
        "compliment",
        "duty",
        "total",
    ]
    z = dict.fromkeys(columns(t), 0)
    assert grid(t) == {
        "Q1": {**z, "statutory_1": 1, "statutory_2": 1, "corporate_1": 1, "mp": 1, "total": 4},
        "Q2": {**z, "statutory_1": 1, "councillor": 1, "compliment": 1, "duty": 1, "total": 4},
        "Q3": {**z, "corporate_1": 2, "lgsco": 1, "total": 3},
        # received on Sunday 31 March: the last day of Q4 of this year, not the next
        "Q4": {**z, "corporate_1": 1, "duty": 1, "total": 2},
        "total": {
            "statutory_1": 2,
            "statutory_2": 1,
            "corporate_1": 4,
            "lgsco": 1,
            "mp": 1,
            "councillor": 1,
            "compliment": 1,
            "duty": 2,
            "total": 13,
        },
    }


def test_received_by_month(report: Report) -> None:
    t = report.table("received_by_month")
    assert [r.key for r in t.rows] == [*month_keys(2023), "total"]
    assert [r.key for r in t.rows][:2] == ["2023-04", "2023-05"]
    assert [r.key for r in t.rows][-2] == "2024-03"
    z = dict.fromkeys(columns(t), 0)
    assert grid(t) == {
        "2023-04": {**z, "statutory_1": 1, "total": 1},
        "2023-05": {**z, "statutory_2": 1, "corporate_1": 1, "total": 2},
        "2023-06": {**z, "mp": 1, "total": 1},
        "2023-07": {**z, "statutory_1": 1, "total": 1},
        "2023-08": {**z, "compliment": 1, "total": 1},
        "2023-09": {**z, "councillor": 1, "duty": 1, "total": 2},
        "2023-10": {**z, "corporate_1": 1, "total": 1},
        "2023-11": {**z, "corporate_1": 1, "total": 1},
        "2023-12": {**z, "lgsco": 1, "total": 1},
        "2024-01": {**z, "duty": 1, "total": 1},
        "2024-02": z,
        "2024-03": {**z, "corporate_1": 1, "total": 1},
        "total": report.table("received_by_quarter").row("total").cells,
    }


def test_on_time_by_quarter(report: Report) -> None:
    t = report.table("on_time_by_quarter")
    # compliments and duty contacts have no response timescale
    assert columns(t) == [
        "statutory_1",
        "statutory_2",
        "corporate_1",
        "lgsco",
        "mp",
        "councillor",
        "total",
    ]
    z = dict.fromkeys(columns(t), ZERO)
    assert grid(t) == {
        # 11 answered on its due date; 12 inside its extension; 121 late; the MP enquiry
        # open and past due
        "Q1": {
            **z,
            "statutory_1": ot(1, 1),
            "statutory_2": ot(1, 1),
            "corporate_1": ot(0, 1),
            "mp": ot(0, 1),
            "total": ot(2, 4),
        },
        # 31 on time thanks to its clock stop; the councillor's enquiry late
        "Q2": {**z, "statutory_1": ot(1, 1), "councillor": ot(0, 1), "total": ot(1, 2)},
        # 41 late; 111 withdrawn before its (recomputed) due date: closed without a
        # response, never on time; the Ombudsman answered before its own deadline
        "Q3": {**z, "corporate_1": ot(0, 2, 0, 1), "lgsco": ot(1, 1), "total": ot(1, 3, 0, 1)},
        # received 31 March, due 15 April, open on 10 April: pending
        "Q4": {**z, "corporate_1": ot(0, 1, 1), "total": ot(0, 1, 1)},
        "total": {
            "statutory_1": ot(2, 2),
            "statutory_2": ot(1, 1),
            "corporate_1": ot(0, 4, 1, 1),
            "lgsco": ot(1, 1),
            "mp": ot(0, 1),
            "councillor": ot(0, 1),
            "total": ot(4, 10, 1, 1),
        },
    }


def test_pending_becomes_late_after_due(calendar: WorkingCalendar, policy: Policy) -> None:
    later = build_report(
        scenario.facts(calendar),
        year=2023,
        as_at=date(2024, 4, 16),
        policy=policy,
        calendar=calendar,
    )
    assert later.table("on_time_by_quarter").cell("Q4", "corporate_1") == ot(0, 1, 0)
    on_due_day = build_report(
        scenario.facts(calendar),
        year=2023,
        as_at=date(2024, 4, 15),
        policy=policy,
        calendar=calendar,
    )
    assert on_due_day.table("on_time_by_quarter").cell("Q4", "corporate_1") == ot(0, 1, 1)


def test_on_time_by_division(report: Report) -> None:
    t = report.table("on_time_by_division")
    z = dict.fromkeys(columns(t), ZERO)
    assert [r.key for r in t.rows] == ["North", "South", "not_recorded", "total"]
    assert t.row("not_recorded").label == "Not recorded"
    assert grid(t) == {
        "North": {
            **z,
            "statutory_1": ot(2, 2),
            "statutory_2": ot(1, 1),
            "lgsco": ot(1, 1),
            "councillor": ot(0, 1),
            "total": ot(4, 5),
        },
        "South": {**z, "corporate_1": ot(0, 4, 1, 1), "total": ot(0, 4, 1, 1)},
        "not_recorded": {**z, "mp": ot(0, 1), "total": ot(0, 1)},
        "total": report.table("on_time_by_quarter").row("total").cells,
    }


def test_timeliness_bands(report: Report) -> None:
    t = report.table("timeliness_bands")
    assert columns(t) == [
        "within_10",
        "within_20",
        "within_40",
        "after_40",
        "closed",
        "open",
        "total",
        "average_days",
        "extended",
        "within_extended",
    ]

    def row(**kw: Any) -> dict[str, Any]:
        base: dict[str, Any] = dict.fromkeys(columns(t), 0)
        base["average_days"] = None
        return {**base, **kw}

    assert grid(t) == {
        # 10 working days (Good Friday and Easter Monday skipped) and 9 (the clock stop
        # takes five days off fourteen)
        "statutory_1": row(within_10=2, total=2, average_days=9.5),
        "statutory_2": row(within_40=1, total=1, average_days=30.0, extended=1, within_extended=1),
        "corporate_1": row(within_40=1, after_40=1, closed=1, open=1, total=4, average_days=40.0),
        # 25 working days over Christmas and New Year
        "lgsco": row(within_40=1, total=1, average_days=25.0),
        "mp": row(open=1, total=1),
        "councillor": row(within_20=1, total=1, average_days=15.0),
        "total": row(
            within_10=2,
            within_20=1,
            within_40=3,
            after_40=1,
            closed=1,
            open=2,
            total=10,
            average_days=24.1,
            extended=1,
            within_extended=1,
        ),
    }


def test_outcomes_by_stage(report: Report) -> None:
    t = report.table("outcomes_by_stage")
    assert columns(t) == ["statutory_1", "statutory_2", "corporate_1", "lgsco", "total"]
    z = dict.fromkeys(columns(t), 0)
    assert grid(t) == {
        "upheld": {**z, "statutory_1": 1, "total": 1},
        "partially_upheld": {**z, "statutory_2": 1, "corporate_1": 1, "total": 2},
        "not_upheld": {**z, "statutory_1": 1, "corporate_1": 1, "total": 2},
        "withdrawn": {**z, "corporate_1": 1, "total": 1},
        # the Ombudsman's decisions are not the council's outcomes: not in its total
        "fault_injustice": {**z, "lgsco": 1, "total": 0},
        "total": {"statutory_1": 2, "statutory_2": 1, "corporate_1": 3, "lgsco": 1, "total": 6},
        "open": {**z, "corporate_1": 1, "total": 1},
    }
    assert t.row("fault_injustice").label == "Fault causing injustice"


def test_escalation(report: Report) -> None:
    t = report.table("escalation")
    assert grid(t) == {
        # both Stage 1s went on: one in the year, one after it but before the as-at date
        "statutory_2": {
            "previous": 2,
            "progressed": 2,
            "accepted": 1,
            "refused": 0,
            "withdrawn": 0,
            "requests": 1,
        },
        "statutory_3": {
            "previous": 1,
            "progressed": 0,
            "accepted": 0,
            "refused": 0,
            "withdrawn": 0,
            "requests": 0,
        },
        # the refused request is a request, but nobody went on to Stage 2
        "corporate_2": {
            "previous": 4,
            "progressed": 0,
            "accepted": 0,
            "refused": 1,
            "withdrawn": 0,
            "requests": 1,
        },
    }


def test_by_service(report: Report) -> None:
    t = report.table("by_service")
    assert [(r.key, r.kind, r.group) for r in t.rows] == [
        ("division:North", "subtotal", None),
        ("Fostering", "detail", "division:North"),
        ("division:South", "subtotal", None),
        ("Adoption", "detail", "division:South"),
        ("SEND", "detail", "division:South"),
        ("total", "total", None),
    ]
    assert grid(t) == {
        "division:North": {"statutory_1": 2, "corporate_1": 0, "total": 2, "upheld": 1},
        "Fostering": {"statutory_1": 2, "corporate_1": 0, "total": 2, "upheld": 1},
        "division:South": {"statutory_1": 0, "corporate_1": 4, "total": 4, "upheld": 1},
        "Adoption": {"statutory_1": 0, "corporate_1": 1, "total": 1, "upheld": 1},
        "SEND": {"statutory_1": 0, "corporate_1": 3, "total": 3, "upheld": 0},
        "total": {"statutory_1": 2, "corporate_1": 4, "total": 6, "upheld": 2},
    }


COMPLAINT_COLS = ["statutory_1", "statutory_2", "corporate_1", "lgsco", "total"]
ALL_COMPLAINTS = {"statutory_1": 2, "statutory_2": 1, "corporate_1": 4, "lgsco": 1, "total": 7}


def test_complainant_types(report: Report) -> None:
    t = report.table("complainant_types")
    assert columns(t) == COMPLAINT_COLS
    z = dict.fromkeys(COMPLAINT_COLS, 0)
    assert grid(t) == {
        # case 1 is at Stages 1 and 2: twice in the columns, once in the total
        "parent": {"statutory_1": 1, "statutory_2": 1, "corporate_1": 1, "lgsco": 1, "total": 3},
        "young_person": {**z, "corporate_1": 1, "total": 1},
        "family": {**z, "corporate_1": 1, "total": 1},
        "foster_carer": {**z, "statutory_1": 1, "total": 1},
        "other": {**z, "corporate_1": 1, "total": 1},
        "total": ALL_COMPLAINTS,
    }


def test_advocacy(report: Report) -> None:
    t = report.table("advocacy")
    z = dict.fromkeys(COMPLAINT_COLS, 0)
    assert grid(t) == {
        "with_advocate": {**z, "corporate_1": 1, "total": 1},
        "advocate:nyas": {**z, "corporate_1": 1, "total": 1},
        "without_advocate": {
            "statutory_1": 2,
            "statutory_2": 1,
            "corporate_1": 3,
            "lgsco": 1,
            "total": 6,
        },
        "young_person_with": {**z, "corporate_1": 1, "total": 1},
        "young_person_without": z,
        "total": ALL_COMPLAINTS,
    }
    assert t.row("advocate:nyas").label == "NYAS"


def test_channels(report: Report) -> None:
    t = report.table("channels")
    z = dict.fromkeys(COMPLAINT_COLS, 0)
    assert grid(t) == {
        "email": {"statutory_1": 1, "statutory_2": 1, "corporate_1": 1, "lgsco": 1, "total": 3},
        "web": {**z, "corporate_1": 2, "total": 2},
        "telephone": {**z, "corporate_1": 1, "total": 1},
        "letter": {**z, "statutory_1": 1, "total": 1},
        "total": ALL_COMPLAINTS,
    }


def test_themes(report: Report) -> None:
    t = report.table("themes")
    z = dict.fromkeys(COMPLAINT_COLS, 0)
    assert grid(t) == {
        "communication": {**z, "statutory_1": 1, "statutory_2": 1, "lgsco": 1, "total": 2},
        "delay": {**z, "statutory_1": 1, "statutory_2": 1, "corporate_1": 1, "total": 2},
        "staff attitude": {**z, "statutory_1": 1, "total": 1},
        "total": ALL_COMPLAINTS,
    }
    # 'Delay' and 'delay ' are one theme, shown as typed
    assert t.row("delay").label == "Delay"


def test_themes_upheld(report: Report) -> None:
    t = report.table("themes_upheld")
    assert grid(t) == {
        "communication": {"statutory_1": 1, "statutory_2": 1, "corporate_1": 0, "total": 1},
        "delay": {"statutory_1": 1, "statutory_2": 1, "corporate_1": 0, "total": 1},
        "total": {"statutory_1": 1, "statutory_2": 1, "corporate_1": 1, "total": 2},
    }


def test_remedies(report: Report) -> None:
    t = report.table("remedies")
    assert columns(t) == ["statutory_1", "corporate_1", "lgsco", "total", "amount"]
    assert grid(t) == {
        "apology": {"statutory_1": 1, "corporate_1": 1, "lgsco": 0, "total": 2, "amount": None},
        "payment": {"statutory_1": 1, "corporate_1": 0, "lgsco": 1, "total": 2, "amount": 750.0},
        "total": {"statutory_1": 1, "corporate_1": 1, "lgsco": 1, "total": 3, "amount": 750.0},
    }


def test_lgsco_decisions(report: Report) -> None:
    assert grid(report.table("lgsco_decisions")) == {
        "fault_injustice": {"count": 1, "payments": 500.0},
        "total": {"count": 1, "payments": 500.0},
    }


def test_compliments_and_duty(report: Report) -> None:
    assert grid(report.table("compliments_by_service")) == {
        "Adoption": {"count": 1},
        "total": {"count": 1},
    }
    assert grid(report.table("duty_by_category")) == {
        "refused_legal_proceedings": {"count": 1},
        "untriaged": {"count": 1},
        "total": {"count": 2},
    }
    assert grid(report.table("duty_by_service")) == {
        "SEND": {"refused_legal_proceedings": 1, "untriaged": 0, "total": 1},
        "not_recorded": {"refused_legal_proceedings": 0, "untriaged": 1, "total": 1},
        "total": {"refused_legal_proceedings": 1, "untriaged": 1, "total": 2},
    }


def test_carried_forward(report: Report) -> None:
    old = ("open_at_start", "closed_in_year", "open_at_end")
    got = grid(report.table("carried_forward"))
    assert {
        k: {c: v[c] for c in old} for k, v in got.items() if v["open_at_start"] or v["open_at_end"]
    } == {
        # received in December 2022, still open
        "statutory_1": {"open_at_start": 1, "closed_in_year": 0, "open_at_end": 1},
        # received 20 March 2023, answered 20 April; and the 31 March one, open
        "corporate_1": {"open_at_start": 1, "closed_in_year": 1, "open_at_end": 1},
        "mp": {"open_at_start": 0, "closed_in_year": 0, "open_at_end": 1},
        "duty": {"open_at_start": 0, "closed_in_year": 0, "open_at_end": 1},
        "total": {"open_at_start": 2, "closed_in_year": 1, "open_at_end": 4},
    }
    # the caseload worked on: carried in plus received (seed 002's executive summary)
    assert got["corporate_1"]["received_in_year"] == 4
    assert got["corporate_1"]["worked_on"] == 5
    assert got["statutory_1"]["worked_on"] == 1 + 2
    # compliments and duty contacts are not a caseload
    assert got["duty"]["received_in_year"] == 0


def test_reopened_and_repeat(report: Report) -> None:
    assert grid(report.table("reopened_and_repeat")) == {
        "reopened": {"statutory_1": 1, "corporate_1": 0, "total": 1},
        "reopened_more_than_once": {"statutory_1": 0, "corporate_1": 0, "total": 0},
        "repeat_complainant": {"statutory_1": 1, "corporate_1": 0, "total": 1},
        "total": {"statutory_1": 2, "corporate_1": 4, "total": 6},
    }


def test_learning_actions(report: Report) -> None:
    assert grid(report.table("learning_actions")) == {
        # the one completed after the as-at date counts as open
        "open": {"statutory_1": 1, "statutory_2": 1, "total": 2},
        "done": {"statutory_1": 1, "statutory_2": 0, "total": 1},
        "overdue": {"statutory_1": 1, "statutory_2": 0, "total": 1},
        "total": {"statutory_1": 2, "statutory_2": 1, "total": 3},
    }


def test_a_year_with_no_data(calendar: WorkingCalendar, policy: Policy) -> None:
    report = build_report(
        ReportFacts(), year=2019, as_at=date(2020, 6, 1), policy=policy, calendar=calendar
    )
    assert [t.id for t in report.tables] == TABLE_IDS
    quarter = report.table("received_by_quarter")
    assert grid(quarter) == {k: {"total": 0} for k in ("Q1", "Q2", "Q3", "Q4", "total")}
    assert grid(report.table("received_by_year")) == {"2019-20": {"total": 0}}
    assert grid(report.table("on_time_by_quarter"))["total"] == {"total": ZERO}
    assert grid(report.table("escalation")) == {}
    assert grid(report.table("timeliness_bands"))["total"]["average_days"] is None
    json.dumps(report.to_dict())


def test_a_year_not_yet_over(calendar: WorkingCalendar, policy: Policy) -> None:
    report = build_report(
        scenario.facts(calendar),
        year=2023,
        as_at=date(2023, 9, 30),
        policy=policy,
        calendar=calendar,
    )
    t = report.table("received_by_quarter")
    assert t.cell("Q3", "total") == 0
    assert t.cell("total", "total") == 8
    assert any("not over" in n for n in report.notes)
    # as at 30 September the December Ombudsman enquiry does not exist yet
    assert "lgsco" not in columns(t)


def test_suspended_at_the_as_at_date_is_pending(calendar: WorkingCalendar, policy: Policy) -> None:
    from complaints_tui.domain.report import SuspensionFact

    facts = ReportFacts(
        stages=[StageFact(1, 1, "statutory", 1, date(2023, 5, 1), date(2023, 5, 1), None, 10)],
        cases=[CaseFact(1, "statutory")],
        suspensions=[SuspensionFact(1, date(2023, 5, 3), None)],
    )
    report = build_report(
        facts, year=2023, as_at=date(2023, 8, 1), policy=policy, calendar=calendar
    )
    assert report.table("on_time_by_quarter").cell("Q1", "statutory_1") == ot(0, 1, 1)
    # the same stage once its clock restarted, stored due date and all, judged as it stood
    facts = ReportFacts(
        stages=[
            StageFact(
                1, 1, "statutory", 1, date(2023, 5, 1), date(2023, 5, 1), date(2023, 7, 31), 10
            )
        ],
        cases=[CaseFact(1, "statutory")],
        suspensions=[SuspensionFact(1, date(2023, 5, 3), date(2023, 7, 14))],
    )
    before = build_report(
        facts, year=2023, as_at=date(2023, 6, 1), policy=policy, calendar=calendar
    )
    assert before.table("on_time_by_quarter").cell("Q1", "statutory_1") == ot(0, 1, 1)


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2023, 4, 1), "Q1"),
        (date(2023, 6, 30), "Q1"),
        (date(2023, 7, 1), "Q2"),
        (date(2023, 12, 31), "Q3"),
        (date(2024, 1, 1), "Q4"),
        (date(2024, 3, 31), "Q4"),
    ],
)
def test_quarters(day: date, quarter: str) -> None:
    assert quarter_of(day) == quarter


def test_column_keys() -> None:
    assert column_key("statutory", 2) == "statutory_2"
    assert column_key("lgsco", 3) == "lgsco"
    assert column_key("chief_executive", 1) == "chief_executive"


def test_to_dict_is_plain_json(report: Report) -> None:
    data = json.loads(json.dumps(report.to_dict()))
    assert data["period"] == {"label": "2023-24", "start": "2023-04-01", "end": "2024-03-31"}
    assert data["as_at"] == "2024-04-10"
    table = next(t for t in data["tables"] if t["id"] == "on_time_by_quarter")
    assert table["columns"][0] == {"key": "statutory_1", "label": "Statutory 1", "kind": "ontime"}
    q4 = next(r for r in table["rows"] if r["key"] == "Q4")
    assert q4["cells"]["corporate_1"] == {"on_time": 0, "total": 1, "pending": 1, "closed": 0}


def test_report_computation_is_pure() -> None:
    """The domain layer imports no database, terminal or UI library."""
    import subprocess
    import sys

    code = (
        "import sys, complaints_tui.domain.report\n"
        "bad = [m for m in ('sqlalchemy', 'sqlmodel', 'rich', 'textual') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
