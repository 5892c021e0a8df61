"""A large store's rows are written by a child process (SQLite files): the same rows as in
one process, all or nothing, and a failure on either side is said, not hidden."""

from __future__ import annotations

import csv
import multiprocessing
import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from complaints_tui.services import demo, store_rows, store_writer
from complaints_tui.services.context import Context
from complaints_tui.services.importer import ImportRefused, import_file
from db.engine import make_engine
from db.errors import DatabaseError

SEARCH_TABLES = ("case_search", "stage_order", "stage_received")
"""FTS5's tables: what they find is compared, not how they lay out their segments."""
MOMENTS = {"cases": "created_at", "events": "at", "officers": "created_at"}


def _sqlite_only(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's stores are written in one process (ids from its sequences)")


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 40 cases, and any store of 2 cases or more written apart: a few hundred
    cases go through the pipe in many chunks."""
    monkeypatch.setattr(store_rows, "CHUNK", 40)
    monkeypatch.setattr(store_writer, "APART_FROM", 2)


def _every_row(path: str) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows in order (the moments of the run left out), and what each
    search index finds for a few trigrams."""
    conn = sqlite3.connect(path)
    tables = [
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not name.startswith(SEARCH_TABLES)
    ]
    rows = {}
    for table in tables:
        columns = [c[1] for c in conn.execute(f'PRAGMA table_info("{table}")')]
        kept = [f'"{c}"' for c in columns if MOMENTS.get(table) != c]
        rows[table] = conn.execute(f'SELECT {", ".join(kept)} FROM "{table}" ORDER BY 1').fetchall()
    for index in SEARCH_TABLES:
        conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
        rows[index] = [
            conn.execute(f"SELECT rowid FROM {index} WHERE {index} MATCH ?", (q,)).fetchall()
            for q in ("smi", "202", "ool", "car", "ter")
        ]
    conn.close()
    return rows


def _children_while(records: Iterator[object], seen: list[int]) -> Iterator[object]:
    for record in records:
        seen.append(len(multiprocessing.active_children()))
        yield record


def _both_ways(
    ctx: Context, new_db: object, monkeypatch: pytest.MonkeyPatch, seed: int, seen: list[int]
) -> tuple[dict[str, Any], dict[str, set[int]]]:
    """The same 300-case demo stored apart (a child writing) and alone (one process):
    every row of each, and the counts of child processes ``seen`` while each was built."""
    stored, children = {}, {}
    for name, apart_from in (("apart", 2), ("alone", 10**9)):
        monkeypatch.setattr(store_writer, "APART_FROM", apart_from)
        seen.clear()
        fresh = Context(engine=make_engine(new_db(name)), clock=ctx.clock)  # type: ignore[operator]
        assert demo.fill(fresh, 300, seed=seed) == 300
        stored[name], children[name] = _every_row(fresh.engine.url.database or ""), set(seen)
    return stored, children


def _slowly(records: Iterator[object], seen: list[int]) -> Iterator[object]:
    """The records, a pause before each chunk's first: the writer waits for every chunk,
    and so indexes what it has written while it waits."""
    for n, record in enumerate(_children_while(records, seen)):
        if n % store_rows.CHUNK == 0:
            time.sleep(0.02)
        yield record


@pytest.mark.parametrize("slowly", [False, True], ids=["at-once", "writer-waits"])
def test_a_large_demo_is_written_apart_and_stores_what_one_process_stores(
    small_chunks: None,
    ctx: Context,
    engine: Engine,
    new_db: object,
    monkeypatch: pytest.MonkeyPatch,
    slowly: bool,
) -> None:
    # ``slowly``: the chunks come slower than they are written, so the writer indexes
    # what it has written while it waits for each (store_writer), and must store the same.
    _sqlite_only(engine)
    seen: list[int] = []
    records = demo.records
    pace = _slowly if slowly else _children_while
    monkeypatch.setattr(demo, "records", lambda *a: pace(records(*a), seen))
    stored, children = _both_ways(ctx, new_db, monkeypatch, 5 if slowly else 4, seen)
    # a child process was writing throughout, or never
    assert seen and children == {"apart": {1}, "alone": {0}}
    assert stored["apart"] == stored["alone"]
    # every kind of row went through the pipe, and each search index finds them
    for table in ("cases", "stages", "case_themes", "suspensions", "remedies", "officers"):
        assert stored["apart"][table], table
    assert all(found for index in SEARCH_TABLES for found in stored["apart"][index])


def _export(ctx: Context, path: Path) -> Path:
    from complaints_tui.services.exporter import export_file

    export_file(ctx, path)
    return path


def test_an_import_written_apart_is_all_or_nothing(
    small_chunks: None, ctx: Context, engine: Engine, new_db: object, tmp_path: Path
) -> None:
    _sqlite_only(engine)
    elsewhere = Context(engine=make_engine(new_db("elsewhere")), clock=ctx.clock)  # type: ignore[operator]
    demo.fill(elsewhere, 200, seed=2)
    good = _export(elsewhere, tmp_path / "cases.csv")
    with good.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    # a bad date on the last row: every chunk before it has gone to the child already
    rows[-1][header.index("received")] = "31/02/2025"
    bad = tmp_path / "bad.csv"
    with bad.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])

    with pytest.raises(ImportRefused) as refused:
        import_file(ctx, bad)
    assert "31/02/2025" in str(refused.value.problems[0])
    with Session(engine) as session:
        assert session.execute(text("SELECT count(*) FROM cases")).scalar_one() == 0
        assert session.execute(text("SELECT count(*) FROM events")).scalar_one() == 0

    # nothing was kept, and the database is free again: the good file imports whole
    result = import_file(ctx, good)
    assert (result.cases, result.stages) == (200, len(rows))
    with Session(engine) as session:
        stored = session.execute(text("SELECT reference FROM cases ORDER BY id")).scalars().all()
    assert stored == list(dict.fromkeys(row[0] for row in rows))


