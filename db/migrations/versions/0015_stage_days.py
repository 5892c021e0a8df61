"""Schema 15: each stage stores the export's rule columns, ``days_taken`` (working days
from the clock start to the response, less clock stops) and ``acknowledgement_due``.

They are worked out by the policy's calendar, which a migration does not know: the
columns are added empty, and the program's first open at this schema fills them under the
policy in force (``services.store.follow_policy``: ``meta.stage_days`` is missing until
then), in the same run as the upgrade. Until they are filled, the export reads the file
the ordinary way, which fills them first.

Revision ID: 0015_stage_days
Revises: 0013_choice_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_stage_days"
down_revision = "0013_choice_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns with no default: added in place on both SQLite and PostgreSQL
    # (no table rebuild), so the upgrade of a million stages costs nothing here.
    op.add_column("stages", sa.Column("days_taken", sa.Integer(), nullable=True))
    op.add_column("stages", sa.Column("acknowledgement_due", sa.Date(), nullable=True))
    op.execute("DELETE FROM meta WHERE key = 'stage_days'")


def downgrade() -> None:
    op.execute("DELETE FROM meta WHERE key = 'stage_days'")
    with op.batch_alter_table("stages") as batch:
        batch.drop_column("acknowledgement_due")
        batch.drop_column("days_taken")
