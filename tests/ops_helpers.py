"""Helpers of the operations tests: the CLI in a process of its own, a canonical dump of the ledger, its invariants."""
import multiprocessing
import os
import signal
import shutil
import subprocess
import sys
import time
import tomllib
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import FIXTURES, PG_SERVER, ROOT
from disbursement.cli import main
from disbursement.store.database import migrate

from tests.helpers import cli, rows

DEMO = tomllib.loads((FIXTURES / "demo.toml").read_text(encoding="utf-8"))
DEMO_CONFIG = str(FIXTURES / DEMO["config"])
DEMO_FILES = sorted(str(path) for path in FIXTURES.glob(DEMO["files"]))
DEMO_FROM, DEMO_TO = DEMO["from"], DEMO["as_of"]


def command(db_url: str, *args: str, config: str = DEMO_CONFIG) -> list[str]:
    """The CLI as cron runs it: a process of its own (no freezegun: pass --as-of / --allow-old and dates)."""
    return [sys.executable, "-m", "disbursement.cli", "--db", db_url, "--config", config, *args]


def popen(db_url: str, *args: str, config: str = DEMO_CONFIG, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(command(db_url, *args, config=config), cwd=ROOT, env=env, text=True,
                            stdout=kw.pop("stdout", subprocess.PIPE), stderr=kw.pop("stderr", subprocess.PIPE), **kw)


# Processes forked from a server that has imported the application once: each starts in milliseconds instead of
# the second an interpreter takes to import it, so a kill lands in the work, not in the start-up. The server never
# opens a database, so a child inherits no connection.
_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload([__name__])


def _run_cli(argv: list[str], log_path: str) -> None:
    """In the child: `disbursement ARGV`, its output in `log_path`, its exit code the process's."""
    sys.stdout = sys.stderr = open(log_path, "w", buffering=1, encoding="utf-8")
    sys.exit(main(argv))


class CliProcess:
    """`disbursement --db URL --config DIR ARGS` in a process of its own, to be killed, stopped, or waited for."""

    def __init__(self, db_url: str, *args: str, log_path, config: str = DEMO_CONFIG):
        self.log_path = str(log_path)
        self.process = _FORKS.Process(target=_run_cli, args=(["--db", db_url, "--config", config, *args], self.log_path))
        self.process.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        try:
            with open(self.log_path, encoding="utf-8") as handle:
                return handle.read()
        except FileNotFoundError:
            return ""

    def wait_for_log(self, text_: str, count: int = 1, timeout: float = 60) -> bool:
        """Until `text_` occurs `count` times in the output; False if the process ended first (or timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log().count(text_) >= count:
                return True
            if not self.process.is_alive():
                return self.log().count(text_) >= count
            time.sleep(0.002)
        return False

    def signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> int:
        """SIGKILL (unless it has ended already); its exit code: -9 if killed."""
        try:
            self.signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        return self.wait()

    def wait(self, timeout: float = 120) -> int:
        self.process.join(timeout)
        assert self.process.exitcode is not None, f"{self.process} still running after {timeout} s"
        return self.process.exitcode


def cli_retrying_lock(db_url: str, *args: str, config: str = DEMO_CONFIG, seconds: float = 15) -> int:
    """The CLI in-process; exit 3 (the lock of a just-killed process not yet released by the server) is retried."""
    deadline = time.monotonic() + seconds
    while True:
        code = cli(db_url, *args, config=config)
        if code != 3 or time.monotonic() > deadline:
            return code
        time.sleep(0.1)


@pytest.fixture
def make_db(db_url, tmp_path):
    """More databases of the kind of `db_url`: `make_db()` without data (PostgreSQL's migrated, as after a deploy's
    `migrate`; `migrated=False`: an empty schema), `make_db(loaded=True)` with the demo files loaded.

    The application never deletes a booking (the database refuses it), so each trial gets a database of its own,
    made fast: SQLite copies a loaded file; PostgreSQL a new schema, upgraded, with the loaded rows copied into it.
    """
    schemas: list[str] = []
    template: list[str] = []  # the loaded database, made on first use

    def new_schema() -> str:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        schemas.append(schema)
        with create_engine(PG_SERVER).begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        return schema

    def make(loaded: bool = False, migrated: bool = True) -> str:
        if db_url.startswith("sqlite"):
            path = tmp_path / f"db-{uuid.uuid4().hex[:12]}.sqlite"
            if loaded:
                if not template:
                    template.append(str(tmp_path / "loaded-template.sqlite"))
                    assert cli(f"sqlite:///{template[0]}", "load", *DEMO_FILES, config=DEMO_CONFIG) == 0
                shutil.copyfile(template[0], path)
            return f"sqlite:///{path}"
        if loaded and not template:
            template.append(new_schema())
            migrate(_pg_url(template[0]))
            assert cli(_pg_url(template[0]), "load", *DEMO_FILES, config=DEMO_CONFIG) == 0
        schema = new_schema()
        if loaded:
            _copy_schema_rows(template[0], schema)
        elif migrated:
            migrate(_pg_url(schema))
        return _pg_url(schema)

    yield make
    if schemas:
        admin = create_engine(PG_SERVER)
        with admin.begin() as connection:
            for schema in schemas:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _pg_url(schema: str) -> str:
    return f"{PG_SERVER}?options=-csearch_path%3D{schema}"


def _copy_schema_rows(source: str, target: str) -> None:
    """Upgrade `target` as the application does, then copy every row of `source` (parents first) and its sequences."""
    from sqlalchemy import MetaData

    migrate(_pg_url(target))
    engine = create_engine(PG_SERVER)
    try:
        with engine.begin() as connection:
            metadata = MetaData()
            metadata.reflect(connection, schema=source)
            for table in metadata.sorted_tables:
                if table.name == "alembic_version":
                    continue
                columns = ", ".join(f'"{column.name}"' for column in table.columns)
                connection.execute(text(f"INSERT INTO {target}.{table.name} ({columns}) "
                                        f"SELECT {columns} FROM {source}.{table.name}"))
                if "id" in table.columns and str(table.columns["id"].type) == "INTEGER":
                    connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{target}.{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {target}.{table.name}), 0) + 1, false)"))
    finally:
        engine.dispose()


def _canonical(records) -> list[tuple[str, ...]]:
    """Values as text (SQLite and PostgreSQL return dates differently), sorted: ids play no part."""
    return sorted(tuple("" if v is None else str(v) for v in record) for record in records)


def ledger_dump(db_url: str) -> dict[str, list[tuple[str, ...]]]:
    """Everything booked, identified by job, date, journal sequence, line and component, never by row ids."""
    journal = "JOIN journal j ON j.id = t.journal_id"
    return {
        "journals": _canonical(rows(db_url, (
            "SELECT t.job, t.job_date, t.seq, t.booked_on, t.description, c.job, c.job_date, c.seq "
            "FROM journal t LEFT JOIN journal c ON c.id = t.corrects_id"))),
        "postings": _canonical(rows(db_url, (
            "SELECT j.job, j.job_date, j.seq, t.line, t.component, t.account, t.amount, t.grant_id, t.recipient_cvr, "
            f"t.recipient_account, t.recipient_note, t.recipient_book FROM posting t {journal}"))),
        "payments": _canonical(rows(db_url, (
            "SELECT t.key, t.line, j.job, j.job_date, j.seq, t.support, t.recipient_cvr, t.grant_id, t.value_date, "
            f"t.amount FROM payment t {journal}"))),
        "claims": _canonical(rows(db_url, (
            "SELECT t.key, t.line, j.job, j.job_date, j.seq, t.support, t.recipient_cvr, t.grant_id, t.due_date, "
            f"t.amount FROM claim t {journal}"))),
    }


def line_totals(db_url: str) -> dict[str, list[tuple[str, ...]]]:
    """What each line comes to in the end, however many journals it took: its expense per component and account,
    and the money that changed hands (paid less claimed back), to the øre."""
    money = ("SELECT line, amount FROM payment UNION ALL SELECT line, -amount FROM claim")
    return {
        "expense": _canonical(rows(db_url, (
            "SELECT line, component, account, SUM(amount) FROM posting WHERE component NOT IN ('payment', 'claim') "
            "GROUP BY line, component, account HAVING SUM(amount) <> 0"))),
        "paid less claimed": _canonical(rows(db_url, (
            f"SELECT line, SUM(amount) FROM ({money}) AS m GROUP BY line HAVING SUM(amount) <> 0"))),
    }


def assert_ledger_sound(db_url: str) -> None:
    """No journal unbalanced or empty, no payment key twice, every payment and claim matched by its posting."""
    assert rows(db_url, "SELECT journal_id, SUM(amount) FROM posting GROUP BY journal_id HAVING SUM(amount) <> 0") == []
    assert rows(db_url, "SELECT id FROM journal WHERE id NOT IN (SELECT journal_id FROM posting)") == []
    for table in ("payment", "claim"):
        assert rows(db_url, f"SELECT key FROM {table} GROUP BY key HAVING COUNT(*) > 1") == []
        assert rows(db_url, f"SELECT line, journal_id FROM {table} GROUP BY line, journal_id HAVING COUNT(*) > 1") == []
    assert rows(db_url, (
        "SELECT j.id FROM journal j WHERE "
        "COALESCE((SELECT SUM(amount) FROM payment WHERE journal_id = j.id), 0) <> "
        "-COALESCE((SELECT SUM(amount) FROM posting WHERE journal_id = j.id AND component = 'payment'), 0) OR "
        "COALESCE((SELECT SUM(amount) FROM claim WHERE journal_id = j.id), 0) <> "
        "COALESCE((SELECT SUM(amount) FROM posting WHERE journal_id = j.id AND component = 'claim'), 0)")) == []


def ok_runs(db_url: str) -> list[tuple[str, str, int]]:
    """(job, date, number of successful runs) of every job that has one."""
    return _canonical(rows(db_url, "SELECT job, job_date, COUNT(*) FROM job_run WHERE outcome = 'ok' "
                                   "GROUP BY job, job_date"))
