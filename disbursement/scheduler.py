"""The long-running alternative to cron: an APScheduler 3.x process that runs `nightly` once a day (SPEC 5).

It triggers the very code path of `disbursement nightly` (load the config, `runner.nightly` as of today under the
run lock), so whatever cron would do, this does; it only decides *when*. The schedule lives in the database (a
persistent SQLAlchemy job store, table `apscheduler_jobs`), so a run missed while the process was down is known
when it comes back:

- `misfire_grace_time` (default 12 hours, `--misfire-grace-time`): a missed run is still made when the process
  is back within that long of its time; later, it is skipped (logged) and the next run makes up for it. Either
  way nothing is lost: `nightly` runs every due job that has no successful run yet.
- `coalesce`: several missed runs (a process down for days) are made as one.
- `max_instances=1`: a run still going when the next is due is not started twice; the run lock keeps cron, an
  operator and this process apart (a run that finds the lock taken is retried after `--retry-after`).

SIGTERM or SIGINT stops it cleanly: no new run starts, a run in progress is allowed to finish, the process exits 0.
The stored job holds no arguments (no database URL, which may carry a password): the process state does.
"""
import logging
import signal
import threading
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import Engine

from . import clock
from .engine.registry import load_config
from .engine.errors import UsageError
from .engine.runner import JobFailed, nightly
from .store.lock import LockHeld

NIGHTLY_JOB_ID = "disbursement-nightly"
RETRY_JOB_ID = "disbursement-nightly-retry"
JOBSTORE_TABLE = "apscheduler_jobs"
DEFAULT_AT = time(2, 0)
DEFAULT_MISFIRE_GRACE = timedelta(hours=12)
DEFAULT_RETRY_AFTER = timedelta(minutes=15)
log = logging.getLogger("disbursement")


@dataclass(frozen=True)
class SchedulerSettings:
    engine: Engine
    config_dir: str | None = None
    at: time = DEFAULT_AT
    timezone: str | None = None  # None: the machine's local time zone
    misfire_grace: timedelta = DEFAULT_MISFIRE_GRACE
    retry_after: timedelta = DEFAULT_RETRY_AFTER


# The running process: what the stored job needs to run, kept out of the job store.
_settings: SchedulerSettings | None = None
_scheduler: BackgroundScheduler | None = None


def nightly_tick() -> int:
    """What the scheduler runs: `disbursement nightly` as of today. Returns the number of jobs run (-1: none could).

    The config is read afresh each time, so an index year added by the operators is used without a restart.
    A failed job is recorded and retried by the next night's run; a run kept out by the lock, or one that could
    not start at all (database unreachable), is retried after `retry_after`.
    """
    settings = _settings
    if settings is None:
        raise RuntimeError("nightly_tick runs inside the scheduler process (`disbursement scheduler`)")
    try:
        config = load_config(settings.config_dir)
        outcomes = nightly(settings.engine, config, clock.now().date(), clock.now)
    except JobFailed as exc:
        log.error("scheduler: nightly stopped: job failed: %s; the next run retries it", exc)
        return -1
    except LockHeld as exc:
        log.warning("scheduler: nightly not run: %s", exc)
        _schedule_retry(settings)
        return -1
    except Exception as exc:  # the process must outlive a bad night: log it and try again later
        log.exception("scheduler: nightly could not run: %s", exc)
        _schedule_retry(settings)
        return -1
    log.info("scheduler: nightly: %d job(s) run", len(outcomes))
    return len(outcomes)


def _schedule_retry(settings: SchedulerSettings) -> None:
    if _scheduler is None or not _scheduler.running:
        return
    when = clock.now() + settings.retry_after
    _scheduler.add_job(nightly_tick, "date", run_date=when, id=RETRY_JOB_ID, jobstore="memory",
                       replace_existing=True, misfire_grace_time=None, coalesce=True, max_instances=1)
    log.info("scheduler: retrying at %s", when.isoformat(timespec="seconds"))


