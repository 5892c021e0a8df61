"""Schema 8: the Ombudsman's annual letter, as typed into the Report screen's form.

One row each time the form is saved (the newest of a year is the letter), so an earlier
entry is never lost.

Revision ID: 0008_report
Revises: 0006_store
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_report"
down_revision = "0006_store"
branch_labels = None
depends_on = None

_FIGURES = (
    "premature",
    "closed_after_initial_enquiries",
    "not_investigated",
    "no_fault",
    "fault_no_injustice",
    "fault_injustice",
    "recommendations",
    "complied",
)


def upgrade() -> None:
    op.create_table(
        "lgsco_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in _FIGURES),
        sa.Column("who", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_lgsco_letters_year", "lgsco_letters", ["year"])


def downgrade() -> None:
    op.drop_index("ix_lgsco_letters_year", table_name="lgsco_letters")
    op.drop_table("lgsco_letters")
