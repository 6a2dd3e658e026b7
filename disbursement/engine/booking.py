"""Book a job's target lines as the difference from what is already booked on them.

A job computes, from stored inputs alone, what each of its lines should amount to. Booking compares that target
with the postings already made for the line and writes one new journal with only the differences, so a re-run with
unchanged inputs writes nothing and a corrected input writes correcting entries; history is never rewritten.
Money already sent cannot be unsent: a negative difference in payment becomes a collection claim.
A line is one obligation (its key names it); a re-run for an earlier date leaves alone a line that a run for a
later date has booked since.
What a line pays is owed to the recipient (the payable) until the bank debits it (bank/settlement.py books that);
job dates before the configured `payment_runs_from` were paid outside and book it on the bank at once.
A payment the bank rejected or returned (bank/intake.py) no longer counts as paid: the next booking of its line
cancels what it owed (component 'returned KEY') and pays it again, once, as a new payment that names the one it
re-issues.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from ..config import Config
from ..ledger.closing import open_booking_date
from ..ledger.invariants import CLAIM, PAYMENT, RETURNED, REVERSED, SETTLED, SETTLEMENT, is_expense, require_balanced
from ..money import ZERO
from ..store.bulk import insert_rows
from ..store.tables import UNPAID_ANSWERS, BankAnswer, Claim, Journal, Payment, Posting

@dataclass(frozen=True)
class Settlement:
    """What one line pays and what it turns into a collection claim."""

    payment: Decimal
    claim: Decimal


def settle(amount_due: Decimal) -> Settlement:
    """A line pays what is due; a negative amount pays 0 and becomes a collection claim (V 2.5.2): money paid out
    is never "unpaid"."""
    if amount_due >= 0:
        return Settlement(payment=amount_due, claim=ZERO)
    return Settlement(payment=ZERO, claim=-amount_due)


@dataclass(frozen=True)
class Line:
    """What one job owes one recipient for one department (or organisation), split into expense components."""

    key: str
    support: str
    grant_id: str | None
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

    def fingerprint_input(self) -> str:
        """The line as the run's inputs fingerprint sees it (JobReport.fingerprint)."""
        return f"{self.key}={sorted(self.components.items())}"


@dataclass
class BookingResult:
    journal: Journal | None = None
    lines_changed: int = 0
    paid: Decimal = ZERO
    claimed: Decimal = ZERO


def _booked(session: Session, keys: list[str]):
    """Sums already booked on these lines, by any run of any job: expense per (line, component), payments (less the
    ones the bank rejected or returned) and claims per line; the bank's settlements of its payments are not the
    job's. A line key names one obligation, so whichever run booked it first, no other books it again."""
    components: dict[str, dict[str, Decimal]] = defaultdict(dict)
    paid: dict[str, Decimal] = {}
    claimed: dict[str, Decimal] = {}
    numbered: dict[str, int] = defaultdict(int)  # payments and claims a line has: the next is numbered after them
    last_booked: dict[str, date] = {}
    reopened: dict[str, list[tuple[int, str, Decimal]]] = defaultdict(list)
    for chunk in (keys[i:i + 500] for i in range(0, len(keys), 500)):
        last_booked.update({line: day for line, day in session.exec(
            select(Posting.line, func.max(Journal.job_date)).join(Journal, Journal.id == Posting.journal_id)
            .where(Posting.line.in_(chunk), Journal.job != SETTLEMENT).group_by(Posting.line)
        )})
        for line, component, amount in session.exec(
            select(Posting.line, Posting.component, func.sum(Posting.amount))
            .where(Posting.line.in_(chunk), Posting.component.not_in((PAYMENT, CLAIM)),
                   ~Posting.component.like(f"{SETTLED} %"), ~Posting.component.like(f"{REVERSED} %"))
            .group_by(Posting.line, Posting.component)
        ):
            components[line][component] = amount
        for table, sums in ((Payment, paid), (Claim, claimed)):
            for line, amount, count in session.exec(select(table.line, func.sum(table.amount), func.count())
                                                    .where(table.line.in_(chunk)).group_by(table.line)):
                sums[line] = amount
                numbered[line] += count
        for payment_id, line, key, amount in session.exec(
            select(Payment.id, Payment.line, Payment.key, Payment.amount).where(
                Payment.line.in_(chunk), Payment.id.in_(select(BankAnswer.payment_id).where(
                    BankAnswer.kind.in_(UNPAID_ANSWERS))))
        ):
            paid[line] -= amount
            if f"{RETURNED} {key}" not in components[line]:
                reopened[line].append((payment_id, key, amount))
    return components, paid, claimed, last_booked, reopened, numbered


