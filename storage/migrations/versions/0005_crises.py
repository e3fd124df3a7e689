"""crises: the crisis, its team, timeline and actions (§7.3 ICT-crisisoverleg)

Revision ID: 0005
Revises: 0004
Created: 2026-11-29 22:02:20.819505
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('crisis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('personal_data', sa.Boolean(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('room_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('vacancies', sa.JSON(), nullable=False),
    sa.Column('open_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('declared_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('declared_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('decided_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('closed_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('closed_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('open_key'),
    sa.UniqueConstraint('reference')
    )
    with op.batch_alter_table('crisis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crisis_status'), ['status'], unique=False)

    op.create_table('crisis_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('crisis_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('done_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('done_at', storage.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['crisis_id'], ['crisis.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('crisis_id', 'number')
    )
    with op.batch_alter_table('crisis_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crisis_action_crisis_id'), ['crisis_id'], unique=False)

    op.create_table('crisis_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('crisis_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['crisis_id'], ['crisis.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('crisis_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crisis_event_crisis_id'), ['crisis_id'], unique=False)

    op.create_table('crisis_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('crisis_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('seats', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('deputy_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('added_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('first_paged_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('acknowledged_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('acknowledged_via', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('unanswered_at', storage.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['crisis_id'], ['crisis.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('crisis_id', 'user_id')
    )
    with op.batch_alter_table('crisis_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crisis_member_crisis_id'), ['crisis_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('crisis_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crisis_member_crisis_id'))

    op.drop_table('crisis_member')
    with op.batch_alter_table('crisis_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crisis_event_crisis_id'))

    op.drop_table('crisis_event')
    with op.batch_alter_table('crisis_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crisis_action_crisis_id'))

    op.drop_table('crisis_action')
    with op.batch_alter_table('crisis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crisis_status'))

    op.drop_table('crisis')