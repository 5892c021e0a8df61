"""Deadlines of every procedure and stage under the default policy, counted by hand.

"(n)" in a comment marks working day n after the clock start; bank holidays are England's.
"""

from __future__ import annotations

from datetime import date

import pytest

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.clocks import (
    ClockInput,
    acknowledgement_due,
    escalation_window_closes,
    is_late_matter,
    on_time,
    stage_deadline,
    stage_status,
    working_days_left,
    working_days_taken,
)
from complaints_tui.domain.policy import Policy, StatutoryPolicy

D = date
POLICY = Policy()


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


# -- stage_deadline: every procedure and stage ------------------------------------------------

DEADLINE_CASES = [
    # Mon 3 Apr 2023: 4-6 (1-3), Good Friday 7 and Easter Monday 10 off, 11-14 (4-7),
    # 17-19 (8-10)
    pytest.param("statutory", 1, D(2023, 4, 3), 10, D(2023, 4, 19), id="statutory-1"),
    # Tue 20 Dec 2022: 21-23 (1-3), 24-27 Dec off, 28-30 (4-6), 31 Dec-2 Jan off,
    # 3-6 Jan (7-10), 9-13 (11-15), 16-20 (16-20), 23-27 (21-25)
    pytest.param("statutory", 2, D(2022, 12, 20), 25, D(2023, 1, 27), id="statutory-2"),
    # request Mon 6 Mar 2023; 30 + 5 + 15 = 50 working days:
    # 7-10 Mar (1-4), 13-17 (5-9), 20-24 (10-14), 27-31 (15-19), 3-6 Apr (20-23),
    # 7/10 Apr Easter, 11-14 (24-27), 17-19 (28-30: panel by Wed 19 Apr), 20-21 (31-32),
    # 24-28 (33-37), Mon 1 May off, 2-5 (38-41), Mon 8 May Coronation off, 9-12 (42-45),
    # 15-19 May (46-50)
    pytest.param("statutory", 3, D(2023, 3, 6), 50, D(2023, 5, 19), id="statutory-3-from-request"),
    # Fri 16 Sep 2022: Mon 19 (the Queen's funeral) off, 20-23 (1-4), 26-30 (5-9),
    # Mon 3 Oct (10)
    pytest.param("corporate", 1, D(2022, 9, 16), 10, D(2022, 10, 3), id="corporate-1"),
    # Wed 1 Jun 2022: Thu 2, Fri 3 (Jubilee) off, 6-10 (1-5), 13-17 (6-10),
    # 20-24 (11-15), 27-30 (16-19), Fri 1 Jul (20)
    pytest.param("corporate", 2, D(2022, 6, 1), 20, D(2022, 7, 1), id="corporate-2"),
    # Fri 19 Aug 2022: 22-26 (1-5), Mon 29 Aug off, 30 Aug-2 Sep (6-9), 5-9 (10-14),
    # 12-16 (15-19), Mon 19 Sep off, 20-23 (20-23), 26-30 (24-28), 3 Oct (29), 4 Oct (30)
    pytest.param("corporate", 3, D(2022, 8, 19), 30, D(2022, 10, 4), id="corporate-3"),
    # Fri 23 Dec 2022: 28-30 Dec (1-3), 2 Jan off, 3-6 Jan (4-7), 9-11 Jan (8-10)
    pytest.param("mp", None, D(2022, 12, 23), 10, D(2023, 1, 11), id="mp"),
    # Thu 6 Apr 2023: Easter 7-10 off, 11-14 (1-4), 17-21 (5-9), Mon 24 (10)
    pytest.param("councillor", None, D(2023, 4, 6), 10, D(2023, 4, 24), id="councillor"),
    # Wed 1 Jun 2022: 2, 3 Jun off, 6-10 (1-5), 13-17 (6-10)
    pytest.param("mayor", None, D(2022, 6, 1), 10, D(2022, 6, 17), id="mayor"),
    # as corporate-1: over the Queen's funeral to Mon 3 Oct 2022
    pytest.param("chief_executive", None, D(2022, 9, 16), 10, D(2022, 10, 3), id="chief_executive"),
    # Sat 21 Nov 2026: 23-27 Nov (1-5), Mon 30 (6), 1-4 Dec (7-10)
    pytest.param(
        "general", None, D(2026, 11, 21), 10, D(2026, 12, 4), id="general-received-saturday"
    ),
    # Sat 21 Nov 2026: ... 4 Dec (10), 7-11 Dec (11-15), 14-18 Dec (16-20)
    pytest.param("foi", None, D(2026, 11, 21), 20, D(2026, 12, 18), id="foi"),
    # Mon 16 Dec 2024: 17-20 (1-4), 23-24 (5-6), 25/26 off, 27 (7), 30-31 (8-9),
    # 1 Jan off, 2-3 Jan (10-11), 6-10 (12-16), 13-16 Jan (17-20)
    pytest.param("lgsco", None, D(2024, 12, 16), 20, D(2025, 1, 16), id="lgsco-default"),
    # Fri 28 Apr 2023: Mon 1 May off, Tue 2 (1), Wed 3 (2)
    pytest.param("duty", None, D(2023, 4, 28), 2, D(2023, 5, 3), id="duty"),
]


