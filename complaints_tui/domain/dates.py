"""Dates as officers type them: ISO (2024-01-15) or UK (15/01/2024)."""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(text: str) -> date:
    """Parse an ISO or UK date; ValueError with a message naming the text otherwise."""
    value = text.strip()
    if len(value) == 10 and value[4] == "-":
        try:
            return date.fromisoformat(value)  # the common case, in C: an import has 100,000s
        except ValueError:
            pass  # fall through for the precise message
    if m := _ISO.match(value):
        year, month, day = (int(g) for g in m.groups())
    elif m := _UK.match(value):
        day, month, year = (int(g) for g in m.groups())
    else:
        raise ValueError(f"'{value}' is not a date (use 15/01/2024 or 2024-01-15)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{value}' is an impossible date") from None
