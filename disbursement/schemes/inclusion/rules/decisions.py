"""The paying authority's decisions as the rules apply them (docs/intake.md "Decisions"; issue 13).

A decision belongs to a case; a later decision of the case supersedes an earlier one from its own effective date
(disbursement.cases). A `resume` only ends what it supersedes.

Decisions are known from the day their document was received, like every report: a run for a day uses the ones
received by then (`known`); a decision loaded after such a run makes it stale (jobs/staleness.py).
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterable

from ....cases import InForce, in_force as in_force_by_case
from ....money import ZERO, to_ore

HUNDRED = Decimal(100)
ONE = Decimal(1)


@dataclass(frozen=True)
class Decided:
    """One decision, with the columns of table `decision` that the rules read."""

    id: int
    case_ref: str
    kind: str
    decided: date
    effective: date
    received: date
    grant_id: str | None = None
    support: str | None = None
    percent: Decimal | None = None
    amount: Decimal | None = None
    year: int | None = None
    cohort: int | None = None
    municipality_code: str | None = None
    organisation_cvr: str | None = None
    action: str | None = None
    duration_years: int | None = None
    social_support_annual: Decimal | None = None
    social_support_price_year: int | None = None
    conversion_amount: Decimal | None = None


def in_force(decisions: Iterable[Decided]) -> list[InForce]:
    """Each decision with the days it is in force (disbursement.cases); a `resume` only ends what it supersedes."""
    return in_force_by_case(decisions, ends_only=("resume",))


def latest_of(periods: list[InForce], kind: str, day: date | None = None, **match) -> Decided | None:
    """The decision of `kind` in force (on `day`, or at its latest) with the latest effective date."""
    found = [p.decision for p in periods if p.decision.kind == kind
             and (p.covers(day) if day else p.end is None)
             and all(getattr(p.decision, name) == value for name, value in match.items())]
    return max(found, key=lambda d: (d.effective, d.decided, d.id), default=None)


def organisation_on(registered: str, periods: list[InForce], day: date) -> str:
    """Who a grant pays on `day`: the organisation of the transfer in force (V 2.4, § 5), else the register's."""
    transfer = latest_of(periods, "transfer", day)
    return transfer.organisation_cvr if transfer else registered


def share_paid(periods: list[InForce], support: str, day: date) -> Decimal:
    """Fraction of `support` paid on `day` after every reduction and stop by percent in force (0..1)."""
    share = ONE
    for p in periods:
        d = p.decision
        if d.kind in ("reduction", "stop") and d.support == support and d.percent is not None and p.covers(day):
            share *= ONE - d.percent / HUNDRED
    return max(share, ZERO)


def annual_reduction(periods: list[InForce], day: date) -> Decimal:
    """Kroner a year taken off the social-support subsidy on `day` by reductions by an amount (§ 15 stk. 1)."""
    return sum((p.decision.amount for p in periods if p.decision.kind == "reduction" and p.covers(day)
                and p.decision.support == "social_support" and p.decision.amount is not None), ZERO)


def change_points(periods: list[InForce], first: date, last: date) -> list[date]:
    """The days in [first, last] on which some decision starts or ends: between them nothing changes."""
    days = {first}
    for p in periods:
        for day in (p.start, p.end):
            if day is not None and first < day <= last:
                days.add(day)
    return sorted(days)


def segments(periods: list[InForce], first: date, last: date) -> list[tuple[date, int]]:
    """[first, last] cut where decisions change: each piece's first day and its number of days."""
    points = change_points(periods, first, last) + [last + timedelta(days=1)]
    return [(start, (end - start).days) for start, end in zip(points, points[1:])]


def scaled(amount: Decimal, periods: list[InForce], support: str, first: date, last: date) -> Decimal:
    """`amount` for the days [first, last], each day paid at its share (`share_paid`): Σ share x days / days,
    multiplied before dividing and rounded once (SPEC 3). Unchanged when no decision touches the days."""
    pieces = segments(periods, first, last)
    weighted = sum((share_paid(periods, support, start) * days for start, days in pieces), ZERO)
    total = sum(days for _, days in pieces)
    return amount if weighted == total else to_ore(amount * weighted / total)


def lapse_applies(periods: list[InForce], support: str) -> bool:
    """A missed deadline ends `support` unless a lapse decision waives it or limits it to another support
    (V 2.5.1, 2.5.3, § 8 stk. 3); without one the whole grant lapses (rules.deadlines)."""
    decision = latest_of(periods, "lapse")
    if decision is None:
        return True
    return decision.action == "limit" and decision.support == support


def repayment_treatment(periods: list[InForce], year: int, default_offset: bool) -> tuple[str, Decimal | None]:
    """How `year`'s social-support repayment is recovered (V 2.5.3): 'collect', 'offset' or 'offset-part' with
    the amount to offset; the scheme-wide setting when no decision exists."""
    decision = latest_of(periods, "repayment", year=year)
    if decision is None:
        return ("offset" if default_offset else "collect"), None
    return decision.action, decision.amount


def offset_part(treatment: tuple[str, Decimal | None], repayment: Decimal) -> Decimal:
    """The part of a repayment set off against later payments; the rest is collected."""
    action, amount = treatment
    if action == "offset":
        return repayment
    if action == "offset-part":
        return min(amount or ZERO, repayment)
    return ZERO


def changed(periods: list[InForce], field: str, registered, day: date | None = None):
    """The value of a grant field as the latest grant change in force (on `day`, or at its latest) sets it, else the
    register's (V 2.6, § 7). The duration is the grant's whole: it is read without a day."""
    found = [p.decision for p in periods if p.decision.kind == "grant-change" and getattr(p.decision, field) is not None
             and (p.covers(day) if day else p.end is None)]
    latest = max(found, key=lambda d: (d.effective, d.decided, d.id), default=None)
    return registered if latest is None else getattr(latest, field)
