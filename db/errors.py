"""The one error every database problem reaches an officer as: a line, never a traceback."""

from __future__ import annotations


class DatabaseError(Exception):
    """The database cannot be used (not ours, newer than the program, damaged, unreachable)."""
