"""Grant limits (V 2.2.2, 2.4; SPEC 2.1), the index table and money parsing at their boundaries: a limit met exactly
is kept, every dwelling group counts towards the average, and errors say what to do."""
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from disbursement.engine.registry import load_config
from disbursement.indexation import IndexTable, MissingIndexValue
from disbursement.money import parse_money, to_ore
from disbursement.schemes.inclusion.rules.grant_limits import grant_limit_violations
from disbursement.schemes.inclusion.rules.rent_subsidy import DwellingGroup, annual_subsidy
from disbursement.schemes.inclusion.settings import settings_of

LIMITS = settings_of(load_config()).limits.grant_limits()  # 181.00 kr/m2, 12,000.00 a dwelling, 15 years, 5 hours
INDEX = IndexTable("net", {2016: Decimal("100.0"), 2018: Decimal("102.0")})
D = Decimal


def test_a_duration_of_one_to_fifteen_years_is_allowed_and_zero_is_not():
    assert grant_limit_violations([], 1, D(0), LIMITS, INDEX) == []
    assert grant_limit_violations([], 15, D(0), LIMITS, INDEX) == []
    assert grant_limit_violations([], 0, D(0), LIMITS, INDEX) == [
        ("duration-years", "duration 0 years is outside 1..15 (V 2.2.2)")]


def test_a_subsidy_of_exactly_the_maximum_per_m2_and_a_dwelling_average_of_exactly_12000_are_allowed():
    # 80 m2 x 150.00 = 12,000.00 for the one dwelling: exactly the maximum; 181.00 kr/m2: exactly the maximum
    assert grant_limit_violations([DwellingGroup("A", 1, D(80), D("150.00"), 2016)], 15, D(5), LIMITS, INDEX) == []
    assert grant_limit_violations([DwellingGroup("A", 1, D(50), D("181.00"), 2016)], 15, D(5), LIMITS, INDEX) == []


def test_every_dwelling_group_counts_towards_the_average():
    # A: 80 m2 x 150 = 12,000.00; B: 100 m2 x 150 = 15,000.00; (12,000 + 15,000) / 2 = 13,500.00 > 12,000.00
    groups = [DwellingGroup("A", 1, D(80), D("150.00"), 2016), DwellingGroup("B", 1, D(100), D("150.00"), 2016)]
    assert grant_limit_violations(groups, 15, D(10), LIMITS, INDEX) == [
        ("dwelling", "average subsidy 13500.00 kr per dwelling in 2016 prices exceeds the maximum 12000.00 kr "
                     "(V 2.2.2)")]


def test_the_average_is_taken_in_the_limits_price_year():
    # 80 m2 x 152.00 kr in 2018 prices = 12,160.00, in 2016 prices x 100/102 = 11,921.57: within 12,000.00
    # (taking it the other way, x 102/100 = 12,403.20, would break it)
    assert grant_limit_violations([DwellingGroup("A", 1, D(80), D("152.00"), 2018)], 15, D(5), LIMITS, INDEX) == []


def test_a_missing_index_value_names_the_file_the_year_and_the_source():
    table = IndexTable("net price index", {2016: D("100.3")}, "config/indices/net_price.toml", "Danmarks Statistik")
    with pytest.raises(MissingIndexValue) as error:
        table.value(2019)
    assert str(error.value) == ("config/indices/net_price.toml: the net price index has no value for 2019 (the value "
                                "applying from 1 January 2019); add it under [values] (source: Danmarks Statistik)")
    bare = IndexTable("wage", {})
    with pytest.raises(MissingIndexValue) as error:
        bare.indexed(D("100.00"), 2019, 2017)
    assert str(error.value) == ("config/: the wage has no value for 2019 (the value applying from 1 January 2019); "
                                "add it under [values]")


def test_indexing_is_amount_times_the_ratio_of_two_years_unrounded():
    assert INDEX.indexed(D("9000.00"), 2018, 2016) == D("9180.00")
    assert INDEX.indexed(D("9180.00"), 2016, 2018) == D("9000")  # back: exact
    assert INDEX.indexed(D("1.00"), 2016, 2018) == D("100.0") / D("102.0")  # not terminating: 28 digits, unrounded


def _exact_ore(amount: Fraction) -> Decimal:
    """The rational amount rounded once to øre, half up (the reference SPEC 3 describes)."""
    q, r = divmod(amount.numerator * 100, amount.denominator)
    return D(q + (2 * r >= amount.denominator)).scaleb(-2)


@pytest.mark.parametrize("base, index, price_index, exact", [
    # 67,860.78 x 106.6 / 98.4 = 73,515.845 exactly: half an øre, up to 73,515.85 (a factor 106.6/98.4 rounded at
    # 28 digits first gave 73,515.84)
    ("67860.78", "106.6", "98.4", "73515.85"),
    ("89295.093", "101.5", "95.9", "94509.41"),
    ("62915.7628", "110", "96.8", "71495.19"),
    ("35673.82", "113.7", "109.2", "37143.90"),
])
def test_an_exact_half_ore_is_rounded_up(base, index, price_index, exact):
    table = IndexTable("net price index", {2016: D(price_index), 2020: D(index)})
    assert _exact_ore(Fraction(D(base)) * Fraction(D(index)) / Fraction(D(price_index))) == D(exact)
    assert to_ore(table.indexed(D(base), 2020, 2016)) == D(exact)
    assert annual_subsidy(DwellingGroup("X", 1, D(1), D(base), 2016), 2020, table) == D(exact)


def test_indexing_rounds_like_exact_rational_arithmetic():
    """Random areas, rates (up to 4 decimals together) and index values with one decimal, as published; half of
    the cases built to be an exact half øre."""
    rnd = random.Random(15)
    for case in range(20000):
        price_index, index = (D(rnd.randint(800, 1300)) / 10 for _ in range(2))
        if case % 2:  # a base that makes base x index / price index = k + 0.005 exactly, where one exists
            target = Fraction(rnd.randint(10 ** 5, 10 ** 9) * 10 + 5, 1000)
            base = target * Fraction(price_index) / Fraction(index)
            if (base * 10 ** 4).denominator != 1:
                continue
            base = D(base.numerator) / D(base.denominator)
        else:
            base = D(rnd.randint(1, 10 ** 11)).scaleb(-4)
        table = IndexTable("net price index", {2016: price_index, 2020: index})
        assert to_ore(table.indexed(base, 2020, 2016)) == \
            _exact_ore(Fraction(base) * Fraction(index) / Fraction(price_index)), (base, index, price_index)


def test_money_is_read_with_at_most_two_decimals():
    assert parse_money("1234.5") == D("1234.50") and str(parse_money("7")) == "7.00"
    with pytest.raises(ValueError, match=r"^'1\.005' has more than two decimals$"):
        parse_money("1.005")
