"""Schema 9: the stages' search index in due-date order (SQLite), for broad searches.

``stage_order`` (``db/search_order.py``): an FTS5 trigram table whose rowid is each
stage's place in the due-date sort, filled from every stage here, with the triggers
that keep it in step. PostgreSQL gets nothing new.

Revision ID: 0009_list_speed
Revises: 0008_report
"""

from __future__ import annotations

from alembic import op

from db import search_order

revision = "0009_list_speed"
down_revision = "0008_report"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only the due-order index: schema 10 adds the received one and the reference text.
    connection = op.get_bind()
    orders = (search_order.DUE,)
    # nothing half-made by an earlier attempt is kept
    search_order.drop(connection, orders, reference_text=False)
    search_order.create(connection, fill=True, orders=orders, reference_text=False)


def downgrade() -> None:
    search_order.drop(op.get_bind(), (search_order.DUE,), reference_text=False)
