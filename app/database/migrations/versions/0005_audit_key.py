"""the audit log is keyed (SEC-3): audit_head names the key's id; a log written before the key is sealed by one keyed
entry, and each staff account's PIN digest is logged, so the staff table can be checked against the log (SEC-2)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa

from app.database import audit_chain


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_id', sa.String(length=16), nullable=True))
    # The station's key is made here when it has none: this is the first start of the keyed log.
    audit_chain.seal_unkeyed(op.get_bind())


def downgrade() -> None:
    # The keyed entries stay: an earlier version, which knows only plain hashes, reports them as altered.
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.drop_column('key_id')
