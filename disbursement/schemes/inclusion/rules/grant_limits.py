"""Limits checked when a grant is registered (V 2.2.2, 2.4; SPEC 2.1). Each violation is a message with figures."""
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from ....money import to_ore
from ....indexation import IndexTable
from .rent_subsidy import DwellingGroup


@dataclass(frozen=True)
class GrantLimits:
    """The maxima, stated in `price_year` prices and indexed like the subsidy (config/schemes/inclusion.toml [limits])."""

    price_year: int
    max_subsidy_per_m2: Decimal
    max_average_per_dwelling: Decimal
    max_years: int
    max_support_hours_per_resident: Decimal


def grant_limit_violations(
    dwellings: Sequence[DwellingGroup],
    duration_years: int,
    support_hours_per_week: Decimal,
    limits: GrantLimits,
    net_price: IndexTable,
) -> list[tuple[str, str]]:
    """Return (field, message) for every limit the grant breaks; empty when it keeps them all.

    Compared unrounded (181.004 kr/m2 breaks a 181 kr limit); the message shows figures rounded to øre.
    """
    problems: list[tuple[str, str]] = []
    if not 1 <= duration_years <= limits.max_years:
        problems.append(("duration-years", f"duration {duration_years} years is outside 1..{limits.max_years} (V 2.2.2)"))
    total_base = Decimal(0)
    for d in dwellings:
        per_m2 = net_price.indexed(d.subsidy_per_m2, limits.price_year, d.price_year)
        if per_m2 > limits.max_subsidy_per_m2:
            problems.append((
                "subsidy-per-m2",
                f"dwelling {d.dwelling_id}: {d.subsidy_per_m2} kr/m2 in {d.price_year} prices = {to_ore(per_m2)} kr/m2 in "
                f"{limits.price_year} prices exceeds the maximum {limits.max_subsidy_per_m2} kr/m2 (V 2.2.2)",
            ))
        total_base += net_price.indexed(d.count * d.area_m2 * d.subsidy_per_m2, limits.price_year, d.price_year)
    residents = sum(d.count for d in dwellings)
    if residents:
        average = total_base / residents
        if average > limits.max_average_per_dwelling:
            problems.append((
                "dwelling",
                f"average subsidy {to_ore(average)} kr per dwelling in {limits.price_year} prices exceeds the maximum "
                f"{limits.max_average_per_dwelling} kr (V 2.2.2)",
            ))
        hours = support_hours_per_week / residents
        if hours > limits.max_support_hours_per_resident:
            problems.append((
                "support-hours-per-week",
                f"social support of {support_hours_per_week} hours/week for {residents} residents = {to_ore(hours)} "
                f"hours/week per resident exceeds {limits.max_support_hours_per_resident} (V 2.4)",
            ))
    return problems
