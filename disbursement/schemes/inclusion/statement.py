"""Statement for one recipient and year: what each grant's departments were paid on account, what they were
entitled to, the difference, how it was set off against the settlement term (Q2) of the next year, and the
collection claims that came of it (V 2.5.2), read from the ledger as booked, corrections included.

Where the figures come from (jobs/aconto.py books them):
- on-account paid for Y: the `instalment` postings of the `aconto` journals of Y's payment terms;
- difference D for Y: the `reconciliation Y` postings, booked with the settlement term of Y+1;
- entitlement E = on-account paid + D (V 2.5.2: D = E - on-account paid); unknown until Y is reconciled;
- Q2 offset: the part of D set off against the settlement-term instalment (a deduction never takes it below 0);
- Q2 paid and claims: the payments and collection claims of the settlement-term line, corrections included;
  pending (None) until the settlement term has run.
statement_formats.py renders it as text, CSV and HTML.
A grant transferred to another organisation (a decision, V 2.4) shows on both organisations' statements: the rent
subsidy's reconciliation is the grant's, the money paid and claimed each organisation's own.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ...engine.banking_days import payment_terms
from ...config import Config
from .settings import settings_of
from ...money import ZERO
from ...store.tables import Claim, IntakeFile, JobRun, Journal, Municipality, Organisation, Payment, Posting
from ...ledger.journals import Recipient, load_recipients
from .flags import decisions_on
from .tables import Decision, Department, Grant, Report
from ...ledger.errors import LedgerInputError, require_fiscal_year

RENT_JOB = "aconto"
INSTALMENT = "instalment"


def reconciliation_component(year: int) -> str:
    return f"reconciliation {year}"


@dataclass(frozen=True)
class DepartmentStatement:
    number: str
    name: str
    on_account: Decimal
    difference: Decimal | None
    # the settlement term's figures: None until that term has run
    settlement_instalment: Decimal | None
    settlement_paid: Decimal | None
    claims: Decimal | None

    @property
    def entitlement(self) -> Decimal | None:
        return None if self.difference is None else self.on_account + self.difference

    @property
    def offset(self) -> Decimal | None:
        """D as set off against the settlement term: a deduction takes the instalment at most to zero (D is known
        only once that term has run)."""
        if self.difference is None or self.settlement_instalment is None:
            return None
        return max(self.difference, -self.settlement_instalment)


@dataclass(frozen=True)
class GrantStatement:
    grant_id: str
    municipality: str
    departments: tuple[DepartmentStatement, ...]
    other_payments: dict[str, Decimal] = field(default_factory=dict)
    other_claims: dict[str, Decimal] = field(default_factory=dict)
    decisions: tuple = ()  # the authority's decisions on the grant with their days in force (flags.decisions_on)
    transferred: bool = False  # by a decision: the money columns are this organisation's, the rest the grant's

    @property
    def reconciled(self) -> bool:
        return all(d.difference is not None for d in self.departments)


@dataclass(frozen=True)
class Statement:
    """One recipient's statement for `year`: its master data and history, and each grant's figures; the year's
    differences are settled with the next year's settlement term (Q2), paid on `settlement_date`."""
    recipient: Recipient  # as registered, with its master-data changes (Recipient.history)
    year: int
    settlement_date: date
    grants: tuple[GrantStatement, ...]


def _sum(rows) -> dict:
    totals: dict = {}
    for key, amount in rows:
        totals[key] = totals.get(key, ZERO) + amount
    return totals