def test_a_database_refusal_in_the_child_is_said_and_nothing_is_stored(
    small_chunks: None, ctx: Context, engine: Engine
) -> None:
    _sqlite_only(engine)
    with engine.begin() as connection:  # the database refuses one case, in the third chunk
        connection.exec_driver_sql(
            "CREATE TRIGGER refuse AFTER INSERT ON cases WHEN new.reference = 'CT-2024-00090' "
            "BEGIN SELECT RAISE(ABORT, 'refused by a rule of the database'); END"
        )
    with pytest.raises(DatabaseError, match="refused by a rule of the database"):
        demo.fill(ctx, 300, seed=4)
    with Session(engine) as session:
        assert session.execute(text("SELECT count(*) FROM cases")).scalar_one() == 0
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER refuse")
    assert demo.fill(ctx, 300, seed=4) == 300


def test_a_writer_that_stops_is_said_and_nothing_is_stored(
    small_chunks: None, ctx: Context, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sqlite_only(engine)
    records = demo.records

    def killing(*args: object) -> Iterator[object]:
        for number, record in enumerate(records(*args)):  # type: ignore[arg-type]
            if number == 150:
                for child in multiprocessing.active_children():
                    os.kill(child.pid or 0, signal.SIGKILL)
            yield record

    monkeypatch.setattr(demo, "records", killing)
    with pytest.raises(DatabaseError, match="stopped.*nothing was stored"):
        demo.fill(ctx, 300, seed=4)
    with Session(engine) as session:
        assert session.execute(text("SELECT count(*) FROM cases")).scalar_one() == 0
    monkeypatch.setattr(demo, "records", records)
    assert demo.fill(ctx, 300, seed=4) == 300


def test_a_failure_building_the_rows_stores_nothing(
    small_chunks: None, ctx: Context, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sqlite_only(engine)
    records = demo.records

    def failing(*args: object) -> Iterator[object]:
        for number, record in enumerate(records(*args)):  # type: ignore[arg-type]
            if number == 150:
                raise KeyError("something of ours")
            yield record

    monkeypatch.setattr(demo, "records", failing)
    with pytest.raises(KeyError, match="something of ours"):
        demo.fill(ctx, 300, seed=4)
    assert not multiprocessing.active_children()  # the child rolled back and went
    with Session(engine) as session:
        assert session.execute(text("SELECT count(*) FROM cases")).scalar_one() == 0
