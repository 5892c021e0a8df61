"""The timescale policy: every deadline's length in working days, overridable by TOML.

Timescales differ between councils, so none is a constant in code: the defaults below
are the 2006 guidance's and are documented in ``default_policy.toml`` beside this file.
A team's file may set any subset; an unknown key is refused with a message naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

from .vocab import Vocabularies


@dataclass(frozen=True)
class Timescale:
    """A stage's standard timescale and the most an extension may reach."""

    days: int
    extended: int


@dataclass(frozen=True)
class StatutoryPolicy:
    stage1: int = 10
    stage1_extended: int = 20
    stage2: int = 25
    stage2_extended: int = 65
    stage3_panel: int = 30
    """The review panel meets within this many working days of the request."""
    stage3_report: int = 5
    """The panel reports within this many working days of meeting."""
    stage3_response: int = 15
    """The director responds within this many working days of the panel's report."""


@dataclass(frozen=True)
class CorporatePolicy:
    stage1: int = 10
    stage1_extended: int = 20
    stage2: int = 20
    stage2_extended: int = 40
    stage3: int = 30
    stage3_extended: int = 30


@dataclass(frozen=True)
class SinglePolicy:
    """Procedures with one stage. ``lgsco`` is the default when the Ombudsman sets none."""

    mp: int = 10
    councillor: int = 10
    mayor: int = 10
    chief_executive: int = 10
    general: int = 10
    foi: int = 20
    lgsco: int = 20
    duty: int = 2


CLOCK_BASES = ("received", "acknowledged")
"""Where a stage's clock may start: the day it was received, or its acknowledgement."""

HARD_LIMIT = 65
"""No stage of any procedure runs beyond this many working days, an override or not."""

REGULATION_LIMITS: dict[str, int] = {
    "statutory.stage1": 20,
    "statutory.stage1_extended": 20,
    "statutory.stage2": 25,
    "statutory.stage2_extended": 65,
    "statutory.stage3_panel": 30,
    "statutory.stage3_report": 5,
    "statutory.stage3_response": 15,
}
"""The 2006 regulations' timescales: a policy may shorten them, never lengthen them."""


def _clock_key(procedure: str, stage: int | None) -> str:
    return f"{procedure}.stage{stage}" if procedure in ("statutory", "corporate") else procedure


CLOCK_START_KEYS = (
    "statutory.stage1",
    "statutory.stage2",
    "corporate.stage1",
    "corporate.stage2",
    "corporate.stage3",
    *(f.name for f in fields(SinglePolicy) if f.name not in ("lgsco", "duty")),
)
"""Stages whose clock start a policy may set (statutory Stage 3 always runs from the
request, the Ombudsman sets its own deadline, duty contacts are triaged from receipt)."""


@dataclass(frozen=True)
class Publisher:
    """Who publishes the annual report: heads every format of it."""

    council: str = ""
    directorate: str = ""
    author: str = ""
    contact: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


@dataclass(frozen=True)
class Policy:
    acknowledgement: int = 3
    """Working days to acknowledge a complaint."""
    escalation_window: int = 20
    """Working days after a response in which the complainant may ask for the next stage."""
    late_matter_months: int = 12
    """A complaint about matters older than this is flagged (it may still be accepted)."""
    closure_days: tuple[date, ...] = ()
    """Local closure days (e.g. between Christmas and New Year): not working days."""
    statutory: StatutoryPolicy = field(default_factory=StatutoryPolicy)
    corporate: CorporatePolicy = field(default_factory=CorporatePolicy)
    single: SinglePolicy = field(default_factory=SinglePolicy)
    vocabularies: Vocabularies = field(default_factory=Vocabularies)
    letter_templates: Path | None = None
    """The team's own letter templates (``letter_templates = "folder"``, relative to the
    policy file); a letter without one there uses the template shipped with the program."""
    clock_start: tuple[tuple[str, str], ...] = ()
    """(stage key, basis) pairs such as ("corporate.stage1", "acknowledged"); a stage not
    named starts its clock on the day it was received."""
    statutory_closure_days: bool = False
    """Whether local closure days lengthen statutory clocks too. The regulations define a
    working day as excluding weekends and bank holidays alone, so by default they do not."""
    periods: tuple[tuple[date, Policy], ...] = ()
    """Later policies with the day each came into force, earliest first: a stage keeps the
    policy in force on the day it was received."""
    report: Publisher = field(default_factory=Publisher)
    """The council's name, directorate, author and contact line for the annual report."""

    def in_force(self, day: date) -> Policy:
        """The policy that applies to a stage received on ``day``."""
        chosen = self
        for start, policy in self.periods:
            if start <= day:
                chosen = policy
            else:
                break
        return chosen

    def clock_basis(self, procedure: str, stage: int | None) -> str:
        """'received' or 'acknowledged': where this stage's clock starts."""
        return dict(self.clock_start).get(_clock_key(procedure, stage), "received")

    def hard_limit(self, procedure: str, stage: int | None) -> int:
        """The most working days a stage may ever run, whatever the policy or an override."""
        if procedure == "statutory" and stage == 1:
            return REGULATION_LIMITS["statutory.stage1_extended"]
        return HARD_LIMIT

    def timescale(self, procedure: str, stage: int | None) -> Timescale | None:
        """The standard and maximum extended timescale of a stage; None: no deadline.

        Statutory Stage 3 is three steps (panel, report, response): this gives their sum.
        """
        if procedure == "compliment":
            return None
        if procedure == "statutory":
            s = self.statutory
            if stage == 1:
                return Timescale(s.stage1, s.stage1_extended)
            if stage == 2:
                return Timescale(s.stage2, s.stage2_extended)
            if stage == 3:
                total = s.stage3_panel + s.stage3_report + s.stage3_response
                return Timescale(total, total)
            raise ValueError(f"statutory stage {stage} does not exist")
        if procedure == "corporate":
            c = self.corporate
            if stage == 1:
                return Timescale(c.stage1, c.stage1_extended)
            if stage == 2:
                return Timescale(c.stage2, c.stage2_extended)
            if stage == 3:
                return Timescale(c.stage3, c.stage3_extended)
            raise ValueError(f"corporate stage {stage} does not exist")
        days = getattr(self.single, procedure)
        return Timescale(days, days)


DEFAULT_POLICY_FILE = Path(__file__).with_name("default_policy.toml")


def fingerprint(policy: Policy) -> str:
    """A short digest of the whole policy, stored beside the clocks it computed: a stored
    one that differs says those clocks need recomputing."""
    import hashlib

    return hashlib.sha256(repr(policy).encode()).hexdigest()[:16]
