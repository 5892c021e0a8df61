"""PostgreSQL: the driver, URLs and passwords, as a team sharing a server meets them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from complaints_tui.cli import main
from db.engine import database_url, shown_url

from ..conftest import PG_URL


def run_cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "complaints_tui", *argv],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=60,
    )


def test_a_plain_postgresql_url_goes_through_psycopg_3() -> None:
    assert database_url("postgresql://ann@db.council.local/complaints") == (
        "postgresql+psycopg://ann@db.council.local/complaints"
    )
    assert database_url("postgres://ann@db/complaints").startswith("postgresql+psycopg://")
    assert database_url("postgresql+psycopg://ann@db/c") == "postgresql+psycopg://ann@db/c"
    assert database_url("team.sqlite3").startswith("sqlite:///")


def test_a_password_is_never_shown() -> None:
    assert shown_url("postgresql://ann:hunter2@db/complaints") == (
        "postgresql+psycopg://ann:***@db/complaints"
    )
    assert shown_url("db/complaints.sqlite3") == "db/complaints.sqlite3"


def test_a_server_that_cannot_be_reached_is_one_line_without_the_password(capsys) -> None:
    # port 1: nothing listens there, so this runs on any machine
    assert main(["--db", "postgresql://ann:hunter2@127.0.0.1:1/complaints", "show", "X"]) == 1
    captured = capsys.readouterr()
    assert "hunter2" not in captured.out + captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("complaints-tui: Cannot connect to postgresql+psycopg://ann:***@")


def test_without_the_driver_one_line_says_what_to_install(tmp_path: Path) -> None:
    # A program without psycopg: the import is made to fail as it would on a bare install.
    script = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from complaints_tui.cli import main\n"
        "raise SystemExit(main(['--db', 'postgresql://ann:hunter2@db/c', 'show', 'X']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "complaints-tui: PostgreSQL needs its driver: "
        "pip install 'complaints-tui[postgres]' (psycopg 3)."
    ]
    assert "hunter2" not in result.stdout + result.stderr


@pytest.mark.postgresql
def test_the_password_can_come_from_pgpass_or_pgpassword(tmp_path: Path, new_db) -> None:
    """The URL carries no password; libpq finds it where every PostgreSQL tool looks.

    On CI the server asks for a password (scram-sha-256 over TCP), so this fails if the
    URL's missing password is not left to libpq.
    """
    target = make_url(new_db())
    password = target.password or os.environ.get("PGPASSWORD")
    bare = target.set(password=None).render_as_string(hide_password=False)
    env = {k: v for k, v in os.environ.items() if k not in ("PGPASSWORD", "PGPASSFILE")}
    log = ("--db", bare, "--today", "2026-11-23", "log", "--procedure", "mp")
    if password:
        pgpass = tmp_path / "pgpass"
        pgpass.write_text(f"*:*:*:{target.username}:{password}\n")
        pgpass.chmod(0o600)
        result = run_cli(*log, env={**env, "PGPASSFILE": str(pgpass)})
        assert result.returncode == 0, result.stderr
        assert "logged as CT-2026-00001" in result.stdout
        env["PGPASSWORD"] = password
    result = run_cli(*log, env=env)
    assert result.returncode == 0, result.stderr
    assert password is None or password not in result.stdout + result.stderr


def test_the_postgresql_runs_say_why_they_are_skipped() -> None:
    """Without COMPLAINTS_TEST_PG the header of the run names the variable."""
    from ..conftest import pytest_report_header

    header = pytest_report_header(None)  # type: ignore[arg-type]
    assert ("COMPLAINTS_TEST_PG" in header) == (not PG_URL)
