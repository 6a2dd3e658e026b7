"""Deadlines and lapse (V 2.5.1, 2.5.3; SPEC 2.6): caretaker hired and works started within 12 months of the
grant date unless the grant (or a later extension decision) states a later deadline; otherwise the grant lapses.

The texts say the grant itself lapses ("Støttetilsagnet bortfalder"), so a missed deadline stops every support of
the grant from the day after the deadline. A deadline for works applies only to grants with a conversion amount.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Dated:
    """A reported date and the day the report was received; the latest received is the one in force."""

    received: date
    value: date
    order: int = 0


def in_force(reports: list[Dated], as_of: date | None = None) -> date | None:
    """The value of the last report received on or before `as_of` (any, when None)."""
    known = [r for r in reports if as_of is None or r.received <= as_of]
    return max(known, key=lambda r: (r.received, r.order)).value if known else None


@dataclass(frozen=True)
class DeadlineFacts:
    grant_date: date
    has_conversion: bool
    hire_deadline: date | None  # stated in the grant; None = 12 months after the grant date
    works_deadline: date | None
    hires: list[Dated]
    works: list[Dated]
    hire_extensions: list[Dated]
    works_extensions: list[Dated]
    start_months: int = 12


@lru_cache(maxsize=65536)
def months_after(day: date, months: int) -> date:
    """`day` plus whole calendar months (the 31st of a shorter month is its last day). Memoised: every term asks
    it of every grant's dates (docs/performance.md)."""
    return day + relativedelta(months=months)


def hire_deadline(facts: DeadlineFacts, as_of: date | None = None) -> date:
    default = months_after(facts.grant_date, facts.start_months)
    return in_force(facts.hire_extensions, as_of) or facts.hire_deadline or default


def works_deadline(facts: DeadlineFacts, as_of: date | None = None) -> date:
    default = months_after(facts.grant_date, facts.start_months)
    return in_force(facts.works_extensions, as_of) or facts.works_deadline or default


def lapse_date(facts: DeadlineFacts, as_of: date) -> date | None:
    """First day the grant pays nothing, as known on `as_of`; None while it stands."""
    lapses = []
    deadline = hire_deadline(facts, as_of)
    hired = in_force(facts.hires, as_of)
    if as_of > deadline and (hired is None or hired > deadline):
        lapses.append(deadline + timedelta(days=1))
    if facts.has_conversion:
        deadline = works_deadline(facts, as_of)
        started = in_force(facts.works, as_of)
        if as_of > deadline and (started is None or started > deadline):
            lapses.append(deadline + timedelta(days=1))
    return min(lapses, default=None)


def longer_than(start: date, end: date, months: int) -> bool:
    """True when [start, end] lasts more than `months` calendar months (V 2.4 phases, V 7 leases)."""
    return end > start + relativedelta(months=months)
