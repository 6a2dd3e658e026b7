"""A corrected report changes nothing already booked: a re-run books only the difference (SPEC 1)."""
from decimal import Decimal

from freezegun import freeze_time
from sqlalchemy import create_engine

from disbursement.store.lock import run_lock

from tests.test_w1_cli import Q, W1
from tests.helpers import claims, cli, payments, rows

NS = 'xmlns="urn:disbursement:intake:1"'


def corrected_actuals(tmp_path, a_months: int, received: str):
    path = tmp_path / f"actuals-2018-{a_months}.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<actuals {NS} grant="G1" year="2018" received="{received}" '
        f'auditor-statement="REV-2019-0117-B">\n  <department number="12">\n'
        f'    <dwelling ref="A" months="{a_months}"/>\n    <dwelling ref="B" months="21"/>\n'
        f'  </department>\n</actuals>\n')
    return str(path)


def test_corrected_actuals_after_q2_books_only_the_difference(db_url, tmp_path):
    with freeze_time("2019-07-01"):
        assert cli(db_url, "load", *W1) == 0
        assert cli(db_url, "nightly") == 0
    with freeze_time("2019-09-01"):
        # A let 44 months, not 41: E = 44 x 765.00 + 21 x 680.00 = 47,940.00, D = -5,100.00,
        # Q2 should have paid 12,274.17 - 5,100.00 = 7,174.17: 2,295.00 more than the 4,879.17 it paid
        assert cli(db_url, "load", corrected_actuals(tmp_path, 44, "2019-08-15")) == 0
        assert cli(db_url, "run", "reconciliation", "--date", "2019-02-15") == 0
        assert [p for p in payments(db_url) if p[1] == "2019-06-28"] == [
            (Q.format("2019-06-28"), "2019-06-28", Decimal("4879.17")),
            ("rent/2019-06-28/G1/12#2", "2019-06-28", Decimal("2295.00")),
        ]
        journal = rows(db_url, "SELECT seq, corrects_id IS NOT NULL, description FROM journal "
                               "WHERE job = 'aconto' AND job_date = '2019-06-28' ORDER BY seq")
        assert journal[1] == (2, True, "correction of on-account rent subsidy, term 2019-06-28")
        # a second run with the same inputs books nothing more
        assert cli(db_url, "run", "reconciliation", "--date", "2019-02-15") == 0
        assert len(payments(db_url)) == 7
    with freeze_time("2019-09-20"):
        # then only 30 months for A: E = 22,950.00 + 14,280.00 = 37,230.00, 10,710.00 less than 47,940.00,
        # all of it already paid out: a collection claim for 10,710.00
        assert cli(db_url, "load", corrected_actuals(tmp_path, 30, "2019-09-19")) == 0
        assert cli(db_url, "run", "reconciliation", "--date", "2019-02-15") == 0
        assert claims(db_url) == [("rent/2019-06-28/G1/12#3", "2019-06-28", Decimal("10710.00"))]
        assert len(payments(db_url)) == 7
    assert rows(db_url, "SELECT journal_id FROM posting GROUP BY journal_id HAVING SUM(amount) <> 0") == []


@freeze_time("2019-07-01")
def test_a_second_run_while_one_holds_the_lock_exits_3_and_does_nothing(db_url, capsys):
    assert cli(db_url, "load", *W1) == 0
    engine = create_engine(db_url)
    with run_lock(engine):
        assert cli(db_url, "nightly") == 3
    engine.dispose()
    assert "holds" in capsys.readouterr().err
    assert payments(db_url) == []
    assert cli(db_url, "nightly") == 0
    assert len(payments(db_url)) == 6


@freeze_time("2019-07-01")
def test_reruns_older_than_12_months_need_allow_old(db_url, capsys):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "run", "aconto", "--date", "2018-03-28") == 2
    assert "pass --allow-old" in capsys.readouterr().err
    assert cli(db_url, "run", "aconto", "--date", "2018-03-28", "--allow-old") == 0
    assert cli(db_url, "run", "aconto", "--date", "2018-03-29", "--allow-old") == 2
    assert "not due on 2018-03-29" in capsys.readouterr().err


