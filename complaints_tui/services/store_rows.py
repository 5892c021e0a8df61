"""The rows a bulk store writes (import, demo), built from records a chunk at a time.

Each stage's clock is computed with the domain rules (``stage_clocks``, which remembers
the clocks worked out in one store); each case's row, its stages', themes', clock stops',
remedies', learning's and timeline's, as tuples in ``store_columns``' order. No database
here: the ids come from the caller (``db.repo.IdBlock``, or the numbers after the highest
id when the rows are written in another process, ``store_writer``), so the same rows are
built wherever they are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from complaints_tui.domain.clocks import OPEN_STATUSES
from complaints_tui.domain.records import CaseRecord
from complaints_tui.domain.search_text import searchable
from complaints_tui.domain.vocab import normalise_free_text
from db import search
from db.tables import utcnow

from .context import Context
from .stage_clocks import MEMO_LIMIT, RuleMemo, derived, rule_columns

CHUNK = 5000
"""Cases written per set of inserts: the rows of one chunk are all that is held at once,
so storing a million cases takes no more memory than storing five thousand."""

_PLAIN_RECORDS = not {"cms_reference", "children", "children_names"} & set(CaseRecord.__slots__)
"""A CaseRecord carries no CMS reference and no children: its search text is its reference,
name and summary, as ``search.record_search_text`` gives it, without that function's three
look-ups of absent attributes (each an exception raised and caught, per case)."""

Chunk = tuple[list[tuple[Any, ...]], ...]
"""One list of rows per table, in ``store.TABLES``' order."""


def chunks(
    ctx: Context,
    records: Iterable[CaseRecord],
    case_ids: Iterator[int],
    stage_ids: Iterator[int],
    event: str | None,
) -> Iterator[Chunk]:
    """The rows of ``records``, CHUNK cases at a time (the last chunk may be smaller, or
    empty); ``event`` is the timeline entry each case starts with (None: none)."""
    now = utcnow()
    actor = ctx.actor
    clocks: dict[Any, tuple[Any, ...]] = {}
    rules = RuleMemo()
    theme_keys: dict[str, str] = {}
    record_search_text = search.record_search_text
    plain = _PLAIN_RECORDS
    source = iter(records)  # each chunk goes on where the last stopped
    while True:
        cases: list[tuple[Any, ...]] = []
        stages: list[tuple[Any, ...]] = []
        themes: list[tuple[Any, ...]] = []
        suspensions: list[tuple[Any, ...]] = []
        remedies: list[tuple[Any, ...]] = []
        learning: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        more = False
        for record in source:
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
            if len(cases) >= CHUNK:
                more = True
                break
        yield (cases, stages, themes, suspensions, remedies, learning, events)
        if not more:
            return
