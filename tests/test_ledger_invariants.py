"""The ledger checks of disbursement/ledger/invariants.py, pinned one condition at a time for mutation testing.

Each check gets a journal that breaks just that rule, in each direction that matters, and the exact problem text
is asserted. A set of correct journals gives no problem at all, so a check that always reports fails too. The
journals are built by hand from the shipped accounts (config/accounts.toml: bank 5800, payable 5850, collection
claims 6310, rent subsidy 5110 on 105.9 note 102.4/104.4 in the department's books, social support 5120 on 602 note
pkt. 26 in the organisation's books, loss refunds 5140 on nothing). Only the year filter of `check_ledger` needs a
database: W1 booked by the command line, checked against a chart that lacks the rent-subsidy account 5110.
"""
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlmodel import Session

from disbursement.config import load_ledger_settings
from disbursement.engine.registry import load_config
from disbursement.ledger.chart import Chart
from disbursement.ledger.errors import UnbalancedJournal
from disbursement.ledger.invariants import LedgerProblem, check_journal, check_ledger, require_balanced
from disbursement.ledger.journals import JournalEntry, MoneyEntry, PostingEntry, journal_key
from disbursement.store.database import open_engine

from tests.conftest import FIXTURES
from tests.helpers import W1_CONFIG, cli

D = Decimal
CONFIG = load_config(W1_CONFIG)
CHART = Chart.of(load_ledger_settings(), CONFIG.accounts)
W1 = sorted(str(p) for p in (FIXTURES / "w1").glob("*.xml"))

# Where a posting lands in the recipient's accounts (V 11): (account, note, book); None for bank, claim and
# municipal postings.
RENT_NOMINAL = ("105.9", "102.4", "department")
RENT_INDEX = ("105.9", "104.4", "department")
SOCIAL = ("602", "pkt. 26", "organisation")
NOWHERE = (None, None, None)

TERM = date(2019, 6, 28)
DEPT_12 = "rent/2019-06-28/G1/12"
DEPT_14 = "rent/2019-06-28/G1/14"
KEY = "aconto/2019-06-28/1"


def posting(line: str, component: str, account: str, amount: str, recipient=NOWHERE) -> PostingEntry:
    department = line.rsplit("/", 1)[-1] if line.startswith("rent/") else None
    return PostingEntry(line, component, account, D(amount), "G1", department, None, "12345678", *recipient)


def money(line: str, amount: str, support: str = "rent_subsidy", day: date = TERM) -> MoneyEntry:
    """A payment (value date) or a claim (due date) of a line."""
    return MoneyEntry(f"{line}#1", line, support, "12345678", "G1", None, day, D(amount))


def journal(*postings: PostingEntry, payments=(), claims=(), job: str = "aconto", job_date: date = TERM,
            booked_on: date | None = None, corrects_year: int | None = None) -> JournalEntry:
    return JournalEntry(id=1, key=journal_key(job, job_date, 1), job=job, job_date=job_date, seq=1,
                        booked_on=booked_on or job_date, description="hand-built", corrects=None,
                        corrects_year=corrects_year, postings=tuple(postings), payments=tuple(payments),
                        claims=tuple(claims))


def problems(entry: JournalEntry, chart: Chart = CHART) -> list[str]:
    return [str(problem) for problem in check_journal(entry, CONFIG, chart)]


# --- require_balanced: the write-time check --------------------------------------------------------------------

def test_require_balanced_passes_debits_equal_to_credits():
    require_balanced([D("12274.17"), D("-7395.00"), D("-4879.17")], "aconto 2019-06-28")
    require_balanced([], "aconto 2019-06-28")


@pytest.mark.parametrize("bank, difference", [("-4879.18", "-0.01"), ("-4879.16", "0.01"), ("-4878.17", "1.00")],
                         ids=["debits-below-credits", "debits-above-credits", "one-krone-over"])
def test_require_balanced_refuses_either_difference_with_its_sign(bank, difference):
    with pytest.raises(UnbalancedJournal) as raised:
        require_balanced([D("12274.17"), D("-7395.00"), D(bank)], "aconto 2019-06-28")
    assert str(raised.value) == f"aconto 2019-06-28: journal does not balance (debits - credits = {difference})"


# --- check_journal: correct journals give no problem -----------------------------------------------------------

