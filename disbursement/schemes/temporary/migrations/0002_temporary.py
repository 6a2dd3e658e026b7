"""temporary housing (SPEC 2.8): landlords, sites, temporary dwellings, placements, rents, tenancies and their events

Revision ID: 0002_temporary
Revises: 0001

A branch parallel to 0002_support and 0002_ledger: it only adds tables, so `upgrade heads` applies the branches in
any order.
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_temporary"
down_revision = "0001"
branch_labels = None
depends_on = None

LANDLORD_KINDS = ("municipality", "housing-organisation", "private")
TENANCY_EVENT_KINDS = ("move-out", "lease-extension", "follow-up")


def _file_id() -> sa.Column:
    return sa.Column("file_id", sa.Integer(), sa.ForeignKey("intake_file.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "tmp_landlord",
        sa.Column("cvr", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("iban", sa.String()),
        _file_id(),
        sa.CheckConstraint(f"kind IN {LANDLORD_KINDS}", name="tmp_landlord_kind_known"),
    )
    op.create_table(
        "tmp_site",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("municipality_code", sa.String(), sa.ForeignKey("municipality.code"), nullable=False, index=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("area", sa.String(), nullable=False),
        sa.Column("permission_until", sa.Date(), nullable=False),
        _file_id(),
    )
    op.create_table(
        "tmp_dwelling",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("landlord_cvr", sa.String(), sa.ForeignKey("tmp_landlord.cvr"), nullable=False, index=True),
        sa.Column("movable", sa.Boolean(), nullable=False),
        sa.Column("rooms", sa.Integer(), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=False),
        _file_id(),
    )
    op.create_table(
        "tmp_placement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dwelling_id", sa.String(), sa.ForeignKey("tmp_dwelling.id"), nullable=False, index=True),
        sa.Column("site_id", sa.String(), sa.ForeignKey("tmp_site.id"), nullable=False),
        sa.Column("placed_on", sa.Date(), nullable=False),
        _file_id(),
        sa.UniqueConstraint("dwelling_id", "placed_on"),
    )
    op.create_table(
        "tmp_rent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dwelling_id", sa.String(), sa.ForeignKey("tmp_dwelling.id"), nullable=False, index=True),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("rent", sa.BigInteger(), nullable=False),
        _file_id(),
        sa.UniqueConstraint("dwelling_id", "from_date"),
    )
    op.create_table(
        "tmp_tenancy",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("dwelling_id", sa.String(), sa.ForeignKey("tmp_dwelling.id"), nullable=False, index=True),
        sa.Column("municipality_code", sa.String(), sa.ForeignKey("municipality.code"), nullable=False, index=True),
        sa.Column("person", sa.String(), nullable=False, index=True),
        sa.Column("household_size", sa.Integer(), nullable=False),
        sa.Column("target_group", sa.String(), nullable=False),
        sa.Column("moved_in", sa.Date(), nullable=False),
        sa.Column("lease_end", sa.Date(), nullable=False),
        sa.Column("entry_status", sa.String(), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        _file_id(),
        sa.CheckConstraint("household_size > 0", name="tmp_household_size_positive"),
    )
    op.create_table(
        "tmp_tenancy_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenancy_id", sa.String(), sa.ForeignKey("tmp_tenancy.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("on_date", sa.Date()),
        sa.Column("until_date", sa.Date()),
        sa.Column("destination", sa.String()),
        sa.Column("status", sa.String()),
        sa.Column("flag", sa.String()),
        sa.Column("reference", sa.String()),
        _file_id(),
        sa.CheckConstraint(f"kind IN {TENANCY_EVENT_KINDS}", name="tmp_tenancy_event_kind_known"),
    )


def downgrade() -> None:
    for table in ("tmp_tenancy_event", "tmp_tenancy", "tmp_rent", "tmp_placement", "tmp_dwelling", "tmp_site",
                  "tmp_landlord"):
        op.drop_table(table)
