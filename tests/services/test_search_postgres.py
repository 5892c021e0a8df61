"""Search on PostgreSQL (pg_trgm): the same answers as SQLite.

Runs where COMPLAINTS_TEST_PG names a server, as .ci/run sets it; otherwise not collected,
and the run's last line says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from sqlalchemy import text

from complaints_tui.services import actions, demo
from complaints_tui.services import lists as L
from complaints_tui.services.context import Context
from db.engine import make_engine

TODAY = date(2026, 11, 23)


pytestmark = pytest.mark.postgresql  # run where COMPLAINTS_TEST_PG names a server


@pytest.fixture(scope="module")
def pg_ctx(new_module_db: Callable[..., str]) -> Iterator[Context]:
    """A fresh schema on the test server (the suite's own fixture: no CREATEDB needed)."""
    engine = make_engine(new_module_db("search"))
    try:
        yield Context(engine, actor="J. Bennett", clock=lambda: TODAY)
    finally:
        engine.dispose()


def test_search_ignores_accents_and_uses_the_trigram_index(pg_ctx: Context) -> None:
    demo.fill(pg_ctx, 300, seed=2)
    ref = actions.log_case(
        pg_ctx,
        procedure="statutory",
        received=date(2026, 11, 2),
        complainant_name="Aoibhínn Ó Dálaigh",
        summary="Crèche placement",
    ).reference
    for typed in ("aoibhinn", "O DALAIGH", "crèche", "creche", ref.lower()):
        listing = L.open_listing(pg_ctx, L.CaseFilter(scope="all", search=typed))
        assert [row.reference for row in listing.first] == [ref], typed
    with pg_ctx.engine.connect() as conn:
        indexes = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE tablename = 'cases'")
        ).scalars()
        assert any("gin_trgm_ops" in i for i in indexes)


def test_search_agrees_with_sqlite_on_demo_data(pg_ctx: Context, tmp_path) -> None:
    lite = Context(make_engine(tmp_path / "c.sqlite3"), actor="J. Bennett", clock=lambda: TODAY)
    demo.fill(lite, 300, seed=2)
    for f in (
        L.CaseFilter(scope="all", search="smith"),
        L.CaseFilter(scope="closed", search="delay ehcp", sort="reference"),
        L.CaseFilter(scope="all", search="khan", mine=True),
    ):
        want = L.open_listing(lite, f)
        got = L.open_listing(pg_ctx, f)
        assert got.total == want.total > 0
        assert [r.reference for r in got.first] == [r.reference for r in want.first]
    lite.engine.dispose()
