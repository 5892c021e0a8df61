"""Reports and backups hold children's records: readable by their owner only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from complaints_tui.cli import main


def test_a_report_and_a_backup_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    db = tmp_path / "team.sqlite3"
    base = ["--db", str(db), "--today", "2026-11-23"]
    old = os.umask(0o022)  # the usual: files readable by everyone
    try:
        assert main([*base, "demo", "--cases", "50"]) == 0
        report = tmp_path / "report.html"  # the report refuses a folder that does not exist
        assert (
            main([*base, "report", "--year", "2025", "--format", "html", "--output", str(report)])
            == 0
        )
        backup = tmp_path / "b" / "copy.sqlite3"
        assert main([*base, "backup", str(backup)]) == 0
    finally:
        os.umask(old)
    for path in (report, backup, db):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700  # a folder the backup made
    assert not list(report.parent.glob(".*part")) and not list(backup.parent.glob(".*part"))
