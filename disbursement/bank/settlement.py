"""The bank side of a payment: what a job owes a recipient (the payable) is settled on the bank when the bank
debits it, and owed again when the bank gives the money back.

A payment is debited at most once ('settled KEY': payable debited, bank credited) and given back at most once
('reversed KEY': bank debited, payable credited); each is a posting pair on the payment's line, in a journal of
job 'settlement' dated the day the bank booked it (in the open period when that year is closed, SPEC 1):

- executed (camt.054 debit): settled on its booking date;
- returned (camt.054 credit with return information): settled first if no debit was seen (the bank debited it to
  return it), then reversed, on its booking date;
- rejected (pain.002): a payment settled at its release is reversed on the day the answer is loaded; one never
  settled stays owed;
- released, for a payer that settles on release (payer.toml `settle = "on-release"`, a bank that sends no answers):
  settled on the day of the release.

The next run of a rejected or returned payment's job cancels what it owed and pays it again (engine/booking.py).
"""
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from ..config import Config
from ..engine.booking import new_journal
from ..ledger.invariants import REVERSED, SETTLED, SETTLEMENT, require_balanced
from ..store.bulk import insert_rows
from ..store.tables import JobRun, Payment, Posting

DEBITED = {"executed", "returned", "released"}  # the bank took the money
GIVEN_BACK = {"returned", "rejected"}  # the money is back, or never left


@dataclass(frozen=True)
class BankEvent:
    """What the bank did with one payment on `day`: executed, returned, rejected, or released (settle on release)."""

    payment: Payment
    kind: str
    day: date


def booked_components(session: Session, names: list[str]) -> set[str]:
    """Which of these per-payment components ('settled KEY', 'reversed KEY', 'returned KEY') are booked."""
    found: set[str] = set()
    for chunk in (names[i:i + 500] for i in range(0, len(names), 500)):
        found.update(session.exec(select(Posting.component).where(Posting.component.in_(chunk))))
    return found


def book_bank_events(session: Session, config: Config, events: list[BankEvent], source: str,
                     at: datetime) -> int:
    """Book what `events` change on the bank, a journal per day, in `session` (the caller commits it with the
    answers or the release that caused it); the number of posting pairs booked. Booking the same events again
    books nothing."""
    booked = booked_components(session, [f"{kind} {e.payment.key}" for e in events for kind in (SETTLED, REVERSED)])
    pairs: dict[date, list[tuple[str, Payment]]] = defaultdict(list)
    for event in events:
        key = event.payment.key
        for step in [SETTLED] * (event.kind in DEBITED) + [REVERSED] * (event.kind in GIVEN_BACK):
            name = f"{step} {key}"
            if name in booked or (step == REVERSED and f"{SETTLED} {key}" not in booked):
                continue
            booked.add(name)
            pairs[event.day].append((step, event.payment))
    accounts = config.accounts
    for day, steps in sorted(pairs.items()):
        postings = []
        for step, payment in steps:
            sign = 1 if step == SETTLED else -1
            for account, amount in ((accounts.payable, sign * payment.amount), (accounts.bank, -sign * payment.amount)):
                postings.append(dict(line=payment.line, component=f"{step} {payment.key}", account=account,
                                     amount=amount, grant_id=payment.grant_id, department_id=payment.department_id,
                                     recipient_cvr=payment.recipient_cvr))
        require_balanced((p["amount"] for p in postings), f"{SETTLEMENT} {day}")
        counts = {kind: sum(1 for step, _ in steps if step == kind) for kind in (SETTLED, REVERSED)}
        run = JobRun(job=SETTLEMENT, job_date=day, started_at=at, finished_at=at, outcome="ok",
                     fingerprint=hashlib.sha256(json.dumps(sorted(p["component"] for p in postings)).encode()).hexdigest(),
                     summary=json.dumps({"source": source, **counts}))
        session.add(run)
        session.flush()
        journal = new_journal(session, SETTLEMENT, day, run.id, f"bank: {source}", corrects_earlier=False)
        for row in postings:
            row["journal_id"] = journal.id
        insert_rows(session, Posting, postings)
    return sum(len(steps) for steps in pairs.values())
