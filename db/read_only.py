"""A SQLite file read with the standard library alone, when nothing needs the database layer.

SQLAlchemy and SQLModel take most of a second to import: more than the rest of an export of
100,000 stages. A file can be read without them when the ordinary open would do nothing
but read it: it is exactly as it was when a check of every page last passed (the record
``integrity`` keeps beside it), and at this program's schema. Anything else (changed, never
checked, older or newer, not ours) is None here, and opens the ordinary way, which says why.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from .schema_head import SCHEMA_HEAD


def open_read_only(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to ``path`` inside one read transaction (every query sees
    the same moment), or None when the file cannot be read this way."""
    if not vouched(path):
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")
        revisions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        connection.close()
        return None
    if revisions != [(SCHEMA_HEAD,)]:
        connection.close()
        return None
    return connection


def vouched(path: Path) -> bool:
    """The file is exactly as it was when a check of every page last passed (the record
    ``integrity.quick_check`` keeps beside it): only then is it read before the database
    layer has opened and checked it. Anything else (changed, in use, never checked) opens
    as usual."""
    try:
        stat = path.stat()
        recorded = json.loads(path.with_name(f".{path.name}.checked").read_text())
    except (OSError, ValueError):
        return False
    return bool(recorded == [stat.st_size, stat.st_mtime_ns, stat.st_ino])
