"""Repositories and bulk storage on a real SQLite file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from complaints_tui.domain.errors import ConflictError, NotFoundError
from complaints_tui.domain.records import CaseRecord, StageRecord
from complaints_tui.services.context import Context
from complaints_tui.services.store import recompute_open_clocks, store_records
from db import repo
from db.engine import make_engine, transaction
from db.tables import Case, Stage


def record(reference: str, received: date, **stage: object) -> CaseRecord:
    return CaseRecord(
        reference=reference,
        procedure="statutory",
        stages=[StageRecord("statutory", 1, received, **stage)],  # type: ignore[arg-type]
        themes=("Delay", " delay", "Communication"),
        service="CIC North",
    )


def test_store_records_computes_clocks_and_dedupes_themes(ctx: Context) -> None:
    with transaction(ctx.engine) as session:
        store_records(
            ctx,
            session,
            [
                record("A", date(2022, 12, 22)),
                record("B", date(2022, 12, 22), responded=date(2023, 1, 5), outcome="upheld"),
                record(
                    "C",
                    date(2022, 12, 22),
                    suspensions=[(date(2022, 12, 28), date(2022, 12, 30), "advocate")],
                ),
            ],
        )
    with Session(ctx.engine) as session:
        a = repo.get_case(session, "A")
        stages = {s.case_id: s for s in session.exec(select(Stage))}
        # Thu 22 Dec 2022 + 10: 23, 28, 29, 30, 3, 4, 5, 6, 9, 10 Jan
        assert stages[a.id].due == date(2023, 1, 10)
        assert stages[a.id].status == "open" and a.status == "open"
        b = repo.get_case(session, "B")
        assert stages[b.id].status == "responded" and b.status == "closed"
        assert b.closed_on == date(2023, 1, 5)
        c = repo.get_case(session, "C")
        assert stages[c.id].due == date(2023, 1, 13)  # 28-30 Dec stopped: three days later
        assert repo.case_themes(session, a) == ["Delay", "Communication"]


def test_get_case_not_found(ctx: Context) -> None:
    with Session(ctx.engine) as session, pytest.raises(NotFoundError):
        repo.get_case(session, "nope")


def test_bump_version_refuses_a_stale_version(ctx: Context) -> None:
    with transaction(ctx.engine) as session:
        store_records(ctx, session, [record("A", date(2026, 11, 2))])
    with transaction(ctx.engine) as session:
        case = repo.get_case(session, "A")
        repo.bump_version(session, case, 1)
    with transaction(ctx.engine) as session:
        case = repo.get_case(session, "A")
        assert case.version == 2
        with pytest.raises(ConflictError):
            repo.bump_version(session, case, 1)


def test_recompute_follows_a_policy_change(ctx: Context) -> None:
    from dataclasses import replace

    with transaction(ctx.engine) as session:
        store_records(ctx, session, [record("A", date(2026, 11, 2))])
    longer = replace(ctx.policy, statutory=replace(ctx.policy.statutory, stage1=20))
    other = replace(ctx, policy=longer)
    with transaction(ctx.engine) as session:
        assert recompute_open_clocks(other, session) == 1
    with Session(ctx.engine) as session:
        assert session.exec(select(Stage.due)).one() == date(2026, 11, 30)


def test_transaction_rolls_back_everything(ctx: Context) -> None:
    with pytest.raises(RuntimeError), transaction(ctx.engine) as session:
        session.add(Case(reference="X", procedure="mp"))
        session.flush()
        raise RuntimeError("boom")
    with Session(ctx.engine) as session:
        assert session.exec(select(Case)).all() == []


def test_open_clocks_follow_a_changed_policy_file(ctx: Context) -> None:
    from dataclasses import replace

    from complaints_tui.services.store import follow_policy

    with transaction(ctx.engine) as session:
        store_records(ctx, session, [record("A", date(2026, 11, 2))])
    assert follow_policy(ctx) is None  # first run: the policy in force is recorded
    assert follow_policy(ctx) is None  # same policy: nothing to do
    longer = replace(
        ctx, policy=replace(ctx.policy, statutory=replace(ctx.policy.statutory, stage1=20))
    )
    assert follow_policy(longer) == 1
    with Session(ctx.engine) as session:
        assert session.exec(select(Stage.due)).one() == date(2026, 11, 30)


def test_a_first_release_database_without_later_indexes_gets_them(tmp_path: Path) -> None:
    """The first release added indexes within schema 1; the upgrade adds any missing."""
    import shutil

    from sqlalchemy import inspect

    path = tmp_path / "old.sqlite3"
    shutil.copy(Path(__file__).parent / "fixtures" / "schema1.sqlite3", path)
    engine = make_engine(path, create=False)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_stages_status_due")
    engine.dispose()
    engine = make_engine(path)
    names = {i["name"] for i in inspect(engine).get_indexes("stages")}
    engine.dispose()
    assert "ix_stages_status_due" in names


def test_distinct_values_walk_the_index_and_agree_with_a_scan(ctx: Context) -> None:
    """The filters' choices: every value once, in the database's own order, NULL left out;
    read along the index (a scan of a million cases took a second a column)."""
    services = [None, "", "b", "B", "a", "Á", "a b", "ab", "b", None, "Ab", "a"]
    with transaction(ctx.engine) as session:
        records = [record(f"R{i}", date(2024, 3, 4)) for i in range(len(services))]
        for one, service in zip(records, services, strict=True):
            one.service = service
        store_records(ctx, session, records)
    service = col(Case.service)
    with Session(ctx.engine) as session:
        scanned = select(service).where(service.is_not(None)).distinct().order_by(service)
        expected = list(session.execute(scanned).scalars())
        assert len(expected) == 8  # "", a, A, a b, ab, Ab, Á, b, B: each once
        assert repo.distinct_values(session, service) == expected
        assert repo.distinct_values(session, col(Case.division)) == []
        if ctx.engine.dialect.name == "sqlite":
            walk = repo.distinct_values_query(service).compile(
                compile_kwargs={"literal_binds": True}
            )
            plan = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {walk}")
            steps = [row[-1] for row in plan]
            assert not any(step.startswith("SCAN cases") for step in steps), steps