@pytest.mark.parametrize(("procedure", "number", "start", "days", "due"), DEADLINE_CASES)
def test_stage_deadline(
    cal: WorkingCalendar, procedure: str, number: int | None, start: date, days: int, due: date
) -> None:
    deadline = stage_deadline(ClockInput(procedure, number, start), POLICY, cal)
    assert deadline.due == due
    assert deadline.timescale == days
    assert deadline.standard == days
    assert deadline.extended is False
    assert deadline.stopped is False
    assert deadline.suspended_days == 0
    assert deadline.explanation[-1] == f"Due {due:%d/%m/%Y} ({due:%A})."


@pytest.mark.parametrize(("procedure", "number", "start", "days", "due"), DEADLINE_CASES)
def test_stage_deadline_without_explanation_gives_the_same_date(
    cal: WorkingCalendar, procedure: str, number: int | None, start: date, days: int, due: date
) -> None:
    assert (
        stage_deadline(ClockInput(procedure, number, start), POLICY, cal, explain=False).due == due
    )


def test_statutory_stage_3_explains_the_panel_date(cal: WorkingCalendar) -> None:
    deadline = stage_deadline(ClockInput("statutory", 3, D(2023, 3, 6)), POLICY, cal)
    # 30 working days after Mon 6 Mar 2023 is Wed 19 Apr (see statutory-3-from-request)
    assert "panel within 30 working days of the request (by 19/04/2023)" in deadline.explanation[0]


@pytest.mark.parametrize(
    ("panel", "report", "due"),
    [
        # panel held Wed 19 Apr 2023: report (5) + response (15) = 20 working days:
        # 20-21 Apr (1-2), 24-28 (3-7), 1 May off, 2-5 (8-11), 8 May off, 9-12 (12-15),
        # 15-19 May (16-20)
        (D(2023, 4, 19), None, D(2023, 5, 19)),
        # panel held early, Fri 14 Apr 2023: 17-21 (1-5), 24-28 (6-10), 2-5 May (11-14),
        # 9-12 (15-18), 15-16 (19-20)
        (D(2023, 4, 14), None, D(2023, 5, 16)),
        # report Mon 24 Apr 2023: response within 15: 25-28 (1-4), 2-5 May (5-8),
        # 9-12 (9-12), 15-17 (13-15)
        (D(2023, 4, 19), D(2023, 4, 24), D(2023, 5, 17)),
    ],
)
def test_statutory_stage_3_after_the_panel(
    cal: WorkingCalendar, panel: date, report: date | None, due: date
) -> None:
    clock = ClockInput("statutory", 3, D(2023, 3, 6), panel_date=panel, panel_report_date=report)
    assert stage_deadline(clock, POLICY, cal).due == due


