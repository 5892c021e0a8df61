from __future__ import annotations

import pytest

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.policy import Policy
from complaints_tui.domain.report import Report, build_report

from . import scenario


@pytest.fixture(scope="session")
def calendar() -> WorkingCalendar:
    # one calendar for the whole run: building the bank-holiday table is the slow part
    return WorkingCalendar(first_year=2018, last_year=2030)


@pytest.fixture(scope="session")
def policy() -> Policy:
    return Policy()


@pytest.fixture(scope="session")
def report(calendar: WorkingCalendar, policy: Policy) -> Report:
    return build_report(
        scenario.facts(calendar),
        year=scenario.YEAR,
        as_at=scenario.AS_AT,
        policy=policy,
        calendar=calendar,
    )


@pytest.fixture(scope="session")
def published(report: Report) -> Report:
    """The scenario's report as it would be published: counts below 5 suppressed."""
    from complaints_tui.report.suppress import suppress

    return suppress(report, 5)
