"""Schema 6: each timeline entry records the case version it made.

A screen that read the case at version N can then be told exactly what changed since
(who, what, when), and an edit of other fields merges instead of being refused.

Revision ID: 0006_store
Revises: 0004_search
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_store"
down_revision = "0004_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Adding a nullable column is an ALTER TABLE on SQLite too: no copy of the timeline.
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("version")
