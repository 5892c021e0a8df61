"""The rules in force, counted by hand: statutory Stage 3, policy periods, clock starts at
acknowledgement, hard limits, and closure days that never lengthen statutory clocks."""

from __future__ import annotations

from datetime import date

import pytest

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.clocks import (
    ClockInput,
    acknowledged_late,
    acknowledgement_due,
    due_date,
    entered_late,
    stage_deadline,
)
from complaints_tui.domain.errors import PolicyError
from complaints_tui.domain.policy import DEFAULT_POLICY_FILE, Policy
from complaints_tui.domain.policy_file import load_policy, parse_policy

D = date
CAL = WorkingCalendar()
CODE_FILE = DEFAULT_POLICY_FILE.with_name("complaint_handling_code_2026.toml")
CODE = load_policy(CODE_FILE)


def stage3(**kw: object) -> ClockInput:
    return ClockInput(
        procedure="statutory", number=3, clock_start=D(2025, 12, 11), received=D(2025, 12, 11), **kw
    )  # type: ignore[arg-type]


def test_statutory_stage3_before_the_panel_is_due_request_plus_50_over_christmas() -> None:
    # Request Thu 11 Dec 2025. Panel within 30: 12 (1), 15-19 (6), 22-24 (9), 25/26 Dec
    # holidays, 29-31 (12), 1 Jan holiday, 2 Jan (13), 5-9 (18), 12-16 (23), 19-23 (28),
    # 26 (29), Tue 27 Jan 2026 (30). Response request+50: 28-30 Jan (33), 2-6 Feb (38),
    # 9-13 (43), 16-20 (48), 23 (49), Tue 24 Feb 2026 (50).
    d = stage_deadline(stage3(), Policy(), CAL)
    assert d.panel_due == D(2026, 1, 27)
    assert d.due == D(2026, 2, 24)
    assert "panel within 30 working days of the request (by 27/01/2026)" in " ".join(d.explanation)
    assert due_date(stage3(), Policy(), CAL)[0] == D(2026, 2, 24)


def test_statutory_stage3_after_the_panel_and_after_its_report() -> None:
    # Panel Mon 19 Jan 2026: report by 20-23, 26 -> Mon 26 Jan; response panel+20:
    # 20-23 (4), 26-30 (9), 2-6 Feb (14), 9-13 (19), Mon 16 Feb (20).
    held = stage3(panel_date=D(2026, 1, 19))
    d = stage_deadline(held, Policy(), CAL)
    assert (d.report_due, d.due) == (D(2026, 1, 26), D(2026, 2, 16))
    # Report Thu 22 Jan: +15 -> 23 (1), 26-30 (6), 2-6 Feb (11), Thu 12 Feb (15).
    reported = stage3(panel_date=D(2026, 1, 19), panel_report_date=D(2026, 1, 22))
    assert stage_deadline(reported, Policy(), CAL).due == D(2026, 2, 12)
    assert due_date(reported, Policy(), CAL)[0] == D(2026, 2, 12)


def test_statutory_stage3_runs_from_the_request_whatever_start_was_typed() -> None:
    typed = ClockInput(
        procedure="statutory",
        number=3,
        clock_start=D(2026, 1, 5),
        received=D(2025, 12, 11),
        manual_start=True,
    )
    assert stage_deadline(typed, Policy(), CAL).due == D(2026, 2, 24)
    assert due_date(typed, Policy(), CAL)[0] == D(2026, 2, 24)


def test_the_code_starts_corporate_clocks_at_the_acknowledgement_from_1_april_2026() -> None:
    # Received Tue 31 Mar 2026 (the old year's policy): 10 from receipt, Good Friday 3 Apr
    # and Easter Monday 6 Apr skipped: 1, 2 Apr (2), 7-10 (6), 13-16 -> Thu 16 Apr.
    old = ClockInput("corporate", 1, D(2026, 3, 31), received=D(2026, 3, 31))
    assert stage_deadline(old, CODE, CAL).due == D(2026, 4, 16)
    assert acknowledgement_due("corporate", D(2026, 3, 31), CODE, CAL) == D(2026, 4, 7)
    # Received Wed 1 Apr 2026: acknowledge within 5: 2, 7, 8, 9, Fri 10 Apr. Not yet
    # acknowledged: provisional start 10 Apr, +10 -> 13-17, 20-24: Fri 24 Apr.
    new = ClockInput("corporate", 1, D(2026, 4, 1), received=D(2026, 4, 1))
    assert acknowledgement_due("corporate", D(2026, 4, 1), CODE, CAL) == D(2026, 4, 10)
    d = stage_deadline(new, CODE, CAL)
    assert (d.due, d.provisional) == (D(2026, 4, 24), True)
    assert any("PROVISIONAL" in line for line in d.explanation)
    # Acknowledged Tue 7 Apr: 8-10 (3), 13-17 (8), 20, Tue 21 Apr (10); no longer provisional.
    acked = ClockInput(
        "corporate", 1, D(2026, 4, 1), received=D(2026, 4, 1), acknowledged=D(2026, 4, 7)
    )
    d = stage_deadline(acked, CODE, CAL)
    assert (d.due, d.provisional) == (D(2026, 4, 21), False)
    assert due_date(acked, CODE, CAL)[0] == D(2026, 4, 21)
    # The Code leaves statutory complaints alone: still 10 from receipt: 2 Apr (1),
    # 7-10 (5), 13-17 -> Fri 17 Apr.
    stat = ClockInput("statutory", 1, D(2026, 4, 1), received=D(2026, 4, 1))
    assert stage_deadline(stat, CODE, CAL).due == D(2026, 4, 17)


