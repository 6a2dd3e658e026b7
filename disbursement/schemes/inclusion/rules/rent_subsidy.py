"""Rent subsidy arithmetic (V 2.5.2; SPEC 2.3): rates, on-account instalments, entitlement, reconciliation."""
from decimal import Decimal
from typing import Iterable, NamedTuple, Sequence

from ....money import ZERO, to_ore
from ....indexation import IndexTable

TERMS_PER_YEAR = 4


class DwellingGroup(NamedTuple):
    """One dwelling, or `count` identical dwellings of one type, with its approved subsidy per m2 and year.

    A plain named tuple: a national run builds one per dwelling, and a frozen dataclass costs about three times as
    much to build (docs/performance.md).
    """

    dwelling_id: str
    count: int
    area_m2: Decimal
    subsidy_per_m2: Decimal
    price_year: int


def annual_subsidy(dwelling: DwellingGroup, year: int, net_price: IndexTable) -> Decimal:
    """Indexed annual subsidy of one dwelling in `year`, rounded to øre (SPEC 2.3: the rate a person sees).

    The monthly rate is this amount / 12 and is deliberately not rounded: amounts are rounded once, per total.
    """
    return to_ore(net_price.indexed(dwelling.area_m2 * dwelling.subsidy_per_m2, year, dwelling.price_year))


def months_amount(lines: Iterable[tuple[Decimal, int]]) -> Decimal:
    """Sum of months x monthly rate, rounded once to øre (SPEC 2.3: 'Σ months x monthly rate, rounded').

    `lines` are (annual subsidy of one dwelling, its eligible months) pairs: plain tuples, as a national run passes
    a million of them.
    """
    return to_ore(sum((annual * months for annual, months in lines), ZERO) / 12)


def on_account_instalments(annual: Decimal) -> list[Decimal]:
    """q1..q3 = round(A/4), q4 = A - q1 - q2 - q3, so the instalments always sum to A exactly (SPEC 2.3)."""
    share = to_ore(annual / TERMS_PER_YEAR)
    return [share] * (TERMS_PER_YEAR - 1) + [annual - share * (TERMS_PER_YEAR - 1)]


def eligible_months(months: int, count: int, window_months: int) -> int:
    """Months that earn subsidy: never more than the group's dwellings have inside the 15-year window."""
    return min(months, count * window_months)


def reconciliation_difference(entitlement: Decimal, on_account_paid: Sequence[Decimal]) -> Decimal:
    """D = E - on-account paid for the year; added to (D > 0) or deducted from (D < 0) the next Q2 (V 2.5.2)."""
    return entitlement - sum(on_account_paid, ZERO)