def book_lines(
    session: Session, job: str, job_date: date, job_run_id: int, lines: list[Line], config: Config, description: str,
) -> BookingResult:
    """Write one journal holding every difference between `lines` and what is booked; none if nothing differs.

    A job emits a line for every department it covers, zero or not, so a line booked earlier is never missing.
    """
    targets = {line.key: line for line in lines}
    paid_from = config.payment_account(job_date)
    booked_components, booked_paid, booked_claimed, last_booked, reopened, numbered = _booked(session, sorted(targets))
    result = BookingResult()
    # Plain rows, bulk-inserted after the journal: one ORM object per posting was a large part of a job's time at
    # national scale (docs/performance.md).
    postings: list[dict] = []
    payments: list[dict] = []
    claims: list[dict] = []
    earlier = select(Journal.id).where(Journal.job == job, Journal.job_date == job_date)
    missing = set(session.exec(select(Posting.line).where(Posting.journal_id.in_(earlier)).distinct())) - set(targets)
    if missing:
        raise AssertionError(f"{job} {job_date}: booked lines missing from the target: {sorted(missing)[:5]}")
    for key in sorted(targets):
        line = targets[key]
        if last_booked.get(key, job_date) > job_date:
            continue  # a run for a later date has booked this line since: it knew more than this one
        was = booked_components.get(key, {})
        changes = {
            name: line.components.get(name, ZERO) - was.get(name, ZERO)
            for name in sorted(set(line.components) | set(was)) if not name.startswith(RETURNED)
        }
        changes = {name: delta for name, delta in changes.items() if delta}
        target = settle(line.total)
        pay = target.payment - booked_paid.get(key, ZERO)
        claim = target.claim - booked_claimed.get(key, ZERO)
        if pay < 0:  # already sent: the recipient owes it back
            claim, pay = claim - pay, ZERO
        if not changes and not pay and not claim and not reopened.get(key):
            continue
        result.lines_changed += 1
        result.paid += pay
        result.claimed += claim
        postings += [_posting(line, name, line.expense_account, delta) for name, delta in changes.items()]
        # a rejected or returned payment no longer settles what the line owes: booked once, with its key
        postings += [_posting(line, f"{RETURNED} {payment_key}", paid_from, amount)
                     for _, payment_key, amount in reopened.get(key, ())]
        if pay:
            postings.append(_posting(line, PAYMENT, paid_from, -pay))
            payments.append(dict(line=key, support=line.support, recipient_cvr=line.recipient_cvr,
                                 grant_id=line.grant_id, department_id=line.department_id,
                                 value_date=line.value_date, amount=pay,
                                 reissue_of=reopened[key][0][0] if reopened.get(key) else None))
        if claim:
            postings.append(_posting(line, CLAIM, config.accounts.collection_claims, claim))
            claims.append(dict(line=key, support=line.support, recipient_cvr=line.recipient_cvr,
                               grant_id=line.grant_id, department_id=line.department_id,
                               due_date=line.claim_due, amount=claim))
    if not postings:
        return result
    require_balanced((p["amount"] for p in postings), f"{job} {job_date}")
    journal = new_journal(session, job, job_date, job_run_id, description, corrects_earlier=True)
    for row in postings:
        row["journal_id"] = journal.id
    for row in payments + claims:  # a line's payments and claims are numbered 1, 2, ... in booking order: line#n
        numbered[row["line"]] += 1
        row["journal_id"] = journal.id
        row["key"] = f"{row['line']}#{numbered[row['line']]}"
    for table, rows in ((Posting, postings), (Payment, payments), (Claim, claims)):
        insert_rows(session, table, rows)
    result.journal = journal
    return result


def new_journal(session: Session, job: str, job_date: date, job_run_id: int, description: str,
                corrects_earlier: bool) -> Journal:
    """The next journal of (job, job date), flushed: booked on the job date, or in the open period when that year is
    closed (SPEC 1). With `corrects_earlier`, a second journal of the day is a correction of the one before it."""
    previous = session.exec(
        select(Journal).where(Journal.job == job, Journal.job_date == job_date).order_by(Journal.seq.desc())
    ).first()
    booked_on, corrects_year = open_booking_date(session, job_date)
    corrects = previous if corrects_earlier else None
    description = description if corrects is None else f"correction of {description}"
    if corrects_year is not None:
        description += f" (closed year {corrects_year}, booked in the open period)"
    journal = Journal(job=job, job_date=job_date, seq=(previous.seq + 1) if previous else 1, booked_on=booked_on,
                      description=description, corrects_id=corrects.id if corrects else None,
                      corrects_year=corrects_year, job_run_id=job_run_id)
    session.add(journal)
    session.flush()
    return journal


def _posting(line: Line, component: str, account: str, amount: Decimal) -> dict:
    """A posting row (table `posting`), inserted in bulk with the journal's others."""
    recipient_side = is_expense(component)
    return dict(
        line=line.key, component=component, account=account, amount=amount, grant_id=line.grant_id,
        department_id=line.department_id, recipient_cvr=line.recipient_cvr,
        recipient_account=line.recipient_account if recipient_side else None,
        recipient_note=line.recipient_note if recipient_side else None,
        recipient_book=line.recipient_book if recipient_side else None,
    )
