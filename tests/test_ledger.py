"""The ledger (issue #4): balanced journals checked in code and by the database, append-only history, fiscal-year
closing, trial balance and the per-recipient statement, on SQLite and PostgreSQL."""
from datetime import date
from decimal import Decimal

import pytest
from freezegun import freeze_time
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session

from disbursement.config import load_ledger_settings
from disbursement.engine.registry import load_config
from disbursement.ledger.chart import Chart
from disbursement.ledger.errors import UnbalancedJournal
from disbursement.ledger.invariants import check_ledger, require_balanced
from disbursement.ledger.payables import open_payables
from disbursement.ledger.trial_balance import trial_balance
from disbursement.store.database import open_engine

from tests.conftest import FIXTURES
from tests.helpers import W1_CONFIG, claims, cli, kroner, rows
from tests.test_statement import figures, statement
from tests.test_w1_cli import W1, W1_DEDUCTION

D = Decimal


def w1_without_2018_actuals() -> list[str]:
    return [path for path in W1 if "actuals" not in path and "2019" not in path]


def ledger_of(db_url: str):
    config = load_config(W1_CONFIG)
    chart = Chart.of(load_ledger_settings(config.directory), config.accounts)
    return open_engine(db_url), config, chart


def test_require_balanced_is_the_write_time_check():
    require_balanced([D("13260.00"), D("-13260.00")], "aconto 2018-03-28")
    with pytest.raises(UnbalancedJournal, match="debits - credits = 0.01"):
        require_balanced([D("13260.01"), D("-13260.00")], "aconto 2018-03-28")


@freeze_time("2019-07-01 08:00:00")
def test_w1_every_journal_balances_and_the_trial_balance_carries_the_payable(db_url):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "nightly") == 0
    engine, config, chart = ledger_of(db_url)
    with Session(engine) as session:
        assert check_ledger(session, config, chart) == []
        tb2018 = {r.account: r for r in trial_balance(session, chart, 2018).rows}
        tb2019 = trial_balance(session, chart, 2019)
        owed = sum((p.amount for p in open_payables(session, config, date(2019, 12, 31))), D(0))
    engine.dispose()
    paid = {year: sum((kroner(amount) for day, amount in rows(db_url, "SELECT value_date, amount FROM payment")
                       if str(day).startswith(str(year))), D(0)) for year in (2017, 2018, 2019)}
    # 2018: four rent-subsidy instalments of 13,260.00 on 5110; every support type's payment is owed on the payable
    # (5850) until the bank debits it, and no bank answer is loaded: the bank (5800) is untouched
    assert (tb2018["5110"].debit, tb2018["5110"].credit, tb2018["5110"].closing) == (D("53040.00"), 0, D("53040.00"))
    assert (tb2018["5850"].credit, tb2018["5850"].closing) == (paid[2018], -paid[2017] - paid[2018])
    assert (tb2018["5800"].debit, tb2018["5800"].credit) == (0, 0)
    rows2019 = {r.account: r for r in tb2019.rows}
    # 2019: the payable is carried; last year's expenses are carried on the retained-result account 9900
    assert rows2019["5850"].opening == -paid[2017] - paid[2018] == -rows2019["9900"].opening
    assert rows2019["5110"].opening == 0
    # Q1 12,274.17 + Q2 12,274.17 instalments (debit), the 2018 reconciliation -7,395.00 (credit)
    assert (rows2019["5110"].debit, rows2019["5110"].credit) == (D("24548.34"), D("7395.00"))
    assert rows2019["5850"].credit == paid[2019]
    # every payment ever made is open, one by one the payable's balance
    assert owed == paid[2017] + paid[2018] + paid[2019] == -rows2019["5850"].closing
    assert tb2019.balances() and tb2019.total_debit == tb2019.total_credit
    assert rows(db_url, "SELECT journal_id FROM unbalanced_journal") == []


@freeze_time("2019-07-01 08:00:00")
def test_postings_journals_payments_and_claims_are_append_only(db_url):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "nightly") == 0
    engine = create_engine(db_url)
    for statement in ("UPDATE posting SET amount = amount + 1", "DELETE FROM posting",
                      "UPDATE journal SET booked_on = job_date", "DELETE FROM journal",
                      "UPDATE payment SET amount = 1", "DELETE FROM payment"):
        with pytest.raises(DatabaseError, match="append-only"):
            with engine.begin() as connection:
                connection.execute(text(statement))
    engine.dispose()
    assert rows(db_url, "SELECT count(*) FROM payment WHERE support = 'rent_subsidy'") == [(6,)]


