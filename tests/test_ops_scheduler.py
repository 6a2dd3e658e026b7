"""The scheduler process (issue 5): APScheduler 3.x with a persistent job store runs the code path of `nightly`."""
import logging
import signal
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time
from sqlalchemy import create_engine

from disbursement import scheduler
from disbursement.scheduler import (
    NIGHTLY_JOB_ID, RETRY_JOB_ID, SchedulerSettings, build_scheduler, ensure_nightly_job, nightly_tick, run_scheduler,
)
from disbursement.store.database import open_engine
from disbursement.store.lock import run_lock

from tests.helpers import W1_CONFIG, cli, payments, rows, table_counts
from tests.ops_helpers import popen
from tests.test_w1_cli import W1


@pytest.fixture
def engine(db_url):
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def process_state(monkeypatch):
    """What `run_scheduler` sets for the stored job to find, set by the test instead."""
    def set_state(settings, running=None):
        monkeypatch.setattr(scheduler, "_settings", settings)
        monkeypatch.setattr(scheduler, "_scheduler", running)
    return set_state


def test_the_tick_runs_what_nightly_runs(db_url, engine, process_state):
    with freeze_time("2019-06-30 12:00:00"):  # loaded before the runs, as in life (a later load makes runs stale)
        assert cli(db_url, "load", *W1) == 0
    process_state(SchedulerSettings(engine, W1_CONFIG))
    with freeze_time("2019-07-01 02:00:00"):
        ran = nightly_tick()
    assert ran == table_counts(db_url)["job_run"] > 0
    assert [day for key, day, _ in payments(db_url) if key.startswith("rent/")] == [
        "2018-03-28", "2018-06-29", "2018-09-28", "2018-12-28", "2019-03-29", "2019-06-28"]
    with freeze_time("2019-07-02 02:00:00"):
        assert nightly_tick() == 0  # nothing new is due
    # exactly what the command would have done: `nightly` now finds nothing either
    with freeze_time("2019-07-02 08:00:00"):
        assert cli(db_url, "nightly") == 0
    assert table_counts(db_url)["job_run"] == ran


def test_a_tick_kept_out_by_the_lock_is_retried_later_and_writes_nothing(db_url, engine, process_state):
    assert cli(db_url, "load", *W1) == 0
    settings = SchedulerSettings(engine, W1_CONFIG, retry_after=timedelta(minutes=15))
    running = build_scheduler(settings)
    running.start(paused=True)
    process_state(settings, running)
    try:
        with run_lock(create_engine(db_url)), freeze_time("2019-07-01 02:00:00"):
            assert nightly_tick() == -1
        assert table_counts(db_url)["job_run"] == 0
        retry = running.get_job(RETRY_JOB_ID)
        assert retry is not None and retry.next_run_time == datetime(2019, 7, 1, 2, 15, tzinfo=timezone.utc)
    finally:
        running.shutdown(wait=False)


def test_the_daily_job_is_stored_in_the_database_with_coalescing_and_a_misfire_grace(db_url, engine):
    settings = SchedulerSettings(engine, W1_CONFIG, timezone="Europe/Copenhagen")
    first = build_scheduler(settings)
    first.start(paused=True)
    job = ensure_nightly_job(first, settings)
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 12 * 3600)
    assert repr(job.trigger) == "<CronTrigger (hour='2', minute='0', timezone='Europe/Copenhagen')>"
    assert job.args == () and job.kwargs == {}  # nothing stored but the schedule: no URL, no password
    missed = datetime.now(job.next_run_time.tzinfo).replace(microsecond=0) - timedelta(hours=3)
    first.modify_job(NIGHTLY_JOB_ID, next_run_time=missed)  # as if the process had been down since then
    first.shutdown()
    assert rows(db_url, "SELECT id FROM apscheduler_jobs") == [(NIGHTLY_JOB_ID,)]

    again = build_scheduler(settings)
    again.start(paused=True)
    try:
        job = ensure_nightly_job(again, settings)
        assert job.next_run_time == missed  # kept: on resuming, the missed run is made within the grace
        later = SchedulerSettings(engine, W1_CONFIG, at=datetime.strptime("03:30", "%H:%M").time(),
                                  timezone="Europe/Copenhagen", misfire_grace=timedelta(hours=1))
        job = ensure_nightly_job(again, later)  # a new schedule is a new plan
        assert (job.next_run_time.hour, job.next_run_time.minute, job.misfire_grace_time) == (3, 30, 3600)
        assert job.next_run_time > datetime.now(timezone.utc)
    finally:
        again.shutdown()


def _stored_run_missed_by(engine, hours: float) -> SchedulerSettings:
    """Store the daily job as if the process had been down since its last run time, `hours` ago: the schedule is
    set to that time of day, so no later run time has passed since."""
    probe = build_scheduler(SchedulerSettings(engine))
    missed = (datetime.now(probe.timezone) - timedelta(hours=hours)).replace(second=0, microsecond=0)
    settings = SchedulerSettings(engine, at=missed.time())
    stored = build_scheduler(settings)
    stored.start(paused=True)
    ensure_nightly_job(stored, settings)
    stored.modify_job(NIGHTLY_JOB_ID, next_run_time=missed)
    stored.shutdown()
    return settings


def test_a_run_missed_beyond_the_grace_is_skipped_not_made(engine, caplog):
    settings = _stored_run_missed_by(engine, hours=13)  # the grace is 12 hours
    caplog.set_level(logging.INFO)
    stop = threading.Event()
    thread = threading.Thread(target=run_scheduler, args=(settings, stop))
    thread.start()
    deadline = time.monotonic() + 20
    while "was missed by" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(20)
    assert not thread.is_alive()
    assert "was missed by 13:0" in caplog.text
    assert "scheduler: nightly:" not in caplog.text and "scheduler: stopped" in caplog.text


def test_sigterm_stops_the_scheduler_cleanly_after_it_made_a_missed_run(db_url, engine):
    """A real `disbursement scheduler`: the run missed an hour ago (within the 12 hours' grace) is made at start,
    and SIGTERM ends the process with exit code 0."""
    at = _stored_run_missed_by(engine, hours=1).at.strftime("%H:%M")
    proc = popen(db_url, "scheduler", "--at", at, stdout=subprocess.DEVNULL)
    watchdog = threading.Timer(60, proc.kill)
    watchdog.start()
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if "scheduler: nightly: 0 job(s) run" in line:  # an empty database: nothing due, but it ran
            break
    proc.send_signal(signal.SIGTERM)
    lines += proc.communicate(timeout=30)[1].splitlines(keepends=True)
    watchdog.cancel()
    log = "".join(lines)
    assert proc.returncode == 0, log
    assert f"scheduler: started; nightly at {at}" in log and "misfire grace 43200 s" in log
    assert log.index("scheduler: nightly: 0 job(s) run") < log.index("scheduler: SIGTERM received, stopping")
    assert log.rstrip().endswith("scheduler: stopped")
