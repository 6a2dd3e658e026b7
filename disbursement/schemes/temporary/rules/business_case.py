"""The trial's business case (T 2, "Økonomiske mål": per target group, a municipal and societal gain against a
municipal botilbud, forsorgshjem etc.), over plain values: the temporary rent subsidy booked for each tenancy and
month against what the same persons' days would have cost at the alternative's daily rate.

- Compared are the whole calendar months inside [start, end]: the subsidy is booked per month, so a part month
  would mix days of the period with days outside it.
- Subsidy: what the ledger booked for the tenancy and month (paid less claimed back), corrections included.
- Person-days: household size x days housed in the month (move-in through move-out, inclusive; a tenancy still
  running on `end` is housed to the end). Person-months: each month's person-days over the days of that month, so
  no month is taken to have 30 days.
- Alternative: daily rate (per person, of the tenancy's municipality, else the default) x person-days.
- Saving = alternative - subsidy. Per person-month figures divide the exact sums and are rounded half up to øre
  where shown (SPEC 3); sums of groups equal the total because they are added before any rounding.
The comparison covers the rent subsidy only: support given in the temporary dwelling is not in the ledger.
"""
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ....money import ZERO, to_ore
from .evaluation import TenancyOutcome, known_on
from .rent import months_between


@dataclass(frozen=True)
class BookedSubsidy:
    """The net amount the ledger booked as one tenancy's subsidy for the month starting `month`."""

    tenancy: str
    month: date
    amount: Decimal


@dataclass(frozen=True)
class AlternativeCost:
    """The daily rate per person of a place in a botilbud or forsorgshjem (ILLUSTRATIVE in the shipped config)."""

    default: Decimal
    by_municipality: dict[str, Decimal]

    def daily_rate(self, municipality: str) -> Decimal:
        return self.by_municipality.get(municipality, self.default)


@dataclass(frozen=True)
class Costs:
    """Subsidy against the alternative over some person-days; exact sums, so parts add up to their whole."""

    person_days: int = 0
    person_months: Fraction = Fraction(0)
    subsidy: Decimal = ZERO
    alternative: Decimal = ZERO

    def __add__(self, other: "Costs") -> "Costs":
        return Costs(self.person_days + other.person_days, self.person_months + other.person_months,
                     self.subsidy + other.subsidy, self.alternative + other.alternative)

    @property
    def saving(self) -> Decimal:
        return self.alternative - self.subsidy

    def per_person_month(self, amount: Decimal) -> Decimal | None:
        """`amount` / person-months, to øre (multiplied before divided); None without any person-month."""
        if not self.person_months:
            return None
        return to_ore(amount * self.person_months.denominator / self.person_months.numerator)


@dataclass(frozen=True)
class BusinessCase:
    months: tuple[date, ...]  # first days of the whole calendar months compared
    by_group: dict[tuple[str, str], Costs]  # (target group, municipality) -> costs
    by_quarter: dict[date, Costs]  # first day of the quarter -> costs of all groups
    total: Costs


def whole_months(start: date, end: date) -> list[date]:
    """First days of the calendar months lying wholly inside [start, end]."""
    return [m for m in months_between(start, end)
            if m >= start and m.replace(day=monthrange(m.year, m.month)[1]) <= end]


def quarter_of(month: date) -> date:
    return month.replace(month=(month.month - 1) // 3 * 3 + 1, day=1)


def days_housed(tenancy: TenancyOutcome, month: date, end: date) -> int:
    """Days of the month starting `month` the tenancy housed its household (inclusive; to `end` if still running)."""
    last_of_month = month.replace(day=monthrange(month.year, month.month)[1])
    first, last = max(tenancy.moved_in, month), min(tenancy.moved_out or end, last_of_month)
    return max(0, (last - first).days + 1)


def business_case(tenancies: list[TenancyOutcome], booked: list[BookedSubsidy], start: date, end: date,
                  alternative: AlternativeCost) -> BusinessCase:
    """T 2: per target group and municipality, and per quarter, the booked subsidy against the alternative.

    `tenancies`: every tenancy, each taken as known on `end`; `booked`: any months, those compared are used."""
    months = whole_months(start, end)
    compared = set(months)
    known = [known_on(t, end) for t in tenancies]
    by_tenancy = {t.tenancy: t for t in known}
    cells: dict[tuple[date, str, str], Costs] = defaultdict(Costs)
    for t in known:
        rate = alternative.daily_rate(t.municipality)
        for month in months:
            days = days_housed(t, month, end)
            if days:
                person_days = t.household_size * days
                cells[(month, t.target_group, t.municipality)] += Costs(
                    person_days, Fraction(person_days, monthrange(month.year, month.month)[1]), ZERO,
                    rate * person_days)
    for b in booked:
        if b.month in compared:
            t = by_tenancy[b.tenancy]
            cells[(b.month, t.target_group, t.municipality)] += Costs(subsidy=b.amount)
    by_group: dict[tuple[str, str], Costs] = defaultdict(Costs)
    by_quarter: dict[date, Costs] = defaultdict(Costs)
    for (month, group, municipality), costs in cells.items():
        by_group[(group, municipality)] += costs
        by_quarter[quarter_of(month)] += costs
    return BusinessCase(tuple(months), dict(sorted(by_group.items())), dict(sorted(by_quarter.items())),
                        sum(cells.values(), Costs()))
