"""services/report.py on a real SQLite file: the same report as from the facts in memory."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import insert

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.policy import Policy
from complaints_tui.domain.report import ReportFacts, build_report
from complaints_tui.domain.report_publish import finish
from complaints_tui.services.report import load_facts, year_report
from db.engine import make_engine
from db.tables import Case, CaseTheme, LearningAction, Remedy, Stage, Suspension

from . import scenario


def store(path: Path, facts: ReportFacts) -> None:
    """Write the facts as rows of the real tables."""
    engine = make_engine(path)
    rows = [
        (
            Case,
            [
                {**c._asdict(), "reference": c.reference or f"REF{c.id:04d}", "status": "open"}
                for c in facts.cases
            ],
        ),
        (Stage, [s._asdict() for s in facts.stages]),
        (CaseTheme, [t._asdict() for t in facts.themes]),
        (Suspension, [{**s._asdict(), "reason": "advocate"} for s in facts.suspensions]),
        (Remedy, [r._asdict() for r in facts.remedies]),
        (LearningAction, [a._asdict() for a in facts.learning]),
    ]
    with engine.begin() as conn:
        for table, values in rows:
            if values:  # an insert of no rows would insert one row of defaults
                conn.execute(insert(table.__table__), values)  # type: ignore[attr-defined]
    engine.dispose()


def test_report_from_the_database_matches_the_facts(
    tmp_path: Path, calendar: WorkingCalendar, policy: Policy
) -> None:
    facts = scenario.facts(calendar)
    store(tmp_path / "t.sqlite3", facts)
    engine = make_engine(tmp_path / "t.sqlite3")
    got = year_report(
        engine,
        year=scenario.YEAR,
        as_at=scenario.AS_AT,
        policy=policy,
        calendar=calendar,
        compare=False,
    )
    want = build_report(
        facts, year=scenario.YEAR, as_at=scenario.AS_AT, policy=policy, calendar=calendar
    )
    got_d, want_d = got.to_dict(), finish(want, None, {}).to_dict()
    # The register starts in December 2022: from the database (which knows that), 2022-23
    # is a partial first year and is left out; the facts alone cannot know it.
    (got_years,) = [t for t in got_d.pop("tables") if t["id"] == "received_by_year"]
    assert [r["key"] for r in got_years["rows"]] == ["2023-24"]
    want_d["tables"] = [t for t in want_d["tables"] if t["id"] != "received_by_year"]
    got_d["tables"] = [t for t in got.to_dict()["tables"] if t["id"] != "received_by_year"]
    assert got_d == want_d
    engine.dispose()


def test_only_what_the_year_needs_is_read(tmp_path: Path, calendar: WorkingCalendar) -> None:
    facts = scenario.facts(calendar)
    store(tmp_path / "t.sqlite3", facts)
    engine = make_engine(tmp_path / "t.sqlite3")
    loaded = load_facts(engine, year=scenario.YEAR, as_at=scenario.AS_AT)
    ids = sorted(s.id for s in loaded.stages)
    # the year's stages and its refused request; 101 and 141 open at its start; 32, a
    # later stage of one of its cases; not 151, received after the as-at date
    assert ids == [11, 12, 21, 31, 32, 41, 42, 51, 61, 71, 81, 91, 101, 111, 121, 131, 141]
    assert {c.id for c in loaded.cases} == {s.case_id for s in loaded.stages}
    # themes are read for complaints and the Ombudsman only
    assert {t.case_id for t in loaded.themes} == {1, 2, 3, 5}
    assert loaded.history is not None
    counts = {(h.procedure, h.number, h.received.year): h.stages for h in loaded.history}
    assert counts == {("corporate", 1, 2023): 1, ("statutory", 1, 2022): 1}
    engine.dispose()


def test_an_empty_database(tmp_path: Path, calendar: WorkingCalendar, policy: Policy) -> None:
    engine = make_engine(tmp_path / "empty.sqlite3")
    report = year_report(
        engine, year=2020, as_at=date(2021, 5, 1), policy=policy, calendar=calendar
    )
    assert report.table("received_by_quarter").cell("total", "total") == 0
    engine.dispose()
