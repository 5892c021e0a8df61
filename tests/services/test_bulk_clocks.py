"""A bulk store works each clock out once per distinct clock: stages that differ only in
what their clock does not read share one, and the acknowledgement counts where the policy
starts the clock there."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select
from sqlmodel import Session

from complaints_tui.domain.policy_file import parse_policy
from complaints_tui.domain.records import CaseRecord, StageRecord
from complaints_tui.services.context import Context
from complaints_tui.services.stage_clocks import clock_input
from complaints_tui.services.store import store_records
from db.engine import transaction
from db.tables import Case, Stage

RECEIVED = date(2025, 3, 3)  # a Monday


def _case(reference: str, procedure: str, acknowledged: date | None) -> CaseRecord:
    stage = StageRecord(procedure, 1, RECEIVED, acknowledged=acknowledged)
    return CaseRecord(reference=reference, procedure=procedure, stages=[stage])


def test_each_clock_starts_at_its_own_acknowledgement_where_the_policy_says(
    engine: Engine,
) -> None:
    policy = parse_policy({"clock_start": {"corporate": {"stage1": "acknowledged"}}})
    ctx = Context(engine, policy=policy, actor="Test Officer", clock=lambda: date(2026, 11, 23))
    records = [
        _case("CT-1", "corporate", date(2025, 3, 4)),
        _case("CT-2", "corporate", date(2025, 3, 6)),
        _case("CT-3", "corporate", None),  # not yet acknowledged: a provisional start
        _case("CT-4", "corporate", date(2025, 3, 6)),
        _case("CT-5", "statutory", date(2025, 3, 4)),  # the received day, by default
        _case("CT-6", "statutory", date(2025, 3, 6)),
    ]
    expected = {}
    for record in records:
        stage = record.stages[0]
        clock = clock_input(stage, [])
        expected[record.reference] = ctx.due(clock)[0]
    with transaction(engine) as session:
        store_records(ctx, session, records)
    with Session(engine) as session:
        rows = session.execute(
            select(Case.reference, Stage.clock_start, Stage.due)
            .join(Stage, Stage.case_id == Case.id)
            .order_by(Case.reference)
        ).all()
    starts = {reference: start for reference, start, _ in rows}
    assert starts["CT-1"] == date(2025, 3, 4)
    assert starts["CT-2"] == starts["CT-4"] == date(2025, 3, 6)
    assert starts["CT-3"] > RECEIVED  # the acknowledgement's last allowed day
    assert starts["CT-5"] == starts["CT-6"] == RECEIVED
    assert {reference: due for reference, _, due in rows} == expected
    assert expected["CT-1"] < expected["CT-2"]
    assert expected["CT-5"] == expected["CT-6"]
