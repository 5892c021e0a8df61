"""Suppression of small numbers: shown as "<N", and never recoverable from the totals."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any

import pytest

from complaints_tui.domain.report import (
    DETAIL,
    MEAN,
    ONTIME,
    POUNDS,
    SUBTOTAL,
    TOTAL,
    Column,
    Report,
    Row,
    Table,
)
from complaints_tui.report.suppress import SECONDARY, suppress


def one_table(rows: dict[str, dict[str, int]], **extra: Any) -> Report:
    """A report holding one table whose last row and column are totals."""
    keys = list(next(iter(rows.values())))
    table = Table(
        "t",
        "A table",
        tuple(Column(k, k, in_row_total=k != "total") for k in keys),
        tuple(Row(r, r, cells, TOTAL if r == "total" else DETAIL) for r, cells in rows.items()),
        **extra,
    )
    return Report("R", 2023, date(2023, 4, 1), date(2024, 3, 31), date(2024, 5, 1), (), (table,))


def lines(table: Table) -> list[tuple[list[tuple[str, str]], tuple[str, str]]]:
    """Every sum a table declares: rows across to their total column, detail rows down to
    the total row and to their subtotal."""
    out = []
    details = [r for r in table.rows if r.kind == DETAIL]
    counts = [c for c in table.columns if c.kind == "count"]
    members = [c.key for c in counts if c.in_row_total and c.key != table.row_total]
    if table.row_total and members:
        for r in table.rows:
            out.append(([(r.key, c) for c in members], (r.key, table.row_total)))
    for c in (c.key for c in counts if c.adds_down):
        if details and any(r.kind == TOTAL for r in table.rows):
            out.append(([(r.key, c) for r in details], ("total", c)))
        for sub in (r for r in table.rows if r.kind == SUBTOTAL):
            out.append(([(r.key, c) for r in details if r.group == sub.key], (sub.key, c)))
    return out


def ambiguous(shown: Table, true: Mapping[str, Mapping[str, int]], below: int) -> set[Any]:
    """Hidden cells that some other assignment also fits: the true values moved by steps
    of one, staying inside what the marks reveal ("<5" is 1 to 4, "*" 0 or 5 or more) and
    keeping every shown total. A recoverable cell has no such alternative."""
    value = {(r.key, c): v for r in shown.rows for c, v in r.cells.items()}
    hidden = [k for k, v in value.items() if isinstance(v, str)]
    sums = lines(shown)
    found: set[Any] = set()
    for step in itertools.product((-1, 0, 1), repeat=len(hidden)):
        if not any(step):
            continue
        trial = {k: (true[k[0]][k[1]] if k in hidden else v) for k, v in value.items()}
        for h, d in zip(hidden, step, strict=True):
            trial[h] += d
        fits = all(
            (1 <= trial[h] < below)
            if value[h] == f"<{below}"
            else (trial[h] == 0 or trial[h] >= below)
            for h in hidden
        ) and all(sum(trial[m] for m in members) == trial[total] for members, total in sums)
        if fits:
            found |= {h for h, d in zip(hidden, step, strict=True) if d}
    return found


def determined(shown: Table) -> set[tuple[str, str]]:
    """Hidden cells that the table's own sums fix: exact elimination, written afresh."""
    value = {(r.key, c): v for r in shown.rows for c, v in r.cells.items()}
    hidden = sorted(k for k, v in value.items() if isinstance(v, str))
    index = {h: i for i, h in enumerate(hidden)}
    rows = []
    for members, total in lines(shown):
        coef = [Fraction(0)] * len(hidden)
        for cell, sign in [*((m, 1) for m in members), (total, -1)]:
            if cell in index:
                coef[index[cell]] += sign
        if any(coef):
            rows.append(coef)
    pivots: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        for col, prow in pivots:
            if row[col]:
                f = row[col]
                row = [a - f * b for a, b in zip(row, prow, strict=True)]
        lead = next((i for i, a in enumerate(row) if a), None)
        if lead is None:
            continue
        row = [a / row[lead] for a in row]
        pivots = [(c, [a - p[lead] * b for a, b in zip(p, row, strict=True)]) for c, p in pivots]
        pivots.append((lead, row))
    return {hidden[c] for c, row in pivots if sum(1 for a in row if a) == 1}


SMALL = {
    "A": {"x": 3, "y": 12, "z": 9, "total": 24},
    "B": {"x": 8, "y": 7, "z": 15, "total": 30},
    "C": {"x": 10, "y": 2, "z": 20, "total": 32},
    "total": {"x": 21, "y": 21, "z": 44, "total": 86},
}


def test_small_counts_are_shown_as_below_the_threshold() -> None:
    t = suppress(one_table(SMALL), 5).table("t")
    assert t.cell("A", "x") == "<5"
    assert t.cell("C", "y") == "<5"
    for row in t.rows:
        for v in row.cells.values():
            assert not (isinstance(v, int) and 1 <= v < 5)


def test_suppression_cannot_be_undone_by_subtraction() -> None:
    t = suppress(one_table(SMALL), 5).table("t")
    hidden = [(r.key, c) for r in t.rows for c, v in r.cells.items() if isinstance(v, str)]
    # one small number per row and column is not enough: others were hidden with them
    assert len(hidden) >= 4
    assert all(
        v in ("<5", SECONDARY) for r in t.rows for v in r.cells.values() if isinstance(v, str)
    )
    assert ambiguous(t, SMALL, 5) == set(hidden)


