"""A cell's reading is remembered across rows (a day, an officer, "no"): a value met again
is stored as the first was, and a bad value is refused on every row that has it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import text

from complaints_tui.services.context import Context
from complaints_tui.services.importer import check_file, import_file

HEADER = (
    "reference,procedure,stage,received,responded,outcome,officer,complainant_name,"
    "acknowledged,child_statuses,repeat_complainant,reopened_count,summary"
)


def write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def workbook(path: Path, rows: list[list[object]]) -> Path:
    """A workbook of ``rows`` (its heading first), as a spreadsheet program saves one."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_repeated_cells_are_stored_as_the_first_was(ctx: Context, tmp_path: Path) -> None:
    row = "{},statutory,1,2024-01-10,2024-01-20,upheld,A. Officer,'=Sam,2024-01-11,"
    row += "looked after,yes,2,Late reply"
    path = write(tmp_path / "same.csv", [row.format(f"R-{n}") for n in range(1, 6)])
    assert import_file(ctx, path).stages == 5
    with ctx.engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT c.officer, c.complainant_name, c.child_statuses, "
                "c.repeat_complainant, c.reopened_count, s.received, s.responded, "
                "s.acknowledged FROM cases c JOIN stages s ON s.case_id = c.id"
            )
        ).all()
    assert len(found) == 5
    # the days as ISO text and the flag as a number, as SQLite gives them (PostgreSQL
    # gives dates and booleans): the same values either way
    stored = {tuple(str(v) if isinstance(v, date) else v for v in r) for r in found}
    assert stored == {
        (
            "A. Officer",
            "=Sam",  # the export's safety quote taken off, on every row alike
            "child_in_care",
            1,
            2,
            "2024-01-10",
            "2024-01-20",
            "2024-01-11",
        )
    }


def test_a_bad_cell_repeated_is_refused_on_each_row(ctx: Context, tmp_path: Path) -> None:
    good = "R-{},statutory,1,2024-01-10,2024-01-12,,A. Officer,Sam,2024-01-11,,no,0,x"
    bad = "R-{},statutory,1,2024-01-10,2024-01-12,,A. Officer,Sam,2024-13-45,pirate,maybe,x,x"
    late = "R-{},statutory,1,2024-01-10,2024-01-01,,A. Officer,Sam,2024-01-11,,no,0,x"
    rows = [good.format(1), good.format(2), bad.format(3), bad.format(4), good.format(5)]
    rows += [late.format(6), late.format(7)]
    plan = check_file(ctx, write(tmp_path / "bad.csv", rows))
    assert sorted(map(str, plan.problems)) == [
        f"line {line}, {reason}"
        for line in (4, 5)
        for reason in (
            "acknowledged: '2024-13-45' is an impossible date",
            "child_statuses: unknown child's status 'pirate'",
            "reopened_count: 'x' is not a number of times (0, 1, 2...)",
            "repeat_complainant: 'maybe' is not yes or no",
        )
    ] + [
        f"line {line}, responded: responded 2024-01-01 is before received 2024-01-10"
        for line in (7, 8)
    ]


def test_a_workbooks_zero_for_a_response_is_not_taken_as_blank(
    ctx: Context, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        ["reference", "procedure", "stage", "received", "responded", "summary"],
        ["W-1", "statutory", 1, "2024-01-10", "2024-01-12", "fine"],
        ["W-2", "statutory", 1, "2024-01-10", 0, "a nought"],
    ]
    plan = check_file(ctx, workbook(tmp_path / "zero.xlsx", rows))
    assert [str(p) for p in plan.problems] == [
        p for p in map(str, plan.problems) if p.startswith("row 3, responded")
    ]
    assert plan.problems, "a 0 in the response column is a problem, not a blank"


def test_a_workbooks_days_and_counts_repeated_are_read_as_the_first_and_true_is_not_one(
    ctx: Context, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        ["reference", "procedure", "stage", "received", "acknowledged", "reopened_count"]
    ]
    for n in (1, 2, 3):  # a day and a count met again: remembered by their type and value
        rows.append([f"W-{n}", "statutory", 1, date(2024, 1, 10), date(2024, 1, 11), 1])
    true = [*rows, ["W-4", "statutory", 1, date(2024, 1, 10), date(2024, 1, 11), True]]
    plan = check_file(ctx, workbook(tmp_path / "true.xlsx", true))
    # TRUE equals 1 as a key, yet it is no number of times: refused, not read as the 1s
    assert [str(p) for p in plan.problems] == [
        "row 5, reopened_count: 'yes' is not a number of times (0, 1, 2...)"
    ]
    assert import_file(ctx, workbook(tmp_path / "counts.xlsx", rows)).stages == 3
    with ctx.engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT c.reopened_count, s.acknowledged FROM cases c "
                "JOIN stages s ON s.case_id = c.id"
            )
        ).all()
    assert {(r[0], str(r[1])) for r in found} == {(1, "2024-01-11")}


LIST_HEADER = "reference,procedure,stage,received,responded,outcome,remedies,learning"


def test_a_cell_of_lines_repeated_is_read_on_each_row(ctx: Context, tmp_path: Path) -> None:
    """A remedies or learning cell met before is not parsed again, but every stage still
    gets its lines, and a bad one is refused on each row that repeats it."""
    good = 'R-{},statutory,1,2024-01-10,2024-01-20,upheld,"apology\npayment: £250.00",'
    good += "Refresher | Team manager | 2024-03-31 | open"
    bad = "R-{},statutory,1,2024-01-10,2024-01-20,upheld,payment: lots,"
    path = tmp_path / "lines.csv"
    rows = [bad.format(1), bad.format(2), good.format(3)]
    path.write_text("\n".join([LIST_HEADER, *rows]) + "\n", encoding="utf-8")
    plan = check_file(ctx, path)
    assert [str(p) for p in plan.problems] == [
        f"line {line}, remedies: 'lots' is not an amount in pounds" for line in (2, 3)
    ]
    path.write_text(
        "\n".join([LIST_HEADER, *(good.format(n) for n in range(1, 5))]) + "\n",
        encoding="utf-8",
    )
    assert import_file(ctx, path).stages == 4
    with ctx.engine.connect() as conn:
        remedies = conn.execute(text("SELECT stage_id, kind, amount_pence FROM remedies")).all()
        learning = conn.execute(text("SELECT stage_id FROM learning_actions")).all()
    assert sorted((kind, pence) for _, kind, pence in remedies) == sorted(
        [("apology", None), ("payment", 25000)] * 4
    )
    assert len({stage for stage, *_ in remedies}) == 4
    assert len({stage for (stage,) in learning}) == 4
