"""The temporary rent subsidy (T 1, "Midlertidigt huslejetilskud"; SPEC 2.8): it keeps the rent of a temporary
dwelling at what the tenant can afford, and is paid to the landlord.

- Monthly subsidy = max(0, rent - affordable rent of the tenant's target group), rounded to øre (the rate a person
  sees). T: a tenant on the lowest cash benefit can pay about 2,800 kr a month.
- A month the tenancy covers only in part is paid pro rata by calendar days: the sum over the days covered of the
  monthly subsidy at the rent in force that day, divided by the days of the month, rounded once to øre. A full month
  is exactly the monthly subsidy; a rent change inside a month splits it by days.
- A tenancy covers the days from moving in through its last day: the end of the (time-limited) lease, or the
  move-out date when the tenant left earlier, both inclusive. Days after the lease end earn nothing (T 1: the lease
  is temporary; the tenant must move on when the lease ends or permanent housing is found).
Pure functions over plain values: no database, no clock.
"""
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from ....money import ZERO, to_ore


@dataclass(frozen=True)
class RentPeriod:
    """The dwelling's monthly rent from `start` until the next period starts."""

    start: date
    rent: Decimal


@dataclass(frozen=True)
class SubsidisedTenancy:
    tenancy: str
    landlord: str
    moved_in: date
    last_day: date  # inclusive: min(lease end, move-out date)
    affordable_rent: Decimal
    rents: tuple[RentPeriod, ...]  # the dwelling's rents, sorted by start


def monthly_subsidy(rent: Decimal, affordable_rent: Decimal) -> Decimal:
    """T 1: the subsidy a full month, max(0, rent - affordable rent), to øre."""
    return to_ore(max(ZERO, rent - affordable_rent))


def last_subsidised_day(lease_end: date, moved_out: date | None) -> date:
    """The lease end, or the move-out date when the tenant left before it."""
    return min(lease_end, moved_out) if moved_out else lease_end


@dataclass(frozen=True)
class DaysAtRent:
    """Days of one month the tenancy covers at one rent, and the subsidy a full month at that rent."""

    first: date
    last: date
    rent: Decimal
    monthly: Decimal

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def month_pieces(tenancy: SubsidisedTenancy, month: date) -> list[DaysAtRent]:
    """The days of the calendar month starting `month` that `tenancy` covers, split where the rent changes."""
    month_end = month.replace(day=monthrange(month.year, month.month)[1])
    start, end = max(tenancy.moved_in, month), min(tenancy.last_day, month_end)
    pieces = []
    for i, period in enumerate(tenancy.rents):
        following = tenancy.rents[i + 1].start if i + 1 < len(tenancy.rents) else None
        seg_start = max(start, period.start)
        seg_end = min(end, following - timedelta(days=1)) if following else end
        if seg_end >= seg_start:
            pieces.append(DaysAtRent(seg_start, seg_end, period.rent,
                                     monthly_subsidy(period.rent, tenancy.affordable_rent)))
    return pieces


def month_subsidy(tenancy: SubsidisedTenancy, month: date) -> Decimal:
    """The subsidy of `tenancy` for the calendar month starting `month`: the sum over the covered days of the monthly
    subsidy in force that day, divided by the days of the month, rounded once (a full month is the monthly subsidy)."""
    day_subsidies = sum((piece.monthly * piece.days for piece in month_pieces(tenancy, month)), ZERO)
    return to_ore(day_subsidies / monthrange(month.year, month.month)[1])


def months_between(first: date, last: date) -> list[date]:
    """First days of the months from the month of `first` through the month of `last`."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month += relativedelta(months=1)
    return months


def subsidy_by_landlord_month(
    tenancies: list[SubsidisedTenancy], months: list[date],
) -> dict[tuple[date, str], dict[str, Decimal]]:
    """(month, landlord) -> {tenancy: subsidy} for every tenancy with a subsidy that month."""
    result: dict[tuple[date, str], dict[str, Decimal]] = {}
    for month in months:
        for tenancy in tenancies:
            amount = month_subsidy(tenancy, month)
            if amount:
                result.setdefault((month, tenancy.landlord), {})[tenancy.tenancy] = amount
    return result
