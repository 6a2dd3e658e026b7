"""Run jobs: one job and date in one transaction, recorded as a JobRun; nightly catch-up and backfill on top.

Every job books only the difference between its target and what is booked, so a re-run is always safe; the run
lock keeps two processes from working at once.
"""
import json
from collections import Counter
import logging
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Callable

from dateutil.relativedelta import relativedelta
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..bank.reopened import reopened_stale_runs
from ..config import Config
from ..store.lock import run_lock
from ..money import ZERO
from ..store.tables import Claim, JobRun, Journal, Payment
from .errors import UsageError
from .calendar import DataDays, DueJob, held_by, is_due, jobs_between
from .result import JobReport, StaleRun
from .scheme import OnReceipt

log = logging.getLogger("disbursement")
FLAGS_LOGGED_EACH = 50
Clock = Callable[[], datetime]


class JobFailed(RuntimeError):
    """A job raised; its transaction was rolled back and the failure recorded (exit code 1)."""


class RunIncomplete(JobFailed):
    """Jobs of a nightly or backfill failed; what depends on them was held back, everything else ran (exit code
    1). Each failure is one line; the held-back jobs are counted in one more (`status` lists them)."""

    def __init__(self, outcomes: list["RunOutcome"], failures: list[JobFailed],
                 held: list[tuple[DueJob, tuple[str, date]]]):
        self.outcomes, self.failures, self.held = outcomes, failures, held
        super().__init__("\n".join([str(failure) for failure in failures] + ([self.held_summary()] if held else [])))

    def held_summary(self) -> str:
        """One line for every job held back: how many, and the first three."""
        first = ", ".join(f"{j.job} {j.date}" for j, _ in self.held[:3])
        return (f"{len(self.held)} job(s) held back until the failed ones run: {first}"
                f"{', ...' if len(self.held) > 3 else ''} (`status` lists them)")


@dataclass(frozen=True)
class RunOutcome:
    job: str
    date: date
    report: JobReport
    fingerprint_changed: bool
    by_recipient: dict[str, tuple[Decimal, Decimal]] | None = None  # paid and claimed per recipient (dry runs)


def _job_function(config: Config, job: str, on: date):
    found = config.job(job)
    if found is None:
        raise UsageError(f"unknown job {job!r}; jobs are {', '.join(spec.name for _, spec in config.jobs())}")
    if not is_due(job, on, config):
        raise UsageError(f"{job} is not due on {on}; `disbursement calendar {on.year}` lists the dates")
    return found[1].run


def _execute(session: Session, config: Config, job: str, on: date, clock: Clock) -> tuple[int, JobReport, str | None]:
    """Run the job in `session` and record its run there: (job_run id, report, fingerprint of the run before)."""
    started = clock()
    previous = session.exec(
        select(JobRun.fingerprint).where(JobRun.job == job, JobRun.job_date == on, JobRun.outcome == "ok")
        .order_by(JobRun.id.desc())
    ).first()
    run = JobRun(job=job, job_date=on, started_at=started, finished_at=started, fingerprint="",
                 outcome="running", summary="{}")
    session.add(run)
    session.flush()
    report = _job_function(config, job, on)(session, config, on, run.id)
    run.fingerprint, run.outcome, run.summary = report.fingerprint(), "ok", report.summary()
    run.finished_at = clock()
    session.flush()
    return run.id, report, previous


def run_one(engine: Engine, config: Config, job: str, on: date, clock: Clock) -> RunOutcome:
    """Run `job` for `on` in one transaction; a failure keeps nothing of it but the record that it failed."""
    _job_function(config, job, on)
    started, tick = clock(), time.monotonic()
    try:
        with Session(engine) as session:
            run_id, report, previous = _execute(session, config, job, on, clock)
            session.commit()
    except Exception as exc:
        _record_failure(engine, job, on, started, clock, exc)
        log.error("%s", _log_line(job, on, "failed", time.monotonic() - tick, {"error": f"{type(exc).__name__}: {exc}"}))
        raise JobFailed(f"{job} {on}: {exc}") from exc
    log.info("%s", _log_line(job, on, "ok", time.monotonic() - tick, {
        "run": run_id, "changed": "yes" if previous != report.fingerprint() else "no", **report.counts,
        **{name: f"{amount:.2f}" for name, amount in report.amounts.items()}, "flags": len(report.flags)}))
    log_flags(job, on, report.flags)
    return RunOutcome(job, on, report, fingerprint_changed=previous != report.fingerprint())


def log_flags(job: str, on: date, flags: list) -> None:
    """One WARNING line per flag; beyond FLAGS_LOGGED_EACH (a national reconciliation raises ~10^5), one line per
    rule with its count instead. Every flag is kept in job_run.summary and listed by `status` either way."""
    if len(flags) <= FLAGS_LOGGED_EACH:
        for flag in flags:
            log.warning("job=%s date=%s flag %s", job, on, flag)
        return
    by_rule = Counter(flag.rule for flag in flags)
    for rule, count in sorted(by_rule.items()):
        first = next(flag for flag in flags if flag.rule == rule)
        log.warning("job=%s date=%s flags [%s] count=%d, e.g. %s (all in job_run.summary and `status`)",
                    job, on, rule, count, first)