CORRECT = {
    # Q2 2019 for two departments: 12 is paid 12,274.17 - 7,395.00 = 4,879.17; 14 (index loans) owes back
    # 8,000.00 - 5,000.00 = 3,000.00 as a collection claim.
    "rent-payment-and-claim": journal(
        posting(DEPT_12, "instalment", "5110", "12274.17", RENT_NOMINAL),
        posting(DEPT_12, "payment", "5850", "-4879.17"),
        posting(DEPT_12, "reconciliation 2018", "5110", "-7395.00", RENT_NOMINAL),
        posting(DEPT_14, "claim", "6310", "3000.00"),
        posting(DEPT_14, "instalment", "5110", "5000.00", RENT_INDEX),
        posting(DEPT_14, "reconciliation 2018", "5110", "-8000.00", RENT_INDEX),
        payments=[money(DEPT_12, "4879.17")], claims=[money(DEPT_14, "3000.00")]),
    "social-support": journal(
        posting("social/2019-06-28/G1", "payment", "5850", "-105000.00"),
        posting("social/2019-06-28/G1", "quarter 2019Q2", "5120", "105000.00", SOCIAL),
        payments=[money("social/2019-06-28/G1", "105000.00", "social_support")], job="social_support"),
    "loss-refund-to-a-municipality": journal(
        posting("refund/2018/751", "cohort 2017", "5140", "4200.00"),
        posting("refund/2018/751", "payment", "5850", "-4200.00"),
        payments=[money("refund/2018/751", "4200.00", "loss_refund", date(2019, 5, 15))],
        job="refunds", job_date=date(2019, 5, 15)),
    # the Q4 2018 term, run after 2018 was closed: booked on 1 January 2019 as a correction of 2018
    "closed-year-correction": journal(
        posting("rent/2018-12-28/G1/12", "instalment", "5110", "13260.00", RENT_NOMINAL),
        posting("rent/2018-12-28/G1/12", "payment", "5850", "-13260.00"),
        payments=[money("rent/2018-12-28/G1/12", "13260.00", day=date(2018, 12, 28))],
        job_date=date(2018, 12, 28), booked_on=date(2019, 1, 1), corrects_year=2018),
}


@pytest.mark.parametrize("name", CORRECT)
def test_a_correct_journal_has_no_problems(name):
    assert check_journal(CORRECT[name], CONFIG, CHART) == []


def test_an_empty_note_is_no_note():
    entry = journal(posting(DEPT_12, "instalment", "5110", "100.00", RENT_NOMINAL),
                    posting(DEPT_12, "payment", "5850", "-100.00", (None, "", None)),
                    payments=[money(DEPT_12, "100.00")])
    assert problems(entry) == []


def test_a_problem_names_its_journal():
    assert check_journal(journal(posting(DEPT_12, "instalment", "5110", "0.01", RENT_NOMINAL)), CONFIG, CHART) == [
        LedgerProblem(KEY, "does not balance: debits - credits = 0.01")]
    assert str(LedgerProblem(None, "the ledger is empty")) == "the ledger is empty"


# --- check_journal: one broken rule at a time ------------------------------------------------------------------

@pytest.mark.parametrize("bank, difference", [("-4879.18", "-0.01"), ("-4879.16", "0.01")],
                         ids=["debits-below-credits", "debits-above-credits"])
def test_an_unbalanced_journal(bank, difference):
    # the payment matches the bank posting, so the balance is the only problem
    entry = journal(posting(DEPT_12, "instalment", "5110", "12274.17", RENT_NOMINAL),
                    posting(DEPT_12, "payment", "5850", bank),
                    posting(DEPT_12, "reconciliation 2018", "5110", "-7395.00", RENT_NOMINAL),
                    payments=[money(DEPT_12, bank.lstrip("-"))])
    assert problems(entry) == [f"journal {KEY}: does not balance: debits - credits = {difference}"]


@pytest.mark.parametrize("credit, account, paid, message", [
    # 13,260.00 owed but the payment says 12,274.17, and the other way round
    ("-13260.00", "5850", "12274.17", ["payment postings 13260.00 differ from its payments 12274.17"]),
    ("-12274.17", "5850", "13260.00", ["payment postings 12274.17 differ from its payments 13260.00"]),
    # owed with no payment to show for it
    ("-13260.00", "5850", None, ["payment postings 13260.00 differ from its payments 0.00"]),
    # credited to the retained result instead of the payable
    ("-13260.00", "9900", "13260.00", ["payments booked on 9900: all on the payable 5850, or all on the bank 5800 "
                                       "(paid outside payment runs)"]),
], ids=["more-owed", "less-owed", "no-payment", "elsewhere-than-the-payable"])
def test_payment_postings_must_equal_the_payments_on_the_payable(credit, account, paid, message):
    entry = journal(posting(DEPT_12, "instalment", "5110", credit.lstrip("-"), RENT_NOMINAL),
                    posting(DEPT_12, "payment", account, credit),
                    payments=[money(DEPT_12, paid)] if paid else [])
    assert problems(entry) == [f"journal {KEY}: {m}" for m in message]


