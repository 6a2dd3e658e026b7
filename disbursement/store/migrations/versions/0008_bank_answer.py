"""bank answers: pain.002 and camt.054 per payment, and the re-issue of a rejected or returned payment (issue 14)

Revision ID: 0008_bank_answer
Revises: 0007_payment_run
"""
import sqlalchemy as sa
from alembic import op

from disbursement.store.triggers import append_only

revision = "0008_bank_answer"
down_revision = "0007_payment_run"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bank_answer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("payment_id", sa.Integer(), sa.ForeignKey("payment.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("booking_date", sa.Date(), nullable=True),
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("intake_file.id"), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.UniqueConstraint("payment_id", "kind"),
        sa.CheckConstraint("kind IN ('accepted', 'rejected', 'executed', 'returned')", name="answer_kind_known"),
    )
    append_only("bank_answer")
    # a column added to an append-only table: its rows are never updated, new ones may name what they re-issue
    with op.batch_alter_table("payment", recreate="never") as batch:
        batch.add_column(sa.Column("reissue_of", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("payment", recreate="never") as batch:
        batch.drop_column("reissue_of")
    op.drop_table("bank_answer")
