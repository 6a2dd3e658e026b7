"""The shipped demo (`disbursement demo`, SQLite by design): every export of every year validates against its
schema or checker, ties to the ledger, and a second demo run writes byte-identical files."""
import tomllib
from decimal import Decimal

from sqlmodel import Session

from disbursement.cli import main
from disbursement.config import load_ledger_settings
from disbursement.engine.registry import load_config
from disbursement.ledger.chart import Chart
from disbursement.ledger.invariants import check_ledger
from disbursement.store.database import open_engine

from tests.conftest import FIXTURES
from tests.test_exports import check_export_dir, paid_by_booking_year


def test_demo_exports_of_every_year_validate_and_are_byte_identical(tmp_path):
    plan = tomllib.loads((FIXTURES / "demo.toml").read_text(encoding="utf-8"))
    years = list(range(int(plan["from"][:4]), int(plan["as_of"][:4]) + 1))
    outputs = []
    for run in ("first", "second"):
        assert main(["demo", "--out", str(tmp_path / run)]) == 0
        exports = tmp_path / run / "exports"
        outputs.append({p.name: p.read_bytes() for p in sorted(exports.iterdir())})
    assert outputs[0] == outputs[1]
    assert {f"saft-{y}.xml" for y in years} | {f"ledger-{y}.beancount" for y in years} <= set(outputs[0])

    db_url = f"sqlite:///{tmp_path / 'first' / 'demo.sqlite'}"
    totals = check_export_dir(db_url, tmp_path / "first" / "exports", years)
    paid = paid_by_booking_year(db_url)
    assert paid, "the demo pays something"
    for year in years:  # the sum of the pain.001 files equals the sum of payments in the ledger
        assert sum((t for n, t in totals.items() if n.startswith(f"pain001-{year}")), Decimal("0.00")) \
            == paid.get(year, Decimal("0.00"))
    config = load_config(FIXTURES / plan["config"])
    engine = open_engine(db_url)
    with Session(engine) as session:
        assert check_ledger(session, config, Chart.of(load_ledger_settings(config.directory), config.accounts)) == []
    engine.dispose()