def test_a_journal_pays_all_from_the_payable_or_all_from_the_bank():
    """On the bank: paid outside payment runs (before payment_runs_from, or booked by a release before accrual)."""
    def paying(*accounts: str) -> JournalEntry:
        return journal(posting(DEPT_12, "instalment", "5110", f"{100 * len(accounts)}.00", RENT_NOMINAL),
                       *(posting(DEPT_12, "payment", account, "-100.00") for account in accounts[:2]),
                       *(posting(DEPT_12, "returned rent/2019-06-28/G1/12#1", account, "-100.00")
                         for account in accounts[2:]),
                       payments=[money(DEPT_12, "200.00")])
    assert problems(paying("5800", "5800")) == problems(paying("5850", "5850")) == []
    assert problems(paying("5850", "5800")) == [f"journal {KEY}: payments booked on 5800, 5850: all on the payable "
                                                "5850, or all on the bank 5800 (paid outside payment runs)"]
    assert problems(paying("5850", "5850", "5800")) == problems(paying("5850", "5800"))


SETTLED = "settled rent/2019-06-28/G1/12#1"


@pytest.mark.parametrize("postings, message", [
    ([(SETTLED, "5850", "4879.17"), (SETTLED, "5800", "-4879.17")], []),
    ([("reversed rent/2019-06-28/G1/12#1", "5800", "4879.17"), ("reversed rent/2019-06-28/G1/12#1", "5850", "-4879.17")],
     []),
    # a pair off by one øre on one side: the pair and the journal do not balance
    ([(SETTLED, "5850", "4879.17"), (SETTLED, "5800", "-4879.18")],
     ["does not balance: debits - credits = -0.01", f"{SETTLED} does not balance (-0.01)"]),
    # only settlement pairs on the payable and the bank
    ([(SETTLED, "5850", "4879.17"), (SETTLED, "9900", "-4879.17")],
     [f"{DEPT_12} {SETTLED}: not a settlement posting on 5850 or 5800"]),
    ([("payment", "5850", "4879.17"), ("payment", "5800", "-4879.17")],
     [f"{DEPT_12} payment: not a settlement posting on 5850 or 5800"] * 2),
], ids=["settled", "reversed", "unbalanced-pair", "other-account", "other-component"])
def test_a_settlement_journal_holds_balanced_pairs_on_the_payable_and_the_bank(postings, message):
    entry = journal(*(posting(DEPT_12, component, account, amount) for component, account, amount in postings),
                    job="settlement", job_date=date(2019, 7, 2))
    assert problems(entry) == [f"journal settlement/2019-07-02/1: {m}" for m in message]
    with_payment = journal(*(posting(DEPT_12, c, a, x) for c, a, x in postings[:2]), job="settlement",
                           job_date=date(2019, 7, 2), payments=[money(DEPT_12, "0.00")])
    assert "journal settlement/2019-07-02/1: a settlement journal has payments or claims" in problems(with_payment)


@pytest.mark.parametrize("debit, account, claimed, message", [
    ("3000.00", "6310", "2500.00", "collection-claim postings 3000.00 differ from its claims 2500.00"),
    ("2500.00", "6310", "3000.00", "collection-claim postings 2500.00 differ from its claims 3000.00"),
    # debited to payables (5850) instead of the collection claims
    ("3000.00", "5850", "3000.00", "collection-claim postings 0.00 differ from its claims 3000.00"),
    ("3000.00", "6310", None, "collection-claim postings 3000.00 differ from its claims 0.00"),
], ids=["more-posted", "less-posted", "no-claim-posting", "no-claim"])
def test_collection_claim_postings_must_equal_the_claims(debit, account, claimed, message):
    entry = journal(posting(DEPT_14, "claim", account, debit),
                    posting(DEPT_14, "reconciliation 2018", "5110", f"-{debit}", RENT_INDEX),
                    claims=[money(DEPT_14, claimed)] if claimed else [])
    assert problems(entry) == [f"journal {KEY}: {message}"]


def test_an_account_outside_the_chart():
    # 5111 is a typo for 5110: not in the chart, and (being no support type's expense) it carries no recipient
    entry = journal(posting(DEPT_12, "instalment", "5111", "13260.00"),
                    posting(DEPT_12, "payment", "5850", "-13260.00"),
                    payments=[money(DEPT_12, "13260.00")])
    assert problems(entry) == [
        f"journal {KEY}: {DEPT_12} instalment: account 5111 is not in the chart of accounts"]


