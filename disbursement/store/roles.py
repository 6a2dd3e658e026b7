"""Least privilege on PostgreSQL (docs/operations.md "Least privilege"): `grant-roles`, run by the schema's owner.

The owner (the role that ran `migrate`) owns every table, trigger and function; nobody else can alter, disable or
drop a trigger. The runtime role (cron's `nightly`, the scheduler) may read every table and INSERT into them, and
UPDATE only the rows the engine changes after inserting them (a job run's record when the run ends); it owns
nothing, cannot create tables, and cannot UPDATE, DELETE or TRUNCATE the ledger, the payments, the claims, the
decisions or the bank's answers. Each operator logs in as a role of their own with the same rights (granted by
the owner on its tables, so no role administration is needed): they re-run, load, approve and release under their
own name (`session_user`, recorded with each approval and release and compared by the four-eyes rule). Granting again is a no-op; run it after each `migrate` so a new
table gets what an old one has (new tables get SELECT and INSERT by default privileges anyway).
"""
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from ..engine.errors import UsageError
from .database import open_engine

# What the runtime role may UPDATE besides inserting: a job run's record, written when the run starts and completed
# when it ends (engine/runner.py). Every other table is insert-only for it.
UPDATABLE = ("job_run",)
# Read-only for the runtime role: only `migrate` writes the schema's revision.
READ_ONLY = ("alembic_version",)


def grant_roles(url: str, runtime: str, operators: list[str]) -> list[str]:
    """Grant `runtime` and each of `operators` what they may do in the current schema (the same); the statements
    run, in order.
    UsageError when the database has no roles (SQLite), a role does not exist, or the caller does not own the
    schema's tables."""
    if make_url(url).get_backend_name() != "postgresql":
        raise UsageError("grant-roles is for PostgreSQL: SQLite has no roles (it is the single-user embedded default)")
    engine = open_engine(url, create=False)
    try:
        return _grant(engine, runtime, operators)
    finally:
        engine.dispose()


def _grant(engine: Engine, runtime: str, operators: list[str]) -> list[str]:
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as connection:
        schema, me = connection.execute(text("SELECT current_schema(), current_user")).one()
        owners = set(connection.execute(text(
            "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema()")).scalars())
        if not owners:
            raise UsageError(f"schema {schema} has no tables yet: run `disbursement migrate` as its owner first")
        if owners != {me}:
            raise UsageError(f"grant-roles must run as the owner of schema {schema}'s tables "
                             f"({', '.join(sorted(owners))}), not as {me}")
        named = [runtime, *operators]
        known = set(connection.execute(text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
                                       {"names": named}).scalars())
        missing = [name for name in named if name not in known]
        if missing:
            raise UsageError(f"no database role {', '.join(missing)}: create it first (CREATE ROLE ... LOGIN)")
        if me in named:
            raise UsageError(f"{me} owns the schema: the runtime and operator roles must be other roles")
        s, grantees = quote(schema), ", ".join(quote(name) for name in named)
        statements = [
            f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {grantees}",
            f"GRANT USAGE ON SCHEMA {s} TO {grantees}",
            f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {s} TO {grantees}",
            *(f"REVOKE INSERT ON {s}.{quote(table)} FROM {grantees}" for table in READ_ONLY),
            *(f"GRANT UPDATE ON {s}.{quote(table)} TO {grantees}" for table in UPDATABLE),
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {grantees}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT ON TABLES TO {grantees}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {grantees}",
        ]
        for statement in statements:
            connection.execute(text(statement))
    return statements