def test_compliment_has_no_deadline(cal: WorkingCalendar) -> None:
    deadline = stage_deadline(ClockInput("compliment", None, D(2026, 11, 23)), POLICY, cal)
    assert deadline.due is None
    assert deadline.timescale is None
    assert deadline.stopped is False
    assert "no response deadline" in deadline.explanation[0]


def test_lgsco_with_the_ombudsmans_own_deadline(cal: WorkingCalendar) -> None:
    # The Ombudsman asked for a reply by Fri 10 Jan 2025: that date stands, whatever the policy.
    clock = ClockInput("lgsco", None, D(2024, 12, 16), fixed_due=D(2025, 1, 10))
    deadline = stage_deadline(clock, POLICY, cal)
    assert deadline.due == D(2025, 1, 10)
    assert deadline.timescale is None
    assert "Ombudsman" in deadline.explanation[0]
    assert "10/01/2025" in deadline.explanation[0]


@pytest.mark.parametrize(
    ("procedure", "number"), [("statutory", 4), ("statutory", None), ("corporate", 0)]
)
def test_stage_that_does_not_exist_is_refused(
    cal: WorkingCalendar, procedure: str, number: int | None
) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        stage_deadline(ClockInput(procedure, number, D(2026, 11, 23)), POLICY, cal)


# -- extensions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "number", "start", "extended_to", "due"),
    [
        # 10th is Wed 19 Apr (statutory-1); 20-21 (11-12), 24-28 (13-17),
        # Mon 1 May off, 2-4 May (18-20)
        pytest.param("statutory", 1, D(2023, 4, 3), 20, D(2023, 5, 4), id="statutory-1-to-20"),
        # 25th is Fri 27 Jan 2023 (statutory-2); 30-31 Jan (26-27), February's 20
        # weekdays (28-47), 1-3 Mar (48-50), 6-10 (51-55), 13-17 (56-60), 20-24 (61-65)
        pytest.param("statutory", 2, D(2022, 12, 20), 65, D(2023, 3, 24), id="statutory-2-to-65"),
        # 10th is Mon 3 Oct 2022 (corporate-1); 4-7 Oct (11-14), 10-14 (15-19), 17 (20)
        pytest.param("corporate", 1, D(2022, 9, 16), 20, D(2022, 10, 17), id="corporate-1-to-20"),
        # 20th is Fri 1 Jul 2022 (corporate-2); 4-8 Jul (21-25), 11-15 (26-30),
        # 18-22 (31-35), 25-29 (36-40)
        pytest.param("corporate", 2, D(2022, 6, 1), 40, D(2022, 7, 29), id="corporate-2-to-40"),
    ],
)
def test_extension(
    cal: WorkingCalendar,
    procedure: str,
    number: int,
    start: date,
    extended_to: int,
    due: date,
) -> None:
    clock = ClockInput(procedure, number, start, extended_to=extended_to)
    deadline = stage_deadline(clock, POLICY, cal)
    assert deadline.due == due
    assert deadline.extended is True
    assert deadline.timescale == extended_to
    assert deadline.standard == POLICY.timescale(procedure, number).days
    assert any(
        f"extended from {deadline.standard} to {extended_to}" in line
        for line in deadline.explanation
    )


def test_extension_to_the_standard_is_no_extension(cal: WorkingCalendar) -> None:
    clock = ClockInput("statutory", 1, D(2023, 4, 3), extended_to=10)
    deadline = stage_deadline(clock, POLICY, cal)
    assert deadline.extended is False
    assert deadline.due == D(2023, 4, 19)


# -- suspensions ------------------------------------------------------------------------------


