"""Banking days and payment terms (SPEC 2.3): pure functions of a date and the engine's payment-term settings.

Payment terms fall on the last Danish banking day on or before the end of each term month; banks are closed on
public holidays (the `holidays` package keeps the Danish list, incl. the end of Great Prayer Day from 2024) and
on the configured closing days (5 June, 24 and 31 December).
"""
from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

from ..config import PaymentTermSettings


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Denmark(years=year))


def is_banking_day(day: date, terms: PaymentTermSettings) -> bool:
    return (
        day.weekday() < 5
        and day not in _public_holidays(day.year)
        and (day.month, day.day) not in terms.bank_closing_days
    )


def last_banking_day_on_or_before(day: date, terms: PaymentTermSettings) -> date:
    while not is_banking_day(day, terms):
        day -= timedelta(days=1)
    return day


def next_banking_day_after(day: date, terms: PaymentTermSettings) -> date:
    day += timedelta(days=1)
    while not is_banking_day(day, terms):
        day += timedelta(days=1)
    return day


def payment_terms(year: int, terms: PaymentTermSettings) -> list[date]:
    """The year's term dates, in order: term k is payment_terms(...)[k - 1]."""
    return list(_payment_terms(year, terms))


@lru_cache(maxsize=1024)
def _payment_terms(year: int, terms: PaymentTermSettings) -> tuple[date, ...]:
    """Pure in (year, settings), and asked once per stored report by the nightly staleness check: computed once."""
    ends = [date(year, m, 1) + relativedelta(months=1, days=-1) for m in terms.months]
    return tuple(last_banking_day_on_or_before(end, terms) for end in ends)
