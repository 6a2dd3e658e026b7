"""master data through time: a party's name, address and account from a date, by decision (issue 13)

Revision ID: 0005_recipient_change
Revises: 0004_balance_once

Append-only like the ledger: a changed account is a new row that takes effect from its date, never an update of
the register, so a payment file written before it is written again byte for byte.
"""
import sqlalchemy as sa
from alembic import op

from disbursement.store.triggers import append_only

revision = "0005_recipient_change"
down_revision = "0004_balance_once"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recipient_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_ref", sa.String(), nullable=False, index=True),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("party_id", sa.String(), nullable=False, index=True),
        sa.Column("decided", sa.Date(), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("iban", sa.String(), nullable=True),
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("intake_file.id"), nullable=False),
        sa.CheckConstraint("party IN ('organisation', 'municipality', 'landlord')", name="party_known"),
    )
    append_only("recipient_change")


def downgrade() -> None:
    op.drop_table("recipient_change")