def test_closed_suspension_over_easter(cal: WorkingCalendar) -> None:
    # Mon 3 Apr 2023, stopped Thu 6 - Wed 12 Apr: working days 6, 11, 12 lost (7 and 10 are
    # bank holidays). 4 (1) 5 (2), 13 (3) 14 (4), 17-21 (5-9), Mon 24 Apr (10)
    clock = ClockInput(
        "statutory", 1, D(2023, 4, 3), suspensions=((D(2023, 4, 6), D(2023, 4, 12)),)
    )
    deadline = stage_deadline(clock, POLICY, cal)
    assert deadline.due == D(2023, 4, 24)
    assert deadline.suspended_days == 3
    assert deadline.stopped is False
    text = "\n".join(deadline.explanation)
    assert "Clock stopped 06/04/2023 to 12/04/2023." in text
    assert "3 working day(s) inside suspensions do not count." in text
    assert "Skipped 07/04/2023: Good Friday." in text
    assert "Skipped 10/04/2023: Easter Monday." in text
    assert "Clock started 03/04/2023 (Monday)" in text
    assert text.endswith("Due 24/04/2023 (Monday).")


def test_explanation_lists_the_christmas_2022_bank_holidays(cal: WorkingCalendar) -> None:
    # Tue 20 Dec 2022 + 10 = Fri 6 Jan 2023; weekday holidays on the way: 26, 27 Dec, 2 Jan
    deadline = stage_deadline(ClockInput("corporate", 1, D(2022, 12, 20)), POLICY, cal)
    skipped = [line for line in deadline.explanation if line.startswith("Skipped")]
    assert skipped == [
        "Skipped 26/12/2022: Boxing Day.",
        "Skipped 27/12/2022: Christmas Day (observed).",
        "Skipped 02/01/2023: New Year's Day (observed).",
    ]
    assert deadline.explanation[-1] == "Due 06/01/2023 (Friday)."


def test_two_closed_suspensions(cal: WorkingCalendar) -> None:
    # Mon 6 Mar 2023, corporate 1: stops 8-10 Mar and 9-14 Mar overlap -> 8-14 Mar, five
    # working days. 7 (1), 15-17 (2-4), 20-24 (5-9), Mon 27 (10)
    clock = ClockInput(
        "corporate",
        1,
        D(2023, 3, 6),
        suspensions=((D(2023, 3, 8), D(2023, 3, 10)), (D(2023, 3, 9), D(2023, 3, 14))),
    )
    deadline = stage_deadline(clock, POLICY, cal)
    assert deadline.due == D(2023, 3, 27)
    assert deadline.suspended_days == 5


def test_open_suspension_stops_the_clock(cal: WorkingCalendar) -> None:
    clock = ClockInput(
        "statutory",
        1,
        D(2023, 4, 3),
        suspensions=((D(2023, 4, 6), D(2023, 4, 12)), (D(2023, 4, 20), None)),
    )
    deadline = stage_deadline(clock, POLICY, cal)
    assert deadline.due is None
    assert deadline.stopped is True
    assert deadline.stopped_since == D(2023, 4, 20)
    assert deadline.timescale == 10
    assert deadline.suspended_days == 3  # the closed stop, as above
    assert "Clock stopped since 20/04/2023" in deadline.explanation[-1]


def test_resuming_the_clock_gives_a_due_date_again(cal: WorkingCalendar) -> None:
    # The stop from Thu 20 Apr 2023 ended Tue 25 Apr: 20, 21, 24, 25 lost (4 days).
    # Mon 3 Apr: 4 (1) 5 (2) 6 (3), Easter, 11-14 (4-7), 17-19 (8-10) would be Wed 19;
    # the stop begins after that, so the due date is still Wed 19 Apr.
    clock = ClockInput(
        "statutory", 1, D(2023, 4, 3), suspensions=((D(2023, 4, 20), D(2023, 4, 25)),)
    )
    assert stage_deadline(clock, POLICY, cal).due == D(2023, 4, 19)
    # Stopped from Tue 18 to Tue 25 Apr instead: 18, 19, 20, 21, 24, 25 lost.
    # 17 (8), then 26 (9) 27 (10)
    clock = ClockInput(
        "statutory", 1, D(2023, 4, 3), suspensions=((D(2023, 4, 18), D(2023, 4, 25)),)
    )
    assert stage_deadline(clock, POLICY, cal).due == D(2023, 4, 27)


