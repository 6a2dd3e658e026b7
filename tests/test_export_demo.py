"""The shipped demo (`disbursement demo`, SQLite by design): every export of every year validates against its
schema or checker, ties to the ledger, and a second demo run writes byte-identical files."""
import tomllib
from decimal import Decimal

from sqlmodel import Session

from lxml import etree
from sqlalchemy import create_engine, text

from disbursement.cli import main
from disbursement.config import load_ledger_settings
from disbursement.engine.registry import load_config
from disbursement.ledger.chart import Chart
from disbursement.ledger.invariants import check_ledger
from disbursement.store.database import open_engine

from tests.conftest import FIXTURES
from tests.test_exports import PAIN_NS, check_export_dir, paid_by_booking_year


def test_demo_exports_of_every_year_validate_and_are_byte_identical(tmp_path):
    plan = tomllib.loads((FIXTURES / "demo.toml").read_text(encoding="utf-8"))
    years = list(range(int(plan["from"][:4]), int(plan["as_of"][:4]) + 1))
    outputs, outboxes, reports = [], [], []
    for run in ("first", "second"):
        assert main(["demo", "--out", str(tmp_path / run)]) == 0
        exports = tmp_path / run / "exports"
        outputs.append({p.name: p.read_bytes() for p in sorted(exports.iterdir())})
        outboxes.append({p.name: p.read_bytes() for p in sorted((tmp_path / run / "outbox").iterdir())})
        reports.append({str(p.relative_to(tmp_path / run)): p.read_bytes() for folder in
                        ("statements", "advice", "evaluation") for p in sorted((tmp_path / run / folder).iterdir())}
                       | {p.name: p.read_bytes() for p in sorted((tmp_path / run).glob("*-status.html"))})
    assert outputs[0] == outputs[1] and outboxes[0] == outboxes[1] and reports[0] == reports[1]
    assert {f"statements/statement-29140537-{year}.{fmt}" for year in (2019, 2020) for fmt in ("html", "csv")} | {
        "evaluation/evaluation.html", "demo-status.html", "temporary-status.html"} <= set(reports[0])
    assert {f"saft-{y}.xml" for y in years} | {f"ledger-{y}.beancount" for y in years} <= set(outputs[0])

    db_url = f"sqlite:///{tmp_path / 'first' / 'demo.sqlite'}"
    totals = check_export_dir(db_url, tmp_path / "first" / "exports", years)
    paid = paid_by_booking_year(db_url)
    assert paid, "the demo pays something"
    for year in years:  # the sum of the pain.001 files equals the sum of payments in the ledger
        assert sum((t for n, t in totals.items() if n.startswith(f"pain001-{year}")), Decimal("0.00")) \
            == paid.get(year, Decimal("0.00"))
    _the_payment_loop_ran(db_url, outboxes[0])
    config = load_config(FIXTURES / plan["config"])
    engine = open_engine(db_url)
    with Session(engine) as session:
        assert check_ledger(session, config, Chart.of(load_ledger_settings(config.directory), config.accounts)) == []
    engine.dispose()


def _the_payment_loop_ran(db_url: str, outbox: dict[str, bytes]) -> None:
    """fixtures/demo.toml [payments]: three runs released on 1 July 2021, Fynsbo's Q2 social support rejected and
    paid again once, to the account of its master-data decision of 2 July, on 6 July."""
    assert sorted(outbox) == ["pain001-2021-aconto-2021-06-30-1.xml", "pain001-2021-refunds-2021-05-15-1.xml",
                              "pain001-2021-social_support-2021-06-30-1.xml",
                              "pain001-2021-social_support-2021-06-30-2.xml"]
    reissue = etree.fromstring(outbox["pain001-2021-social_support-2021-06-30-2.xml"])
    assert reissue.xpath("//p:ReqdExctnDt/p:Dt/text()", namespaces=PAIN_NS) == ["2021-07-06"]
    assert reissue.xpath("//p:CdtrAcct/p:Id/p:IBAN/text()", namespaces=PAIN_NS) == ["DK1853900004471139"]
    assert reissue.xpath("//p:InstdAmt/text()", namespaces=PAIN_NS) == ["81975.00"]
    first = etree.fromstring(outbox["pain001-2021-social_support-2021-06-30-1.xml"])
    assert set(first.xpath("//p:ReqdExctnDt/p:Dt/text()", namespaces=PAIN_NS)) == {"2021-07-02"}
    engine = create_engine(db_url)
    with engine.connect() as connection:
        answers = dict(connection.execute(text("SELECT kind, count(*) FROM bank_answer GROUP BY kind")).all())
        # 3 refunds + 9 rent + 6 social support: 17 accepted and executed, 1 rejected; the re-issue executed
        assert answers == {"accepted": 17, "rejected": 1, "executed": 18}
        assert connection.execute(text(
            "SELECT p.key, p.amount, o.key FROM payment p JOIN payment o ON o.id = p.reissue_of")).all() == [
            ("social/2021-06-30/G2017-03#2", 8197500, "social/2021-06-30/G2017-03#1")]
        assert connection.execute(text("SELECT count(*) FROM payment_run_action")).scalar() == 8
        # each executed payment settled once, on the payable and the bank, on the day the bank booked it; the
        # rejected one cancelled by its re-issue: nothing is owed any more
        assert connection.execute(text(
            "SELECT j.job_date, p.account, count(*) FROM posting p JOIN journal j ON j.id = p.journal_id "
            "WHERE p.component LIKE 'settled %' GROUP BY j.job_date, p.account ORDER BY 1, 2")).all() == [
            ("2021-07-02", "5800", 17), ("2021-07-02", "5850", 17), ("2021-07-07", "5800", 1), ("2021-07-07", "5850", 1)]
        assert connection.execute(text("SELECT count(*) FROM posting WHERE component LIKE 'reversed %'")).scalar() == 0
        assert connection.execute(text("SELECT sum(amount) FROM posting WHERE account = '5850'")).scalar() == 0
    engine.dispose()
