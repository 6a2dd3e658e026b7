"""The one run lock: only one process works on a database at a time (runs, backfills, schema upgrades).

PostgreSQL: an advisory lock keyed by the schema; SQLite: an exclusive flock on a file beside the database.
"""
import fcntl
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

# PostgreSQL advisory lock: (LOCK_KEY, hash of the schema), so deployments in different schemas of one database
# (and the tests, a schema each) do not block each other. 'disb'.
LOCK_KEY = 0x6469_7362
PG_LOCK_ARGS = ":k, hashtext(current_schema())"
log = logging.getLogger("disbursement")


class LockHeld(RuntimeError):
    """Another process holds the run lock (exit code 3)."""


def sqlite_lock_path(engine: Engine) -> Path | None:
    database = make_url(str(engine.url)).database or ":memory:"
    return Path(f"{database}.lock") if database != ":memory:" else None


@contextmanager
def sqlite_flock(path: Path, wait_seconds: float = 0, purpose: str = ""):
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
    path = sqlite_lock_path(engine)
    if path is None:
        yield
        return
    with sqlite_flock(path):
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
