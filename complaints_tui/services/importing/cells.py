"""A cell as the import reads it: text trimmed (and unquoted), dates in every usual form.

The export writes a cell that a spreadsheet would run as a formula behind a "'"; here it
is taken off again, so the round trip is exact.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from complaints_tui.domain.dates import check_bounds, parse_date

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is written by the export behind a "'" (so a
spreadsheet shows it as text, never runs it); the import takes the "'" off again."""

_EXCEL_EPOCH = date(1899, 12, 30)
_SHORT_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})$")
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_NAMED_FORMATS = ("%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %y", "%d %B, %Y")


def unquote(text: str) -> str:
    """A CSV cell as it was before the export made it safe: "'=1+2" is "=1+2"."""
    if text[:1] == "'" and text[1:2] in ("'", *FORMULA_START):
        return text[1:]
    return text.strip()


def cell_text(value: Any, quoted: bool = True) -> str:
    """A cell as text: trimmed, and (``quoted``, a CSV) without the export's safety quote.

    A workbook's text cell needs no quote to be safe; one starting with a tab or a carriage
    return is kept as it is, so that an exported summary comes back exactly.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        if quoted:
            return unquote(value)
        return value if value[:1] in ("\t", "\r") and value.strip() else value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell_date(value: Any) -> date:
    """A date cell (a workbook's own date, an Excel serial, or text); ValueError if not."""
    if isinstance(value, datetime):
        return check_bounds(value.date())
    if isinstance(value, date):
        return check_bounds(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= 73415:  # 1900 to 2100 as Excel's day numbers
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(f"'{value}' is not a date")
    text = str(value).strip()
    text = _TIME.sub("", text)  # "20/01/2024 10:30": the day is what counts
    if m := _SHORT_UK.match(text):  # "20/01/24", as Excel shows a short date
        day, month, year = (int(g) for g in m.groups())
        text = f"{day}/{month}/{2000 + year if year < 70 else 1900 + year}"
    try:
        return parse_date(text)
    except ValueError:
        for form in _NAMED_FORMATS:  # "20 Jan 2024", "20-Jan-24"
            try:
                return check_bounds(datetime.strptime(text, form).date(), text)
            except ValueError:
                continue
        raise


class Careful(Exception):
    """This row needs the careful path: it may have a problem to report."""


CAREFUL = Careful()


def fast_date(cells: list[Any], at: int) -> date | None:
    """A date cell met in the usual forms, or None when blank; Careful when unusual."""
    if at < 0:
        return None
    value = cells[at]
    if type(value) is str:
        text = value.strip()
        if not text:
            return None
        try:
            day = (
                date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else cell_date(text)
            )
        except ValueError:
            raise CAREFUL from None
    elif type(value) is datetime:
        day = value.date()
    elif value is None:
        return None
    else:
        raise CAREFUL
    if not 1900 <= day.year <= 2100:
        raise CAREFUL
    return day
