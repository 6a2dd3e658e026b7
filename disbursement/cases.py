"""Decisions by case through time: which decision of a case is in force on which days (issue 13).

A later decision of a case (by decision date, then load order) supersedes an earlier one from its own effective
date: each decision is in force from its effective date until the effective date of the first later-decided one of
its case, so a correction with the same effective date replaces it wholly, and both stay on record. Pure: the
engine's master-data changes and every scheme's decisions use it.
"""
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class InForce:
    """A decision and the days it is in force: [start, end), `end` None while nothing supersedes it."""

    decision: Any
    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def known(decisions: Iterable[T], as_of: date) -> tuple[T, ...]:
    """The decisions received by `as_of`: like every report, a decision is known from the day it arrived."""
    return tuple(d for d in decisions if d.received <= as_of)


def in_force(decisions: Iterable, ends_only: tuple[str, ...] = ()) -> list[InForce]:
    """Each decision (with `case_ref`, `decided`, `id`, `effective`) with its period; those superseded before they
    took effect, and those of a kind in `ends_only` (which only end what they supersede), are left out."""
    by_case: dict[str, list] = {}
    for d in sorted(decisions, key=lambda d: (d.decided, d.id)):
        by_case.setdefault(d.case_ref, []).append(d)
    periods = []
    for case in by_case.values():
        for i, d in enumerate(case):
            end = min((later.effective for later in case[i + 1:]), default=None)
            if getattr(d, "kind", None) not in ends_only and (end is None or d.effective < end):
                periods.append(InForce(d, d.effective, end))
    return periods
