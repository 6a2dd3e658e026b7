"""Databases made by the release before the schemes became packages (0.1.0, the demo's two databases, kept in
tests/data/) open with this release: the migrations, now in the engine's and each scheme's folder, find the same
revisions, and the ledger is unchanged, row for row."""
import shutil
import sqlite3
from datetime import date, datetime, timezone

import pytest
from sqlmodel import Session

from disbursement.config import load_ledger_settings
from disbursement.engine.registry import load_config
from disbursement.engine.runner import nightly
from disbursement.ledger.chart import Chart
from disbursement.ledger.invariants import check_ledger
from disbursement.store.database import open_engine
from tests.conftest import FIXTURES, ROOT

DATA = ROOT / "tests" / "data"
LEDGER_TABLES = ("journal", "posting", "payment", "claim", "job_run", "intake_file", "alembic_version")


def _dump(path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        return {table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in LEDGER_TABLES}


@pytest.mark.parametrize("name, config, as_of", [
    ("release-0.1.0-inclusion.sqlite", FIXTURES / "demo-config", date(2021, 7, 1)),
    ("release-0.1.0-temporary.sqlite", None, date(2023, 12, 31)),
])
def test_a_database_of_the_earlier_release_upgrades_in_place_with_its_ledger_unchanged(tmp_path, name, config, as_of):
    database = tmp_path / name
    shutil.copy(DATA / name, database)
    before = _dump(database)
    assert before["journal"] and before["payment"]

    engine = open_engine(f"sqlite:///{database}")
    cfg = load_config(config)
    with Session(engine) as session:
        assert check_ledger(session, cfg, Chart.of(load_ledger_settings(config), cfg.accounts)) == []
    # every job up to the demo's date has run: a nightly finds nothing new to book
    nightly(engine, cfg, as_of, lambda: datetime(2024, 1, 1, tzinfo=timezone.utc))
    engine.dispose()
    after = _dump(database)
    for table in ("journal", "posting", "claim", "intake_file"):
        assert after[table] == before[table], table
    # payment gained the column reissue_of (0008_bank_answer), empty in every row the release wrote
    assert after["payment"] == [row + (None,) for row in before["payment"]]
    assert before["alembic_version"] == [("0004_balance_once",)]
    assert after["alembic_version"] == [("0008_bank_answer",)]  # upgraded in place to this release's head
