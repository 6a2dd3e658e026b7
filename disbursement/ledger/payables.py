"""What the authority owes its recipients on a day: the payments a job booked on the payable (accounts.toml) that
the bank had not debited by then, or had given back, and that no later booking had cancelled ('returned KEY', when
the line pays again). Their sum is the payable's balance that day; `trial-balance` lists it."""
from datetime import date

from sqlmodel import Session, select

from ..config import Config
from ..store.tables import Journal, Payment, Posting
from .invariants import PAYMENT, RETURNED, REVERSED, SETTLED


def open_payables(session: Session, config: Config, on: date) -> list[Payment]:
    """Payments owed on `on`, by key."""
    booked = select(Journal.id).where(Journal.booked_on <= on)
    owed = session.exec(select(Payment).where(Payment.journal_id.in_(booked), select(Posting.id).where(
        Posting.journal_id == Payment.journal_id, Posting.line == Payment.line, Posting.component == PAYMENT,
        Posting.account == config.accounts.payable).exists()).order_by(Payment.key)).all()
    done = set(session.exec(select(Posting.component).where(
        Posting.journal_id.in_(booked), Posting.account == config.accounts.payable,
        Posting.component.like(f"{SETTLED} %") | Posting.component.like(f"{REVERSED} %")
        | Posting.component.like(f"{RETURNED} %"))))
    return [p for p in owed if f"{RETURNED} {p.key}" not in done
            and (f"{SETTLED} {p.key}" not in done or f"{REVERSED} {p.key}" in done)]
