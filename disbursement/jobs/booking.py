"""Book a job's target lines as the difference from what earlier runs of the same job and date booked.

A job computes, from stored inputs alone, what each of its lines should amount to. Booking compares that target
with the postings already made for the line and writes one new journal with only the differences, so a re-run with
unchanged inputs writes nothing and a corrected input writes correcting entries; history is never rewritten.
Money already sent cannot be unsent: a negative difference in payment becomes a collection claim.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from ..config import AuthorityAccounts
from ..money import ZERO
from ..rules.rent_subsidy import settle
from ..store.tables import Claim, Journal, Payment, Posting

PAYMENT, CLAIM = "payment", "claim"


@dataclass(frozen=True)
class Line:
    """What one job owes one recipient for one department (or organisation), split into expense components."""

    key: str
    support: str
    grant_id: str
    department_id: int | None
    recipient_cvr: str
    value_date: date
    claim_due: date
    expense_account: str
    recipient_account: str
    recipient_note: str | None
    recipient_book: str
    components: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.components.values(), ZERO)


@dataclass
class BookingResult:
    journal: Journal | None = None
    lines_changed: int = 0
    paid: Decimal = ZERO
    claimed: Decimal = ZERO


def _booked(session: Session, job: str, job_date: date):
    """Sums already booked for this job and date: expense per (line, component), payments and claims per line."""
    journals = select(Journal.id).where(Journal.job == job, Journal.job_date == job_date)
    components: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for line, component, amount in session.exec(
        select(Posting.line, Posting.component, func.sum(Posting.amount))
        .where(Posting.journal_id.in_(journals), Posting.component.not_in((PAYMENT, CLAIM)))
        .group_by(Posting.line, Posting.component)
    ):
        components[line][component] = amount
    return components, _sums_by_line(session, Payment, journals), _sums_by_line(session, Claim, journals)


def _sums_by_line(session: Session, table, journals) -> dict[str, Decimal]:
    query = select(table.line, func.sum(table.amount)).where(table.journal_id.in_(journals)).group_by(table.line)
    return {line: amount for line, amount in session.exec(query)}


def book_lines(
    session: Session, job: str, job_date: date, job_run_id: int, lines: list[Line], accounts: AuthorityAccounts,
    description: str,
) -> BookingResult:
    """Write one journal holding every difference between `lines` and what is booked; none if nothing differs.

    A job emits a line for every department it covers, zero or not, so a line booked earlier is never missing.
    """
    booked_components, booked_paid, booked_claimed = _booked(session, job, job_date)
    targets = {line.key: line for line in lines}
    result = BookingResult()
    postings: list[Posting] = []
    payments: list[Payment] = []
    claims: list[Claim] = []
    missing = set(booked_components) - set(targets)
    if missing:
        raise AssertionError(f"{job} {job_date}: booked lines missing from the target: {sorted(missing)[:5]}")
    for key in sorted(targets):
        line = targets[key]
        was = booked_components.get(key, {})
        changes = {
            name: line.components.get(name, ZERO) - was.get(name, ZERO)
            for name in sorted(set(line.components) | set(was))
        }
        changes = {name: delta for name, delta in changes.items() if delta}
        target = settle(line.total)
        pay = target.payment - booked_paid.get(key, ZERO)
        claim = target.claim - booked_claimed.get(key, ZERO)
        if pay < 0:  # already sent: the recipient owes it back
            claim, pay = claim - pay, ZERO
        if not changes and not pay and not claim:
            continue
        result.lines_changed += 1
        result.paid += pay
        result.claimed += claim
        postings += [_posting(line, name, line.expense_account, delta) for name, delta in changes.items()]
        if pay:
            postings.append(_posting(line, PAYMENT, accounts.bank, -pay))
            payments.append(Payment(key="", line=key, journal_id=0, support=line.support, recipient_cvr=line.recipient_cvr,
                                    grant_id=line.grant_id, department_id=line.department_id,
                                    value_date=line.value_date, amount=pay))
        if claim:
            postings.append(_posting(line, CLAIM, accounts.collection_claims, claim))
            claims.append(Claim(key="", line=key, journal_id=0, support=line.support, recipient_cvr=line.recipient_cvr,
                                grant_id=line.grant_id, department_id=line.department_id,
                                due_date=line.claim_due, amount=claim))
    if not postings:
        return result
    if sum((p.amount for p in postings), ZERO) != 0:
        raise AssertionError(f"{job} {job_date}: journal does not balance")
    previous = session.exec(
        select(Journal).where(Journal.job == job, Journal.job_date == job_date).order_by(Journal.seq.desc())
    ).first()
    journal = Journal(job=job, job_date=job_date, seq=(previous.seq + 1) if previous else 1, booked_on=job_date,
                      description=description if previous is None else f"correction of {description}",
                      corrects_id=previous.id if previous else None, job_run_id=job_run_id)
    session.add(journal)
    session.flush()
    for row in postings + payments + claims:
        row.journal_id = journal.id
        if isinstance(row, (Payment, Claim)):
            row.key = f"{row.line}#{journal.seq}"
        session.add(row)
    result.journal = journal
    return result


def _posting(line: Line, component: str, account: str, amount: Decimal) -> Posting:
    recipient_side = component not in (PAYMENT, CLAIM)
    return Posting(
        line=line.key, component=component, account=account, amount=amount, grant_id=line.grant_id,
        department_id=line.department_id, recipient_cvr=line.recipient_cvr,
        recipient_account=line.recipient_account if recipient_side else None,
        recipient_note=line.recipient_note if recipient_side else None,
        recipient_book=line.recipient_book if recipient_side else None,
    )
