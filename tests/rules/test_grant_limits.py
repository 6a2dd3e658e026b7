"""Grant limits of V 2.2.2 and 2.4 (SPEC 2.1), with the figures in the message."""
from decimal import Decimal

import pytest

from disbursement.engine.registry import load_config
from disbursement.schemes.inclusion.settings import settings_of
from disbursement.schemes.inclusion.rules.grant_limits import grant_limit_violations
from disbursement.indexation import IndexTable, MissingIndexValue
from disbursement.schemes.inclusion.rules.rent_subsidy import DwellingGroup

LIMITS = settings_of(load_config()).limits.grant_limits()
INDEX = IndexTable("net", {2016: Decimal("100.0"), 2018: Decimal("102.0")})


def test_a_grant_within_every_limit_passes():
    dwellings = [DwellingGroup("A", 4, Decimal(60), Decimal(150), 2016)]
    assert grant_limit_violations(dwellings, 15, Decimal(20), LIMITS, INDEX) == []


def test_subsidy_per_m2_is_compared_in_2016_prices():
    # 184.00 kr/m2 in 2018 prices = 184 x 100/102 = 180.39 in 2016 prices: allowed; 185.00 -> 181.37: rejected
    ok = DwellingGroup("A", 1, Decimal(50), Decimal("184.00"), 2018)
    bad = DwellingGroup("B", 1, Decimal(50), Decimal("185.00"), 2018)
    assert grant_limit_violations([ok], 15, Decimal(1), LIMITS, INDEX) == []
    [(field, message)] = grant_limit_violations([bad], 15, Decimal(1), LIMITS, INDEX)
    assert field == "subsidy-per-m2" and "181.37" in message and "181.00" in message


def test_average_per_dwelling_and_duration_and_support_hours():
    # 2 dwellings of 90 m2 at 150 kr = 13,500.00 each > 12,000.00; 11 hours for 2 residents = 5.50 > 5
    big = DwellingGroup("A", 2, Decimal(90), Decimal(150), 2016)
    problems = dict(grant_limit_violations([big], 16, Decimal(11), LIMITS, INDEX))
    assert "13500.00" in problems["dwelling"]
    assert "16 years" in problems["duration-years"]
    assert "5.50" in problems["support-hours-per-week"]


def test_a_missing_index_year_is_an_error_not_a_guess():
    with pytest.raises(MissingIndexValue, match="2017"):
        INDEX.indexed(Decimal("100.00"), 2017, 2016)


def test_limits_are_compared_before_rounding():
    # 181.004 kr/m2 rounds to 181.00 but is above the limit; 25.02 hours for 5 residents = 5.004 > 5
    above = DwellingGroup("A", 5, Decimal(40), Decimal("181.004"), 2016)
    problems = dict(grant_limit_violations([above], 15, Decimal("25.02"), LIMITS, INDEX))
    assert set(problems) == {"subsidy-per-m2", "support-hours-per-week"}
