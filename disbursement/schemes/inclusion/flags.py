"""Everything `status` shows of inclusion housing as of a day: missing or late reports, deadlines, phases, leases,
vacancies and the refund reserve (V 2.4-2.7), each flag with the rule it comes from and the decision that answers
it, and the authority's decisions with the days each is in force."""
from dataclasses import replace
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from ...cases import InForce, known
from ...config import Config
from ...engine.result import Flag
from .jobs.events import GrantEvents, load_decided
from .jobs.facts import load_rent_facts
from .jobs.flags import actuals_flags, estimate_flags, support_flags
from .jobs.refunds import refund_flags
from .decision_text import REDUCING, decision_line
from .rules.decisions import Decided, in_force
from .tables import Decision, Grant

# Flags the ministry answers with a decision on the grant (V 2.4, 2.5.1, 2.5.3, 2.7): the kinds that answer each.
ANSWERED_BY = {
    "V 2.5.1/2.5.3 grant lapsed": ("lapse",),
    "V 2.4 phase over 9 months": REDUCING,
    "V 2.5.2 non-eligible tenant": REDUCING,
    "V 2.7 vacancy over 3 months": REDUCING,
}


def first_grant_date(session: Session, config: Config) -> date | None:
    """Nothing of the scheme is due before its first grant was given, and nothing at all without one."""
    return session.exec(select(func.min(Grant.grant_date))).first()


def inclusion_flags(session: Session, config: Config, as_of: date) -> list[Flag]:
    start = first_grant_date(session, config)
    if start is None:
        return []
    years = set(range(start.year, as_of.year + 2))
    flags: list[Flag] = []
    for batch in load_rent_facts(session, years, as_of):
        actuals = {year: actuals_flags(session, batch, year, as_of, config) for year in sorted(years)}
        for ctx in batch:
            grant_flags = support_flags(ctx, as_of, config)
            for year in sorted(years):
                grant_flags += estimate_flags(ctx, year, as_of, config)
                grant_flags += actuals[year][ctx.grant.id]
            flags += answered(grant_flags, ctx.events, as_of)
    return flags + refund_flags(session, as_of, config)


def answered(flags: list[Flag], events: GrantEvents, as_of: date) -> list[Flag]:
    """Each flag with the case of the latest decision known on `as_of` that answers it, where there is one."""
    if not events.decisions:
        return flags
    decisions = sorted(known(events.decisions, as_of), key=lambda d: (d.decided, d.id))
    result = []
    for flag in flags:
        answer = [d for d in decisions if d.kind in ANSWERED_BY.get(flag.rule, ())]
        result.append(replace(flag, answered_by=answer[-1].case_ref) if answer else flag)
    return result


def decisions_on(session: Session, as_of: date, grant_id: str | None = None) -> list[tuple[Decided, InForce | None]]:
    """The decisions received by `as_of` (on one grant, when given), each with the days it is in force (None: it
    never took effect), by case. A case is about one subject, so one grant's cases are whole."""
    on_grant = [] if grant_id is None else [Decision.grant_id == grant_id]
    decisions = known(load_decided(session, *on_grant), as_of)
    periods = {p.decision.id: p for p in in_force(decisions)}
    return [(d, periods.get(d.id)) for d in sorted(decisions, key=lambda d: (d.case_ref, d.decided, d.id))]


def decision_lines(session: Session, config: Config, as_of: date, grant_id: str | None = None) -> list[str]:
    """One line a decision, for `status`."""
    return [decision_line(d, period) for d, period in decisions_on(session, as_of, grant_id)]
