"""The screens' list queries: every way of paging gives the same rows as one full read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from complaints_tui.domain.search_text import fold
from complaints_tui.services import actions, demo
from complaints_tui.services import lists as L
from complaints_tui.services.context import Context
from db.engine import make_engine
from db.tables import Case
from tests.conftest import with_team
from tests.services.list_oracle import everything

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_ctx(new_module_db: Callable[..., str]) -> Iterator[Context]:
    engine = make_engine(new_module_db("demo"))
    ctx = Context(engine, actor="J. Bennett", clock=lambda: TODAY)
    demo.fill(ctx, 800, seed=3)
    yield ctx
    engine.dispose()


@pytest.fixture
def ctx(new_db: Callable[..., str]) -> Iterator[Context]:
    engine = make_engine(new_db("c"))
    yield with_team(Context(engine, actor="Test Officer", clock=lambda: TODAY))
    engine.dispose()


FILTERS = [
    L.CaseFilter(),
    L.CaseFilter(scope="all"),
    L.CaseFilter(scope="closed", sort="received"),
    L.CaseFilter(scope="all", sort="reference"),
    L.CaseFilter(scope="all", mine=True),
    L.CaseFilter(scope="all", search="smith"),
    L.CaseFilter(scope="all", search="smith d"),  # a short word checked on each case
    L.CaseFilter(scope="all", search="delay ehcp"),
    L.CaseFilter(scope="all", search="2025-001"),
    L.CaseFilter(search="20-week"),
    L.CaseFilter(scope="all", search="ah"),  # too short to search: everything
    L.CaseFilter(scope="closed", search="sm th", sort="reference"),
    L.CaseFilter(scope="all", search="khan", mine=True, sort="received"),
    L.CaseFilter(scope="all", procedure="statutory", stage=2),
    L.CaseFilter(scope="all", service="Fostering Service", sort="received"),
    L.CaseFilter(scope="all", search="smith", sort="reference"),
    L.CaseFilter(scope="closed", search="2025", sort="received"),
]


# A search matching up to DRIVE cases is read from its matches; drive=0 makes every search
# read along the sort's index instead, as one matching more than DRIVE cases does.
DRIVES = pytest.mark.parametrize("drive", [0, L.DRIVE], ids=["walked", "driven"])


@DRIVES
@pytest.mark.parametrize("f", FILTERS, ids=lambda f: f"{f.scope}-{f.sort}-{f.search or f.mine}")
def test_pages_by_key_by_offset_and_backwards_agree_with_a_full_read(
    demo_ctx: Context, f: L.CaseFilter, drive: int
) -> None:
    expected = everything(demo_ctx, f)
    listing = L.open_listing(demo_ctx, f, limit=37, drive=drive)
    assert listing.total == len(expected)
    assert [r.stage_id for r in listing.first] == expected[:37]

    forward = list(listing.first)
    while len(forward) < listing.total:
        forward += L.fetch_rows(demo_ctx, listing, offset=len(forward), limit=37, after=forward[-1])
    assert [r.stage_id for r in forward] == expected

    for offset in range(0, listing.total, 53):
        page = L.fetch_rows(demo_ctx, listing, offset=offset, limit=53)
        assert [r.stage_id for r in page] == expected[offset : offset + 53]

    if listing.total > 40:
        later = L.fetch_rows(demo_ctx, listing, offset=40, limit=40)
        before = L.fetch_rows(demo_ctx, listing, offset=0, limit=40, before=later[0])
        assert [r.stage_id for r in before] == expected[:40]


CAPPED = [
    *FILTERS,
    L.CaseFilter(scope="all", search="ct-"),  # every case: a broad search
    L.CaseFilter(scope="all", search="202 ah", sort="reference"),
    L.CaseFilter(search="ct-"),
    L.CaseFilter(scope="closed", search="ct-", mine=True, sort="received"),
    L.CaseFilter(scope="all", search="2026", sort="reference"),  # the references' far end
    L.CaseFilter(scope="closed", search="ct-", mine=True, sort="reference"),
]


@DRIVES
@pytest.mark.parametrize("f", CAPPED, ids=lambda f: f"{f.scope}-{f.sort}-{f.search or f.mine}")
def test_a_capped_count_lists_the_first_rows_of_the_full_read(
    demo_ctx: Context, f: L.CaseFilter, drive: int
) -> None:
    # A cap of 60 on 800 cases: what a cap of 10,000 is on a million stages.
    cap = 60
    expected = everything(demo_ctx, f)
    listing = L.open_listing(demo_ctx, f, limit=37, cap=cap, drive=drive)
    searched = any(len(w) >= 3 for w in fold(f.search).split())
    narrowed = searched or f.mine or f.procedure or f.stage or f.service
    capped = bool(narrowed) and len(expected) > cap  # a whole scope is counted exactly
    assert listing.capped == capped
    shown = expected[:cap] if capped else expected
    assert listing.total == len(shown)
    assert [r.stage_id for r in listing.first] == shown[:37]

    forward = list(listing.first)
    while len(forward) < listing.total:
        forward += L.fetch_rows(demo_ctx, listing, offset=len(forward), limit=37, after=forward[-1])
    assert [r.stage_id for r in forward] == shown
    for offset in range(0, listing.total, 23):
        page = L.fetch_rows(demo_ctx, listing, offset=offset, limit=23)
        assert [r.stage_id for r in page] == shown[offset : offset + 23]
    if listing.total > 40:
        later = L.fetch_rows(demo_ctx, listing, offset=40, limit=20)
        before = L.fetch_rows(demo_ctx, listing, offset=20, limit=20, before=later[0])
        assert [r.stage_id for r in before] == shown[20:40]

    # Asked to count further, the same filter lists every row.
    full = L.open_listing(demo_ctx, f, limit=37, cap=cap * 100, drive=drive)
    assert not full.capped and full.total == len(expected)


def test_a_broad_search_is_told_from_a_narrow_one(demo_ctx: Context) -> None:
    broad = L.open_listing(demo_ctx, L.CaseFilter(scope="all", search="ct-"), cap=60)
    narrow = L.open_listing(demo_ctx, L.CaseFilter(scope="all", search="smith"), cap=80)
    assert broad.broad and broad.capped and broad.total == 60
    assert not narrow.broad and narrow.total == len(
        everything(demo_ctx, L.CaseFilter(scope="all", search="smith"))
    )


def test_rows_carry_what_the_list_shows(ctx: Context) -> None:
    ref = actions.log_case(
        ctx,
        procedure="statutory",
        received=date(2026, 11, 2),
        complainant_name="Sam Smith",
        service="Fostering Service",
        officer="Test Officer",
        summary="Late\nreply",
    ).reference
    (row,) = L.open_listing(ctx, L.CaseFilter()).first
    assert (row.reference, row.label, row.due, row.days_left) == (
        ref,
        "Statutory 1",
        date(2026, 11, 16),
        -5,
    )
    assert (row.complainant, row.summary, row.version) == ("Sam Smith", "Late reply", 1)
    assert L.open_listing(ctx, L.CaseFilter(mine=True)).total == 1
    assert L.open_listing(ctx, L.CaseFilter(search="SMITH")).total == 1
    assert L.open_listing(ctx, L.CaseFilter(search="100%")).total == 0  # wildcards are text


def test_stopped_clocks_sort_after_running_ones(ctx: Context) -> None:
    first = actions.log_case(ctx, procedure="statutory", received=date(2026, 11, 2)).reference
    second = actions.log_case(ctx, procedure="corporate", received=date(2026, 11, 20)).reference
    actions.suspend(ctx, first, reason="Awaiting an advocate", start=date(2026, 11, 20))
    rows = L.open_listing(ctx, L.CaseFilter()).first
    assert [(r.reference, r.status, r.days_left) for r in rows] == [
        (second, "open", 9),
        (first, "suspended", None),
    ]


def test_triage_queue_holds_only_untriaged_contacts_oldest_first(ctx: Context) -> None:
    late = actions.log_contact(
        ctx, who="B", channel="email", service=None, summary="b", received=date(2026, 11, 20)
    ).reference
    early = actions.log_contact(
        ctx, who="A", channel="web", service=None, summary="a", received=date(2026, 11, 18)
    ).reference
    done = actions.log_contact(ctx, who="C", channel=None, service=None, summary="c").reference
    actions.triage(ctx, done, duty_category="advice")
    assert L.triage_count(ctx) == 2
    assert [c.reference for c in L.triage_queue(ctx)] == [early, late]
    assert [c.reference for c in L.triage_queue(ctx, offset=1, limit=5)] == [late]


def test_a_contact_pending_information_stays_in_the_queue_marked(ctx: Context) -> None:
    waiting = actions.log_contact(
        ctx, who="A", channel="web", service=None, summary="a", received=date(2026, 11, 18)
    ).reference
    actions.triage(ctx, waiting, duty_category="pending_information")
    rows = L.triage_queue(ctx)
    assert [(r.reference, r.pending_since) for r in rows] == [(waiting, TODAY)]
    actions.triage(ctx, waiting, procedure="corporate")  # triaged for real
    assert L.triage_count(ctx) == 0


def test_deadline_groups_and_rows(ctx: Context) -> None:
    def log(proc: str, received: date) -> str:
        return actions.log_case(ctx, procedure=proc, received=received).reference

    overdue = log("statutory", date(2026, 11, 2))  # due 16/11
    today = log("corporate", date(2026, 11, 9))  # due 23/11
    week = log("statutory", date(2026, 11, 12))  # due Thu 26/11
    nxt = log("mp", date(2026, 11, 17))  # due Tue 01/12
    later = log("foi", date(2026, 11, 20))  # 20 days: due 18/12
    stopped = log("statutory", date(2026, 11, 16))
    actions.suspend(ctx, stopped, reason="Advocate", start=date(2026, 11, 18))
    closed_window = log("statutory", date(2026, 9, 1))
    actions.respond(ctx, closed_window, outcome="upheld", on=date(2026, 9, 14))  # window shut
    window = log("corporate", date(2026, 11, 2))
    actions.respond(
        ctx,
        window,
        outcome="upheld",
        on=date(2026, 11, 13),
        learning=[("Train staff", "Manager", date(2026, 11, 20))],
    )
    escalated = log("corporate", date(2026, 10, 1))
    actions.respond(ctx, escalated, outcome="not_upheld", on=date(2026, 11, 2))
    actions.escalate(ctx, escalated, request_date=date(2026, 11, 5))  # its window is used

    groups = L.deadline_groups(ctx)
    counts = {g.key: g.count for g in groups}
    assert counts == {
        "overdue": 1,
        "today": 1,
        "this_week": 1,
        "next_week": 2,  # the MP enquiry, and Corporate 2 accepted 05/11 (due 03/12)
        "later": 1,
        "suspended": 1,
        "acknowledgements": 5,
        "windows": 1,
        "learning": 1,
    }
    rows = L.deadline_rows(ctx, groups, offset=0, limit=100)
    assert len(rows) == sum(g.count + 1 for g in groups)
    refs = [r.key if isinstance(r, L.DeadlineGroup) else r.reference for r in rows]
    assert refs[:11] == [
        *("overdue", overdue, "today", today, "this_week", week),
        *("next_week", nxt, escalated, "later", later),
    ]
    by_group = {r.group: r for r in rows if isinstance(r, L.DeadlineItem)}
    assert by_group["windows"].reference == window
    assert by_group["windows"].when == date(2026, 12, 11)  # 20 working days after 13/11
    assert by_group["suspended"].when == date(2026, 11, 18)
    assert by_group["learning"].days_left == -1 and by_group["learning"].owner == "Manager"
    ack = [r for r in rows if isinstance(r, L.DeadlineItem) and r.group == "acknowledgements"]
    assert ack[0].reference == overdue and ack[0].when == date(2026, 11, 5)
    # any window of the flattened list agrees with the whole
    assert L.deadline_rows(ctx, groups, offset=7, limit=5) == rows[7:12]


def test_filter_choices_and_reference_lookup(demo_ctx: Context) -> None:
    choices = L.filter_choices(demo_ctx)
    assert "Fostering Service" in choices.services and "J. Bennett" in choices.officers
    assert list(choices.divisions) == sorted(choices.divisions)
    hits = L.find_references(demo_ctx, "2026-0001")
    assert hits and all("2026-0001" in h.reference for h in hits)


@pytest.mark.parametrize("text", ["ct-", "smith", "smith d", "2025-001"])
def test_find_counts_up_to_the_cap_and_lists_the_newest_matches(
    demo_ctx: Context, text: str
) -> None:
    with Session(demo_ctx.engine) as session:
        matching = [
            case_id
            for case_id, searched in session.execute(select(col(Case.id), col(Case.search_text)))
            if all(word in searched for word in fold(text).split())
        ]
    newest = sorted(matching, reverse=True)[:8]
    with Session(demo_ctx.engine) as session:
        references = {c.id: c.reference for c in session.execute(select(Case)).scalars()}
    found = L.find_cases(demo_ctx, text, cap=60)
    assert [h.reference for h in found.hits] == [references[i] for i in newest]
    assert found.capped == (len(matching) > 60)
    assert found.total == min(len(matching), 60)


def test_the_list_queries_import_no_ui() -> None:
    """services/ sits below tui/: importing the queries must not pull in Textual."""
    import subprocess
    import sys

    probe = "import sys, complaints_tui.services.lists; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
