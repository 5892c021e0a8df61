"""Schema version 1: the tables of the first release, exactly as it created them.

Revision ID: 0001_schema_1
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001_schema_1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("procedure", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("complainant_type", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("complainant_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("child_statuses", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("advocate_involved", sa.Boolean(), nullable=False),
        sa.Column("advocate", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("division", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("service", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("officer", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("matter_date", sa.Date(), nullable=True),
        sa.Column("duty_category", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("repeat_complainant", sa.Boolean(), nullable=False),
        sa.Column("reopened_count", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_reference"), ["reference"], unique=True)

    op.create_table(
        "meta",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "case_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("linked_case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.ForeignKeyConstraint(
            ["linked_case_id"],
            ["cases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "linked_case_id"),
    )
    with op.batch_alter_table("case_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_links_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("theme", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("theme_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_themes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_themes_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_themes_theme_key"), ["theme_key"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("who", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("old", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("new", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_case_id"), ["case_id"], unique=False)

    op.create_table(
        "stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("procedure", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("clock_start", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("timescale", sa.Integer(), nullable=True),
        sa.Column("extended_to", sa.Integer(), nullable=True),
        sa.Column("extension_agreed", sa.Date(), nullable=True),
        sa.Column("extension_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("fixed_due", sa.Date(), nullable=True),
        sa.Column("ombudsman_reference", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("acknowledged", sa.Date(), nullable=True),
        sa.Column("responded", sa.Date(), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("investigator", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("iio", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("independent_person", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("panel_date", sa.Date(), nullable=True),
        sa.Column("panel_report_date", sa.Date(), nullable=True),
        sa.Column("request_date", sa.Date(), nullable=True),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("decision_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("out_of_time", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "procedure", "number"),
    )
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.create_index("ix_stages_due", ["due", "id"], unique=False)
        batch_op.create_index("ix_stages_received", ["received"], unique=False)
        batch_op.create_index("ix_stages_status_due", ["status", "due", "id"], unique=False)
        batch_op.create_index("ix_stages_status_responded", ["status", "responded"], unique=False)

    op.create_table(
        "learning_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["stages.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("learning_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learning_actions_stage_id"), ["stage_id"], unique=False
        )

    op.create_table(
        "remedies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["stages.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("remedies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remedies_stage_id"), ["stage_id"], unique=False)

    op.create_table(
        "suspensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["stages.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("suspensions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suspensions_stage_id"), ["stage_id"], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    raise NotImplementedError("schema 1 is the first: restore a backup instead")