def test_policy_override_changes_the_deadline(cal: WorkingCalendar) -> None:
    # a council whose statutory Stage 1 standard is 20: Mon 3 Apr 2023 -> Thu 4 May
    policy = Policy(statutory=StatutoryPolicy(stage1=20))
    deadline = stage_deadline(ClockInput("statutory", 1, D(2023, 4, 3)), policy, cal)
    assert deadline.due == D(2023, 5, 4)


# -- on time, status, days left ---------------------------------------------------------------

DUE = D(2026, 12, 4)  # a Friday


@pytest.mark.parametrize(
    ("responded", "due", "today", "expected"),
    [
        (D(2026, 12, 4), DUE, D(2026, 12, 10), True),  # responded on the due date
        (D(2026, 12, 1), DUE, D(2026, 12, 10), True),  # early
        (D(2026, 12, 7), DUE, D(2026, 12, 10), False),  # the next Monday: late
        (None, DUE, D(2026, 12, 7), False),  # open and past due
        (None, DUE, D(2026, 12, 5), False),  # open, the Saturday after: already late
        (None, DUE, D(2026, 12, 4), None),  # open, due today: still pending
        (None, DUE, D(2026, 11, 23), None),  # open, not yet due
        (D(2026, 11, 30), None, D(2026, 12, 10), True),  # no deadline (compliment)
        (None, None, D(2026, 12, 10), None),
    ],
)
def test_on_time(
    responded: date | None, due: date | None, today: date, expected: bool | None
) -> None:
    assert on_time(responded, due, today) is expected


@pytest.mark.parametrize(
    ("responded", "closed_on", "decision", "suspended", "expected"),
    [
        (None, None, None, False, "open"),
        (None, None, None, True, "suspended"),
        (D(2026, 11, 20), None, None, False, "responded"),
        (D(2026, 11, 20), D(2026, 11, 23), None, False, "responded"),
        (None, D(2026, 11, 23), None, False, "closed"),
        (None, None, "refused", False, "refused"),
        (None, None, "withdrawn", True, "withdrawn"),
        (None, None, "accepted", False, "open"),
    ],
)
def test_stage_status(
    responded: date | None,
    closed_on: date | None,
    decision: str | None,
    suspended: bool,
    expected: str,
) -> None:
    status = stage_status(
        responded=responded, closed_on=closed_on, decision=decision, suspended=suspended
    )
    assert status == expected


@pytest.mark.parametrize(
    ("today", "due", "left"),
    [
        (D(2026, 12, 4), D(2026, 12, 4), 0),  # due today
        (D(2026, 12, 3), D(2026, 12, 4), 1),
        # Mon 23 Nov 2026 to Fri 4 Dec: 24-27 Nov, 30 Nov, 1-4 Dec
        (D(2026, 11, 23), D(2026, 12, 4), 9),
        # Sat 28 Nov: 30 Nov, 1-4 Dec
        (D(2026, 11, 28), D(2026, 12, 4), 5),
        (D(2026, 12, 7), D(2026, 12, 4), -1),  # the Monday after: one working day late
        (D(2026, 12, 11), D(2026, 12, 4), -5),  # a week late: 7-11 Dec
        # the weekend after a Friday deadline is past it, so already overdue
        (D(2026, 12, 5), D(2026, 12, 4), -1),
        (D(2026, 12, 6), D(2026, 12, 4), -1),
        # due Thu 24 Dec 2026, today Mon 28 (Boxing Day substitute): overdue over Christmas
        (D(2026, 12, 28), D(2026, 12, 24), -1),
        # due Wed 23 Dec 2026, today Tue 29: 24 Dec and 29 Dec (25 and 28 are holidays)
        (D(2026, 12, 29), D(2026, 12, 23), -2),
    ],
)
def test_working_days_left(cal: WorkingCalendar, today: date, due: date, left: int) -> None:
    assert working_days_left(cal, today, due) == left


def test_working_days_taken_leaves_out_suspended_days(cal: WorkingCalendar) -> None:
    # Mon 3 Apr to Mon 24 Apr 2023: 13 working days, less 6, 11, 12 Apr stopped = 10;
    # an open stop has no end and cannot be taken off
    stops = ((D(2023, 4, 6), D(2023, 4, 12)), (D(2023, 4, 26), None))
    assert working_days_taken(cal, D(2023, 4, 3), D(2023, 4, 24), stops) == 10


