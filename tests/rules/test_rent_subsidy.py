"""Rent-subsidy arithmetic against worked example W1 (SPEC 4), figures checked by hand."""
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from disbursement.engine.booking import settle
from disbursement.indexation import IndexTable
from disbursement.schemes.inclusion.rules.rent_cycle import (
    DwellingMonths,
    GrantFacts,
    ReportFacts,
    actuals_in_force,
    amount_by_department,
    estimate_for_term,
    reconcile_year,
    term_instalments,
)
from disbursement.schemes.inclusion.rules.rent_subsidy import (
    DwellingGroup,
    annual_subsidy,
    months_amount,
    on_account_instalments,
)

W1_INDEX = IndexTable("W1", {2016: Decimal("100.0"), 2018: Decimal("102.0"), 2019: Decimal("103.0")})
A = DwellingGroup("A", 4, Decimal(60), Decimal(150), 2016)
B = DwellingGroup("B", 2, Decimal(80), Decimal(100), 2016)
TERMS_2018 = [date(2018, 3, 28), date(2018, 6, 29), date(2018, 9, 28), date(2018, 12, 28)]


def test_w1_annual_rates_2018_and_2019():
    # 60 x 150 x 102/100 = 9,180.00; 80 x 100 x 1.02 = 8,160.00; 2019: x 1.03 -> 9,270.00 and 8,240.00
    assert annual_subsidy(A, 2018, W1_INDEX) == Decimal("9180.00")
    assert annual_subsidy(B, 2018, W1_INDEX) == Decimal("8160.00")
    assert annual_subsidy(A, 2019, W1_INDEX) == Decimal("9270.00")
    assert annual_subsidy(B, 2019, W1_INDEX) == Decimal("8240.00")


def test_w1_on_account_2018_is_four_times_13260():
    # 48 x 765.00 + 24 x 680.00 = 36,720.00 + 16,320.00 = 53,040.00
    annual = months_amount([(Decimal("9180.00"), 48), (Decimal("8160.00"), 24)])
    assert annual == Decimal("53040.00")
    assert on_account_instalments(annual) == [Decimal("13260.00")] * 4


def test_w1_on_account_2019_last_instalment_takes_the_remainder():
    # 44 x 772.50 + 22 x 686.666... = 33,990.00 + 15,106.666... = 49,096.67 (rounded once)
    annual = months_amount([(Decimal("9270.00"), 44), (Decimal("8240.00"), 22)])
    assert annual == Decimal("49096.67")
    assert on_account_instalments(annual) == [Decimal("12274.17")] * 3 + [Decimal("12274.16")]


def test_settle_pays_what_is_due_and_claims_a_deduction_beyond_it():
    assert settle(Decimal("12274.17") - Decimal("7395.00")).payment == Decimal("4879.17")
    beyond = settle(Decimal("12274.17") - Decimal("20000.00"))
    assert (beyond.payment, beyond.claim) == (Decimal("0.00"), Decimal("7725.83"))


def _w1_facts(received=date(2017, 11, 28), window_start=date(2017, 9, 1)) -> GrantFacts:
    return GrantFacts(
        grant_id="G1", window_start=window_start, duration_years=15, departments={1: "nominal"},
        estimates={2018: [ReportFacts(1, received)]}, actuals={2018: [ReportFacts(2, date(2019, 2, 12))]},
    )


def _amounts(facts: GrantFacts, report: ReportFacts | None, months: tuple[int, ...]) -> dict[int, Decimal]:
    """What the jobs do with a report in force: its lines (dwelling A, then B, of department 1) valued for 2018."""
    lines = [DwellingMonths(1, group, m) for group, m in zip((A, B), months)] if report else []
    return amount_by_department(facts.departments, lines, 2018, facts.window_in(2018), W1_INDEX)


def _terms_paid(facts: GrantFacts, estimate_months: tuple[int, ...]) -> list[Decimal]:
    return [term_instalments(_amounts(facts, estimate_for_term(facts, 2018, d, 1), estimate_months), k)[1]
            for k, d in enumerate(TERMS_2018, start=1)]


def _reconcile(facts: GrantFacts, actual_months: tuple[int, ...], paid: Decimal | None):
    actuals = actuals_in_force(facts, 2018)
    return reconcile_year(_amounts(facts, actuals, actual_months), {} if paid is None else {1: paid},
                          actuals.report_id)[1]


def test_w1_reconciliation_difference_is_minus_7395():
    # E = 41 x 765.00 + 21 x 680.00 = 31,365.00 + 14,280.00 = 45,645.00; D = 45,645.00 - 53,040.00
    result = _reconcile(_w1_facts(), (41, 21), Decimal("53040.00"))
    assert (result.entitlement, result.on_account, result.difference, result.actuals_report_id) == (
        Decimal("45645.00"), Decimal("53040.00"), Decimal("-7395.00"), 2)


def test_late_estimate_pays_from_the_first_term_more_than_a_month_after_receipt():
    # received 2018-05-10: 2018-06-29 > 2018-06-10, so Q2 is the first paid term; Q1 (2018-03-28) pays nothing
    facts = _w1_facts(received=date(2018, 5, 10))
    paid = _terms_paid(facts, (48, 24))
    assert paid == [Decimal("0.00"), Decimal("13260.00"), Decimal("13260.00"), Decimal("13260.00")]
    # reconciliation trues up: E 45,645.00 - paid 39,780.00 = 5,865.00
    assert _reconcile(facts, (41, 21), sum(paid)).difference == Decimal("5865.00")


def test_estimate_received_exactly_one_month_before_a_term_waits_for_the_next():
    facts = _w1_facts(received=date(2018, 5, 29))
    assert estimate_for_term(facts, 2018, date(2018, 6, 29), 1) is None
    assert _terms_paid(facts, (48, 24))[1] == Decimal("0.00")


def test_months_outside_the_15_year_window_earn_nothing():
    # window from 2003-09 for 15 years ends with 2018-08: 8 months of 2018 inside, so A earns at most 4 x 8 months
    facts = _w1_facts(window_start=date(2003, 9, 1))
    assert facts.window_in(2018) == 8
    result = _reconcile(facts, (48, 0), None)
    assert result.entitlement == Decimal("24480.00")  # 32 x 765.00
    assert result.difference == Decimal("24480.00")  # nothing was paid on account


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(money)
def test_instalments_always_sum_to_the_annual_amount(annual):
    parts = on_account_instalments(annual)
    assert sum(parts) == annual
    assert all(p == p.quantize(Decimal("0.01")) for p in parts)
    assert max(parts) - min(parts) <= Decimal("0.03")


@given(st.lists(st.integers(0, 48), min_size=2, max_size=2), st.lists(st.integers(0, 48), min_size=2, max_size=2),
       st.sampled_from([date(2017, 11, 1), date(2018, 2, 3), date(2018, 7, 31), date(2018, 11, 30)]))
def test_on_account_paid_plus_difference_is_the_entitlement(estimated, actual, received):
    facts = _w1_facts(received)
    paid = sum(_terms_paid(facts, (estimated[0], min(estimated[1], 24))))
    result = _reconcile(facts, (actual[0], min(actual[1], 24)), paid)
    assert paid == result.on_account
    assert result.on_account + result.difference == result.entitlement
