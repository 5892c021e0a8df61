"""Files the program writes hold children's records: owner-only, and never half-written.

Every export, report, backup and letter goes through :func:`atomic_write`: the content is
written to a temporary file beside the target, flushed to disk and renamed over it in one
step, so a full disk or a crash leaves the old file (or none), never a truncated one.
"""

from __future__ import annotations

import os
import tempfile
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
