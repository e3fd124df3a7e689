"""work_queue: requests a web process acknowledged, waiting for a worker process

Revision ID: 0006
Revises: 0005
Created: 2026-11-30 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('work_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handler', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('queued_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('claimed_until', storage.types.UTCDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('work_queue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_queue_claimed_until'), ['claimed_until'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('work_queue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_queue_claimed_until'))

    op.drop_table('work_queue')
