"""The ledger as plain, sorted values: journals with their postings, payments and claims, and who the recipients are.

Everything the exports write comes from here, ordered by natural keys (never by database ids or insertion order),
so two databases holding the same facts give byte-identical files.
"""
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from ..cases import InForce, in_force
from ..money import ZERO
from ..store.tables import Claim, Journal, Municipality, Organisation, Payment, Posting, RecipientChange

if TYPE_CHECKING:
    from ..config import Config


def journal_key(job: str, job_date: date, seq: int) -> str:
    """The journal's natural, stable name, e.g. 'aconto/2019-06-28/2' (job, job date, sequence)."""
    return f"{job}/{job_date.isoformat()}/{seq}"


@dataclass(frozen=True)
class PostingEntry:
    """Debit positive, credit negative; the recipient fields say where the recipient books it (V 11)."""

    line: str
    component: str
    account: str
    amount: Decimal
    grant_id: str | None
    department: str | None
    department_name: str | None
    recipient_cvr: str | None
    recipient_account: str | None
    recipient_note: str | None
    recipient_book: str | None

    @property
    def debit(self) -> Decimal:
        return self.amount if self.amount > 0 else ZERO

    @property
    def credit(self) -> Decimal:
        return -self.amount if self.amount < 0 else ZERO


@dataclass(frozen=True)
class MoneyEntry:
    """A payment (money sent) or a claim (money owed back); `day` is the value date or the due date."""

    key: str
    line: str
    support: str
    recipient_cvr: str
    grant_id: str
    department: str | None
    day: date
    amount: Decimal


@dataclass(frozen=True)
class JournalEntry:
    id: int
    key: str
    job: str
    job_date: date
    seq: int
    booked_on: date
    description: str
    corrects: str | None
    corrects_year: int | None
    postings: tuple[PostingEntry, ...]
    payments: tuple[MoneyEntry, ...]
    claims: tuple[MoneyEntry, ...]

    @property
    def total_debit(self) -> Decimal:
        return sum((p.debit for p in self.postings), ZERO)


@dataclass(frozen=True)
class Recipient:
    """Who a payment goes to: a housing organisation (CVR), a municipality (its CVR or code) or a landlord of
    temporary dwellings (CVR), as registered; `changes` are the master-data decisions on it since (issue 13)."""

    id: str
    name: str
    kind: str
    account: str | None
    address: str | None = None
    changes: tuple[InForce, ...] = ()  # of store.tables.RecipientChange rows

    def on(self, day: date) -> "Recipient":
        """The recipient as it was on `day`: each of name, address and account from the latest change in force
        then that sets it, else as registered. A payment goes to the account in force on its value date."""
        values = {"name": self.name, "address": self.address, "account": self.account}
        for period in sorted((p for p in self.changes if p.covers(day)),
                             key=lambda p: (p.start, p.decision.decided, p.decision.id)):
            values.update({"account" if field == "iban" else field: value for field, value in period.decision.changed()})
        return replace(self, **values, changes=())

    def history(self) -> list[tuple[date, date | None, "RecipientChange"]]:
        """Every change with the days it is in force, oldest first (what `status` and `statement` show)."""
        return [(p.start, p.end, p.decision) for p in sorted(self.changes, key=lambda p: (p.start, p.decision.id))]


def load_journals(session: Session, config: "Config", year: int | None = None,
                  ids: set[int] | None = None) -> list[JournalEntry]:
    """Journals booked in `year` (all when None; only those of `ids` when given), ordered by booking date, then
    job, job date and sequence; postings name their department as the scheme that booked it registers it."""
    query = select(Journal)
    if year is not None:
        query = query.where(Journal.booked_on >= date(year, 1, 1), Journal.booked_on <= date(year, 12, 31))
    if ids is not None:
        query = query.where(Journal.id.in_(sorted(ids)))
    journals = list(session.exec(query))
    if not journals:
        return []
    ids = [j.id for j in journals]
    keys_by_id = {j.id: journal_key(j.job, j.job_date, j.seq)
                  for j in session.exec(select(Journal))}
    departments = {key: value for scheme in config.schemes for key, value in scheme.departments(session).items()}

    def dept(department_id):
        return departments.get(department_id, (None, None))

    postings: dict[int, list[PostingEntry]] = {i: [] for i in ids}
    for p in session.exec(select(Posting).where(Posting.journal_id.in_(ids))):
        number, name = dept(p.department_id)
        postings[p.journal_id].append(PostingEntry(
            p.line, p.component, p.account, p.amount, p.grant_id, number, name, p.recipient_cvr,
            p.recipient_account, p.recipient_note, p.recipient_book))
    payments: dict[int, list[MoneyEntry]] = {i: [] for i in ids}
    for p in session.exec(select(Payment).where(Payment.journal_id.in_(ids))):
        payments[p.journal_id].append(MoneyEntry(p.key, p.line, p.support, p.recipient_cvr, p.grant_id,
                                                 dept(p.department_id)[0], p.value_date, p.amount))
    claims: dict[int, list[MoneyEntry]] = {i: [] for i in ids}
    for c in session.exec(select(Claim).where(Claim.journal_id.in_(ids))):
        claims[c.journal_id].append(MoneyEntry(c.key, c.line, c.support, c.recipient_cvr, c.grant_id,
                                               dept(c.department_id)[0], c.due_date, c.amount))
    entries = [
        JournalEntry(
            id=j.id, key=keys_by_id[j.id], job=j.job, job_date=j.job_date, seq=j.seq, booked_on=j.booked_on,
            description=j.description, corrects=keys_by_id.get(j.corrects_id) if j.corrects_id else None,
            corrects_year=j.corrects_year,
            postings=tuple(sorted(postings[j.id], key=lambda p: (p.line, p.component, p.account, p.amount))),
            payments=tuple(sorted(payments[j.id], key=lambda m: m.key)),
            claims=tuple(sorted(claims[j.id], key=lambda m: m.key)),
        )
        for j in journals
    ]
    return sorted(entries, key=lambda e: (e.booked_on, e.job, e.job_date, e.seq))


def load_recipients(session: Session, config: "Config") -> dict[str, Recipient]:
    """Every party a payment or claim can name: organisations by CVR, municipalities by CVR and by code, and the
    payees a scheme registers itself (e.g. temporary housing's landlords), each with its master-data changes."""
    changes: dict[tuple[str, str], list[RecipientChange]] = defaultdict(list)
    for change in session.exec(select(RecipientChange).order_by(RecipientChange.id)):
        changes[(change.party, change.party_id)].append(change)

    def of(kind: str, key: str) -> tuple[InForce, ...]:
        return tuple(in_force(changes.get((kind, key), ())))

    recipients: dict[str, Recipient] = {}
    for m in session.exec(select(Municipality).order_by(Municipality.code)):
        recipient = Recipient(m.cvr or m.code, m.name, "municipality", m.iban, changes=of("municipality", m.code))
        recipients[m.code] = recipient
        recipients[recipient.id] = recipient
    for o in session.exec(select(Organisation).order_by(Organisation.cvr)):
        recipients[o.cvr] = Recipient(o.cvr, o.name, "organisation", o.iban, changes=of("organisation", o.cvr))
    for scheme in config.schemes:
        for key, recipient in scheme.recipients(session).items():
            recipients.setdefault(key, replace(recipient, changes=of(recipient.kind, key)))
    return recipients
