"""Alembic's environment: migrations run on the connection the program hands over.

``db.schema`` opens the database, decides whether it needs upgrading, writes the backup and
then runs Alembic with ``config.attributes["connection"]`` set; nothing here builds an engine.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from db import tables

assert tables  # the import registers the tables on SQLModel.metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot alter most of a table in place: Alembic copies it instead.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
