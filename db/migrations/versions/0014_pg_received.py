"""Schema 14: PostgreSQL's search index in received-date order too.

``db/search_weeks.py``: every case's ``cases.order_weeks`` gains the received weeks of its
stages (buckets from ``search_weeks.RECEIVED``), and the statement triggers on stages
follow a stage's received date. A broad search sorted by received date (or counted under
the reference sort) then reads week by week, as the due-date sort does. Every case row is
rewritten: the token index is dropped first and built again after, in one pass. SQLite
gets nothing new.

The downgrade changes nothing: the received buckets, and the triggers that keep them,
stay; schema 13's reader never reads them (its walks cover due weeks and ``RUNNING``).

Revision ID: 0014_pg_received
Revises: 0013_choice_index
"""

from __future__ import annotations

from alembic import op

from db import search_weeks

revision = "0014_pg_received"
down_revision = "0013_choice_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_weeks.add_received(op.get_bind())


def downgrade() -> None:
    pass
