"""Hundreds of malformed files: each ends in an import or a refusal, never a traceback, and
a refused file leaves a populated database exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from complaints_tui.services.context import Context
from complaints_tui.services.importer import import_file
from complaints_tui.services.importing.columns import COLUMNS
from complaints_tui.services.importing.problems import ImportRefused

GOOD = (
    "reference,procedure,stage,received,responded,outcome,extended,division,service,"
    "complainant,channel,advocate,themes,summary\n"
    "P-1,statutory,1,2024-01-10,2024-01-20,upheld,no,CIC,North,parent,email,,Delay,Zoë\n"
    "P-1,statutory,2,2024-02-01,,,no,CIC,North,,,,,\n"
    "P-2,mp,,10/01/2024,,,yes,,MASH,,letter,NYAS,,\n"
)

CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "statutory",
            "Stage 1 - Statutory",
            "mp",
            "2",
            "²",
            "١",
            "4",
            "-1",
            "2024-01-10",
            "31/02/2024",
            "9999-12-31",
            "0001-01-02",
            "20/01/24",
            "Upheld",
            "NFA",
            "yes",
            "maybe",
            "=1+2",
            "'=x",
            "\x00",
            '"',
            '""',
            "a\nb",
            "a\rb",
            "Zoë",
            "x" * 40_000,
            "\ufeff",
            "\u202e",
            "P-1",
            "P-2",
        ]
    ),
    st.text(max_size=20),
)
HEADINGS = st.lists(
    st.one_of(
        st.sampled_from([*COLUMNS, "Ref No", "Date Rec'd", "Stage", "", "colour"]),
        st.text(max_size=8),
    ),
    min_size=0,
    max_size=16,
)


@st.composite
def malformed(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["cells", "bytes", "workbook"]))
    if kind == "workbook":  # something named .xlsx that is no workbook, or a damaged one
        body = draw(st.binary(max_size=200))
        return ".xlsx", draw(st.sampled_from([b"PK\x03\x04", b""])) + body
    if kind == "bytes":  # a good file with bytes changed, inserted or cut
        data = bytearray(GOOD.encode(draw(st.sampled_from(["utf-8", "utf-16", "cp1252"]))))
        for _ in range(draw(st.integers(1, 6))):
            at = draw(st.integers(0, max(len(data) - 1, 0)))
            action = draw(st.sampled_from(["flip", "insert", "cut"]))
            if action == "flip" and data:
                data[at] = draw(st.integers(0, 255))
            elif action == "insert":
                data[at:at] = draw(st.binary(min_size=1, max_size=4))
            else:
                del data[at : at + draw(st.integers(1, 40))]
        return ".csv", bytes(data)
    header = draw(HEADINGS)
    rows = draw(st.lists(st.lists(CELLS, max_size=16), max_size=8))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    body = newline.join(
        ",".join(f'"{c}"' if draw(st.booleans()) else c for c in row) for row in [header, *rows]
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252"]))
    return ".csv", body.encode(encoding, errors="replace")


def snapshot(ctx: Context) -> list[tuple]:
    with ctx.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT c.reference, c.summary, s.procedure, s.number, s.received, s.due"
                    " FROM cases c JOIN stages s ON s.case_id = c.id ORDER BY s.id"
                )
            )
        ]


@pytest.fixture
def populated(ctx: Context, tmp_path: Path) -> Context:
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    import_file(ctx, good)
    return ctx


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(file=malformed())
def test_no_malformed_file_gives_a_traceback(populated: Context, tmp_path: Path, file) -> None:
    suffix, data = file
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    before = snapshot(populated)
    try:
        result = import_file(populated, path)
    except ImportRefused as refused:
        assert refused.problems and all(str(p) for p in refused.problems)
        assert snapshot(populated) == before
    else:  # a mutation can leave a valid file: it only adds cases
        after = snapshot(populated)
        assert after[: len(before)] == before and result.stages == len(after) - len(before)
