"""Social-support subsidy (V 2.2.3, 2.5.3; SPEC 2.4): quarterly from the caretaker's hire date, indexed by the
private-sector wage index, first and last quarter pro rata by days, for at most 15 years.

The schedule is cumulative: at each term, every quarter up to the term's quarter is worth what the facts known at
that term say, and the term pays the difference from what earlier terms assigned to it. So a hire date reported
late is paid as arrears at the next term, and a corrected date is trued up, without any term being re-run.
Repayments from the annual accounts (expenses below what was paid) are offset against later payments by default.
The authority's decisions known at a term (rules.decisions) change it the same way: a changed annual amount, a
reduction or a stop from a date, a lapse waived, a repayment collected instead of offset.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Callable, NamedTuple

from ....money import ZERO, to_ore
from .deadlines import Dated, in_force, months_after
from ....cases import InForce
from .decisions import annual_reduction, changed, offset_part, repayment_treatment, segments, share_paid
from ....indexation import IndexTable
from .rent_subsidy import on_account_instalments


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> date:
        return _bounds(self.year, self.number)[0]

    @property
    def end(self) -> date:
        return _bounds(self.year, self.number)[1]

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


@dataclass(frozen=True)
class AccountsReport:
    received: date
    year: int
    expenses: Decimal
    order: int = 0


@dataclass(frozen=True)
class SocialSupportFacts:
    annual: Decimal
    price_year: int
    duration_years: int
    hires: list[Dated]
    lapse_as_of: Callable[[date], date | None]  # the grant's lapse date as known on a date (rules.deadlines)
    accounts: list[AccountsReport] = field(default_factory=list)
    decisions_as_of: Callable[[date], list[InForce]] = lambda as_of: []  # the grant's decisions known on a date

SUPPORT = "social_support"


def quarter_entitlement(facts: SocialSupportFacts, quarter: Quarter, as_of: date, wage: IndexTable) -> Decimal:
    """What `quarter` is worth with the facts known on `as_of`: its instalment, pro rata by covered days."""
    return _value(facts, quarter, _known(facts, as_of), wage)


Known = tuple[date | None, date | None, tuple[InForce, ...]]


def _known(facts: SocialSupportFacts, as_of: date) -> Known:
    """All that a quarter's value depends on from `as_of`: the hire date, the lapse date and the decisions then
    in force."""
    return in_force(facts.hires, as_of), facts.lapse_as_of(as_of), tuple(facts.decisions_as_of(as_of))


class Piece(NamedTuple):
    """Days of a quarter paid at one amount and share: from `start`, `days` days."""

    start: date
    days: int
    annual: Decimal  # as decided, less reductions by amount
    price_year: int
    indexed: Decimal  # the annual amount in the quarter's year, rounded to øre
    instalment: Decimal  # the quarter's part of it (rules.rent_subsidy.on_account_instalments)
    share: Decimal  # paid after reductions and stops by percent


def _pieces(facts: SocialSupportFacts, quarter: Quarter, known: Known, wage: IndexTable) -> list[Piece]:
    """The days of `quarter` that are covered (from the hire date, within the grant's years, before a lapse), cut
    where decisions change the amount or the share."""
    hired, lapse, decisions = known
    if hired is None:
        return []
    duration = changed(decisions, "duration_years", facts.duration_years)
    first = max(quarter.start, hired)
    last = min(quarter.end, months_after(hired, 12 * duration) - timedelta(days=1))
    if lapse is not None:
        last = min(last, lapse - timedelta(days=1))
    pieces = []
    for start, days in (segments(decisions, first, last) if first <= last else []):
        annual = changed(decisions, "social_support_annual", facts.annual, start) - annual_reduction(decisions, start)
        price_year = changed(decisions, "social_support_price_year", facts.price_year, start)
        indexed = to_ore(wage.indexed(max(annual, ZERO), quarter.year, price_year))
        pieces.append(Piece(start, days, annual, price_year, indexed, on_account_instalments(indexed)[quarter.number - 1],
                            share_paid(decisions, SUPPORT, start)))
    return pieces


def _value(facts: SocialSupportFacts, quarter: Quarter, known: Known, wage: IndexTable) -> Decimal:
    """The quarter's instalment for the days it is covered, each day at the amount and share the decisions give
    it: Σ instalment x share x days / days of the quarter, rounded once."""
    return _valued(_pieces(facts, quarter, known, wage), quarter)


def _valued(pieces: list[Piece], quarter: Quarter) -> Decimal:
    if not pieces:
        return ZERO
    return to_ore(sum((p.instalment * p.share * p.days for p in pieces), ZERO) / _days(quarter))


def _days(quarter: Quarter) -> int:
    return (quarter.end - quarter.start).days + 1


def quarter_steps(facts: SocialSupportFacts, quarter: Quarter, as_of: date, wage: IndexTable) -> list[str]:
    """How `quarter_entitlement` comes to its value, as `explain` shows it."""
    known = _known(facts, as_of)
    pieces = _pieces(facts, quarter, known, wage)
    if not pieces:
        return [f"{quarter}: 0.00 (hire date known on {as_of}: {known[0] or 'none'}; nothing of the quarter covered)"]
    steps = [f"{quarter}, with the facts known on {as_of} (hired {known[0]}"
             + (f", lapses {known[1]}" if known[1] else "") + "):"]
    for p in pieces:
        share = "" if p.share == 1 else f" x share paid {p.share}"
        steps.append(f"  from {p.start}, {p.days} day(s): {p.annual:,.2f} a year in {p.price_year} prices x "
                     f"{wage.value(quarter.year)} / {wage.value(p.price_year)} = {p.indexed:,.2f}, quarter "
                     f"{quarter.number}'s instalment {p.instalment:,.2f}{share}")
    steps.append(f"  = Σ instalment x share x days / {_days(quarter)} days = {_valued(pieces, quarter):,.2f} "
                 "(rounded once)")
    return steps


@dataclass(frozen=True)
class Term:
    """A payment term: its date and the quarter it pays for (in arrears)."""

    paid_on: date
    quarter: Quarter


@dataclass
class TermComponents:
    quarters: dict[str, Decimal] = field(default_factory=dict)
    repayment_offsets: dict[str, Decimal] = field(default_factory=dict)
    repayment_claims: dict[int, Decimal] = field(default_factory=dict)


def social_support_schedule(
    facts: SocialSupportFacts, terms: list[Term], wage: IndexTable, offset_repayments: bool = True,
) -> list[TermComponents]:
    """Components of each term in `terms` (ascending, from the first term the grant can pay at).

    A quarter's value changes only when the hire or lapse date in force changes, so a term revalues the earlier
    quarters only then and otherwise values just its own: linear in the number of terms, not quadratic.
    """
    assigned: dict[Quarter, Decimal] = {}
    quarters: list[Quarter] = []
    valued_with = None
    offsets: dict[int, Decimal] = {}  # per accounts year: the part of its repayment set off, and the part collected
    collected: dict[int, Decimal] = {}
    outstanding = ZERO
    schedule = []
    for term in terms:
        parts = TermComponents()
        valued = len(quarters)
        quarters += _quarters_up_to(_next(quarters[-1]) if quarters else terms[0].quarter, term.quarter)
        known = _known(facts, term.paid_on)
        for quarter in quarters if known != valued_with else quarters[valued:]:
            due = _value(facts, quarter, known, wage) - assigned.get(quarter, ZERO)
            if due:
                assigned[quarter] = assigned.get(quarter, ZERO) + due
                parts.quarters[f"quarter {quarter}"] = due
        valued_with = known
        for year, accounts in _accounts_in_force(facts.accounts, term.paid_on).items():
            paid = sum((v for q, v in assigned.items() if q.year == year), ZERO)
            repayment = max(ZERO, paid - accounts.expenses)
            offset = offset_part(repayment_treatment(known[2], year, offset_repayments), repayment)
            outstanding += offset - offsets.get(year, ZERO)
            claim = repayment - offset - collected.get(year, ZERO)
            offsets[year], collected[year] = offset, repayment - offset
            if claim:
                parts.repayment_claims[year] = claim
        if outstanding:
            gross = sum(parts.quarters.values(), ZERO)
            ended = _value(facts, _next(term.quarter), known, wage) == 0
            offset = outstanding if ended or outstanding < 0 else min(outstanding, max(gross, ZERO))
            if offset:
                parts.repayment_offsets["repayment offset"] = -offset
                outstanding -= offset
        schedule.append(parts)
    return schedule


def social_support_term(
    facts: SocialSupportFacts, terms: list[Term], wage: IndexTable, offset_repayments: bool = True,
) -> TermComponents:
    """The components of the last of `terms`: `social_support_schedule(...)[-1]`, in a time that does not grow with
    the years since the hire date while no accounts report is known.

    The schedule keeps every quarter assigned what the facts known at the term before said (it values all of them
    again when those facts change, else only the new quarter), so the last term pays, per quarter, its value now
    less its value then: the new quarter in full, the earlier ones only when the facts changed. The repayments of
    the annual accounts depend on every term's payments (an offset is limited by each term's gross), so once an
    accounts report is known the whole schedule is computed.
    """
    term = terms[-1]
    if len(terms) == 1 or any(report.received <= term.paid_on for report in facts.accounts):
        return social_support_schedule(facts, terms, wage, offset_repayments)[-1]
    previous = terms[-2].quarter
    known, before = _known(facts, term.paid_on), _known(facts, terms[-2].paid_on)
    revalued = _quarters_up_to(terms[0].quarter, previous) if known != before else []
    parts = TermComponents()
    for quarter in revalued:
        due = _value(facts, quarter, known, wage) - _value(facts, quarter, before, wage)
        if due:
            parts.quarters[f"quarter {quarter}"] = due
    for quarter in _quarters_up_to(_next(previous), term.quarter):
        due = _value(facts, quarter, known, wage)
        if due:
            parts.quarters[f"quarter {quarter}"] = due
    return parts


def _accounts_in_force(reports: list[AccountsReport], as_of: date) -> dict[int, AccountsReport]:
    latest: dict[int, AccountsReport] = {}
    for r in sorted(reports, key=lambda r: (r.received, r.order)):
        if r.received <= as_of:
            latest[r.year] = r
    return latest


@lru_cache(maxsize=4096)
def _bounds(year: int, number: int) -> tuple[date, date]:
    """First and last day of a quarter."""
    start = date(year, 3 * number - 2, 1)
    return start, months_after(start, 3) - timedelta(days=1)


def _next(quarter: Quarter) -> Quarter:
    return Quarter(quarter.year + 1, 1) if quarter.number == 4 else Quarter(quarter.year, quarter.number + 1)


def _quarters_up_to(first: Quarter, last: Quarter) -> list[Quarter]:
    quarters, q = [], first
    while (q.year, q.number) <= (last.year, last.number):
        quarters.append(q)
        q = _next(q)
    return quarters
