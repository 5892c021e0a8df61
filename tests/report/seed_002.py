"""Case-level data rebuilt from a published annual report (seed 002: a county council's
children's complaints report for 2021-22, with 2020-21 in brackets).

The report counts outcomes, timeliness and extensions over the complaints *concluded* in
the year, carried in from the year before included, and what was received, by whom and
with whose help on receipt. Each stage here is its own case. A year's stages are: those
carried in (received on 29 March, answered in April), those received and answered in the
year, and those received on 29 March and still open at its end (carried into the next).
Only the published figures are fixed; everything else (dates, which stage is late) is
chosen plainly and deterministically.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.policy import Policy
from complaints_tui.domain.policy_file import parse_policy
from complaints_tui.domain.report import CaseFact, ReportFacts, StageFact

YEAR = 2021
AS_AT = date(2022, 3, 31)

POLICY = parse_policy(
    {
        "vocabulary": {
            "outcome": {"did_not_qualify": "Did not qualify (advice sought)"},
        }
    }
)
"""The council's own outcome for 'did not qualify, as advice was sought (enquiry)'."""


@dataclass(frozen=True)
class Year:
    received: int
    open_at_end: int
    outcomes: dict[str, int] = field(default_factory=dict)
    """Of the stages concluded in the year (carried in included)."""
    extended: int = 0
    late: int = 0
    complainants: dict[str, int] = field(default_factory=dict)
    """Of the stages received in the year."""
    advocates: int = 0
    repeat: int = 0


SPEC: dict[str, dict[int, Year]] = {
    "statutory_1": {
        2019: Year(0, 15),
        2020: Year(
            188,
            5,
            {
                "upheld": 10,
                "partially_upheld": 82,
                "not_upheld": 37,
                "no_finding": 4,
                "withdrawn": 13,
                "did_not_qualify": 11,
                "outside_remit": 41,
            },
            extended=38,
            late=35,
            complainants={"parent": 146, "young_person": 21, "family": 16, "other": 5},
            advocates=14,
            repeat=109,
        ),
        2021: Year(
            74,
            3,
            {
                "upheld": 6,
                "partially_upheld": 38,
                "not_upheld": 13,
                "withdrawn": 1,
                "did_not_qualify": 4,
                "outside_remit": 14,
            },
            extended=23,
            late=26,
            complainants={"parent": 37, "young_person": 25, "family": 8, "other": 4},
            advocates=21,
            repeat=37,
        ),
    },
    "corporate_1": {
        2019: Year(0, 8),
        2020: Year(
            179,
            14,
            {
                "upheld": 29,
                "partially_upheld": 54,
                "not_upheld": 50,
                "no_finding": 1,
                "withdrawn": 12,
                "did_not_qualify": 6,
                "outside_remit": 21,
            },
            extended=32,
            late=31,
            complainants={"parent": 120, "young_person": 6, "family": 27, "other": 26},
            repeat=82,
        ),
        2021: Year(
            319,
            17,
            {
                "upheld": 52,
                "partially_upheld": 146,
                "not_upheld": 63,
                "no_finding": 6,
                "withdrawn": 18,
                "did_not_qualify": 9,
                "outside_remit": 22,
            },
            extended=74,
            late=106,
            complainants={"parent": 252, "young_person": 5, "family": 36, "other": 26},
            repeat=134,
        ),
    },
    "statutory_2": {
        2019: Year(0, 0),
        2020: Year(
            8,
            4,
            {"partially_upheld": 1, "not_upheld": 1, "outside_remit": 1, "withdrawn": 1},
            extended=2,
            late=0,
        ),
        2021: Year(
            11,
            3,
            {"partially_upheld": 8, "not_upheld": 1, "outside_remit": 1, "withdrawn": 2},
            extended=10,
            late=3,
        ),
    },
    "corporate_2": {
        2019: Year(0, 1),
        # the published 2020-21 outcomes add up to 12 of the 13 concluded: the 13th is
        # given an outcome the report did not list
        2020: Year(
            15,
            3,
            {
                "upheld": 1,
                "partially_upheld": 5,
                "not_upheld": 3,
                "withdrawn": 2,
                "outside_remit": 1,
                "discontinued": 1,
            },
            extended=6,
            late=5,
        ),
        2021: Year(
            22,
            1,
            {
                "upheld": 3,
                "partially_upheld": 16,
                "not_upheld": 2,
                "withdrawn": 2,
                "outside_remit": 1,
            },
            extended=11,
            late=6,
        ),
    },
    "statutory_3": {
        2019: Year(0, 0),
        2020: Year(1, 1),
        2021: Year(4, 3, {"partially_upheld": 2}),
    },
    "corporate_3": {
        2019: Year(0, 0),
        # 2020-21: the published outcomes add up to 4 of the 5 concluded
        2020: Year(
            5, 0, {"partially_upheld": 3, "not_upheld": 1, "no_finding": 1}, extended=3, late=4
        ),
        2021: Year(
            7,
            2,
            {"partially_upheld": 3, "not_upheld": 1, "signposted_lgsco": 1},
            extended=3,
            late=2,
        ),
    },
    "lgsco": {
        2019: Year(0, 4),
        2020: Year(
            12, 5, {"fault_injustice": 3, "no_fault": 2, "closed_after_initial_enquiries": 6}
        ),
        2021: Year(
            15, 9, {"fault_injustice": 2, "no_fault": 2, "closed_after_initial_enquiries": 7}
        ),
    },
    "mp": {2020: Year(41, 0), 2021: Year(68, 0)},
    "councillor": {2020: Year(8, 0), 2021: Year(7, 0)},
    "general": {2020: Year(52, 0), 2021: Year(30, 0)},
    "compliment": {2020: Year(242, 0), 2021: Year(204, 0)},
}


