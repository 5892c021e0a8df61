"""PostgreSQL's upgrades: a team's shared database at an older schema upgrades in place to
today's, with the indexes a new database has, and lists exactly what it listed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine, text

from complaints_tui.services import actions
from complaints_tui.services import lists as L
from complaints_tui.services.context import Context
from db.engine import make_engine
from db.schema import SCHEMA_HEAD, _alembic_config
from tests.conftest import order_weeks_agree, with_team
from tests.services.list_oracle import everything

pytestmark = pytest.mark.postgresql
TODAY = date(2026, 11, 23)


def _indexes(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = 'cases'"
            )
        )
        return {name: definition for name, definition in rows}


def _listed(ctx: Context) -> dict[str, list[int]]:
    out = {}
    for sort in ("due", "received", "reference"):
        for scope in ("all", "closed", "open"):
            f = L.CaseFilter(scope=scope, search="delay", sort=sort)
            # Counted to one fewer than match: the broad search's plan (by week, by walk).
            listing = L.open_listing(ctx, f, cap=3, drive=0)
            shown = [r.stage_id for r in listing.first]
            assert shown == everything(ctx, f)[: len(shown)]
            out[f"{scope} by {sort}"] = shown
    return out


@pytest.mark.parametrize("older", ["0012_pg_counts", "0015_stage_days"])
def test_an_older_postgresql_database_upgrades_to_the_indexes_and_lists_of_a_new_one(
    new_db: Callable[..., str], older: str
) -> None:
    from alembic import command

    target = new_db("c")
    ctx = with_team(Context(make_engine(target), actor="Test Officer", clock=lambda: TODAY))
    refs = [
        actions.log_case(
            ctx, procedure="statutory", received=date(2026, 10, day), summary="Delay"
        ).reference
        for day in (1, 8, 15, 22)
    ]
    actions.respond(ctx, refs[1], outcome="upheld", on=date(2026, 11, 3))
    actions.respond(ctx, refs[2], outcome="upheld", on=date(2026, 11, 4))
    fresh, before = _indexes(ctx.engine), _listed(ctx)
    with ctx.engine.begin() as connection:
        command.downgrade(_alembic_config(connection), older)
    assert set(fresh) - set(_indexes(ctx.engine))  # the newer schema's indexes are gone
    ctx.engine.dispose()

    upgraded = Context(make_engine(target), actor="Test Officer", clock=lambda: TODAY)
    with upgraded.engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        order_weeks_agree(connection)  # the buckets and the token index, as a new one's
    assert version == SCHEMA_HEAD
    assert _indexes(upgraded.engine) == fresh
    assert _listed(upgraded) == before
    upgraded.engine.dispose()
