"""The Report screen's building, done in its worker: the year's report counted (in a child
process), hidden below a threshold when asked, and laid out to the view's width, told to
the screen as messages. Kept beside the screen, the only one that uses them (messages.py
holds the shared ones)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.message import Message

from complaints_tui.report.suppress import suppress
from complaints_tui.services.report import data_version
from complaints_tui.services.report_apart import Cancelled, year_report_apart

from .report_view import Built, Rendered, render_report

Key = tuple[int, int | None, str]
"""(year, suppression threshold or None, counting basis): one report the screen can show."""


class ReportReady(Message):
    """A year's report, computed (or taken from the screen's cache) and laid out."""

    def __init__(
        self,
        serial: int,
        key: Key,
        raw: Built,
        shown: Built,
        rendered: Rendered,
        place: tuple[str, int] | None,
    ) -> None:
        super().__init__()
        self.serial = serial
        """Which request this answers: only the latest is shown."""
        self.key = key
        self.year, self.below, self.basis = key
        self.raw, self.shown, self.rendered, self.place = raw, shown, rendered, place


class ReportProgress(Message):
    """How far the worker has got with the report asked for by request ``serial``."""

    def __init__(self, serial: int, step: str, done: int, steps: int) -> None:
        super().__init__()
        self.serial, self.step, self.done, self.steps = serial, step, done, steps


class ReportCurrent(Message):
    """The database has not changed since the report on screen was read."""

    def __init__(self, serial: int) -> None:
        super().__init__()
        self.serial = serial


STEPS = 5
"""Steps year_report reports: the year read and counted, the year before likewise, laid out."""


def post_built(
    ctx: Any,
    serial: int,
    key: Key,
    width: int,
    place: tuple[str, int] | None,
    *,
    cached: tuple[Built | None, Built | None, Rendered | None],
    post: Callable[[Message], Any],
    cancelled: Callable[[], bool],
    calendar_ready: Callable[[], Any],
) -> None:
    """Build what request ``serial`` asks for and ``post`` it (ReportReady), or say the
    report on screen is still current (ReportCurrent). ``cached`` is what the screen has
    for the key: the report counted, as shown, and laid out at this width (any may be
    None); only what is missing, or older than the data, is made again. Returns quietly
    once ``cancelled()``: another year was asked for meanwhile."""
    year, below, basis = key
    raw, shown, layout = cached
    version = data_version(ctx.engine)
    if raw is not None and raw.version != version:
        raw = shown = layout = None  # the data changed since: count again
    if shown is not None and layout is not None:
        post(ReportCurrent(serial))
        return
    if raw is None:
        calendar_ready()
        started = time.perf_counter()
        done = 0

        def progress(step: str) -> None:
            nonlocal done
            done += 1
            post(ReportProgress(serial, step, done, STEPS))

        try:
            # in a child process: the counting's memory goes back when it exits
            report = year_report_apart(
                ctx.engine,
                year=year,
                as_at=ctx.today(),
                policy=ctx.policy,
                calendar=ctx.cal,
                basis=basis,
                progress=progress,
                cancelled=cancelled,
            )
        except Cancelled:  # another year was asked for meanwhile
            return
        raw = Built(report, time.perf_counter() - started, version)
    if shown is None or shown.version != raw.version:
        if below is None:
            shown = raw
        else:
            if cancelled():  # another year was asked for meanwhile
                return
            started = time.perf_counter()
            hidden = suppress(raw.report, below)
            shown = Built(hidden, raw.seconds + time.perf_counter() - started, raw.version)
    if cancelled():
        return
    rendered = render_report(shown.report, width)
    post(ReportReady(serial, key, raw, shown, rendered, place))
