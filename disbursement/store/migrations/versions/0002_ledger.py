"""ledger: closed fiscal years, corrections of closed years, append-only and balance checks in the database

Revision ID: 0002_ledger
Revises: 0001

What the database itself enforces, beside the checks in code (disbursement/ledger/invariants.py):
- journal, posting, payment, claim and fiscal_year_close are append-only: BEFORE UPDATE/DELETE triggers on both
  databases (and BEFORE TRUNCATE on PostgreSQL);
- nothing is booked in a closed year: BEFORE INSERT triggers on journal, posting, payment and claim, both databases;
- every journal balances (debits = credits): on PostgreSQL a DEFERRABLE INITIALLY DEFERRED constraint trigger on
  posting checks the journal's sum at COMMIT. SQLite has no deferred triggers, so the sum of a journal cannot be
  checked once all its postings are in; there the view `unbalanced_journal` (on both) lists offenders, and
  ledger.invariants checks the balance before every journal is written, every export and every year closing.
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_ledger"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY = ("journal", "posting", "payment", "claim", "fiscal_year_close")
BOOKED_IN = ("posting", "payment", "claim")  # rows that belong to a journal, and so to its booking year

UNBALANCED_VIEW = """
CREATE VIEW unbalanced_journal AS
SELECT journal_id, SUM(amount) AS difference FROM posting GROUP BY journal_id HAVING SUM(amount) <> 0
"""

PG_FUNCTIONS = """
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: book a correcting journal instead', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE FUNCTION ledger_journal_balances() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE difference bigint;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO difference FROM posting WHERE journal_id = NEW.journal_id;
    IF difference <> 0 THEN
        RAISE EXCEPTION 'journal % does not balance: debits - credits = % øre', NEW.journal_id, difference
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION ledger_journal_year_open() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM fiscal_year_close WHERE year = EXTRACT(YEAR FROM NEW.booked_on)) THEN
        RAISE EXCEPTION 'fiscal year % is closed: book in the open period', EXTRACT(YEAR FROM NEW.booked_on)
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION ledger_row_year_open() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM journal j JOIN fiscal_year_close c ON c.year = EXTRACT(YEAR FROM j.booked_on)
               WHERE j.id = NEW.journal_id) THEN
        RAISE EXCEPTION '%: journal % is booked in a closed fiscal year', TG_TABLE_NAME, NEW.journal_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
"""


def _postgresql() -> None:
    op.execute(PG_FUNCTIONS)
    for table in APPEND_ONLY:
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()")
    op.execute("CREATE CONSTRAINT TRIGGER posting_journal_balances AFTER INSERT ON posting "
               "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_journal_balances()")
    op.execute("CREATE TRIGGER journal_year_open BEFORE INSERT ON journal "
               "FOR EACH ROW EXECUTE FUNCTION ledger_journal_year_open()")
    for table in BOOKED_IN:
        op.execute(f"CREATE TRIGGER {table}_year_open BEFORE INSERT ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION ledger_row_year_open()")


def _sqlite() -> None:
    for table in APPEND_ONLY:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_append_only_{event.lower()} BEFORE {event} ON {table} BEGIN "
                       f"SELECT RAISE(ABORT, '{table} is append-only: book a correcting journal instead'); END")
    op.execute("CREATE TRIGGER journal_year_open BEFORE INSERT ON journal "
               "WHEN EXISTS (SELECT 1 FROM fiscal_year_close "
               "WHERE year = CAST(strftime('%Y', NEW.booked_on) AS INTEGER)) BEGIN "
               "SELECT RAISE(ABORT, 'fiscal year is closed: book in the open period'); END")
    for table in BOOKED_IN:
        op.execute(f"CREATE TRIGGER {table}_year_open BEFORE INSERT ON {table} "
                   "WHEN EXISTS (SELECT 1 FROM journal j JOIN fiscal_year_close c "
                   "ON c.year = CAST(strftime('%Y', j.booked_on) AS INTEGER) WHERE j.id = NEW.journal_id) BEGIN "
                   f"SELECT RAISE(ABORT, '{table}: journal is booked in a closed fiscal year'); END")


def upgrade() -> None:
    op.add_column("journal", sa.Column("corrects_year", sa.Integer(), nullable=True))
    op.create_table(
        "fiscal_year_close",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("journals", sa.Integer(), nullable=False),
        sa.Column("total_debit", sa.BigInteger(), nullable=False),
    )
    op.execute(UNBALANCED_VIEW)
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _postgresql()
    elif dialect == "sqlite":
        _sqlite()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute("DROP TRIGGER posting_journal_balances ON posting")
        op.execute("DROP TRIGGER journal_year_open ON journal")
        for table in BOOKED_IN:
            op.execute(f"DROP TRIGGER {table}_year_open ON {table}")
        for function in ("ledger_append_only", "ledger_journal_balances", "ledger_journal_year_open",
                         "ledger_row_year_open"):
            op.execute(f"DROP FUNCTION {function}()")
    elif dialect == "sqlite":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only_update")
            op.execute(f"DROP TRIGGER {table}_append_only_delete")
        op.execute("DROP TRIGGER journal_year_open")
        for table in BOOKED_IN:
            op.execute(f"DROP TRIGGER {table}_year_open")
    op.execute("DROP VIEW unbalanced_journal")
    op.drop_table("fiscal_year_close")
    with op.batch_alter_table("journal") as batch:
        batch.drop_column("corrects_year")
