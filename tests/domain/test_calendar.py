"""The working-day calendar, checked against dates worked out by hand from a real calendar.

Every expected date below was counted on a printed calendar with England's bank holidays
(gov.uk/bank-holidays) beside it, never by asking the code under test. The comment on each
case is the count: "(1)" marks working day 1, and so on.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import holidays
import pytest

from complaints_tui.domain.calendar import Skipped, WorkingCalendar

D = date


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


# -- adding working days: the awkward dates ---------------------------------------------

ADD_CASES = [
    # Christmas 2022: Sun 25 Dec, Boxing Day Mon 26, Christmas substitute Tue 27,
    # New Year substitute Mon 2 Jan 2023.
    # Fri 23 -> Sat 24, Sun 25 weekend, Mon 26 and Tue 27 bank holidays, Wed 28 (1)
    pytest.param(D(2022, 12, 23), 1, D(2022, 12, 28), id="christmas-2022-day1"),
    # 28 (1) 29 (2) 30 (3), 31 Dec/1 Jan weekend, Mon 2 Jan substitute, 3 (4) 4 (5)
    pytest.param(D(2022, 12, 23), 5, D(2023, 1, 4), id="christmas-2022-new-year-substitute"),
    # 21 (1) 22 (2) 23 (3), 24-27 off, 28-30 (4-6), 31 Dec-2 Jan off, 3-6 Jan (7-10)
    pytest.param(D(2022, 12, 20), 10, D(2023, 1, 6), id="christmas-2022-ten-days"),
    # received on Boxing Day (a bank holiday): Tue 27 is the substitute, Wed 28 (1)
    pytest.param(D(2022, 12, 26), 1, D(2022, 12, 28), id="received-on-boxing-day-2022"),
    # received on Christmas Day, a Sunday: Mon 26, Tue 27 off, Wed 28 (1)
    pytest.param(D(2022, 12, 25), 1, D(2022, 12, 28), id="received-on-christmas-day-2022"),
    # Easter 2023: Good Friday 7 April, Easter Monday 10 April.
    # Thu 6 -> Fri 7 GF, Sat 8, Sun 9, Mon 10 EM, Tue 11 (1)
    pytest.param(D(2023, 4, 6), 1, D(2023, 4, 11), id="easter-2023-day1"),
    # 4 (1) 5 (2) 6 (3), 7-10 off, 11-14 (4-7), 17 (8) 18 (9) 19 (10)
    pytest.param(D(2023, 4, 3), 10, D(2023, 4, 19), id="easter-2023-ten-days"),
    # received on Easter Monday: Tue 11 (1)
    pytest.param(D(2023, 4, 10), 1, D(2023, 4, 11), id="received-on-easter-monday-2023"),
    # Easter 2024: Good Friday 29 March, Easter Monday 1 April.
    # Thu 28 -> Fri 29 GF, Sat 30, Sun 31, Mon 1 Apr EM, Tue 2 (1)
    pytest.param(D(2024, 3, 28), 1, D(2024, 4, 2), id="easter-2024-day1"),
    # 25-28 Mar (1-4), 29 Mar-1 Apr off, 2-5 Apr (5-8), Mon 8 (9) Tue 9 (10)
    pytest.param(D(2024, 3, 22), 10, D(2024, 4, 9), id="easter-2024-ten-days"),
    # received on Good Friday: weekend, Easter Monday, then Tue 2 Apr (1)
    pytest.param(D(2024, 3, 29), 1, D(2024, 4, 2), id="received-on-good-friday-2024"),
    # Platinum Jubilee 2022: the spring holiday moved to Thu 2 June, Jubilee Fri 3 June;
    # Mon 30 May 2022 was therefore an ordinary working day.
    # Wed 1 -> Thu 2, Fri 3 holidays, Sat 4, Sun 5, Mon 6 (1)
    pytest.param(D(2022, 6, 1), 1, D(2022, 6, 6), id="jubilee-2022-day1"),
    # Mon 30 May (1) Tue 31 (2) Wed 1 Jun (3), 2-5 off, Mon 6 (4) Tue 7 (5)
    pytest.param(D(2022, 5, 27), 5, D(2022, 6, 7), id="jubilee-2022-30-may-is-working"),
    # State funeral of Queen Elizabeth II: Mon 19 September 2022.
    # Fri 16 -> weekend, Mon 19 funeral, Tue 20 (1)
    pytest.param(D(2022, 9, 16), 1, D(2022, 9, 20), id="queens-funeral-2022-day1"),
    # 13-16 (1-4), Mon 19 off, 20-23 (5-8), Mon 26 (9) Tue 27 (10)
    pytest.param(D(2022, 9, 12), 10, D(2022, 9, 27), id="queens-funeral-2022-ten-days"),
    # Coronation of King Charles III: Mon 8 May 2023, a week after early May (Mon 1 May).
    # Fri 28 Apr -> Mon 1 May off, 2-5 (1-4), Mon 8 off, Tue 9 (5)
    pytest.param(D(2023, 4, 28), 5, D(2023, 5, 9), id="coronation-and-early-may-2023"),
    # Fri 5 -> weekend, Mon 8 coronation, Tue 9 (1)
    pytest.param(D(2023, 5, 5), 1, D(2023, 5, 9), id="coronation-2023-day1"),
    # Early May and late August holidays.
    # Fri 3 May -> weekend, Mon 6 early May, Tue 7 (1)
    pytest.param(D(2024, 5, 3), 1, D(2024, 5, 7), id="early-may-2024"),
    # 2020's early May holiday moved to Fri 8 May (VE Day): Mon 4 May was working (1)
    pytest.param(D(2020, 5, 1), 1, D(2020, 5, 4), id="early-may-2020-monday-was-working"),
    # Thu 7 -> Fri 8 VE Day holiday, weekend, Mon 11 (1)
    pytest.param(D(2020, 5, 7), 1, D(2020, 5, 11), id="early-may-2020-ve-day"),
    # Fri 23 Aug -> weekend, Mon 26 late August, Tue 27 (1)
    pytest.param(D(2024, 8, 23), 1, D(2024, 8, 27), id="late-august-2024"),
    # Fri 26 Aug -> weekend, Mon 29 late August, 30 (1) 31 (2) Thu 1 Sep (3)
    pytest.param(D(2022, 8, 26), 3, D(2022, 9, 1), id="late-august-2022"),
    # Weekend receipt: the day of receipt never counts; Monday is day 1.
    # Sat 21 Nov 2026 -> Sun 22, Mon 23 (1)
    pytest.param(D(2026, 11, 21), 1, D(2026, 11, 23), id="received-saturday"),
    # Sun 22 Nov 2026 -> Mon 23 (1)
    pytest.param(D(2026, 11, 22), 1, D(2026, 11, 23), id="received-sunday"),
    # Fri 20 Nov 2026: Friday itself not counted, so Mon 23 (1) as for the weekend
    pytest.param(D(2026, 11, 20), 1, D(2026, 11, 23), id="received-friday"),
    # Sat 21 -> 23-27 Nov (1-5), Mon 30 (6), 1-4 Dec (7-10)
    pytest.param(D(2026, 11, 21), 10, D(2026, 12, 4), id="received-saturday-ten-days"),
    # Other years, 2019-2027.
    # Mon 23 -> 24 (1), 25/26 Wed/Thu off, 27 (2), weekend, 30 (3) 31 (4),
    # Wed 1 Jan off, Thu 2 Jan (5)
    pytest.param(D(2019, 12, 23), 5, D(2020, 1, 2), id="christmas-2019"),
    # Thu 24 -> Fri 25, Sat 26, Sun 27, Mon 28 Boxing Day substitute, Tue 29 (1)
    pytest.param(D(2020, 12, 24), 1, D(2020, 12, 29), id="christmas-2020-boxing-day-substitute"),
    # Fri 24 -> 25-28 off (Mon 27, Tue 28 substitutes), 29-31 (1-3), weekend,
    # Mon 3 Jan 2022 New Year substitute, Tue 4 (4)
    pytest.param(D(2021, 12, 24), 4, D(2022, 1, 4), id="christmas-2021-both-substitutes"),
    # Thu 17 -> Fri 18 GF, weekend, Mon 21 EM, Tue 22 (1)
    pytest.param(D(2025, 4, 17), 1, D(2025, 4, 22), id="easter-2025"),
    # Wed 24 -> Thu 25, Fri 26 off, weekend, 29-31 (1-3), Thu 1 Jan off, Fri 2 (4)
    pytest.param(D(2025, 12, 24), 4, D(2026, 1, 2), id="christmas-2025"),
    # Thu 2 -> Fri 3 GF, weekend, Mon 6 EM, Tue 7 (1)
    pytest.param(D(2026, 4, 2), 1, D(2026, 4, 7), id="easter-2026"),
    # Thu 24 -> Fri 25, weekend (Boxing Day Sat 26), Mon 28 substitute, Tue 29 (1)
    pytest.param(D(2026, 12, 24), 1, D(2026, 12, 29), id="christmas-2026"),
    # Thu 25 -> Fri 26 GF, weekend, Mon 29 EM, Tue 30 (1)
    pytest.param(D(2027, 3, 25), 1, D(2027, 3, 30), id="easter-2027"),
    # Fri 24 -> 25-28 off (27, 28 substitutes), 29-31 (1-3), weekend,
    # Mon 3 Jan 2028 New Year substitute, Tue 4 (4) Wed 5 (5)
    pytest.param(D(2027, 12, 24), 5, D(2028, 1, 5), id="christmas-2027-into-2028"),
    # Outside the default build (2000-2040): the calendar must extend itself.
    # Fri 24 -> 25-28 off, 29 (1) 30 (2), Fri 31 Millennium holiday, weekend,
    # Mon 3 Jan 2000 New Year substitute, Tue 4 (3)
    pytest.param(D(1999, 12, 24), 3, D(2000, 1, 4), id="millennium-1999"),
    # Mon 24 -> Tue 25, Wed 26 off, 27 (1) 28 (2), weekend, 31 (3),
    # Tue 1 Jan 2041 off, Wed 2 (4)
    pytest.param(D(2040, 12, 24), 4, D(2041, 1, 2), id="christmas-2040-into-2041"),
]


@pytest.mark.parametrize(("start", "n", "expected"), ADD_CASES)
def test_add_working_days(cal: WorkingCalendar, start: date, n: int, expected: date) -> None:
    assert cal.add_working_days(start, n) == expected


@pytest.mark.parametrize(("start", "n", "expected"), ADD_CASES)
def test_add_working_days_on_a_narrow_calendar(start: date, n: int, expected: date) -> None:
    # Built for 2030 only: every case above lies far outside and must still come out right.
    narrow = WorkingCalendar(first_year=2030, last_year=2030)
    assert narrow.add_working_days(start, n) == expected


@pytest.mark.parametrize(("start", "n", "expected"), ADD_CASES)
def test_working_days_between_inverts_add(
    cal: WorkingCalendar, start: date, n: int, expected: date
) -> None:
    assert cal.working_days_between(start, expected) == n
    assert cal.working_days_between(expected, start) == -n


@pytest.mark.parametrize(
    "start",
    [
        D(2026, 11, 23),  # a Monday
        D(2026, 11, 21),  # a Saturday
        D(2022, 12, 27),  # the Christmas substitute day
    ],
)
def test_zero_days_is_the_start_itself(cal: WorkingCalendar, start: date) -> None:
    assert cal.add_working_days(start, 0) == start


def test_negative_timescale_is_refused(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_days(D(2026, 11, 23), -1)


# -- suspensions ------------------------------------------------------------------------

SUSPENSION_CASES = [
    # Easter 2023 inside the stop. Without it: 19 Apr. Stopped Thu 6-Wed 12: working
    # days inside are 6, 11, 12 (7 and 10 are bank holidays anyway) -> 3 lost.
    # 4 (1) 5 (2), 13 (3) 14 (4), 17-21 (5-9), Mon 24 (10)
    pytest.param(
        D(2023, 4, 3),
        10,
        [(D(2023, 4, 6), D(2023, 4, 12))],
        D(2023, 4, 24),
        id="spanning-easter-2023",
    ),
    # Stopped over Christmas 2022: 20 (1) 21 (2) 22 (3); 23 Dec, 28-30 Dec, 3 Jan are
    # suspended; 4-6 Jan (4-6), 9-12 Jan (7-10)
    pytest.param(
        D(2022, 12, 19),
        10,
        [(D(2022, 12, 23), D(2023, 1, 3))],
        D(2023, 1, 12),
        id="spanning-christmas-2022",
    ),
    # Without stops: 20 Mar. Overlapping stops cover 8-14 Mar: 8, 9, 10, 13, 14 (5 days,
    # not 3 + 4 = 7). 7 (1), 15-17 (2-4), 20-24 (5-9), Mon 27 (10)
    pytest.param(
        D(2023, 3, 6),
        10,
        [(D(2023, 3, 8), D(2023, 3, 10)), (D(2023, 3, 9), D(2023, 3, 14))],
        D(2023, 3, 27),
        id="two-overlapping",
    ),
    # the same two stops given in the other order
    pytest.param(
        D(2023, 3, 6),
        10,
        [(D(2023, 3, 9), D(2023, 3, 14)), (D(2023, 3, 8), D(2023, 3, 10))],
        D(2023, 3, 27),
        id="two-overlapping-unsorted",
    ),
    # one stop nested inside another: still 8-14 Mar, 5 working days
    pytest.param(
        D(2023, 3, 6),
        10,
        [(D(2023, 3, 8), D(2023, 3, 14)), (D(2023, 3, 9), D(2023, 3, 10))],
        D(2023, 3, 27),
        id="nested",
    ),
    # back-to-back stops (Wed-Fri, then Mon-Tue): 5 working days as above
    pytest.param(
        D(2023, 3, 6),
        10,
        [(D(2023, 3, 8), D(2023, 3, 10)), (D(2023, 3, 13), D(2023, 3, 14))],
        D(2023, 3, 27),
        id="adjacent",
    ),
    # 7 (1), 8 stopped, 9 (2) 10 (3), 13-17 (4-8), 20 (9), 21 stopped, Wed 22 (10):
    # the first stop pushes the due date onto the second
    pytest.param(
        D(2023, 3, 6),
        10,
        [(D(2023, 3, 8), D(2023, 3, 8)), (D(2023, 3, 21), D(2023, 3, 21))],
        D(2023, 3, 22),
        id="first-stop-pushes-into-second",
    ),
    # a stop entirely before the clock start does not count: 7-10 (1-4), 13-17 (5-9),
    # Mon 20 (10), as with no stop
    pytest.param(
        D(2023, 3, 6), 10, [(D(2023, 3, 1), D(2023, 3, 3))], D(2023, 3, 20), id="before-clock-start"
    ),
    # straddling the clock start: only Tue 7 is lost (Mon 6 is the start, never counted)
    # 8-10 (1-3), 13-17 (4-8), 20 (9) 21 (10)
    pytest.param(
        D(2023, 3, 6),
        10,
        [(D(2023, 3, 1), D(2023, 3, 7))],
        D(2023, 3, 21),
        id="straddling-clock-start",
    ),
    # stopped on the clock-start day only: that day never counted anyway
    pytest.param(
        D(2023, 3, 6), 10, [(D(2023, 3, 6), D(2023, 3, 6))], D(2023, 3, 20), id="on-clock-start-day"
    ),
    # stopped over a weekend only: no working day lost
    pytest.param(
        D(2023, 3, 6), 10, [(D(2023, 3, 11), D(2023, 3, 12))], D(2023, 3, 20), id="weekend-only"
    ),
    # stopped on what would have been the due date: one day later
    pytest.param(
        D(2023, 3, 6), 10, [(D(2023, 3, 20), D(2023, 3, 20))], D(2023, 3, 21), id="on-the-due-date"
    ),
    # stopped after the due date: no effect on it
    pytest.param(
        D(2023, 3, 6),
        10,
        [(D(2023, 3, 22), D(2023, 3, 24))],
        D(2023, 3, 20),
        id="after-the-due-date",
    ),
]


@pytest.mark.parametrize(("start", "n", "suspensions", "expected"), SUSPENSION_CASES)
def test_add_working_days_with_suspensions(
    cal: WorkingCalendar, start: date, n: int, suspensions: list, expected: date
) -> None:
    assert cal.add_working_days(start, n, suspensions) == expected


def test_open_suspension_cannot_be_counted(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="open"):
        cal.add_working_days(D(2023, 3, 6), 10, [(D(2023, 3, 8), None)])


@pytest.mark.parametrize(
    ("suspensions", "after", "expected"),
    [
        # 6-12 Apr 2023: Thu 6, Tue 11, Wed 12 (Good Friday and Easter Monday are not working)
        ([(D(2023, 4, 6), D(2023, 4, 12))], D(2023, 4, 3), 3),
        # overlapping 8-10 and 9-14 Mar 2023: 8, 9, 10, 13, 14
        ([(D(2023, 3, 8), D(2023, 3, 10)), (D(2023, 3, 9), D(2023, 3, 14))], D(2023, 3, 6), 5),
        # 1-7 Mar 2023 with the clock started Mon 6: only Tue 7 is after the start
        ([(D(2023, 3, 1), D(2023, 3, 7))], D(2023, 3, 6), 1),
        # entirely before the start
        ([(D(2023, 3, 1), D(2023, 3, 3))], D(2023, 3, 6), 0),
    ],
)
def test_suspended_working_days(
    cal: WorkingCalendar, suspensions: list, after: date, expected: int
) -> None:
    assert cal.suspended_working_days(suspensions, after) == expected


# -- working days between -----------------------------------------------------------------

BETWEEN_CASES = [
    pytest.param(D(2026, 11, 23), D(2026, 11, 23), [], 0, id="same-day"),
    # (Sat 21, Mon 23 Nov 2026]: Mon 23 only
    pytest.param(D(2026, 11, 21), D(2026, 11, 23), [], 1, id="saturday-to-monday"),
    # (Fri 20, Sun 22 Nov 2026]: the weekend only
    pytest.param(D(2026, 11, 20), D(2026, 11, 22), [], 0, id="friday-to-sunday"),
    # (Fri 23 Dec 2022, Tue 3 Jan 2023]: 28, 29, 30 Dec and 3 Jan
    pytest.param(D(2022, 12, 23), D(2023, 1, 3), [], 4, id="christmas-2022"),
    # (Wed 1 Jun, Mon 6 Jun 2022]: Thu 2 and Fri 3 are holidays, so Mon 6 only
    pytest.param(D(2022, 6, 1), D(2022, 6, 6), [], 1, id="jubilee-2022"),
    # (Mon 3 Apr, Mon 24 Apr 2023]: 4, 5, 6, 11-14, 17-21, 24 = 13 working days, less
    # 6, 11, 12 inside the stop = 10
    pytest.param(
        D(2023, 4, 3),
        D(2023, 4, 24),
        [(D(2023, 4, 6), D(2023, 4, 12))],
        10,
        id="suspension-over-easter",
    ),
    # (Mon 6, Fri 10 Mar 2023]: 7, 8, 9, 10, less 9 and 10 (the stop runs on to the 14th)
    pytest.param(
        D(2023, 3, 6),
        D(2023, 3, 10),
        [(D(2023, 3, 9), D(2023, 3, 14))],
        2,
        id="suspension-running-past-the-end",
    ),
    # a stop before the start is ignored: (6 Mar, 20 Mar 2023] has 10 working days
    pytest.param(
        D(2023, 3, 6),
        D(2023, 3, 20),
        [(D(2023, 3, 1), D(2023, 3, 3))],
        10,
        id="suspension-before-start",
    ),
    # overlapping stops are counted once: 7-20 Mar 2023 has 10, less 8-14 Mar (5) = 5
    pytest.param(
        D(2023, 3, 6),
        D(2023, 3, 20),
        [(D(2023, 3, 8), D(2023, 3, 10)), (D(2023, 3, 9), D(2023, 3, 14))],
        5,
        id="overlapping-suspensions",
    ),
    # across years: (Fri 24 Dec 2027, Wed 5 Jan 2028] = 29, 30, 31 Dec, 4, 5 Jan
    pytest.param(D(2027, 12, 24), D(2028, 1, 5), [], 5, id="christmas-2027"),
]


@pytest.mark.parametrize(("start", "end", "suspensions", "expected"), BETWEEN_CASES)
def test_working_days_between_forwards(
    cal: WorkingCalendar, start: date, end: date, suspensions: list, expected: int
) -> None:
    assert cal.working_days_between(start, end, suspensions) == expected


@pytest.mark.parametrize(("start", "end", "suspensions", "expected"), BETWEEN_CASES)
def test_working_days_between_backwards(
    cal: WorkingCalendar, start: date, end: date, suspensions: list, expected: int
) -> None:
    # Asked the other way round the answer is the same number of days, negated:
    # suspensions must still be taken off.
    assert cal.working_days_between(end, start, suspensions) == -expected


# -- single days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2022, 12, 23), True),  # Fri before Christmas 2022
        (D(2022, 12, 25), False),  # Christmas Day, a Sunday
        (D(2022, 12, 26), False),  # Boxing Day
        (D(2022, 12, 27), False),  # Christmas Day substitute
        (D(2022, 12, 28), True),
        (D(2023, 1, 2), False),  # New Year's Day substitute
        (D(2023, 1, 3), True),
        (D(2023, 4, 7), False),  # Good Friday 2023
        (D(2023, 4, 10), False),  # Easter Monday 2023
        (D(2024, 3, 29), False),  # Good Friday 2024
        (D(2024, 4, 1), False),  # Easter Monday 2024
        (D(2022, 5, 30), True),  # the usual late-May Monday, moved in 2022
        (D(2022, 6, 2), False),  # spring bank holiday 2022
        (D(2022, 6, 3), False),  # Platinum Jubilee
        (D(2022, 9, 19), False),  # the Queen's funeral
        (D(2023, 5, 1), False),  # early May 2023
        (D(2023, 5, 8), False),  # the Coronation
        (D(2020, 5, 4), True),  # first Monday in May 2020: the holiday moved to VE Day
        (D(2020, 5, 8), False),  # VE Day 75
        (D(2024, 8, 26), False),  # late August 2024
        (D(2026, 8, 31), False),  # late August 2026
        (D(2026, 12, 28), False),  # Boxing Day 2026 substitute (26th is a Saturday)
        (D(2026, 11, 21), False),  # Saturday
        (D(2026, 11, 22), False),  # Sunday
        (D(2026, 11, 23), True),  # Monday
        (D(2027, 12, 28), False),  # Boxing Day 2027 substitute
        (D(1999, 12, 31), False),  # the Millennium holiday, before the default build
        (D(2045, 12, 25), False),  # Christmas 2045, a Monday, after the default build
    ],
)
def test_is_working_day(cal: WorkingCalendar, day: date, working: bool) -> None:
    assert cal.is_working_day(day) is working


def test_is_working_day_far_outside_a_narrow_build() -> None:
    narrow = WorkingCalendar(first_year=2030, last_year=2030)
    assert narrow.is_working_day(D(2019, 12, 25)) is False  # Christmas 2019, a Wednesday
    assert narrow.is_working_day(D(2019, 12, 27)) is True
    assert narrow.is_working_day(D(2050, 12, 26)) is False  # Boxing Day 2050, a Monday


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 11, 21), "Saturday"),
        (D(2026, 11, 22), "Sunday"),
        (D(2022, 12, 27), "Christmas Day (observed)"),
        (D(2022, 9, 19), "State Funeral of Queen Elizabeth II"),
        (D(2023, 5, 8), "Coronation of Charles III"),
        (D(2026, 11, 23), None),
    ],
)
def test_non_working_reason(cal: WorkingCalendar, day: date, reason: str | None) -> None:
    assert cal.non_working_reason(day) == reason


def test_non_working_reason_outside_the_built_range() -> None:
    # Asked first, before anything else extends the calendar: the reason must still be known.
    narrow = WorkingCalendar(first_year=2030, last_year=2030)
    assert narrow.non_working_reason(D(2022, 9, 19)) == "State Funeral of Queen Elizabeth II"


def test_skipped_weekdays_over_christmas_2022(cal: WorkingCalendar) -> None:
    # (Fri 23 Dec 2022, Wed 4 Jan 2023]: weekends are not listed, only weekday holidays.
    assert cal.skipped_weekdays(D(2022, 12, 23), D(2023, 1, 4)) == [
        Skipped(D(2022, 12, 26), "Boxing Day"),
        Skipped(D(2022, 12, 27), "Christmas Day (observed)"),
        Skipped(D(2023, 1, 2), "New Year's Day (observed)"),
    ]


# -- local closure days ---------------------------------------------------------------------

CLOSED_2022 = [D(2022, 12, 28), D(2022, 12, 29), D(2022, 12, 30)]


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Fri 23 Dec 2022: 26, 27 bank holidays, 28-30 closed, weekend, Mon 2 Jan bank
        # holiday, Tue 3 (1)
        (D(2022, 12, 23), 1, D(2023, 1, 3)),
        # ... 3 (1) 4 (2) 5 (3) 6 (4), Mon 9 Jan (5)
        (D(2022, 12, 23), 5, D(2023, 1, 9)),
        # a closure has no effect on a count that ends before it: Mon 19 -> 20, 21, 22 (1-3)
        (D(2022, 12, 19), 3, D(2022, 12, 22)),
    ],
)
def test_closure_days_do_not_count(start: date, n: int, expected: date) -> None:
    closed = WorkingCalendar(CLOSED_2022)
    assert closed.add_working_days(start, n) == expected


def test_closure_days_are_not_working_days_and_say_why() -> None:
    closed = WorkingCalendar({D(2022, 12, 29): "Office closed between Christmas and New Year"})
    assert closed.is_working_day(D(2022, 12, 29)) is False
    assert closed.is_working_day(D(2022, 12, 28)) is True
    assert closed.non_working_reason(D(2022, 12, 29)) == (
        "Office closed between Christmas and New Year"
    )
    # (Fri 23 Dec 2022, Fri 30 Dec]: 28 and 30 count, 29 is closed
    assert closed.working_days_between(D(2022, 12, 23), D(2022, 12, 30)) == 2


def test_closure_days_apply_after_the_calendar_extends_itself() -> None:
    # Built for 2030 only; the closure in 2022 must still be honoured once it is reached.
    closed = WorkingCalendar(CLOSED_2022, first_year=2030, last_year=2030)
    assert closed.add_working_days(D(2022, 12, 23), 1) == D(2023, 1, 3)


# -- property: agreement with a naive day-by-day reference ---------------------------------

REFERENCE_HOLIDAYS = frozenset(
    holidays.country_holidays("GB", subdiv="ENG", years=range(2018, 2031))
)


def naive_add(
    start: date,
    n: int,
    suspensions: list[tuple[date, date]] = (),  # type: ignore[assignment]
) -> date:
    """The counting rule, written the slow obvious way: one day at a time."""
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day.weekday() >= 5 or day in REFERENCE_HOLIDAYS:
            continue
        if any(lo <= day <= hi for lo, hi in suspensions):
            continue
        counted += 1
    return day


def naive_between(start: date, end: date, suspensions: list[tuple[date, date]] = ()) -> int:  # type: ignore[assignment]
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        if (
            day.weekday() < 5
            and day not in REFERENCE_HOLIDAYS
            and not any(lo <= day <= hi for lo, hi in suspensions)
        ):
            count += 1
        day += timedelta(days=1)
    return sign * count


ALL_STARTS = [
    D(2019, 1, 1) + timedelta(days=i) for i in range((D(2027, 12, 31) - D(2019, 1, 1)).days + 1)
]


@pytest.mark.parametrize("n", [2, 3, 5, 10, 20, 25, 65])
def test_agrees_with_naive_count_for_every_start_2019_2027(cal: WorkingCalendar, n: int) -> None:
    wrong = [
        (start, got, want)
        for start in ALL_STARTS
        if (got := cal.add_working_days(start, n)) != (want := naive_add(start, n))
    ]
    assert not wrong, f"{len(wrong)} start dates disagree, first: {wrong[:5]}"


def test_agrees_with_naive_count_when_extending_far_beyond_its_build() -> None:
    # 260 working days is about a year: from a calendar built for 2023 only, every count
    # from 2024-2027 runs past whatever the calendar covered when it was asked.
    narrow = WorkingCalendar(first_year=2023, last_year=2023)
    starts = ALL_STARTS[::11]
    wrong = [
        (start, got, want)
        for start in starts
        if (got := narrow.add_working_days(start, 260)) != (want := naive_add(start, 260))
    ]
    assert not wrong, f"{len(wrong)} start dates disagree, first: {wrong[:5]}"


def test_agrees_with_naive_count_with_random_suspensions(cal: WorkingCalendar) -> None:
    rng = random.Random(20261123)
    wrong = []
    for _ in range(1500):
        start = rng.choice(ALL_STARTS)
        n = rng.choice([1, 2, 3, 5, 10, 20, 25, 65])
        suspensions = []
        for _ in range(rng.randint(0, 3)):
            lo = start + timedelta(days=rng.randint(-15, 60))
            suspensions.append((lo, lo + timedelta(days=rng.randint(0, 20))))
        due = cal.add_working_days(start, n, suspensions)
        if due != naive_add(start, n, suspensions):
            wrong.append(("add", start, n, suspensions, due))
        end = start + timedelta(days=rng.randint(-40, 120))
        got = cal.working_days_between(start, end, suspensions)
        if got != naive_between(start, end, suspensions):
            wrong.append(("between", start, end, suspensions, got))
    assert not wrong, f"{len(wrong)} cases disagree, first: {wrong[:3]}"
