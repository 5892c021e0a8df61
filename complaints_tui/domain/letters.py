"""Letters the procedures require: their kinds, and filling a template with a case's fields.

A template is a plain text file the team edits: one paragraph per block of lines,
``{field}`` where a case's value goes (``{{`` for a literal brace). A template naming a
field that does not exist is refused with the field's name, before anything is written.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import DomainError

LETTER_KINDS: Mapping[str, str] = {
    "acknowledgement": "Acknowledgement",
    "extension": "Extension of the timescale",
    "clock_stopped": "Clock stopped",
    "stage1_response": "Stage 1 response cover letter",
    "stage2_response": "Stage 2 response cover letter",
    "stage3_response": "Stage 3 response cover letter",
    "stage2_accepted": "Stage 2 accepted",
    "stage3_accepted": "Stage 3 accepted",
    "declined_out_of_time": "Request declined: out of time",
    "declined_stage2": "Request declined: corporate Stage 2 refused",
    "ombudsman_reply": "Reply to the Ombudsman",
    "member_reply": "Reply to the MP or councillor",
}
"""Every letter the app writes, by the key used on the command line and as the file name."""

FIELDS: Mapping[str, str] = {
    "today": "the letter's date",
    "reference": "the case reference",
    "complainant_name": "the complainant's name",
    "complainant_address": "the complainant's address (one line per line of the address)",
    "salutation": "'Dear Ms Khan' (or 'Dear Sir or Madam' without a name)",
    "children": "the children's names",
    "stage": "the stage, e.g. 'Stage 1 (statutory)'",
    "received": "the date the stage was received",
    "due": "the stage's due date",
    "acknowledgement_due": "the date the acknowledgement was due",
    "summary": "the case summary",
    "service": "the service or team",
    "officer": "the officer writing (the case's officer, else you)",
    "extended_to": "the extended timescale, working days",
    "extension_reason": "the reason for the extension",
    "stopped_from": "the date the clock stopped",
    "stopped_reason": "why the clock stopped",
    "responded": "the date of the response",
    "escalate_by": "the response (from which the complainant may ask for the next stage)",
    "requested": "the date the complainant asked for the next stage",
    "decision_reason": "the reason recorded with the decision",
    "window_closed": "the day the complainant's window to escalate closed",
    "ombudsman_reference": "the Ombudsman's reference",
    "ombudsman_deadline": "the Ombudsman's deadline",
    "member_name": "the MP or councillor",
    "member_area": "the constituency or ward",
    "ombudsman": "the Ombudsman's contact details",
}
"""Every field a template may use, with what it holds (README lists them)."""

OMBUDSMAN = (
    "Local Government and Social Care Ombudsman, PO Box 4771, Coventry CV4 0EH; "
    "telephone 0300 061 0614; www.lgo.org.uk"
)


@dataclass(frozen=True)
class FilledLetter:
    kind: str
    title: str
    paragraphs: tuple[str, ...]
    """Each paragraph's lines joined by new lines (an address keeps its lines)."""


def template_fields(text: str) -> set[str]:
    """The field names a template uses; DomainError for a malformed one."""
    names = set()
    try:
        for _literal, name, spec, _conv in string.Formatter().parse(text):
            if name is not None:
                if not name.isidentifier() or spec:
                    raise DomainError(
                        f"'{{{name}}}' is not a field (fields are like {{reference}})."
                    )
                names.add(name)
    except ValueError as exc:
        raise DomainError(f"the template is malformed ({exc}); a literal brace is {{{{.") from None
    return names


def fill(kind: str, text: str, values: Mapping[str, str], source: str = "template") -> FilledLetter:
    """The template with the case's values in; refused when it names an unknown field or a
    value the case does not have (the officer records it first)."""
    used = template_fields(text)
    unknown = sorted(used - set(FIELDS))
    if unknown:
        raise DomainError(
            f"{source}: unknown field(s) {', '.join('{' + n + '}' for n in unknown)} "
            f"(known: {', '.join(sorted(FIELDS))})."
        )
    missing = sorted(n for n in used if not values.get(n))
    if missing:
        raise DomainError(
            f"The letter ({LETTER_KINDS[kind]}) needs {'; '.join(FIELDS[n] for n in missing)}: "
            "record it on the case first."
        )
    body = text.format_map({n: values[n] for n in used})
    paragraphs = tuple(
        "\n".join(line.rstrip() for line in block.strip("\n").splitlines())
        for block in body.replace("\r\n", "\n").split("\n\n")
        if block.strip()
    )
    return FilledLetter(kind, LETTER_KINDS[kind], paragraphs)
