"""Concurrency (issue 5): two processes never do the same work; the one kept out exits 3 and writes nothing.

The processes are real (forked from a server that imported the application, so they start together within
milliseconds); the lock is the application's: an advisory lock on PostgreSQL, a flock beside an SQLite file.
"""
import signal
import sqlite3
import time

from sqlalchemy.engine import make_url

from tests.conftest import FIXTURES
from tests.helpers import cli
from tests.ops_helpers import (  # noqa: F401  (make_db is a fixture)
    DEMO_CONFIG, CliProcess, assert_ledger_sound, ledger_dump, make_db, ok_runs,
)

REGISTER = FIXTURES / "demo" / "register-2017.xml"

AS_OF = "2019-07-01"
NIGHTLY = ("nightly", "--as-of", AS_OF)
HOLDS = "another disbursement run holds"


def _clean_ledger(make_db) -> dict:
    clean = make_db(loaded=True)
    assert cli(clean, *NIGHTLY, config=DEMO_CONFIG) == 0
    return ledger_dump(clean)


def test_two_nightly_processes_started_together_do_the_work_once(make_db, tmp_path):
    clean = _clean_ledger(make_db)
    for round_ in range(3):
        db = make_db(loaded=True)
        first, second = (CliProcess(db, *NIGHTLY, log_path=tmp_path / f"{round_}-{n}.log") for n in (1, 2))
        codes = sorted((first.wait(), second.wait()))
        logs = [first.log(), second.log()]
        worked = [log for log in logs if "outcome=ok" in log]
        assert len(worked) == 1, logs  # exactly one process ran jobs
        idle = [log for log in logs if log not in worked][0]
        if codes == [0, 3]:  # the usual case: the second found the lock taken
            assert HOLDS in idle and "try again when it ends" in idle
        else:  # it started after the first had finished: nothing left to do
            assert codes == [0, 0] and "nightly: 0 job(s) run" in idle
        assert {count for *_, count in ok_runs(db)} == {"1"}  # one successful run per job and date
        assert_ledger_sound(db)
        assert ledger_dump(db) == clean


def _pause(proc: CliProcess, db_url: str) -> None:
    """SIGSTOP `proc`, at a moment it does not hold SQLite's commit lock (a stopped commit would keep every
    reader waiting; PostgreSQL readers never wait)."""
    while True:
        proc.signal(signal.SIGSTOP)
        if not db_url.startswith("sqlite"):
            return
        connection = sqlite3.connect(make_url(db_url).database, timeout=0)
        try:
            connection.execute("SELECT COUNT(*) FROM job_run").fetchall()
            return
        except sqlite3.OperationalError:  # database is locked: let it finish the commit
            proc.signal(signal.SIGCONT)
            time.sleep(0.003)
        finally:
            connection.close()


def test_runs_started_while_a_nightly_works_exit_3_and_change_nothing(make_db, tmp_path):
    clean = _clean_ledger(make_db)
    db = make_db(loaded=True)
    working = CliProcess(db, *NIGHTLY, log_path=tmp_path / "working.log")
    assert working.wait_for_log("outcome=ok", count=5)
    _pause(working, db)
    try:
        before, runs_before = ledger_dump(db), ok_runs(db)
        for n, command in enumerate([NIGHTLY, ("backfill", "--from", "2019-01-01", "--to", AS_OF, "--allow-old"),
                                     ("run", "aconto", "--date", "2019-06-28", "--allow-old")]):
            late = CliProcess(db, *command, log_path=tmp_path / f"late-{n}.log")
            assert late.wait() == 3, late.log()
            assert f"error: {HOLDS}" in late.log() and "outcome=" not in late.log()
            if db.startswith("sqlite"):
                assert f"(process {working.pid})" in late.log()
            else:
                assert "PostgreSQL backend pid" in late.log()
        assert ledger_dump(db) == before and ok_runs(db) == runs_before
    finally:
        working.signal(signal.SIGCONT)
    assert working.wait() == 0
    assert ledger_dump(db) == clean


def test_processes_starting_together_on_an_empty_database_upgrade_it_once(make_db, tmp_path):
    """cron's nightly and an operator's commands on a brand-new database: the schema upgrade is serialised."""
    db = make_db(migrated=False)
    # SQLite: `load`, a command that may create the database (`status` only reads and would refuse an empty one);
    # PostgreSQL: `migrate`, the only command that changes its schema
    upgrading = ("load", str(REGISTER)) if db.startswith("sqlite") else ("migrate",)
    procs = [CliProcess(db, *upgrading, log_path=tmp_path / f"{n}.log") for n in range(3)]
    assert [proc.wait() for proc in procs] == [0, 0, 0], [proc.log() for proc in procs]