@freeze_time("2019-07-01 08:00:00")
def test_the_database_checks_the_balance_where_it_can(db_url, capsys, tmp_path):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "nightly") == 0
    engine = create_engine(db_url)
    unbalanced = ("INSERT INTO posting (journal_id, line, component, account, amount) "
                  "SELECT MIN(id), 'rent/2018-03-28/G1/12', 'instalment', '5110', 100 FROM journal "
                  "WHERE job = 'aconto'")
    if engine.dialect.name == "postgresql":
        # the DEFERRABLE INITIALLY DEFERRED constraint trigger refuses the commit
        with pytest.raises(DatabaseError, match="does not balance"):
            with engine.begin() as connection:
                connection.execute(text(unbalanced))
        # checked once per journal at commit: a pair that balances goes in whichever posting fires first
        with engine.begin() as connection:
            connection.execute(text(unbalanced))
            connection.execute(text(unbalanced.replace("'5110', 100", "'5110', -100")))
        # a posting after an early check (SET CONSTRAINTS ... IMMEDIATE) is summed again at commit
        with pytest.raises(DatabaseError, match="does not balance: debits - credits = 100"):
            with engine.begin() as connection:
                connection.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
                connection.execute(text("SET CONSTRAINTS ALL DEFERRED"))
                connection.execute(text(unbalanced))
        with pytest.raises(DatabaseError, match="does not balance: debits - credits = 100"):
            with engine.begin() as connection:
                connection.execute(text(unbalanced.replace("'5110', 100", "'5110', 0")))
                connection.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))  # checks the journal now: balanced
                connection.execute(text("SET CONSTRAINTS ALL DEFERRED"))
                connection.execute(text(unbalanced))
        engine.dispose()
        return
    # SQLite has no deferred triggers: the row goes in, the view and the ledger checks find it, exports refuse
    with engine.begin() as connection:
        connection.execute(text(unbalanced))
    engine.dispose()
    assert rows(db_url, "SELECT difference FROM unbalanced_journal") == [(100,)]
    capsys.readouterr()
    assert cli(db_url, "export", "--year", "2018", "--format", "csv", "--out", str(tmp_path / "out")) == 1
    assert "journal aconto/2018-03-28/1: does not balance: debits - credits = 1.00" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_closed_year_is_never_changed_and_late_journals_land_in_the_open_period(db_url, capsys, tmp_path):
    with freeze_time("2018-07-01"):
        assert cli(db_url, "load", *w1_without_2018_actuals()) == 0
        assert cli(db_url, "nightly") == 0  # rent subsidy Q1 and Q2 2018 paid, and the social support due
    engine, config, chart = ledger_of(db_url)
    with Session(engine) as session:
        before = trial_balance(session, chart, 2018)
    journals_2018 = rows(db_url, "SELECT count(*) FROM journal WHERE booked_on >= '2018-01-01'")[0][0]
    with freeze_time("2019-01-02"):
        assert cli(db_url, "close-year", "2019") == 2
        assert "the year has not ended" in capsys.readouterr().err
        assert cli(db_url, "close-year", "2018") == 2
        assert "close 2017 first" in capsys.readouterr().err  # the 2017 social support is booked in 2017
        assert cli(db_url, "close-year", "2017") == 0
        assert cli(db_url, "close-year", "2018") == 0
        assert (f"fiscal year 2018 is now closed (on 2019-01-02: {journals_2018} journal(s), "
                f"debits {before.total_debit:,.2f})") in capsys.readouterr().out
        assert cli(db_url, "close-year", "2018") == 0
        assert "was already closed" in capsys.readouterr().out
        assert cli(db_url, "export", "--year", "2018", "--format", "all", "--out", str(tmp_path / "at-closing")) == 0
        # catch-up after the closing: the Q3 and Q4 2018 terms are booked on 1 January 2019 and say so
        assert cli(db_url, "nightly") == 0
        assert cli(db_url, "export", "--year", "2018", "--format", "all", "--out", str(tmp_path / "later")) == 0
        assert cli(db_url, "export", "--year", "2019", "--format", "pain001", "--out", str(tmp_path / "2019")) == 0
    exported = {p.name: p.read_bytes() for p in (tmp_path / "at-closing").iterdir()}
    assert exported == {p.name: p.read_bytes() for p in (tmp_path / "later").iterdir()}  # 2018 never changes
    late_runs = sorted(p.name for p in (tmp_path / "2019").glob("pain001-2019-aconto-*"))
    assert late_runs == ["pain001-2019-aconto-2018-09-28-1.xml", "pain001-2019-aconto-2018-12-28-1.xml"]
    late = rows(db_url, "SELECT job_date, booked_on, corrects_year, description FROM journal "
                        "WHERE job = 'aconto' AND job_date >= '2018-09-01' ORDER BY job_date")
    assert [tuple(str(value) for value in row) for row in late] == [
        ("2018-09-28", "2019-01-01", "2018",
         "on-account rent subsidy, term 2018-09-28 (closed year 2018, booked in the open period)"),
        ("2018-12-28", "2019-01-01", "2018",
         "on-account rent subsidy, term 2018-12-28 (closed year 2018, booked in the open period)"),
    ]
    with Session(engine) as session:
        assert check_ledger(session, config, chart) == []
        assert trial_balance(session, chart, 2018) == before  # exactly as it was when closed
        rent_2019 = {r.account: r for r in trial_balance(session, chart, 2019).rows}["5110"]
        assert rent_2019.debit == D("26520.00")  # the two late terms, 2 x 13,260.00
    engine.dispose()
    # and the database refuses anything booked in the closed year
    raw = create_engine(db_url)
    with pytest.raises(DatabaseError, match="closed"):
        with raw.begin() as connection:
            connection.execute(text("INSERT INTO journal (job, job_date, seq, booked_on, description, job_run_id) "
                                    "SELECT 'aconto', '2018-12-28', 9, '2018-12-28', 'x', MIN(id) FROM job_run"))
    with pytest.raises(DatabaseError, match="closed"):
        with raw.begin() as connection:
            connection.execute(text("INSERT INTO posting (journal_id, line, component, account, amount) "
                                    "SELECT MIN(id), 'x', 'x', '5110', 0 FROM journal"))
    with pytest.raises(DatabaseError, match="append-only"):
        with raw.begin() as connection:
            connection.execute(text("DELETE FROM fiscal_year_close"))
    raw.dispose()


