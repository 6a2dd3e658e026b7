"""Crash safety (issue 5): a process killed with SIGKILL at any moment loses at most the job it was in.

Each job runs in one transaction and books only the difference from what is booked, so re-running after a crash
completes the work exactly once: the ledger equals an uninterrupted run's to the øre, no payment twice, no journal
unbalanced. The schema upgrade is one transaction too, so a first start killed half-way leaves a database the
next start upgrades. Subprocesses run the real CLI (no freezegun: explicit dates and --allow-old).
"""
import random
import signal
import time

import pytest
from sqlalchemy import create_engine, inspect

from disbursement.store import database

from tests.conftest import FIXTURES
from tests.helpers import cli
from tests.ops_helpers import (  # noqa: F401  (make_db is a fixture)
    DEMO_CONFIG, CliProcess, assert_ledger_sound, cli_retrying_lock, ledger_dump, make_db, ok_runs,
    popen,
)

REGISTER = FIXTURES / "demo" / "register-2017.xml"

# Ten months of the demo, 13 jobs of every kind: on-account and social support terms, estimates, reconciliation,
# lump sums, refunds, about 70 payments and a collection claim.
FROM, UNTIL = "2019-09-01", "2020-07-01"
BACKFILL = ("backfill", "--from", FROM, "--to", UNTIL, "--allow-old")
TRIALS = 8  # per database; each kills one or two processes (the whole file stays under a minute on two cores)


def _kill_at_a_random_moment(db_url: str, rnd: random.Random, log_path) -> tuple[int, int]:
    """Start a backfill and SIGKILL it: after a random number of finished jobs plus a random part of the next one,
    or at a random time. Returns (jobs it logged as done, its exit code)."""
    proc = CliProcess(db_url, *BACKFILL, log_path=log_path)
    if rnd.random() < 0.75:
        proc.wait_for_log("outcome=ok", count=rnd.randrange(0, 13))
        time.sleep(rnd.uniform(0, 0.06))
    else:
        time.sleep(rnd.uniform(0, 1.0))
    code = proc.kill()
    return proc.log().count("outcome=ok"), code


def test_backfill_killed_at_random_moments_then_rerun_equals_an_uninterrupted_run(make_db, tmp_path):
    clean_db = make_db(loaded=True)
    assert cli(clean_db, *BACKFILL, config=DEMO_CONFIG) == 0
    clean = ledger_dump(clean_db)
    assert clean["payments"] and clean["claims"]  # the demo pays and claims: something to lose or to double
    assert_ledger_sound(clean_db)
    due = {(job, day) for job, day, _ in ok_runs(clean_db)}
    rnd = random.Random(f"kill -9 {clean_db.split(':')[0]}")
    killed_mid_run = 0
    for trial in range(TRIALS):
        demo_db = make_db(loaded=True)
        for _ in range(rnd.choice((1, 2))):
            done, code = _kill_at_a_random_moment(demo_db, rnd, tmp_path / f"trial-{trial}.log")
            killed_mid_run += code == -signal.SIGKILL and 0 < done < len(due)
            assert_ledger_sound(demo_db)  # a killed run leaves whole jobs only
        assert cli_retrying_lock(demo_db, *BACKFILL) == 0, f"trial {trial}"
        assert_ledger_sound(demo_db)
        assert ledger_dump(demo_db) == clean, f"trial {trial}: the ledger differs from an uninterrupted run's"
        assert {(job, day) for job, day, _ in ok_runs(demo_db)} == due
    assert killed_mid_run >= TRIALS // 2, "most kills should land between the first and the last job"


# --- the schema upgrade --------------------------------------------------------------------------------------

def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_schema_upgrade_that_breaks_off_half_way_leaves_nothing(make_db, monkeypatch):
    """All or nothing: the upgrade fails after some tables exist; none remain, and the next `migrate` upgrades."""
    db_url = make_db(migrated=False)
    from alembic.operations import Operations

    created = []
    real_create_table = Operations.create_table

    def create_table_then_fail(self, name, *columns, **kw):
        if len(created) == 4:
            raise RuntimeError("power cut")
        created.append(name)
        return real_create_table(self, name, *columns, **kw)

    monkeypatch.setattr(Operations, "create_table", create_table_then_fail)
    with pytest.raises(RuntimeError, match="power cut"):
        database.migrate(db_url)
    assert len(created) == 4
    assert _tables(db_url) == set()
    monkeypatch.undo()
    database.migrate(db_url)
    assert {"job_run", "journal", "payment", "alembic_version"} <= _tables(db_url)


def test_first_start_killed_during_the_schema_upgrade_starts_next_time(db_url, make_db):
    rnd = random.Random(f"upgrade {db_url.split(':')[0]}")
    for _ in range(3):
        url = make_db(migrated=False)
        # SQLite: a command that may create the database; PostgreSQL: the one that changes its schema
        upgrading = ("load", str(REGISTER)) if url.startswith("sqlite") else ("migrate",)
        proc = popen(url, *upgrading)
        time.sleep(rnd.uniform(0.6, 1.8))  # start-up takes about a second, the upgrade a few tenths more
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        assert cli_retrying_lock(url, *upgrading) == 0
        assert "payment" in _tables(url)