def _split(column: str) -> tuple[str, int]:
    procedure, _, number = column.rpartition("_")
    if procedure in ("statutory", "corporate"):
        return procedure, int(number)
    return column, 1


def _spread(counts: dict[str, int]) -> Iterator[str | None]:
    for key, n in counts.items():
        yield from [key] * n
    while True:
        yield None


@dataclass
class _Entry:
    received: date
    concluded_in: int | None
    person: str | None
    advocate: bool
    repeat: bool


def facts(calendar: WorkingCalendar, policy: Policy = POLICY) -> ReportFacts:
    add = calendar.add_working_days
    stages: list[StageFact] = []
    cases: list[CaseFact] = []
    sid = 0
    for column, years in SPEC.items():
        procedure, number = _split(column)
        scale = policy.timescale(procedure, number)
        days = scale.days if scale else 10
        longest = scale.extended if scale else days
        last = max(years)
        entries: list[_Entry] = []
        for year in sorted(years):
            spec = years[year]
            n_answered = spec.received - spec.open_at_end
            dates = [date(year, 4, 1) + timedelta(days=(k * 7) % 200) for k in range(n_answered)]
            dates += [date(year + 1, 3, 29)] * spec.open_at_end  # still open at the year's end
            who = _spread(spec.complainants)
            for k, day in enumerate(dates):
                later = k >= n_answered
                entries.append(
                    _Entry(
                        day,
                        (year + 1 if year < last else None) if later else year,
                        next(who),
                        k < spec.advocates,
                        k < spec.repeat,
                    )
                )
        for year in sorted(years):
            spec = years[year]
            # those carried in (received earlier) first, then the year's own
            concluded = sorted(
                (e for e in entries if e.concluded_in == year), key=lambda e: e.received
            )
            outcome = _spread(spec.outcomes)
            outcomes = [next(outcome) for _ in concluded]
            answered = [i for i, o in enumerate(outcomes) if o != "withdrawn"]
            late = set(answered[: spec.late])
            extended = set(answered[len(answered) - spec.extended :]) if spec.extended else set()
            for i, e in enumerate(concluded):
                is_ext = i in extended and procedure != "lgsco"
                due = add(e.received, longest if is_ext else days)
                answer: dict[str, date]
                if outcomes[i] == "withdrawn":
                    answer = {"closed_on": add(e.received, 2)}
                elif i in late:
                    answer = {"responded": add(due, 3)}
                else:
                    answer = {"responded": add(e.received, 5)}
                sid += 1
                stages.append(
                    StageFact(
                        sid,
                        sid,
                        procedure,
                        number,
                        e.received,
                        e.received,
                        due,
                        extended_to=longest if is_ext else None,
                        outcome=outcomes[i],
                        status="closed",
                        extension_agreed=add(e.received, 3) if is_ext else None,
                        **answer,  # type: ignore[arg-type]
                    )
                )
                cases.append(
                    CaseFact(
                        sid, procedure, e.person, e.advocate, None, repeat_complainant=e.repeat
                    )
                )
        for e in entries:
            if e.concluded_in is None:
                sid += 1
                stages.append(
                    StageFact(
                        sid, sid, procedure, number, e.received, e.received, add(e.received, days)
                    )
                )
                cases.append(
                    CaseFact(
                        sid, procedure, e.person, e.advocate, None, repeat_complainant=e.repeat
                    )
                )
    return ReportFacts(stages=stages, cases=cases)
