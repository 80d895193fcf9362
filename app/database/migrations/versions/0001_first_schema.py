"""first schema: staff, settings, audit, visitors, rotation, bar

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('bar_tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('is_vip_room', sa.Boolean(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bar_tables')),
    sa.UniqueConstraint('name', name=op.f('uq_bar_tables_name'))
    )
    op.create_table('rotation_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_rotation_days'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_pins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target', sa.String(length=60), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('after', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff.id'], name=op.f('fk_audit_log_actor_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_target'), ['target'], unique=False)

    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=True),
    sa.Column('phone_tail', sa.String(length=4), nullable=True),
    sa.Column('contact_declined', sa.Boolean(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('owned_since', sa.DateTime(), nullable=True),
    sa.Column('last_contact_at', sa.DateTime(), nullable=True),
    sa.Column('next_follow_up_at', sa.DateTime(), nullable=True),
    sa.Column('has_visited', sa.Boolean(), nullable=False),
    sa.Column('visit_count', sa.Integer(), nullable=False),
    sa.Column('last_visit_at', sa.DateTime(), nullable=True),
    sa.Column('family_of_id', sa.Integer(), nullable=True),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['family_of_id'], ['customers.id'], name=op.f('fk_customers_family_of_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], name=op.f('fk_customers_owner_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers'))
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customers_next_follow_up_at'), ['next_follow_up_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_phone_tail'), ['phone_tail'], unique=False)
        batch_op.create_index('uq_customers_phone', ['phone'], unique=True)

    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('questions', sa.Text(), nullable=False),
    sa.Column('intent', sa.String(length=200), nullable=False),
    sa.Column('appointment_at', sa.DateTime(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['consultant_id'], ['staff.id'], name=op.f('fk_calls_consultant_id_staff')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_calls_customer_id_customers')),
    sa.ForeignKeyConstraint(['taken_by_id'], ['staff.id'], name=op.f('fk_calls_taken_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_consultant_id'), ['consultant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_received_at'), ['received_at'], unique=False)

    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['consultant_id'], ['staff.id'], name=op.f('fk_follow_ups_consultant_id_staff')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_follow_ups_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_customer_id'), ['customer_id'], unique=False)

    op.create_table('ownership_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('previous_owner_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_ownership_decisions_customer_id_customers')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff.id'], name=op.f('fk_ownership_decisions_decided_by_id_staff')),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], name=op.f('fk_ownership_decisions_owner_id_staff')),
    sa.ForeignKeyConstraint(['previous_owner_id'], ['staff.id'], name=op.f('fk_ownership_decisions_previous_owner_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ownership_decisions'))
    )
    with op.batch_alter_table('ownership_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ownership_decisions_customer_id'), ['customer_id'], unique=False)

    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
    sa.Column('party_size', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('intent', sa.String(length=200), nullable=False),
    sa.Column('is_return', sa.Boolean(), nullable=False),
    sa.Column('arrived_at', sa.DateTime(), nullable=False),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultant_id'], ['staff.id'], name=op.f('fk_visits_consultant_id_staff')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_visits_customer_id_customers')),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['staff.id'], name=op.f('fk_visits_on_behalf_of_id_staff')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['staff.id'], name=op.f('fk_visits_registered_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_arrived_at'), ['arrived_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_consultant_id'), ['consultant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_customer_id'), ['customer_id'], unique=False)

    op.create_table('bar_seatings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('party', sa.String(length=60), nullable=False),
    sa.Column('party_size', sa.Integer(), nullable=False),
    sa.Column('seated_at', sa.DateTime(), nullable=False),
    sa.Column('last_refill_at', sa.DateTime(), nullable=False),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.Column('seated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['seated_by_id'], ['staff.id'], name=op.f('fk_bar_seatings_seated_by_id_staff')),
    sa.ForeignKeyConstraint(['table_id'], ['bar_tables.id'], name=op.f('fk_bar_seatings_table_id_bar_tables')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_bar_seatings_visit_id_visits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bar_seatings'))
    )
    with op.batch_alter_table('bar_seatings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bar_seatings_left_at'), ['left_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_bar_seatings_table_id'), ['table_id'], unique=False)

    op.create_table('rotation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['staff.id'], name=op.f('fk_rotation_events_actor_id_staff')),
    sa.ForeignKeyConstraint(['consultant_id'], ['staff.id'], name=op.f('fk_rotation_events_consultant_id_staff')),
    sa.ForeignKeyConstraint(['day'], ['rotation_days.day'], name=op.f('fk_rotation_events_day_rotation_days')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_rotation_events_visit_id_visits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rotation_events'))
    )
    with op.batch_alter_table('rotation_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rotation_events_day'), ['day'], unique=False)

    op.create_table('visit_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('values', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['staff.id'], name=op.f('fk_visit_revisions_changed_by_id_staff')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_revisions_visit_id_visits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_revisions'))
    )
    with op.batch_alter_table('visit_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_revisions_visit_id'), ['visit_id'], unique=False)

    op.create_table('bar_servings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seating_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('is_refill', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('served_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['seating_id'], ['bar_seatings.id'], name=op.f('fk_bar_servings_seating_id_bar_seatings')),
    sa.ForeignKeyConstraint(['served_by_id'], ['staff.id'], name=op.f('fk_bar_servings_served_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bar_servings'))
    )
    with op.batch_alter_table('bar_servings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bar_servings_seating_id'), ['seating_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('bar_servings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bar_servings_seating_id'))

    op.drop_table('bar_servings')
    with op.batch_alter_table('visit_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_revisions_visit_id'))

    op.drop_table('visit_revisions')
    with op.batch_alter_table('rotation_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rotation_events_day'))

    op.drop_table('rotation_events')
    with op.batch_alter_table('bar_seatings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bar_seatings_table_id'))
        batch_op.drop_index(batch_op.f('ix_bar_seatings_left_at'))

    op.drop_table('bar_seatings')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_customer_id'))
        batch_op.drop_index(batch_op.f('ix_visits_consultant_id'))
        batch_op.drop_index(batch_op.f('ix_visits_arrived_at'))

    op.drop_table('visits')
    with op.batch_alter_table('ownership_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ownership_decisions_customer_id'))

    op.drop_table('ownership_decisions')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_customer_id'))

    op.drop_table('follow_ups')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_received_at'))
        batch_op.drop_index(batch_op.f('ix_calls_customer_id'))
        batch_op.drop_index(batch_op.f('ix_calls_consultant_id'))

    op.drop_table('calls')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index('uq_customers_phone')
        batch_op.drop_index(batch_op.f('ix_customers_phone_tail'))
        batch_op.drop_index(batch_op.f('ix_customers_owner_id'))
        batch_op.drop_index(batch_op.f('ix_customers_next_follow_up_at'))

    op.drop_table('customers')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_target'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    op.drop_table('staff')
    op.drop_table('settings')
    op.drop_table('rotation_days')
    op.drop_table('bar_tables')
    op.drop_table('audit_head')
