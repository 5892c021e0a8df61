"""The timescale policy: every deadline's length in working days, overridable by TOML.

Timescales differ between councils, so none is a constant in code: the defaults below
are the 2006 guidance's and are documented in ``default_policy.toml`` beside this file.
A team's file may set any subset; an unknown key is refused with a message naming it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import PolicyError
from .vocab import DEFAULTS, Vocabularies


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


_SECTIONS: dict[str, type] = {
    "statutory": StatutoryPolicy,
    "corporate": CorporatePolicy,
    "single": SinglePolicy,
}
_SCALARS = {"acknowledgement", "escalation_window", "late_matter_months"}


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PolicyError(f"{where}: expected a whole number of working days, got {value!r}")
    return value


_PERIOD_KEYS = _SCALARS | set(_SECTIONS) | {"clock_start"}
"""What a [[period]] may override: timescales and clock starts (closure days and the
vocabularies are the team's, not a period's)."""


def _clock_starts(value: Any, source: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        raise PolicyError(f"{source}: clock_start: expected a table [clock_start]")
    flat: dict[str, Any] = {}
    for name, sub in value.items():
        if isinstance(sub, Mapping):
            for stage, basis in sub.items():
                flat[f"{name}.{stage}"] = basis
        else:
            flat[name] = sub
    for name, basis in flat.items():
        if name not in CLOCK_START_KEYS:
            raise PolicyError(
                f"{source}: unknown key 'clock_start.{name}' (known: {', '.join(CLOCK_START_KEYS)})"
            )
        if basis not in CLOCK_BASES:
            raise PolicyError(
                f'{source}: clock_start.{name}: expected "received" or "acknowledged", '
                f"got {basis!r}"
            )
    return tuple(sorted(flat.items()))


def _check_limits(policy: Policy, source: str) -> None:
    """Refuse timescales the regulations (or the hard limit) do not allow, naming the key."""
    for name, most in REGULATION_LIMITS.items():
        section, _, sub = name.partition(".")
        value = getattr(getattr(policy, section), sub)
        if value > most:
            raise PolicyError(
                f"{source}: {name} = {value} is longer than the regulations allow ({most} "
                "working days)"
            )
    for section in ("corporate", "single"):
        for f in fields(_SECTIONS[section]):
            value = getattr(getattr(policy, section), f.name)
            if value > HARD_LIMIT:
                raise PolicyError(
                    f"{source}: {section}.{f.name} = {value} is beyond the limit of "
                    f"{HARD_LIMIT} working days for any stage"
                )
    for name, value in (
        ("acknowledgement", policy.acknowledgement),
        ("escalation_window", policy.escalation_window),
    ):
        if value > HARD_LIMIT:
            raise PolicyError(
                f"{source}: {name} = {value} is beyond the limit of {HARD_LIMIT} working days"
            )
    for section, short, long in (
        ("statutory", "stage1", "stage1_extended"),
        ("statutory", "stage2", "stage2_extended"),
        ("corporate", "stage1", "stage1_extended"),
        ("corporate", "stage2", "stage2_extended"),
        ("corporate", "stage3", "stage3_extended"),
    ):
        table = getattr(policy, section)
        if getattr(table, long) < getattr(table, short):
            raise PolicyError(
                f"{source}: {section}.{long} = {getattr(table, long)} is shorter than "
                f"{section}.{short} = {getattr(table, short)}"
            )


def _periods(value: Any, base: Policy, source: str) -> tuple[tuple[date, Policy], ...]:
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise PolicyError(f"{source}: period: expected [[period]] tables")
    periods: list[tuple[date, Policy]] = []
    current = base
    starts = []
    for table in value:
        start = table.get("from")
        if isinstance(start, str):
            try:
                start = date.fromisoformat(start)
            except ValueError:
                raise PolicyError(f"{source}: period from {start!r} is not a date") from None
        if not isinstance(start, date) or isinstance(start, datetime):
            raise PolicyError(f'{source}: every [[period]] needs from = "YYYY-MM-DD"')
        if starts and start <= starts[-1]:
            raise PolicyError(
                f"{source}: period from {start.isoformat()} must come after the period from "
                f"{starts[-1].isoformat()}"
            )
        starts.append(start)
        where = f"{source}: period from {start.isoformat()}"
        overrides = {k: v for k, v in table.items() if k != "from"}
        for name in overrides:
            if name not in _PERIOD_KEYS:
                raise PolicyError(
                    f"{where}: unknown key '{name}' (known: {', '.join(sorted(_PERIOD_KEYS))})"
                )
        # Each period builds on the one before it: it names only what changed.
        current = _apply(current, overrides, where)
        _check_limits(current, where)
        periods.append((start, replace(current, periods=())))
    return tuple(periods)


def parse_policy(data: Mapping[str, Any], source: str = "policy") -> Policy:
    """Build a Policy from parsed TOML, refusing unknown keys by name."""
    base = {k: v for k, v in data.items() if k != "period"}
    policy = _apply(Policy(), base, source)
    _check_limits(policy, source)
    if "period" in data:
        policy = replace(policy, periods=_periods(data["period"], policy, source))
    return policy


def _apply(policy: Policy, data: Mapping[str, Any], source: str) -> Policy:
    changes: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{source}: {key}"
        if key == "clock_start":
            changes[key] = _clock_starts(value, source)
        elif key == "statutory_closure_days":
            if not isinstance(value, bool):
                raise PolicyError(f"{where}: expected true or false")
            changes[key] = value
        elif key in _SCALARS:
            changes[key] = _int(value, where)
        elif key == "closure_days":
            if not isinstance(value, list):
                raise PolicyError(f"{where}: expected a list of dates")
            days = []
            for item in value:
                # TOML date-times are datetimes, a date subclass that never equals the
                # day: the closure would be silently ignored, so refuse them as not dates.
                if isinstance(item, date) and not isinstance(item, datetime):
                    days.append(item)
                else:
                    try:
                        days.append(date.fromisoformat(str(item)))
                    except ValueError:
                        raise PolicyError(f"{where}: {item!r} is not a date") from None
            changes[key] = tuple(sorted(days))
        elif key in _SECTIONS:
            if not isinstance(value, Mapping):
                raise PolicyError(f"{where}: expected a table [{key}]")
            known = {f.name for f in fields(_SECTIONS[key])}
            section = {}
            for sub, subvalue in value.items():
                if sub not in known:
                    raise PolicyError(
                        f"{source}: unknown key '{key}.{sub}' (known: {', '.join(sorted(known))})"
                    )
                section[sub] = _int(subvalue, f"{source}: {key}.{sub}")
            changes[key] = replace(getattr(policy, key), **section)
        elif key == "report":
            if not isinstance(value, Mapping):
                raise PolicyError(f"{where}: expected a table [report]")
            known = {f.name for f in fields(Publisher)}
            texts = {}
            for sub, subvalue in value.items():
                if sub not in known:
                    raise PolicyError(
                        f"{source}: unknown key 'report.{sub}' (known: {', '.join(sorted(known))})"
                    )
                if not isinstance(subvalue, str):
                    raise PolicyError(f"{source}: report.{sub} must be text in quotes")
                texts[sub] = " ".join(subvalue.split())
            changes["report"] = Publisher(**texts)
        elif key == "vocabulary":
            if not isinstance(value, Mapping):
                raise PolicyError(f"{where}: expected tables like [vocabulary.outcome]")
            extra: dict[str, dict[str, str]] = {}
            for name, table in value.items():
                if name not in DEFAULTS:
                    raise PolicyError(
                        f"{source}: unknown vocabulary '{name}' "
                        f"(known: {', '.join(sorted(DEFAULTS))})"
                    )
                if not isinstance(table, Mapping) or not all(
                    isinstance(v, str) for v in table.values()
                ):
                    raise PolicyError(f"{source}: vocabulary.{name} must map keys to labels")
                extra[name] = dict(table)
            changes["vocabularies"] = policy.vocabularies.extended(extra)
        else:
            names = sorted(
                _SCALARS
                | set(_SECTIONS)
                | {
                    "closure_days",
                    "vocabulary",
                    "report",
                    "clock_start",
                    "statutory_closure_days",
                    "period",
                }
            )
            raise PolicyError(f"{source}: unknown key '{key}' (known: {', '.join(names)})")
    return replace(policy, **changes)


def load_policy(path: Path | None) -> Policy:
    """The policy in ``path``, or the defaults when no file is given."""
    if path is None:
        return Policy()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"cannot read policy file {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from None
    return parse_policy(data, str(path))


DEFAULT_POLICY_FILE = Path(__file__).with_name("default_policy.toml")
