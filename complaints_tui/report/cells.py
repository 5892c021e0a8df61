"""How one figure of a report is printed, the same in every format: counts with thousands
separators, "53% (8/15)" for timeliness, "12 (34%)" beside a whole, "£1,250.00", the
change on last year, and "*" for a figure hidden by suppression."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TypeGuard

from complaints_tui.domain.report import MEAN, ONTIME, POUNDS, Cell, Column

DASH = "-"


def is_number(value: Cell) -> TypeGuard[int | float]:
    """A figure that is shown (not hidden, not missing)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def percent(part: Cell, whole: Cell) -> str:
    """'34%' when both figures are shown and the whole is not zero; else a dash."""
    if not (is_number(part) and is_number(whole)) or not whole:
        return DASH
    return f"{math.floor(100 * part / whole + 0.5)}%"


def change(now: Cell, before: Cell) -> str:
    """The change on the previous year, '+57%' or '-6%'."""
    if not (is_number(now) and is_number(before)) or not before:
        return DASH
    value = math.floor(100 * (now - before) / before + 0.5)
    return f"{value:+d}%"


def count(value: Cell) -> str:
    if value is None:
        return ""
    if is_number(value):
        return f"{value:,}"
    return str(value)


def money(value: Cell) -> str:
    if is_number(value):
        return f"£{value:,.2f}"
    return "" if value is None else str(value)


def mean(value: Cell) -> str:
    if is_number(value):
        return f"{value:.1f}"
    return DASH if value is None else str(value)


def decided(cell: Mapping[str, Cell]) -> Cell:
    """How many of an on-time cell's stages were decided (responded to): the whole its
    percentage is of. Pending stages are not failures, and a stage closed without a
    response is never on time, so neither is in it. A string when a part is hidden."""
    total, pending, closed = cell.get("total"), cell.get("pending", 0), cell.get("closed", 0)
    if is_number(total) and is_number(pending or 0) and is_number(closed or 0):
        return total - (pending or 0) - (closed or 0)
    return SECRET


SECRET = "*"


def on_time(cell: Cell) -> str:
    """'53% (8/15)': on time of those decided, with '+2' when two more are still open and
    not yet due (stages closed without a response are counted apart)."""
    if not isinstance(cell, Mapping):
        return count(cell)
    n, total, pending = cell.get("on_time"), cell.get("total"), cell.get("pending")
    if total == 0:
        return DASH
    whole = decided(cell)
    if whole == 0:
        text = "-"
    else:
        text = f"{n}/{whole}"
        if is_number(n) and is_number(whole):
            text = f"{percent(n, whole)} ({text})"
    if pending:
        text += f" +{pending}"
    return text


def figure(column: Column, value: Cell) -> str:
    if column.kind == ONTIME:
        return on_time(value)
    if column.kind == POUNDS:
        return money(value)
    if column.kind == MEAN:
        return mean(value)
    return count(value)
