"""England's bank holidays, remembered between runs.

Working them out means importing the ``holidays`` package, which imports all 250 of its
countries: 0.2-0.4 s of every command that counts a working day, and of the app's start,
where it competes with the first paint for the processor. The answer is the same until
that package changes, so the first run keeps it in a small file in the user's cache
folder, and later runs read it there (about a millisecond).

The file holds what it depends on: the ``holidays`` package's installed version and its
United Kingdom module's size and time of change, found without importing it. A file that
is missing, unreadable, of another package, or not covering the years asked for is
worked out again from the package (and written again when the folder can be written); a
cache never changes an answer, only how quickly it comes.
"""

from __future__ import annotations

import json
import os
from datetime import date
from importlib.util import find_spec
from pathlib import Path

from complaints_tui.domain.calendar import england_bank_holidays

from .files import atomic_write

FILE = "england-bank-holidays.json"


def cache_folder() -> Path:
    """Where the file lives: COMPLAINTS_CACHE, else XDG_CACHE_HOME/complaints-tui, else
    ~/.cache/complaints-tui."""
    chosen = os.environ.get("COMPLAINTS_CACHE")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "complaints-tui"


def package_key() -> str | None:
    """What the bank holidays depend on, read without importing the package; None when it
    cannot be told (then nothing is remembered)."""
    try:
        spec = find_spec("holidays")
        if spec is None or spec.origin is None:
            return None
        package = Path(spec.origin).parent
        installed = sorted(
            entry.name
            for entry in os.scandir(package.parent)
            if entry.name.startswith("holidays-") and entry.name.endswith(".dist-info")
        )
        files = [package / "__init__.py", package / "countries" / "united_kingdom.py"]
        stats = [(found.st_size, found.st_mtime_ns) for found in map(Path.stat, files)]
    except (OSError, ValueError, ImportError):
        return None
    return json.dumps([installed, stats])


def remembered_bank_holidays(first_year: int, last_year: int) -> dict[date, str]:
    """England's bank holidays from ``first_year`` to ``last_year``, from the cache file
    when it holds them for this package, else worked out (and remembered)."""
    key = package_key()
    if key is None:
        return england_bank_holidays(first_year, last_year)
    path = cache_folder() / FILE
    kept = _read(path, key)
    if kept is None:
        kept = _remember(path, key, first_year, last_year)
    elif first_year < kept[0] or last_year > kept[1]:
        # more years than the file holds: remember them all, so that no two runs thrash
        kept = _remember(path, key, min(first_year, kept[0]), max(last_year, kept[1]))
    return {day: name for day, name in kept[2].items() if first_year <= day.year <= last_year}


def _remember(path: Path, key: str, first: int, last: int) -> tuple[int, int, dict[date, str]]:
    days = england_bank_holidays(first, last)
    _write(path, key, first, last, days)
    return first, last, days


def _read(path: Path, key: str) -> tuple[int, int, dict[date, str]] | None:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept["key"] != key:
            return None
        first, last = int(kept["first_year"]), int(kept["last_year"])
        days = {date.fromisoformat(day): str(name) for day, name in kept["days"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return first, last, days


def _write(path: Path, key: str, first: int, last: int, days: dict[date, str]) -> None:
    """Written whole, then renamed into place (``atomic_write``): a reader never sees half
    a file. A folder that cannot be written is no error: the next run works them out again."""
    kept = {
        "key": key,
        "first_year": first,
        "last_year": last,
        "days": {day.isoformat(): name for day, name in sorted(days.items())},
    }
    try:
        with atomic_write(path, "w", encoding="utf-8") as file:
            json.dump(kept, file, indent=0)
    except OSError:
        pass