def _record_failure(engine, job, on, started, clock, exc) -> None:
    with Session(engine) as session:
        session.add(JobRun(job=job, job_date=on, started_at=started, finished_at=clock(), fingerprint="",
                           outcome="failed", summary=json.dumps({"error": f"{type(exc).__name__}: {exc}"})))
        session.commit()


def data_days(engine: Engine, config: Config) -> DataDays:
    """From the stored data: the first day each scheme needs a job (none for a scheme without data), and the days
    the reports of each on-receipt job arrived."""
    with Session(engine) as session:
        first = {scheme.name: day for scheme in config.schemes
                 if (day := scheme.first_day(session, config)) is not None}
        receipts = {spec.name: frozenset(spec.schedule.days(session)) for scheme, spec in config.jobs()
                    if isinstance(spec.schedule, OnReceipt) and scheme.name in first}
    return DataDays(first, receipts)


def stale_runs(session: Session, config: Config) -> list[StaleRun]:
    """Every scheme's runs that a report loaded (or a run made) since would change, and the runs that pay again a
    payment the bank rejected or returned since."""
    return sorted([run for scheme in config.schemes for run in scheme.stale_runs(session, config)]
                  + reopened_stale_runs(session))


def nightly(engine: Engine, config: Config, as_of: date, clock: Clock, dry_run: bool = False) -> list[RunOutcome]:
    """Run, in calendar order, every job due up to `as_of` that has no successful run yet (catch-up), and every run
    of the last 12 months that a report loaded since would change (each scheme's `stale_runs`). A dry run computes
    the same, reports it, and keeps nothing (`preview`)."""
    if as_of > clock().date():
        raise UsageError(f"--as-of {as_of} is in the future (today is {clock().date()}); nothing runs ahead of its day")
    with run_lock(engine):
        days = data_days(engine, config)
        if days.start is None:
            return []
        with Session(engine) as session:
            done = {(job, day) for job, day in session.exec(select(JobRun.job, JobRun.job_date).where(JobRun.outcome == "ok"))}
            due = [j for j in jobs_between(days.start, as_of, config, days) if (j.job, j.date) not in done]
            first = sorted(set(due) | _stale(session, config, as_of, clock))
        if dry_run:
            return preview(engine, config, first, clock, then=lambda session: _stale(session, config, as_of, clock))
        outcomes = _run_in_order(engine, config, first, clock)
        if not outcomes:
            return outcomes
        # what just ran can make a later run stale (a settlement term after last year's terms): one more pass
        with Session(engine) as session:
            again = sorted(_stale(session, config, as_of, clock))
        return outcomes + _run_in_order(engine, config, again, clock)


def _stale(session: Session, config: Config, as_of: date, clock: Clock) -> set[DueJob]:
    """Runs of the last 12 months (up to `as_of`) that reports or runs since would change (stale_runs)."""
    oldest = clock().date() - relativedelta(months=config.rerun_window_months)
    return {DueJob.of(s.job, s.date, config) for s in stale_runs(session, config) if oldest <= s.date <= as_of}


def preview(engine: Engine, config: Config, due: list[DueJob], clock: Clock,
            then: Callable[[Session], set[DueJob]] = lambda session: set()) -> list[RunOutcome]:
    """Run `due` in calendar order in one transaction that is rolled back: every job sees what the ones before it
    would have booked, and nothing is kept (no job_run either). `then` names what to run after them in the same
    transaction (nightly's second pass). The first failure stops the preview, which says so. The caller holds the
    run lock. On PostgreSQL the id sequences advance, as after any rolled-back transaction; no row changes."""
    with Session(engine) as session:
        try:
            outcomes = [_preview_one(session, config, j, clock) for j in due]
            if outcomes:
                outcomes += [_preview_one(session, config, j, clock) for j in sorted(then(session))]
        finally:
            session.rollback()
    return outcomes


def _preview_one(session: Session, config: Config, j: DueJob, clock: Clock) -> RunOutcome:
    try:
        run_id, report, previous = _execute(session, config, j.job, j.date, clock)
    except Exception as exc:
        raise JobFailed(f"dry run stopped at {j.job} {j.date}: {exc}; nothing was written") from exc
    return RunOutcome(j.job, j.date, report, previous != report.fingerprint(), money_by_recipient(session, run_id))


