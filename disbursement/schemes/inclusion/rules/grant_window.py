"""The grant's 15-year window (V 2.2.2: support for at most 15 years from the project start).

The window counts whole calendar months from the month of the project start, so a 15-year grant covers exactly
180 months whatever day of the month it starts.
"""
from datetime import date

from dateutil.relativedelta import relativedelta


def window_months(start: date, years: int) -> tuple[date, date]:
    """First day of the first month in the window and first day of the first month after it."""
    first = start.replace(day=1)
    return first, first + relativedelta(years=years)


def months_in_window(year: int, start: date, years: int) -> int:
    """How many months of calendar `year` lie inside the window (0..12)."""
    first, end = window_months(start, years)
    lo = max(first, date(year, 1, 1))
    hi = min(end, date(year + 1, 1, 1))
    if hi <= lo:
        return 0
    delta = relativedelta(hi, lo)
    return delta.years * 12 + delta.months


def window_years(start: date, years: int) -> range:
    """Calendar years with at least one month inside the window."""
    first, end = window_months(start, years)
    return range(first.year, (end - relativedelta(days=1)).year + 1)
