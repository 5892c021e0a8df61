"""Fewer garbage collections while a bulk path runs (import, demo data, export, the year
report).

CPython's cyclic collector looks at the young objects every 700 allocations of containers,
and at older ones every tenth and hundredth time. A bulk path makes a handful of tuples,
records and lists per row, and holds thousands of them at once (a chunk of rows waiting for
its insert, the clocks already worked out), so over a 100,000-stage import the collector ran
965 times and took 1.6 s of its CPU, about a tenth, without finding anything to free: the
rows are plain data, without cycles. With the young generation's threshold at 100,000 it runs
twice (0.1 s). Any cycle is still collected, later: memory stays bounded by the threshold,
not by the file's length.
The year report goes further: it holds a million rows at a time at 1,000,000 stages, and even
collections this rare took 7% of its CPU (43 s against 40 s), so it asks for the collector to
pause outright while it runs (``pause=True``); reference counting still frees everything.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 100_000
"""Allocations of containers between two collections of the young generation, while a bulk
path runs (CPython's default is 700)."""

_lock = threading.Lock()
_running = 0
_pausing = 0
_saved: tuple[int, ...] = ()
_was_enabled = True


@contextmanager
def fewer_collections(*, pause: bool = False) -> Iterator[None]:
    """Within the block, the collector runs about a hundred times less often (with
    ``pause``, not at all); the process's settings are restored when the last bulk path
    running leaves (the app may run two at once, in workers: the settings belong to the
    process)."""
    global _running, _pausing, _saved, _was_enabled
    with _lock:
        if _running == 0:
            _saved = gc.get_threshold()
            young, *older = _saved
            gc.set_threshold(max(young, YOUNG), *older)
        _running += 1
        if pause:
            if _pausing == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _pausing += 1
    try:
        yield
    finally:
        with _lock:
            if pause:
                _pausing -= 1
                if _pausing == 0 and _was_enabled:
                    gc.enable()
            _running -= 1
            if _running == 0:
                gc.set_threshold(*_saved)
