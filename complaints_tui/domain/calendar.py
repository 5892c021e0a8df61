"""Working days: Monday to Friday, less England's bank holidays and local closure days.

The calendar is built once (a sorted list of working-day ordinals) and answered with
``bisect``, so recomputing every open clock of a large database is cheap.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

Suspension = tuple[date, date | None]
"""A clock stop, both ends inclusive; an open end means the clock is still stopped."""


@dataclass(frozen=True)
class Skipped:
    """A weekday that did not count, and why."""

    day: date
    reason: str


BankHolidays = Callable[[int, int], Mapping[date, str]]
"""England's bank holidays, by name, from the first year to the last (both included)."""


def england_bank_holidays(first_year: int, last_year: int) -> dict[date, str]:
    """England's bank holidays as the ``holidays`` package gives them."""
    # subdiv="ENG": without it Easter Monday and the August holiday go missing.
    import holidays  # here, not above: importing it costs a command 0.2-0.4 s

    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return {d: str(n) for d, n in bank.items()}


class WorkingCalendar:
    """England's working days for a range of years, extended on demand. ``bank_holidays``
    gives the bank holidays for a range of years (``england_bank_holidays`` unless a
    caller remembers them)."""

    def __init__(
        self,
        closures: Mapping[date, str] | Iterable[date] = (),
        *,
        first_year: int = 2000,
        last_year: int = 2040,
        bank_holidays: BankHolidays = england_bank_holidays,
    ) -> None:
        if isinstance(closures, Mapping):
            self._closures = dict(closures)
        else:
            self._closures = {day: "Local closure day" for day in closures}
        self._bank_holidays_of = bank_holidays
        self._build(first_year, last_year)

    def _build(self, first_year: int, last_year: int) -> None:
        self._first_year, self._last_year = first_year, last_year
        self._bank_holidays: dict[date, str] = dict(self._bank_holidays_of(first_year, last_year))
        start = date(first_year, 1, 1).toordinal()
        end = date(last_year, 12, 31).toordinal()
        self._days = [
            o
            for o in range(start, end + 1)
            if (o - 1) % 7 < 5  # ordinal 1 (1 Jan 1 AD) was a Monday
            and (d := date.fromordinal(o)) not in self._bank_holidays
            and d not in self._closures
        ]

    def _cover(self, *days: date | None) -> None:
        years = [d.year for d in days if d is not None]
        if not years:
            return
        low, high = min(years) - 1, max(years) + 1
        if low < self._first_year or high > self._last_year:
            self._build(min(low, self._first_year), max(high, self._last_year))

    # -- questions about single days -------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        self._cover(day)
        i = bisect_left(self._days, day.toordinal())
        return i < len(self._days) and self._days[i] == day.toordinal()

    def non_working_reason(self, day: date) -> str | None:
        """Why a day is not a working day ('Saturday', 'Christmas Day', ...), or None."""
        self._cover(day)
        if day.weekday() >= 5:
            return day.strftime("%A")
        if day in self._bank_holidays:
            return self._bank_holidays[day]
        if day in self._closures:
            return self._closures[day]
        return None

    def skipped_weekdays(self, after: date, until: date) -> list[Skipped]:
        """Bank holidays and closure days falling on weekdays in (after, until]."""
        self._cover(after, until)
        out = []
        day = after + timedelta(days=1)
        while day <= until:
            if day.weekday() < 5 and (reason := self.non_working_reason(day)):
                out.append(Skipped(day, reason))
            day += timedelta(days=1)
        return out

    # -- counting ----------------------------------------------------------------------

    def _suspended_ranges(
        self, suspensions: Iterable[Suspension], after_index: int
    ) -> list[tuple[int, int]]:
        """Suspensions as merged, sorted [lo, hi) index ranges into the working days."""
        ranges = []
        for start, end in suspensions:
            if end is None:
                raise ValueError("an open suspension has no end")
            lo = max(bisect_left(self._days, start.toordinal()), after_index)
            hi = bisect_right(self._days, end.toordinal())
            if hi > lo:
                ranges.append((lo, hi))
        ranges.sort()
        merged: list[tuple[int, int]] = []
        for lo, hi in ranges:
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        return merged

    def add_working_days(self, start: date, n: int, suspensions: Iterable[Suspension] = ()) -> date:
        """The n-th working day strictly after ``start``, not counting suspended days.

        The day of receipt is not counted: received on a Saturday, Monday is day 1.
        """
        if n < 0:
            raise ValueError("a timescale cannot be negative")
        suspensions = list(suspensions)
        if suspensions:
            self._cover(start, *(d for s in suspensions for d in s))
        elif not self._first_year < start.year < self._last_year:
            self._cover(start)  # the common case skips building a tuple: it runs 100,000s of times
        if n == 0:
            return start
        first = bisect_right(self._days, start.toordinal())
        target = first + n - 1
        if suspensions:
            for lo, hi in self._suspended_ranges(suspensions, first):
                if lo > target:
                    break
                target += hi - lo
        while target >= len(self._days):
            self._build(self._first_year, self._last_year + 5)
        return date.fromordinal(self._days[target])

    def working_days_between(
        self, start: date, end: date, suspensions: Iterable[Suspension] = ()
    ) -> int:
        """Working days in (start, end], less suspended ones; negative if end < start."""
        suspensions = list(suspensions)
        self._cover(start, end, *(d for s in suspensions for d in s))
        if end < start:
            return -self.working_days_between(end, start, suspensions)
        first = bisect_right(self._days, start.toordinal())
        last = bisect_right(self._days, end.toordinal())
        count = last - first
        for lo, hi in self._suspended_ranges(suspensions, first):
            count -= max(0, min(hi, last) - lo)
        return count

    def suspended_working_days(self, suspensions: Iterable[Suspension], after: date) -> int:
        """Working days after ``after`` lying inside closed suspensions."""
        suspensions = list(suspensions)
        self._cover(after, *(d for s in suspensions for d in s))
        first = bisect_right(self._days, after.toordinal())
        return sum(hi - lo for lo, hi in self._suspended_ranges(suspensions, first))
