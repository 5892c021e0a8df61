"""The year report computed in a process of its own, for the app.

Counting a year of 100,000 stages makes hundreds of thousands of small objects; Python
keeps the memory they took after they are freed, so an app that counted in its own process
stayed about 130 MB larger for the rest of the day. A child process reads and counts, sends
back the finished report (about 1 MB), and exits, handing all of its memory back.

Children are forked from the fork server of ``apart`` (which says why); the first report of
a session starts that server (about a second); later ones start in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from multiprocessing.connection import Connection
from typing import Any

from sqlalchemy import Engine

from complaints_tui.domain.report import Report

from . import apart
from .report import year_report


class Cancelled(Exception):
    """The report was no longer wanted: its process was stopped."""


def _child(out: Connection, url: str, kwargs: dict[str, Any]) -> None:
    """In the child: read and count, sending each step, then the report (or the error)."""
    from db.engine import make_engine

    apart.quiet()
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
    if not apart.separable(engine):
        return year_report(engine, year=year, as_at=as_at, progress=progress, **kwargs)
    say = progress or (lambda _: None)
    context = apart.context()
    receive, send = context.Pipe(duplex=False)
    url = apart.url_of(engine)
    child = context.Process(
        target=_child,
        args=(send, url, {"year": year, "as_at": as_at, **kwargs}),
        name=f"report {year}",
        daemon=True,  # never outlives the app
    )
    apart.start(child)
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
        apart.stop(child)  # once the report is sent it exits at once
        receive.close()
