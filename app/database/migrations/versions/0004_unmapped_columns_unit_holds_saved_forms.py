"""imported registers keep their unmapped columns (VIS-6); unit holds (VIS-8); saved forms, so a save is never written twice (SEC-6)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('saved_forms',
    sa.Column('token', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_saved_forms'))
    )
    with op.batch_alter_table('saved_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_forms_saved_at'), ['saved_at'], unique=False)

    op.create_table('unit_holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_unit_holds_customer_id_customers')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff.id'], name=op.f('fk_unit_holds_decided_by_id_staff')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['staff.id'], name=op.f('fk_unit_holds_requested_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_holds'))
    )
    with op.batch_alter_table('unit_holds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_holds_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_holds_unit'), ['unit'], unique=False)
        batch_op.create_index('uq_unit_holds_confirmed_unit', ['unit'], unique=True, sqlite_where=sa.text("status = 'confirmed'"), postgresql_where=sa.text("status = 'confirmed'"))

    # A unit that already has a deposit or contract was confirmed free when it was sold: it is held for that
    # customer, so the rule "deals only on a held unit" (VIS-8) holds for the office's past deals too.
    op.execute("INSERT INTO unit_holds (unit, customer_id, status, requested_by_id, requested_at, decided_by_id, "
               "decided_at, note) SELECT unit, customer_id, 'confirmed', MIN(recorded_by_id), MIN(at), "
               "MIN(recorded_by_id), MIN(at), '' FROM deals GROUP BY unit, customer_id")

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra', sa.Text(), server_default='', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_column('extra')

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('extra')

    with op.batch_alter_table('unit_holds', schema=None) as batch_op:
        batch_op.drop_index('uq_unit_holds_confirmed_unit', sqlite_where=sa.text("status = 'confirmed'"), postgresql_where=sa.text("status = 'confirmed'"))
        batch_op.drop_index(batch_op.f('ix_unit_holds_unit'))
        batch_op.drop_index(batch_op.f('ix_unit_holds_customer_id'))

    op.drop_table('unit_holds')
    with op.batch_alter_table('saved_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_forms_saved_at'))

    op.drop_table('saved_forms')
