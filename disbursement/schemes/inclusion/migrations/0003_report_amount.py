"""report amounts: each report's department amounts, kept once computed (docs/performance.md)

Revision ID: 0003_report_amount
Revises: 0002_ledger, 0002_support, 0002_temporary

Joins the three 0002 branches into one head.
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_report_amount"
down_revision = ("0002_ledger", "0002_support", "0002_temporary")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_amount",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("report.id"), nullable=False),
        sa.Column("window_months", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(), nullable=False),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("department.id"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("report_id", "window_months", "basis", "department_id"),
    )


def downgrade() -> None:
    op.drop_table("report_amount")
