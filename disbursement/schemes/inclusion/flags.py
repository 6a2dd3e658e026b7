"""Everything `status` shows of inclusion housing as of a day: missing or late reports, deadlines, phases, leases,
vacancies and the refund reserve (V 2.4-2.7), each flag with the rule it comes from and the decision that answers
it, and the authority's decisions with the days each is in force."""
from dataclasses import replace
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from ...cases import known
from ...config import Config
from ...engine.result import Flag
from .jobs.events import GrantEvents, load_decided
from .jobs.facts import load_rent_facts
from .jobs.flags import actuals_flags, estimate_flags, support_flags
from .jobs.refunds import refund_flags
from .rules.decisions import Decided, in_force
from .tables import Decision, Grant

REDUCING = ("reduction", "stop")
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


def decision_lines(session: Session, config: Config, as_of: date, grant_id: str | None = None) -> list[str]:
    """The decisions received by `as_of` (on one grant, when given), one line each: case, date decided, what it
    decides and when it is in force. A case is about one subject, so one grant's cases are whole."""
    on_grant = [] if grant_id is None else [Decision.grant_id == grant_id]
    decisions = known(load_decided(session, *on_grant), as_of)
    periods = {p.decision.id: p for p in in_force(decisions)}
    lines = []
    for d in sorted(decisions, key=lambda d: (d.case_ref, d.decided, d.id)):
        period = periods.get(d.id)
        when = (f"from {period.start}" + (f" until {period.end}" if period.end else "") if period else
                "ends what it supersedes" if d.kind == "resume" else "superseded before it took effect")
        lines.append(f"{d.case_ref} decided {d.decided}: {describe(d)}; {when}")
    return lines


def describe(d: Decided) -> str:
    grant = f"grant {d.grant_id}"
    if d.kind == "transfer":
        return f"{grant} transferred to organisation {d.organisation_cvr}"
    if d.kind == "grant-change":
        changes = [f"{label} {value}" for label, value in (
            ("duration", d.duration_years and f"{d.duration_years} years"), ("social support", d.social_support_annual
             and f"{d.social_support_annual:,.2f} a year"), ("price year", d.social_support_price_year),
            ("conversion grant", d.conversion_amount is not None and f"{d.conversion_amount:,.2f}")) if value]
        return f"{grant} changed: {', '.join(changes) or 'departments and dwellings added'}"
    if d.kind in REDUCING:
        by = f"{d.percent} %" if d.percent is not None else f"{d.amount:,.2f} a year"
        return f"{grant} {d.support} {'stopped' if d.kind == 'stop' else 'reduced'} by {by}"
    if d.kind == "resume":
        return f"{grant} {d.support} resumed"
    if d.kind == "repayment":
        part = f" ({d.amount:,.2f})" if d.amount is not None else ""
        return f"{grant} social-support repayment for {d.year}: {d.action}{part}"
    if d.kind == "late-claim":
        return f"late loss claim {d.year} of municipality {d.municipality_code} accepted"
    if d.kind == "cohort-reserve":
        return f"reserve of cohort {d.cohort} set to {d.amount:,.2f}"
    return f"{grant} lapse {'waived' if d.action == 'waive' else f'limited to {d.support}'}"
