"""What happens to a grant after it is given, and municipalities' loss claims. Append-only like the reports."""
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from .tables import money

EVENT_KINDS = ("caretaker-hired", "works-started", "conversion-accounts", "support-accounts", "deadline-extension",
               "phase", "tenancy")


class GrantEvent(SQLModel, table=True):
    """One event of an `events` file; which columns are used depends on `kind` (docs/intake.md)."""

    __tablename__ = "grant_event"
    __table_args__ = (CheckConstraint(f"kind IN {EVENT_KINDS}", name="event_kind_known"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    grant_id: str = Field(foreign_key="subsidy_grant.id", index=True)
    received: date
    on_date: date | None = None  # hired, works started, completed, phase from, moved in
    until_date: date | None = None  # phase to, lease ends
    other_date: date | None = None  # extension decided to (tenancy)
    end_date: date | None = None  # moved out (tenancy)
    hire_deadline: date | None = None
    works_deadline: date | None = None
    year: int | None = None
    amount: Decimal | None = money(default=None)
    department_id: int | None = Field(default=None, foreign_key="department.id")
    dwelling_id: int | None = Field(default=None, foreign_key="dwelling.id")
    unit: int | None = None
    flag: str | None = None  # phase kind 'in'/'out'; tenancy eligible 'true'/'false'
    reference: str | None = None  # auditor statement or decision
    file_id: int = Field(foreign_key="intake_file.id")


class LossClaim(SQLModel, table=True):
    """A municipality's claim for refund of move-out losses in one calendar year (V 2.5.4)."""

    __tablename__ = "loss_claim"
    id: int | None = Field(default=None, primary_key=True)
    municipality_code: str = Field(foreign_key="municipality.code", index=True)
    year: int
    received: date
    auditor_statement: str
    dwellings: int
    file_id: int = Field(foreign_key="intake_file.id")


class LossLine(SQLModel, table=True):
    __tablename__ = "loss_line"
    __table_args__ = (
        CheckConstraint("reason IN ('tenant-unable-to-pay', 'arrears', 'inspection-deadline-missed')",
                        name="loss_reason_known"),
    )
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="loss_claim.id", index=True)
    grant_id: str = Field(foreign_key="subsidy_grant.id")
    dwelling_id: int = Field(foreign_key="dwelling.id")
    moved_out: date
    reason: str
    amount: Decimal = money()
