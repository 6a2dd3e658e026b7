"""Engine, schema migrations and the run lock. Any SQLAlchemy URL works; SQLite in the working directory by default."""
import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

DEFAULT_URL = "sqlite:///disbursement.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCK_KEY = 0x6469_7362  # PostgreSQL advisory lock id, 'disb'


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


def upgrade(engine: Engine) -> None:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")


@contextmanager
def run_lock(engine: Engine):
    """Hold the one run lock for the duration of a run; released by the OS/server if the process dies.

    PostgreSQL: a session advisory lock. SQLite: an exclusive flock on a file beside the database.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            if not connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar():
                raise LockHeld("another disbursement run holds the lock on this database; try again when it ends")
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                connection.commit()
        return
    database = make_url(str(engine.url)).database or ":memory:"
    path = Path(f"{database}.lock") if database != ":memory:" else None
    if path is None:
        yield
        return
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockHeld(f"another disbursement run holds {path}; try again when it ends") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
