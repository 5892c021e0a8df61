"""The app ends when the officer's terminal goes away: the window closed, the SSH link lost.

Without this, Textual's input thread spins on the dead terminal's end of file, at half a
core, and the process stays (the database open) until someone kills it: seen with a tmux
session killed under the app. Every action is its own transaction, so ending loses nothing
saved; a form being typed into was already out of reach with its terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import termios

from textual.app import App

CHECK_EVERY = 1.0
"""Seconds between looks at the terminal: a dead one answers every look with an error."""


def terminal_gone(fd: int) -> bool:
    """Whether the terminal on ``fd`` has hung up (its settings can no longer be read)."""
    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError):
        return True
    return False


def end_with_the_terminal(app: App[object]) -> None:
    """Exit ``app`` on SIGHUP, or when its terminal stops answering (call when mounted)."""
    if app.is_headless:
        return  # tests and benchmarks drive the app without a terminal
    stream = sys.__stdin__
    if stream is None or not stream.isatty():
        return
    fd = stream.fileno()
    # Where signal handlers cannot be set, the look below still ends the app.
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, app.exit)

    def look() -> None:
        if terminal_gone(fd):
            app.exit()

    app.set_interval(CHECK_EVERY, look, name="terminal-watch")