@pytest.mark.parametrize("account, recipient, message", [
    # rent subsidy booked as if it were social support: wrong account and book (the note is a rent-subsidy note)
    ("5110", ("602", "102.4", "organisation"), "recipient account/book 602/organisation, expected 105.9/department"),
    # right account, wrong book; right book, wrong account
    ("5110", ("105.9", "102.4", "organisation"),
     "recipient account/book 105.9/organisation, expected 105.9/department"),
    ("5110", ("602", "102.4", "department"), "recipient account/book 602/department, expected 105.9/department"),
    ("5110", (None, "102.4", None), "recipient account/book None/None, expected 105.9/department"),
    ("5120", ("105.9", "pkt. 26", "department"),
     "recipient account/book 105.9/department, expected 602/organisation"),
], ids=["rent-as-social", "wrong-book", "wrong-account", "none", "social-as-rent"])
def test_the_recipient_account_and_book_of_a_support_type(account, recipient, message):
    entry = journal(posting(DEPT_12, "instalment", account, "13260.00", recipient),
                    posting(DEPT_12, "payment", "5850", "-13260.00"),
                    payments=[money(DEPT_12, "13260.00")])
    assert problems(entry) == [f"journal {KEY}: {DEPT_12} instalment: {message}"]


@pytest.mark.parametrize("account, note, message", [
    ("5110", "pkt. 26", "recipient note pkt. 26 is not one of ['102.4', '104.4']"),
    ("5110", None, "recipient note None is not one of ['102.4', '104.4']"),
    ("5120", "102.4", "recipient note 102.4 is not one of ['pkt. 26']"),
], ids=["rent-with-social-note", "rent-without-note", "social-with-rent-note"])
def test_the_note_is_one_of_the_support_types_notes(account, note, message):
    book = {"5110": RENT_NOMINAL, "5120": SOCIAL}[account]
    entry = journal(posting(DEPT_12, "instalment", account, "13260.00", (book[0], note, book[2])),
                    posting(DEPT_12, "payment", "5850", "-13260.00"),
                    payments=[money(DEPT_12, "13260.00")])
    assert problems(entry) == [f"journal {KEY}: {DEPT_12} instalment: {message}"]


def test_postings_outside_the_recipients_books_carry_nothing():
    # a loss refund paid to a municipality, and the bank posting, booked as if to a department's 105.9
    line = "refund/2018/751"
    entry = journal(posting(line, "cohort 2017", "5140", "4200.00", RENT_NOMINAL),
                    posting(line, "payment", "5850", "-4200.00", (None, "102.4", None)),
                    payments=[money(line, "4200.00", "loss_refund")], job="refunds")
    assert problems(entry) == [f"journal refunds/2019-06-28/1: {line} {message}" for message in (
        "cohort 2017: recipient account/book 105.9/department, expected None/None",
        "cohort 2017: recipient note 102.4 is not one of [None]",
        "payment: recipient note 102.4 is not one of [None]",
    )]


@pytest.mark.parametrize("booked_on, corrects_year", [
    (date(2019, 1, 1), None),  # outside its year without saying so
    (date(2019, 1, 1), 2019),  # says it corrects the open year, not the job date's year
    (date(2019, 1, 2), 2018),  # a correction, but not on 1 January
    (date(2019, 2, 1), 2018),  # a correction, but not in January
    (date(2018, 1, 1), 2017),  # booked in an earlier year than its job date (1 January, but not a correction of 2019)
], ids=["no-corrects-year", "corrects-wrong-year", "2-january", "1-february", "earlier-year"])
def test_a_journal_outside_its_job_dates_year_must_be_a_closed_year_correction(booked_on, corrects_year):
    job_date = date(2018, 12, 28) if booked_on.year == 2019 else date(2019, 3, 29)
    line = f"rent/{job_date.isoformat()}/G1/12"
    entry = journal(posting(line, "instalment", "5110", "13260.00", RENT_NOMINAL),
                    posting(line, "payment", "5850", "-13260.00"),
                    payments=[money(line, "13260.00", day=job_date)],
                    job_date=job_date, booked_on=booked_on, corrects_year=corrects_year)
    assert problems(entry) == [
        f"journal aconto/{job_date.isoformat()}/1: booked on {booked_on.isoformat()}, outside its job date's year, "
        f"without being a correction of {job_date.year} booked on 1 January of the open period"]


