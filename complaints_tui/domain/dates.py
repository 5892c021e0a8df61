"""Dates as officers type them: ISO (2024-01-15) or UK (15/01/2024), in 1900-2100.

The bound is the same everywhere a date is typed (a command, a form, an imported cell):
"01/06/9999" is a common placeholder for "unknown", and a clock counted to it froze every
screen that showed the case.
"""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")

UK_DATE = "%d/%m/%Y"

FIRST_YEAR = 1900
LAST_YEAR = 2100
"""The years a date may be in: no case, stage or deadline is dated outside them."""


def fmt(day: date | None) -> str:
    """Dates as officers write them: 05/01/2024."""
    return day.strftime(UK_DATE) if day else ""


def check_bounds(day: date, text: str | None = None) -> date:
    """``day`` itself if it is within FIRST_YEAR to LAST_YEAR; ValueError otherwise."""
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return day
    shown = day.isoformat() if text is None else text
    raise ValueError(f"'{shown}' is outside the years {FIRST_YEAR} to {LAST_YEAR}")


def parse_date(text: str) -> date:
    """Parse an ISO or UK date; ValueError with a message naming the text otherwise."""
    value = text.strip()
    if len(value) == 10 and value[4] == "-":
        try:
            quick = date.fromisoformat(value)  # the common case, in C: an import has 100,000s
        except ValueError:
            pass  # fall through for the precise message
        else:
            return check_bounds(quick, value)
    if m := _ISO.match(value):
        year, month, day = (int(g) for g in m.groups())
    elif m := _UK.match(value):
        day, month, year = (int(g) for g in m.groups())
    else:
        raise ValueError(f"'{value}' is not a date (use 15/01/2024 or 2024-01-15)")
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise ValueError(f"'{value}' is an impossible date") from None
    return check_bounds(parsed, value)
