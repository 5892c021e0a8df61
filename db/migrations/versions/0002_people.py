"""Schema 2: who the case is about, the officers' list, and what corrections need.

Contact details, children and the case-management reference (the officer's desk); the
panel's members, the Ombudsman's decision date, when an extension or clock stop was
entered, and voiding (a record that follows the rules).

Revision ID: 0002_people
Revises: 0001_schema_1
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002_people"
down_revision = "0001_schema_1"
branch_labels = None
depends_on = None

TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("complainant_address", sa.Text(), nullable=True))
        for name in (
            "complainant_email",
            "complainant_phone",
            "preferred_contact",
            "cms_reference",
            "member_name",
            "member_area",
        ):
            batch.add_column(sa.Column(name, TEXT(), nullable=True))
        batch.add_column(sa.Column("pending_since", sa.Date(), nullable=True))
        batch.add_column(sa.Column("voided_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("void_reason", TEXT(), nullable=True))
    with op.batch_alter_table("stages") as batch:
        batch.add_column(sa.Column("panel_members", TEXT(), nullable=True))
        batch.add_column(sa.Column("ombudsman_decided", sa.Date(), nullable=True))
        batch.add_column(sa.Column("extension_recorded", sa.Date(), nullable=True))
        batch.add_column(sa.Column("voided_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("void_reason", TEXT(), nullable=True))
    with op.batch_alter_table("suspensions") as batch:
        batch.add_column(sa.Column("recorded", sa.Date(), nullable=True))
    op.create_table(
        "case_children",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", TEXT(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_children") as batch:
        batch.create_index("ix_case_children_case_id", ["case_id"], unique=False)
    op.create_table(
        "officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", TEXT(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    # Officers already named on cases start the managed list, so nothing is lost.
    op.execute(
        "INSERT INTO officers (name, active, created_at) "
        "SELECT DISTINCT officer, true, CURRENT_TIMESTAMP FROM cases "
        "WHERE officer IS NOT NULL AND officer <> ''"
    )


def downgrade() -> None:
    op.drop_table("officers")
    op.drop_table("case_children")
    with op.batch_alter_table("suspensions") as batch:
        batch.drop_column("recorded")
    with op.batch_alter_table("stages") as batch:
        for name in (
            "panel_members",
            "ombudsman_decided",
            "extension_recorded",
            "voided_on",
            "void_reason",
        ):
            batch.drop_column(name)
    with op.batch_alter_table("cases") as batch:
        for name in (
            "complainant_address",
            "complainant_email",
            "complainant_phone",
            "preferred_contact",
            "cms_reference",
            "member_name",
            "member_area",
            "pending_since",
            "voided_on",
            "void_reason",
        ):
            batch.drop_column(name)
