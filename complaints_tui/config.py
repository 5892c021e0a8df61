"""Where the database and policy are, from flags or the environment; builds the Context."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from complaints_tui.domain.dates import parse_date
from complaints_tui.domain.errors import DomainError

DEFAULT_DB = Path("db") / "complaints.sqlite3"


@dataclass(frozen=True)
class Settings:
    db: str
    policy: Path | None
    today: date | None
    officer: str | None


def settings(
    db: str | None = None, policy: str | None = None, today: str | None = None
) -> Settings:
    """Flags win over COMPLAINTS_DB / COMPLAINTS_POLICY / COMPLAINTS_TODAY / COMPLAINTS_OFFICER."""
    db = db or os.environ.get("COMPLAINTS_DB") or str(DEFAULT_DB)
    policy = policy or os.environ.get("COMPLAINTS_POLICY") or None
    today_text = today or os.environ.get("COMPLAINTS_TODAY") or None
    fixed = None
    if today_text:
        try:
            fixed = parse_date(today_text)
        except ValueError as exc:
            raise DomainError(f"COMPLAINTS_TODAY / --today: {exc}") from None
    return Settings(
        db=db,
        policy=Path(policy) if policy else None,
        today=fixed,
        officer=os.environ.get("COMPLAINTS_OFFICER") or None,
    )
