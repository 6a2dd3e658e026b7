"""The ledger's invariants, checked in one place (beancount's habit: problems are values, reported together).

`require_balanced` is the write-time check a journal must pass before it is written. `check_ledger` re-checks
the stored ledger before every export and year closing, beside what the database enforces itself (migration
0002_ledger: balance at commit on PostgreSQL, append-only and closed years on both):

- every journal balances: debits = credits;
- the payment postings of a job's journal equal its payments, and its collection-claim postings equal its claims;
  they and its 'returned KEY' postings are all on the payable, or all on the bank (a journal paid outside payment
  runs: job dates before `payment_runs_from`, or booked by a release before accrual);
- a settlement journal holds only balanced pairs on the payable and the bank, one per payment debited or given back;
- every account is in the chart of accounts;
- an expense posting of a support paid to a housing organisation carries the recipient's account, note and book
  (V 11: 303.1; 105.9 with note 102.4 or 104.4; 602 with note pkt. 26); one paid to a municipality carries none,
  and so do the bank and claim postings;
- a journal booked outside its job date's year is a correction of a closed year booked on 1 January of the open
  period, and says which year it corrects.
"""
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from sqlmodel import Session

from ..config import Config, SupportAccounts
from ..money import ZERO
from .chart import Chart
from .errors import UnbalancedJournal
from .journals import JournalEntry, load_journals


# Components: what a line pays (on the payable, or the bank before payment runs) and claims back; 'returned KEY', what
# a rejected or returned payment no longer settles (engine/booking.py); and a settlement journal's pairs
# (bank/settlement.py). Every other component is an expense of the line, booked where the recipient books it.
PAYMENT, CLAIM = "payment", "claim"
RETURNED = "returned"
SETTLEMENT = "settlement"
SETTLED, REVERSED = "settled", "reversed"


def is_expense(component: str) -> bool:
    """Whether a posting's component is part of what the line amounts to (not its payment, claim or settlement)."""
    return component not in (PAYMENT, CLAIM) and not component.startswith((RETURNED, SETTLED, REVERSED))


@dataclass(frozen=True)
class LedgerProblem:
    journal: str | None
    message: str

    def __str__(self) -> str:
        return f"journal {self.journal}: {self.message}" if self.journal else self.message


def require_balanced(amounts: Iterable[Decimal], where: str) -> None:
    """Debits = credits, or nothing is written (the one code check; the database repeats it at commit)."""
    difference = sum(amounts, ZERO)
    if difference != 0:
        raise UnbalancedJournal(f"{where}: journal does not balance (debits - credits = {difference})")


def check_journal(journal: JournalEntry, config: Config, chart: Chart) -> list[LedgerProblem]:
    problems: list[str] = []
    difference = sum((p.amount for p in journal.postings), ZERO)
    if difference != 0:
        problems.append(f"does not balance: debits - credits = {difference}")
    accounts = config.accounts
    if journal.job == SETTLEMENT:
        problems += _settlement_problems(journal, config)
    else:
        posted = -sum((p.amount for p in journal.postings if p.component == PAYMENT), ZERO)
        paid = sum((m.amount for m in journal.payments), ZERO)
        if posted != paid:
            problems.append(f"payment postings {posted} differ from its payments {paid}")
        paid_from = sorted({p.account for p in journal.postings
                            if p.component == PAYMENT or p.component.startswith(RETURNED)})
        if len(paid_from) > 1 or not set(paid_from) <= {accounts.payable, accounts.bank}:
            problems.append(f"payments booked on {', '.join(paid_from)}: all on the payable {accounts.payable}, or all "
                            f"on the bank {accounts.bank} (paid outside payment runs)")
    claimed = sum((p.amount for p in journal.postings if p.account == accounts.collection_claims), ZERO)
    claims = sum((m.amount for m in journal.claims), ZERO)
    if claimed != claims:
        problems.append(f"collection-claim postings {claimed} differ from its claims {claims}")
    supports: dict[str, SupportAccounts] = {s.expense: s for s in accounts.supports.values()}
    for p in journal.postings:
        if p.account not in chart.accounts:
            problems.append(f"{p.line} {p.component}: account {p.account} is not in the chart of accounts")
        support = supports.get(p.account)
        expected = (support.recipient_account, support.recipient_book) if support else (None, None)
        if (p.recipient_account, p.recipient_book) != expected:
            problems.append(f"{p.line} {p.component}: recipient account/book {p.recipient_account}/"
                            f"{p.recipient_book}, expected {expected[0]}/{expected[1]}")
        notes = support.notes if support else set()
        if (p.recipient_note or None) not in (notes or {None}):
            problems.append(f"{p.line} {p.component}: recipient note {p.recipient_note} is not one of "
                            f"{sorted(notes) or [None]}")
    if journal.booked_on.year != journal.job_date.year:
        if journal.corrects_year != journal.job_date.year or (journal.booked_on.month, journal.booked_on.day) != (1, 1):
            problems.append(f"booked on {journal.booked_on}, outside its job date's year, without being a "
                            f"correction of {journal.job_date.year} booked on 1 January of the open period")
    return [LedgerProblem(journal.key, message) for message in problems]


def _settlement_problems(journal: JournalEntry, config: Config) -> list[str]:
    """A settlement journal holds pairs only: per 'settled KEY' or 'reversed KEY' one posting on the payable and the
    opposite on the bank (bank/settlement.py), and no payments or claims."""
    accounts = config.accounts
    problems = [f"{p.line} {p.component}: not a settlement posting on {accounts.payable} or {accounts.bank}"
                for p in journal.postings if p.component.split(" ")[0] not in (SETTLED, REVERSED)
                or p.account not in (accounts.payable, accounts.bank)]
    pairs: dict[str, Decimal] = {}
    for p in journal.postings:
        pairs[p.component] = pairs.get(p.component, ZERO) + p.amount
    problems += [f"{component} does not balance ({amount})" for component, amount in sorted(pairs.items()) if amount]
    if journal.payments or journal.claims:
        problems.append("a settlement journal has payments or claims")
    return problems


def check_ledger(session: Session, config: Config, chart: Chart, year: int | None = None) -> list[LedgerProblem]:
    """Every problem of every journal (booked in `year`, or all), in ledger order."""
    return [problem for journal in load_journals(session, config, year) for problem in check_journal(journal, config, chart)]
