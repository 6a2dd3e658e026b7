"""`explain KEY` (issue 16): why a line amounts to what it does, and what became of its money.

KEY is a line key (`rent/2019-06-28/G1/12`), a payment or claim key (`...#1`) or a payment's EndToEndId. The
answer has two parts. The derivation is the scheme's (`Scheme.explain`): the reports, index values, months x rate
per dwelling group, each rounding and decision, from the stored inputs, as the job computes it. The ledger part is
the engine's: every journal that booked the line with its components, every payment with its place in the payment
loop (run, approval, release, the bank's answers, settlement) and every claim. The booked components re-add to the
line's total, and the total to what was paid less what was claimed back, to the øre; both checks are stated.
"""
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..config import Config
from ..exports.pain001 import end_to_end_id
from ..ledger.invariants import REVERSED, SETTLED, is_expense
from ..ledger.journals import journal_key
from ..money import ZERO
from ..store.tables import (UNPAID_ANSWERS, BankAnswer, Claim, IntakeFile, Journal, Payment, PaymentRun,
                            PaymentRunAction, Posting)
from .errors import UsageError


@dataclass(frozen=True)
class BookedJournal:
    journal: str
    booked_on: str
    description: str
    components: list[tuple[str, str, Decimal]]  # (component, account, amount): the line's expense postings


@dataclass(frozen=True)
class MoneyLine:
    key: str
    amount: Decimal
    day: str  # value date of a payment, due date of a claim
    history: list[str] = field(default_factory=list)  # the payment loop, in order
    counts: bool = True  # False: a payment the bank rejected or returned


@dataclass(frozen=True)
class Explanation:
    line: str
    asked: str
    derivation: list[str]
    journals: list[BookedJournal]
    payments: list[MoneyLine]
    claims: list[MoneyLine]

    @property
    def booked(self) -> Decimal:
        return sum((amount for j in self.journals for _, _, amount in j.components), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments if p.counts), ZERO)

    @property
    def claimed(self) -> Decimal:
        return sum((c.amount for c in self.claims), ZERO)


def explain(engine: Engine, config: Config, key: str) -> Explanation:
    with Session(engine) as session:
        line = _line_of(session, key)
        journals = {j.id: j for j in session.exec(select(Journal).where(Journal.id.in_(
            select(Posting.journal_id).where(Posting.line == line))).order_by(Journal.booked_on, Journal.id))}
        postings = session.exec(select(Posting).where(Posting.line == line).order_by(Posting.id)).all()
        booked = [BookedJournal(_journal_name(j), j.booked_on.isoformat(), j.description,
                                [(p.component, p.account, p.amount) for p in postings if p.journal_id == j.id
                                 and is_expense(p.component)])
                  for j in journals.values()]
        payments = [_payment(session, p, journals, postings)
                    for p in session.exec(select(Payment).where(Payment.line == line).order_by(Payment.id))]
        claims = [MoneyLine(c.key, c.amount, c.due_date.isoformat(),
                            [f"claimed by {_journal_name(journals[c.journal_id])}, due {c.due_date}"])
                  for c in session.exec(select(Claim).where(Claim.line == line).order_by(Claim.id))]
        derivation = next((steps for scheme in config.schemes if (steps := scheme.explain(session, config, line))), [])
    return Explanation(line, key, derivation, [j for j in booked if j.components], payments, claims)


def against_the_ledger(session: Session, line: str, derived: dict[str, Decimal]) -> list[str]:
    """A derivation's last step: its components against what the ledger holds on the line, every component booked
    included (one booked and not derived differs as much as one derived and not booked)."""
    booked = {component: amount for component, amount in session.exec(
        select(Posting.component, func.sum(Posting.amount)).where(Posting.line == line).group_by(Posting.component))
        if is_expense(component) and amount}
    differ = {name: (derived.get(name, ZERO), booked.get(name, ZERO)) for name in sorted({*derived, *booked})
              if derived.get(name, ZERO) != booked.get(name, ZERO)}
    if not differ:
        return [f"= what is booked on the line: " + "; ".join(f"{name} {amount:,.2f}" for name, amount in derived.items())]
    return [f"differs from what is booked: {name} {amount:,.2f}, booked {was:,.2f} (a report or decision came "
            "after the run: `status` lists the run to do again)" for name, (amount, was) in differ.items()]


