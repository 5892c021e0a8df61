"""Schema 11: PostgreSQL's search index in due-date order, for broad searches by due date.

``db/search_weeks.py``: the column ``cases.order_weeks`` (the due-date sort's buckets of
the case's stages), worked out for every case here, the statement triggers on stages
that keep it in step, and a GIN index of each case's (bucket, trigram) tokens, built
after. SQLite gets nothing new (it has ``stage_order``, schema 9, and ``stage_received``,
schema 10).

Revision ID: 0011_pg_order
Revises: 0010_received_order
"""

from __future__ import annotations

from alembic import op

from db import search_weeks

revision = "0011_pg_order"
down_revision = "0010_received_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    search_weeks.drop(connection)  # nothing half-made by an earlier attempt is kept
    search_weeks.create(connection, fill=True)


def downgrade() -> None:
    search_weeks.drop(op.get_bind())
