"""Worked example W1 (SPEC 4) through the command line, on SQLite and PostgreSQL, as an operator would run it."""
from decimal import Decimal

from freezegun import freeze_time

from tests.conftest import FIXTURES
from tests.helpers import claims, cli, payments, rows, table_counts

W1 = sorted(str(p) for p in (FIXTURES / "w1").glob("*.xml"))
W1_DEDUCTION = sorted(str(p) for p in (FIXTURES / "w1-deduction").glob("*.xml"))
Q = "rent/{}/G1/12#1"


@freeze_time("2019-07-01 08:00:00")
def test_w1_quarterly_payments_and_q2_offset(db_url):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "nightly") == 0
    assert payments(db_url) == [
        (Q.format("2018-03-28"), "2018-03-28", Decimal("13260.00")),
        (Q.format("2018-06-29"), "2018-06-29", Decimal("13260.00")),
        (Q.format("2018-09-28"), "2018-09-28", Decimal("13260.00")),
        (Q.format("2018-12-28"), "2018-12-28", Decimal("13260.00")),
        (Q.format("2019-03-29"), "2019-03-29", Decimal("12274.17")),
        # 12,274.17 - 7,395.00
        (Q.format("2019-06-28"), "2019-06-28", Decimal("4879.17")),
    ]
    assert claims(db_url) == []
    # rent subsidy on 105.9 note 102.4 (nominal loans) in the department's accounts; social support on 602
    # note pkt. 26 in the organisation's accounts
    assert rows(db_url, "SELECT DISTINCT recipient_account, recipient_note, recipient_book FROM posting "
                        "WHERE recipient_account IS NOT NULL ORDER BY 1") == [
        ("105.9", "102.4", "department"), ("602", "pkt. 26", "organisation")]
    # W1 social support: Q3 2017 pro rata 30/92 of 100,000.00 = 32,608.70; 2018: 410,000.00 / 4 = 102,500.00
    assert payments(db_url, "social_support")[:3] == [
        ("social/2017-09-29/G1#1", "2017-09-29", Decimal("32608.70")),
        ("social/2017-12-29/G1#1", "2017-12-29", Decimal("100000.00")),
        ("social/2018-03-28/G1#1", "2018-03-28", Decimal("102500.00")),
    ]


@freeze_time("2019-07-01 08:00:00")
def test_nightly_twice_adds_no_payment_and_no_posting(db_url):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "nightly", "--as-of", "2019-07-01") == 0
    before = table_counts(db_url)
    assert cli(db_url, "nightly", "--as-of", "2019-07-01") == 0
    assert cli(db_url, "run", "aconto", "--date", "2019-06-28") == 0
    after = table_counts(db_url)
    assert after["payment"] == before["payment"] == 6 + 8  # rent 2018-Q2 2019, social support Q3 2017-Q2 2019
    assert after["posting"] == before["posting"]
    assert after["journal"] == before["journal"]
    assert after["job_run"] == before["job_run"] + 1  # the explicit re-run is recorded, and booked nothing


@freeze_time("2019-07-01 08:00:00")
def test_deduction_beyond_q2_becomes_a_collection_claim(db_url):
    assert cli(db_url, "load", *W1_DEDUCTION) == 0
    assert cli(db_url, "nightly") == 0
    q2 = [p for p in payments(db_url) if p[1] == "2019-06-28"]
    assert q2 == []  # Q2 pays 0.00: no payment at all
    # 12,274.17 - 20,000.00 = -7,725.83, due at the end of Q2
    assert claims(db_url) == [(Q.format("2019-06-28"), "2019-06-28", Decimal("7725.83"))]
    # every journal balances
    assert rows(db_url, "SELECT journal_id, SUM(amount) FROM posting GROUP BY journal_id HAVING SUM(amount) <> 0") == []


def test_loading_the_same_file_twice_is_a_no_op(db_url, capsys):
    with freeze_time("2019-07-01"):
        assert cli(db_url, "load", *W1) == 0
        before = table_counts(db_url)
        assert cli(db_url, "load", W1[0]) == 0
    assert "already loaded as file #" in capsys.readouterr().out
    assert table_counts(db_url) == before
