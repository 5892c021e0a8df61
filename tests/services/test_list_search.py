"""Searching the case list: accents and case ignored, every searched field read, and the
search indexes following every write (SQLite's due-order index included)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from complaints_tui.services import actions, demo, lists_sql
from complaints_tui.services import lists as L
from complaints_tui.services.context import Context
from db.engine import make_engine
from db.tables import Case, CaseChild, Stage
from tests.conftest import order_weeks_agree, stage_order_agrees, with_team
from tests.services.list_oracle import everything

TODAY = date(2026, 11, 23)


@pytest.fixture
def ctx(new_db: Callable[..., str]) -> Iterator[Context]:
    engine = make_engine(new_db("c"))
    yield with_team(Context(engine, actor="Test Officer", clock=lambda: TODAY))
    engine.dispose()


def test_search_ignores_case_and_accents_and_reads_every_searched_field(ctx: Context) -> None:
    def log(name: str, summary: str) -> str:
        return actions.log_case(
            ctx,
            procedure="corporate",
            received=date(2026, 11, 2),
            complainant_name=name,
            summary=summary,
        ).reference

    zoe = log("Zoë Smith", "Contact arrangements")
    siobhan = log("SIOBHÁN Ní Bhriain", "Delay in the EHCP")
    plain = log("Zoe Jones", "Rang twice, no reply from the café")

    def found(text: str, scope: str = "all") -> set[str]:
        listing = L.open_listing(ctx, L.CaseFilter(scope=scope, search=text))
        return {row.reference for row in listing.first}

    assert found("zoe") == {zoe, plain}
    assert found("ZOË") == {zoe, plain}
    assert found("siobhan") == {siobhan}
    assert found("ní bhriain ehcp") == {siobhan}
    assert found("cafe") == {plain}
    assert found(zoe.lower()) == {zoe}
    assert found("smith contact") == {zoe}
    assert found("smith delay") == set()
    # Closed cases are searched too.
    actions.close(ctx, siobhan, reason="Resolved", on=date(2026, 11, 20))
    assert found("siobhan", scope="closed") == {siobhan}
    assert found("siobhan", scope="open") == set()


def test_children_and_the_case_management_number_are_searched(ctx: Context) -> None:
    ref = actions.log_case(ctx, procedure="statutory", received=date(2026, 11, 2)).reference
    with Session(ctx.engine) as session:
        case = session.execute(select(Case).where(col(Case.reference) == ref)).scalar_one()
        case.cms_reference = "LCS-778812"
        session.add(CaseChild(case_id=case.id, name="Chloë Adéyẹmí", date_of_birth=None))
        session.commit()
    assert L.open_listing(ctx, L.CaseFilter(search="chloe adeyemi")).total == 1
    assert L.open_listing(ctx, L.CaseFilter(search="lcs-7788")).total == 1
    assert [h.reference for h in L.find_cases(ctx, "778812").hits] == [ref]
    with Session(ctx.engine) as session:
        (child,) = session.execute(select(CaseChild)).scalars()
        session.delete(child)
        session.commit()
    assert L.open_listing(ctx, L.CaseFilter(search="chloe")).total == 0


def test_an_edit_moves_the_search_index_with_it(ctx: Context) -> None:
    ref = actions.log_case(
        ctx, procedure="corporate", received=date(2026, 11, 2), complainant_name="Seán Byrne"
    ).reference
    assert L.open_listing(ctx, L.CaseFilter(search="sean")).total == 1
    with Session(ctx.engine) as session:  # as any save through the ORM does
        case = session.execute(select(Case).where(col(Case.reference) == ref)).scalar_one()
        case.complainant_name = "Chloé Martin"
        session.commit()
    assert L.open_listing(ctx, L.CaseFilter(search="sean")).total == 0
    assert L.open_listing(ctx, L.CaseFilter(search="chloe")).total == 1


def _listed(ctx: Context, f: L.CaseFilter, cap: int) -> list[int]:
    """The rows of the filter's list counted up to ``cap`` (one fewer than match: the
    broad search's plan, read in its sort's order), paged forward a row at a time as a
    screen does (so every row is once a page's edge), and checked against pages read by
    offset and a row back from each row."""
    listing = L.open_listing(ctx, f, limit=2, cap=cap, drive=0)
    assert listing.capped and listing.total == cap
    rows = list(listing.first)
    while len(rows) < listing.total:
        page = L.fetch_rows(ctx, listing, offset=len(rows), limit=1, after=rows[-1])
        assert page, f"rows {len(rows)} of {listing.total} never came"
        rows += page
    ids = [r.stage_id for r in rows]
    for offset in range(0, cap, 3):
        page = L.fetch_rows(ctx, listing, offset=offset, limit=3)
        assert [r.stage_id for r in page] == ids[offset : offset + 3]
    for i in range(1, cap):  # backwards, a row before each row
        before = L.fetch_rows(ctx, listing, offset=i - 1, limit=1, before=rows[i])
        assert [r.stage_id for r in before] == [ids[i - 1]]
    return ids


def _index_agrees_with_its_content(ctx: Context) -> None:
    # A trigger that missed a write, or wrote a wrong key, leaves the index unlike its content.
    if ctx.engine.dialect.name == "sqlite":
        with ctx.engine.connect() as connection:
            stage_order_agrees(connection.connection.driver_connection)
    else:
        with ctx.engine.connect() as connection:
            order_weeks_agree(connection)


def test_a_broad_search_in_each_sort_follows_every_write_that_moves_a_stage(
    ctx: Context,
) -> None:
    def log(day: int, summary: str) -> str:
        return actions.log_case(
            ctx, procedure="statutory", received=date(2026, 10, day), summary=summary
        ).reference

    refs = [log(day, f"Placement delay {day}") for day in (1, 5, 9, 13, 19, 23, 27)]
    other = log(2, "Transport")
    filters = [
        L.CaseFilter(scope=scope, search=typed, sort=sort)
        for sort in ("due", "received", "reference")
        for scope in ("all", "closed")
        for typed in ("delay", "placement de", "ela")
    ]

    def agree() -> int:
        compared = 0
        for f in filters:
            expected = everything(ctx, f)
            if len(expected) > 2:  # a capped list (closed stages come with the responses)
                assert _listed(ctx, f, len(expected) - 1) == expected[:-1], f
                compared += 1
        _index_agrees_with_its_content(ctx)
        return compared

    assert agree() == 9
    actions.extend(ctx, refs[0], to_days=20, reason="Complex case")  # due moves later
    actions.suspend(ctx, refs[1], reason="Awaiting an advocate", start=date(2026, 11, 2))
    actions.respond(ctx, refs[2], outcome="upheld", on=date(2026, 11, 3))
    actions.escalate(ctx, refs[2], request_date=date(2026, 11, 10))  # a new stage
    actions.respond(ctx, refs[3], outcome="not_upheld", on=date(2026, 11, 4))
    actions.respond(ctx, refs[6], outcome="upheld", on=date(2026, 11, 5))
    actions.update_case(ctx, refs[4], {"summary": "Transport"})  # no longer found
    actions.update_case(ctx, other, {"summary": "Delay in transport"})  # found now
    # Received a week earlier: the stage moves down the newest-first list.
    actions.correct(ctx, refs[6], field="received", to="2026-10-20", reason="Date misread")
    assert agree() == 18
    with Session(ctx.engine) as session:  # a stage and a case removed outright
        stage = session.execute(
            select(Stage).join(Case).where(col(Case.reference) == refs[5])
        ).scalar_one()
        session.delete(stage)
        session.commit()
    assert refs[5] not in [r.reference for r in L.open_listing(ctx, filters[0]).first]
    assert agree() == 18
    assert len(everything(ctx, filters[0])) == 7


def test_a_broad_search_by_reference_lists_a_case_too_long_for_the_reference_index(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL walks a broad search in reference order along an index of references
    # with their text (``db.search_order.REFERENCE_TEXT``, schema 16). A B-tree entry
    # holds at most 2,704 bytes: a case with a longer text (a summary pasted from a
    # letter) is kept in another index and walked beside it. Such a case is saved, and
    # listed in its place in every page, forwards, backwards and by offset.
    import random
    import string

    monkeypatch.setattr(lists_sql, "FIRST_WALK", 0)  # every page read by the walk
    rng = random.Random(5)
    letter = " ".join("".join(rng.choices(string.ascii_lowercase, k=8)) for _ in range(900))
    refs = [
        actions.log_case(
            ctx, procedure="statutory", received=date(2026, 10, day), summary="Placement delay"
        ).reference
        for day in (1, 5, 9, 13, 19, 23, 27)
    ]
    actions.update_case(ctx, refs[3], {"summary": f"Placement delay. {letter}"})
    long = actions.log_case(
        ctx, procedure="statutory", received=date(2026, 10, 2), summary=f"{letter} delay"
    ).reference
    for ref in (refs[1], refs[3], refs[5], long):
        actions.respond(ctx, ref, outcome="upheld", on=date(2026, 11, 3))
    for scope in ("all", "closed"):
        f = L.CaseFilter(scope=scope, search="delay", sort="reference")
        expected = everything(ctx, f)
        assert len(expected) == (8 if scope == "all" else 4)
        assert _listed(ctx, f, len(expected) - 1) == expected[:-1], f
    shown = L.open_listing(ctx, L.CaseFilter(scope="all", search="delay", sort="reference"))
    assert [r.reference for r in shown.first] == sorted([*refs, long])


def test_bulk_writes_fill_the_due_order_index_as_the_triggers_would(ctx: Context) -> None:
    # Demo data and imports index their stages in one pass at the end (db.search_order.bulk),
    # into an empty database and into one that has cases already.
    from dataclasses import replace

    from complaints_tui.services.store import store_records
    from db.engine import transaction

    demo.fill(ctx, 120, seed=5)
    _index_agrees_with_its_content(ctx)
    later = [
        replace(r, reference=r.reference.replace("CT-", "CX-"))
        for r in demo.generate(ctx, 40, seed=6)
    ]
    with transaction(ctx.engine) as session:
        assert store_records(ctx, session, later) == 40
    _index_agrees_with_its_content(ctx)
    f = L.CaseFilter(scope="all", search="cx-")
    assert _listed(ctx, f, 30) == everything(ctx, f)[:30]


@pytest.mark.parametrize("drive", [4_000, 1], ids=["from-matches", "each-open-stage"])
def test_open_stage_searches_list_what_the_oracle_lists_after_stages_open_and_close(
    ctx: Context, monkeypatch: pytest.MonkeyPatch, drive: int
) -> None:
    # On PostgreSQL an open-stage search reads the open cases holding its words from the
    # token index (``lists_pg.running_matches``, the ``RUNNING`` bucket the triggers keep
    # as stages open and close): read from them and sorted, or, with more matches than
    # ``RUNNING_DRIVE`` (1 here), each open stage checked in sort order. SQLite is the
    # same reads without the tokens.
    from complaints_tui.services import lists_pg

    monkeypatch.setattr(lists_pg, "RUNNING_DRIVE", drive)
    demo.fill(ctx, 150, seed=11)
    refs = [
        actions.log_case(
            ctx, procedure="corporate", received=date(2026, 11, day), summary="Delay in a reply"
        ).reference
        for day in (2, 9, 16)
    ]
    # Every trigram of 'delay' (del, ela, lay), but not the word: the tokens alone would
    # find it, the text does not hold it.
    actions.log_case(
        ctx, procedure="corporate", received=date(2026, 11, 20), summary="Relay to the model layout"
    )

    def agree() -> None:
        for sort in ("due", "received", "reference"):
            for typed in ("delay", "smith", "ct-2026", "ela y", "zoe"):
                f = L.CaseFilter(scope="open", search=typed, sort=sort)
                expected = everything(ctx, f)
                listing = L.open_listing(ctx, f, limit=4, cap=len(expected) + 5)
                assert listing.total == len(expected), f
                rows = list(listing.first)
                while len(rows) < listing.total:
                    rows += L.fetch_rows(ctx, listing, offset=len(rows), limit=4, after=rows[-1])
                assert [r.stage_id for r in rows] == expected, f
                if len(rows) > 6:
                    back = L.fetch_rows(ctx, listing, offset=2, limit=3, before=rows[5])
                    assert [r.stage_id for r in back] == expected[2:5], f
                    end = L.fetch_rows(ctx, listing, offset=len(rows) - 3, limit=3)
                    assert [r.stage_id for r in end] == expected[-3:], f
        _index_agrees_with_its_content(ctx)

    agree()
    actions.suspend(ctx, refs[1], reason="Awaiting an advocate", start=date(2026, 11, 17))
    actions.respond(ctx, refs[0], outcome="upheld", on=date(2026, 11, 20))  # no longer open
    actions.respond(ctx, refs[2], outcome="not_upheld", on=date(2026, 11, 18))
    actions.escalate(ctx, refs[2], request_date=date(2026, 11, 20))  # open again, stage 2
    agree()
    shown = L.open_listing(ctx, L.CaseFilter(search="delay"), limit=500).first
    assert {r.reference for r in shown} & set(refs) == {refs[1], refs[2]}


def test_a_broad_search_newest_first_lists_every_day_of_each_week(ctx: Context) -> None:
    # PostgreSQL reads a broad search sorted by received date a week of receipts at a
    # time, weeks starting on a Monday (``db.search_weeks.RECEIVED``), and counts it so in
    # the reference sort too: stages received on each day of three weeks (a Sunday and a
    # Monday at every edge, New Year in the middle) list as the oracle lists them, and
    # correcting a received date moves the stage to its new week.
    from datetime import timedelta

    first = date(2025, 12, 21)  # a Sunday
    refs = [
        actions.log_case(
            ctx, procedure="statutory", received=first + timedelta(days=n), summary="Delay"
        ).reference
        for n in range(17)
    ]
    actions.log_case(ctx, procedure="statutory", received=first, summary="Transport")

    def agree() -> None:
        for sort in ("received", "reference"):
            for scope in ("all", "closed"):
                f = L.CaseFilter(scope=scope, search="delay", sort=sort)
                expected = everything(ctx, f)
                if len(expected) > 2:
                    assert _listed(ctx, f, len(expected) - 1) == expected[:-1], f
        _index_agrees_with_its_content(ctx)

    for ref in refs[::3]:  # closed stages in the newest-first list too
        actions.respond(ctx, ref, outcome="upheld", on=date(2026, 2, 2))
    agree()
    actions.correct(ctx, refs[0], field="received", to="2026-01-04", reason="Date misread")
    agree()
    with Session(ctx.engine) as session:  # the received date alone, the due date kept
        stage = session.execute(
            select(Stage).join(Case).where(col(Case.reference) == refs[1])
        ).scalar_one()
        stage.received = date(2025, 12, 14)
        session.commit()
    agree()
    listed = L.open_listing(ctx, L.CaseFilter(scope="all", search="delay", sort="received"))
    shown = [(r.reference, r.received) for r in listed.first]
    assert [day for _, day in shown] == sorted((day for _, day in shown), reverse=True)
    assert (refs[0], date(2026, 1, 4)) in shown and len(shown) == 17
