"""reminders: delivery log (sent once per item, occurrence, lead, recipient) and "Gereed" marks

Revision ID: 0004
Revises: 0003
Created: 2026-11-29 22:04:49.648225
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reminder_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('occurrence', sa.Date(), nullable=False),
    sa.Column('lead', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('outbox_key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item', 'occurrence', 'lead', 'recipient', name='uq_reminder_delivery')
    )
    with op.batch_alter_table('reminder_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_delivery_occurrence'), ['occurrence'], unique=False)

    op.create_table('reminder_done',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('occurrence', sa.Date(), nullable=False),
    sa.Column('person', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('marked_at', storage.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item', 'occurrence', 'person', name='uq_reminder_done')
    )
    with op.batch_alter_table('reminder_done', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_done_occurrence'), ['occurrence'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reminder_done', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_done_occurrence'))

    op.drop_table('reminder_done')
    with op.batch_alter_table('reminder_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_delivery_occurrence'))

    op.drop_table('reminder_delivery')