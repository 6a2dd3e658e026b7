"""Engine, schema migrations and the run lock. Any SQLAlchemy URL works; SQLite in the working directory by default."""
import fcntl
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine as sqlalchemy_engine
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool
from sqlmodel import create_engine

# Every table module is imported here, once, at start-up: defining models later (inside a migration run, perhaps
# under a test's frozen clock) is what SQLModel/pydantic cannot do reliably.
from . import event_tables, tables, temporary_tables  # noqa: F401

DEFAULT_URL = "sqlite:///disbursement.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# PostgreSQL advisory lock: (LOCK_KEY, hash of the schema), so deployments in different schemas of one database
# (and the tests, a schema each) do not block each other. 'disb'.
LOCK_KEY = 0x6469_7362
PG_LOCK_ARGS = ":k, hashtext(current_schema())"
# How long a schema upgrade waits for a run (of the release before) to end before giving up with exit code 3.
UPGRADE_WAIT_SECONDS = 60
log = logging.getLogger("disbursement")


class LockHeld(RuntimeError):
    """Another process holds the run lock (exit code 3)."""


def database_url(cli_value: str | None) -> str:
    return cli_value or os.environ.get("DISBURSEMENT_DB") or DEFAULT_URL


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def open_engine(url: str) -> Engine:
    """Connect and bring the schema up to the newest migration (operators keep a year of history across releases)."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    upgrade(engine)
    return engine


def _alembic_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _migrate(connection, cfg: AlembicConfig) -> None:
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "heads")


def upgrade(engine: Engine) -> None:
    """Bring the schema to every head: all or nothing, one process at a time, never under a running job.

    A database already at the heads is left alone (the common start). Otherwise the upgrade takes the run lock,
    waiting up to UPGRADE_WAIT_SECONDS for a run to end, and runs in one transaction: PostgreSQL has transactional
    DDL; on SQLite the migrations run inside BEGIN IMMEDIATE on a connection of their own (the driver would
    otherwise commit each CREATE TABLE on its own, and a process killed half-way would leave a schema no start
    could upgrade).
    """
    cfg = _alembic_config()
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    with engine.connect() as connection:
        if set(MigrationContext.configure(connection).get_current_heads()) == heads:
            return
    if engine.dialect.name == "postgresql":
        _upgrade_postgresql(engine, cfg)
        return
    path = _sqlite_lock_path(engine)
    if path is None:  # in memory: one connection, no other process
        with engine.begin() as connection:
            _migrate(connection, cfg)
        return
    with _sqlite_flock(path, wait_seconds=UPGRADE_WAIT_SECONDS, purpose="upgrading the schema"):
        migration_engine = _sqlite_migration_engine(engine.url)
        try:
            with migration_engine.begin() as connection:
                _migrate(connection, cfg)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"schema upgrade would break foreign keys: {broken[:5]}; nothing changed")
        finally:
            migration_engine.dispose()


def _upgrade_postgresql(engine: Engine, cfg: AlembicConfig) -> None:
    try:
        with engine.begin() as connection:
            connection.execute(text(f"SET LOCAL lock_timeout = '{UPGRADE_WAIT_SECONDS}s'"))
            connection.execute(text(f"SELECT pg_advisory_xact_lock({PG_LOCK_ARGS})"), {"k": LOCK_KEY})
            _migrate(connection, cfg)
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
            raise LockHeld(f"another disbursement run holds the lock on this database and the schema upgrade waited "
                           f"{UPGRADE_WAIT_SECONDS} s for it; try again when it ends") from None
        raise


def _sqlite_migration_engine(url: URL) -> Engine:
    """A connection whose transaction we begin ourselves (BEGIN IMMEDIATE: one writer), so DDL is transactional.

    Foreign keys are off while tables are rebuilt (SQLite's own advice for ALTER TABLE); the upgrade checks them
    before it commits.
    """
    engine = sqlalchemy_engine(url, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _sqlite_lock_path(engine: Engine) -> Path | None:
    database = make_url(str(engine.url)).database or ":memory:"
    return Path(f"{database}.lock") if database != ":memory:" else None


@contextmanager
def _sqlite_flock(path: Path, wait_seconds: float = 0, purpose: str = ""):
    """An exclusive flock on `path`, which names its holder while held; the OS releases it if the process dies."""
    with open(path, "a+") as handle:
        deadline, told = time.monotonic() + wait_seconds, False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip()
                holder = f" ({holder})" if holder else ""
                if time.monotonic() >= deadline:
                    waited = f" and {purpose} waited {wait_seconds} s for it" if wait_seconds else ""
                    raise LockHeld(f"another disbursement run holds {path}{holder}{waited}; "
                                   "try again when it ends") from None
                if not told:
                    log.info("waiting for the run holding %s%s to end before %s", path, holder, purpose)
                    told = True
                time.sleep(0.1)
        try:
            handle.truncate(0)
            handle.write(f"process {os.getpid()}")
            handle.flush()
            yield
        finally:
            handle.truncate(0)
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def run_lock(engine: Engine):
    """Hold the one run lock for the duration of a run; released by the OS/server if the process dies.

    PostgreSQL: a session advisory lock, on a connection of its own in autocommit mode (no transaction stays open
    for the length of the run). SQLite: an exclusive flock on a file beside the database. A second run does not
    wait: it raises LockHeld naming the holder, and does nothing.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            if not connection.execute(text(f"SELECT pg_try_advisory_lock({PG_LOCK_ARGS})"), {"k": LOCK_KEY}).scalar():
                raise LockHeld(f"another disbursement run holds the lock on this database{_pg_holder(connection)}; "
                               "try again when it ends")
            try:
                yield
            finally:
                try:
                    connection.execute(text(f"SELECT pg_advisory_unlock({PG_LOCK_ARGS})"), {"k": LOCK_KEY})
                except DBAPIError as exc:  # the connection is gone, and the lock with it
                    log.warning("could not release the run lock (connection lost: %s)", str(exc).splitlines()[0])
        return
    path = _sqlite_lock_path(engine)
    if path is None:
        yield
        return
    with _sqlite_flock(path):
        yield


def _pg_holder(connection) -> str:
    """Who holds the advisory lock, for the message: the server process and its client."""
    row = connection.execute(text(
        "SELECT a.pid, a.client_addr, a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid = CAST(:k AS oid) "
        "AND l.objid = CAST(hashtext(current_schema()) AS oid) AND l.database = "
        "(SELECT oid FROM pg_database WHERE datname = current_database())"), {"k": LOCK_KEY}).first()
    if row is None:
        return ""
    pid, client, since = row
    return f" (PostgreSQL backend pid {pid}, client {client or 'local socket'}, connected {since:%Y-%m-%d %H:%M:%S})"
