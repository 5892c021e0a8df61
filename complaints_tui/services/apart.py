"""Work done in a process of its own: the year report's counting, a bulk store's writing,
a large workbook's reading.

Children are forked from a "forkserver" that has already imported the code they run: the
app itself is threaded (Textual), which a plain fork must not copy, and a fresh interpreter
per child would import everything again. The first child of a session starts that server
(under a second); later ones start in milliseconds.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import threading
from multiprocessing.process import BaseProcess
from typing import Any

from sqlalchemy import Engine

_PRELOAD = [
    "complaints_tui.services.importing.sheet_apart",
    "complaints_tui.services.importing.sheet_xml",
    "complaints_tui.services.report",
    "complaints_tui.services.store_writer",
    "db.engine",
]
_starting = threading.Lock()


def context(*, fork_if_alone: bool = False) -> Any:
    """The multiprocessing context a child of ours is started from. ``fork_if_alone``: a
    plain fork when this process has no other thread (a command, not the app), so the
    child starts at once, with everything already imported; the caller closes its
    database connections first (``Engine.dispose``): SQLite's may not cross a fork."""
    if fork_if_alone and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def separable(engine: Engine) -> bool:
    """Whether another process can open this database: not an in-memory SQLite one."""
    url = engine.url
    return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


def url_of(engine: Engine) -> str:
    """The engine's URL as a child opens it (the password included: it never leaves the
    machine, passed down a pipe)."""
    return engine.url.render_as_string(hide_password=False)


def start(child: BaseProcess) -> None:
    """Start ``child``. Starting the first child starts the fork server, which passes on our
    stderr's file descriptor; a Textual app's stderr has none (fileno() is -1, refused): it
    is told there is none to pass, only for the moment the child is started."""
    with _starting:
        stderr, sys.stderr = sys.stderr, io.StringIO()
        try:
            child.start()
        finally:
            sys.stderr = stderr


def quiet() -> None:
    """In a child: the officer's terminal is the parent's, so nothing from here may be
    written over it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def stop(child: BaseProcess) -> None:
    """Wait for ``child`` to exit (it exits at once once its work is sent), killing it if
    it has not after five seconds."""
    child.join(5)
    if child.is_alive():
        child.kill()
        child.join()
