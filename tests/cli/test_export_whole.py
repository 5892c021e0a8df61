"""An export carries the whole record the report needs, and re-imports with nothing lost:
names, officer, child's status, acknowledgement, extension, clock stops, remedies, learning."""

from __future__ import annotations

import csv
from pathlib import Path

from complaints_tui.cli import main

BASE = ("--today", "2026-11-23")


def run(db: Path, *args: str | Path) -> int:
    return main(["--db", str(db), *BASE, *(str(a) for a in args)])


def rows(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {(r["reference"], r["stage"]): r for r in csv.DictReader(handle)}


def test_an_export_reimports_with_nothing_lost(tmp_path: Path, capsys) -> None:
    db = tmp_path / "a.sqlite3"
    ref = "CT-2026-00001"
    assert run(db, "officer", "add", "Jo Bloggs") == 0  # assignment picks from the list
    assert (
        run(
            db,
            "log",
            "--procedure",
            "statutory",
            "--received",
            "02/11/2026",
            "--name",
            "Ann Smith",
            "--officer",
            "Jo Bloggs",
            "--child-status",
            "child_in_care",
            "--child-status",
            "send",
            "--matter-date",
            "01/10/2026",
            "--advocate",
            "NYAS",
        )
        == 0
    )
    assert run(db, "acknowledge", ref, "--on", "03/11/2026") == 0
    assert (
        run(
            db,
            "extend",
            ref,
            "--to",
            "20",
            "--reason",
            "complex; several services",
            "--agreed",
            "04/11/2026",
        )
        == 0
    )
    assert run(db, "suspend", ref, "--reason", "awaiting consent", "--from", "05/11/2026") == 0
    assert run(db, "resume", ref, "--on", "09/11/2026") == 0
    assert (
        run(
            db,
            "respond",
            ref,
            "--outcome",
            "upheld",
            "--on",
            "20/11/2026",
            "--remedy",
            "payment:250",
            "--remedy",
            "apology",
            "--learning",
            "Refresher on timescales",
        )
        == 0
    )
    first = tmp_path / "1.csv"
    assert run(db, "export", first) == 0
    exported = rows(first)[(ref, "1")]
    assert exported["complainant_name"] == "Ann Smith" and exported["officer"] == "Jo Bloggs"
    assert exported["child_statuses"] == "child_in_care;send"
    assert exported["acknowledged"] == "2026-11-03" and exported["matter_date"] == "2026-10-01"
    assert exported["extension_reason"] == "complex; several services"
    assert exported["extension_agreed"] == "2026-11-04"
    assert (
        exported["clock_stops"] == "2026-11-05 to 2026-11-08: awaiting consent"
    )  # resumed on the 9th
    assert exported["remedies"] == "payment: £250.00\napology"
    assert exported["learning"] == "Refresher on timescales |  |  | open"
    for kind in ("csv", "xlsx"):
        other = tmp_path / f"{kind}.sqlite3"
        if kind == "xlsx":
            assert run(db, "export", tmp_path / "1.xlsx") == 0
        assert run(other, "import", tmp_path / f"1.{kind}") == 0, capsys.readouterr().err
        again = tmp_path / f"2-{kind}.csv"
        assert run(other, "export", again) == 0
        assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8"), kind
        assert run(other, "show", ref) == 0
        shown = capsys.readouterr().out
        assert "Ann Smith" in shown and "Payment £250.00" in shown


def test_a_bad_detail_cell_is_one_line(tmp_path: Path, capsys) -> None:
    data = tmp_path / "d.csv"
    data.write_text(
        "reference,procedure,stage,received,remedies,clock_stops,reopened_count\n"
        "D-1,statutory,1,2024-01-10,cake: £5,2024-01-12 to 2024-01-11: x,twice\n",
        encoding="utf-8",
    )
    assert run(tmp_path / "a.sqlite3", "import", data) == 1
    err = capsys.readouterr().err
    assert "line 2, remedies: unknown remedy 'cake'" in err
    assert "line 2, clock_stops: '2024-01-12 to 2024-01-11: x': the clock restarts before" in err
    assert "line 2, reopened_count: 'twice' is not a number of times" in err


def test_a_teams_whole_history_round_trips(tmp_path: Path, capsys) -> None:
    """The demo team's history exported, imported into an empty database and exported again
    is the same file: the Ombudsman's own deadlines and the duty matters closed while
    awaiting information included (they came back with a computed due date, and open)."""
    first, again = tmp_path / "1.csv", tmp_path / "2.csv"
    assert run(tmp_path / "a.sqlite3", "demo", "--cases", "400") == 0
    assert run(tmp_path / "a.sqlite3", "export", first) == 0
    exported = list(csv.DictReader(first.open(newline="", encoding="utf-8")))
    assert any(r["procedure"] == "lgsco" and r["fixed_due"] for r in exported)
    assert any(
        r["procedure"] == "duty" and r["outcome"] == "pending_information" and r["closed_on"]
        for r in exported
    )
    assert run(tmp_path / "b.sqlite3", "import", first) == 0, capsys.readouterr().err
    assert run(tmp_path / "b.sqlite3", "export", again) == 0
    assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
