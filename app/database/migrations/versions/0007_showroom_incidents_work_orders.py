"""showroom incidents, work orders, release slips, item movements, handovers (SHW-4..7)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('showroom_handovers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('outgoing_id', sa.Integer(), nullable=False),
    sa.Column('incoming_id', sa.Integer(), nullable=False),
    sa.Column('listed', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=400), nullable=False),
    sa.Column('outgoing_signature', sa.Text(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('incoming_signature', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['incoming_id'], ['staff.id'], name=op.f('fk_showroom_handovers_incoming_id_staff')),
    sa.ForeignKeyConstraint(['outgoing_id'], ['staff.id'], name=op.f('fk_showroom_handovers_outgoing_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showroom_handovers'))
    )
    op.create_table('showroom_incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('apartment_id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('item_name', sa.String(length=60), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('happened_at', sa.DateTime(), nullable=False),
    sa.Column('visitor_name', sa.String(length=40), nullable=False),
    sa.Column('visitor_phone', sa.String(length=20), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('settlement', sa.String(length=10), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('settlement_note', sa.String(length=200), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('service_by_id', sa.Integer(), nullable=True),
    sa.Column('service_at', sa.DateTime(), nullable=True),
    sa.Column('marketing_by_id', sa.Integer(), nullable=True),
    sa.Column('marketing_at', sa.DateTime(), nullable=True),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('signed_on_paper_by_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['apartment_id'], ['apartments.id'], name=op.f('fk_showroom_incidents_apartment_id_apartments')),
    sa.ForeignKeyConstraint(['check_id'], ['showroom_checks.id'], name=op.f('fk_showroom_incidents_check_id_showroom_checks')),
    sa.ForeignKeyConstraint(['item_id'], ['showroom_items.id'], name=op.f('fk_showroom_incidents_item_id_showroom_items')),
    sa.ForeignKeyConstraint(['marketing_by_id'], ['staff.id'], name=op.f('fk_showroom_incidents_marketing_by_id_staff')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['staff.id'], name=op.f('fk_showroom_incidents_proposed_by_id_staff')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_showroom_incidents_recorded_by_id_staff')),
    sa.ForeignKeyConstraint(['service_by_id'], ['staff.id'], name=op.f('fk_showroom_incidents_service_by_id_staff')),
    sa.ForeignKeyConstraint(['signed_on_paper_by_id'], ['staff.id'], name=op.f('fk_showroom_incidents_signed_on_paper_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showroom_incidents'))
    )
    with op.batch_alter_table('showroom_incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_showroom_incidents_apartment_id'), ['apartment_id'], unique=False)

    op.create_table('work_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('apartment_id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=True),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('planned_at', sa.DateTime(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('urgent_reason', sa.String(length=200), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.String(length=200), nullable=False),
    sa.Column('entered_at', sa.DateTime(), nullable=True),
    sa.Column('workers', sa.String(length=200), nullable=False),
    sa.Column('materials', sa.String(length=400), nullable=False),
    sa.Column('entry_by_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.Column('completion_ok', sa.Boolean(), nullable=True),
    sa.Column('completion_note', sa.String(length=200), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['apartment_id'], ['apartments.id'], name=op.f('fk_work_orders_apartment_id_apartments')),
    sa.ForeignKeyConstraint(['check_id'], ['showroom_checks.id'], name=op.f('fk_work_orders_check_id_showroom_checks')),
    sa.ForeignKeyConstraint(['completed_by_id'], ['staff.id'], name=op.f('fk_work_orders_completed_by_id_staff')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff.id'], name=op.f('fk_work_orders_decided_by_id_staff')),
    sa.ForeignKeyConstraint(['entry_by_id'], ['staff.id'], name=op.f('fk_work_orders_entry_by_id_staff')),
    sa.ForeignKeyConstraint(['incident_id'], ['showroom_incidents.id'], name=op.f('fk_work_orders_incident_id_showroom_incidents')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['staff.id'], name=op.f('fk_work_orders_requested_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_orders'))
    )
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_orders_apartment_id'), ['apartment_id'], unique=False)

    op.create_table('release_slips',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('apartment_id', sa.Integer(), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('carrier', sa.String(length=40), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.String(length=200), nullable=False),
    sa.Column('released_at', sa.DateTime(), nullable=True),
    sa.Column('released_by_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['apartment_id'], ['apartments.id'], name=op.f('fk_release_slips_apartment_id_apartments')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff.id'], name=op.f('fk_release_slips_decided_by_id_staff')),
    sa.ForeignKeyConstraint(['released_by_id'], ['staff.id'], name=op.f('fk_release_slips_released_by_id_staff')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['staff.id'], name=op.f('fk_release_slips_requested_by_id_staff')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_release_slips_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_slips'))
    )
    with op.batch_alter_table('release_slips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_slips_apartment_id'), ['apartment_id'], unique=False)

    op.create_table('release_slip_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slip_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('item_name', sa.String(length=60), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['showroom_items.id'], name=op.f('fk_release_slip_lines_item_id_showroom_items')),
    sa.ForeignKeyConstraint(['slip_id'], ['release_slips.id'], name=op.f('fk_release_slip_lines_slip_id_release_slips')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_slip_lines'))
    )
    with op.batch_alter_table('release_slip_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_slip_lines_slip_id'), ['slip_id'], unique=False)

    op.create_table('showroom_item_movements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('slip_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['showroom_items.id'], name=op.f('fk_showroom_item_movements_item_id_showroom_items')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_showroom_item_movements_recorded_by_id_staff')),
    sa.ForeignKeyConstraint(['slip_id'], ['release_slips.id'], name=op.f('fk_showroom_item_movements_slip_id_release_slips')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showroom_item_movements'))
    )
    with op.batch_alter_table('showroom_item_movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_showroom_item_movements_item_id'), ['item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('showroom_item_movements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_showroom_item_movements_item_id'))

    op.drop_table('showroom_item_movements')
    with op.batch_alter_table('release_slip_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_slip_lines_slip_id'))

    op.drop_table('release_slip_lines')
    with op.batch_alter_table('release_slips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_slips_apartment_id'))

    op.drop_table('release_slips')
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_orders_apartment_id'))

    op.drop_table('work_orders')
    with op.batch_alter_table('showroom_incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_showroom_incidents_apartment_id'))

    op.drop_table('showroom_incidents')
    op.drop_table('showroom_handovers')
