"""Everything `status` shows of inclusion housing as of a day: missing or late reports, deadlines, phases, leases,
vacancies and the refund reserve (V 2.4-2.7), each flag with the rule it comes from."""
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from ...config import Config
from ...engine.result import Flag
from .jobs.facts import load_rent_facts
from .jobs.flags import actuals_flags, estimate_flags, support_flags
from .jobs.refunds import refund_flags
from .tables import Grant


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
            flags += support_flags(ctx, as_of, config)
            for year in sorted(years):
                flags += estimate_flags(ctx, year, as_of, config)
                flags += actuals[year][ctx.grant.id]
    return flags + refund_flags(session, as_of, config)