# -- acknowledgement, escalation window, late matters ---------------------------------------


@pytest.mark.parametrize(
    ("procedure", "received", "due"),
    [
        # Fri 23 Dec 2022: 28 (1) 29 (2) 30 (3)
        ("statutory", D(2022, 12, 23), D(2022, 12, 30)),
        # Sat 21 Nov 2026: 23 (1) 24 (2) 25 (3)
        ("corporate", D(2026, 11, 21), D(2026, 11, 25)),
        # Thu 6 Apr 2023: Easter 7-10, 11 (1) 12 (2) 13 (3)
        ("corporate", D(2023, 4, 6), D(2023, 4, 13)),
        # not complaints: nothing to acknowledge
        ("mp", D(2026, 11, 23), None),
        ("compliment", D(2026, 11, 23), None),
        ("duty", D(2026, 11, 23), None),
    ],
)
def test_acknowledgement_due(
    cal: WorkingCalendar, procedure: str, received: date, due: date | None
) -> None:
    assert acknowledgement_due(procedure, received, POLICY, cal) == due


def test_acknowledgement_follows_the_policy(cal: WorkingCalendar) -> None:
    # 5 working days from Sat 21 Nov 2026: 23-27 Nov
    policy = Policy(acknowledgement=5)
    assert acknowledgement_due("corporate", D(2026, 11, 21), policy, cal) == D(2026, 11, 27)


@pytest.mark.parametrize(
    ("responded", "closes"),
    [
        # Wed 19 Apr 2023: 20-21 (1-2), 24-28 (3-7), 1 May off, 2-5 (8-11), 8 May off,
        # 9-12 (12-15), 15-19 (16-20)
        (D(2023, 4, 19), D(2023, 5, 19)),
        # Fri 16 Dec 2022: 19-23 (1-5), 28-30 (6-8), 3-6 Jan (9-12), 9-13 (13-17),
        # 16-18 Jan (18-20)
        (D(2022, 12, 16), D(2023, 1, 18)),
    ],
)
def test_escalation_window_closes(cal: WorkingCalendar, responded: date, closes: date) -> None:
    assert escalation_window_closes(responded, POLICY, cal) == closes


@pytest.mark.parametrize(
    ("received", "matter", "months", "late"),
    [
        (D(2026, 11, 23), D(2025, 11, 23), 12, False),  # exactly 12 months: in time
        (D(2026, 11, 24), D(2025, 11, 23), 12, True),  # 12 months and a day
        (D(2026, 11, 23), D(2026, 11, 1), 12, False),
        (D(2026, 11, 23), None, 12, False),  # no matter date recorded
        (D(2026, 11, 23), D(2026, 12, 1), 12, False),  # matter after receipt (a typo)
        # 29 Feb 2024 + 12 months has no 29 Feb: the limit is 28 Feb 2025
        (D(2025, 2, 28), D(2024, 2, 29), 12, False),
        (D(2025, 3, 1), D(2024, 2, 29), 12, True),
        # 28 Feb 2023 + 12 months = 28 Feb 2024; 29 Feb 2024 is a day more
        (D(2024, 2, 28), D(2023, 2, 28), 12, False),
        (D(2024, 2, 29), D(2023, 2, 28), 12, True),
        # 48 months from 29 Feb 2024 lands on a real 29 Feb (2028)
        (D(2028, 2, 29), D(2024, 2, 29), 48, False),
        (D(2028, 3, 1), D(2024, 2, 29), 48, True),
        # 1 month from 31 Jan 2026 is clamped to 28 Feb 2026
        (D(2026, 2, 28), D(2026, 1, 31), 1, False),
        (D(2026, 3, 1), D(2026, 1, 31), 1, True),
    ],
)
def test_is_late_matter(received: date, matter: date | None, months: int, late: bool) -> None:
    assert is_late_matter(received, matter, Policy(late_matter_months=months)) is late
