"""Schema 4: search that ignores accents, answered by a substring index; list indexes.

``cases.search_text`` (the searched fields folded), written for every case here; SQLite's
FTS5 trigram table ``case_search`` with its triggers, or PostgreSQL's pg_trgm GIN index;
and the indexes "my cases" and a search's count use.

Revision ID: 0004_search
Revises: 0003_rules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db import search

revision = "0004_search"
down_revision = "0003_rules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
        batch.create_index("ix_cases_officer", ["officer"], unique=False)
    with op.batch_alter_table("stages") as batch:
        batch.create_index("ix_stages_case_status_due", ["case_id", "status", "due"], unique=False)
    # Every existing case's text, then the index over it in one pass.
    search.rebuild(op.get_bind())


def downgrade() -> None:
    search.drop_index(op.get_bind())
    with op.batch_alter_table("stages") as batch:
        batch.drop_index("ix_stages_case_status_due")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_officer")
        batch.drop_column("search_text")
