"""Storing many records at once (import, demo) and recomputing every clock.

Both paths compute each stage's clock with the domain rules (``stage_clocks``, which
remembers the clocks worked out in one store), then write with set-based
inserts: one INSERT per table per chunk, ids assigned here, all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sized
from datetime import date
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session, select

from complaints_tui.domain.clocks import (
    OPEN_STATUSES,
    clock_start_of,
)
from complaints_tui.domain.policy import fingerprint as policy_fingerprint
from complaints_tui.domain.records import CaseRecord
from complaints_tui.domain.search_text import searchable
from complaints_tui.domain.vocab import normalise_free_text
from db import repo, search, search_order, search_weeks
from db.engine import transaction
from db.tables import (
    Case,
    CaseTheme,
    Event,
    LearningAction,
    Meta,
    Remedy,
    Stage,
    Suspension,
    utcnow,
)

from . import stage_days
from .bulk_gc import fewer_collections
from .context import Context
from .stage_clocks import MEMO_LIMIT, RuleMemo, clock_input, derived, rule_columns
from .store_columns import COLUMNS as _COLUMNS

CHUNK = 5000
"""Cases written per set of inserts: the rows of one chunk are all that is held at once,
so storing a million cases takes no more memory than storing five thousand."""

_PLAIN_RECORDS = not {"cms_reference", "children", "children_names"} & set(CaseRecord.__slots__)
"""A CaseRecord carries no CMS reference and no children: its search text is its reference,
name and summary, as ``search.record_search_text`` gives it, without that function's three
look-ups of absent attributes (each an exception raised and caught, per case)."""

_TABLES = (Case, Stage, CaseTheme, Suspension, Remedy, LearningAction, Event)


def store_records(
    ctx: Context,
    session: Session,
    records: Iterable[CaseRecord],
    *,
    event: str | None = "imported",
    expected: int | None = None,
) -> int:
    """Insert new cases with their stages; returns how many cases were written.

    ``event`` is the timeline entry each case starts with (None: none, for demo data);
    ``expected`` is about how many records there are (None: not known), so a large load
    into an empty database builds its indexes once, at the end.
    """
    if expected is None and isinstance(records, Sized):
        expected = len(records)
    # Into an empty database (demo data, a team's first import) indexes are built once,
    # after the rows are in, rather than kept up to date row by row.
    empty = repo.max_id(session, Case) == 0
    large = expected is None or expected >= CHUNK
    # The stages' due-order index likewise takes the new stages in one pass at the end.
    with (
        repo.indexes_deferred(session, _TABLES, when=empty and large),
        search_order.bulk(session.connection()),
        search_weeks.bulk(session.connection()),
        fewer_collections(),  # the records are plain data: see bulk_gc
    ):
        return _store(ctx, session, records, event)


def _store(ctx: Context, session: Session, records: Iterable[CaseRecord], event: str | None) -> int:
    case_ids = repo.IdBlock(session, Case)  # safe while officers log cases meanwhile
    stage_ids = repo.IdBlock(session, Stage)
    cases: list[tuple[Any, ...]] = []
    stages: list[tuple[Any, ...]] = []
    themes: list[tuple[Any, ...]] = []
    suspensions: list[tuple[Any, ...]] = []
    remedies: list[tuple[Any, ...]] = []
    learning: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    buffers = (cases, stages, themes, suspensions, remedies, learning, events)
    written = 0
    now = utcnow()
    actor = ctx.actor
    clocks: dict[Any, tuple[Any, ...]] = {}
    rules = RuleMemo()
    theme_keys: dict[str, str] = {}
    record_search_text = search.record_search_text
    plain = _PLAIN_RECORDS

    def flush() -> None:
        for table, columns, rows in zip(_TABLES, _COLUMNS, buffers, strict=True):
            repo.bulk_insert_rows(session, table, columns, rows)
            rows.clear()

    for record in records:
        case_id = next(case_ids)
        open_stage = False
        last_response: date | None = None
        for st in record.stages:
            stage_id = next(stage_ids)
            spans = [(a, b) for a, b, _ in st.suspensions]
            clock_start, due, timescale, status = derived(ctx, st, spans, memo=clocks)
            taken, acknowledgement = rule_columns(
                ctx, st.procedure, st.received, clock_start, st.responded, spans, rules
            )
            open_stage = open_stage or status in OPEN_STATUSES
            ended = st.responded or st.closed_on
            if ended and (last_response is None or ended > last_response):
                last_response = ended
            stages.append(
                (
                    stage_id,
                    case_id,
                    st.procedure,
                    st.number,
                    st.received,
                    bool(st.clock_start and st.clock_start != st.received),
                    st.extended_to,
                    st.extension_reason,
                    st.extension_agreed,
                    st.panel_date,
                    st.panel_report_date,
                    st.fixed_due,
                    st.acknowledged,
                    st.responded,
                    st.outcome,
                    st.request_date,
                    st.decision,
                    st.decision_reason,
                    st.out_of_time,
                    st.closed_on,
                    st.investigator,
                    clock_start,
                    due,
                    timescale,
                    status,
                    taken,
                    acknowledgement,
                )
            )
            if st.suspensions:
                suspensions += [(stage_id, a, b, why) for a, b, why in st.suspensions]
            if st.remedies:
                remedies += [(stage_id, kind, pence, "") for kind, pence in st.remedies]
            if st.learning:
                learning += [(stage_id, t, o, d, s) for t, o, d, s in st.learning]
        if record.themes:
            seen: set[str] = set()
            for theme in record.themes:
                # A team has a few dozen themes over 100,000 cases: each key worked out once.
                key = theme_keys.get(theme)
                if key is None:
                    key = normalise_free_text(theme)
                    if len(theme_keys) < MEMO_LIMIT:
                        theme_keys[theme] = key
                if key and key not in seen:
                    seen.add(key)
                    themes.append((case_id, theme.strip(), key))
        cases.append(
            (
                case_id,
                record.reference,
                record.procedure,
                record.complainant_type,
                record.complainant_name,
                ";".join(record.child_statuses),
                record.advocate_involved,
                record.advocate,
                record.channel,
                record.division,
                record.service,
                record.summary,
                searchable((record.reference, record.complainant_name, record.summary))
                if plain and type(record) is CaseRecord
                else record_search_text(record),
                record.officer,
                record.matter_date,
                record.duty_category,
                record.repeat_complainant,
                record.reopened_count,
                "open" if open_stage or not record.stages else "closed",
                None if open_stage else last_response,
                now,
                1,
            )
        )
        if event:
            events.append((case_id, now, actor, event, None))
        written += 1
        if len(cases) >= CHUNK:
            flush()
    flush()
    search.index_new_cases(session)
    return written


def recompute_open_clocks(ctx: Context, session: Session) -> int:
    """Recompute due dates of every open stage (after a policy change); returns the count.

    Reads column tuples, computes in Python, writes back only the rows that changed.
    """
    cols = (
        Stage.id,
        Stage.procedure,
        Stage.number,
        Stage.received,
        Stage.clock_start,
        Stage.clock_set_by_hand,
        Stage.acknowledged,
        Stage.extended_to,
        Stage.fixed_due,
        Stage.panel_date,
        Stage.panel_report_date,
        Stage.due,
        Stage.timescale,
    )
    rows = session.execute(select(*cols).where(Stage.status.in_(OPEN_STATUSES))).all()
    spans: dict[int, list[tuple[date, date | None]]] = {}
    for sid, start, end in session.execute(
        select(Suspension.stage_id, Suspension.start, Suspension.end)
        .join(Stage, Stage.id == Suspension.stage_id)
        .where(Stage.status.in_(OPEN_STATUSES))
    ):
        spans.setdefault(sid, []).append((start, end))
    changed = []
    for row in rows:  # a result row has the attributes clock_input reads from a Stage
        clock = clock_input(row, spans.get(row.id, ()))
        new_due, new_timescale = ctx.due(clock)
        new_start = clock_start_of(clock, ctx.policy, ctx.cal_for(row.procedure)).day
        if (new_due, new_timescale, new_start) != (row.due, row.timescale, row.clock_start):
            changed.append(
                {"sid": row.id, "new_due": new_due, "new_ts": new_timescale, "new_start": new_start}
            )
    if changed:
        stmt = (
            update(Stage.__table__)  # type: ignore[arg-type]
            .where(Stage.__table__.c.id == bindparam("sid"))  # type: ignore[attr-defined]
            .values(
                due=bindparam("new_due"),
                timescale=bindparam("new_ts"),
                clock_start=bindparam("new_start"),
            )
        )
        session.connection().execute(stmt, changed)
    return len(rows)


def recompute(ctx: Context) -> int:
    """Recompute every open clock in one transaction, and every stage's rule columns under
    the policy in force (``stage_days``); returns how many clocks were checked."""
    with transaction(ctx.engine) as session:
        checked = recompute_open_clocks(ctx, session)
        stage_days.refresh(ctx, session)
        return checked


def follow_policy(ctx: Context) -> int | None:
    """Recompute open clocks if the policy changed since they were stored.

    Stored due dates drive the lists; without this, editing the policy file would leave
    them on the old timescales until someone remembered ``recompute``. Returns how many
    clocks were checked when a different policy had been recorded; None otherwise (the
    same policy, or the first run, when the policy in force is simply recorded).

    The export's rule columns follow the policy too: every stage's are worked out again
    when they were stored under another policy, or never (a database just upgraded to
    schema 15), after the clocks they count from.
    """
    fingerprint = policy_fingerprint(ctx.policy)
    with transaction(ctx.engine) as session:
        row = session.get(Meta, "policy")
        checked = None
        if row is None:
            session.add(Meta(key="policy", value=fingerprint))
        elif row.value != fingerprint:
            checked = recompute_open_clocks(ctx, session)
            row.value = fingerprint
        if not stage_days.current(ctx, session):
            stage_days.refresh(ctx, session)
        return checked
