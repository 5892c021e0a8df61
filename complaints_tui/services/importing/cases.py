"""Grouping stage rows into cases: rows sharing a reference are the stages of one case."""

from __future__ import annotations

from collections import defaultdict

from complaints_tui.domain.records import CaseRecord
from complaints_tui.domain.vocab import STAGED_PROCEDURES

from .columns import NO, YES, key
from .problems import Problem
from .rows import Row


def group_cases(
    rows: list[Row],
    problems: list[Problem],
    existing: set[tuple[str, str, int]],
    references: set[str],
) -> list[CaseRecord]:
    by_reference: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_reference[row.reference].append(row)
    records = []
    for reference, group in by_reference.items():
        seen: dict[tuple[str, int], int] = {}
        for row in group:
            stage_key = (row.stage.procedure, row.stage.number)
            label = f"{reference} {row.stage.procedure} stage {row.stage.number}"
            if stage_key in seen:
                problems.append(
                    Problem(row.line, "stage", f"{label} already appears on line {seen[stage_key]}")
                )
            elif (reference, *stage_key) in existing:
                problems.append(Problem(row.line, "stage", f"{label} is already in the database"))
            elif reference in references:
                problems.append(
                    Problem(
                        row.line,
                        "reference",
                        f"{reference} is already in the database (the import adds new cases; "
                        "record further stages in the app)",
                    )
                )
            seen.setdefault(stage_key, row.line)
        group.sort(key=lambda r: (r.stage.procedure not in STAGED_PROCEDURES, r.stage.number))
        first = group[0]

        if len(group) == 1:
            pick = first.fields.get
        else:

            def pick(column: str, default: str = "", group: list[Row] = group) -> str:
                """A case's detail from the first of its stages' rows that gives it."""
                return next((r.fields[column] for r in group if r.fields.get(column)), default)

        advocate = pick("advocate", "")
        themes = tuple(t.strip() for t in pick("themes", "").split(";") if t.strip())
        main = next((r for r in group if r.stage.procedure in STAGED_PROCEDURES), first)
        records.append(
            CaseRecord(
                reference=reference,
                procedure=main.stage.procedure,
                stages=[r.stage for r in sorted(group, key=lambda r: r.stage.received)],
                complainant_type=key(pick("complainant", "")) or None,
                channel=key(pick("channel", "")) or None,
                advocate_involved=advocate.lower() not in NO,
                advocate=advocate if advocate.lower() not in NO | YES else None,
                division=pick("division", "") or None,
                service=pick("service", "") or None,
                themes=themes,
                summary=pick("summary", ""),
                duty_category=first.duty_category,
            )
        )
    return records
