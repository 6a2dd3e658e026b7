"""Trial balance of one fiscal year: per account the opening balance, the year's debits and credits, the closing
balance. Balance-sheet accounts carry their balance from earlier years; expense accounts start at zero and the
earlier years' expenses are carried on the chart's retained-result account, so the openings sum to zero too.
The SAF-T account master and the beancount opening entry are built from this one computation."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..config import Config, load_ledger_settings
from ..money import ZERO
from ..store.tables import Journal, Posting
from .chart import Chart
from .closing import closed_years
from .errors import require_fiscal_year
from .payables import open_payables


@dataclass(frozen=True)
class TrialBalanceRow:
    account: str
    name: str
    kind: str
    opening: Decimal
    debit: Decimal
    credit: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


@dataclass(frozen=True)
class TrialBalance:
    year: int
    rows: tuple[TrialBalanceRow, ...]
    closed: bool

    @property
    def total_debit(self) -> Decimal:
        return sum((r.debit for r in self.rows), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((r.credit for r in self.rows), ZERO)

    def balances(self) -> bool:
        return (self.total_debit == self.total_credit
                and sum((r.opening for r in self.rows), ZERO) == 0
                and sum((r.closing for r in self.rows), ZERO) == 0)


def trial_balance(session: Session, chart: Chart, year: int, closed: bool = False) -> TrialBalance:
    start, end = date(year, 1, 1), date(year, 12, 31)
    opening: dict[str, Decimal] = {number: ZERO for number in chart.accounts}
    debit: dict[str, Decimal] = {number: ZERO for number in chart.accounts}
    credit: dict[str, Decimal] = {number: ZERO for number in chart.accounts}
    rows = session.exec(select(Posting.account, Posting.amount, Journal.booked_on)
                        .join(Journal, Journal.id == Posting.journal_id).where(Journal.booked_on <= end))
    for account, amount, booked_on in rows:
        for table in (opening, debit, credit):
            table.setdefault(account, ZERO)
        if booked_on < start:
            opening[chart.retained_result if not chart.carried(account) else account] += amount
        elif amount > 0:
            debit[account] += amount
        else:
            credit[account] -= amount
    return TrialBalance(year, tuple(
        TrialBalanceRow(number, chart.get(number).name, chart.get(number).kind, opening[number], debit[number],
                        credit[number])
        for number in sorted(opening)
    ), closed)


def render_trial_balance(tb: TrialBalance) -> str:
    header = f"{'account':<8} {'name':<44} {'opening':>15} {'debit':>15} {'credit':>15} {'closing':>15}"
    lines = [f"trial balance {tb.year}" + (" (closed)" if tb.closed else " (open)"), header, "-" * len(header)]
    for r in tb.rows:
        lines.append(f"{r.account:<8} {r.name[:44]:<44} {r.opening:>15,.2f} {r.debit:>15,.2f} {r.credit:>15,.2f} "
                     f"{r.closing:>15,.2f}")
    lines.append("-" * len(header))
    lines.append(f"{'total':<53} {sum((r.opening for r in tb.rows), ZERO):>15,.2f} {tb.total_debit:>15,.2f} "
                 f"{tb.total_credit:>15,.2f} {sum((r.closing for r in tb.rows), ZERO):>15,.2f}")
    return "\n".join(lines)


SHOWN = 20  # open payables listed one by one; the count and total cover them all


def trial_balance_report(engine: Engine, config: Config, year: int) -> str:
    """The trial balance, and the payments still owed at the year's end (the payable's balance, ledger/payables.py)."""
    require_fiscal_year(year)
    chart = Chart.of(load_ledger_settings(config.directory), config.accounts)
    end = date(year, 12, 31)
    with Session(engine) as session:
        report = render_trial_balance(trial_balance(session, chart, year, year in closed_years(session)))
        owed = open_payables(session, config, end)
    total = sum((p.amount for p in owed), ZERO)
    report += (f"\nopen payables on {config.accounts.payable} at {end}: {len(owed)} payment(s), {total:,.2f}, "
               "not yet debited by the bank")
    shown = [f"  {p.key} {p.recipient_cvr} {p.value_date} {p.amount:,.2f}" for p in owed[:SHOWN]]
    more = [f"  ... and {len(owed) - SHOWN} more"] if len(owed) > SHOWN else []
    return "\n".join([report] + shown + more)
