"""Errors of the ledger and the exports, as the command line maps them to exit codes (SPEC 5)."""


class LedgerInputError(ValueError):
    """Bad input or usage (exit code 2): an unknown recipient, a payment to a recipient without a valid account,
    a year that cannot be closed yet. The message has one line per problem and names what is wrong."""


class LedgerBroken(RuntimeError):
    """A ledger invariant does not hold (exit code 1): nothing is exported or closed until it is repaired."""


class UnbalancedJournal(LedgerBroken):
    """A journal whose debits and credits differ; raised before anything is written."""
