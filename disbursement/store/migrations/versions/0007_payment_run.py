"""payment runs: each journal's pain.001 file generated once, approved and released by two operators (issue 14)

Revision ID: 0007_payment_run
Revises: 0006_decision
"""
import sqlalchemy as sa
from alembic import op

from disbursement.store.triggers import append_only

revision = "0007_payment_run"
down_revision = "0006_decision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(), nullable=False, unique=True),
        sa.Column("journal_id", sa.Integer(), sa.ForeignKey("journal.id"), nullable=False, unique=True),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("generated_on", sa.Date(), nullable=False),
        sa.Column("generated_at", sa.DateTime(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "payment_run_action",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("payment_run.id"), nullable=False, index=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("operator", sa.String(), nullable=False),
        sa.Column("database_user", sa.String(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.UniqueConstraint("run_id", "action"),
        sa.CheckConstraint("action IN ('approved', 'released')", name="run_action_known"),
    )
    append_only("payment_run")
    append_only("payment_run_action")


def downgrade() -> None:
    op.drop_table("payment_run_action")
    op.drop_table("payment_run")
