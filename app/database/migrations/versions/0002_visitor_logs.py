"""visitor logs: deals (deposits and contracts), indexes for searching by name and for lapsing registrations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('deals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('amount_yuan', sa.Integer(), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultant_id'], ['staff.id'], name=op.f('fk_deals_consultant_id_staff')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_deals_customer_id_customers')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_deals_recorded_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deals'))
    )
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deals_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_consultant_id'), ['consultant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_unit'), ['unit'], unique=False)

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customers_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_last_contact_at'), ['last_contact_at'], unique=False)

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_name'), ['name'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_name'))

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customers_last_contact_at'))
        batch_op.drop_index(batch_op.f('ix_customers_name'))

    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deals_unit'))
        batch_op.drop_index(batch_op.f('ix_deals_customer_id'))
        batch_op.drop_index(batch_op.f('ix_deals_consultant_id'))
        batch_op.drop_index(batch_op.f('ix_deals_at'))

    op.drop_table('deals')
