"""social support, conversion grants, loss refunds, deadlines: events, loss claims, municipality accounts

Revision ID: 0002_support
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_support"
down_revision = "0001"
branch_labels = None
depends_on = None

EVENT_KINDS = ("caretaker-hired", "works-started", "conversion-accounts", "support-accounts", "deadline-extension",
               "phase", "tenancy")


def upgrade() -> None:
    with op.batch_alter_table("municipality") as batch:
        batch.add_column(sa.Column("cvr", sa.String(), nullable=True))
        batch.add_column(sa.Column("iban", sa.String(), nullable=True))
    for table in ("payment", "claim"):  # refunds to municipalities belong to no single grant
        with op.batch_alter_table(table) as batch:
            batch.alter_column("grant_id", existing_type=sa.String(), nullable=True)
    with op.batch_alter_table("subsidy_grant") as batch:
        batch.add_column(sa.Column("hire_deadline", sa.Date(), nullable=True))
        batch.add_column(sa.Column("works_deadline", sa.Date(), nullable=True))
    op.create_table(
        "grant_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("grant_id", sa.String(), sa.ForeignKey("subsidy_grant.id"), nullable=False, index=True),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("on_date", sa.Date()),
        sa.Column("until_date", sa.Date()),
        sa.Column("other_date", sa.Date()),
        sa.Column("end_date", sa.Date()),
        sa.Column("hire_deadline", sa.Date()),
        sa.Column("works_deadline", sa.Date()),
        sa.Column("year", sa.Integer()),
        sa.Column("amount", sa.BigInteger()),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("department.id")),
        sa.Column("dwelling_id", sa.Integer(), sa.ForeignKey("dwelling.id")),
        sa.Column("unit", sa.Integer()),
        sa.Column("flag", sa.String()),
        sa.Column("reference", sa.String()),
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("intake_file.id"), nullable=False),
        sa.CheckConstraint(f"kind IN {EVENT_KINDS}", name="event_kind_known"),
    )
    op.create_table(
        "loss_claim",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("municipality_code", sa.String(), sa.ForeignKey("municipality.code"), nullable=False, index=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("auditor_statement", sa.String(), nullable=False),
        sa.Column("dwellings", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), sa.ForeignKey("intake_file.id"), nullable=False),
    )
    op.create_table(
        "loss_line",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("claim_id", sa.Integer(), sa.ForeignKey("loss_claim.id"), nullable=False, index=True),
        sa.Column("grant_id", sa.String(), sa.ForeignKey("subsidy_grant.id"), nullable=False),
        sa.Column("dwelling_id", sa.Integer(), sa.ForeignKey("dwelling.id"), nullable=False),
        sa.Column("moved_out", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("reason IN ('tenant-unable-to-pay', 'arrears', 'inspection-deadline-missed')",
                           name="loss_reason_known"),
    )


def downgrade() -> None:
    op.drop_table("loss_line")
    op.drop_table("loss_claim")
    op.drop_table("grant_event")
    with op.batch_alter_table("subsidy_grant") as batch:
        batch.drop_column("works_deadline")
        batch.drop_column("hire_deadline")
    with op.batch_alter_table("municipality") as batch:
        batch.drop_column("iban")
        batch.drop_column("cvr")
    for table in ("payment", "claim"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column("grant_id", existing_type=sa.String(), nullable=False)
