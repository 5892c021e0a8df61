"""Reading a team's policy file: TOML checked key by key, each refusal naming the key.

An unknown key, a timescale longer than the regulations allow or a clock start that is not
"received" or "acknowledged" is refused with a message naming the file and the key, so a
typing slip never silently leaves the defaults in force.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import PolicyError
from .policy import (
    CLOCK_BASES,
    CLOCK_START_KEYS,
    HARD_LIMIT,
    REGULATION_LIMITS,
    CorporatePolicy,
    Policy,
    Publisher,
    SinglePolicy,
    StatutoryPolicy,
)
from .vocab import DEFAULTS

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
        elif key == "letter_templates":
            if not isinstance(value, str) or not value.strip():
                raise PolicyError(f"{where}: expected the path of a folder, as a string")
            folder = Path(value).expanduser()
            if not folder.is_absolute() and source != "policy":
                folder = Path(source).resolve().parent / folder
            changes[key] = folder
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
                    "letter_templates",
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
