"""Social support (SPEC 2.4) with W1's figures: 400,000 kr a year at wage index 100, hired 2017-09-01."""
import random
from datetime import date
from decimal import Decimal

from disbursement.cases import known

from disbursement.schemes.inclusion.rules.deadlines import Dated
from disbursement.indexation import IndexTable
from disbursement.schemes.inclusion.rules.social_support import (
    AccountsReport,
    Quarter,
    SocialSupportFacts,
    Term,
    quarter_entitlement,
    social_support_schedule,
    social_support_term,
)
from disbursement.schemes.inclusion.rules.decisions import Decided, in_force

WAGE = IndexTable("wage", {2017: Decimal("100"), 2018: Decimal("102.5"), 2019: Decimal("105")})
TERMS = [Term(date(2017, 9, 29), Quarter(2017, 3)), Term(date(2017, 12, 29), Quarter(2017, 4)),
         Term(date(2018, 3, 28), Quarter(2018, 1)), Term(date(2018, 6, 29), Quarter(2018, 2))]


def facts(hires, accounts=(), lapse=None, years=15):
    return SocialSupportFacts(Decimal("400000.00"), 2017, years, list(hires), lambda as_of: lapse, list(accounts))


def test_w1_first_quarter_pro_rata_and_indexed_2018():
    f = facts([Dated(date(2017, 9, 5), date(2017, 9, 1))])
    # 30 of Q3's 92 days of 100,000.00 = 32,608.6956... -> 32,608.70
    assert quarter_entitlement(f, Quarter(2017, 3), date(2017, 9, 29), WAGE) == Decimal("32608.70")
    assert quarter_entitlement(f, Quarter(2017, 4), date(2017, 12, 29), WAGE) == Decimal("100000.00")
    # 400,000 x 102.5 / 100 = 410,000.00 a year, 102,500.00 a quarter
    assert quarter_entitlement(f, Quarter(2018, 1), date(2018, 3, 28), WAGE) == Decimal("102500.00")


def test_a_late_hire_report_pays_arrears_at_the_next_term():
    # hire reported 2018-01-10: Q3 and Q4 2017 were not payable at their terms; Q1 2018 pays them with its own
    f = facts([Dated(date(2018, 1, 10), date(2017, 9, 1))])
    schedule = social_support_schedule(f, TERMS, WAGE)
    assert [s.quarters for s in schedule] == [
        {}, {},
        {"quarter 2017Q3": Decimal("32608.70"), "quarter 2017Q4": Decimal("100000.00"),
         "quarter 2018Q1": Decimal("102500.00")},
        {"quarter 2018Q2": Decimal("102500.00")},
    ]


def test_a_corrected_hire_date_is_trued_up_at_the_next_term():
    # first reported 2017-09-01, corrected on 2018-02-01 to 2017-08-01: Q3 2017 is then 61/92 of 100,000.00
    # = 66,304.35, so Q1 2018 adds 66,304.35 - 32,608.70 = 33,695.65
    f = facts([Dated(date(2017, 9, 5), date(2017, 9, 1)), Dated(date(2018, 2, 1), date(2017, 8, 1))])
    schedule = social_support_schedule(f, TERMS, WAGE)
    assert schedule[2].quarters == {"quarter 2017Q3": Decimal("33695.65"), "quarter 2018Q1": Decimal("102500.00")}


def test_the_last_quarter_of_the_window_is_pro_rata():
    # a 1-year window from 2017-09-01 ends 2018-08-31: Q3 2018 covers 62 of 92 days of 102,500.00 = 69,076.09
    f = facts([Dated(date(2017, 9, 5), date(2017, 9, 1))], years=1)
    assert quarter_entitlement(f, Quarter(2018, 3), date(2018, 9, 28), WAGE) == Decimal("69076.09")
    assert quarter_entitlement(f, Quarter(2018, 4), date(2018, 12, 28), WAGE) == Decimal("0.00")


def test_a_lapsed_grant_pays_nothing_from_the_lapse_date():
    f = facts([Dated(date(2017, 9, 5), date(2017, 9, 1))], lapse=date(2017, 11, 1))
    # Q4 2017 covers only October: 31 of 92 days of 100,000.00 = 33,695.65
    assert quarter_entitlement(f, Quarter(2017, 4), date(2017, 12, 29), WAGE) == Decimal("33695.65")


def test_repayment_from_the_accounts_is_offset_against_later_payments():
    # 2017 paid 132,608.70; accounts received 2018-03-01 show 100,000.00 spent: 32,608.70 is offset in Q1 2018
    f = facts([Dated(date(2017, 9, 5), date(2017, 9, 1))], [AccountsReport(date(2018, 3, 1), 2017, Decimal("100000.00"))])
    schedule = social_support_schedule(f, TERMS, WAGE)
    assert schedule[2].repayment_offsets == {"repayment offset": Decimal("-32608.70")}
    assert schedule[3].repayment_offsets == {}
    collected = social_support_schedule(f, TERMS, WAGE, offset_repayments=False)
    assert collected[2].repayment_claims == {2017: Decimal("32608.70")} and collected[2].repayment_offsets == {}


def test_a_term_alone_pays_what_the_whole_schedule_gives_its_last_term():
    """social_support_term (what the job runs: its time does not grow with the years since the hire date) against
    social_support_schedule for every prefix of random histories: late, corrected and withdrawn hire reports, a
    lapse that becomes known, reductions, stops and changed amounts decided from any date, accounts reports."""
    rnd = random.Random(2031)
    wage = IndexTable("wage", {year: Decimal(100) + Decimal(rnd.randint(0, 300)) / 10 for year in range(2016, 2035)})
    terms = [Term(date(year, 3 * number, 28), Quarter(year, number)) for year in range(2017, 2033)
             for number in (1, 2, 3, 4)]

    def day(low: int = 2017, high: int = 2032) -> date:
        return date(rnd.randint(low, high), rnd.randint(1, 12), rnd.randint(1, 28))

    for case in range(120):
        hires = sorted((Dated(day(), day(2017, 2020)) for _ in range(rnd.randint(0, 3))), key=lambda d: d.received)
        lapse_known, lapse_on = day(), day()
        decisions = [dec(n, f"C{rnd.randint(1, 3)}", rnd.choice(["reduction", "stop", "grant-change"]), day(),
                         received=day(), support="social_support", percent=Decimal(rnd.choice([10, 25, 50])),
                         social_support_annual=Decimal(rnd.randint(200, 600) * 1000))
                     for n in range(rnd.randint(0, 3))]
        accounts = [AccountsReport(day(), rnd.randint(2017, 2030), Decimal(rnd.randint(0, 400000)))
                    for _ in range(rnd.choice([0, 0, 0, 1]))]
        f = SocialSupportFacts(Decimal("400000.00"), 2017, rnd.choice([2, 5, 15]), hires,
                               lambda as_of: lapse_on if as_of >= lapse_known and case % 3 == 0 else None, accounts,
                               lambda as_of: in_force(known(decisions, as_of)))
        first = rnd.randint(0, 8)
        for end in range(first + 1, first + rnd.randint(2, 40)):
            assert social_support_term(f, terms[first:end], wage) == \
                social_support_schedule(f, terms[first:end], wage)[-1], (case, end)


def dec(id, case, kind, effective, received, **fields) -> Decided:
    return Decided(id, case, kind, effective, effective, received, **fields)
