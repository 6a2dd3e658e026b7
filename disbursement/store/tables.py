"""The stored facts. Reports, journals, postings, payments and claims are append-only: a correction is a new row."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from .money_type import Money


def money(**kw):
    return Field(sa_type=Money, **kw)


class IntakeFile(SQLModel, table=True):
    """The original of every loaded file, byte for byte, with its checksum (SPEC 5: originals archived)."""

    __tablename__ = "intake_file"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    sha256: str = Field(unique=True)
    doc_type: str
    loaded_at: datetime
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Organisation(SQLModel, table=True):
    cvr: str = Field(primary_key=True)
    name: str
    iban: str | None = None
    file_id: int = Field(foreign_key="intake_file.id")


class Municipality(SQLModel, table=True):
    code: str = Field(primary_key=True)
    name: str
    cvr: str | None = None
    iban: str | None = None
    file_id: int = Field(foreign_key="intake_file.id")


class RecipientChange(SQLModel, table=True):
    """A master-data decision: a party's name, address or payment account from `effective` on (issue 13).

    The register row keeps what was registered first; payments with a value date from `effective` on use the change
    (ledger.journals.Recipient.on). A later decision of the same case supersedes it from its own effective date.
    Append-only, like every decision."""

    __tablename__ = "recipient_change"
    id: int | None = Field(default=None, primary_key=True)
    case_ref: str = Field(index=True)
    party: str  # organisation, municipality or landlord
    party_id: str = Field(index=True)  # CVR, or a municipality's code
    decided: date
    effective: date
    received: date
    name: str | None = None
    address: str | None = None
    iban: str | None = None
    file_id: int = Field(foreign_key="intake_file.id")

    def changed(self) -> list[tuple[str, str]]:
        """What the decision changes, as (field, value), in the order name, address, iban."""
        return [(field, value) for field, value in (("name", self.name), ("address", self.address),
                                                    ("iban", self.iban)) if value is not None]


class JobRun(SQLModel, table=True):
    """One execution of one job for one date; `nightly` runs a due job once it has a successful run."""

    __tablename__ = "job_run"
    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(index=True)
    job_date: date = Field(index=True)
    started_at: datetime
    finished_at: datetime
    fingerprint: str
    outcome: str
    summary: str


class Journal(SQLModel, table=True):
    """A balanced set of postings written by one job run; a correction links to the journal it corrects."""

    __table_args__ = (UniqueConstraint("job", "job_date", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    job: str
    job_date: date
    seq: int
    booked_on: date
    description: str
    corrects_id: int | None = Field(default=None, foreign_key="journal.id")
    corrects_year: int | None = None  # set when the job date lies in a closed year: booked_on is then in the open period
    job_run_id: int = Field(foreign_key="job_run.id")


class Posting(SQLModel, table=True):
    """Debit positive, credit negative. `line` and `component` tie the amount to the job line it books."""

    id: int | None = Field(default=None, primary_key=True)
    journal_id: int = Field(foreign_key="journal.id", index=True)
    line: str = Field(index=True)
    component: str
    account: str
    amount: Decimal = money()
    grant_id: str | None = Field(default=None, foreign_key="subsidy_grant.id")
    department_id: int | None = Field(default=None, foreign_key="department.id")
    recipient_cvr: str | None = None
    recipient_account: str | None = None
    recipient_note: str | None = None
    recipient_book: str | None = None


class Payment(SQLModel, table=True):
    """Money to be sent. `key` is the idempotency key: the database refuses a second payment with it."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    line: str = Field(index=True)
    journal_id: int = Field(foreign_key="journal.id")
    support: str
    recipient_cvr: str  # CVR of a housing organisation; municipality code for loss refunds
    grant_id: str | None = Field(default=None, foreign_key="subsidy_grant.id")
    department_id: int | None = Field(default=None, foreign_key="department.id")
    value_date: date = Field(index=True)
    amount: Decimal = money()
    reissue_of: int | None = None  # the id of the rejected or returned payment this one pays again


class Claim(SQLModel, table=True):
    """A collection claim on a recipient (V 2.5.2: a deduction beyond the Q2 payment)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    line: str = Field(index=True)
    journal_id: int = Field(foreign_key="journal.id")
    support: str
    recipient_cvr: str  # CVR of a housing organisation; municipality code for loss refunds
    grant_id: str | None = Field(default=None, foreign_key="subsidy_grant.id")
    department_id: int | None = Field(default=None, foreign_key="department.id")
    due_date: date
    amount: Decimal = money()


class FiscalYearClose(SQLModel, table=True):
    """A closed fiscal year: nothing is booked in it again (the database refuses), corrections land in the open
    period with `journal.corrects_year` (SPEC 1). Written once by `close-year`, with the year's totals at closing."""

    __tablename__ = "fiscal_year_close"
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    closed_on: date
    journals: int
    total_debit: Decimal = money()


class PaymentRun(SQLModel, table=True):
    """The payments of one journal as one pain.001 file for transmission, generated once (issue 14): its bytes and
    SHA-256 are kept, so approval binds to exactly these bytes and a re-written file is identical. Append-only."""

    __tablename__ = "payment_run"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # the journal's key, e.g. 'aconto/2019-06-28/1'
    journal_id: int = Field(foreign_key="journal.id", unique=True)
    file_name: str
    generated_on: date  # no requested execution date in the file is before it
    generated_at: datetime
    sha256: str
    transactions: int
    total: Decimal = money()
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class PaymentRunAction(SQLModel, table=True):
    """Who approved or released a payment run, when, and the SHA-256 of the file they acted on. One of each per run
    (the database refuses a second): four eyes, and a run released once. Append-only."""

    __tablename__ = "payment_run_action"
    __table_args__ = (UniqueConstraint("run_id", "action"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="payment_run.id", index=True)
    action: str  # approved or released
    operator: str  # the OS login (or --as where the config allows it)
    database_user: str | None = None  # the database's session_user, where it has roles (PostgreSQL)
    at: datetime
    sha256: str


UNPAID_ANSWERS = ("rejected", "returned")  # the bank did not pay it: the payment is paid again (engine/booking.py)


class BankAnswer(SQLModel, table=True):
    """What the bank said of one payment (pain.002 accepted/rejected, camt.054 executed/returned), from a loaded
    file. One answer of each kind per payment (the database refuses a second). Append-only."""

    __tablename__ = "bank_answer"
    __table_args__ = (UniqueConstraint("payment_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", index=True)
    kind: str  # accepted, rejected, executed or returned
    reason: str | None = None  # e.g. 'AC04 closed account'
    booking_date: date | None = None
    file_id: int = Field(foreign_key="intake_file.id")
    line: int
