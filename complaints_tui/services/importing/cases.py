"""Grouping stage rows into cases: rows sharing a reference are the stages of one case."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from datetime import date
from typing import Any

from complaints_tui.domain.records import CaseRecord
from complaints_tui.domain.vocab import STAGED_PROCEDURES

from .columns import NO, YES
from .details import CASE_DETAILS
from .rows import Row

_NOT_NAMES = NO | YES
_NONE: dict[str, Any] = {}

_CASE_FIELDS = (
    "reference",
    "procedure",
    "stages",
    "complainant_type",
    "complainant_name",
    "child_statuses",
    "advocate_involved",
    "advocate",
    "channel",
    "division",
    "service",
    "themes",
    "summary",
    "officer",
    "matter_date",
    "duty_category",
    "repeat_complainant",
    "reopened_count",
)
"""CaseRecord's fields in order, as ``case_of`` gives them by position; a row's details
(``details.CASE_DETAILS``) are among them."""
_FIELDS_AGREE = tuple(f.name for f in fields(CaseRecord)) == _CASE_FIELDS
if not _FIELDS_AGREE or not CASE_DETAILS.issubset(_CASE_FIELDS):
    raise ImportError("CaseRecord's fields changed: update importing.cases._CASE_FIELDS")

CASE_WIDE = ("complainant", "channel", "advocate", "division", "service", "themes", "summary")
"""The row's columns that belong to the case, not the stage: a case holds one of each."""


def in_order(group: list[Row]) -> None:
    """The case's rows in stage order (the statutory or corporate stages first, then
    the rest): the first row giving a case-wide value is the one kept."""
    if len(group) > 1:
        group.sort(key=lambda r: (r.stage.procedure not in STAGED_PROCEDURES, r.stage.number))


def differences(group: list[Row]) -> Iterator[tuple[Row, str, str, str, Row]]:
    """(row, column, its value, the value kept, the row kept) for each case-wide value a
    later stage's row gives differently from the first row that gives it, so that keeping
    the first loses it. A blank loses nothing (the team wrote the value once); nor does a
    value written the same but for case and spacing, or themes the kept ones include."""
    in_order(group)
    for column in CASE_WIDE:
        kept: Any = None
        first: Row | None = None
        for row in group:
            value = getattr(row, column)
            if not value:
                continue
            if first is None:
                first, kept = row, value
            elif value != kept and _lost(column, value, kept):  # the same text loses nothing
                yield row, column, _shown(value), _shown(kept), first
    names = {name for row in group if row.extra for name in row.extra}
    for name in sorted(names):
        kept, first = None, None
        for row in group:
            if not row.extra or name not in row.extra:
                continue
            value = row.extra[name]
            if first is None:
                first, kept = row, value
            elif value != kept and _lost(name, value, kept):
                yield row, name, _shown(value), _shown(kept), first


def _lost(column: str, value: Any, kept: Any) -> bool:
    """Whether keeping ``kept`` loses ``value``: a different value, or (themes, a
    child's statuses) one the kept list does not include."""
    if column in ("themes", "child_statuses"):
        return not _same(column, value) <= _same(column, kept)
    return bool(_same(column, value) != _same(column, kept))


def _same(column: str, value: Any) -> Any:
    """A value as compared for a difference."""
    if column == "themes":
        return frozenset(" ".join(t.split()).casefold() for t in value.split(";") if t.strip())
    if column == "child_statuses":
        return frozenset(value)
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    return value


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(value)
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


_THEMES: dict[str, tuple[str, ...]] = {"": ()}
"""Each themes cell's themes, split once: a team writes a few dozen over 100,000 rows."""


def _themes(text: str) -> tuple[str, ...]:
    themes = _THEMES.get(text)
    if themes is None:
        themes = tuple(t.strip() for t in text.split(";") if t.strip())
        if len(_THEMES) < 5000:  # held to a size, however many distinct cells a file has
            _THEMES[text] = themes
    return themes


def case_of(reference: str, group: list[Row]) -> CaseRecord:
    """A case from its stages' rows; each case detail from the first row that gives it."""
    if len(group) == 1:  # most cases: one stage, as it is
        row = group[0]
        advocate = row.advocate
        lowered = advocate.lower()
        get = (row.extra or _NONE).get
        # By position (see _CASE_FIELDS): keywords and the details' ** took twice as long,
        # once for every case of a file.
        return CaseRecord(
            reference,
            row.stage.procedure,
            [row.stage],
            row.complainant or None,
            get("complainant_name"),
            get("child_statuses", ()),
            lowered not in NO,
            advocate if lowered not in _NOT_NAMES else None,
            row.channel or None,
            row.division or None,
            row.service or None,
            _themes(row.themes),
            row.summary,
            get("officer"),
            get("matter_date"),
            row.duty_category,
            get("repeat_complainant", False),
            get("reopened_count", 0),
        )
    in_order(group)
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
