"""Refunds of municipal move-out losses (V 2.2.4, 2.5.4; SPEC 2.7).

75 % of the eligible loss (only a departed tenant's inability to pay for repairs; not arrears, not losses from the
organisation missing the move-out inspection deadlines), within a reserve set aside from each annual funding pool
(cohort). The reserve depletes over the years; when a year's claims on a cohort exceed what remains, every claim
is met in the same proportion, rounded by largest remainder so the parts add up to what remained. A late claim
the authority accepts (V 2.5.4 sets a deadline, not a forfeiture) shares what the timely claims of its year leave;
a cohort's reserve set by decision (V 2.2.4: at most the configured amount) applies to the years it was known for.
"""
from dataclasses import dataclass, field
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
    late: dict[Hashable, Decimal] = field(default_factory=dict)  # accepted late claims, from what the others left

    @property
    def remaining(self) -> Decimal:
        return self.available - sum(self.refunds.values(), ZERO) - sum(self.late.values(), ZERO)


Claims = Mapping[int, Mapping[Hashable, Decimal]]  # claim year -> claimant -> 75 % of the eligible loss


def cohort_refunds(reserve: Decimal, claims_by_year: Claims, late_by_year: Claims | None = None,
                   reserve_by_year: Mapping[int, Decimal] | None = None) -> list[CohortYear]:
    """Walk the claim years in order, each drawing on what the earlier ones left of the reserve (the year's own
    reserve when a decision set it: `reserve_by_year`); a year's accepted late claims share what its timely claims
    leave."""
    late_by_year, reserve_by_year = late_by_year or {}, reserve_by_year or {}
    drawn = ZERO
    years = []
    for year in sorted(set(claims_by_year) | set(late_by_year)):
        claims, late = claims_by_year.get(year, {}), late_by_year.get(year, {})
        available = max(ZERO, reserve_by_year.get(year, reserve) - drawn)
        refunds = refund_pro_rata(claims, available)
        left = available - sum(refunds.values(), ZERO)
        result = CohortYear(year, available, sum(claims.values(), ZERO) + sum(late.values(), ZERO), refunds,
                            refund_pro_rata(late, left) if late else {})
        years.append(result)
        drawn += result.available - result.remaining
    return years
