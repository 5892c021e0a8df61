"""The three outputs: Rich text for A4 portrait, one self-contained HTML file, JSON."""

from __future__ import annotations

import json
import re

from rich.console import Console

from complaints_tui.domain.report import Report
from complaints_tui.report.html import to_html
from complaints_tui.report.json import to_json
from complaints_tui.report.layout import blocks, change, on_time, percent
from complaints_tui.report.text import PAGE_WIDTH, renderables, to_text


def screen(report: Report) -> str:
    console = Console(record=True, width=PAGE_WIDTH)
    for item in renderables(report):
        console.print(item)
    return console.export_text()


def test_text_fits_a4_portrait(report: Report, published: Report) -> None:
    for r in (report, published):
        text = screen(r)
        assert PAGE_WIDTH == 88  # A4 portrait at 10 point
        assert max(len(line) for line in text.splitlines()) <= PAGE_WIDTH
        plain = to_text(r, page_breaks=False)
        assert plain == "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
        printed = to_text(r)
        assert max(len(line) for line in printed.splitlines()) <= PAGE_WIDTH
        # a page break before each section: the notes, then every table
        pages = printed.split("\f")
        assert len(pages) == 1 + len(r.tables)
        assert pages[1].splitlines()[0] == r.tables[0].title


def test_text_shows_every_table_and_the_notes(report: Report) -> None:
    text = screen(report)
    for table in report.tables:
        assert table.title in text
    assert "belongs to the" in text
    assert "Figures as at 10/04/2024" in text


def test_on_time_cells_read_like_the_reports(report: Report) -> None:
    text = screen(report)
    # Q1: 2 of 4 answered on time; the year: 4 of the 8 decided, one more pending (and
    # one closed without a response, in neither figure)
    assert "50% (2/4)" in text
    assert "50% (4/8) +1" in text
    # pending stages are not failures: a Stage 3 whose only decided case was on time
    assert on_time({"on_time": 1, "total": 4, "pending": 3}) == "100% (1/1) +3"
    assert on_time({"on_time": 1, "total": 3, "pending": 0, "closed": 1}) == "50% (1/2)"
    assert on_time({"on_time": 8, "total": 15, "pending": 0}) == "53% (8/15)"
    assert on_time({"on_time": "<5", "total": 15, "pending": 0}) == "<5/15"
    assert on_time({"on_time": 0, "total": 0, "pending": 0}) == "-"


def test_received_by_year_has_the_change_on_the_year_before(report: Report) -> None:
    (block,) = blocks(report.table("received_by_year"))
    assert block.headers == ("", "2022-23", "2023-24", "% change")
    rows = {r[0]: r[1:] for r in block.rows}
    assert rows["Statutory 1"] == ("1", "2", "+100%")
    assert rows["Total"] == ("2", "13", "+550%")
    assert rows["Duty"] == ("0", "2", "-")  # no change from nothing
    assert change(134, 142) == "-6%"
    assert percent(1, 3) == "33%"


def test_percentages_beside_counts(report: Report) -> None:
    service = {r[0].strip(): r for r in blocks(report.table("by_service"))[0].rows}
    assert service["Total"][-1] == "33%"  # 2 of 6 upheld or partly
    outcomes = {r[0]: r for r in blocks(report.table("outcomes_by_stage"), 200)[0].rows}
    assert outcomes["Upheld"][1] == "1 (50%)"  # of the 2 Statutory Stage 1s concluded


def test_a_hidden_figure_gives_no_percentage(published: Report) -> None:
    rows = blocks(published.table("by_service"), 200)[0].rows
    for row in rows:
        if "<5" in row[-3:-1] or "*" in row[-3:-1]:
            assert row[-1] == "-"


def test_html_is_one_self_contained_file(report: Report, published: Report) -> None:
    for r in (report, published):
        html = to_html(r)
        assert html.startswith("<!DOCTYPE html>")
        assert not re.search(r"https?://", html)
        assert "<link" not in html and "<script" not in html and "url(" not in html
        assert "@page { size: A4 portrait" in html
        for table in r.tables:
            assert f'id="{table.id}"' in html


def test_html_draws_the_charts(report: Report) -> None:
    html = to_html(report)
    assert 'aria-label="Received by month"' in html
    assert 'aria-label="Outcomes"' in html
    assert 'aria-label="Answered on time by quarter"' in html
    # 2 of 4 in Q1: half the bar
    assert 'style="width:50.0%"' in html


def test_html_escapes_what_officers_typed(report: Report) -> None:
    from dataclasses import replace

    table = report.table("compliments_by_service")
    row = replace(table.rows[0], label="<b>Adoption & Fostering</b>")
    odd = replace(report, tables=(replace(table, rows=(row, *table.rows[1:])),))
    html = to_html(odd)
    assert "&lt;b&gt;Adoption &amp; Fostering&lt;/b&gt;" in html


def test_json_round_trips(report: Report, published: Report) -> None:
    for r in (report, published):
        data = json.loads(to_json(r))
        assert data == r.to_dict()
        assert [t["id"] for t in data["tables"]] == [t.id for t in r.tables]
    data = json.loads(to_json(published))
    assert data["suppressed_below"] == 5
    cells = [
        v
        for t in data["tables"]
        for row in t["rows"]
        for k, v in row["cells"].items()
        if isinstance(v, str) and {c["key"]: c["kind"] for c in t["columns"]}[k] != "text"
    ]
    assert set(cells) <= {"<5", "*"}
