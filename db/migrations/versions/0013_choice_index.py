"""Schema 13: the cases' service and division indexed, for the filters' choices.

The filter screen offers every service, division and officer on record. Read by scanning
the cases, each column took about a second at a million cases, in the first seconds after
the app opens, when the keys an officer types share the machine with it. Walked along an
index instead, one step per value (``db/repo.py: distinct_values``), all three take
milliseconds. Both databases; the officer's index exists since schema 4.

Revision ID: 0013_choice_index
Revises: 0012_pg_counts
"""

from __future__ import annotations

from alembic import op

revision = "0013_choice_index"
down_revision = "0012_pg_counts"
branch_labels = None
depends_on = None

INDEXES = (("ix_cases_service", "service"), ("ix_cases_division", "division"))


def upgrade() -> None:
    for name, column in INDEXES:
        # nothing half-made by an earlier attempt is kept
        op.drop_index(name, table_name="cases", if_exists=True)
        op.create_index(name, "cases", [column])


def downgrade() -> None:
    for name, _column in INDEXES:
        op.drop_index(name, table_name="cases", if_exists=True)
