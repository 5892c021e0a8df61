"""Schema 3: a clock start typed by hand is kept as typed.

A stage's clock starts where the policy says (received, or acknowledged); one typed by
hand (``log --clock-start``, ``escalate --clock-start``) or set by re-opening is kept
whatever the policy says. Stages of earlier schemas whose clock start differs from
their received date were set that way, so they are marked.

Revision ID: 0003_rules
Revises: 0002_people
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_rules"
down_revision = "0002_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch rebuild of stages is blocked by the keys pointing at it.
    op.add_column(
        "stages",
        sa.Column("clock_set_by_hand", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute("UPDATE stages SET clock_set_by_hand = true WHERE clock_start <> received")


def downgrade() -> None:
    op.drop_column("stages", "clock_set_by_hand")
