"""Bad input to the import: one clear line per problem, never a traceback, nothing stored."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from sqlalchemy import text

from complaints_tui.services.context import Context
from complaints_tui.services.importer import check_file, import_file
from complaints_tui.services.importing.problems import MAX_LISTED, ImportRefused

HEADER = "reference,procedure,stage,received,responded,outcome,summary"
GOOD_ROWS = ["Z-1,statutory,1,2024-01-10,,,Zoë's school", "Z-2,mp,,10/01/2024,,,"]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def lines(rows: list[str], newline: str = "\n") -> str:
    return newline.join([HEADER, *rows]) + newline


def stored(ctx: Context) -> list[tuple[str, str]]:
    with ctx.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT reference, summary FROM cases"))]


def problems_of(ctx: Context, path: Path) -> list[str]:
    plan = check_file(ctx, path)
    assert not plan.ok
    return [str(p) for p in plan.problems]


def test_old_mac_line_endings_are_read(ctx: Context, tmp_path: Path) -> None:
    path = write(tmp_path / "mac.csv", lines(GOOD_ROWS, "\r").encode("cp1252"))
    assert import_file(ctx, path).stages == 2
    assert ("Z-1", "Zoë's school") in stored(ctx)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_unicode_files_with_a_bom_are_read(ctx: Context, tmp_path: Path, encoding: str) -> None:
    data = lines(GOOD_ROWS, "\r\n").encode(encoding)
    assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE, codecs.BOM_UTF8))
    assert import_file(ctx, write(tmp_path / "u.csv", data)).stages == 2
    assert ("Z-1", "Zoë's school") in stored(ctx)


def test_a_file_mixing_encodings_is_refused_at_its_line(ctx: Context, tmp_path: Path) -> None:
    data = lines(GOOD_ROWS).encode("utf-8") + "Z-3,mp,,2024-01-11,,,Zoë\n".encode("cp1252")
    found = problems_of(ctx, write(tmp_path / "mixed.csv", data))
    assert found == [
        "line 4, file: mixes encodings: this line is not UTF-8 but others are "
        "(save the spreadsheet as CSV UTF-8)"
    ]
    assert stored(ctx) == []


def test_a_file_in_no_encoding_we_read_is_refused_saying_so(ctx: Context, tmp_path: Path) -> None:
    found = problems_of(
        ctx, write(tmp_path / "x.csv", lines(["A,mp,,2024-01-01,,,"]).encode() + b"\x81\x8d\n")
    )
    assert len(found) == 1 and "no encoding we can read" in found[0]
    found = problems_of(ctx, write(tmp_path / "bin.csv", b"\x00\x01\x02PK\x03\x04"))
    assert found == ["file: not a text file (save the spreadsheet as CSV UTF-8, or .xlsx)"]


def test_each_bad_cell_is_one_line_naming_line_and_column(ctx: Context, tmp_path: Path) -> None:
    rows = [
        "A-1,statutory,²,2024-01-10,,,",
        "A-2,statutory,١,2024-01-10,,,",
        "A-3,mp,,9999-12-31,,,",
        "A-4,mp,,0001-01-02,,,",
        "A-5,mp,,2024-01-10,,," + "x" * 40_000,
    ]
    found = problems_of(ctx, write(tmp_path / "bad.csv", lines(rows).encode()))
    assert found == [
        "line 2, stage: stage '²' is not written in the digits 0 to 9",
        "line 3, stage: stage '١' is not written in the digits 0 to 9",
        "line 4, received: '9999-12-31' is outside the years 1900 to 2100",
        "line 5, received: '0001-01-02' is outside the years 1900 to 2100",
        "line 6, summary: 40,000 characters: longer than a cell can be (32,767)",
    ]


def test_a_repeated_header_column_is_named(ctx: Context, tmp_path: Path) -> None:
    data = b"reference,procedure,received,Received\nA,mp,2024-01-01,2024-01-01\n"
    assert problems_of(ctx, write(tmp_path / "r.csv", data)) == [
        "line 1, Received: repeated header column: 'Received' is also column C ('received')"
    ]


def test_a_million_junk_rows_are_refused_with_the_first_hundred(
    ctx: Context, tmp_path: Path
) -> None:
    junk = "\n".join(f"J-{n},nonsense,x,yesterday,,," for n in range(100_000))
    path = write(tmp_path / "junk.csv", (HEADER + "\n" + junk + "\n").encode())
    with pytest.raises(ImportRefused) as refused:
        import_file(ctx, path)
    assert len(refused.value.problems) == MAX_LISTED
    assert refused.value.count == 300_000  # procedure, stage and received on every row
    assert str(refused.value.problems[0]).startswith("line 2, procedure: unknown procedure")
    assert stored(ctx) == []


def test_a_bad_detail_cell_repeated_is_named_on_every_row(ctx: Context, tmp_path: Path) -> None:
    # A good cell is read once and reused; a bad one is a problem wherever it appears.
    header = "reference,procedure,stage,received,responded,outcome,remedies"
    good, bad = '"apology\npayment: £20"', '"apology\nfree lunch"'
    rows = [f"R-{n},statutory,1,2024-01-10,2024-01-20,upheld,{good}" for n in (1, 2)]
    rows += [f"R-{n},statutory,1,2024-01-10,2024-01-20,upheld,{bad}" for n in (3, 4)]
    path = write(tmp_path / "r.csv", ("\n".join([header, *rows]) + "\n").encode())
    found = problems_of(ctx, path)
    assert found == [
        "line 7, remedies: unknown remedy 'free lunch'",
        "line 9, remedies: unknown remedy 'free lunch'",
    ]
    assert stored(ctx) == []
    fixed = write(tmp_path / "f.csv", ("\n".join([header, *rows[:2]]) + "\n").encode())
    assert import_file(ctx, fixed).stages == 2
    with ctx.engine.connect() as conn:
        remedies = conn.execute(
            text("SELECT stage_id, kind, amount_pence FROM remedies ORDER BY stage_id, id")
        ).fetchall()
    stage_ids = sorted({r[0] for r in remedies})
    assert len(stage_ids) == 2
    assert [tuple(r[1:]) for r in remedies] == [("apology", None), ("payment", 2000)] * 2
