"""A realistic team's three financial years, reproducible by seed.

The mix follows the published reports: mostly corporate Stage 1, statutory Stage 1 and MP
enquiries; under 10% of statutory Stage 1 escalating; roughly 60% answered on time; and,
relative to today, open cases overdue, due today, this week and later, plus a few
untriaged contacts waiting on duty.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from itertools import accumulate
from typing import TypeVar

from sqlalchemy import func, select
from sqlmodel import Session

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.records import CaseRecord, StageRecord
from complaints_tui.domain.vocab import STAGED_PROCEDURES
from db.tables import Case

from .context import Context
from .demo_data import (
    ADVOCATES,
    CHANNELS,
    CHILD_STATUSES,
    COMPLAINANTS,
    COMPLIMENT_QUOTES,
    DUTY,
    FIRST,
    LAST,
    LGSCO,
    OFFICERS,
    OUTCOMES,
    PROCEDURE_MIX,
    REFUSAL_REASONS,
    SERVICES,
    SUMMARIES,
    THEMES,
)
from .store_writer import store_new

T = TypeVar("T")

_CUMULATIVE: dict[int, tuple[list[str], list[float]]] = {}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    """A weighted choice; ``random.choices`` is three times slower at 100,000 cases."""
    entry = _CUMULATIVE.get(id(weights))
    if entry is None:
        total = sum(weights.values())
        entry = _CUMULATIVE[id(weights)] = (
            list(weights),
            [c / total for c in accumulate(weights.values())],
        )
    keys, cumulative = entry
    return keys[min(bisect(cumulative, rng.random()), len(keys) - 1)]


def _choice(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def _some(rng: random.Random, items: Sequence[T], low: int, high: int) -> tuple[T, ...]:
    """low..high distinct items (a stride coprime with the length keeps them distinct)."""
    k = low + int(rng.random() * (high - low + 1))
    first = int(rng.random() * len(items))
    return tuple(items[(first + 5 * j) % len(items)] for j in range(k))


def financial_year_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


class _Generator:
    def __init__(self, ctx: Context, rng: random.Random, today: date) -> None:
        self.ctx, self.rng, self.today = ctx, rng, today
        self.cal: WorkingCalendar = ctx.cal
        self.counters: dict[int, int] = {}

    def reference(self, received: date) -> str:
        n = self.counters.get(received.year, 0) + 1
        self.counters[received.year] = n
        return f"CT-{received.year}-{n:05d}"

    def answer(self, procedure: str, number: int, start: date) -> tuple[date | None, int | None]:
        """A response date (None if still open today) and any extension."""
        rng, cal = self.rng, self.ctx.cal
        timescale = self.ctx.policy.timescale(procedure, number)
        assert timescale is not None
        extended_to = None
        limit = timescale.days
        if procedure in STAGED_PROCEDURES and rng.random() < 0.2:
            extended_to = limit = timescale.extended
        if rng.random() < 0.6:
            taken = rng.randint(max(1, limit // 3), limit)
        else:
            taken = limit + rng.randint(1, max(5, limit))
        responded = cal.add_working_days(start, taken)
        return (responded if responded <= self.today else None), extended_to

    def stage(
        self, procedure: str, number: int, received: date, *, clock_start: date | None = None
    ) -> StageRecord:
        rng = self.rng
        start = clock_start or received
        responded, extended_to = self.answer(procedure, number, start)
        stage = StageRecord(
            procedure,
            number,
            received,
            clock_start=start,
            responded=responded,
            extended_to=extended_to,
        )
        if extended_to:
            stage.extension_reason = "Complex complaint; complainant agreed"
        if procedure in STAGED_PROCEDURES:
            stage.acknowledged = self.cal.add_working_days(received, rng.randint(1, 4))
            if stage.acknowledged > self.today:
                stage.acknowledged = None
            stage.investigator = _choice(rng, ("Team manager", "Service manager", "IIO"))
            if responded and rng.random() < 0.03:
                s_from = self.cal.add_working_days(start, 2)
                s_to = self.cal.add_working_days(s_from, rng.randint(3, 10))
                if s_to < responded:
                    stage.suspensions.append((s_from, s_to, "Awaiting advocate"))
        if responded:
            if procedure in STAGED_PROCEDURES:
                stage.outcome = _pick(rng, OUTCOMES)
                if stage.outcome in ("upheld", "partially_upheld"):
                    if rng.random() < 0.7:
                        stage.remedies.append(("apology", None))
                    if rng.random() < 0.08:
                        stage.remedies.append(("payment", rng.randint(1, 30) * 5000))
                    if rng.random() < 0.2:
                        stage.remedies.append(("service_provided", None))
                    if rng.random() < 0.25:
                        due = responded + timedelta(days=rng.randint(20, 90))
                        status = "done" if due < self.today and rng.random() < 0.8 else "open"
                        stage.learning.append(
                            (
                                "Share learning on timely communication at team meeting",
                                "Team manager",
                                due,
                                status,
                            )
                        )
            elif procedure == "lgsco":
                stage.outcome = _pick(rng, LGSCO)
                if stage.outcome == "fault_injustice":
                    stage.remedies.append(("payment", rng.randint(2, 40) * 5000))
        return stage

    def case(self, received: date) -> CaseRecord:
        rng = self.rng
        procedure = _pick(rng, PROCEDURE_MIX)
        division, service = _choice(rng, SERVICES)
        complainant = _pick(rng, COMPLAINANTS)
        advocate = None
        if complainant == "young_person" and rng.random() < 0.6 or rng.random() < 0.03:
            advocate = _choice(rng, ADVOCATES)
        record = CaseRecord(
            reference=self.reference(received),
            procedure=procedure,
            complainant_type=complainant,
            complainant_name=f"{_choice(rng, FIRST)} {_choice(rng, LAST)}",
            child_statuses=_some(rng, CHILD_STATUSES, 0, 2),
            advocate_involved=advocate is not None,
            advocate=advocate,
            channel=_pick(rng, CHANNELS),
            division=division,
            service=service,
            themes=_some(rng, THEMES, 1, 3),
            summary=_choice(rng, SUMMARIES),
            officer=_choice(rng, OFFICERS),
            repeat_complainant=rng.random() < 0.08,
        )
        if procedure == "compliment":
            record.summary = f'"{_choice(rng, COMPLIMENT_QUOTES)}"'
            record.themes = ()
            record.stages.append(StageRecord("compliment", 1, received, closed_on=received))
        elif procedure == "duty":
            record.duty_category = _pick(rng, DUTY)
            stage = StageRecord("duty", 1, received)
            recent = self.cal.working_days_between(received, self.today) <= 10
            if record.duty_category != "pending_information" or not recent:
                # information asked for long ago has arrived (or the matter lapsed)
                stage.closed_on = min(self.today, self.cal.add_working_days(received, 1))
            record.stages.append(stage)
        elif procedure == "lgsco":
            stage = self.stage("lgsco", 1, received)
            stage.fixed_due = self.cal.add_working_days(received, _choice(rng, (20, 25, 30)))
            record.stages.append(stage)
        else:
            record.stages.append(self.stage(procedure, 1, received))
        if procedure in STAGED_PROCEDURES:
            self.escalate(record)
        return record

    def escalate(self, record: CaseRecord) -> None:
        rng = self.rng
        chance = {
            ("statutory", 2): 0.08,
            ("statutory", 3): 0.3,
            ("corporate", 2): 0.1,
            ("corporate", 3): 0.1,
        }
        while True:
            last = record.stages[-1]
            number = last.number + 1
            if (
                number > 3
                or last.responded is None
                or last.decision in ("refused", "withdrawn")
                or last.outcome in ("withdrawn", "resolved_on_receipt", "outside_remit")
                or rng.random() >= chance[(record.procedure, number)]
            ):
                return
            request = self.cal.add_working_days(last.responded, rng.randint(1, 22))
            if request > self.today:
                return
            refuse = record.procedure == "corporate" and rng.random() < 0.15
            if refuse:
                stage = StageRecord(
                    record.procedure,
                    number,
                    request,
                    request_date=request,
                    decision="refused",
                    decision_reason=_choice(rng, REFUSAL_REASONS),
                    closed_on=request,
                    outcome="signposted_lgsco",
                )
            else:
                stage = self.stage(record.procedure, number, request)
                stage.request_date, stage.decision = request, "accepted"
            stage.out_of_time = request > self.cal.add_working_days(last.responded, 20)
            if stage.out_of_time and not refuse:
                stage.decision_reason = "Accepted out of time: complainant was in hospital"
            record.stages.append(stage)

    def due_on(self, offset: int) -> CaseRecord:
        """An open Stage 1 complaint due ``offset`` working days from today."""
        record = self.case(self.today)
        record.procedure = _choice(self.rng, ("statutory", "corporate"))
        record.summary = _choice(self.rng, SUMMARIES)  # the case drawn may be a compliment
        received = self.today
        target = self.cal.add_working_days(self.today, offset) if offset >= 0 else None
        # Walk back until the stage's 10-day clock lands on the wanted day.
        while True:
            due = self.cal.add_working_days(received, 10)
            if (target is not None and due <= target) or (
                target is None and self.cal.working_days_between(self.today, due) <= offset
            ):
                break
            received -= timedelta(days=1)
        record.reference = self.reference(received)
        record.stages = [StageRecord(record.procedure, 1, received)]
        return record

    def contact(self) -> CaseRecord:
        rng = self.rng
        record = self.case(self.today)
        record.procedure, record.duty_category, record.themes = "duty", None, ()
        record.summary = _choice(rng, SUMMARIES)
        received = self.today - timedelta(days=rng.randint(0, 1))
        record.reference = self.reference(received)
        record.stages = [StageRecord("duty", 1, received)]
        return record


def records(ctx: Context, cases: int, seed: int = 1) -> Iterator[CaseRecord]:
    """``cases`` records over three financial years ending today, the same for a seed,
    generated one at a time in order of receipt: memory does not grow with ``cases``."""
    today = ctx.today()
    rng = random.Random(seed)
    gen = _Generator(ctx, rng, today)
    first = financial_year_start(today).replace(year=financial_year_start(today).year - 2)
    span = (today - first).days
    extra = 17 if cases >= 50 else 0
    # How many cases arrive on each day, drawn as the sorted list of dates once was (the
    # same draws, so a seed gives the same data), in a list as long as the days, not cases.
    per_day = [0] * (span + 1)
    for _ in range(max(0, cases - extra)):
        per_day[rng.randrange(span + 1)] += 1
    for offset, arrivals in enumerate(per_day):
        day = first + timedelta(days=offset)
        for _ in range(arrivals):
            received = day
            if received.weekday() >= 5 and rng.random() < 0.85:
                received += timedelta(days=7 - received.weekday())  # weekend post: Monday
                if received > today:
                    received = today
            yield gen.case(received)
    if extra:
        # Open clocks due around today, and a morning's untriaged contacts on duty.
        for k in (-8, -3, -1, 0, 0, 1, 2, 3, 4, 7, 12):
            yield gen.due_on(k)
        for _ in range(6):
            yield gen.contact()


def generate(ctx: Context, cases: int, seed: int = 1) -> list[CaseRecord]:
    """Every record of ``records`` in a list (small numbers, tests and benchmarks)."""
    return list(records(ctx, cases, seed))


def case_count(ctx: Context) -> int:
    with Session(ctx.engine) as session:
        return session.execute(select(func.count()).select_from(Case)).scalar_one()


def fill(ctx: Context, cases: int, seed: int = 1) -> int:
    """Generate and store demo data in one transaction; returns the number of cases.

    The records stream from the generator into the store a chunk at a time, so memory
    stays flat however many are asked for.
    """
    return store_new(  # the team's list holds the demo's officers
        ctx,
        lambda _: records(ctx, cases, seed),
        event=None,
        expected=cases,
        existing=False,
        apart_if_large=cases,
    )
