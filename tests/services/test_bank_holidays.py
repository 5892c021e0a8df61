"""England's bank holidays remembered between runs: the same days as the ``holidays``
package gives, read from a small file instead of importing it, and worked out again
whenever that file cannot be trusted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from complaints_tui.domain.calendar import england_bank_holidays
from complaints_tui.services.bank_holidays import FILE, remembered_bank_holidays

# What an officer would notice: a deadline counted across Christmas and New Year, in a
# fresh program, and whether that program had to load the holidays package for it.
PROBE = """
import sys
from datetime import date
from complaints_tui.services.context import Context
ctx = Context(None)
print(ctx.cal.add_working_days(date(2026, 12, 18), 5), "holidays" in sys.modules)
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COMPLAINTS_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def run_probe(folder: Path) -> str:
    env = {**os.environ, "COMPLAINTS_CACHE": str(folder)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_second_program_counts_the_same_days_without_loading_the_package(
    folder: Path,
) -> None:
    # Fri 18 Dec 2026 + 5: 21, 22, 23, 24 (4; 25 and 28 Dec are bank holidays), 29 (5).
    assert run_probe(folder) == "2026-12-29 True"
    assert (folder / FILE).exists()
    assert run_probe(folder) == "2026-12-29 False"


def test_the_remembered_days_are_the_packages(folder: Path) -> None:
    computed = england_bank_holidays(2000, 2040)
    assert remembered_bank_holidays(2000, 2040) == computed  # worked out, then written
    assert remembered_bank_holidays(2000, 2040) == computed  # read back
    assert remembered_bank_holidays(2020, 2022) == england_bank_holidays(2020, 2022)
    assert computed[date(2022, 9, 19)] == "State Funeral of Queen Elizabeth II"


@pytest.mark.parametrize(
    "spoil",
    [
        "not json at all",
        json.dumps(
            {
                "key": "another package",
                "first_year": 2000,
                "last_year": 2040,
                "days": {"2026-12-29": "Not a holiday"},
            }
        ),
        '{"key": KEY, "first_year": 2000, "last_year": 2040}',
        '{"key": KEY, "first_year": "soon", "last_year": 2040, "days": {}}',
        '{"key": KEY, "first_year": 2000, "last_year": 2040, "days": {"25/12/2026": "x"}}',
        '{"key": KEY, "first_year": 2000, "last_year": 2040, "days": []}',
    ],
)
def test_a_file_that_cannot_be_trusted_is_worked_out_again(folder: Path, spoil: str) -> None:
    remembered_bank_holidays(2000, 2040)
    path = folder / FILE
    kept = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(spoil.replace("KEY", json.dumps(kept["key"])), encoding="utf-8")
    assert remembered_bank_holidays(2000, 2040) == england_bank_holidays(2000, 2040)
    assert json.loads(path.read_text(encoding="utf-8")) == kept  # and written again
    assert run_probe(folder) == "2026-12-29 False"


def test_more_years_widen_what_is_remembered(folder: Path) -> None:
    remembered_bank_holidays(2000, 2040)
    # only the years asked for come back, though the file now holds 2000-2050
    assert remembered_bank_holidays(2045, 2050) == england_bank_holidays(2045, 2050)
    assert remembered_bank_holidays(1995, 2050) == england_bank_holidays(1995, 2050)
    kept = json.loads((folder / FILE).read_text(encoding="utf-8"))
    assert (kept["first_year"], kept["last_year"]) == (1995, 2050)
    # the usual range is still read from the file, not worked out again
    assert remembered_bank_holidays(2000, 2040) == england_bank_holidays(2000, 2040)
    assert json.loads((folder / FILE).read_text(encoding="utf-8"))["first_year"] == 1995


def test_a_folder_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("in the way", encoding="utf-8")
    assert run_probe(blocker / "cache") == "2026-12-29 True"
    assert run_probe(blocker / "cache") == "2026-12-29 True"  # worked out each time
