"""Schema 12: PostgreSQL's count of stages by status, and the open cases' search tokens.

``db/stage_counts.py``: the table ``stage_counts`` and the statement triggers on stages
that keep it, filled here by counting every stage once. ``db/search_weeks.py``: every
case with a running clock gains the bucket ``RUNNING`` in ``cases.order_weeks`` (and so
its tokens in the token index), the triggers now following a stage's status too. SQLite
gets nothing new.

The downgrade drops the counts; the ``RUNNING`` buckets stay, which schema 11's reader
never reads (its walks cover due weeks only) and its triggers keep as they are.

Revision ID: 0012_pg_counts
Revises: 0011_pg_order
"""

from __future__ import annotations

from alembic import op

from db import search_weeks, stage_counts

revision = "0012_pg_counts"
down_revision = "0011_pg_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    search_weeks.mark_running(connection)
    stage_counts.drop(connection)  # nothing half-made by an earlier attempt is kept
    stage_counts.create(connection, fill=True)


def downgrade() -> None:
    stage_counts.drop(op.get_bind())
