"""Errors of the ledger and the exports, as the command line maps them to exit codes (SPEC 5)."""


class LedgerInputError(ValueError):
    """Bad input or usage (exit code 2): an unknown recipient, a payment to a recipient without a valid account,
    a year that cannot be closed yet. The message has one line per problem and names what is wrong."""


class LedgerBroken(RuntimeError):
    """A ledger invariant does not hold (exit code 1): nothing is exported or closed until it is repaired."""


class UnbalancedJournal(LedgerBroken):
    """A journal whose debits and credits differ; raised before anything is written."""


def require_fiscal_year(year: int) -> int:
    """A fiscal year is a calendar year the ledger can hold; anything else is a usage error, not a traceback."""
    if not 1900 <= year <= 9998:
        raise LedgerInputError(f"{year} is not a fiscal year (a calendar year like 2019)")
    return year
