"""The rules through the command line: what an officer types and what they read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaints_tui.cli import main
from complaints_tui.domain.policy import DEFAULT_POLICY_FILE


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_statutory_complaint_to_its_review_panel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("--db", str(tmp_path / "c.sqlite3"), "--today", "2026-02-20")
    ref = "CT-2025-00001"
    steps = [
        ("log", "--procedure", "statutory", "--received", "01/10/2025"),
        ("respond", ref, "--outcome", "not_upheld", "--on", "10/10/2025"),
        ("escalate", ref, "--on", "13/10/2025"),
        ("people", ref, "--iio", "Ivy Investigator", "--ip", "Ian Person"),
        ("respond", ref, "--outcome", "partially_upheld", "--on", "01/12/2025"),
        ("escalate", ref, "--on", "11/12/2025"),
    ]
    for step in steps:
        code, out, err = run(capsys, *base, *step)
        assert code == 0, err
    code, _, err = run(capsys, *base, "extend", ref, "--to", "60", "--reason", "busy")
    assert code == 1 and "no extensions" in err
    code, out, _ = run(capsys, *base, "show", ref)
    assert "panel within 30 working days of the request (by 27/01/2026)" in out
    assert "  Due                  24/02/2026" in out
    code, out, err = run(capsys, *base, "panel", ref, "--on", "19/01/2026", "--members", "A; B; C")
    assert code == 0 and "response due 16/02/2026" in out, err
    code, out, _ = run(capsys, *base, "panel-report", ref, "--on", "22/01/2026")
    assert code == 0 and "response due 12/02/2026" in out
    code, out, _ = run(capsys, *base, "show", ref)
    for text in (
        "Panel held           19/01/2026",
        "Panel's report       22/01/2026",
        "Panel members        A; B; C",
        "IIO                  Ivy Investigator",
        "Independent Person   Ian Person",
        "Acknowledgement due 06/10/2025 LATE",  # never acknowledged: 2, 3, Mon 6 Oct
        "panel_date: - -> 2026-01-19",
    ):
        assert text in out, text


def test_refusals_answer_at_once_and_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("--db", str(tmp_path / "c.sqlite3"), "--today", "2026-11-23")
    assert run(capsys, *base, "log", "--procedure", "corporate", "--received", "2026-11-02")[0] == 0
    ref = "CT-2026-00001"
    code, _, err = run(capsys, *base, "extend", ref, "--to", "999999", "--reason", "x")
    assert code == 1 and "beyond 65" in err
    code, _, err = run(
        capsys, *base, "extend", ref, "--to", "99999", "--reason", "x", "--override", "boss"
    )
    assert code == 1 and "beyond 65" in err
    code, out, _ = run(capsys, *base, "extend", ref, "--to", "20", "--reason", "complex")
    assert code == 0 and "warning: The stage was already due (16/11/2026)" in out
    code, out, _ = run(capsys, *base, "show", ref)
    assert "Extended late" in out and "Acknowledgement due 05/11/2026 LATE" in out
    code, _, err = run(capsys, *base, "suspend", ref, "--reason", "x", "--from", "2026-11-24")
    assert code == 1 and "future" in err
    code, out, _ = run(
        capsys,
        *base,
        "correct",
        ref,
        "--field",
        "received",
        "--to",
        "2026-11-03",
        "--reason",
        "mis-keyed",
    )
    assert code == 0 and "received 02/11/2026 -> 03/11/2026" in out
    assert run(capsys, *base, "void", ref, "--reason", "duplicate")[0] == 0
    out_file = tmp_path / "export.csv"
    assert run(capsys, *base, "export", str(out_file))[0] == 0
    header = out_file.read_text(encoding="utf-8").splitlines()[0]
    assert ",on_time,acknowledgement_due," in header  # after the first release's columns
    assert run(capsys, *base, "unvoid", ref, "--reason", "not a duplicate")[0] == 0


def test_the_ombudsman_and_the_code_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code_file = DEFAULT_POLICY_FILE.with_name("complaint_handling_code_2026.toml")
    base = (
        "--db",
        str(tmp_path / "c.sqlite3"),
        "--policy",
        str(code_file),
        "--today",
        "2026-04-02",
    )
    assert run(capsys, *base, "log", "--procedure", "corporate", "--received", "2026-04-01")[0] == 0
    ref = "CT-2026-00001"
    code, out, _ = run(capsys, *base, "show", ref)
    assert "Due                  24/04/2026" in out and "provisional" in out
    assert run(capsys, *base, "acknowledge", ref, "--on", "2026-04-02")[0] == 0
    code, out, _ = run(capsys, *base, "show", ref)
    # Acknowledged Thu 2 Apr: 7-10 (4), 13-17 (9), Mon 20 Apr (10).
    assert "Due                  20/04/2026" in out and "Due is provisional" not in out
    code, _, _ = run(
        capsys, *base, "refer", ref, "--lgsco-ref", "26 000 001", "--deadline", "2026-04-30"
    )
    assert code == 0
    code, _, err = run(capsys, *base, "refer", ref, "--lgsco-ref", "26 000 001")
    assert code == 1 and "already has" in err
    code, _, err = run(capsys, *base, "extend", ref, "--to", "30", "--reason", "x")
    assert code == 1 and "deadline" in err
    code, out, _ = run(capsys, *base, "deadline", ref, "--on", "2026-05-14")
    assert code == 0 and "14/05/2026" in out
    assert run(capsys, *base, "ombudsman-reply", ref, "--on", "2026-04-02")[0] == 0
    code, out, _ = run(
        capsys, *base, "ombudsman-decision", ref, "--decision", "no_fault", "--on", "2026-04-02"
    )
    assert code == 0
    code, out, _ = run(capsys, *base, "show", ref)
    assert "Reply to Ombudsman   02/04/2026" in out and "Ombudsman decided    02/04/2026" in out
