"""Flags about reports, from stored facts as of a date (V 2.5.2, 2.7): shown by `status` and logged by the jobs."""
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, select

from ..config import Config
from ..rules.grant_window import months_in_window
from ..rules.rent_cycle import latest
from ..store.tables import Dwelling, ReportLine
from .facts import GrantContext
from .result import Flag


def estimate_due(ctx: GrantContext, year: int, config: Config) -> date:
    """1 December of the year before; a grant given later reports as soon as it can (V 2.5.2)."""
    month, day = config.reporting.estimate_due
    return max(date(year - 1, month, day), ctx.grant.grant_date)


def actuals_due(year: int, config: Config) -> date:
    month, day = config.reporting.actuals_due
    return date(year + 1, month, day)


def active_in(ctx: GrantContext, year: int) -> bool:
    return ctx.grant.grant_date.year <= year and months_in_window(year, ctx.facts.window_start, ctx.facts.duration_years) > 0


def estimate_flags(ctx: GrantContext, year: int, as_of: date, config: Config) -> list[Flag]:
    due = estimate_due(ctx, year, config)
    if not active_in(ctx, year) or as_of < due:
        return []
    known = [r for r in ctx.facts.estimates.get(year, []) if r.received <= as_of]
    gid = ctx.grant.id
    if not known:
        return [Flag("V 2.5.2 estimate missing", gid, f"no estimate for {year} (due {due})")]
    first = min(known, key=lambda r: (r.received, r.report_id))
    lead = config.reporting.late_estimate_lead_months
    if first.received > due:
        return [Flag("V 2.5.2 late estimate", gid,
                     f"estimate for {year} received {first.received}, due {due}: on-account paid from the first term "
                     f"after {first.received + relativedelta(months=lead)}")]
    return []


def actuals_flags(session: Session, ctx: GrantContext, year: int, as_of: date, config: Config) -> list[Flag]:
    due = actuals_due(year, config)
    if not active_in(ctx, year) or as_of < due:
        return []
    gid = ctx.grant.id
    known = [r for r in ctx.facts.actuals.get(year, []) if r.received <= as_of]
    report = latest(known)
    if report is None:
        return [Flag("V 2.5.2 actuals missing", gid, f"no actuals for {year} (due {due}): not reconciled")]
    flags = []
    if min(r.received for r in known) > due:
        flags.append(Flag("V 2.5.2 late actuals", gid, f"actuals for {year} received {min(r.received for r in known)}, due {due}"))
    rows = session.exec(
        select(ReportLine, Dwelling).where(ReportLine.report_id == report.report_id, ReportLine.dwelling_id == Dwelling.id)
    )
    for line, dwelling in rows:
        dept = ctx.department_numbers[dwelling.department_id]
        if line.non_eligible_months:
            flags.append(Flag("V 2.5.2 non-eligible tenant", gid,
                              f"{line.non_eligible_months} month(s) in {year} let to a tenant outside the eligible group "
                              f"earn no subsidy", dept, dwelling.ref))
        if line.vacant_months > 3 * dwelling.count:
            flags.append(Flag("V 2.7 vacancy over 3 months", gid,
                              f"{line.vacant_months} vacant month(s) in {year} for {dwelling.count} dwelling(s)",
                              dept, dwelling.ref))
    return flags