@freeze_time("2019-07-01 08:00:00")
def test_the_deduction_beyond_q2_is_a_claim_that_stands(db_url):
    assert cli(db_url, "load", *W1_DEDUCTION) == 0
    assert cli(db_url, "nightly") == 0
    # W1 plus dwelling C, paid on account all 2018 (12,605.00) but vacant: E = 45,645.00, D = -20,000.00;
    # the offset takes Q2 2019 to 0.00, the remaining 7,725.83 is a collection claim (its statement:
    # tests/test_statement.py)
    assert [(day, amount) for _, day, amount in claims(db_url)] == [("2019-06-28", D("7725.83"))]
    engine = create_engine(db_url)
    with pytest.raises(DatabaseError, match="append-only"):  # the claim stands until a new journal changes it
        with engine.begin() as connection:
            connection.execute(text("UPDATE claim SET amount = 0"))
    engine.dispose()


@freeze_time("2019-07-01 08:00:00")
def test_trial_balance_command(db_url, capsys):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "nightly") == 0
    capsys.readouterr()
    assert cli(db_url, "trial-balance", "--year", "2019") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "trial balance 2019 (open)"
    rent = next(row for row in out if row.startswith("5110"))
    assert rent.split()[-4:] == ["0.00", "24,548.34", "7,395.00", "17,153.34"]
    total = next(row for row in out if row.startswith("total")).split()
    assert total[1] == total[4] == "0.00" and total[2] == total[3]
    # nothing is debited by the bank yet: the 14 payments of 2017-2019 are owed, 595,648.70 from earlier years
    # (2017: 32,608.70 + 100,000.00; 2018: 4 x 13,260.00 + 4 x 102,500.00) and 227,153.34 of 2019
    assert next(row for row in out if row.startswith("5850")).split()[-4:] == [
        "-595,648.70", "0.00", "227,153.34", "-822,802.04"]
    owed = out.index("open payables on 5850 at 2019-12-31: 14 payment(s), 822,802.04, not yet debited by the bank")
    assert out[owed + 1:owed + 3] == ["  rent/2018-03-28/G1/12#1 12345678 2018-03-28 13,260.00",
                                      "  rent/2018-06-29/G1/12#1 12345678 2018-06-29 13,260.00"]
    assert len(out) == owed + 15


@freeze_time("2019-07-01 08:00:00")
def test_statement_shows_a_reconciled_year_with_a_difference_of_zero(db_url, tmp_path, capsys):
    """Actuals equal to the estimate (A 48 and B 24 months: 48 x 765.00 + 24 x 680.00 = 53,040.00 = 4 x 13,260.00):
    D = 0.00 books nothing, and the year is still shown reconciled, E = 53,040.00."""
    actuals = tmp_path / "actuals-2018.xml"
    actuals.write_text((FIXTURES / "w1" / "actuals-2018.xml").read_text(encoding="utf-8")
                       .replace('months="41" vacant-months="7"', 'months="48"')
                       .replace('months="21" vacant-months="3"', 'months="24"'), encoding="utf-8")
    assert cli(db_url, "load", *[f for f in W1 if not f.endswith("actuals-2018.xml")]) == 0
    assert cli(db_url, "nightly", "--as-of", "2019-06-28") == 0
    # the settlement term ran without actuals: unknown, not zero
    assert figures(statement(db_url, capsys, 2018), "12 Afdeling 12") == [
        ["53.040,00", "afventer", "afventer"], ["12.274,17", "afventer", "12.274,17", "0,00"]]
    assert cli(db_url, "load", str(actuals)) == 0
    assert cli(db_url, "nightly", "--as-of", "2019-06-28") == 0  # re-runs the settlement term: nothing to book
    assert figures(statement(db_url, capsys, 2018), "12 Afdeling 12") == [
        ["53.040,00", "53.040,00", "0,00"], ["12.274,17", "0,00", "12.274,17", "0,00"]]
