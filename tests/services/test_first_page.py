"""The launch's first page, read with sqlite3 alone, is the list's own first page."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from complaints_tui.services import actions, demo
from complaints_tui.services import lists as L
from complaints_tui.services.context import Context
from complaints_tui.services.first_page import first_listing
from db.engine import close_engine, make_engine

TODAY = date(2026, 11, 23)


def test_the_quick_first_page_is_the_lists_first_page(tmp_path: Path) -> None:
    path = tmp_path / "team.sqlite3"
    engine = make_engine(path)
    ctx = Context(engine, actor="J. Bennett", clock=lambda: TODAY)
    demo.fill(ctx, 400, seed=4)
    stopped = actions.log_case(ctx, procedure="statutory", received=date(2026, 11, 16)).reference
    actions.suspend(ctx, stopped, reason="Awaiting an advocate", start=date(2026, 11, 20))
    want = L.open_listing(ctx, L.CaseFilter(), working_days=False)
    small = L.open_listing(ctx, L.CaseFilter(), limit=7, working_days=False)
    close_engine(engine)
    close_engine(make_engine(path))  # opened again and checked: now vouched for

    got = first_listing(path)
    assert got is not None
    assert (got.total, got.segment_sizes) == (want.total, want.segment_sizes)
    assert got.first == want.first  # every field the list shows, in the same order
    assert [r.key for r in got.first] == [r.key for r in want.first]  # and where each sits
    assert any(r.status == "suspended" for r in got.first) or want.segment_sizes[0] >= 100
    assert first_listing(path, limit=7) is not None
    assert first_listing(path, limit=7).first == small.first  # type: ignore[union-attr]


def test_a_file_changed_since_its_last_check_is_not_read_early(tmp_path: Path) -> None:
    path = tmp_path / "team.sqlite3"
    close_engine(make_engine(path))  # created
    close_engine(make_engine(path))  # opened, checked and vouched for
    assert first_listing(path) is not None
    os.utime(path, ns=(1, 1))  # changed behind the program's back: open it the usual way
    assert first_listing(path) is None
    assert first_listing(tmp_path / "missing.sqlite3") is None
    (tmp_path / "text.sqlite3").write_text("not a database")
    assert first_listing(tmp_path / "text.sqlite3") is None
