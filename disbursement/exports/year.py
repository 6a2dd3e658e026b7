"""One fiscal year of the ledger as plain values: what every export format is rendered from."""
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from ..config import Config, LedgerSettings, Payer
from ..ledger.chart import Chart
from ..ledger.closing import closed_years
from ..ledger.journals import JournalEntry, Recipient, load_journals, load_recipients
from ..ledger.trial_balance import TrialBalance, trial_balance


@dataclass(frozen=True)
class YearLedger:
    """Everything an export of one fiscal year needs, read once."""

    year: int
    journals: tuple[JournalEntry, ...]
    trial_balance: TrialBalance
    chart: Chart
    payer: Payer
    recipients: dict[str, Recipient]
    closed: bool

    @property
    def as_of(self) -> date:
        """The date the files describe the ledger at, derived from the data (never the clock): the last booking
        date of the year, or 1 January when nothing is booked in it."""
        return max((j.booked_on for j in self.journals), default=date(self.year, 1, 1))


def load_year_ledger(session: Session, config: Config, settings: LedgerSettings, year: int) -> YearLedger:
    chart = Chart.of(settings, config.accounts)
    closed = year in closed_years(session)
    return YearLedger(
        year=year, journals=tuple(load_journals(session, config, year)),
        trial_balance=trial_balance(session, chart, year, closed), chart=chart, payer=settings.payer,
        recipients=load_recipients(session, config), closed=closed,
    )
