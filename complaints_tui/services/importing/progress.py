"""The import's progress on a terminal: rows read, checked and stored, once it takes a while.

Drawn on one line of standard error, rewritten in place, only on a terminal and only
after the first second (a small file's import prints nothing more than before).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

STEPS = ("read", "checked", "stored")
WIDTH = 24


class TerminalProgress:
    def __init__(
        self, stream: TextIO | None = None, *, after: float = 1.0, force: bool = False
    ) -> None:
        self.stream = stream or sys.stderr
        self.after = after
        self.started = time.monotonic()
        self.enabled = force or self.stream.isatty()
        self.done = dict.fromkeys(STEPS, 0)
        self.total: int | None = None
        self.drawn = False
        self._last = 0.0

    def __call__(self, step: str, done: int, total: int | None) -> None:
        self.done[step] = done
        if total:
            self.total = max(total, self.total or 0)
        now = time.monotonic()
        if not self.enabled or now - self.started < self.after:
            return
        if now - self._last < 0.1 and done != total:
            return  # ten redraws a second are plenty
        self._last = now
        self.draw()

    def draw(self) -> None:
        total = self.total
        step = next((s for s in reversed(STEPS) if self.done[s]), "read")
        done = self.done[step]
        filled = int(WIDTH * done / total) if total else 0
        bar = "#" * min(filled, WIDTH) + "-" * (WIDTH - min(filled, WIDTH))
        counts = "  ".join(f"{s} {self.done[s]:,}" for s in STEPS)
        of = f" of {total:,}" if total else ""
        self.stream.write(f"\r[{bar}] {counts} rows{of}\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """End the bar's line, so what is printed next starts on its own."""
        if self.drawn:
            self.draw()
            self.stream.write("\n")
            self.stream.flush()