class _Scheduler(BackgroundScheduler):
    """APScheduler 3's background thread makes one last pass over the due jobs after `shutdown`: a job due then
    fails to reach the stopped executor and its stored run time moves on, so the run is lost rather than missed.
    A stopped scheduler looks at nothing."""

    def _process_jobs(self):
        if self.state == STATE_STOPPED:
            return None
        return super()._process_jobs()


def build_scheduler(settings: SchedulerSettings) -> BackgroundScheduler:
    """The scheduler and its stores; the nightly job is (re)registered by `ensure_nightly_job` once it runs."""
    jobstores = {
        "default": SQLAlchemyJobStore(engine=settings.engine, tablename=JOBSTORE_TABLE),
        "memory": MemoryJobStore(),
    }
    job_defaults = {"coalesce": True, "max_instances": 1,
                    "misfire_grace_time": int(settings.misfire_grace.total_seconds())}
    kwargs = {}
    if settings.timezone:
        try:
            kwargs["timezone"] = ZoneInfo(settings.timezone)
        except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            raise UsageError(f"--timezone {settings.timezone!r} is not a time zone like Europe/Copenhagen") from None
    return _Scheduler(jobstores=jobstores, job_defaults=job_defaults, **kwargs)


def nightly_trigger(settings: SchedulerSettings, scheduler: BackgroundScheduler) -> CronTrigger:
    return CronTrigger(hour=settings.at.hour, minute=settings.at.minute, timezone=scheduler.timezone)


def ensure_nightly_job(scheduler: BackgroundScheduler, settings: SchedulerSettings):
    """Register the daily run, keeping a stored one (and so its missed run time) unless its schedule changed."""
    trigger = nightly_trigger(settings, scheduler)
    grace = int(settings.misfire_grace.total_seconds())
    job = scheduler.get_job(NIGHTLY_JOB_ID)
    if job is None:
        return scheduler.add_job(nightly_tick, trigger, id=NIGHTLY_JOB_ID, name="disbursement nightly",
                                 coalesce=True, max_instances=1, misfire_grace_time=grace, replace_existing=True)
    if repr(job.trigger) != repr(trigger):
        log.info("scheduler: schedule changed from %r to %r", job.trigger, trigger)
        job = scheduler.reschedule_job(NIGHTLY_JOB_ID, trigger=trigger)
    return scheduler.modify_job(NIGHTLY_JOB_ID, func=nightly_tick, args=(), kwargs={}, coalesce=True,
                                max_instances=1, misfire_grace_time=grace)


def run_scheduler(settings: SchedulerSettings, stop: threading.Event | None = None) -> int:
    """Run until SIGTERM/SIGINT (or `stop` is set); returns the exit code, 0 after a clean shutdown."""
    global _settings, _scheduler
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        def on_signal(signum, _frame):
            log.info("scheduler: %s received, stopping", signal.Signals(signum).name)
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
    _settings = settings
    scheduler = _scheduler = build_scheduler(settings)
    scheduler.start(paused=True)  # the stores are loaded; nothing runs before the job is checked
    try:
        job = ensure_nightly_job(scheduler, settings)
        scheduler.resume()  # a stored run time already past is now run (within the grace) or skipped
        log.info("scheduler: started; nightly at %s %s, next run %s, misfire grace %d s, coalescing",
                 settings.at.strftime("%H:%M"), scheduler.timezone, _next_run(scheduler, job.id),
                 int(settings.misfire_grace.total_seconds()))
        while not stop.wait(timeout=60):
            pass
    finally:
        scheduler.shutdown(wait=True)  # a run in progress ends its job first
        _settings = _scheduler = None
    log.info("scheduler: stopped")
    return 0


def _next_run(scheduler: BackgroundScheduler, job_id: str) -> str:
    job = scheduler.get_job(job_id)
    when: datetime | None = job.next_run_time if job else None
    return when.isoformat(timespec="seconds") if when else "none"
