"""The Ombudsman's annual letter, reconciled with the council's own records.

Each summer the Ombudsman writes to every council with its decisions for the year before:
how many of each kind, how many upheld, and whether the council complied with its
recommendations. An officer types the letter's figures into a small TOML file::

    year = "2025-26"                      # optional: checked against the report's year
    [decisions]                           # the letter's figures, by decision
    premature = 3
    closed_after_initial_enquiries = 5
    no_fault = 2
    fault_injustice = 2
    [compliance]
    recommendations = 4                   # recommendations due in the year
    complied = 4                          # complied with
    [[case]]                              # optional: the letter's own list of cases
    reference = "21 001 234"              # the Ombudsman's reference
    decision = "fault_injustice"

and the report shows the letter's figures beside the council's, and names every case the
two disagree on. Pure code: the TOML is parsed by the caller (``tomllib``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .report import DETAIL, TOTAL, Column, Row, Table, year_label
from .report_stages import StageColumns
from .vocab import LGSCO_OUTCOMES, OUTCOMES

DECISIONS = tuple(k for k in OUTCOMES if k in LGSCO_OUTCOMES)
"""The Ombudsman's decisions in the order its letters (and our vocabulary) give them."""

UPHELD_DECISIONS = frozenset({"fault_injustice", "fault_no_injustice"})
"""The Ombudsman 'upholds' a complaint when it finds fault."""


