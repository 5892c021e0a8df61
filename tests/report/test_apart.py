"""The report counted in a child process (as the app's Report screen does): the same
report as counted here, its steps reported, and stopped when no longer wanted."""

from __future__ import annotations

import multiprocessing

import pytest

from complaints_tui.services import demo
from complaints_tui.services.context import Context
from complaints_tui.services.report import year_report
from complaints_tui.services.report_apart import Cancelled, year_report_apart

from ..conftest import TODAY


def test_the_same_report_as_counted_in_the_app_with_each_step_reported(ctx: Context) -> None:
    demo.fill(ctx, 300)
    here = year_report(
        ctx.engine, year=2025, as_at=TODAY, policy=ctx.policy, calendar=ctx.cal, basis="concluded"
    )
    steps: list[str] = []
    apart = year_report_apart(
        ctx.engine,
        year=2025,
        as_at=TODAY,
        policy=ctx.policy,
        calendar=ctx.cal,
        basis="concluded",
        progress=steps.append,
    )
    assert apart == here
    assert apart.table("received_by_quarter").cell("total", "total") > 50
    assert steps == [
        "Reading the year's cases",
        "Counting the year",
        "Reading the year before",
        "Counting the year before",
        "Laying out",
    ]
    assert not [p for p in multiprocessing.active_children() if p.name == "report 2025"]


def test_a_report_no_longer_wanted_is_stopped(ctx: Context) -> None:
    demo.fill(ctx, 50)
    # no longer wanted once its first step is reported: a report of 50 cases can be done
    # within the first poll, so a deadline in time could come too late
    steps: list[str] = []
    with pytest.raises(Cancelled):
        year_report_apart(
            ctx.engine,
            year=2025,
            as_at=TODAY,
            policy=ctx.policy,
            calendar=ctx.cal,
            progress=steps.append,
            cancelled=lambda: bool(steps),
        )
    assert steps == ["Reading the year's cases"]
    assert not [p for p in multiprocessing.active_children() if p.name == "report 2025"]
