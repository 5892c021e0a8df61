"""Schema 10: broad searches sorted by received date or by reference (SQLite).

- ``stage_received`` (``db/search_order.py``, ``RECEIVED``): the twin of schema 9's
  ``stage_order``, keyed by each stage's place in the received sort, filled from every
  stage here, with the triggers that keep it in step.
- ``ix_cases_reference_text``: cases in reference order with their folded text.

PostgreSQL gets nothing new.

Revision ID: 0010_received_order
Revises: 0009_list_speed
"""

from __future__ import annotations

from alembic import op

from db import search_order

revision = "0010_received_order"
down_revision = "0009_list_speed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    orders = (search_order.RECEIVED,)
    search_order.drop(connection, orders)  # nothing half-made by an earlier attempt is kept
    search_order.create(connection, fill=True, orders=orders)


def downgrade() -> None:
    search_order.drop(op.get_bind(), (search_order.RECEIVED,))