class LetterError(ValueError):
    """A letter file that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Letter:
    decisions: Mapping[str, int]
    cases: tuple[tuple[str, str], ...] = ()
    """(the Ombudsman's reference, decision), when the letter lists its cases."""
    recommendations: int | None = None
    complied: int | None = None
    year: str | None = None


def parse_letter(data: Mapping[str, Any], source: str = "letter") -> Letter:
    """The letter's figures, every key checked (an unknown one is refused by name)."""
    known = {"year", "decisions", "compliance", "case"}
    for key in data:
        if key not in known:
            raise LetterError(f"{source}: unknown key '{key}' (known: {', '.join(sorted(known))})")
    decisions: dict[str, int] = {}
    for key, value in dict(data.get("decisions", {})).items():
        if key not in LGSCO_OUTCOMES:
            raise LetterError(
                f"{source}: decisions.{key} is not an Ombudsman decision "
                f"(known: {', '.join(LGSCO_OUTCOMES)})"
            )
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise LetterError(f"{source}: decisions.{key} must be a whole number")
        decisions[key] = value
    compliance = dict(data.get("compliance", {}))
    for key, value in compliance.items():
        if key not in ("recommendations", "complied"):
            raise LetterError(f"{source}: unknown key 'compliance.{key}'")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise LetterError(f"{source}: compliance.{key} must be a whole number")
    cases = []
    for n, item in enumerate(data.get("case", []), 1):
        if not isinstance(item, Mapping) or not item.get("reference"):
            raise LetterError(f"{source}: case {n} needs a reference")
        decision = str(item.get("decision", ""))
        if decision not in LGSCO_OUTCOMES:
            raise LetterError(f"{source}: case {n}: {decision!r} is not an Ombudsman decision")
        cases.append((" ".join(str(item["reference"]).split()), decision))
    year = data.get("year")
    return Letter(
        decisions,
        tuple(cases),
        compliance.get("recommendations"),
        compliance.get("complied"),
        None if year is None else str(year),
    )


def reconcile(
    s: StageColumns, letter: Letter, year: int, start: date, cutoff: date, label: Any
) -> tuple[Table, Table]:
    """The letter beside the council's records of the Ombudsman's decisions made in the
    year, and the cases the two disagree on. ``label`` names a decision."""
    ours: list[tuple[str, str, str]] = []  # (Ombudsman reference, our reference, decision)
    for i in range(s.n):
        a = s.answered[i]
        if s.col[i] != "lgsco" or a is None or not start <= a <= cutoff:
            continue
        ours.append(
            (
                " ".join((s.ombudsman_reference[i] or "").split()),
                s.reference[i] or f"stage {s.id[i]}",
                s.outcome[i] or "not_recorded",
            )
        )
    counted = Counter(d for _, _, d in ours)
    keys = [k for k in DECISIONS if k in counted or k in letter.decisions]
    keys += sorted(set(counted) - set(keys))
    rows = []
    for k in keys:
        theirs, mine = letter.decisions.get(k, 0), counted.get(k, 0)
        rows.append(
            Row(k, label(k), {"letter": theirs, "records": mine, "difference": mine - theirs})
        )
    total_letter, total_ours = sum(letter.decisions.values()), len(ours)
    rows.append(
        Row(
            "total",
            "Decisions",
            {
                "letter": total_letter,
                "records": total_ours,
                "difference": total_ours - total_letter,
            },
            TOTAL,
        )
    )
    up_letter = sum(letter.decisions.get(k, 0) for k in UPHELD_DECISIONS)
    up_ours = sum(counted.get(k, 0) for k in UPHELD_DECISIONS)
    rows.append(
        Row(
            "upheld",
            "Upheld (fault found)",
            {"letter": up_letter, "records": up_ours, "difference": up_ours - up_letter},
            "memo",
        )
    )
    if letter.recommendations is not None:
        rows.append(
            Row(
                "complied",
                f"Recommendations complied with, of {letter.recommendations}",
                {"letter": letter.complied, "records": None, "difference": None},
                "memo",
            )
        )
    note = (
        f"The Ombudsman's annual letter for {letter.year or year_label(year)}, beside the "
        "decisions the council recorded as made in the year. Difference: records less letter."
    )
    if letter.year and letter.year.replace("/", "-") != year_label(year):
        note += f" The letter is for {letter.year}, the report for {year_label(year)}."
    figures = Table(
        "lgsco_letter",
        "The Ombudsman's annual letter and our records",
        (
            Column("letter", "Letter", in_row_total=False, adds_down=False),
            Column("records", "Our records", in_row_total=False, adds_down=False),
            Column("difference", "Difference", in_row_total=False, adds_down=False),
        ),
        tuple(rows),
        row_total=None,
        note=note,
    )
    # the cases: by the letter's own list when it has one, else the categories that differ
    disagree: list[Row] = []
    text = "text"
    if letter.cases:
        listed = dict(letter.cases)
        mine = {ref: (our, d) for ref, our, d in ours if ref}
        for ref in sorted(set(listed) | set(mine)):
            theirs_d = listed.get(ref)
            our_ref, our_d = mine.get(ref, ("", None))
            if theirs_d == our_d:
                continue
            disagree.append(
                Row(
                    f"case:{ref}",
                    ref,
                    {
                        "case": our_ref or "not in our records",
                        "records": label(our_d) if our_d else "-",
                        "letter": label(theirs_d) if theirs_d else "not in the letter",
                    },
                    DETAIL,
                )
            )
        for ref_, our_ref, d in ours:
            if not ref_:
                disagree.append(
                    Row(
                        f"case:{our_ref}",
                        "(no Ombudsman reference)",
                        {"case": our_ref, "records": label(d), "letter": "cannot be matched"},
                        DETAIL,
                    )
                )
    else:
        differing = {k for k in keys if letter.decisions.get(k, 0) != counted.get(k, 0)}
        for ref, our_ref, d in sorted(ours, key=lambda t: (t[2], t[1])):
            if d in differing:
                disagree.append(
                    Row(
                        f"case:{our_ref}",
                        ref or "(no Ombudsman reference)",
                        {"case": our_ref, "records": label(d), "letter": "count differs"},
                        DETAIL,
                    )
                )
    cases = Table(
        "lgsco_letter_cases",
        "Cases the letter and our records disagree on",
        (
            Column("case", "Our case", text, in_row_total=False, adds_down=False),
            Column("records", "Our records", text, in_row_total=False, adds_down=False),
            Column("letter", "The letter", text, in_row_total=False, adds_down=False),
        ),
        tuple(disagree),
        row_total=None,
        note="Each row names a case to check: by the Ombudsman's reference when the letter "
        "lists its cases; otherwise every case we recorded with a decision whose count "
        "differs from the letter's.",
    )
    return figures, cases
