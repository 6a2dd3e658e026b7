"""What an operator must look at as of a date: flags, missing reports, jobs not run or failed, open claims."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from .calendar import jobs_between
from .config import Config
from .jobs.facts import load_rent_facts
from .jobs.flags import actuals_flags, estimate_flags, support_flags
from .jobs.refunds import refund_flags
from .jobs.result import Flag
from .jobs.runner import first_grant_date, receipt_days
from .jobs.staleness import stale_runs
from .schemes import scheme_flags
from .store.tables import Claim, JobRun, Payment


@dataclass
class Status:
    as_of: date
    flags: list[Flag]
    jobs_not_run: list[str]
    jobs_failed: list[str]
    jobs_stale: list[str]
    open_claims: list[tuple[str, str, date, Decimal]]
    paid_by_year: dict[int, Decimal]


def status(engine: Engine, config: Config, as_of: date) -> Status:
    start = first_grant_date(engine)
    result = Status(as_of, [], [], [], [], [], {})
    if start is None:
        return result
    years = set(range(start.year, as_of.year + 2))
    with Session(engine) as session:
        for batch in load_rent_facts(session, years):
            actuals = {year: actuals_flags(session, batch, year, as_of, config) for year in sorted(years)}
            for ctx in batch:
                result.flags += support_flags(ctx, as_of, config)
                for year in sorted(years):
                    result.flags += estimate_flags(ctx, year, as_of, config)
                    result.flags += actuals[year][ctx.grant.id]
        result.flags += refund_flags(session, as_of, config)
        result.flags += scheme_flags(session, config, as_of)  # the other schemes' own (config/schemes/)
        runs = list(session.exec(select(JobRun.job, JobRun.job_date, JobRun.outcome).order_by(JobRun.id)))
        ok = {(job, day) for job, day, outcome in runs if outcome == "ok"}
        failed = {(job, day) for job, day, outcome in runs if outcome == "failed"} - ok
        for due in jobs_between(start, as_of, config, receipt_days(engine)):
            if (due.job, due.date) not in ok:
                result.jobs_not_run.append(f"{due.job} {due.date}")
        result.jobs_failed = [f"{job} {day}" for job, day in sorted(failed)]
        result.jobs_stale = [f"{s.job} {s.date}: {s.reason}" for s in stale_runs(session, config) if s.date <= as_of]
        result.open_claims = [
            (grant, cvr, due, amount) for grant, cvr, due, amount in session.exec(
                select(Claim.grant_id, Claim.recipient_cvr, Claim.due_date, func.sum(Claim.amount))
                .group_by(Claim.grant_id, Claim.recipient_cvr, Claim.due_date).order_by(Claim.due_date, Claim.grant_id)
            ) if amount
        ]
        for value_date, amount in session.exec(select(Payment.value_date, Payment.amount)):
            result.paid_by_year[value_date.year] = result.paid_by_year.get(value_date.year, Decimal("0.00")) + amount
    return result
