"""Grouping stage rows into cases: rows sharing a reference are the stages of one case."""

from __future__ import annotations

from typing import Any

from complaints_tui.domain.records import CaseRecord
from complaints_tui.domain.vocab import STAGED_PROCEDURES

from .columns import NO, YES
from .rows import Row

_NOT_NAMES = NO | YES
_NONE: dict[str, Any] = {}


def case_of(reference: str, group: list[Row]) -> CaseRecord:
    """A case from its stages' rows; each case detail from the first row that gives it."""
    if len(group) == 1:  # most cases: one stage, as it is
        row = group[0]
        advocate = row.advocate
        lowered = advocate.lower()
        return CaseRecord(
            **(row.extra or _NONE),
            reference=reference,
            procedure=row.stage.procedure,
            stages=[row.stage],
            complainant_type=row.complainant or None,
            channel=row.channel or None,
            advocate_involved=lowered not in NO,
            advocate=advocate if lowered not in _NOT_NAMES else None,
            division=row.division or None,
            service=row.service or None,
            themes=tuple(t.strip() for t in row.themes.split(";") if t.strip())
            if row.themes
            else (),
            summary=row.summary,
            duty_category=row.duty_category,
        )
    if len(group) > 1:
        group.sort(key=lambda r: (r.stage.procedure not in STAGED_PROCEDURES, r.stage.number))
    first = group[0]

    def pick(attribute: str) -> str:
        if len(group) == 1:
            return getattr(first, attribute) or ""
        return next((v for r in group if (v := getattr(r, attribute))), "")

    advocate = pick("advocate")
    themes = tuple(t.strip() for t in pick("themes").split(";") if t.strip())
    main = next((r for r in group if r.stage.procedure in STAGED_PROCEDURES), first)
    stages = [r.stage for r in group]
    if len(stages) > 1:
        stages.sort(key=lambda s: s.received)
    extra: dict[str, Any] = {}
    for row in group:
        for name, value in (row.extra or {}).items():
            extra.setdefault(name, value)
    return CaseRecord(
        **extra,
        reference=reference,
        procedure=main.stage.procedure,
        stages=stages,
        complainant_type=pick("complainant") or None,
        channel=pick("channel") or None,
        advocate_involved=advocate.lower() not in NO,
        advocate=advocate if advocate.lower() not in _NOT_NAMES else None,
        division=pick("division") or None,
        service=pick("service") or None,
        themes=themes,
        summary=pick("summary"),
        duty_category=first.duty_category,
    )
