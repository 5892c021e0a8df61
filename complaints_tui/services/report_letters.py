"""The Ombudsman's annual letter as an officer types it in on the Report screen.

Kept in the database (``lgsco_letters``), so the whole team sees it and it survives a
restart; saving again adds a row (the newest of a year is the letter), so nothing entered
is lost. The report of a year reconciles its letter with the council's records unless a
letter file is given (``report --lgsco-letter FILE.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, Table, select

from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.report import year_label
from complaints_tui.domain.report_letter import DECISIONS, Letter
from db.engine import transaction
from db.tables import LgscoLetter

from .context import Context

COMPLIANCE = ("recommendations", "complied")

_LETTERS: Table = LgscoLetter.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class StoredLetter:
    letter: Letter
    figures: Mapping[str, int | None]
    """Each figure as typed (None where left empty), by DECISIONS and COMPLIANCE names."""
    who: str
    at: datetime


def _newest(conn: Connection, year: int) -> StoredLetter | None:
    row = conn.execute(
        select(_LETTERS).where(_LETTERS.c.year == year).order_by(_LETTERS.c.id.desc()).limit(1)
    ).first()
    if row is None:
        return None
    figures = {name: getattr(row, name) for name in (*DECISIONS, *COMPLIANCE)}
    return StoredLetter(_letter(year, figures), figures, row.who, row.at)


def stored_letter(engine: Engine | Connection, year: int) -> StoredLetter | None:
    """The letter entered for the financial year starting in ``year``, or None."""
    if isinstance(engine, Connection):
        return _newest(engine, year)
    with engine.connect() as conn:
        return _newest(conn, year)


def _letter(year: int, figures: Mapping[str, int | None]) -> Letter:
    return Letter(
        decisions={k: v for k in DECISIONS if (v := figures.get(k)) is not None},
        recommendations=figures.get("recommendations"),
        complied=figures.get("complied"),
        year=year_label(year),
    )


def save_letter(ctx: Context, year: int, figures: Mapping[str, int | None]) -> StoredLetter:
    """Record the letter's figures for the year (one transaction); refused with one line,
    nothing saved, when they cannot be the letter's."""
    unknown = set(figures) - {*DECISIONS, *COMPLIANCE}
    if unknown:
        raise DomainError(f"Not a figure of the Ombudsman's letter: {', '.join(sorted(unknown))}.")
    for name, value in figures.items():
        if value is not None and (isinstance(value, bool) or value < 0):
            raise DomainError(f"{name.replace('_', ' ').capitalize()}: a whole number, 0 or more.")
    if all(figures.get(k) is None for k in DECISIONS):
        raise DomainError("Type at least one of the letter's decision figures.")
    given, complied = figures.get("recommendations"), figures.get("complied")
    if complied is not None and given is not None and complied > given:
        raise DomainError(
            f"Complied with ({complied}) cannot be more than the recommendations ({given})."
        )
    if complied is not None and given is None:
        raise DomainError("Complied with: type the number of recommendations too.")
    row = LgscoLetter(
        year=year, who=ctx.actor, **{k: figures.get(k) for k in (*DECISIONS, *COMPLIANCE)}
    )
    with transaction(ctx.engine) as session:
        session.add(row)
    figures_kept = {k: figures.get(k) for k in (*DECISIONS, *COMPLIANCE)}
    return StoredLetter(_letter(year, figures_kept), figures_kept, row.who, row.at)
