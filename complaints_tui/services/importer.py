"""Import the team's spreadsheet (CSV), all or nothing.

One row per stage; rows sharing a reference are the stages of one case, in any order.
Every problem is reported as ``line N, column: reason``; if there is any, nothing is written.
The work is split by responsibility under ``importing/``; this is the entry point.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from db import repo
from db.engine import transaction

from .context import Context
from .importing.cases import group_cases
from .importing.columns import COLUMNS, EXPORT_ONLY, REQUIRED
from .importing.problems import ImportRefused, Problem
from .importing.rows import parse_rows
from .store import store_records

__all__ = [
    "COLUMNS",
    "EXPORT_ONLY",
    "REQUIRED",
    "ImportRefused",
    "Imported",
    "Problem",
    "import_csv",
]


@dataclass(frozen=True)
class Imported:
    stages: int
    cases: int
    after_today: int
    """Rows dated after today: imported (a file may plan ahead), and reported."""


def import_csv(ctx: Context, path: Path) -> Imported:
    """Import a file, or raise ImportRefused and write nothing."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImportRefused([Problem(0, "file", f"cannot read {path}: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    problems: list[Problem] = []
    rows = parse_rows(ctx, text, problems)
    with transaction(ctx.engine) as session:
        records = group_cases(
            rows, problems, repo.existing_stage_keys(session), repo.existing_references(session)
        )
        if problems:
            problems.sort(key=lambda p: p.line)
            raise ImportRefused(problems)
        store_records(ctx, session, records)
    today = ctx.today()
    after = sum(1 for r in rows if r.stage.received > today or (r.stage.responded or today) > today)
    return Imported(len(rows), len(records), after)
