"""What the import says: the lines the command prints and the Import screen shows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from complaints_tui.domain.errors import DomainError

from ..context import Context
from ..files import atomic_write
from .problems import ImportRefused, Problem
from .propose import mapping_text, propose
from .sources import Unreadable

if TYPE_CHECKING:
    from ..importer import Plan


def refusal_lines(refused: ImportRefused, name: Path | str) -> list[str]:
    lines = [f"{name}: {problem}" for problem in refused.problems]
    if refused.unlisted:
        lines.append(f"{name}: ... and {refused.unlisted:,} more problem(s) not listed")
    lines.append(f"{name}: refused, {refused.count:,} problem(s); nothing imported.")
    return lines


def differing_lines(differing: Sequence[Problem], count: int, name: Path | str) -> list[str]:
    """The note on a case's stages that give a case-wide value differently: which value
    was kept, and where the other is, one line each."""
    if not count:
        return []
    lines = [
        f"Note: {count:,} value(s) on a later stage's row differ from the case's first row; "
        "the first row's is kept (a case has one officer, one service...):"
    ]
    lines += [f"  {name}: {difference}" for difference in differing]
    if count > len(differing):
        lines.append(f"  ... and {count - len(differing):,} more not listed")
    return lines


def plan_lines(plan: Plan, name: Path | str, *, checked_only: bool = False) -> list[str]:
    """A checked file's summary: what would be created, or every problem."""
    if not plan.ok:
        return refusal_lines(plan.refusal(), name)
    where = sheets_read(plan.read_sheets) or (f" (sheet '{plan.sheet}')" if plan.sheet else "")
    lines = [
        f"{name}{where}: {plan.stages:,} stage(s) of {plan.cases:,} case(s) would be "
        "imported; no problems."
    ]
    if plan.by_stage:
        lines.append("  " + ", ".join(f"{kind} {n:,}" for kind, n in plan.by_stage.items()))
    if plan.after_today:
        lines.append(f"Note: {plan.after_today} row(s) have dates after today.")
    if plan.unread_sheets:
        lines.append(unread_sheets_line(plan.sheet, plan.unread_sheets, plan.read_sheets))
    lines += differing_lines(plan.differing, plan.differing_count, name)
    if checked_only:
        lines.append("Checked only (--check): nothing was stored.")
    return lines


def sheets_read(read: list[str]) -> str:
    """ " (sheets '2023-24', '2024-25')" when several sheets were read together."""
    return f" (sheets {', '.join(repr(n) for n in read)})" if len(read) > 1 else ""


def unread_sheets_line(sheet: str | None, unread: list[str], read: list[str]) -> str:
    """Which sheets of a workbook were not read, and how to read them."""
    names = ", ".join(f"'{name}'" for name in unread)
    if len(read) > 1:
        return f"Note: not read, having no header row of ours: {names}."
    return (
        f"Note: only sheet '{sheet}' was read; the workbook also has {names} "
        "(--sheet NAME reads another; --all-sheets reads them all together, as one log)."
    )


def write_proposal(ctx: Context, path: Path, target: Path, sheet: str | None) -> list[str]:
    """Write a proposed mapping for ``path`` to ``target``; the lines to print."""
    if Path(target).exists():
        raise DomainError(
            f"{target} already exists: move it away or name another file "
            "(a mapping someone corrected is not overwritten)"
        )
    try:
        proposal = propose(path, ctx.policy.vocabularies, sheet)
    except Unreadable as unreadable:
        raise DomainError(f"{path}: {unreadable.problem}") from None
    with atomic_write(target, "w", encoding="utf-8") as handle:
        handle.write(mapping_text(proposal, ctx.today()))
    lines = [
        f"Wrote a proposed mapping for {path} to {target}: {len(proposal.columns)} heading(s) "
        f"placed, {len(proposal.ignored)} ignored."
    ]
    for heading in proposal.ignored:
        lines.append(f"  ignored: '{heading}' (no column of ours)")
    for column, word, closest in proposal.unknown:
        hint = f" (closest: {closest})" if closest else ""
        lines.append(f"  not recognised in '{proposal.columns[column]}': '{word}'{hint}")
    lines.append(f"Check it, then: complaints-tui import {path} --mapping {target}")
    return lines
