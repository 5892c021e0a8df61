"""What ``complaints-tui find TEXT`` prints: one line a case, newest first."""

from __future__ import annotations

from complaints_tui.domain.vocab import PROCEDURES, Vocabularies
from complaints_tui.services.lists_model import Found

SUMMARY = 60
"""Characters of the summary shown: the line stays readable at 120 columns."""


def found_text(found: Found, vocab: Vocabularies) -> str:
    if not found.searched:
        return f"Nothing searched: type a word of three letters or more (not {found.text!r})."
    if not found.total:
        return f"No case matches {found.text!r}."
    shown = len(found.hits)
    counted = f"{found.total:,}+" if found.capped else f"{found.total:,}"
    head = f"{counted} case{'s' if found.total != 1 else ''} match {found.text!r}"
    if shown < found.total:
        head += f" (the newest {shown} shown; --limit for more)"
    lines = [head + ":"]
    for hit in found.hits:
        summary = hit.summary if len(hit.summary) <= SUMMARY else hit.summary[: SUMMARY - 1] + "…"
        procedure = PROCEDURES.get(hit.procedure, hit.procedure)
        lines.append(
            f"  {hit.reference:<14} {procedure:<24} {hit.status:<7} "
            f"{(hit.complainant or '-'):<24} {summary}"
        )
    return "\n".join(lines)
