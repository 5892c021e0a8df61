"""Files the program writes hold children's records: owner-only, and never half-written.

Every export, report, backup and letter goes through :func:`atomic_write`: the content is
written to a temporary file beside the target, flushed to disk and renamed over it in one
step, so a full disk or a crash leaves the old file (or none), never a truncated one.
"""

from __future__ import annotations

import os
import queue
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
"""Files: readable and writable by their owner only, whatever the umask."""

DIR_MODE = 0o700
"""Folders the program creates: the owner's only."""


def private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) owner-only; an existing folder is left as it is."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)


def make_private(path: Path) -> None:
    """Owner-only permissions on an existing file (no-op where it does not exist)."""
    with suppress(FileNotFoundError):
        os.chmod(path, FILE_MODE)


@contextmanager
def atomic_write(path: Path | str, mode: str = "w", **open_args: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` for writing; rename it into place on success.

    ``mode`` is ``"w"`` or ``"wb"``; ``open_args`` go to :func:`open` (encoding, newline).
    On any error the temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    private_dir(target.parent if str(target.parent) else Path("."))
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent or Path(".")
    )
    os.fchmod(descriptor, FILE_MODE)
    try:
        with open(descriptor, mode, **open_args) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary path beside ``path`` for a library that writes files itself (a workbook,
    a Word document, a SQLite backup); renamed over ``path`` when the block succeeds."""
    target = Path(path)
    private_dir(target.parent if str(target.parent) else Path("."))
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent or Path(".")
    )
    os.close(descriptor)
    os.chmod(temporary, FILE_MODE)
    try:
        yield Path(temporary)
        make_private(Path(temporary))
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class WrittenBehind:
    """Blocks written to ``handle`` by a thread of their own, in order: a handle that
    compresses (a zip's member) lets go of the interpreter as zlib works, so the next
    blocks are made meanwhile, on a second core if there is one (compressing a
    100,000-stage export's sheet was a fifth of its time). Four blocks wait at most; a
    failed write is raised by the next ``write`` or by ``close``, and nothing after it is
    written."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._waiting: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._write, args=(handle,), daemon=True)
        self._thread.start()

    def _write(self, handle: IO[bytes]) -> None:
        while (block := self._waiting.get()) is not None:
            if self._failed is None:
                try:
                    handle.write(block)
                except BaseException as exc:  # said by write() or close(), in order
                    self._failed = exc

    def write(self, block: bytes) -> None:
        if self._failed is not None:
            raise self._failed
        self._waiting.put(block)

    def close(self) -> None:
        """Wait until every block is written; raise what writing one raised."""
        self._waiting.put(None)
        self._thread.join()
        if self._failed is not None:
            raise self._failed


@contextmanager
def written_behind(handle: IO[bytes]) -> Iterator[WrittenBehind]:
    """``handle`` written by a thread (``WrittenBehind``), every block written at the end."""
    behind = WrittenBehind(handle)
    try:
        yield behind
    finally:
        behind.close()
