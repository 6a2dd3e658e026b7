"""`nightly/run/backfill --dry-run` (issue 14): everything computed and shown per job and recipient, nothing kept."""
import hashlib
from decimal import Decimal
from pathlib import Path

from freezegun import freeze_time
from sqlalchemy import MetaData, create_engine, select

from tests.conftest import FIXTURES
from tests.helpers import cli, payments, claims

W1 = [str(FIXTURES / "w1" / name) for name in ("register.xml", "estimate-2018.xml", "events-hire.xml")]

NS = 'xmlns="urn:disbursement:intake:1"'


def everything(db_url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: what "the database is unchanged" compares."""
    engine = create_engine(db_url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {name: sorted(tuple(map(str, row)) for row in connection.execute(select(table)))
                    for name, table in sorted(metadata.tables.items())}
    finally:
        engine.dispose()


def file_digest(db_url: str) -> str | None:
    if not db_url.startswith("sqlite:///"):
        return None
    return hashlib.sha256(Path(db_url.removeprefix("sqlite:///")).read_bytes()).hexdigest()


def output(capsys, db_url: str, *args: str) -> str:
    capsys.readouterr()
    assert cli(db_url, *args) == 0
    return capsys.readouterr().out


def test_a_dry_run_shows_what_nightly_would_pay_and_changes_nothing(db_url, capsys):
    with freeze_time("2018-04-01 08:00:00"):
        assert cli(db_url, "load", *W1) == 0
        before, digest = everything(db_url), file_digest(db_url)
        shown = output(capsys, db_url, "nightly", "--dry-run")
        assert everything(db_url) == before and file_digest(db_url) == digest
    # W1: social support Q3 2017 30/92 of 100,000.00 = 32,608.70, Q4 2017 100,000.00, Q1 2018 102,500.00; rent Q1
    # 2018 on the 2018 estimate, 53,040.00 / 4 = 13,260.00; all to Boligforeningen Eksempel
    assert "social_support 2017-09-29: due 32,608.70, paid 32,608.70, claimed 0.00; would book 1 line(s)" in shown
    assert "aconto 2018-03-28: due 13,260.00, paid 13,260.00, claimed 0.00; would book 1 line(s)" in shown
    assert "  12345678 Boligforeningen Eksempel: pay 102,500.00, claim 0.00\n" in shown
    # the terms of 2017-06-30 to 2018-03-28 (aconto and social support), estimates 2017-12-01, reconciliation 2018-02-15
    assert shown.endswith("nightly --dry-run: 10 job(s) computed; nothing was written\n")
    assert payments(db_url, "social_support") == []

    with freeze_time("2018-04-01 09:00:00"):  # the real run books what the preview showed
        assert cli(db_url, "nightly") == 0
    assert payments(db_url) == [("rent/2018-03-28/G1/12#1", "2018-03-28", Decimal("13260.00"))]
    assert [p[2] for p in payments(db_url, "social_support")] == [
        Decimal("32608.70"), Decimal("100000.00"), Decimal("102500.00")]


def test_a_dry_run_of_a_late_decision_previews_the_corrections(db_url, capsys, tmp_path):
    stop = tmp_path / "stop.xml"
    stop.write_text(f'<?xml version="1.0"?>\n<decisions {NS} received="2018-03-01">\n'
                    '  <stop case="S1" decided="2018-02-26" effective="2018-01-01" grant="G1" support="rent_subsidy"/>\n'
                    '</decisions>\n')
    with freeze_time("2018-04-01 08:00:00"):
        assert cli(db_url, "load", *W1) == 0
        assert cli(db_url, "nightly") == 0
    with freeze_time("2018-04-01 09:00:00"):
        assert cli(db_url, "load", str(stop)) == 0
        before, digest = everything(db_url), file_digest(db_url)
        shown = output(capsys, db_url, "run", "aconto", "--date", "2018-03-28", "--dry-run")
        assert everything(db_url) == before and file_digest(db_url) == digest
        # the whole Q1 2018 instalment is stopped: 13,260.00 was paid, so it is claimed back
        assert shown == ("aconto 2018-03-28: due 0.00, paid 0.00, claimed 13,260.00; would book 1 line(s) differing "
                         "from what is booked\n  12345678 Boligforeningen Eksempel: pay 0.00, claim 13,260.00\n"
                         "run --dry-run: 1 job(s) computed; nothing was written\n")
        shown = output(capsys, db_url, "backfill", "--from", "2018-03-01", "--to", "2018-03-31", "--dry-run")
        assert "claim 13,260.00" in shown and everything(db_url) == before
        shown = output(capsys, db_url, "nightly", "--dry-run")  # the stale term is re-run by nightly
        assert "aconto 2018-03-28: due 0.00, paid 0.00, claimed 13,260.00" in shown
        assert everything(db_url) == before and claims(db_url) == []
        assert cli(db_url, "nightly") == 0
    assert claims(db_url) == [("rent/2018-03-28/G1/12#2", "2018-03-28", Decimal("13260.00"))]
