"""incident register: reports, their timeline, recipients and reference counters

Revision ID: 0003
Revises: 0002
Created: 2026-11-29 22:02:11.362195
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('filing_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('severity', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('discovered_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('discovered_time_known', sa.Boolean(), nullable=False),
    sa.Column('personal_data', sa.Boolean(), nullable=False),
    sa.Column('people_affected', sa.Integer(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('reporter_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('reporter_sealed', sa.Text(), nullable=True),
    sa.Column('reporter_tag', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('source_link', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('source_author', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('handler_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('ap_deadline', storage.types.UTCDateTime(), nullable=True),
    sa.Column('ap_reported', sa.Boolean(), nullable=True),
    sa.Column('ap_reported_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('ap_reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('closed_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('purged_at', storage.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('filing_id'),
    sa.UniqueConstraint('reference'),
    sa.UniqueConstraint('year', 'number')
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_department'), ['department'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_handler_id'), ['handler_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_reporter_id'), ['reporter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_reporter_tag'), ['reporter_tag'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_year'), ['year'], unique=False)

    op.create_table('report_counter',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year')
    )
    op.create_table('report_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('report_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_event_report_id'), ['report_id'], unique=False)

    op.create_table('report_recipient',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('routed_at', storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('report_id', 'user_id')
    )


def downgrade() -> None:
    op.drop_table('report_recipient')
    with op.batch_alter_table('report_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_event_report_id'))

    op.drop_table('report_event')
    op.drop_table('report_counter')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_year'))
        batch_op.drop_index(batch_op.f('ix_report_status'))
        batch_op.drop_index(batch_op.f('ix_report_reporter_tag'))
        batch_op.drop_index(batch_op.f('ix_report_reporter_id'))
        batch_op.drop_index(batch_op.f('ix_report_handler_id'))
        batch_op.drop_index(batch_op.f('ix_report_department'))
        batch_op.drop_index(batch_op.f('ix_report_created_at'))
        batch_op.drop_index(batch_op.f('ix_report_closed_at'))
        batch_op.drop_index(batch_op.f('ix_report_category'))

    op.drop_table('report')
