"""Social support (V 2.2.3, 2.5.3; SPEC 2.4) at its edges: corrections upon corrections, repayments that meet each
other or outlast the grant, one-day quarters and annual amounts that do not split evenly. W1's figures: 400,000.00
a year at wage index 100 (2017), 102.5 in 2018, 105 in 2019; hired 2017-09-01 unless said otherwise."""
from datetime import date
from decimal import Decimal

from disbursement.indexation import IndexTable
from disbursement.schemes.inclusion.rules.deadlines import Dated
from disbursement.schemes.inclusion.rules.social_support import (
    AccountsReport, Quarter, SocialSupportFacts, Term, quarter_entitlement, social_support_schedule,
)

WAGE = IndexTable("wage", {2017: Decimal("100"), 2018: Decimal("102.5"), 2019: Decimal("105")})
HIRED = [Dated(date(2017, 9, 5), date(2017, 9, 1))]
TERM_DATES = {Quarter(2017, 3): date(2017, 9, 29), Quarter(2017, 4): date(2017, 12, 29),
              Quarter(2018, 1): date(2018, 3, 28), Quarter(2018, 2): date(2018, 6, 29),
              Quarter(2018, 3): date(2018, 9, 28), Quarter(2018, 4): date(2018, 12, 28),
              Quarter(2019, 1): date(2019, 3, 29), Quarter(2019, 2): date(2019, 6, 28)}
TERMS = [Term(day, quarter) for quarter, day in TERM_DATES.items()]
D = Decimal


def facts(hires=HIRED, accounts=(), years=15, annual="400000.00", lapse=None):
    return SocialSupportFacts(D(annual), 2017, years, list(hires), lambda as_of: lapse, list(accounts))


def test_a_hire_date_corrected_twice_is_trued_up_each_time():
    f = facts([Dated(date(2017, 9, 5), date(2017, 9, 1)), Dated(date(2018, 2, 1), date(2017, 8, 1)),
               Dated(date(2018, 5, 1), date(2017, 10, 1))])
    schedule = social_support_schedule(f, TERMS[:4], WAGE)
    assert schedule[0].quarters == {"quarter 2017Q3": D("32608.70")}  # 30/92 x 100,000.00
    # 1 Aug: Q3 is 61/92 x 100,000.00 = 66,304.35, so 66,304.35 - 32,608.70 = 33,695.65 more
    assert schedule[2].quarters == {"quarter 2017Q3": D("33695.65"), "quarter 2018Q1": D("102500.00")}
    # 1 Oct: Q3 is worth nothing; what was assigned to it, 66,304.35, comes back; Q4 was full either way
    assert schedule[3].quarters == {"quarter 2017Q3": D("-66304.35"), "quarter 2018Q2": D("102500.00")}


def test_a_corrected_hire_date_then_annual_accounts_repay_what_the_corrected_year_exceeded():
    f = facts([Dated(date(2017, 9, 5), date(2017, 9, 1)), Dated(date(2018, 2, 1), date(2017, 8, 1))],
              [AccountsReport(date(2018, 5, 1), 2017, D("150000.00"))])
    schedule = social_support_schedule(f, TERMS[:4], WAGE)
    # 2017 assigned 66,304.35 + 100,000.00 = 166,304.35; spent 150,000.00: 16,304.35 offset at the Q2 2018 term
    assert schedule[3].repayment_offsets == {"repayment offset": D("-16304.35")}
    assert schedule[3].quarters == {"quarter 2018Q2": D("102500.00")}


def test_two_repayments_outstanding_at_once_are_offset_together_or_collected_per_year():
    accounts = [AccountsReport(date(2019, 3, 1), 2017, D("100000.00")),
                AccountsReport(date(2019, 3, 1), 2018, D("400000.00"), order=1)]
    schedule = social_support_schedule(facts(accounts=accounts), TERMS, WAGE)
    # 2017: 132,608.70 paid - 100,000.00 = 32,608.70; 2018: 4 x 102,500.00 - 400,000.00 = 10,000.00
    assert schedule[6].quarters == {"quarter 2019Q1": D("105000.00")}  # 400,000 x 105 / 100 / 4
    assert schedule[6].repayment_offsets == {"repayment offset": D("-42608.70")}
    assert [s.repayment_offsets for s in schedule[:6] + schedule[7:]] == [{}] * 7
    collected = social_support_schedule(facts(accounts=accounts), TERMS, WAGE, offset_repayments=False)
    assert collected[6].repayment_claims == {2017: D("32608.70"), 2018: D("10000.00")}
    assert collected[6].repayment_offsets == {}


def test_a_repayment_larger_than_the_next_payment_is_offset_over_the_terms_that_follow():
    schedule = social_support_schedule(facts(accounts=[AccountsReport(date(2018, 3, 1), 2017, D("0.00"))]),
                                       TERMS[:4], WAGE)
    # 132,608.70 to repay: all of Q1 2018's 102,500.00, then the remaining 30,108.70 from Q2 2018
    assert schedule[2].repayment_offsets == {"repayment offset": D("-102500.00")}
    assert schedule[3].repayment_offsets == {"repayment offset": D("-30108.70")}