def _journal_name(journal: Journal) -> str:
    return journal_key(journal.job, journal.job_date, journal.seq)


def _line_of(session: Session, key: str) -> str:
    """The line a key names: the line itself, a payment's or claim's, or an EndToEndId's payment's."""
    if key.startswith("INKL") and "/" not in key:
        for payment_key, line in session.exec(select(Payment.key, Payment.line)):
            if end_to_end_id(payment_key) == key:
                return line
        raise UsageError(f"no payment has the EndToEndId {key}")
    line = key.split("#", 1)[0]
    if session.exec(select(Posting.id).where(Posting.line == line)).first() is None:
        raise UsageError(f"nothing is booked on {line!r}: give a line key (e.g. rent/2019-06-28/G1/12), a payment "
                         "or claim key (…#1) or an EndToEndId")
    return line


def _payment(session: Session, payment: Payment, journals: dict[int, Journal], postings: list[Posting]) -> MoneyLine:
    history = [f"booked by {_journal_name(journals[payment.journal_id])}, value date {payment.value_date}, "
               f"EndToEndId {end_to_end_id(payment.key)}"]
    if payment.reissue_of is not None:
        history.append(f"pays again {session.get(Payment, payment.reissue_of).key}")
    run = session.exec(select(PaymentRun).where(PaymentRun.journal_id == payment.journal_id)).first()
    if run is None:
        history.append("in no payment run (paid outside the system: before payment_runs_from, or not made yet)")
    else:
        history.append(f"payment run {run.key} made {run.generated_on} (sha256 {run.sha256[:12]}…)")
        for action in session.exec(select(PaymentRunAction).where(PaymentRunAction.run_id == run.id)
                                   .order_by(PaymentRunAction.id)):
            history.append(f"{action.action} by {action.operator}{f' ({action.database_user})' if action.database_user else ''} "
                           f"{action.at:%Y-%m-%d %H:%M}")
    unpaid = False
    for answer, file_name in session.exec(select(BankAnswer, IntakeFile.name).where(
            BankAnswer.payment_id == payment.id, IntakeFile.id == BankAnswer.file_id).order_by(BankAnswer.id)):
        unpaid = unpaid or answer.kind in UNPAID_ANSWERS
        on = f" {answer.booking_date}" if answer.booking_date else ""
        history.append(f"bank: {answer.kind}{on}{f' ({answer.reason})' if answer.reason else ''}, {file_name}")
    for posting in postings:
        if posting.component in (f"{SETTLED} {payment.key}", f"{REVERSED} {payment.key}") and posting.amount < 0:
            journal = journals[posting.journal_id]
            history.append(f"{posting.component.split(' ')[0]} on the bank {journal.booked_on} ({_journal_name(journal)})")
    return MoneyLine(payment.key, payment.amount, payment.value_date.isoformat(), history, counts=not unpaid)


def render(explanation: Explanation) -> str:
    e = explanation
    out = [f"line {e.line}" + (f" (asked: {e.asked})" if e.asked != e.line else "")]
    if e.derivation:
        out += ["derivation, from the stored inputs:", *[f"  {line}" for line in e.derivation]]
    out.append("booked:")
    for journal in e.journals:
        out.append(f"  {journal.journal} booked {journal.booked_on}: {journal.description}")
        out += [f"    {component} on {account}: {amount:,.2f}" for component, account, amount in journal.components]
    out.append(f"  total booked on the line: {e.booked:,.2f}")
    for title, money in (("payments", e.payments), ("claims", e.claims)):
        out.append(f"{title}:" if money else f"{title}: none")
        for m in money:
            out.append(f"  {m.key}: {m.amount:,.2f}" + ("" if m.counts else " (not paid: the bank rejected or returned it)"))
            out += [f"    {step}" for step in m.history]
    same = e.booked == e.paid - e.claimed
    out.append(f"check: booked {e.booked:,.2f} {'=' if same else '!='} paid {e.paid:,.2f} - claimed back "
               f"{e.claimed:,.2f}" + ("" if same else " (a payment re-issue or a correction is still to be run: "
                                                     "`status` lists it)"))
    return "\n".join(out)


def as_json(explanation: Explanation) -> str:
    data = asdict(explanation)
    data.update(booked=explanation.booked, paid=explanation.paid, claimed=explanation.claimed)
    return json.dumps(data, default=str, indent=2, ensure_ascii=False)
