"""Fiscal-year closing (SPEC 1): a closed year is never changed again; later corrections land in the open period.

The fiscal year is the calendar year. Closed years are contiguous from the first year with journals: closing Y
also records every earlier year that has no journals, and refuses while an earlier year with journals is open.
The database refuses any journal, posting, payment or claim booked in a closed year (migration 0002_ledger), and
`open_booking_date` is how jobs avoid asking it to: a journal for a job date in a closed year is booked on the
first day of the open period and records the year it corrects.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..config import Config, LedgerSettings
from ..money import ZERO
from ..store.lock import run_lock
from ..store.tables import FiscalYearClose, Journal
from .chart import Chart
from .errors import LedgerBroken, LedgerInputError, require_fiscal_year
from .invariants import check_ledger
from .journals import load_journals


def closed_years(session: Session) -> set[int]:
    return set(session.exec(select(FiscalYearClose.year)))


def open_booking_date(session: Session, job_date: date) -> tuple[date, int | None]:
    """Where a journal for `job_date` is booked: on the job date itself while its year is open, else on the first
    day of the open period, together with the closed year it corrects (None when the year is open)."""
    closed = closed_years(session)
    if job_date.year not in closed:
        return job_date, None
    year = job_date.year
    while year in closed:
        year += 1
    return date(year, 1, 1), job_date.year


@dataclass(frozen=True)
class ClosingResult:
    year: int
    closed_on: date
    journals: int
    total_debit: Decimal
    already_closed: bool
    also_closed: tuple[int, ...] = ()


def close_year(engine: Engine, config: Config, settings: LedgerSettings, year: int, as_of: date) -> ClosingResult:
    """Close `year` as of `as_of` (the operator's today); closing a closed year again changes nothing."""
    if require_fiscal_year(year) >= as_of.year:
        raise LedgerInputError(f"close-year {year}: the year has not ended (today is {as_of}); "
                               f"it can be closed from {year + 1}-01-01")
    with run_lock(engine), Session(engine) as session:
        existing = session.get(FiscalYearClose, year)
        if existing is not None:
            return ClosingResult(year, existing.closed_on, existing.journals, existing.total_debit, True)
        closed = closed_years(session)
        years_with_journals = {day.year for day in session.exec(select(Journal.booked_on).distinct())}
        first = min(years_with_journals | {year})
        to_close = [y for y in range(first, year + 1) if y not in closed]
        still_open = [y for y in to_close if y != year and y in years_with_journals]
        if still_open:
            raise LedgerInputError(f"close-year {year}: close {', '.join(map(str, still_open))} first "
                                   "(fiscal years are closed in order)")
        problems = check_ledger(session, config, Chart.of(settings, config.accounts))
        if problems:
            raise LedgerBroken("the ledger does not pass its checks; nothing closed:\n"
                               + "\n".join(str(p) for p in problems))
        result = None
        for y in to_close:
            journals, debit = _year_totals(session, config, y)
            session.add(FiscalYearClose(year=y, closed_on=as_of, journals=journals, total_debit=debit))
            result = ClosingResult(y, as_of, journals, debit, False, tuple(x for x in to_close if x != year))
        session.commit()
        return result


def _year_totals(session: Session, config: Config, year: int) -> tuple[int, Decimal]:
    journals = load_journals(session, config, year)
    return len(journals), sum((j.total_debit for j in journals), ZERO)
