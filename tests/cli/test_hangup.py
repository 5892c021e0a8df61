"""Closing the officer's terminal ends the app: it does not stay behind, spinning on the dead
terminal with the database open (seen when a tmux session was killed under it)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from complaints_tui.cli import main


def _read_until(fd: int, text: bytes, seconds: float) -> bytes:
    seen = b""
    end = time.monotonic() + seconds
    while text not in seen and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def test_the_app_ends_when_its_terminal_closes(tmp_path: Path) -> None:
    db = tmp_path / "team.sqlite3"
    assert main(["--db", str(db), "demo", "--cases", "30"]) == 0
    master, slave = pty.openpty()
    app = subprocess.Popen(
        [sys.executable, "-m", "complaints_tui", "--db", str(db)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,  # the pty is its own: as a terminal window's shell has it
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"},
    )
    os.close(slave)
    try:
        assert b"open stages" in _read_until(master, b"open stages", 60), "the app never painted"
        os.close(master)  # the window closes
        app.wait(timeout=20)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
            raise AssertionError("the app was still running 20 s after its terminal closed")
