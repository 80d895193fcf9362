"""one consultant's visits and calls newest first from one index: (consultant_id, time) replaces consultant_id

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_consultant_arrived', ['consultant_id', 'arrived_at'], unique=False)
        batch_op.drop_index(batch_op.f('ix_visits_consultant_id'))

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index('ix_calls_consultant_received', ['consultant_id', 'received_at'], unique=False)
        batch_op.drop_index(batch_op.f('ix_calls_consultant_id'))


def downgrade() -> None:
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_consultant_id'), ['consultant_id'], unique=False)
        batch_op.drop_index('ix_calls_consultant_received')

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_consultant_id'), ['consultant_id'], unique=False)
        batch_op.drop_index('ix_visits_consultant_arrived')
