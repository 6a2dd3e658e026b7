"""Shared test helpers: run the CLI as a user would and read back what it booked."""
from decimal import Decimal

from sqlalchemy import create_engine, text

from disbursement.cli import main

from tests.conftest import FIXTURES

W1_CONFIG = str(FIXTURES / "w1" / "config")


def cli(db_url: str, *args: str, config: str = W1_CONFIG) -> int:
    return main(["--db", db_url, "--config", config, *args])


def rows(db_url: str, sql: str) -> list[tuple]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql))]
    finally:
        engine.dispose()


def kroner(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(Decimal("0.01"))


def payments(db_url: str, support: str = "rent_subsidy") -> list[tuple[str, str, Decimal]]:
    return [(key, str(day), kroner(amount)) for key, day, amount in rows(
        db_url, f"SELECT key, value_date, amount FROM payment WHERE support = '{support}' ORDER BY value_date, key")]


def claims(db_url: str, support: str = "rent_subsidy") -> list[tuple[str, str, Decimal]]:
    return [(key, str(day), kroner(amount)) for key, day, amount in rows(
        db_url, f"SELECT key, due_date, amount FROM claim WHERE support = '{support}' ORDER BY due_date, key")]


TABLES = ("intake_file", "organisation", "municipality", "subsidy_grant", "department", "dwelling", "report",
          "report_line", "job_run", "journal", "posting", "payment", "claim")


def table_counts(db_url: str) -> dict[str, int]:
    return {t: rows(db_url, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}