def test_a_repayment_still_outstanding_when_the_grant_ends_is_offset_whole_at_its_last_term():
    # a one-year window from 2017-09-01 ends 2018-08-31: Q3 2018 is its last quarter (62/92 x 102,500.00 = 69,076.09)
    f = facts(accounts=[AccountsReport(date(2018, 9, 1), 2017, D("0.00"))], years=1)
    schedule = social_support_schedule(f, TERMS[:6], WAGE)
    assert schedule[4].quarters == {"quarter 2018Q3": D("69076.09")}
    # nothing follows to offset against: the whole 132,608.70 is taken now (the term nets -63,532.61, a claim)
    assert schedule[4].repayment_offsets == {"repayment offset": D("-132608.70")}
    assert schedule[5].quarters == {} and schedule[5].repayment_offsets == {}


def test_a_quarter_covered_by_a_single_day_pays_one_day():
    f = facts([Dated(date(2017, 9, 30), date(2017, 9, 30))])
    # 1/92 x 100,000.00 = 1,086.956... -> 1,086.96
    assert quarter_entitlement(f, Quarter(2017, 3), date(2017, 9, 30), WAGE) == D("1086.96")
    lapsing = facts(lapse=date(2017, 10, 2))  # pays 1 October only: 1/92 x 100,000.00
    assert quarter_entitlement(lapsing, Quarter(2017, 4), date(2017, 12, 29), WAGE) == D("1086.96")


def test_an_annual_amount_not_divisible_by_four_puts_the_rest_in_the_fourth_quarter():
    f = facts(annual="400000.02")  # / 4 = 100,000.005 -> 100,000.01 for Q1-Q3; Q4 = 400,000.02 - 300,000.03
    assert quarter_entitlement(f, Quarter(2017, 4), date(2017, 12, 29), WAGE) == D("99999.99")
    assert quarter_entitlement(facts([Dated(date(2017, 1, 5), date(2017, 1, 1))], annual="400000.02"),
                               Quarter(2017, 1), date(2017, 3, 31), WAGE) == D("100000.01")
    # 2018: 400,000.02 x 1.025 = 410,000.0205 -> 410,000.02; / 4 = 102,500.005 -> 102,500.01; Q4 102,499.99
    assert quarter_entitlement(f, Quarter(2018, 1), date(2018, 3, 28), WAGE) == D("102500.01")
    assert quarter_entitlement(f, Quarter(2018, 4), date(2018, 12, 28), WAGE) == D("102499.99")


def test_accounts_received_on_the_term_date_count_at_that_term_and_a_day_later_at_the_next():
    on_the_day = facts(accounts=[AccountsReport(date(2018, 3, 28), 2017, D("100000.00"))])
    assert social_support_schedule(on_the_day, TERMS[:4], WAGE)[2].repayment_offsets == {
        "repayment offset": D("-32608.70")}
    day_after = facts(accounts=[AccountsReport(date(2018, 3, 29), 2017, D("100000.00"))])
    schedule = social_support_schedule(day_after, TERMS[:4], WAGE)
    assert schedule[2].repayment_offsets == {}
    assert schedule[3].repayment_offsets == {"repayment offset": D("-32608.70")}


def test_corrected_accounts_change_only_the_difference():
    accounts = [AccountsReport(date(2018, 3, 1), 2017, D("100000.00")),
                AccountsReport(date(2018, 5, 1), 2017, D("120000.00"))]  # a correction: 20,000.00 more spent
    schedule = social_support_schedule(facts(accounts=accounts), TERMS[:4], WAGE)
    assert schedule[2].repayment_offsets == {"repayment offset": D("-32608.70")}
    # the repayment falls to 12,608.70: 20,000.00 comes back, offset negative
    assert schedule[3].repayment_offsets == {"repayment offset": D("20000.00")}


def test_a_quarter_is_valued_with_the_hire_date_known_on_the_day_asked():
    reported_late = facts([Dated(date(2018, 1, 10), date(2017, 9, 1))])
    assert quarter_entitlement(reported_late, Quarter(2017, 3), date(2017, 9, 29), WAGE) == D("0.00")
    assert quarter_entitlement(reported_late, Quarter(2017, 3), date(2018, 1, 10), WAGE) == D("32608.70")


def test_a_repayment_under_one_krone_is_offset_only_up_to_what_the_term_pays():
    # 1.20 a year: 2017 pays Q3 30/92 x 0.30 = 0.0978 -> 0.10 and Q4 0.30 (= 1.20 - 3 x 0.30), 0.40 in all; nothing
    # spent, so 0.40 is repaid. 2018: 1.20 x 1.025 = 1.23, Q1 1.23 / 4 = 0.3075 -> 0.31: only 0.31 is offset in Q1
    # and the last 0.09 in Q2.
    f = facts(annual="1.20", accounts=[AccountsReport(date(2018, 3, 1), 2017, D("0.00"))])
    schedule = social_support_schedule(f, TERMS[:4], WAGE)
    assert [s.quarters for s in schedule[:2]] == [{"quarter 2017Q3": D("0.10")}, {"quarter 2017Q4": D("0.30")}]
    assert schedule[2].repayment_offsets == {"repayment offset": D("-0.31")}
    assert schedule[3].repayment_offsets == {"repayment offset": D("-0.09")}
