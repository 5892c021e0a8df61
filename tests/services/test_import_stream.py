"""The import reads a file as a stream: a case is stored once its rows are read, so the
stages of one case far apart in the file must still make one case, and a bad row after
thousands of stored cases must still leave nothing stored."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from complaints_tui.services.context import Context
from complaints_tui.services.importer import check_file, import_file
from complaints_tui.services.importing.grouping import WINDOW
from complaints_tui.services.importing.problems import ImportRefused

HEADER = "reference,procedure,stage,received,responded,outcome,summary\n"


def write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def filler(count: int) -> list[str]:
    return [f"F-{n},mp,,2024-01-10,,,filler {n}" for n in range(count)]


def count(ctx: Context, sql: str) -> int:
    with ctx.engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def test_stages_of_a_case_far_apart_make_one_case(ctx: Context, tmp_path: Path) -> None:
    rows = [
        "S-1,statutory,1,2024-01-10,2024-02-01,upheld,the first stage",
        *filler(WINDOW + 500),
        "S-1,statutory,2,2024-03-01,,,",
    ]
    path = write(tmp_path / "apart.csv", rows)
    plan = check_file(ctx, path)
    assert (plan.ok, plan.cases, plan.stages) == (True, WINDOW + 501, WINDOW + 502)
    result = import_file(ctx, path)
    assert (result.cases, result.stages) == (WINDOW + 501, WINDOW + 502)
    with ctx.engine.connect() as conn:  # plain SQL both SQLite and PostgreSQL read
        numbers = conn.execute(
            text(
                "SELECT s.number FROM stages s JOIN cases c ON c.id = s.case_id "
                "WHERE c.reference = 'S-1' ORDER BY s.number"
            )
        ).scalars()
        assert list(numbers) == [1, 2]
    assert count(ctx, "SELECT count(*) FROM cases") == WINDOW + 501


def test_a_stage_repeated_far_apart_is_refused_naming_both_lines(
    ctx: Context, tmp_path: Path
) -> None:
    rows = [
        "S-1,statutory,1,2024-01-10,,,",
        *filler(WINDOW + 10),
        "S-1,statutory,1,2024-01-11,,,",
    ]
    path = write(tmp_path / "twice.csv", rows)
    try:
        import_file(ctx, path)
    except ImportRefused as refused:
        assert [str(p) for p in refused.problems] == [
            f"line {WINDOW + 13}, stage: S-1 statutory stage 1 already appears on line 2"
        ]
    else:
        raise AssertionError("a repeated stage was imported")
    assert count(ctx, "SELECT count(*) FROM cases") == 0


def test_a_bad_last_row_after_thousands_stored_leaves_nothing(ctx: Context, tmp_path: Path) -> None:
    rows = [*filler(12_000), "B-1,statutory,1,not a date,,,"]
    path = write(tmp_path / "late.csv", rows)
    try:
        import_file(ctx, path)
    except ImportRefused as refused:
        assert len(refused.problems) == 1
        assert str(refused.problems[0]).startswith("line 12002, received:")
    else:
        raise AssertionError("a bad row was imported")
    assert count(ctx, "SELECT count(*) FROM cases") == 0
    assert count(ctx, "SELECT count(*) FROM stages") == 0
    assert count(ctx, "SELECT count(*) FROM events") == 0
    assert import_file(ctx, write(tmp_path / "good.csv", filler(3))).cases == 3
