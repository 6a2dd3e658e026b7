"""Payment terms fall on the last Danish banking day on or before each quarter end (SPEC 2.3)."""
from datetime import date

from disbursement.engine.banking_days import payment_terms
from disbursement.engine.calendar import DataDays, jobs_between, jobs_in_year
from disbursement.engine.registry import load_config

CONFIG = load_config()


def test_easter_moves_q1_2018_to_wednesday_28_march():
    # 31 March 2018 is a Saturday, 30 March Good Friday, 29 March Maundy Thursday
    assert payment_terms(2018, CONFIG.terms)[0] == date(2018, 3, 28)


def test_2019_terms():
    assert payment_terms(2019, CONFIG.terms) == [date(2019, 3, 29), date(2019, 6, 28), date(2019, 9, 30), date(2019, 12, 30)]


def test_31_december_is_a_bank_closing_day():
    # 31 December 2024 is a Tuesday, but banks are closed: the term moves to Monday 30 December
    assert payment_terms(2024, CONFIG.terms)[3] == date(2024, 12, 30)
    # 31 December 2029 is a Monday, 30 and 29 a weekend: Friday 28 December
    assert payment_terms(2029, CONFIG.terms)[3] == date(2029, 12, 28)


def test_year_jobs_in_calendar_order():
    assert [(j.date, j.job) for j in jobs_in_year(2019, CONFIG)] == [
        (date(2019, 2, 15), "reconciliation"),
        (date(2019, 3, 29), "aconto"), (date(2019, 3, 29), "social_support"),
        (date(2019, 5, 15), "refunds"),
        (date(2019, 6, 28), "aconto"), (date(2019, 6, 28), "social_support"),
        (date(2019, 9, 30), "aconto"), (date(2019, 9, 30), "social_support"),
        (date(2019, 12, 1), "estimates"),
        (date(2019, 12, 30), "aconto"), (date(2019, 12, 30), "social_support"),
    ]


def test_jobs_between_spans_years_and_keeps_the_bounds():
    jobs = jobs_between(date(2018, 12, 1), date(2019, 2, 15), CONFIG,
                        DataDays(receipts={"lump_sums": [date(2019, 1, 7), date(2019, 3, 1)]}))
    assert [(j.date, j.job) for j in jobs] == [
        (date(2018, 12, 1), "estimates"), (date(2018, 12, 28), "aconto"), (date(2018, 12, 28), "social_support"),
        (date(2019, 1, 7), "lump_sums"), (date(2019, 2, 15), "reconciliation")]
