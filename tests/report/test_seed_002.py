"""Seed 002 reconstructed: case-level data whose 2021-22 (2020-21) figures are the ones the
council published, stored in a real SQLite file, and our report's tables checked against
the published cells (on the basis the council counts on: concluded in the year)."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.report import Report
from complaints_tui.report.layout import blocks, change
from complaints_tui.services.report import year_report
from db.engine import make_engine

from . import seed_002
from .test_service import store

STAGES = ("statutory_1", "corporate_1", "statutory_2", "corporate_2")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    calendar = WorkingCalendar(first_year=2018, last_year=2024)
    path: Path = tmp_path_factory.mktemp("seed002") / "seed002.sqlite3"
    store(path, seed_002.facts(calendar))
    engine = make_engine(path)
    built = year_report(
        engine,
        year=seed_002.YEAR,
        as_at=seed_002.AS_AT,
        policy=seed_002.POLICY,
        calendar=calendar,
        basis="concluded",
    )
    engine.dispose()
    return built


def both(report: Report, table: str, row: str, col: str) -> tuple[object, object]:
    """This year's figure and the year before's: '74 (188)' (0 where a row is not there:
    the report lists only the outcomes that occurred)."""
    assert report.previous is not None

    def get(r: Report) -> object:
        rows = {x.key: x for x in r.table(table).rows}
        return rows[row].cells.get(col) if row in rows else 0

    return get(report), get(report.previous)


PUBLISHED_RECEIVED = {
    # executive summary, 1.1-1.11: received in the year
    "statutory_1": (74, 188),
    "corporate_1": (319, 179),
    "statutory_2": (11, 8),
    "corporate_2": (22, 15),
    "statutory_3": (4, 1),
    "corporate_3": (7, 5),
    "lgsco": (15, 12),
    "mp": (68, 41),
    "councillor": (7, 8),
    "general": (30, 52),
    "compliment": (204, 242),
}


@pytest.mark.parametrize(("column", "published"), PUBLISHED_RECEIVED.items())
def test_received(report: Report, column: str, published: tuple[int, int]) -> None:
    assert both(report, "received_by_quarter", "total", column) == published


PUBLISHED_CASELOAD = {
    # (worked on, carried in, still open at the year's end), this year and the year before
    "statutory_1": ((79, 5, 3), (203, 15, 5)),
    "corporate_1": ((333, 14, 17), (187, 8, 14)),
    "statutory_2": ((15, 4, 3), (8, 0, 4)),
    "corporate_2": ((25, 3, 1), (16, 1, 3)),
    "statutory_3": ((5, 1, 3), (1, 0, 1)),
    "corporate_3": ((7, 0, 2), (5, 0, 0)),
    "lgsco": ((20, 5, 9), (16, 4, 5)),
}


@pytest.mark.parametrize(("column", "published"), PUBLISHED_CASELOAD.items())
def test_caseload_worked_on(report: Report, column: str, published: tuple) -> None:
    assert report.previous is not None
    for r, (worked_on, carried_in, still_open) in zip(
        (report, report.previous), published, strict=True
    ):
        row = r.table("carried_forward").row(column).cells
        assert (row["worked_on"], row["open_at_start"], row["open_at_end"]) == (
            worked_on,
            carried_in,
            still_open,
        )


PUBLISHED_OUTCOMES = {
    # of the complaints concluded in the year (carried in included)
    "statutory_1": {
        "upheld": (6, 10),
        "partially_upheld": (38, 82),
        "not_upheld": (13, 37),
        "withdrawn": (1, 13),
        "did_not_qualify": (4, 11),
        "outside_remit": (14, 41),
        "total": (76, 198),
    },
    "corporate_1": {
        "upheld": (52, 29),
        "partially_upheld": (146, 54),
        "not_upheld": (63, 50),
        "no_finding": (6, 1),
        "withdrawn": (18, 12),
        "did_not_qualify": (9, 6),
        "outside_remit": (22, 21),
        "total": (316, 173),
    },
    "statutory_2": {
        "partially_upheld": (8, 1),
        "not_upheld": (1, 1),
        "outside_remit": (1, 1),
        "withdrawn": (2, 1),
        "total": (12, 4),
    },
    "corporate_2": {
        "upheld": (3, 1),
        "partially_upheld": (16, 5),
        "not_upheld": (2, 3),
        "withdrawn": (2, 2),
        "outside_remit": (1, 1),
        "total": (24, 13),
    },
}


@pytest.mark.parametrize(("column", "published"), PUBLISHED_OUTCOMES.items())
def test_outcomes_of_the_concluded(report: Report, column: str, published: dict) -> None:
    for row, figures in published.items():
        assert both(report, "outcomes_by_stage", row, column) == figures, row
    # the not-determined line of statutory Stage 1: 0 (4)
    if column == "statutory_1":
        assert report.previous is not None
        assert report.previous.table("outcomes_by_stage").cell("no_finding", column) == 4


def test_stage_3_and_the_ombudsman(report: Report) -> None:
    assert both(report, "outcomes_by_stage", "partially_upheld", "statutory_3")[0] == 2
    assert both(report, "outcomes_by_stage", "total", "corporate_3") == (5, 5)
    assert both(report, "outcomes_by_stage", "signposted_lgsco", "corporate_3")[0] == 1
    # the Ombudsman's decisions, never in the council's outcome total
    lgsco = {
        "fault_injustice": (2, 3),
        "no_fault": (2, 2),
        "closed_after_initial_enquiries": (7, 6),
    }
    for row, figures in lgsco.items():
        assert both(report, "lgsco_decisions", row, "count") == figures
    assert both(report, "outcomes_by_stage", "total", "lgsco") == (11, 11)
    council = report.table("outcomes_by_stage").cell("total", "total")
    assert council == 76 + 316 + 12 + 24 + 2 + 5


PUBLISHED_TIMELINESS = {
    # (extended, answered outside the timescale)
    "statutory_1": ((23, 26), (38, 35)),
    "corporate_1": ((74, 106), (32, 31)),
    "statutory_2": ((10, 3), (2, 0)),
    "corporate_2": ((11, 6), (6, 5)),
    "corporate_3": ((3, 2), (3, 4)),
}


@pytest.mark.parametrize(("column", "published"), PUBLISHED_TIMELINESS.items())
def test_extended_and_late(report: Report, column: str, published: tuple) -> None:
    assert report.previous is not None
    for r, (extended, late) in zip((report, report.previous), published, strict=True):
        assert r.table("timeliness_bands").cell(column, "extended") == extended
        cell = r.table("on_time_by_quarter").cell("total", column)
        decided = cell["total"] - cell["pending"] - cell["closed"]
        assert decided - cell["on_time"] == late


def test_who_complained_with_whose_help_and_before(report: Report) -> None:
    published = {
        ("complainant_types", "parent", "statutory_1"): (37, 146),
        ("complainant_types", "young_person", "statutory_1"): (25, 21),
        ("complainant_types", "family", "statutory_1"): (8, 16),
        ("complainant_types", "other", "statutory_1"): (4, 5),
        ("complainant_types", "parent", "corporate_1"): (252, 120),
        ("complainant_types", "young_person", "corporate_1"): (5, 6),
        ("complainant_types", "family", "corporate_1"): (36, 27),
        ("complainant_types", "other", "corporate_1"): (26, 26),
        ("advocacy", "with_advocate", "statutory_1"): (21, 14),
        ("reopened_and_repeat", "repeat_complainant", "statutory_1"): (37, 109),
        ("reopened_and_repeat", "repeat_complainant", "corporate_1"): (134, 82),
    }
    for (table, row, col), figures in published.items():
        assert both(report, table, row, col) == figures, (table, row, col)


def test_the_executive_summary_changes(report: Report) -> None:
    """The executive summary's % changes, as our key figures print them."""
    (block,) = blocks(report.table("key_figures"), 88)
    rows = {r[0].strip(): r[1:] for r in block.rows}
    assert rows["Compliments received"] == ("204", "242", "down 16%")
    assert rows["Statutory 1 received"] == ("74", "188", "down 61%")
    assert rows["Corporate 1 received"] == ("319", "179", "up 78%")
    assert rows["Statutory 2 worked on"] == ("15", "8", "up 88%")
    assert rows["Corporate 2 worked on"] == ("25", "16", "up 56%")
    assert rows["Statutory 3 worked on"] == ("5", "1", "up 400%")
    assert rows["Corporate 3 worked on"] == ("7", "5", "up 40%")
    assert rows["Ombudsman worked on"] == ("20", "16", "up 25%")
    assert change(74 + 319, 188 + 179) == "+7%"  # 'a 7% increase in combined Stage 1s'


def test_printed_as_the_council_prints_it(report: Report) -> None:
    (block, *_) = blocks(
        report.table("outcomes_by_stage"),
        200,
        report.previous.table("outcomes_by_stage"),  # type: ignore[union-attr]
    )
    rows = {r[0].strip(): r for r in block.rows}
    at = block.headers.index("Statutory 1")
    assert rows["Concluded"][at] == "76 [198]"
    assert rows["Upheld"][at] == "6 (8%) [10]"
