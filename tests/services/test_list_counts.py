"""A whole scope's count (open, closed or all stages, no filter): exact, whatever was
written, and on PostgreSQL read from the counts the database keeps (``db.stage_counts``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlmodel import Session, col

from complaints_tui.services import actions, demo
from complaints_tui.services import lists as L
from complaints_tui.services.context import Context
from complaints_tui.services.store import store_records
from db import stage_counts
from db.engine import make_engine, transaction
from db.tables import Case, Stage
from tests.conftest import order_weeks_agree, with_team
from tests.services.list_oracle import everything

TODAY = date(2026, 11, 23)


@pytest.fixture
def ctx(new_db: Callable[..., str]) -> Iterator[Context]:
    engine = make_engine(new_db("c"))
    yield with_team(Context(engine, actor="Test Officer", clock=lambda: TODAY))
    engine.dispose()


def _counts_agree(ctx: Context) -> int:
    """Every unfiltered scope in every sort counts what the oracle lists (by segment)."""
    with Session(ctx.engine) as session:
        due = {i: d for i, d in session.execute(select(col(Stage.id), col(Stage.due)))}
    compared = 0
    for scope in L.SCOPES:
        for sort in L.SORTS:
            f = L.CaseFilter(scope=scope, sort=sort)
            expected = everything(ctx, f)
            listing = L.open_listing(ctx, f, limit=3)
            assert not listing.capped and listing.total == len(expected), f
            if sort == "due":
                dated = sum(due[i] is not None for i in expected)
                assert listing.segment_sizes == (dated, len(expected) - dated), f
            assert [r.stage_id for r in listing.first] == expected[:3], f
            compared += 1
    if ctx.engine.dialect.name == "postgresql":
        with ctx.engine.connect() as connection:
            order_weeks_agree(connection)  # the kept counts are the stages' own
    return compared


def test_a_whole_scope_counts_exactly_what_it_lists_after_every_kind_of_write(
    ctx: Context,
) -> None:
    def log(day: int) -> str:
        return actions.log_case(
            ctx, procedure="statutory", received=date(2026, 10, day), summary=f"Delay {day}"
        ).reference

    demo.fill(ctx, 60, seed=4)  # a bulk write into an empty database
    assert _counts_agree(ctx) == 9
    refs = [log(day) for day in (1, 5, 9, 13, 19)]
    actions.suspend(ctx, refs[0], reason="Awaiting an advocate", start=date(2026, 11, 2))
    actions.respond(ctx, refs[1], outcome="upheld", on=date(2026, 11, 3))
    actions.escalate(ctx, refs[1], request_date=date(2026, 11, 10))  # a new stage
    actions.respond(ctx, refs[2], outcome="not_upheld", on=date(2026, 11, 4))
    actions.void(ctx, refs[1], reason="Logged twice", stage="2")  # voided: in no list
    actions.void(ctx, refs[3], reason="Not a complaint")
    assert _counts_agree(ctx) == 9
    actions.restore(ctx, refs[3], reason="It was one after all")
    with Session(ctx.engine) as session:  # a stage removed outright
        stage = session.execute(
            select(Stage).join(Case).where(col(Case.reference) == refs[4])
        ).scalar_one()
        session.delete(stage)
        session.commit()
    assert _counts_agree(ctx) == 9
    # A bulk write into a database with cases: an import of more.
    later = [
        replace(r, reference=r.reference.replace("CT-", "CX-"))
        for r in demo.generate(ctx, 20, seed=5)
    ]
    with transaction(ctx.engine) as session:
        assert store_records(ctx, session, later) == 20
    assert _counts_agree(ctx) == 9


def test_folding_the_kept_counts_changes_no_count(ctx: Context) -> None:
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL keeps counts")
    demo.fill(ctx, 40, seed=2)
    for day in (1, 2, 3):
        actions.log_case(ctx, procedure="statutory", received=date(2026, 11, day), summary="A")
    with ctx.engine.begin() as connection:
        before = {k: n for k, n in stage_counts.counts(connection).items() if n}
        rows = connection.execute(text(f"SELECT count(*) FROM {stage_counts.TABLE}")).scalar()
        connection.exec_driver_sql(stage_counts.FOLD)
        assert stage_counts.counts(connection) == before  # and none left at 0
        folded = connection.execute(text(f"SELECT count(*) FROM {stage_counts.TABLE}")).scalar()
    assert folded == len(before) < rows
    assert _counts_agree(ctx) == 9