def test_the_code_file_keeps_old_cases_on_the_old_timescales() -> None:
    assert CODE.in_force(D(2026, 3, 31)).corporate.stage2 == 20
    assert CODE.in_force(D(2026, 3, 31)).clock_basis("corporate", 1) == "received"
    assert CODE.in_force(D(2026, 4, 1)).clock_basis("corporate", 1) == "acknowledged"
    assert CODE.in_force(D(2026, 4, 1)).acknowledgement == 5
    assert CODE.in_force(D(2026, 4, 1)).timescale("corporate", 1).extended == 20


def test_closure_days_lengthen_corporate_clocks_never_statutory_ones() -> None:
    closed = WorkingCalendar([D(2025, 12, 29), D(2025, 12, 30), D(2025, 12, 31)])
    # Corporate, received Mon 22 Dec 2025, closures 29-31 Dec: 23, 24 (2), 2 Jan (3),
    # 5-9 (8), 12, Tue 13 Jan 2026 (10).
    corp = ClockInput("corporate", 1, D(2025, 12, 22), received=D(2025, 12, 22))
    assert stage_deadline(corp, Policy(), closed).due == D(2026, 1, 13)
    # Statutory counts the regulations' working days: 23, 24, 29, 30, 31, 2, 5-8 Jan.
    stat = ClockInput("statutory", 1, D(2025, 12, 22), received=D(2025, 12, 22))
    assert stage_deadline(stat, Policy(), CAL).due == D(2026, 1, 8)


def test_a_policy_longer_than_the_regulations_is_refused_naming_the_key() -> None:
    for key, value in (("stage1", 25), ("stage2_extended", 70), ("stage3_panel", 31)):
        with pytest.raises(PolicyError, match=f"statutory.{key}"):
            parse_policy({"statutory": {key: value}})
    with pytest.raises(PolicyError, match="corporate.stage2 = 70"):
        parse_policy({"corporate": {"stage2": 70, "stage2_extended": 70}})
    with pytest.raises(PolicyError, match="period from 2026-04-01: statutory.stage1"):
        parse_policy({"period": [{"from": "2026-04-01", "statutory": {"stage1": 21}}]})
    assert parse_policy({"statutory": {"stage1": 20}}).statutory.stage1 == 20


def test_policy_clock_starts_and_periods_are_checked() -> None:
    with pytest.raises(PolicyError, match="clock_start.statutory.stage3"):
        parse_policy({"clock_start": {"statutory": {"stage3": "acknowledged"}}})
    with pytest.raises(PolicyError, match="received.*acknowledged"):
        parse_policy({"clock_start": {"corporate": {"stage1": "agreed"}}})
    with pytest.raises(PolicyError, match="needs from"):
        parse_policy({"period": [{"acknowledgement": 5}]})
    with pytest.raises(PolicyError, match="unknown key 'closure_days'"):
        parse_policy({"period": [{"from": "2026-04-01", "closure_days": []}]})
    with pytest.raises(PolicyError, match="must come after"):
        parse_policy({"period": [{"from": "2026-04-01"}, {"from": "2026-01-01"}]})


def test_hard_limits() -> None:
    assert Policy().hard_limit("statutory", 1) == 20
    assert Policy().hard_limit("statutory", 2) == 65
    assert Policy().hard_limit("corporate", 1) == 65


def test_late_acknowledgements_extensions_and_stops() -> None:
    assert acknowledged_late(D(2026, 4, 8), D(2026, 4, 7), D(2026, 4, 20))
    assert not acknowledged_late(D(2026, 4, 7), D(2026, 4, 7), D(2026, 4, 20))
    assert acknowledged_late(None, D(2026, 4, 7), D(2026, 4, 8))
    assert not acknowledged_late(None, D(2026, 4, 7), D(2026, 4, 8), ended=D(2026, 4, 6))
    assert entered_late(D(2026, 11, 23), D(2026, 11, 10), D(2026, 11, 16))
    assert entered_late(D(2026, 11, 12), D(2026, 11, 17), D(2026, 11, 16))
    assert not entered_late(D(2026, 11, 16), D(2026, 11, 16), D(2026, 11, 16))