def money_by_recipient(session: Session, run_id: int) -> dict[str, tuple[Decimal, Decimal]]:
    """What a run booked to pay and to claim back, per recipient."""
    journals = select(Journal.id).where(Journal.job_run_id == run_id)
    money: dict[str, list[Decimal]] = {}
    for index, table in enumerate((Payment, Claim)):
        for recipient, amount in session.exec(select(table.recipient_cvr, func.sum(table.amount))
                                              .where(table.journal_id.in_(journals)).group_by(table.recipient_cvr)):
            money.setdefault(recipient, [ZERO, ZERO])[index] = amount
    return {recipient: (paid, claimed) for recipient, (paid, claimed) in sorted(money.items())}


def check_rerun_window(on: date, today: date, config: Config, allow_old: bool) -> None:
    """SPEC 1: operators re-run jobs of the last 12 months; older dates need an explicit --allow-old."""
    oldest = today - relativedelta(months=config.rerun_window_months)
    if on < oldest and not allow_old:
        raise UsageError(f"{on} is more than {config.rerun_window_months} months ago (before {oldest}); "
                         "pass --allow-old to re-run it anyway")
    if on > today:
        raise UsageError(f"{on} is in the future (today is {today})")


def run_job(engine: Engine, config: Config, job: str, on: date, clock: Clock, allow_old: bool = False,
            dry_run: bool = False) -> list[RunOutcome]:
    check_rerun_window(on, clock().date(), config, allow_old)
    with run_lock(engine):
        if dry_run:
            _job_function(config, job, on)
            return preview(engine, config, [DueJob.of(job, on, config)], clock)
        return [run_one(engine, config, job, on, clock)]


def backfill(engine: Engine, config: Config, start: date, end: date, clock: Clock, allow_old: bool = False,
             dry_run: bool = False) -> list[RunOutcome]:
    """Replay every job due in [start, end] in calendar order; unchanged inputs book nothing."""
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    check_rerun_window(start, clock().date(), config, allow_old)
    check_rerun_window(end, clock().date(), config, allow_old)
    with run_lock(engine):
        due: list[DueJob] = jobs_between(start, end, config, data_days(engine, config))
        return (preview if dry_run else _run_in_order)(engine, config, due, clock)


def _run_in_order(engine: Engine, config: Config, due: list[DueJob], clock: Clock) -> list[RunOutcome]:
    """Run `due` one job at a time, each in its own transaction. A failure holds back only what depends on it (its
    own later dates, and the jobs that read its output: calendar.held_by); every other job goes on. Raises
    RunIncomplete at the end when anything failed."""
    outcomes: list[RunOutcome] = []
    failures: list[JobFailed] = []
    failed: dict[str, date] = {}
    held: list[tuple[DueJob, tuple[str, date]]] = []
    with _progress_bar(len(due)) as show:
        for number, j in enumerate(due):
            show(number, f"{j.job} {j.date}")
            blocker = held_by(j, failed, config)
            if blocker is not None:
                held.append((j, blocker))
                failed.setdefault(j.job, j.date)
                continue
            try:
                outcomes.append(run_one(engine, config, j.job, j.date, clock))
            except JobFailed as exc:
                failures.append(exc)
                failed.setdefault(j.job, j.date)
    if failures:
        for j, (job, day) in held:
            log.warning("job=%s date=%s outcome=held reason=%s", j.job, j.date, f"{job} {day} failed")
        raise RunIncomplete(outcomes, failures, held)
    return outcomes


def _log_line(job: str, on: date, outcome: str, seconds: float, fields: dict) -> str:
    """One logfmt line per job run, counts and amounts included, e.g.
    `job=aconto date=2019-06-28 outcome=ok seconds=0.021 run=7 changed=yes departments=1 ... paid=4879.17 flags=0`.
    """
    pairs = {"job": job, "date": on, "outcome": outcome, "seconds": f"{seconds:.3f}"}
    pairs.update({name.replace(" ", "_"): value for name, value in fields.items() if name not in pairs})
    return " ".join(f"{name}={_logfmt_value(value)}" for name, value in pairs.items())


def _logfmt_value(value) -> str:
    text = str(value)
    needs_quotes = not text or any(c in text for c in ' ="\\\n')
    return json.dumps(text, ensure_ascii=False) if needs_quotes else text


@contextmanager
def _progress_bar(total: int, stream=None):
    """A one-line progress bar on stderr when it is a terminal (never in cron, systemd or a pipe).

    Log lines of the job in progress first clear the bar, so the two never share a line.
    """
    stream = stream or sys.stderr
    if total < 2 or not stream.isatty():
        yield lambda done, label: None
        return

    def clear(_record=None) -> bool:
        stream.write("\r\x1b[K")
        stream.flush()
        return True

    def show(done: int, label: str) -> None:
        filled = 30 * done // total
        stream.write(f"\r\x1b[K[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {label}")
        stream.flush()

    # every handler writing to the terminal clears the bar before a line (any logger's); else our logger does
    clearing = [h for h in logging.getLogger().handlers if getattr(h, "stream", None) is stream] or [log]
    for owner in clearing:
        owner.addFilter(clear)
    try:
        yield show
    finally:
        for owner in clearing:
            owner.removeFilter(clear)
        clear()
