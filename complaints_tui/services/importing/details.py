"""The columns that carry the rest of a case's record, so that an export re-imports whole:
the complainant's name, the officer, the child's status, repeat and re-opened counts,
acknowledgement, the extension's reason and agreement, panel dates, clock stops, remedies
with payments and learning actions, the Ombudsman's own deadline for an enquiry
(``fixed_due``) and the day a stage closed without a response (``closed_on``: withdrawn, or a
duty matter closed while awaiting information).

A cell holding several things (clock stops, remedies, learning actions) has one per line:
    clock_stops   2024-01-08 to 2024-01-15: awaiting the complainant's consent
    remedies      payment: £250.00        (or a kind alone: apology)
    learning      Refresher on timescales | Team manager | 2024-03-31 | open
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from itertools import compress
from operator import itemgetter
from typing import Any

from complaints_tui.domain.records import StageRecord
from complaints_tui.domain.vocab import LEARNING_STATUSES, Vocabularies

from .cells import cell_date, cell_text
from .columns import DETAIL_COLUMNS
from .synonyms import WORDS
from .words import norm

CASE_DETAILS = frozenset(
    {
        "complainant_name",
        "officer",
        "child_statuses",
        "repeat_complainant",
        "reopened_count",
        "matter_date",
    }
)
"""Details of the case; the others are of the row's stage."""

DATES = frozenset(
    {
        "matter_date",
        "acknowledged",
        "extension_agreed",
        "panel_date",
        "panel_report_date",
        "fixed_due",
        "closed_on",
    }
)
_STOP = re.compile(r"^\s*(\S+)\s+to\s*(\S*?)\s*(?::\s*(.*))?$")
_AMOUNT = re.compile(r"^£?\s*(\d[\d,]*(?:\.\d{1,2})?)$")
YES_WORDS = frozenset({"yes", "y", "true", "1"})
NO_WORDS = frozenset({"no", "n", "false", "0", ""})

Bad = Callable[[str, str], None]

_CASE_WORDS = frozenset({"child_statuses", "repeat_complainant", "reopened_count"})
_UNREAD = object()
_REMEMBERED = 20_000
"""Distinct cells remembered per column: held to a size, however long the file."""
_FIELDS = {"clock_stops": "suspensions"}
"""The stage's field a detail column sets, where it is not the column's own name."""
_CASE, _STAGE, _LIST = object(), object(), object()
"""Where a remembered cell's reading goes: the case's details, the stage's field, or (its
lines) a new list of the stage's own."""


