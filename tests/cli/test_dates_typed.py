"""A date typed on the command line is held to the same years as everywhere else."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaints_tui.cli import main


def test_a_placeholder_matter_date_is_refused_in_one_line(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "a.sqlite3")
    with pytest.raises(SystemExit) as exit_:
        main(["--db", db, "log", "--procedure", "statutory", "--matter-date", "01/06/9999"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "'01/06/9999' is outside the years 1900 to 2100" in err
    assert "Traceback" not in err
    assert not (tmp_path / "a.sqlite3").exists()
