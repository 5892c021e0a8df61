"""How fast the officer's screens are on 10,000 and 100,000 demo cases.

    .venv/bin/python benchmarks/tui.py [--cases 10000 100000] [--dir DIR]

Builds (or reuses) ``complaints-tui --db DIR/demo-N.sqlite3 --today 2026-11-23 demo
--cases N`` and measures, against the targets of issue 3:

- case list opened and painted (a new list screen until its first page is on screen):
  under 300 ms whatever the number of cases;
- a search keystroke, a scope toggle and "my cases" to the updated list painted: under
  150 ms on 10,000 cases and 250 ms on 100,000;
- launch to first painted list: the real command in a pseudo-terminal, from starting
  the process to the first row of cases in its output: under 1.5 s;
- memory: the peak resident size of that process after paging through every stage and
  searching: under 100 MB with 100,000 cases.

The first three run the app headless in this process (Textual's Pilot); the launch and
memory figures come from the real ``complaints-tui`` in a pty, as an officer starts it.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import select
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"
CLI = [sys.executable, "-m", "complaints_tui"]
NEEDED_INDEXES = {"ix_stages_due", "ix_stages_status_responded", "ix_stages_status_due"}


def database(directory: Path, cases: int) -> Path:
    """A demo database of ``cases`` cases, built once and reused."""
    path = directory / f"demo-{cases}.sqlite3"
    if path.exists():
        with sqlite3.connect(path) as conn:
            have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        if have >= NEEDED_INDEXES:
            return path
        print(f"{path}: built before the list indexes existed; rebuilding", flush=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    print(f"building {path} ({cases:,} cases)...", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [*CLI, "--db", str(path), "--today", TODAY, "demo", "--cases", str(cases)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    return path


# -- in process: the list screen ----------------------------------------------------------


async def _measure_list(path: Path) -> dict[str, list[float]]:
    from complaints_tui.services.context import Context
    from complaints_tui.tui.app import ComplaintsApp
    from complaints_tui.tui.screens.case_list import CaseListScreen
    from db.engine import make_engine

    engine = make_engine(path)
    ctx = Context(engine, actor="J. Bennett", clock=lambda: date.fromisoformat(TODAY))
    app = ComplaintsApp(ctx)
    out: dict[str, list[float]] = {"open": [], "search": [], "search_all": [], "toggle": []}

    async def painted(screen: CaseListScreen, after: float, pilot) -> float:  # type: ignore[no-untyped-def]
        # Poll the screen's own paint time-stamp; the figure is that stamp, not the poll.
        while screen.painted_at is None or screen.painted_at < after:
            await pilot.pause(0.001)
        return screen.painted_at - after

    async with app.run_test(size=(120, 40)) as pilot:
        home = app.screen
        assert isinstance(home, CaseListScreen)
        await painted(home, 0, pilot)
        await app.workers.wait_for_complete()  # the warm-up read after the first paint
        for _ in range(7):
            screen = CaseListScreen()
            started = time.perf_counter()
            await app.push_screen(screen)
            out["open"].append(await painted(screen, started, pilot))
            app.pop_screen()
            await pilot.pause()

        screen = home
        for scope_key, bucket in (("", "search"), ("o", "search_all")):
            if scope_key:  # open -> closed -> all
                for _ in range(2):
                    started = time.perf_counter()
                    await pilot.press("o")
                    out["toggle"].append(await painted(screen, started, pilot))
            for term in ("ahmed", "2025-0042"):
                await pilot.press("slash")
                for ch in term:
                    started = time.perf_counter()
                    await pilot.press(ch)
                    out[bucket].append(await painted(screen, started, pilot))
                started = time.perf_counter()
                await pilot.press("ctrl+u")  # empty the search box: the full list again
                await painted(screen, started, pilot)
                await pilot.press("escape")
        for key in ("m", "m", "s", "s", "s"):  # my cases on and off; the three sorts
            started = time.perf_counter()
            await pilot.press(key)
            out["toggle"].append(await painted(screen, started, pilot))
    engine.dispose()
    return out


# -- a real process in a pseudo-terminal: launch and memory ----------------------------------


def _rss_peak_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _launch(path: Path, *, exercise: bool) -> tuple[float, int]:
    """Seconds from starting ``complaints-tui`` to its first painted list; peak RSS in KB."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COMPLAINTS_OFFICER": "J. Bennett"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*CLI, "--db", str(path), "--today", TODAY],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    first_paint = None
    try:
        while first_paint is None:
            ready, _, _ = select.select([master], [], [], 10)
            if not ready:
                raise RuntimeError("the app painted nothing within 10 s")
            seen += os.read(master, 65536)
            # The first data row of the list: a reference and a due date after the header.
            if b"Reference" in seen and b"CT-20" in seen.split(b"Reference", 1)[1]:
                first_paint = time.perf_counter() - started
        if exercise:
            # All stages, then to the last page and back, a search: the heaviest use.
            for keys in (b"o", b"o", b"\x1b[F", b"\x1b[H", b"/", b"smith", b"\r", b"\x1b[6~" * 20):
                os.write(master, keys)
                _drain(master, 0.6)
        peak = _rss_peak_kb(proc.pid)
    finally:
        os.write(master, b"\x11")  # ctrl+q
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(master)
    return first_paint, peak


def _drain(fd: int, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while (left := end - time.perf_counter()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                return


# -- report --------------------------------------------------------------------------------


def ms(values: list[float]) -> str:
    if not values:
        return "-"
    return f"median {statistics.median(values) * 1000:5.0f} ms, max {max(values) * 1000:5.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--dir", type=Path, default=Path(tempfile.gettempdir()) / "complaints-tui-bench"
    )
    parser.add_argument("--launches", type=int, default=3)
    parser.add_argument("--verbose", action="store_true", help="every timing, in order")
    options = parser.parse_args()
    options.dir.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    for cases in options.cases:
        path = database(options.dir, cases)
        with sqlite3.connect(path) as conn:
            stages = conn.execute("SELECT count(*) FROM stages").fetchone()[0]
            running = conn.execute(
                "SELECT count(*) FROM stages WHERE status IN ('open', 'suspended')"
            ).fetchone()[0]
        print(f"\n{cases:,} cases ({stages:,} stages, {running:,} open) — {path}")
        timings = asyncio.run(_measure_list(path))
        print(f"  case list opened and painted     {ms(timings['open'])}")
        print(f"  search keystroke, open stages    {ms(timings['search'])}")
        print(f"  search keystroke, all stages     {ms(timings['search_all'])}")
        print(f"  scope / mine / sort key          {ms(timings['toggle'])}")
        if options.verbose:
            for name, values in timings.items():
                print(f"    {name}: {' '.join(f'{v * 1000:.0f}' for v in values)}")
        launches = [_launch(path, exercise=False)[0] for _ in range(options.launches)]
        _, peak = _launch(path, exercise=True)
        print(f"  launch to first painted list     {ms(launches)}")
        print(f"  peak memory (RSS) after use      {peak / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