def items(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class DetailReader:
    """Reads the detail columns of a row into its stage and the case's details."""

    def __init__(self, vocab: Vocabularies, index: dict[str, int], quoted: bool) -> None:
        self.at = [(c, index[c]) for c in DETAIL_COLUMNS if c in index]
        self.width = max((at for _, at in self.at), default=-1) + 1
        self.quoted = quoted
        # A CSV's cells are all text, blank when empty: the cells given are picked out by
        # the interpreter's own loops (most of a row's 16 detail cells are blank).
        self._pick = itemgetter(*(at for _, at in self.at)) if len(self.at) > 1 else None
        self._places = range(len(self.at))
        self._dates: dict[str, date] = {}
        self._known: dict[tuple[str, str], Any] = {}
        self._memos: list[dict[Any, tuple[object, str, Any]]] = [{} for _ in self.at]
        """Each detail column's cells read cleanly before: (where, column, read)."""
        self.child = {norm(w): k for k, ws in WORDS["child_status"].items() for w in ws}
        self.child.update({norm(k): k for k in vocab.tables["child_status"]})
        self.child.update({norm(v): k for k, v in vocab.tables["child_status"].items()})
        self.remedy = {norm(k): k for k in vocab.tables["remedy"]}
        self.remedy.update({norm(v): k for k, v in vocab.tables["remedy"].items()})
        self.learning = {norm(k): k for k in LEARNING_STATUSES}
        self.learning.update({norm(v): k for k, v in LEARNING_STATUSES.items()})

    def read(self, cells: list[Any], stage: StageRecord, bad: Bad) -> dict[str, Any] | None:
        """The case's details (None if the row gives none); stage details set on ``stage``."""
        case: dict[str, Any] = {}
        if len(cells) < self.width:
            cells = [*cells, *([None] * (self.width - len(cells)))]
        memos = self._memos
        values = (
            self._pick(cells) if self._pick is not None else tuple(cells[at] for _, at in self.at)
        )
        if self.quoted:
            # Only text and None (a short row's padding) are falsy-when-blank for certain:
            # a workbook's 0 or False is a value, so a workbook's are compared one by one.
            given: Iterable[int] = compress(self._places, values)
        else:
            given = [i for i, value in enumerate(values) if value is not None and value != ""]
        for i in given:
            value = values[i]
            # Most cells repeat one read before (the officer, a day, "no", "0"): each such
            # cell's reading is remembered, and applied with no reading at all.
            hit = memos[i].get(value if type(value) is str else (type(value), value))
            if hit is None:
                self._cell(i, value, stage, case, bad)
            elif hit[0] is _CASE:
                case[hit[1]] = hit[2]
            elif hit[0] is _STAGE:
                setattr(stage, hit[1], hit[2])
            else:  # a stage's list: its own, never one another stage could change
                setattr(stage, hit[1], list(hit[2]))
        return case or None

    def _cell(self, i: int, value: Any, stage: StageRecord, case: dict[str, Any], bad: Bad) -> None:
        """Read the row's ``i``-th detail cell, not read before (or not cleanly)."""
        column = self.at[i][0]
        if column in DATES:
            # The same few hundred days recur over a file's rows: each is read once.
            day = self._dates.get(value) if type(value) is str else None
            if day is None:
                try:
                    day = cell_date(value)
                except ValueError as exc:
                    bad(column, str(exc))
                    return
                if type(value) is str and len(self._dates) < _REMEMBERED:
                    self._dates[value] = day
            if column == "matter_date":
                case[column] = day
            else:
                setattr(stage, column, day)
            self._remember(i, value, day)
            return
        text = cell_text(value, self.quoted)
        if not text:
            return
        if column in ("complainant_name", "officer"):
            case[column] = text
            self._remember(i, value, text)
        elif column == "extension_reason":
            stage.extension_reason = text
            self._remember(i, value, text)
        elif column in _CASE_WORDS:
            # A team writes a few distinct values here: each is read once.
            known = self._known
            found = known.get((column, text), _UNREAD)
            if found is _UNREAD:
                found, clean = self._case_word(column, text, bad)
                if clean and len(known) < _REMEMBERED:
                    known[(column, text)] = found
            if found is not _UNREAD:
                case[column] = found
                if (column, text) in known:
                    self._remember(i, value, found)
        else:  # the cell's lines: clock stops, remedies, learning actions
            problems: list[tuple[str, str]] = []

            def noted(column: str, reason: str) -> None:
                problems.append((column, reason))
                bad(column, reason)

            if column == "clock_stops":
                lines: list[Any] = self._stops(items(text), noted)
                stage.suspensions = lines
            elif column == "remedies":
                lines = stage.remedies = self._remedies(items(text), noted)
            else:
                lines = stage.learning = self._learning(items(text), noted)
            if not problems:
                self._remember(i, value, tuple(lines), _LIST)

    def _remember(self, i: int, value: Any, read: Any, where: object = None) -> None:
        """Keep a cell's clean reading, and whether it goes to the case, to the stage, or
        (``_LIST``: its lines, as a tuple) to a list of the stage's own.

        A workbook's other cells (a day, a count) are kept by their type and value: 1 and
        True are equal keys, yet True reads "yes" and 1 reads "1"."""
        memo = self._memos[i]
        if len(memo) < _REMEMBERED:
            column = self.at[i][0]
            if where is None:
                where = _CASE if column in CASE_DETAILS else _STAGE
            key = value if type(value) is str else (type(value), value)
            memo[key] = (where, _FIELDS.get(column, column), read)

    def _case_word(self, column: str, text: str, bad: Bad) -> tuple[Any, bool]:
        """The value of a child's status, repeat or re-opened cell (_UNREAD: none), and
        whether it was read without a problem."""
        if column == "child_statuses":
            keys = []
            clean = True
            for part in text.replace("\n", ";").split(";"):
                if part.strip():
                    key = self.child.get(norm(part))
                    if key is None:
                        bad(column, f"unknown child's status '{part.strip()}'")
                        clean = False
                    else:
                        keys.append(key)
            return tuple(keys), clean
        if column == "repeat_complainant":
            clean = text.lower() in YES_WORDS | NO_WORDS
            if not clean:
                bad(column, f"'{text}' is not yes or no")
            return text.lower() in YES_WORDS, clean
        if not (text.isascii() and text.isdigit()):  # reopened_count
            bad(column, f"'{text}' is not a number of times (0, 1, 2...)")
            return _UNREAD, False
        return int(text), True

    def _stops(self, lines: Iterable[str], bad: Bad) -> list[tuple[date, date | None, str]]:
        stops = []
        for line in lines:
            match = _STOP.match(line)
            if not match:
                bad("clock_stops", f"'{line}' is not FROM to TO: reason")
                continue
            start_text, end_text, reason = match.groups()
            try:
                start = cell_date(start_text)
                end = cell_date(end_text) if end_text else None
            except ValueError as exc:
                bad("clock_stops", str(exc))
                continue
            if end is not None and end < start:
                bad("clock_stops", f"'{line}': the clock restarts before it stopped")
                continue
            stops.append((start, end, reason or ""))
        return stops

    def _remedies(self, lines: Iterable[str], bad: Bad) -> list[tuple[str, int | None]]:
        remedies = []
        for line in lines:
            kind_text, _, amount_text = line.partition(":")
            kind = self.remedy.get(norm(kind_text))
            if kind is None:
                bad("remedies", f"unknown remedy '{kind_text.strip()}'")
                continue
            pence = None
            if amount_text.strip():
                match = _AMOUNT.match(amount_text.strip())
                if not match:
                    bad("remedies", f"'{amount_text.strip()}' is not an amount in pounds")
                    continue
                pence = round(float(match.group(1).replace(",", "")) * 100)
            remedies.append((kind, pence))
        return remedies

    def _learning(
        self, lines: Iterable[str], bad: Bad
    ) -> list[tuple[str, str | None, date | None, str]]:
        actions = []
        for line in lines:
            text, owner, due_text, status_text = ([*line.split("|"), "", "", ""])[:4]
            due = None
            if due_text.strip():
                try:
                    due = cell_date(due_text.strip())
                except ValueError as exc:
                    bad("learning", str(exc))
                    continue
            status = self.learning.get(norm(status_text or "open"), None)
            if status is None:
                bad("learning", f"unknown learning status '{status_text.strip()}'")
                continue
            actions.append((text.strip(), owner.strip() or None, due, status))
        return actions


def stops_text(stops: Iterable[tuple[date, date | None, str]]) -> str:
    return "\n".join(
        f"{a.isoformat()} to {b.isoformat() if b else ''}" + (f": {why}" if why else "")
        for a, b, why in stops
    )


def remedies_text(remedies: Iterable[tuple[str, int | None]]) -> str:
    return "\n".join(
        kind if pence is None else f"{kind}: £{pence / 100:.2f}" for kind, pence in remedies
    )


def learning_text(actions: Iterable[tuple[str, str | None, date | None, str]]) -> str:
    return "\n".join(
        f"{text} | {owner or ''} | {due.isoformat() if due else ''} | {status}"
        for text, owner, due, status in actions
    )
