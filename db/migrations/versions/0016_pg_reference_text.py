"""Schema 16: PostgreSQL's cases in reference order with their text.

A broad search sorted by reference ('2025-0' over all stages) walks the cases in
reference order, checking each case's text, and stops after a page; its matches bunch
at one end (the 282,000 cases of 2024 come first at a million cases). Read from each
case's row the walk took a microsecond a case (130-280 ms); SQLite has walked an index
of references with their text since schema 10. This gives PostgreSQL the same:
``db.search_order.REFERENCE_TEXT``, the references with each case's id and text (an
index-only scan: 40 ms), for every case whose reference and text fit in a B-tree entry,
and ``PG_REFERENCE_LONG`` for the few longer ones, in reference order without their
text. Built in about 2 s at a million cases. SQLite gets nothing new.

The downgrade drops them: schema 15's reader never asks for them.

Revision ID: 0016_pg_reference_text
Revises: 0015_stage_days
"""

from __future__ import annotations

from alembic import op

from db import search_order

revision = "0016_pg_reference_text"
down_revision = "0015_stage_days"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    search_order.create_pg_reference(connection)


def downgrade() -> None:
    search_order.drop_pg_reference(op.get_bind())
