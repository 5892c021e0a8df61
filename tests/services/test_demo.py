"""Demo data is written a chunk at a time: every case lands, once, with its indexes back."""

from __future__ import annotations

from sqlalchemy import Engine, func, inspect, select
from sqlmodel import Session

from complaints_tui.services import demo, store
from complaints_tui.services.context import Context
from db.tables import Case, Stage


def test_a_fill_over_several_chunks_writes_every_case_once(ctx: Context, engine: Engine) -> None:
    wanted = store.CHUNK * 2 + 17  # past the size at which indexes are built at the end
    assert demo.fill(ctx, wanted, seed=5) == wanted
    with Session(engine) as session:
        refs = session.execute(select(func.count(), func.count(Case.reference.distinct())))
        assert tuple(refs.one()) == (wanted, wanted)
        orphans = session.execute(
            select(func.count()).select_from(Stage).where(Stage.case_id.not_in(select(Case.id)))
        ).scalar_one()
        assert orphans == 0
    # The deferred indexes are there again, so the lists stay fast.
    names = {i["name"] for i in inspect(engine).get_indexes("stages")}
    assert {"ix_stages_status_due", "ix_stages_due", "ix_stages_received"} <= names


def test_the_stream_gives_the_same_cases_for_a_seed(ctx: Context) -> None:
    first = [(r.reference, r.procedure, r.summary) for r in demo.records(ctx, 300, seed=9)]
    again = [(r.reference, r.procedure, r.summary) for r in demo.generate(ctx, 300, seed=9)]
    assert first == again
    assert len(first) == 300
    assert len({ref for ref, _, _ in first}) == 300
