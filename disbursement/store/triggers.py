"""Append-only tables in the database itself, for migrations: UPDATE, DELETE (and TRUNCATE) of a table refused.

The ledger's tables got theirs in 0002_ledger (which also defines ledger_append_only() on PostgreSQL); the decision
tables of later revisions use this."""
from alembic import op


def append_only(table: str) -> None:
    """Refuse UPDATE and DELETE (and TRUNCATE) of `table` in the database itself (as 0002_ledger does)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_append_only_{event.lower()} BEFORE {event} ON {table} BEGIN "
                       f"SELECT RAISE(ABORT, '{table} is append-only: load a superseding decision instead'); END")