def test_a_lone_small_total_is_protected_too() -> None:
    rows = {
        "A": {"x": 1, "y": 0, "total": 1},
        "B": {"x": 20, "y": 30, "total": 50},
        "C": {"x": 15, "y": 16, "total": 31},
        "total": {"x": 36, "y": 46, "total": 82},
    }
    t = suppress(one_table(rows), 5).table("t")
    assert t.cell("A", "x") == "<5" and t.cell("A", "total") == "<5"
    assert t.cell("A", "y") == 0  # zeros stay: hiding them would protect nothing
    hidden = {(r.key, c) for r in t.rows for c, v in r.cells.items() if isinstance(v, str)}
    assert ambiguous(t, rows, 5) == hidden


def test_bounds_do_not_give_a_value_away() -> None:
    # two '<5' adding up to 2 would both be 1; the suppression must hide more than that
    rows = {
        "A": {"x": 1, "y": 40, "total": 41},
        "B": {"x": 1, "y": 35, "total": 36},
        "C": {"x": 9, "y": 30, "total": 39},
        "total": {"x": 11, "y": 105, "total": 116},
    }
    t = suppress(one_table(rows), 5).table("t")
    hidden = {(r.key, c) for r in t.rows for c, v in r.cells.items() if isinstance(v, str)}
    assert ambiguous(t, rows, 5) == hidden


def test_nothing_small_nothing_hidden() -> None:
    rows = {"A": {"x": 5, "total": 5}, "total": {"x": 5, "total": 5}}
    report = suppress(one_table(rows), 5)
    assert report.table("t").cell("A", "x") == 5
    assert report.suppressed_below == 5
    assert "'<5'" in report.notes[-1]


def test_threshold_must_be_at_least_two() -> None:
    with pytest.raises(ValueError):
        suppress(one_table(SMALL), 1)


def test_the_whole_report(report: Report, published: Report) -> None:
    assert [t.id for t in published.tables] == [t.id for t in report.tables]
    for table in published.tables:
        original = report.table(table.id)
        for row in table.rows:
            for col in table.columns:
                value = row.cells.get(col.key)
                before = original.row(row.key).cells.get(col.key)
                parts = value.items() if isinstance(value, Mapping) else [(None, value)]
                for part, v in parts:
                    was = before[part] if part and isinstance(before, Mapping) else before
                    if isinstance(was, int) and col.kind in ("count", ONTIME) and 1 <= was < 5:
                        assert v == "<5", (table.id, row.key, col.key, part)
                    elif not isinstance(v, str):
                        assert v == was  # what is shown is never altered
        # within each table, no small number can be worked out from its own totals
        if all(c.kind == "count" for c in table.columns):
            leaked = {cell for cell in determined(table) if table.cell(*cell) == "<5"}
            assert not leaked, (table.id, leaked)
            # and, bounds included, each hidden figure has another value that fits
            hidden = {
                (r.key, c) for r in table.rows for c, v in r.cells.items() if isinstance(v, str)
            }
            if len(hidden) <= 9:
                true = {r.key: dict(r.cells) for r in original.rows}
                assert ambiguous(table, true, 5) >= {h for h in hidden if table.cell(*h) == "<5"}, (
                    table.id
                )
    # money beside a hidden count, and averages over one, are hidden too
    remedies = published.table("remedies")
    assert remedies.cell("payment", "statutory_1") == "<5"
    assert remedies.cell("payment", "amount") == SECONDARY
    bands = published.table("timeliness_bands")
    assert bands.cell("statutory_2", "average_days") == SECONDARY


def test_figures_shared_between_tables_are_hidden_alike(published: Report) -> None:
    quarter = published.table("received_by_quarter")
    month = published.table("received_by_month")
    year = published.table("received_by_year")
    for col in ("statutory_1", "corporate_1", "total"):
        assert quarter.cell("total", col) == month.cell("total", col) == year.cell("2023-24", col)
    on_time = published.table("on_time_by_quarter")
    for q in ("Q1", "Q2", "Q3", "Q4"):
        assert on_time.cell(q, "corporate_1")["total"] == quarter.cell(q, "corporate_1")


def test_money_alone_is_not_a_count() -> None:
    table = Table(
        "m",
        "Money",
        (Column("count", "n"), Column("amount", "£", POUNDS), Column("avg", "avg", MEAN)),
        (
            Row("a", "a", {"count": 12, "amount": 3.5, "avg": 2.0}),
            Row("b", "b", {"count": 7, "amount": 1.0, "avg": 1.0}),
            Row("total", "t", {"count": 19, "amount": 4.5, "avg": None}, TOTAL),
        ),
        row_total=None,
    )
    report = Report("R", 2023, date(2023, 4, 1), date(2024, 3, 31), date(2024, 5, 1), (), (table,))
    assert suppress(report, 5).table("m").rows == table.rows


def test_subtotals_are_sums_too() -> None:
    table = Table(
        "s",
        "Grouped",
        (Column("n", "n"),),
        (
            Row("g1", "G1", {"n": 14}, SUBTOTAL),
            Row("a", "a", {"n": 2}, DETAIL, "g1"),
            Row("b", "b", {"n": 12}, DETAIL, "g1"),
            Row("g2", "G2", {"n": 20}, SUBTOTAL),
            Row("c", "c", {"n": 9}, DETAIL, "g2"),
            Row("d", "d", {"n": 11}, DETAIL, "g2"),
            Row("total", "Total", {"n": 34}, TOTAL),
        ),
        row_total=None,
    )
    report = Report("R", 2023, date(2023, 4, 1), date(2024, 3, 31), date(2024, 5, 1), (), (table,))
    t = suppress(report, 5).table("s")
    assert t.cell("a", "n") == "<5"
    # G1 = a + b, so b goes too; a + b is then known (14) but not how it splits
    hidden = {(r.key, "n") for r in t.rows if isinstance(r.cells["n"], str)}
    assert ("b", "n") in hidden
    true = {r.key: dict(r.cells) for r in table.rows}
    assert ambiguous(t, true, 5) == hidden
