"""The year report computed in a process of its own, for the app.

Counting a year of 100,000 stages makes hundreds of thousands of small objects; Python
keeps the memory they took after they are freed, so an app that counted in its own process
stayed about 130 MB larger for the rest of the day. A child process reads and counts, sends
back the finished report (about 1 MB), and exits, handing all of its memory back.

Children are forked from a "forkserver" that has already imported the report's code: the
app itself is threaded (Textual), which a plain fork must not copy, and a fresh interpreter
per report would import everything again. The first report of a session starts that server
(about a second); later ones start in milliseconds.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from datetime import date
from multiprocessing.connection import Connection
from typing import Any

from sqlalchemy import Engine

from complaints_tui.domain.report import Report

from .report import year_report

_PRELOAD = ["complaints_tui.services.report", "db.engine"]
_starting = threading.Lock()


class Cancelled(Exception):
    """The report was no longer wanted: its process was stopped."""


def _child(out: Connection, url: str, kwargs: dict[str, Any]) -> None:
    """In the child: read and count, sending each step, then the report (or the error)."""
    from db.engine import make_engine

    # the officer's terminal is the app's: nothing from here may be written over it
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    try:
        engine = make_engine(url, create=False)  # the app has checked the database
        try:
            report = year_report(engine, progress=lambda step: out.send(("step", step)), **kwargs)
        finally:
            engine.dispose()
        out.send(("done", report))
    except Exception as exc:  # the app shows it as it would its own
        out.send(("error", exc))
    finally:
        out.close()


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def separable(engine: Engine) -> bool:
    """Whether another process can open this database: not an in-memory SQLite one."""
    url = engine.url
    return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


def year_report_apart(
    engine: Engine,
    *,
    year: int,
    as_at: date,
    progress: Callable[[str], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    **kwargs: Any,
) -> Report:
    """``year_report`` (same arguments) run in a child process; raises ``Cancelled`` soon
    after ``cancelled()`` turns true, having stopped the child."""
    if not separable(engine):
        return year_report(engine, year=year, as_at=as_at, progress=progress, **kwargs)
    say = progress or (lambda _: None)
    context = _context()
    receive, send = context.Pipe(duplex=False)
    url = engine.url.render_as_string(hide_password=False)
    child = context.Process(
        target=_child,
        args=(send, url, {"year": year, "as_at": as_at, **kwargs}),
        name=f"report {year}",
        daemon=True,  # never outlives the app
    )
    with _starting:
        # Starting the first child starts the fork server, which passes on our stderr's
        # file descriptor; a Textual app's stderr has none (fileno() is -1, refused): it
        # is told there is none to pass. Only for the moment the child is started.
        stderr, sys.stderr = sys.stderr, io.StringIO()
        try:
            child.start()
        finally:
            sys.stderr = stderr
    send.close()  # ours is the reading end: EOF once the child has gone
    try:
        while True:
            if cancelled():
                raise Cancelled
            if not receive.poll(0.1):
                continue
            try:
                kind, value = receive.recv()
            except EOFError:
                child.join(5)
                raise RuntimeError(
                    f"The report's process stopped before it finished (exit {child.exitcode})."
                ) from None
            if kind == "step":
                say(value)
            elif kind == "error":
                raise value
            else:
                report: Report = value
                return report
    except BaseException:
        child.terminate()  # not wanted any more, or failed: stop counting now
        raise
    finally:
        child.join(5)  # once the report is sent it exits at once
        if child.is_alive():
            child.kill()
            child.join()
        receive.close()
