"""Loss refunds: W1's pro-rata example (SPEC 4) and the properties of the split."""
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from disbursement.schemes.inclusion.rules.refunds import cohort_refunds, refund_pro_rata, refundable


def test_w1_refunds_are_cut_pro_rata_to_the_reserve():
    # 75 % of 40,000 / 600,000 / 100,000 = 30,000 / 450,000 / 75,000 = 555,000 > 500,000;
    # exact shares x 500/555: 27,027.027.. / 405,405.405.. / 67,567.567..; floors sum to 499,999.98,
    # the two øre go to the largest remainders (.0076 for 169, .0070 for 751)
    claims = {m: refundable(Decimal(loss)) for m, loss in (("751", 40000), ("101", 600000), ("169", 100000))}
    assert claims == {"751": Decimal("30000.00"), "101": Decimal("450000.00"), "169": Decimal("75000.00")}
    refunds = refund_pro_rata(claims, Decimal("500000.00"))
    assert refunds == {"751": Decimal("27027.03"), "101": Decimal("405405.40"), "169": Decimal("67567.57")}
    assert sum(refunds.values()) == Decimal("500000.00")


def test_the_reserve_depletes_across_years():
    years = cohort_refunds(Decimal("500000.00"), {2018: {"751": Decimal("300000.00")},
                                                  2019: {"751": Decimal("150000.00"), "101": Decimal("150000.00")},
                                                  2020: {"101": Decimal("1.00")}})
    assert [y.refunds for y in years] == [
        {"751": Decimal("300000.00")},
        {"751": Decimal("100000.00"), "101": Decimal("100000.00")},
        {"101": Decimal("0.00")},
    ]
    assert [y.remaining for y in years] == [Decimal("200000.00"), Decimal("0.00"), Decimal("0.00")]


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("900000"), places=2)


@given(st.dictionaries(st.text("0123456789", min_size=3, max_size=3), amounts, min_size=1, max_size=12),
       st.decimals(min_value=0, max_value=Decimal("500000"), places=2))
def test_pro_rata_never_exceeds_the_reserve_sums_exactly_and_is_proportional_within_one_ore(claims, available):
    refunds = refund_pro_rata(claims, available)
    total = sum(claims.values())
    assert set(refunds) == set(claims)
    if total <= available:
        assert refunds == claims
        return
    assert sum(refunds.values()) == available
    for key, amount in claims.items():
        assert abs(refunds[key] - amount * available / total) < Decimal("0.01")
        assert refunds[key] <= amount
