"""Launch and ``--help`` of the real command, each beside its floor (used by tui.py).

Launch: from starting the process in a pseudo-terminal to the first row of cases on its
terminal, beside a bare Textual app painting a 30-row DataTable started the same way,
alternately. ``--help``: beside a plain argparse start.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "complaints_tui"]
OFFICER = "J. Bennett"
TODAY = "2026-11-23"

BARE_APP = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Reference", "Stage", "Received", "Due", "Status", "Summary")
        for i in range(30):
            table.add_row(f"CT-2026-{i:05d}", "Statutory 1", "02/11/2026", "16/11/2026",
                          "open", "Unhappy with the outcome of the assessment")

Bare().run()
"""
"""The launch floor: what any Textual app showing a table costs to start and paint."""


def first_paint(command: list[str], env: dict[str, str], timeout: float) -> float | None:
    """Seconds from starting ``command`` to the first row of cases on its terminal; None:
    nothing painted within ``timeout`` (a lost paint)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env, close_fds=True
    )
    os.close(slave)
    seen = b""
    result = None
    try:
        while (left := started + timeout - time.perf_counter()) > 0:
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                break
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
            # The first data row of the list: a reference after the header's "Reference".
            if b"Reference" in seen and b"CT-20" in seen.split(b"Reference", 1)[1]:
                result = time.perf_counter() - started
                break
    finally:
        with contextlib.suppress(OSError):
            os.write(master, b"\x11")  # ctrl+q
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        os.close(master)
    return result


def launches(path: Path, runs: int, timeout: float) -> tuple[list[float], list[float], int]:
    env = {**os.environ, "TERM": "xterm-256color", "COMPLAINTS_OFFICER": OFFICER}
    app, bare, lost = [], [], 0
    for _ in range(runs):  # alternated, so both see the same load on a shared machine
        floor = first_paint([sys.executable, "-c", BARE_APP], env, timeout)
        ours = first_paint([*CLI, "--db", str(path), "--today", TODAY], env, timeout)
        lost += (floor is None) + (ours is None)
        if floor is not None and ours is not None:
            bare.append(floor)
            app.append(ours)
    return app, bare, lost


def help_times(runs: int) -> tuple[list[float], list[float]]:
    def once(command: list[str]) -> float:
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, timeout=60, check=True)
        return time.perf_counter() - started

    plain = [sys.executable, "-c", "import argparse; argparse.ArgumentParser().parse_args([])"]
    ours, floor = [], []
    for _ in range(runs):
        floor.append(once(plain))
        ours.append(once([*CLI, "--help"]))
    return ours, floor
