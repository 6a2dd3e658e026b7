"""ledger: the deferred balance check sums each journal once per transaction, not once per posting

Revision ID: 0004_balance_once
Revises: 0003_report_amount

On PostgreSQL the constraint trigger of 0002_ledger fires at COMMIT once per inserted posting, and each firing summed
all of the journal's postings: quadratic in the journal's size (a national term's journal holds ~40,000 postings,
and its commit took minutes; docs/performance.md). Now the first firing for a journal sums it and marks it checked
in a transaction-local setting; the later firings see the mark. A posting inserted after a check (possible only
after SET CONSTRAINTS ... IMMEDIATE) clears the mark in a BEFORE INSERT trigger, so its own firing sums again.
SQLite has no deferred triggers (see 0002_ledger): nothing changes there.
"""
from alembic import op

revision = "0004_balance_once"
down_revision = "0003_report_amount"
branch_labels = None
depends_on = None

BALANCES_ONCE = """
CREATE OR REPLACE FUNCTION ledger_journal_balances() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE difference bigint;
BEGIN
    IF current_setting('ledger.balance_checked_' || NEW.journal_id, true) = 'yes' THEN
        RETURN NULL;
    END IF;
    SELECT COALESCE(SUM(amount), 0) INTO difference FROM posting WHERE journal_id = NEW.journal_id;
    IF difference <> 0 THEN
        RAISE EXCEPTION 'journal % does not balance: debits - credits = % øre', NEW.journal_id, difference
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    PERFORM set_config('ledger.balance_checked_' || NEW.journal_id, 'yes', true);
    RETURN NULL;
END $$;

CREATE FUNCTION ledger_balance_unchecked() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM set_config('ledger.balance_checked_' || NEW.journal_id, 'no', true);
    RETURN NEW;
END $$;

CREATE TRIGGER posting_balance_unchecked BEFORE INSERT ON posting
    FOR EACH ROW EXECUTE FUNCTION ledger_balance_unchecked();
"""

BALANCES_EVERY_TIME = """
DROP TRIGGER posting_balance_unchecked ON posting;
DROP FUNCTION ledger_balance_unchecked();
CREATE OR REPLACE FUNCTION ledger_journal_balances() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE difference bigint;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO difference FROM posting WHERE journal_id = NEW.journal_id;
    IF difference <> 0 THEN
        RAISE EXCEPTION 'journal % does not balance: debits - credits = % øre', NEW.journal_id, difference
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(BALANCES_ONCE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(BALANCES_EVERY_TIME)