def recipient_statement(session: Session, config: Config, cvr: str, year: int) -> Statement:
    if session.get(Organisation, cvr) is None:
        raise LedgerInputError(f"statement: no housing organisation with CVR {cvr} in the register")
    settlement = payment_terms(year + 1, config.terms)[settings_of(config).reporting.reconciliation_term - 1]
    terms = payment_terms(year, config.terms)
    settled_at = session.exec(select(func.max(JobRun.started_at)).where(
        JobRun.job == RENT_JOB, JobRun.job_date == settlement, JobRun.outcome == "ok")).first()
    statements = []
    transferred = select(Decision.grant_id).where(Decision.kind == "transfer", Decision.organisation_cvr == cvr)
    for grant in session.exec(select(Grant).where(or_(Grant.organisation_cvr == cvr, Grant.id.in_(transferred)))
                              .order_by(Grant.id)):
        municipality = session.get(Municipality, grant.municipality_code)
        departments = list(session.exec(select(Department).where(Department.grant_id == grant.id)
                                        .order_by(Department.number)))
        rent = (select(Posting.department_id, Posting.amount).join(Journal, Journal.id == Posting.journal_id)
                .where(Journal.job == RENT_JOB, Posting.grant_id == grant.id))
        on_account = _sum(session.exec(rent.where(Posting.component == INSTALMENT, Journal.job_date.in_(terms))))
        settlement_instalment = _sum(session.exec(rent.where(Posting.component == INSTALMENT,
                                                             Journal.job_date == settlement)))
        differences = _sum(session.exec(rent.where(Posting.component == reconciliation_component(year))))
        # A zero difference books nothing: the year is reconciled when the settlement term ran with its actuals
        settled_with_actuals = _actuals_loaded_by(session, grant.id, year, settled_at)
        # money is this recipient's: a transferred grant paid the other organisation before or after the transfer
        paid = _sum(session.exec(select(Payment.department_id, Payment.amount).where(
            Payment.grant_id == grant.id, Payment.recipient_cvr == cvr, Payment.support == "rent_subsidy",
            Payment.value_date == settlement)))
        claimed = _sum(session.exec(select(Claim.department_id, Claim.amount).where(
            Claim.grant_id == grant.id, Claim.recipient_cvr == cvr, Claim.support == "rent_subsidy",
            Claim.due_date == settlement)))
        other_paid = _sum(session.exec(select(Payment.support, Payment.amount).where(
            Payment.grant_id == grant.id, Payment.recipient_cvr == cvr, Payment.support != "rent_subsidy",
            Payment.value_date >= date(year, 1, 1), Payment.value_date <= date(year, 12, 31))))
        other_claimed = _sum(session.exec(select(Claim.support, Claim.amount).where(
            Claim.grant_id == grant.id, Claim.recipient_cvr == cvr, Claim.support != "rent_subsidy",
            Claim.due_date >= date(year, 1, 1), Claim.due_date <= date(year, 12, 31))))
        statements.append(GrantStatement(
            grant_id=grant.id,
            municipality=f"{municipality.name} ({municipality.code})" if municipality else grant.municipality_code,
            departments=tuple(DepartmentStatement(
                number=d.number, name=d.name, on_account=on_account.get(d.id, ZERO),
                difference=differences.get(d.id, ZERO if settled_with_actuals else None),
                settlement_instalment=settlement_instalment.get(d.id, ZERO) if settled_at else None,
                settlement_paid=paid.get(d.id, ZERO) if settled_at else None,
                claims=claimed.get(d.id, ZERO) if settled_at else None,
            ) for d in departments),
            other_payments=dict(sorted(other_paid.items())), other_claims=dict(sorted(other_claimed.items())),
            decisions=tuple(decisions_on(session, date.max, grant.id)),
            transferred=session.exec(select(Decision.id).where(
                Decision.grant_id == grant.id, Decision.kind == "transfer")).first() is not None,
        ))
    return Statement(load_recipients(session, config)[cvr], year, settlement, tuple(statements))


def _actuals_loaded_by(session: Session, grant_id: str, year: int, settled_at) -> bool:
    """Whether actuals of `year` for the grant were loaded before the settlement term last ran (`settled_at`)."""
    if settled_at is None:
        return False
    return session.exec(select(Report.id).join(IntakeFile, IntakeFile.id == Report.file_id).where(
        Report.kind == "actuals", Report.grant_id == grant_id, Report.year == year,
        IntakeFile.loaded_at <= settled_at)).first() is not None


def read_statement(engine: Engine, config: Config, cvr: str, year: int) -> Statement:
    with Session(engine) as session:
        return recipient_statement(session, config, cvr, require_fiscal_year(year))