def test_nightly_reruns_a_term_that_a_late_loaded_estimate_would_change(db_url, tmp_path, capsys):
    # the 2019 estimate was received on time (2018-11-29) but loaded only after Q1 2019 had run and paid nothing
    with freeze_time("2019-04-02"):
        assert cli(db_url, "load", *[f for f in W1 if "estimate-2019" not in f]) == 0
        assert cli(db_url, "nightly") == 0
        assert [p for p in payments(db_url) if p[1] == "2019-03-29"] == []
    with freeze_time("2019-04-03"):
        assert cli(db_url, "load", *[f for f in W1 if "estimate-2019" in f]) == 0
        capsys.readouterr()
        assert cli(db_url, "status") == 0
        assert "aconto 2019-03-29: estimate 2019 of G1" in capsys.readouterr().out
        assert cli(db_url, "nightly") == 0
        assert [p for p in payments(db_url) if p[1] == "2019-03-29"] == [
            ("rent/2019-03-29/G1/12#1", "2019-03-29", Decimal("12274.17"))]
        capsys.readouterr()
        assert cli(db_url, "status") == 0
        assert "jobs to run again" not in capsys.readouterr().out


def test_nightly_reruns_the_settlement_term_that_late_loaded_actuals_would_change(db_url, tmp_path, capsys):
    # everything but the 2018 actuals is loaded and run through Q2 2019, which settles nothing without them
    with freeze_time("2019-07-01"):
        assert cli(db_url, "load", *[f for f in W1 if "actuals" not in f]) == 0
        assert cli(db_url, "nightly") == 0
        assert [p for p in payments(db_url) if p[1] == "2019-06-28"] == [
            (Q.format("2019-06-28"), "2019-06-28", Decimal("12274.17"))]
    with freeze_time("2019-07-02"):
        capsys.readouterr()
        assert cli(db_url, "status") == 0
        assert "jobs to run again" not in capsys.readouterr().out  # a quiet night: nothing loaded since
        # received on time (2019-02-12) but loaded now: E = 45,645.00, D = -7,395.00, all of it after Q2 was paid
        assert cli(db_url, "load", *[f for f in W1 if "actuals" in f]) == 0
        assert cli(db_url, "status") == 0
        assert "aconto 2019-06-28: actuals 2018 of G1" in capsys.readouterr().out
        assert cli(db_url, "nightly") == 0
    assert claims(db_url) == [("rent/2019-06-28/G1/12#2", "2019-06-28", Decimal("7395.00"))]
    capsys.readouterr()
    assert cli(db_url, "status", "--as-of", "2019-07-02") == 0
    assert "jobs to run again" not in capsys.readouterr().out


def test_a_settlement_run_before_last_years_terms_is_run_again_by_nightly(db_url, capsys):
    # an operator runs Q2 2019 by hand before the 2018 terms: it deducts against nothing booked (D = E = 45,645.00)
    with freeze_time("2019-07-01"):
        assert cli(db_url, "load", *W1) == 0
        assert cli(db_url, "run", "aconto", "--date", "2019-06-28", "--allow-old") == 0
    with freeze_time("2019-07-02"):
        assert cli(db_url, "nightly") == 0  # runs the 2018 terms, then the settlement again: it is stale now
    # Q2 2019 first paid 12,274.17 + 45,645.00 = 57,919.17; it should pay 4,879.17: the 53,040.00 paid on account
    # in 2018 since is claimed back
    assert [p for p in payments(db_url) if p[1] == "2019-06-28"] == [
        ("rent/2019-06-28/G1/12#1", "2019-06-28", Decimal("57919.17"))]
    assert claims(db_url) == [("rent/2019-06-28/G1/12#2", "2019-06-28", Decimal("53040.00"))]
    capsys.readouterr()
    assert cli(db_url, "status", "--as-of", "2019-07-02") == 0
    assert "jobs to run again" not in capsys.readouterr().out
