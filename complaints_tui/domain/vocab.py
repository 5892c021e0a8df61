"""Reference vocabularies: stable keys stored in the database, labels for display.

The team may add keys (or relabel) through the policy file's ``[vocabulary.*]`` tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

PROCEDURES: Mapping[str, str] = MappingProxyType(
    {
        "statutory": "Statutory complaint",
        "corporate": "Corporate complaint",
        "lgsco": "Ombudsman (LGSCO)",
        "mp": "MP enquiry",
        "councillor": "Councillor enquiry",
        "mayor": "Mayor enquiry",
        "chief_executive": "Chief Executive enquiry",
        "general": "General enquiry",
        "foi": "Freedom of Information",
        "compliment": "Compliment",
        "duty": "Duty contact",
    }
)
"""Procedures are fixed: each has its own timescale rules in the policy."""

STAGED_PROCEDURES = frozenset({"statutory", "corporate"})
"""Procedures with Stages 1-3; every other procedure has a single, unnumbered stage."""

COMPLAINT_PROCEDURES = frozenset({"statutory", "corporate"})
ENQUIRY_PROCEDURES = frozenset({"mp", "councillor", "mayor", "chief_executive", "general"})

OUTCOMES: Mapping[str, str] = MappingProxyType(
    {
        "upheld": "Upheld",
        "partially_upheld": "Partially upheld",
        "not_upheld": "Not upheld",
        "withdrawn": "Withdrawn",
        "resolved_on_receipt": "Resolved on receipt",
        "no_finding": "No finding",
        "outside_remit": "Outside remit",
        "discontinued": "Discontinued",
        "signposted_lgsco": "Signposted to the Ombudsman",
        # The Ombudsman's decisions
        "premature": "Premature",
        "closed_after_initial_enquiries": "Closed after initial enquiries",
        "not_investigated": "Not investigated",
        "no_fault": "No fault",
        "fault_no_injustice": "Fault, no injustice",
        "fault_injustice": "Fault causing injustice",
    }
)

LGSCO_OUTCOMES = frozenset(
    {
        "premature",
        "closed_after_initial_enquiries",
        "not_investigated",
        "no_fault",
        "fault_no_injustice",
        "fault_injustice",
    }
)

COMPLAINANTS: Mapping[str, str] = MappingProxyType(
    {
        "parent": "Parent / step-parent",
        "young_person": "Young person",
        "family": "Other family",
        "foster_carer": "Foster carer",
        "advocate": "Advocate",
        "solicitor": "Solicitor",
        "professional": "Professional",
        "other": "Other",
    }
)

CHANNELS: Mapping[str, str] = MappingProxyType(
    {
        "email": "Email",
        "web": "Web form",
        "telephone": "Telephone",
        "letter": "Letter",
        "in_person": "In person",
    }
)

DUTY_CATEGORIES: Mapping[str, str] = MappingProxyType(
    {
        "advice": "Advice",
        "signposted": "Signposted",
        "refused_legal_proceedings": "Refused - legal proceedings",
        "pending_information": "Pending further information",
        "passed_to_service": "Passed to the service",
    }
)

CHILD_STATUSES: Mapping[str, str] = MappingProxyType(
    {
        "child_in_care": "Child in care",
        "care_leaver": "Care leaver",
        "child_in_need": "Child in need",
        "child_protection": "Child protection",
        "disability": "Disability",
        "send": "SEND",
    }
)

REMEDIES: Mapping[str, str] = MappingProxyType(
    {
        "apology": "Apology",
        "explanation": "Explanation",
        "payment": "Payment",
        "service_provided": "Service provided",
        "policy_change": "Policy / practice change",
        "other": "Other",
    }
)

PREFERRED_CONTACT: Mapping[str, str] = MappingProxyType(
    {
        "email": "Email",
        "telephone": "Telephone",
        "letter": "Letter",
        "text": "Text message",
        "via_advocate": "Through the advocate",
    }
)
"""How the complainant prefers to be contacted."""

THEMES: Mapping[str, str] = MappingProxyType(
    {
        "communication": "Communication",
        "staff_attitude": "Staff attitude / behaviour",
        "decision_making": "Decision making",
        "delay": "Delay",
        "quality_of_assessment": "Quality of assessment",
        "lack_of_support": "Lack of support",
        "ehcp_delays": "EHCP delays",
        "payments": "Payments",
        "information_sharing": "Information sharing",
        "contact_arrangements": "Contact arrangements",
        "placement": "Placement",
        "discrimination": "Discrimination",
    }
)
"""The themes officers pick from; a theme outside these and the data needs confirming."""

ESCALATION_DECISIONS: Mapping[str, str] = MappingProxyType(
    {"accepted": "Accepted", "refused": "Refused", "withdrawn": "Withdrawn"}
)

LEARNING_STATUSES: Mapping[str, str] = MappingProxyType(
    {"open": "Open", "done": "Implemented", "dropped": "Not implemented"}
)

DEFAULTS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "outcome": OUTCOMES,
        "complainant": COMPLAINANTS,
        "channel": CHANNELS,
        "duty_category": DUTY_CATEGORIES,
        "child_status": CHILD_STATUSES,
        "remedy": REMEDIES,
        "preferred_contact": PREFERRED_CONTACT,
        "theme": THEMES,
    }
)
"""The vocabularies a team may extend, by the name used in the policy file."""


class Vocabularies:
    """The vocabularies in force: the defaults plus the team's own keys.

    Written out rather than made a dataclass: this module is read by every command's
    argument parsing, ``--help`` included, and ``dataclasses`` costs that a fifth of its
    time. It behaves as the frozen dataclass it was (its ``repr`` is part of the policy's
    fingerprint, so it must not change)."""

    __slots__ = ("tables",)
    tables: Mapping[str, Mapping[str, str]]

    def __init__(self, tables: Mapping[str, Mapping[str, str]] | None = None) -> None:
        object.__setattr__(self, "tables", DEFAULTS if tables is None else tables)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __repr__(self) -> str:
        return f"Vocabularies(tables={self.tables!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Vocabularies):
            return NotImplemented
        return self.tables == other.tables

    def __hash__(self) -> int:
        return hash((self.tables,))

    def keys(self, name: str) -> frozenset[str]:
        return frozenset(self.tables[name])

    def label(self, name: str, key: str | None) -> str:
        if not key:
            return ""
        if name == "procedure":
            return PROCEDURES.get(key, key)
        return self.tables.get(name, {}).get(key, key.replace("_", " ").capitalize())

    def extended(self, extra: Mapping[str, Mapping[str, str]]) -> Vocabularies:
        merged = {name: dict(table) for name, table in self.tables.items()}
        for name, table in extra.items():
            merged[name].update(table)
        return Vocabularies({k: MappingProxyType(v) for k, v in merged.items()})

    def __reduce__(self) -> tuple[Any, ...]:
        # Read-only tables cannot be pickled: they travel as dicts (the report is counted
        # in a child process) and are read-only again on arrival.
        return (_vocabularies, ({k: dict(v) for k, v in self.tables.items()},))


def _vocabularies(tables: dict[str, dict[str, str]]) -> Vocabularies:
    return Vocabularies({k: MappingProxyType(v) for k, v in tables.items()})


def stage_label(procedure: str, number: int | None) -> str:
    """'Statutory 2', 'MP enquiry': how officers name a stage."""
    if procedure in STAGED_PROCEDURES and number:
        return f"{procedure.capitalize()} {number}"
    return PROCEDURES.get(procedure, procedure)


def normalise_free_text(value: str) -> str:
    """Team words (themes, services) are matched case-insensitively and trimmed."""
    return " ".join(value.split()).casefold()


def with_article(label: str) -> str:
    """'An MP enquiry', 'An Ombudsman enquiry', 'A Councillor enquiry': the article by sound."""
    shown = "Ombudsman enquiry" if label.startswith("Ombudsman") else label
    first = (shown.split() or [""])[0]
    # an abbreviation is read letter by letter: "an MP", "an FOI"
    abbreviation = first.isupper()
    vowel_sound = (first[:1] in "AEFHILMNORSX") if abbreviation else first[:1].lower() in "aeio"
    return f"{'An' if vowel_sound else 'A'} {shown}"
