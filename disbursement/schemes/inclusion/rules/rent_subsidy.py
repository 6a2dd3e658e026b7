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


def annual_ore_sql(area: str, rate: str, price_year: str, year: int, net_price: IndexTable,
                   price_years: Iterable[int]) -> tuple[str, dict[str, int]]:
    """`annual_subsidy` in integer øre as an SQL expression (and its parameters) over columns holding the area and
    the rate (two decimals each, as the register's schema has them) and the price year, for the database to sum a
    million of them (jobs/amounts.py). The same exact rational rounding, in integers: with the index values scaled
    to integers Y and B (x 10^k), annual = round_half_up(area·100 x rate·100 x Y / (B x 100)), and round_half_up(n /
    d) = (2n + d) div (2d) for n >= 0. Works on SQLite and PostgreSQL alike (64-bit integers; `fits` bounds them).
    """
    years = sorted(set(price_years))
    scale = _index_scale(net_price, [year, *years])
    params = {"index_year": int(net_price.value(year) * scale)}
    cases = []
    for n, base in enumerate(years):
        params[f"py{n}"], params[f"den{n}"] = base, int(net_price.value(base) * scale) * 100
        cases.append(f"WHEN :py{n} THEN :den{n}")
    den = f"(CASE {price_year} {' '.join(cases)} END)"
    product = f"CAST(ROUND({area} * 100) AS BIGINT) * CAST(ROUND({rate} * 100) AS BIGINT) * :index_year"
    return f"((2 * {product} + {den}) / (2 * {den}))", params


def fits(largest_area: Decimal, largest_rate: Decimal, year: int, net_price: IndexTable,
         price_years: Iterable[int]) -> bool:
    """Whether `annual_ore_sql` stays well within 64-bit integers for dwellings up to this area and rate (SQLite
    would turn an overflow into a float, PostgreSQL refuse it): a margin of 1,000 for the sums of a report."""
    years = [year, *price_years]
    scale = _index_scale(net_price, years)
    numerator = 2 * int(largest_area * 100) * int(largest_rate * 100) * int(net_price.value(year) * scale)
    return (numerator + max(int(net_price.value(y) * scale) * 100 for y in years)) * 1000 < 2 ** 63


def _index_scale(net_price: IndexTable, years: Iterable[int]) -> int:
    """10^k, k the most decimals of the index values of `years`: what makes them all integers."""
    return 10 ** max(-min(net_price.value(y).as_tuple().exponent, 0) for y in years)


def months_amount_of_ore(ore_months: int) -> Decimal:
    """`months_amount` of lines whose Σ months x annual (annual in øre) is `ore_months`: / 12, rounded half up."""
    return Decimal((2 * ore_months + 12) // 24).scaleb(-2)


def on_account_instalments(annual: Decimal) -> list[Decimal]:
    """q1..q3 = round(A/4), q4 = A - q1 - q2 - q3, so the instalments always sum to A exactly (SPEC 2.3)."""
    share = to_ore(annual / TERMS_PER_YEAR)
    return [share] * (TERMS_PER_YEAR - 1) + [annual - share * (TERMS_PER_YEAR - 1)]


def eligible_months(months: int, count: int, window_months: int) -> int:
    """Months that earn subsidy: never more than the group's dwellings have inside the 15-year window."""
    return min(months, count * window_months)


def eligible_months_sql(months: str, count: str, window_param: str) -> str:
    """`eligible_months` as an SQL expression over two columns and a parameter (jobs/amounts.py)."""
    return f"(CASE WHEN {months} < {count} * :{window_param} THEN {months} ELSE {count} * :{window_param} END)"


def reconciliation_difference(entitlement: Decimal, on_account_paid: Sequence[Decimal]) -> Decimal:
    """D = E - on-account paid for the year; added to (D > 0) or deducted from (D < 0) the next Q2 (V 2.5.2)."""
    return entitlement - sum(on_account_paid, ZERO)
