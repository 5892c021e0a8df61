"""The bulk paths run the garbage collector less often (the year report pauses it), and give
the process its own settings back however they end: stored, refused, or two at once in the
app's workers."""

from __future__ import annotations

import gc
import threading
from datetime import date
from pathlib import Path

import pytest

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.policy import Policy
from complaints_tui.services import demo
from complaints_tui.services.bulk_gc import YOUNG, fewer_collections
from complaints_tui.services.context import Context
from complaints_tui.services.importer import import_file
from complaints_tui.services.importing.problems import ImportRefused
from complaints_tui.services.report import year_report

HEADER = "reference,procedure,stage,received,responded,outcome,summary\n"


def young() -> int:
    return gc.get_threshold()[0]


def test_an_import_collects_less_often_and_then_restores_the_threshold(
    ctx: Context, tmp_path: Path
) -> None:
    before = gc.get_threshold()
    seen: list[int] = []
    path = tmp_path / "team.csv"
    path.write_text(HEADER + "A-1,mp,,2024-01-10,,,a letter\n", encoding="utf-8")
    result = import_file(ctx, path, progress=lambda *_: seen.append(young()))
    assert result.cases == 1
    assert seen and min(seen) >= YOUNG
    assert gc.get_threshold() == before


def test_a_refused_import_restores_the_threshold(ctx: Context, tmp_path: Path) -> None:
    before = gc.get_threshold()
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "A-1,mp,,not a date,,,a letter\n", encoding="utf-8")
    with pytest.raises(ImportRefused):
        import_file(ctx, path)
    assert gc.get_threshold() == before


def test_demo_data_restores_the_threshold(ctx: Context) -> None:
    before = gc.get_threshold()
    assert demo.fill(ctx, 20) == 20
    assert gc.get_threshold() == before


def test_two_at_once_restore_the_threshold_only_when_both_are_done() -> None:
    before = gc.get_threshold()
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with fewer_collections():
            inside.set()
            leave.wait(10)

    worker = threading.Thread(target=other)
    worker.start()
    assert inside.wait(10)
    with fewer_collections():
        assert young() >= YOUNG
    assert young() >= YOUNG  # the other is still running
    leave.set()
    worker.join(10)
    assert gc.get_threshold() == before


def test_the_year_report_pauses_the_collector_and_gives_it_back(ctx: Context) -> None:
    demo.fill(ctx, 20)
    before = gc.get_threshold()
    seen: list[bool] = []
    policy = Policy()
    report = year_report(
        ctx.engine,
        year=2025,
        as_at=date(2026, 5, 1),
        policy=policy,
        calendar=WorkingCalendar(policy.closure_days),
        progress=lambda _: seen.append(gc.isenabled()),
    )
    assert report.year == 2025
    assert seen and not any(seen)
    assert gc.isenabled()
    assert gc.get_threshold() == before


def test_a_pause_inside_a_bulk_path_leaves_it_collecting_less_often() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        with fewer_collections(pause=True):
            assert not gc.isenabled()
        assert gc.isenabled()
        assert young() >= YOUNG
    assert gc.get_threshold() == before
