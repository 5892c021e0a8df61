"""A row of the file as the import reads it: its stage, and the case's values it gives.

Each row's stage follows from its words (the procedure, stage, outcome, extension,
complainant and channel) and its two days: the words' part (``StageKind``) is worked out
once for each combination of words a file has, and every row with those words is built
from it (``built``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from complaints_tui.domain.records import StageRecord

if TYPE_CHECKING:
    from complaints_tui.domain.policy import Policy

_STAGE_FIELDS = (
    "procedure",
    "number",
    "received",
    "clock_start",
    "responded",
    "outcome",
    "extended_to",
    "extension_reason",
    "extension_agreed",
    "fixed_due",
    "acknowledged",
    "request_date",
    "decision",
)
"""StageRecord's first fields in order, as ``built`` gives them by position."""
if tuple(f.name for f in fields(StageRecord))[: len(_STAGE_FIELDS)] != _STAGE_FIELDS:
    raise ImportError("StageRecord's fields changed: update importing.stage_rows._STAGE_FIELDS")


@dataclass(slots=True)
class Row:
    line: int
    reference: str
    stage: StageRecord
    complainant: str | None
    channel: str | None
    advocate: str
    division: str
    service: str
    themes: str
    summary: str
    duty_category: str | None = None
    extra: dict[str, Any] | None = None
    """The case's details from the detail columns (see ``details``), when the row has any."""


class StageKind(NamedTuple):
    """What a row's words say of its stage: the same for every row with the same words."""

    procedure: str
    number: int
    outcome: str | None
    duty_category: str | None
    extended_to: int | None
    complainant: str | None
    channel: str | None
    later: bool
    """A later stage: requested on the day it was received, and accepted."""
    closes: bool
    """Closed on the day it was responded to (or received): a compliment, a triaged duty
    matter."""
    decision: str | None
    """The decision when it ended with an outcome but no response (withdrawn, refused)."""


def stage_kind(
    policy: Policy,
    procedure: str,
    number: int,
    outcome: str | None,
    duty_category: str | None,
    extended: bool,
    complainant: str | None,
    channel: str | None,
) -> StageKind:
    """The kind of stage a row's words give (the ``policy`` says an extension's length)."""
    extended_to = None
    if extended:
        timescale = policy.timescale(procedure, number)
        if timescale is not None:
            extended_to = timescale.extended
    decision = None
    if outcome == "withdrawn":
        decision = "withdrawn"
    elif outcome == "signposted_lgsco" and number > 1:
        decision = "refused"  # a refused request signposts to the Ombudsman
    return StageKind(
        procedure,
        number,
        outcome,
        duty_category,
        extended_to,
        complainant,
        channel,
        number > 1,
        # Compliments are logged and closed; a duty matter closes when it is triaged.
        procedure == "compliment" or bool(duty_category and duty_category != "pending_information"),
        decision,
    )


def built(
    line: int,
    reference: str,
    kind: StageKind,
    received: date,
    responded: date | None,
    advocate: str,
    division: str,
    service: str,
    themes: str,
    summary: str,
) -> Row:
    """The row of a stage of ``kind``, received and responded on these days."""
    (
        procedure,
        number,
        outcome,
        duty_category,
        extended_to,
        complainant,
        channel,
        later,
        closes,
        decision,
    ) = kind
    # By position (see _STAGE_FIELDS): keywords took half as long again, for every row.
    stage = StageRecord(
        procedure,
        number,
        received,
        None,  # clock_start
        responded,
        outcome,
        extended_to,
        None,  # extension_reason
        None,  # extension_agreed
        None,  # fixed_due
        None,  # acknowledged
        received if later else None,  # request_date
        "accepted" if later else None,  # decision
    )
    if closes:
        stage.closed_on = responded or received
    elif responded is None and outcome is not None:
        # An outcome without a response date (withdrawn, discontinued): the stage ended.
        stage.closed_on = received
        if decision is not None:
            stage.decision = decision
    return Row(
        line,
        reference,
        stage,
        complainant,
        channel,
        advocate,
        division,
        service,
        themes,
        summary,
        duty_category,
    )
