"""Inclusion housing's stored facts: grants, departments and dwellings (the register), estimate and actuals
reports with their kept department amounts, what happens to a grant after it is given, and municipalities' loss
claims. Append-only like every report: a correction is a new row, and the later one supersedes."""
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from ...store.tables import money


class Grant(SQLModel, table=True):
    """A tilsagn (V 2.2): one organisation, one municipality, departments and dwellings, at most 15 years."""

    __tablename__ = "subsidy_grant"

    id: str = Field(primary_key=True)
    organisation_cvr: str = Field(foreign_key="organisation.cvr", index=True)
    municipality_code: str = Field(foreign_key="municipality.code", index=True)
    grant_date: date
    cohort_year: int
    duration_years: int
    project_start: date | None = None
    support_hours_per_week: Decimal = Field(max_digits=8, decimal_places=2)
    social_support_annual: Decimal = money()
    social_support_price_year: int
    conversion_amount: Decimal = money()
    hire_deadline: date | None = None
    works_deadline: date | None = None
    file_id: int = Field(foreign_key="intake_file.id")


class Department(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("grant_id", "number"),
        CheckConstraint("loan_type IN ('nominal', 'index')", name="loan_type_known"),
    )
    id: int | None = Field(default=None, primary_key=True)
    grant_id: str = Field(foreign_key="subsidy_grant.id", index=True)
    number: str
    name: str
    loan_type: str
    decision_id: int | None = Field(default=None, foreign_key="decision.id")  # added by a grant change (mertilsagn)


class Dwelling(SQLModel, table=True):
    """One dwelling, or `count` identical dwellings of one type."""

    __table_args__ = (UniqueConstraint("grant_id", "ref"), CheckConstraint("count > 0", name="count_positive"))
    id: int | None = Field(default=None, primary_key=True)
    grant_id: str = Field(foreign_key="subsidy_grant.id", index=True)
    department_id: int = Field(foreign_key="department.id", index=True)
    ref: str
    count: int
    area_m2: Decimal = Field(max_digits=10, decimal_places=2)
    rent: Decimal = money()
    subsidy_per_m2: Decimal = Field(max_digits=10, decimal_places=2)
    price_year: int
    decision_id: int | None = Field(default=None, foreign_key="decision.id")  # added by a grant change (mertilsagn)


class Report(SQLModel, table=True):
    """An estimate or actuals report for one grant and year. A later one supersedes, both are kept."""

    __table_args__ = (CheckConstraint("kind IN ('estimate', 'actuals')", name="report_kind_known"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    grant_id: str = Field(foreign_key="subsidy_grant.id", index=True)
    year: int
    received: date
    auditor_statement: str | None = None
    file_id: int = Field(foreign_key="intake_file.id")


class ReportLine(SQLModel, table=True):
    __tablename__ = "report_line"
    __table_args__ = (UniqueConstraint("report_id", "dwelling_id"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    dwelling_id: int = Field(foreign_key="dwelling.id")
    months: int
    non_eligible_months: int = 0
    vacant_months: int = 0


class ReportAmount(SQLModel, table=True):
    """A report's amount per department (Σ eligible months x monthly rate, SPEC 2.3), kept once computed so that a
    year's four terms and its reconciliation do not each revalue every dwelling (docs/performance.md).

    Derived, never edited: the report and the register are immutable, and `window_months` and `basis` (a digest of
    the index table and the version of the arithmetic) name the rest of what the amount depends on, so a changed
    input is a different key and is computed afresh.
    """

    __tablename__ = "report_amount"
    __table_args__ = (UniqueConstraint("report_id", "window_months", "basis", "department_id"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id")
    window_months: int
    basis: str
    department_id: int = Field(foreign_key="department.id")
    amount: Decimal = money()


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


DECISION_KINDS = ("transfer", "grant-change", "reduction", "stop", "resume", "repayment", "late-claim",
                  "cohort-reserve", "lapse")


class Decision(SQLModel, table=True):
    """One decision of the paying authority (docs/intake.md "Decisions"); which columns are used depends on `kind`.

    Append-only: a later decision of the same case supersedes an earlier one from its own effective date, and
    both are kept (rules.decisions). Master-data decisions are the engine's (store.tables.RecipientChange).
    """

    __table_args__ = (CheckConstraint(f"kind IN {DECISION_KINDS}", name="decision_kind_known"),)
    id: int | None = Field(default=None, primary_key=True)
    case_ref: str = Field(index=True)
    kind: str
    decided: date
    effective: date
    received: date
    grant_id: str | None = Field(default=None, foreign_key="subsidy_grant.id", index=True)
    support: str | None = None  # reduction, stop, resume, lapse (limit)
    percent: Decimal | None = Field(default=None, max_digits=5, decimal_places=2)
    amount: Decimal | None = money(default=None)  # reduction (annual), repayment (offset part), cohort reserve
    year: int | None = None  # repayment, late claim
    cohort: int | None = None
    municipality_code: str | None = Field(default=None, foreign_key="municipality.code")
    organisation_cvr: str | None = Field(default=None, foreign_key="organisation.cvr")  # transfer to
    action: str | None = None  # lapse: waive or limit; repayment: collect, offset or offset-part
    duration_years: int | None = None  # grant change
    support_hours_per_week: Decimal | None = Field(default=None, max_digits=8, decimal_places=2)
    social_support_annual: Decimal | None = money(default=None)
    social_support_price_year: int | None = None
    conversion_amount: Decimal | None = money(default=None)
    file_id: int = Field(foreign_key="intake_file.id")
