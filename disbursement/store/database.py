"""Engine and schema migrations (the engine's and each scheme's branch). Any SQLAlchemy URL works; SQLite in the
working directory by default."""
import logging
import os
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine as sqlalchemy_engine
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError, ProgrammingError
from sqlalchemy.pool import NullPool
from sqlmodel import create_engine

# Every table module is imported here, once, at start-up (the registry imports each scheme's): defining models later
# (inside a migration run, perhaps under a test's frozen clock) is what SQLModel/pydantic cannot do reliably.
from ..engine.registry import SCHEMES
from ..engine.scheme import Scheme
from . import tables  # noqa: F401  (the engine's own tables)
from .lock import LOCK_KEY, PG_LOCK_ARGS, LockHeld, sqlite_flock, sqlite_lock_path

DEFAULT_URL = "sqlite:///disbursement.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# How long a schema upgrade waits for a run (of the release before) to end before giving up with exit code 3.
UPGRADE_WAIT_SECONDS = 60
log = logging.getLogger("disbursement")


def database_url(cli_value: str | None) -> str:
    return cli_value or os.environ.get("DISBURSEMENT_DB") or DEFAULT_URL


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached, or a command that only reads found none (exit code 2)."""


def open_engine(url: str, schemes: tuple[Scheme, ...] = SCHEMES, create: bool = True) -> Engine:
    """Connect to a database whose schema is at the newest migration of the engine's and each scheme's branch.

    SQLite (the single-user embedded default) is brought there on the spot. PostgreSQL is not: only `migrate`, run
    by the schema's owner, changes a schema (docs/operations.md "Least privilege"), so a schema behind is one line
    naming its revision and the command to run. With `create=False` (commands that only read) a database that does
    not exist yet is an error, never created: a mistyped path must not report an empty ledger."""
    engine, current = _connect(url, create)
    heads = _heads(schemes)
    if current != heads:
        if engine.dialect.name == "postgresql":
            engine.dispose()
            raise DatabaseUnavailable(_behind(engine, current, heads))
        upgrade(engine, schemes)
    return engine


def migrate(url: str, schemes: tuple[Scheme, ...] = SCHEMES, check: bool = False) -> str | None:
    """`disbursement migrate`: bring the schema to the newest migration (the only command that changes it on
    PostgreSQL); with `check`, change nothing. None when the schema was current, else the revisions it was at and
    those it was (or is to be) brought to."""
    engine, current = _connect(url, create=not check)
    try:
        heads = _heads(schemes)
        if current == heads:
            return None
        if not check:
            upgrade(engine, schemes)
        return f"{_revisions(current)} to {_revisions(heads)}"
    finally:
        engine.dispose()


def _heads(schemes: tuple[Scheme, ...]) -> set[str]:
    return set(ScriptDirectory.from_config(_alembic_config(schemes)).get_heads())


def _revisions(revisions: set[str]) -> str:
    return ", ".join(sorted(revisions)) or "no revision (empty)"


def _behind(engine: Engine, current: set[str], heads: set[str]) -> str:
    shown = engine.url.render_as_string(hide_password=True)
    return (f"the schema of {shown} is at {_revisions(current)}, this release needs {_revisions(heads)}: run "
            "`disbursement migrate` as the schema's owner")


def _connect(url: str, create: bool) -> tuple[Engine, set[str]]:
    """The engine and the schema's current revisions; DatabaseUnavailable when it cannot be reached, or is empty and
    `create` is off."""
    try:
        parsed = make_url(url)
        engine = create_engine(url)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise DatabaseUnavailable(f"{url!r} is not a database URL ({exc}); e.g. sqlite:///disbursement.sqlite or "
                                  "postgresql+psycopg://user@host/db") from None
    shown = parsed.render_as_string(hide_password=True)
    if engine.dialect.name == "sqlite":
        _check_sqlite_path(parsed.database, create)
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except DBAPIError as exc:
        engine.dispose()
        reason = " ".join(str(exc.orig if exc.orig is not None else exc).split())
        raise DatabaseUnavailable(f"cannot connect to the database {shown}: {reason}") from None
    if not create and not current:
        engine.dispose()
        raise DatabaseUnavailable(f"{shown} holds no disbursement database yet; this command only reads and creates "
                                  "none (check --db or DISBURSEMENT_DB)")
    return engine, current


def _check_sqlite_path(database: str | None, create: bool) -> None:
    if not database or database == ":memory:":
        return
    path = Path(database)
    if not create and not path.exists():
        raise DatabaseUnavailable(f"no database file {path}; this command only reads and creates none (check --db "
                                  "or DISBURSEMENT_DB)")
    if not path.parent.is_dir():
        raise DatabaseUnavailable(f"cannot create the database {path}: the directory {path.parent} does not exist")


def _alembic_config(schemes: tuple[Scheme, ...]) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    locations = [MIGRATIONS / "versions", *(scheme.migrations for scheme in schemes if scheme.migrations)]
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(str(path) for path in locations))
    return cfg


def _migrate(connection, cfg: AlembicConfig) -> None:
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "heads")


def upgrade(engine: Engine, schemes: tuple[Scheme, ...]) -> None:
    """Bring a schema that is behind to every head: all or nothing, one process at a time, never under a running job.

    The callers have read the revisions when connecting, so a database already at the heads (the common start)
    never gets here. The upgrade takes the run lock, waiting up to UPGRADE_WAIT_SECONDS for a run to end, and runs
    in one transaction: PostgreSQL has transactional DDL; on SQLite the migrations run inside BEGIN IMMEDIATE on a
    connection of their own (the driver would otherwise commit each CREATE TABLE on its own, and a process killed
    half-way would leave a schema no start could upgrade).
    """
    cfg = _alembic_config(schemes)
    if engine.dialect.name == "postgresql":
        _upgrade_postgresql(engine, cfg)
        return
    path = sqlite_lock_path(engine)
    if path is None:  # in memory: one connection, no other process
        with engine.begin() as connection:
            _migrate(connection, cfg)
        return
    with sqlite_flock(path, wait_seconds=UPGRADE_WAIT_SECONDS, purpose="upgrading the schema"):
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
    except ProgrammingError as exc:
        # insufficient_privilege, or invalid_schema_name (no right to use the search path's schema): not its owner
        if getattr(exc.orig, "sqlstate", None) in ("42501", "3F000"):
            raise DatabaseUnavailable(f"{engine.url.username} may not change the schema of "
                                      f"{engine.url.render_as_string(hide_password=True)}: run `disbursement migrate` "
                                      "as the schema's owner") from None
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


