"""Who a case is about: the complainant's contact details and the children, as typed.

Pure checks and parsing shared by the command line and the forms, so both refuse the same
things with the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .dates import parse_date
from .errors import DomainError
from .vocab import normalise_free_text

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()\-]{6,20}$")


def check_email(text: str | None) -> str | None:
    """The address trimmed (None when blank); refused when it cannot be an email address."""
    value = (text or "").strip()
    if not value:
        return None
    if not _EMAIL.match(value):
        raise DomainError(f"'{value}' is not an email address (e.g. name@example.org).")
    return value


def check_phone(text: str | None) -> str | None:
    """The number trimmed (None when blank); digits, spaces, brackets, '-' and a leading '+'."""
    value = (text or "").strip()
    if not value:
        return None
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE.match(value) or digits < 6:
        raise DomainError(f"'{value}' is not a telephone number (e.g. 01785 223121).")
    return value


@dataclass(frozen=True)
class Child:
    """A child as typed: a name and, when known, a date of birth."""

    name: str
    date_of_birth: date | None = None

    def text(self) -> str:
        """How a form shows the child for editing: 'Zoë Smith 03/04/2015'."""
        born = f" {self.date_of_birth:%d/%m/%Y}" if self.date_of_birth else ""
        return f"{self.name}{born}"


def parse_child(text: str) -> Child:
    """'Zoë Smith 03/04/2015', 'Zoë Smith (2015-04-03)', 'Zoë Smith, 3/4/2015' or 'Zoë Smith'.

    The last word is the date of birth when it reads as a date; everything else is the name.
    """
    words = text.replace(",", " ").split()
    if not words:
        raise DomainError("A child needs a name.")
    born = None
    last = words[-1].strip("()")
    if any(ch.isdigit() for ch in last):
        try:
            born = parse_date(last)
        except ValueError as exc:
            raise DomainError(f"{text.strip()}: {exc}") from None
        words = words[:-1]
    if not words:
        raise DomainError(f"{text.strip()}: a child needs a name, not only a date.")
    return Child(" ".join(words), born)


def parse_children(text: str | None) -> list[Child]:
    """Children separated by ';' (or new lines)."""
    parts = (text or "").replace("\n", ";").split(";")
    return [parse_child(part) for part in parts if part.strip()]


def check_children(children: Iterable[Child], today: date) -> list[Child]:
    """Refuse a date of birth in the future and the same child twice."""
    seen: set[str] = set()
    out = []
    for child in children:
        name = " ".join(child.name.split())
        if not name:
            raise DomainError("A child needs a name.")
        if child.date_of_birth and child.date_of_birth > today:
            raise DomainError(
                f"{name}: date of birth {child.date_of_birth:%d/%m/%Y} is in the future."
            )
        folded = normalise_free_text(name)
        if folded in seen:
            raise DomainError(f"{name} is listed twice.")
        seen.add(folded)
        out.append(Child(name, child.date_of_birth))
    return out


def new_themes(themes: Iterable[str], known: Iterable[str]) -> list[str]:
    """The themes not already known (matched as the report matches them: case-folded)."""
    folded = {normalise_free_text(k) for k in known}
    out = []
    for theme in themes:
        if theme.strip() and normalise_free_text(theme) not in folded:
            out.append(theme.strip())
    return out


class NewThemes(DomainError):
    """Themes not yet in the vocabulary or the data: saved only once the officer confirms."""

    def __init__(self, themes: list[str]) -> None:
        self.themes = themes
        quoted = ", ".join(f"'{t}'" for t in themes)
        super().__init__(
            f"{quoted} {'is' if len(themes) == 1 else 'are'} not a theme in use: "
            "confirm it is a new theme (save again; --new-theme on the command line), "
            "or correct it."
        )
