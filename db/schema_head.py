"""The schema this program writes, on its own: a read with the standard library alone (see
``db/read_only.py``) compares a file's revision with it without loading SQLAlchemy."""

from __future__ import annotations

SCHEMA_HEAD = "0016_pg_reference_text"
"""The newest migration in db/migrations/versions: the schema this program writes."""
