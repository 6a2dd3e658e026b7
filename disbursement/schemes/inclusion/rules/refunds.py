"""Refunds of municipal move-out losses (V 2.2.4, 2.5.4; SPEC 2.7).

75 % of the eligible loss (only a departed tenant's inability to pay for repairs; not arrears, not losses from the
organisation missing the move-out inspection deadlines), within a reserve set aside from each annual funding pool
(cohort). The reserve depletes over the years; when a year's claims on a cohort exceed what remains, every claim
is met in the same proportion, rounded by largest remainder so the parts add up to what remained.
"""
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Hashable, Mapping

from ....money import ORE, ZERO, to_ore

ELIGIBLE_REASON = "tenant-unable-to-pay"
REFUND_SHARE = Decimal("0.75")


def refundable(eligible_loss: Decimal) -> Decimal:
    return to_ore(eligible_loss * REFUND_SHARE)


def refund_pro_rata(claims: Mapping[Hashable, Decimal], available: Decimal) -> dict[Hashable, Decimal]:
    """Each claim in full when they fit in `available`; otherwise the same proportion of each, summing exactly to
    `available` (largest remainder; ties go to the claim that sorts first)."""
    total = sum(claims.values())  # no claims: 0, and nothing to share
    if total <= available:
        return dict(claims)
    exact = {key: amount * available / total for key, amount in claims.items()}
    floors = {key: value.quantize(ORE, rounding=ROUND_FLOOR) for key, value in exact.items()}
    left = int((available - sum(floors.values())) / ORE)
    by_remainder = sorted(claims, key=lambda key: (-(exact[key] - floors[key]), str(key)))
    for key in by_remainder[:left]:
        floors[key] += ORE
    return floors


@dataclass(frozen=True)
class CohortYear:
    """What one claim year did to one cohort's reserve."""

    year: int
    available: Decimal
    claimed: Decimal
    refunds: dict[Hashable, Decimal]

    @property
    def remaining(self) -> Decimal:
        return self.available - sum(self.refunds.values(), ZERO)


def cohort_refunds(reserve: Decimal, claims_by_year: Mapping[int, Mapping[Hashable, Decimal]]) -> list[CohortYear]:
    """Walk the claim years in order, each drawing on what the earlier ones left of the reserve."""
    available = reserve
    years = []
    for year in sorted(claims_by_year):
        claims = claims_by_year[year]
        result = CohortYear(year, available, sum(claims.values(), ZERO), refund_pro_rata(claims, available))
        years.append(result)
        available = result.remaining
    return years
