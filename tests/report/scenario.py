"""A small year of cases, built by hand, that touches every table and the awkward dates.

Year 2023 (1 April 2023 - 31 March 2024), reported as at 10 April 2024. Stage ids are
the case id times ten plus the stage: stage 12 is case 1's Stage 2.
"""

from __future__ import annotations

from datetime import date

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.report import (
    CaseFact,
    LearningFact,
    RemedyFact,
    ReportFacts,
    StageFact,
    SuspensionFact,
    ThemeFact,
)

YEAR = 2023
AS_AT = date(2024, 4, 10)


def facts(calendar: WorkingCalendar) -> ReportFacts:
    add = calendar.add_working_days
    d = date
    cases = [
        CaseFact(
            1,
            "statutory",
            "parent",
            False,
            None,
            "email",
            "North",
            "Fostering",
            repeat_complainant=True,
        ),
        CaseFact(2, "corporate", "young_person", True, "NYAS", "web", "South", "SEND"),
        CaseFact(
            3,
            "statutory",
            "foster_carer",
            False,
            None,
            "letter",
            "North",
            "Fostering",
            reopened_count=1,
        ),
        CaseFact(4, "corporate", "parent", False, None, "telephone", "South", "SEND"),
        CaseFact(5, "lgsco", "parent", False, None, "email", "North", "Fostering"),
        CaseFact(6, "compliment", None, False, None, "email", "North", "Adoption"),
        CaseFact(
            7,
            "duty",
            "parent",
            False,
            None,
            "telephone",
            None,
            "SEND",
            duty_category="refused_legal_proceedings",
        ),
        CaseFact(8, "duty", None, False, None, "email", None, None),
        CaseFact(9, "mp", None, False, None, "email", None, None),
        CaseFact(10, "corporate", "parent", False, None, "email", "South", "SEND"),
        CaseFact(11, "corporate", "other", False, None, "email", "South", "SEND"),
        CaseFact(12, "corporate", "family", False, None, "web", "South", "Adoption"),
        CaseFact(13, "councillor", None, False, None, "email", "North", "Fostering"),
        CaseFact(14, "statutory", "parent", False, None, "email", "North", "Fostering"),
        CaseFact(15, "statutory", "parent", False, None, "email", "North", "Fostering"),
    ]
    s2_start = d(2023, 5, 10)
    stages = [
        # responded on its due date (Easter 2023 falls inside the ten days)
        StageFact(
            11,
            1,
            "statutory",
            1,
            d(2023, 4, 3),
            d(2023, 4, 3),
            d(2023, 4, 19),
            10,
            None,
            d(2023, 4, 19),
            "upheld",
            None,
            "responded",
        ),
        # extended to 65 days, answered on day 30
        StageFact(
            12,
            1,
            "statutory",
            2,
            s2_start,
            s2_start,
            add(s2_start, 65),
            65,
            65,
            add(s2_start, 30),
            "partially_upheld",
            "accepted",
            "responded",
        ),
        # received on Sunday 31 March 2024; Easter Monday is 1 April: due 15 April
        StageFact(
            21, 2, "corporate", 1, d(2024, 3, 31), d(2024, 3, 31), d(2024, 4, 15), 10, status="open"
        ),
        # clock stopped 5 to 11 July (five working days): due 24 July, answered in 9 days
        StageFact(
            31,
            3,
            "statutory",
            1,
            d(2023, 7, 3),
            d(2023, 7, 3),
            d(2023, 7, 24),
            10,
            None,
            d(2023, 7, 21),
            "not_upheld",
            None,
            "responded",
        ),
        # asked for Stage 2 after the year ended, before the as-at date
        StageFact(
            32,
            3,
            "statutory",
            2,
            d(2024, 4, 5),
            d(2024, 4, 5),
            add(d(2024, 4, 5), 25),
            25,
            decision="accepted",
            status="open",
        ),
        # answered late, in 35 working days
        StageFact(
            41,
            4,
            "corporate",
            1,
            d(2023, 10, 2),
            d(2023, 10, 2),
            d(2023, 10, 16),
            10,
            None,
            d(2023, 11, 20),
            "not_upheld",
            None,
            "responded",
        ),
        # a refused request for Stage 2: not a stage
        StageFact(
            42,
            4,
            "corporate",
            2,
            d(2023, 11, 27),
            d(2023, 11, 27),
            None,
            None,
            outcome="signposted_lgsco",
            decision="refused",
            status="refused",
            closed_on=d(2023, 11, 27),
        ),
        # the Ombudsman's own deadline; 25 working days over Christmas
        StageFact(
            51,
            5,
            "lgsco",
            1,
            d(2023, 12, 1),
            d(2023, 12, 1),
            d(2024, 1, 15),
            None,
            None,
            d(2024, 1, 10),
            "fault_injustice",
            None,
            "responded",
            fixed_due=d(2024, 1, 15),
        ),
        StageFact(61, 6, "compliment", 1, d(2023, 8, 1), d(2023, 8, 1), status="open"),
        StageFact(
            71,
            7,
            "duty",
            1,
            d(2023, 9, 1),
            d(2023, 9, 1),
            d(2023, 9, 5),
            2,
            status="closed",
            closed_on=d(2023, 9, 1),
        ),
        StageFact(81, 8, "duty", 1, d(2024, 1, 5), d(2024, 1, 5), d(2024, 1, 9), 2),
        # open and past due at the as-at date: not on time
        StageFact(91, 9, "mp", 1, d(2023, 6, 1), d(2023, 6, 1), d(2023, 6, 15), 10),
        # received the year before, answered in this one: carried forward
        StageFact(
            101,
            10,
            "corporate",
            1,
            d(2023, 3, 20),
            d(2023, 3, 20),
            d(2023, 4, 3),
            10,
            None,
            d(2023, 4, 20),
            "not_upheld",
            None,
            "responded",
        ),
        # withdrawn: its due date was wiped, so it is worked out again (15 November)
        StageFact(
            111,
            11,
            "corporate",
            1,
            d(2023, 11, 1),
            d(2023, 11, 1),
            None,
            None,
            outcome="withdrawn",
            decision="withdrawn",
            status="withdrawn",
            closed_on=d(2023, 11, 3),
        ),
        # answered after 45 working days
        StageFact(
            121,
            12,
            "corporate",
            1,
            d(2023, 5, 2),
            d(2023, 5, 2),
            add(d(2023, 5, 2), 10),
            10,
            None,
            add(d(2023, 5, 2), 45),
            "partially_upheld",
            None,
            "responded",
        ),
        # an enquiry answered in 15 working days: late
        StageFact(
            131,
            13,
            "councillor",
            1,
            d(2023, 9, 4),
            d(2023, 9, 4),
            add(d(2023, 9, 4), 10),
            10,
            None,
            add(d(2023, 9, 4), 15),
            None,
            None,
            "responded",
        ),
        # open since the year before, still open
        StageFact(141, 14, "statutory", 1, d(2022, 12, 1), d(2022, 12, 1), d(2022, 12, 15), 10),
        # received after the as-at date: not counted anywhere
        StageFact(151, 15, "statutory", 1, d(2024, 4, 20), d(2024, 4, 20), d(2024, 5, 7), 10),
    ]
    return ReportFacts(
        stages=stages,
        cases=cases,
        themes=[
            ThemeFact(1, "Delay", "delay"),
            ThemeFact(1, "Communication", "communication"),
            ThemeFact(2, "delay ", "delay"),
            ThemeFact(3, "Staff attitude", "staff attitude"),
            ThemeFact(5, "Communication", "communication"),
        ],
        suspensions=[SuspensionFact(31, d(2023, 7, 5), d(2023, 7, 11))],
        remedies=[
            RemedyFact(11, "apology"),
            RemedyFact(11, "payment", 25000),
            RemedyFact(51, "payment", 50000),
            RemedyFact(121, "apology"),
        ],
        learning=[
            LearningFact(11, "done", d(2023, 6, 30), d(2023, 6, 1)),
            LearningFact(11, "open", d(2024, 1, 31)),
            # completed after the as-at date: still open as at then
            LearningFact(12, "done", None, d(2024, 5, 1)),
        ],
    )
