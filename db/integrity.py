"""Refuse a damaged SQLite file when it is opened, before anyone writes into it.

Every open makes the cheap checks: the file is not empty, starts with SQLite's header and is
as long as its header says (a truncated copy is not). SQLite's own ``PRAGMA quick_check``
reads every page, which catches garbage inside; it costs about half a second at 100,000
cases, so it runs when the file has changed since the last check that passed (kept in a
small owner-only file beside the database: size, modification time and inode).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import Connection

from .schema import DatabaseError

SQLITE_HEADER = b"SQLite format 3\x00"
RESTORE_HINT = "Restore a backup with: complaints-tui restore BACKUP_FILE"


def check_file(path: Path) -> None:
    """The checks that need no SQLite: empty, not a database, truncated."""
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file.")
    size = path.stat().st_size
    if size == 0:
        raise DatabaseError(f"{path} is empty (0 bytes), not a complaints database. {RESTORE_HINT}")
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        raise DatabaseError(f"{path} is not a SQLite database (damaged?). {RESTORE_HINT}")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The header's page count is valid when its change counter matches (SQLite >= 3.7).
    valid_count = header[24:28] == header[92:96]
    if valid_count and pages and size < pages * page_size:
        raise DatabaseError(
            f"{path} is truncated ({size:,} of {pages * page_size:,} bytes). {RESTORE_HINT}"
        )


def _stamp_file(path: Path) -> Path:
    return path.with_name(f".{path.name}.checked")


def _signature(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


_sound: set[Path] = set()
"""Files this process found sound: what it then writes through SQLite it can vouch for."""


def quick_check(connection: Connection, path: Path) -> None:
    """SQLite's check of every page, unless the file is as it was when last found sound."""
    stamp = _stamp_file(path)
    try:
        if json.loads(stamp.read_text()) == _signature(path):
            _sound.add(path)
            return
    except (OSError, ValueError):
        pass
    try:
        rows = [row[0] for row in connection.exec_driver_sql("PRAGMA quick_check").fetchall()]
    except Exception as exc:  # the driver says "file is not a database", "malformed", ...
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseError(f"{path} is damaged ({reason}). {RESTORE_HINT}") from None
    if rows != ["ok"]:
        problems = [line for row in rows for line in str(row).splitlines() if line.strip()]
        first = problems[0].strip("* ")
        raise DatabaseError(
            f"{path} is damaged (SQLite's check found {len(problems)} problem(s), "
            f"the first: {first}). {RESTORE_HINT}"
        )
    _sound.add(path)
    _write_stamp(path)


def vouch_after_close(path: Path) -> None:
    """Record the file as sound again after this process closed it.

    SQLite folds the ``-wal`` file into the database when the last connection closes, which
    changes the file: without this, every command would pay for a full check next time.
    A process that dies before closing leaves the old record, so the next open checks.
    """
    if path in _sound and path.exists():
        _write_stamp(path)


def _write_stamp(path: Path) -> None:
    stamp = _stamp_file(path)
    try:
        descriptor = os.open(stamp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump(_signature(path), handle)
    except OSError:
        pass  # a read-only folder: check again next time
