"""A stage's derived columns (clock start, due date, timescale, status) from the domain's
rules: for one officer's action, and for a bulk store, which remembers the clocks it has
worked out (most stages share their procedure, received day and stops)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from complaints_tui.domain.clocks import (
    ClockInput,
    acknowledgement_due,
    clock_start_of,
    stage_status,
    working_days_taken,
)
from complaints_tui.domain.records import StageRecord

from .context import Context

if TYPE_CHECKING:  # annotations only: this module loads without the database layer
    from db.tables import Stage


def clock_input(stage: Any, suspensions: Sequence[tuple[date, date | None]]) -> ClockInput:
    start = stage.clock_start or stage.received
    by_hand = getattr(stage, "clock_set_by_hand", None)
    if by_hand is None:  # a record from a file: a start that differs was typed
        by_hand = start != stage.received
    return ClockInput(
        procedure=stage.procedure,
        number=stage.number,
        clock_start=start,
        extended_to=stage.extended_to,
        fixed_due=stage.fixed_due,
        suspensions=tuple(suspensions),
        panel_date=getattr(stage, "panel_date", None),
        panel_report_date=getattr(stage, "panel_report_date", None),
        received=stage.received,
        acknowledged=getattr(stage, "acknowledged", None),
        manual_start=bool(by_hand),
    )


def stage_state(
    ctx: Context,
    stage: Stage | StageRecord,
    suspensions: Sequence[tuple[date, date | None]],
    *,
    voided: bool = False,
    memo: dict[Any, Any] | None = None,
) -> dict[str, Any]:
    """The stored, derived columns of a stage: clock start, due, timescale and status, and
    the export's rule columns (``rule_columns``).

    ``memo`` keeps the clocks already worked out during one bulk store (see ``derived``).
    """
    start, due, timescale, status = derived(ctx, stage, suspensions, voided=voided, memo=memo)
    taken, acknowledgement = rule_columns(
        ctx, stage.procedure, stage.received, start, stage.responded, suspensions
    )
    return {
        "clock_start": start,
        "due": due,
        "timescale": timescale,
        "status": status,
        "days_taken": taken,
        "acknowledgement_due": acknowledgement,
    }


def rule_columns(
    ctx: Context,
    procedure: str,
    received: date,
    clock_start: date,
    responded: date | None,
    suspensions: Sequence[tuple[date, date | None]],
    memo: RuleMemo | None = None,
) -> tuple[int | None, date | None]:
    """(working days taken, acknowledgement due) of a stage, as the export writes them:
    the days from the stored clock start to the response less its clock stops, counted in
    the council's calendar (None while unanswered), and when a complaint's acknowledgement
    was due (None for other contacts). Neither depends on today: whether the
    acknowledgement is late is the export's own comparison.

    ``memo`` remembers both for the values they depend on (most stages have no clock stop)
    while many stages are stored or refreshed at once.
    """
    taken: int | None = None
    if responded is not None:
        if suspensions:
            taken = working_days_taken(ctx.cal, clock_start, responded, tuple(suspensions))
        elif memo is None:
            taken = working_days_taken(ctx.cal, clock_start, responded)
        else:
            taken = memo.taken.get((clock_start, responded))
            if taken is None:
                if len(memo.taken) >= MEMO_LIMIT:
                    memo.taken.clear()
                taken = memo.taken[(clock_start, responded)] = working_days_taken(
                    ctx.cal, clock_start, responded
                )
    if memo is None:
        return taken, acknowledgement_due(procedure, received, ctx.policy, ctx.cal_for(procedure))
    key = (procedure, received)
    found = memo.acknowledgement.get(key, False)
    if found is False:
        if len(memo.acknowledgement) >= MEMO_LIMIT:
            memo.acknowledgement.clear()
        found = memo.acknowledgement[key] = acknowledgement_due(
            procedure, received, ctx.policy, ctx.cal_for(procedure)
        )
    return taken, found


class RuleMemo:
    """``rule_columns``' answers during one bulk store or refresh, held to a size."""

    __slots__ = ("acknowledgement", "taken")

    def __init__(self) -> None:
        self.taken: dict[tuple[date, date], int] = {}
        self.acknowledgement: dict[tuple[str, date], date | None] = {}


