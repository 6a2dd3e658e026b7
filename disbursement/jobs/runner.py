"""Run jobs: one job and date in one transaction, recorded as a JobRun; nightly catch-up and backfill on top.

Every job books only the difference between its target and what is booked, so a re-run is always safe; the run
lock keeps two processes from working at once.
"""
import logging
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from dateutil.relativedelta import relativedelta
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..calendar import DueJob, is_due, jobs_between
from ..config import Config
from ..store.database import run_lock
from ..store.tables import Grant, JobRun
from .aconto import run_aconto
from .estimates import run_estimates
from .reconciliation import run_reconciliation
from .result import JobReport

JOBS: dict[str, Callable[[Session, Config, date, int], JobReport]] = {
    "estimates": run_estimates,
    "reconciliation": run_reconciliation,
    "aconto": run_aconto,
}
log = logging.getLogger("disbursement")
Clock = Callable[[], datetime]


class UsageError(ValueError):
    """The operator asked for something that cannot be done as asked (exit code 2)."""


class JobFailed(RuntimeError):
    """A job raised; its transaction was rolled back and the failure recorded (exit code 1)."""


@dataclass(frozen=True)
class RunOutcome:
    job: str
    date: date
    report: JobReport
    fingerprint_changed: bool


def run_one(engine: Engine, config: Config, job: str, on: date, clock: Clock) -> RunOutcome:
    """Run `job` for `on` in one transaction; a failure keeps nothing of it but the record that it failed."""
    if job not in JOBS:
        raise UsageError(f"unknown job {job!r}; jobs are {', '.join(JOBS)}")
    if not is_due(job, on, config):
        raise UsageError(f"{job} is not due on {on}; `disbursement calendar {on.year}` lists the dates")
    started, tick = clock(), time.monotonic()
    try:
        with Session(engine) as session:
            previous = session.exec(
                select(JobRun.fingerprint).where(JobRun.job == job, JobRun.job_date == on, JobRun.outcome == "ok")
                .order_by(JobRun.id.desc())
            ).first()
            run = JobRun(job=job, job_date=on, started_at=started, finished_at=started, fingerprint="",
                         outcome="running", summary="{}")
            session.add(run)
            session.flush()
            report = JOBS[job](session, config, on, run.id)
            run.fingerprint, run.outcome, run.summary = report.fingerprint(), "ok", report.summary()
            run.finished_at = clock()
            session.commit()
    except Exception as exc:
        _record_failure(engine, job, on, started, clock, exc)
        log.error("job=%s date=%s outcome=failed error=%s", job, on, exc)
        raise JobFailed(f"{job} {on}: {exc}") from exc
    log.info("job=%s date=%s outcome=ok seconds=%.3f %s", job, on, time.monotonic() - tick, report.summary())
    for flag in report.flags:
        log.warning("job=%s date=%s flag %s", job, on, flag)
    return RunOutcome(job, on, report, fingerprint_changed=previous != report.fingerprint())


def _record_failure(engine, job, on, started, clock, exc) -> None:
    with Session(engine) as session:
        session.add(JobRun(job=job, job_date=on, started_at=started, finished_at=clock(), fingerprint="",
                           outcome="failed", summary=f"{type(exc).__name__}: {exc}"))
        session.commit()


def first_grant_date(engine: Engine) -> date | None:
    """Nothing is due before the first grant was given."""
    with Session(engine) as session:
        return session.exec(select(func.min(Grant.grant_date))).first()


def nightly(engine: Engine, config: Config, as_of: date, clock: Clock) -> list[RunOutcome]:
    """Run, in calendar order, every job due up to `as_of` that has no successful run yet (catch-up)."""
    with run_lock(engine):
        start = first_grant_date(engine)
        if start is None:
            return []
        with Session(engine) as session:
            done = {(job, day) for job, day in session.exec(select(JobRun.job, JobRun.job_date).where(JobRun.outcome == "ok"))}
        due = [j for j in jobs_between(start, as_of, config) if (j.job, j.date) not in done]
        return [run_one(engine, config, j.job, j.date, clock) for j in due]


def check_rerun_window(on: date, today: date, config: Config, allow_old: bool) -> None:
    """SPEC 1: operators re-run jobs of the last 12 months; older dates need an explicit --allow-old."""
    oldest = today - relativedelta(months=config.rerun_window_months)
    if on < oldest and not allow_old:
        raise UsageError(f"{on} is more than {config.rerun_window_months} months ago (before {oldest}); "
                         "pass --allow-old to re-run it anyway")
    if on > today:
        raise UsageError(f"{on} is in the future (today is {today})")


def run_job(engine: Engine, config: Config, job: str, on: date, clock: Clock, allow_old: bool = False) -> RunOutcome:
    check_rerun_window(on, clock().date(), config, allow_old)
    with run_lock(engine):
        return run_one(engine, config, job, on, clock)


def backfill(engine: Engine, config: Config, start: date, end: date, clock: Clock, allow_old: bool = False) -> list[RunOutcome]:
    """Replay every job due in [start, end] in calendar order; unchanged inputs book nothing."""
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    check_rerun_window(start, clock().date(), config, allow_old)
    check_rerun_window(end, clock().date(), config, allow_old)
    with run_lock(engine):
        due: list[DueJob] = jobs_between(start, end, config)
        return [run_one(engine, config, j.job, j.date, clock) for j in due]
