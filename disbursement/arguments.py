"""Argument types of the command line, shared by the engine's commands and the schemes' own."""
import argparse
from datetime import date, time


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2019-06-28") from None


def time_of_day(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time of day like 02:00") from None