def test_every_problem_of_a_journal_is_reported_in_order():
    # unbalanced by 100.00, the payable short of the payment, a claim without its posting, an account outside the chart
    # that should have been 5110 (so it carries a recipient it may not), and booked a day late in the open period
    entry = journal(posting(DEPT_12, "instalment", "5119", "13360.00", RENT_NOMINAL),
                    posting(DEPT_12, "payment", "5850", "-13260.00"),
                    payments=[money(DEPT_12, "13360.00")], claims=[money(DEPT_12, "100.00")],
                    job_date=date(2018, 12, 28), booked_on=date(2019, 1, 2), corrects_year=2018)
    prefix = "journal aconto/2018-12-28/1: "
    assert problems(entry) == [prefix + message for message in (
        "does not balance: debits - credits = 100.00",
        "payment postings 13260.00 differ from its payments 13360.00",
        "collection-claim postings 0.00 differ from its claims 100.00",
        f"{DEPT_12} instalment: account 5119 is not in the chart of accounts",
        f"{DEPT_12} instalment: recipient account/book 105.9/department, expected None/None",
        f"{DEPT_12} instalment: recipient note 102.4 is not one of [None]",
        "booked on 2019-01-02, outside its job date's year, without being a correction of 2018 booked on 1 January "
        "of the open period",
    )]


# --- check_ledger: the journals booked in the year asked for ---------------------------------------------------

def without(chart: Chart, number: str) -> Chart:
    return Chart({n: a for n, a in chart.accounts.items() if n != number}, chart.retained_result)


def not_in_chart(key: str, line: str, component: str = "instalment") -> str:
    return f"journal {key}: {line} {component}: account 5110 is not in the chart of accounts"


@freeze_time("2019-07-01 08:00:00")
def test_check_ledger_checks_only_the_journals_booked_in_the_year(db_url):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "nightly") == 0
    # W1 books rent subsidy (5110) from 2018 only: one instalment a quarter, 2018 in full and 2019 Q1 and Q2; the
    # 2019 Q2 journal also carries the 2018 reconciliation (-7,395.00). Social support (5120) is paid from 2017 Q3.
    expected = {
        2017: [],
        2018: [not_in_chart(f"aconto/{day}/1", f"rent/{day}/G1/12")
               for day in ("2018-03-28", "2018-06-29", "2018-09-28", "2018-12-28")],
        2019: [not_in_chart("aconto/2019-03-29/1", "rent/2019-03-29/G1/12"),
               not_in_chart("aconto/2019-06-28/1", "rent/2019-06-28/G1/12"),
               not_in_chart("aconto/2019-06-28/1", "rent/2019-06-28/G1/12", "reconciliation 2018")],
        2020: [],
    }
    engine = open_engine(db_url)
    try:
        with Session(engine) as session:
            for year, problems_of_year in expected.items():
                assert check_ledger(session, CONFIG, CHART, year=year) == []
                assert [str(p) for p in check_ledger(session, CONFIG, without(CHART, "5110"), year=year)] \
                    == problems_of_year, year
            assert [str(p) for p in check_ledger(session, CONFIG, without(CHART, "5110"))] \
                == expected[2018] + expected[2019]
            # and social support is checked in every year it is booked: 2 terms in 2017, 4 in 2018, 2 in 2019
            assert [len(check_ledger(session, CONFIG, without(CHART, "5120"), year=year))
                    for year in (2017, 2018, 2019, 2020)] == [2, 4, 2, 0]
    finally:
        engine.dispose()


def test_check_ledger_takes_a_closed_years_correction_with_the_year_it_is_booked_in(db_url):
    # rent subsidy Q1 and Q2 2018 paid in 2018; Q3 and Q4 run only after 2018 is closed, booked on 1 January 2019
    with freeze_time("2018-07-01"):
        assert cli(db_url, "load", *(p for p in W1 if Path(p).name in ("register.xml", "estimate-2018.xml",
                                                                       "events-hire.xml"))) == 0
        assert cli(db_url, "nightly") == 0
    with freeze_time("2019-01-02"):
        assert cli(db_url, "close-year", "2017") == 0
        assert cli(db_url, "close-year", "2018") == 0
        assert cli(db_url, "nightly") == 0
    engine = open_engine(db_url)
    try:
        with Session(engine) as session:
            assert check_ledger(session, CONFIG, CHART) == []  # the late terms are proper corrections of 2018
            partial = without(CHART, "5110")
            assert [str(p) for p in check_ledger(session, CONFIG, partial, year=2018)] == [
                not_in_chart(f"aconto/{day}/1", f"rent/{day}/G1/12") for day in ("2018-03-28", "2018-06-29")]
            assert [str(p) for p in check_ledger(session, CONFIG, partial, year=2019)] == [
                not_in_chart(f"aconto/{day}/1", f"rent/{day}/G1/12") for day in ("2018-09-28", "2018-12-28")]
    finally:
        engine.dispose()
