"""Every database test runs on SQLite and on PostgreSQL (a fresh schema per test).

PostgreSQL tests skip with a reason when no server answers, except in CI (CI=true), where that is a failure.
"""
import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PG_SERVER = os.environ.get("DISBURSEMENT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_reachable() -> str | None:
    try:
        with create_engine(PG_SERVER).connect() as connection:
            connection.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # any failure to connect means: no server here
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


@contextmanager
def pg_schema_url():
    """A URL of a fresh PostgreSQL schema, dropped afterwards; skips (fails in CI) when no server answers."""
    problem = _pg_reachable()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL must be reachable in CI at {PG_SERVER}: {problem}")
        pytest.skip(f"no PostgreSQL server at {PG_SERVER}: {problem}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A URL of a database of each kind without data: SQLite's file does not exist yet (the first command creates
    and migrates it); PostgreSQL's schema is migrated, as `disbursement migrate` does in a deploy."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    from disbursement.store.database import migrate

    with pg_schema_url() as url:
        migrate(url)
        yield url