_BY_ACKNOWLEDGEMENT = object()
"""In a bulk store's memo: this clock starts at the acknowledgement, which is in the key."""


def derived(
    ctx: Context,
    stage: Stage | StageRecord,
    suspensions: Sequence[tuple[date, date | None]],
    *,
    voided: bool = False,
    memo: dict[Any, Any] | None = None,
) -> tuple[date, date | None, int | None, str]:
    """(clock start, due, timescale, status) of a stage, as ``stage_state`` stores them.

    ``memo`` keeps the clocks already worked out during one bulk store: a clock depends
    on nothing but its ClockInput (and the policy and calendar, fixed meanwhile), and a
    team's 100,000 stages have far fewer distinct ones. The acknowledgement is part of a
    clock only where the policy starts it there: elsewhere it is left out of the key, so
    the stages received on one day share one clock whatever day each was acknowledged
    (half the clocks of a 100,000-stage import were worked out again for that alone).
    """
    stopped = False
    for _, end in suspensions:
        if end is None:
            stopped = True
    refused = stage.decision == "refused"
    found = None
    key: Any = None
    if memo is not None:
        # The key is a plain tuple of what clock_input reads: building (and hashing) a
        # frozen ClockInput per stage was most of a bulk store's clock time.
        start = stage.clock_start or stage.received
        if type(stage) is StageRecord:  # a record from a file or the demo: no getattr
            key = (
                stage.procedure,
                stage.number,
                start,
                stage.extended_to,
                stage.fixed_due,
                tuple(suspensions),
                stage.panel_date,
                stage.panel_report_date,
                stage.received,
                start != stage.received,
                refused,
            )
        else:
            by_hand = getattr(stage, "clock_set_by_hand", None)
            key = (
                stage.procedure,
                stage.number,
                start,
                stage.extended_to,
                stage.fixed_due,
                tuple(suspensions),
                getattr(stage, "panel_date", None),
                getattr(stage, "panel_report_date", None),
                stage.received,
                start != stage.received if by_hand is None else bool(by_hand),
                refused,
            )
        found = memo.get(key)
        if found is _BY_ACKNOWLEDGEMENT:
            key = (key, getattr(stage, "acknowledged", None))
            found = memo.get(key)
    if found is None:
        clock = clock_input(stage, suspensions)
        start = clock_start_of(clock, ctx.policy, ctx.cal_for(stage.procedure)).day
        if refused:  # a refused request never started a clock
            due, timescale = None, None
        else:
            due, timescale = ctx.due(clock)
        if memo is not None:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()  # held to a size, however long the file
            if type(key[0]) is str and _by_acknowledgement(ctx, clock):
                memo[key] = _BY_ACKNOWLEDGEMENT
                key = (key, clock.acknowledged)
            memo[key] = (start, due, timescale)
    else:
        start, due, timescale = found
    status = stage_status(
        responded=stage.responded,
        closed_on=stage.closed_on,
        decision=stage.decision,
        suspended=stopped,
        voided=voided,
    )
    return start, due, timescale, status


def _by_acknowledgement(ctx: Context, clock: ClockInput) -> bool:
    """Whether the clock starts at the acknowledgement (``clock_start_of``'s one use of
    it; ``due_date`` reads it only through ``clock_start_of``)."""
    if clock.procedure == "statutory" and clock.number == 3:
        return False
    if clock.manual_start or clock.received is None:
        return False
    rules = ctx.policy.in_force(clock.received)
    return rules.clock_basis(clock.procedure, clock.number) == "acknowledged"


MEMO_LIMIT = 50_000
"""Clocks remembered at once while storing many stages."""
