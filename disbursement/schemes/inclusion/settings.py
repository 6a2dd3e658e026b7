"""Inclusion housing's parameters (config/schemes/inclusion.toml): report due dates, grant limits, social-support
repayment, refund reserve and deadlines (V 2.2-2.7). Read once into this model; jobs and intake take it from
`Config` with `settings_of(config)`."""
from decimal import Decimal
from typing import Literal

from pydantic import Field, PositiveInt

from ...config import Config, Kroner, MonthDay, Parameters
from .rules.grant_limits import GrantLimits

NAME = "inclusion"


class Reporting(Parameters):
    estimate_due: MonthDay  # V 2.5.2: next year's estimate, month-day of the year before
    actuals_due: MonthDay  # V 2.5.2: last year's actual letting
    late_grant_estimate_months: PositiveInt
    late_estimate_lead_months: int = Field(ge=0)
    reconciliation_term: PositiveInt  # the term of the following year that settles the difference (Q2)


class Limits(Parameters):
    """V 2.2.2 and 2.4, stated in `price_year` prices and indexed with the net price index."""

    price_year: int
    max_subsidy_per_m2: Decimal = Field(gt=0)
    max_average_per_dwelling: Decimal = Field(gt=0)
    max_years: PositiveInt
    max_support_hours_per_resident: Decimal = Field(gt=0)

    def grant_limits(self) -> GrantLimits:
        return GrantLimits(self.price_year, self.max_subsidy_per_m2, self.max_average_per_dwelling, self.max_years,
                           self.max_support_hours_per_resident)


class SocialSupport(Parameters):
    repayment: Literal["offset", "collect"]  # V 2.5.3
    accounts_due_months: PositiveInt

    @property
    def offset_repayments(self) -> bool:
        return self.repayment == "offset"


class Conversion(Parameters):
    accounts_due_months: PositiveInt  # V 2.5.1


class Refunds(Parameters):
    reserve_per_cohort: Kroner  # V 2.2.4
    claims_due: MonthDay  # V 2.5.4: claims for year Y by this month-day of Y+1


class Deadlines(Parameters):
    start_months: PositiveInt  # V 2.5.1, 2.5.3
    phase_max_months: PositiveInt  # V 2.4
    lease_max_months: PositiveInt  # V 7
    vacancy_max_months: PositiveInt  # V 2.7


class InclusionSettings(Parameters):
    reporting: Reporting
    limits: Limits
    social_support: SocialSupport
    conversion: Conversion
    refunds: Refunds
    deadlines: Deadlines


def settings_of(config: Config) -> InclusionSettings:
    return config.settings_of(NAME)
