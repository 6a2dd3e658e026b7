"""decisions: the paying authority's decisions on grants, claims and reserves (issue 13; docs/intake.md)

Revision ID: 0006_decision
Revises: 0005_recipient_change

`decision` is append-only (a superseding decision is a new row); departments and dwellings a grant change adds name
the decision that added them.
"""
import sqlalchemy as sa
from alembic import op

from disbursement.store.triggers import append_only

revision = "0006_decision"
down_revision = "0005_recipient_change"
branch_labels = None
depends_on = None

KINDS = ("transfer", "grant-change", "reduction", "stop", "resume", "repayment", "late-claim", "cohort-reserve",
         "lapse")


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_ref", sa.String(), nullable=False, index=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("decided", sa.Date(), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("grant_id", sa.String(), sa.ForeignKey("subsidy_grant.id"), nullable=True, index=True),
        sa.Column("support", sa.String(), nullable=True),
        sa.Column("percent", sa.Numeric(5, 2), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("cohort", sa.Integer(), nullable=True),
        sa.Column("municipality_code", sa.String(), sa.ForeignKey("municipality.code"), nullable=True),
        sa.Column("organisation_cvr", sa.String(), sa.ForeignKey("organisation.cvr"), nullable=True),
        sa.Column("action", sa.String(), nullable=True),
        sa.Column("duration_years", sa.Integer(), nullable=True),
        sa.Column("support_hours_per_week", sa.Numeric(8, 2), nullable=True),
        sa.Column("social_support_annual", sa.BigInteger(), nullable=True),
        sa.Column("social_support_price_year", sa.Integer(), nullable=True),
        sa.Column("conversion_amount", sa.BigInteger(), nullable=True),
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("intake_file.id"), nullable=False),
        sa.CheckConstraint(f"kind IN {KINDS}", name="decision_kind_known"),
    )
    for table in ("department", "dwelling"):  # batch: SQLite adds a foreign key only by copying the table
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("decision_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(f"{table}_decision_id_fkey", "decision", ["decision_id"], ["id"])
    append_only("decision")


def downgrade() -> None:
    for table in ("dwelling", "department"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("decision_id")
    op.drop_table("decision")
