"""What every officer action needs: the database, the policy, the calendar, who and when."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the app paints its first list before SQLAlchemy, holidays or the policy load
    from sqlalchemy import Engine

    from complaints_tui.domain.calendar import WorkingCalendar
    from complaints_tui.domain.clocks import ClockInput, Deadline
    from complaints_tui.domain.policy import Policy


def default_actor() -> str:
    """The officer's name: COMPLAINTS_OFFICER, else the operating-system user."""
    name = os.environ.get("COMPLAINTS_OFFICER")
    if name:
        return name
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "officer"


def default_policy() -> Policy:
    """The defaults, when no policy file is named (imported on first use: the app's
    launch paints its first list without them)."""
    from complaints_tui.domain.policy import Policy

    return Policy()


@dataclass(frozen=True)
class Context:
    engine: Engine
    policy: Policy = field(default_factory=default_policy)
    calendar: WorkingCalendar | None = None
    actor: str = field(default_factory=default_actor)
    clock: Callable[[], date] = date.today
    """Injected so tests and demo data can fix 'today'."""
    _regulation_calendar: WorkingCalendar | None = field(default=None, repr=False, compare=False)

    @property
    def cal(self) -> WorkingCalendar:
        """The calendar, built on first use, not at start-up, so the app can paint before
        it is needed; its bank holidays are remembered between runs (``bank_holidays``). A
        race builds it twice, harmlessly."""
        if self.calendar is None:
            from complaints_tui.domain.calendar import WorkingCalendar

            from .bank_holidays import remembered_bank_holidays

            calendar = WorkingCalendar(
                self.policy.closure_days, bank_holidays=remembered_bank_holidays
            )
            object.__setattr__(self, "calendar", calendar)
        assert self.calendar is not None
        return self.calendar

    @property
    def regulation_cal(self) -> WorkingCalendar:
        """Working days as the regulations count them: weekends and bank holidays alone."""
        if not self.policy.closure_days:
            return self.cal
        if self._regulation_calendar is None:
            from complaints_tui.domain.calendar import WorkingCalendar

            from .bank_holidays import remembered_bank_holidays

            calendar = WorkingCalendar(bank_holidays=remembered_bank_holidays)
            object.__setattr__(self, "_regulation_calendar", calendar)
        assert self._regulation_calendar is not None
        return self._regulation_calendar

    def cal_for(self, procedure: str) -> WorkingCalendar:
        """The calendar a procedure's clocks count in (closure days or not)."""
        from complaints_tui.domain.clocks import uses_closures

        return self.cal if uses_closures(procedure, self.policy) else self.regulation_cal

    def today(self) -> date:
        return self.clock()

    def deadline(self, clock: ClockInput) -> Deadline:
        """A stage's deadline with its explanation (for one case on screen)."""
        from complaints_tui.domain.clocks import stage_deadline

        return stage_deadline(clock, self.policy, self.cal_for(clock.procedure))

    def due(self, clock: ClockInput) -> tuple[date | None, int | None]:
        """(due date, working days in force), fast, for recomputing many clocks."""
        from complaints_tui.domain.clocks import due_date

        return due_date(clock, self.policy, self.cal_for(clock.procedure))
