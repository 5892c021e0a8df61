"""Following colleagues' changes: a cheap marker that moves whenever anyone commits one.

Every officer action moves a counter in the same transaction (``db.engine.transaction``);
open screens read it every couple of seconds and reload only when it has moved, so a
list follows a colleague's work without a key press and without re-reading every time.
"""

from __future__ import annotations

from db.engine import change_count

from .context import Context


def change_marker(ctx: Context) -> str:
    """The database's change counter: compare two readings to know whether anyone saved."""
    with ctx.engine.connect() as connection:
        return change_count(connection)
