"""Errors the engine raises to the command line, by exit code."""


class UsageError(ValueError):
    """The operator asked for something that cannot be done as asked (exit code 2)."""
