"""showroom upkeep: model apartments, item lists and check templates as versions, the day's checks (SHW-1, SHW-2)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('apartments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_apartments')),
    sa.UniqueConstraint('name', name=op.f('uq_apartments_name'))
    )
    op.create_table('check_template_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.DateTime(), nullable=False),
    sa.Column('points', sa.Text(), nullable=False),
    sa.Column('count_items', sa.Boolean(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['staff.id'], name=op.f('fk_check_template_versions_changed_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_template_versions')),
    sa.UniqueConstraint('kind', 'version', name=op.f('uq_check_template_versions_kind'))
    )
    op.create_table('showroom_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('apartment_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['apartment_id'], ['apartments.id'], name=op.f('fk_showroom_items_apartment_id_apartments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showroom_items'))
    )
    with op.batch_alter_table('showroom_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_showroom_items_apartment_id'), ['apartment_id'], unique=False)

    op.create_table('showroom_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('apartment_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('slot', sa.String(length=16), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=False),
    sa.Column('done_by_id', sa.Integer(), nullable=False),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('problems', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['apartment_id'], ['apartments.id'], name=op.f('fk_showroom_checks_apartment_id_apartments')),
    sa.ForeignKeyConstraint(['done_by_id'], ['staff.id'], name=op.f('fk_showroom_checks_done_by_id_staff')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['staff.id'], name=op.f('fk_showroom_checks_entered_by_id_staff')),
    sa.ForeignKeyConstraint(['template_id'], ['check_template_versions.id'], name=op.f('fk_showroom_checks_template_id_check_template_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showroom_checks')),
    sa.UniqueConstraint('apartment_id', 'day', 'slot', name=op.f('uq_showroom_checks_apartment_id'))
    )
    with op.batch_alter_table('showroom_checks', schema=None) as batch_op:
        batch_op.create_index('ix_showroom_checks_day', ['day', 'apartment_id'], unique=False)

    op.create_table('showroom_item_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.DateTime(), nullable=False),
    sa.Column('room', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('spec', sa.String(length=80), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('location', sa.String(length=60), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['staff.id'], name=op.f('fk_showroom_item_versions_changed_by_id_staff')),
    sa.ForeignKeyConstraint(['item_id'], ['showroom_items.id'], name=op.f('fk_showroom_item_versions_item_id_showroom_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showroom_item_versions')),
    sa.UniqueConstraint('item_id', 'version', name=op.f('uq_showroom_item_versions_item_id'))
    )
    with op.batch_alter_table('showroom_item_versions', schema=None) as batch_op:
        batch_op.create_index('ix_showroom_item_versions_valid', ['item_id', 'valid_from'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('showroom_item_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_showroom_item_versions_valid')

    op.drop_table('showroom_item_versions')
    with op.batch_alter_table('showroom_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_showroom_checks_day')

    op.drop_table('showroom_checks')
    with op.batch_alter_table('showroom_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_showroom_items_apartment_id'))

    op.drop_table('showroom_items')
    op.drop_table('check_template_versions')
    op.drop_table('apartments')
