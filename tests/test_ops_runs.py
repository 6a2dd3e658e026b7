"""Operations (issue 5), in-process: run records, idempotency keys, nightly catch-up and failure, the run lock,
the re-run window, the log line and the progress bar. On SQLite and PostgreSQL."""
import io
import json
from dataclasses import replace
import os
import shlex
import subprocess
import sys
from datetime import date

import pytest
from freezegun import freeze_time
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from disbursement.engine.calendar import jobs_between
from disbursement.engine.registry import load_config
from disbursement.engine import registry, runner
from disbursement.engine.result import Flag
from disbursement.engine.runner import FLAGS_LOGGED_EACH, log_flags
from disbursement.store.database import open_engine
from disbursement.store.lock import run_lock

from tests.conftest import ROOT
from tests.helpers import W1_CONFIG, cli, payments, rows, table_counts
from tests.ops_helpers import make_db  # noqa: F401  (a fixture)
from tests.test_corrections import corrected_actuals
from tests.test_w1_cli import W1

TODAY = "2019-07-01"
W1_PAYMENT_DATES = ["2018-03-28", "2018-06-29", "2018-09-28", "2018-12-28", "2019-03-29", "2019-06-28"]


def _due(db_url: str, as_of: date) -> list[tuple[str, str]]:
    """(job, date) of every job nightly should run up to `as_of`, in calendar order."""
    engine = open_engine(db_url)
    try:
        config = load_config(W1_CONFIG)
        days = runner.data_days(engine, config)
        due = jobs_between(days.start, as_of, config, days)
    finally:
        engine.dispose()
    return [(j.job, str(j.date)) for j in due]


def _runs(db_url: str) -> list[tuple]:
    return rows(db_url, "SELECT job, job_date, outcome, fingerprint, summary, started_at, finished_at FROM job_run "
                        "ORDER BY id")


def _rent_payment_dates(db_url: str) -> list[str]:
    return [day for key, day, _ in payments(db_url) if key.startswith("rent/")]


def test_every_run_is_recorded_with_fingerprint_counts_amounts_and_duration(db_url, tmp_path):
    with freeze_time(TODAY, tick=True):
        assert cli(db_url, "load", *W1) == 0
        assert cli(db_url, "nightly") == 0
        runs = _runs(db_url)
        assert [(job, str(day)) for job, day, *_ in runs] == _due(db_url, date(2019, 7, 1))
        for job, day, outcome, fingerprint, summary, started, finished in runs:
            assert outcome == "ok" and len(fingerprint) == 16
            record = json.loads(summary)
            assert set(record) >= {"counts", "amounts"}
            assert str(finished) >= str(started)  # the duration: finished_at - started_at
        aconto = [json.loads(r[4]) for r in runs if r[0] == "aconto" and str(r[1]) == "2019-06-28"][0]
        assert aconto["amounts"]["paid"] == "4879.17"

        # the same job and date again, unchanged inputs: recorded, same fingerprint, nothing booked
        before = table_counts(db_url)
        assert cli(db_url, "run", "reconciliation", "--date", "2019-02-15") == 0
        after = table_counts(db_url)
        assert after["job_run"] == before["job_run"] + 1
        assert {k: v for k, v in after.items() if k != "job_run"} == {k: v for k, v in before.items() if k != "job_run"}
        reconciliations = [r for r in _runs(db_url) if r[0] == "reconciliation" and str(r[1]) == "2019-02-15"]
        assert reconciliations[-1][3] == reconciliations[-2][3]

    with freeze_time("2019-09-01", tick=True):
        # changed inputs: another fingerprint, and correcting entries for the difference only
        assert cli(db_url, "load", corrected_actuals(tmp_path, 44, "2019-08-15")) == 0
        assert cli(db_url, "run", "reconciliation", "--date", "2019-02-15") == 0
        reconciliations = [r for r in _runs(db_url) if r[0] == "reconciliation" and str(r[1]) == "2019-02-15"]
        assert reconciliations[-1][3] != reconciliations[-2][3]
        assert table_counts(db_url)["payment"] == after["payment"] + 1


@freeze_time(TODAY)
def test_the_database_refuses_a_second_payment_with_the_same_key(db_url):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "nightly") == 0
    before = payments(db_url)
    columns = "key, line, journal_id, support, recipient_cvr, grant_id, department_id, value_date, amount"
    engine = create_engine(db_url)
    try:
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(f"INSERT INTO payment ({columns}) SELECT {columns} FROM payment "
                                    "WHERE key = 'rent/2019-06-28/G1/12#1'"))
    finally:
        engine.dispose()
    assert payments(db_url) == before


@freeze_time(TODAY)
def test_nightly_catches_up_after_downtime_in_calendar_order(db_url):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "nightly", "--as-of", "2018-07-01") == 0  # then the machine was off for a year
    assert _rent_payment_dates(db_url) == W1_PAYMENT_DATES[:2]
    assert cli(db_url, "nightly") == 0
    assert _rent_payment_dates(db_url) == W1_PAYMENT_DATES
    due = _due(db_url, date(2019, 7, 1))
    assert [(job, str(day)) for job, day, *_ in _runs(db_url)] == due
    assert cli(db_url, "nightly") == 0  # nothing left
    assert len(_runs(db_url)) == len(due)


@freeze_time(TODAY)
def test_a_failing_job_holds_back_what_reads_it_keeps_other_work_exits_1_and_is_retried(db_url, monkeypatch,
                                                                                         capsys):
    assert cli(db_url, "load", *W1) == 0
    inclusion = registry.SCHEMES[0]
    real_aconto = next(job.run for job in inclusion.jobs if job.name == "aconto")

    def aconto_failing_in_q3(session, config, on, job_run_id):
        report = real_aconto(session, config, on, job_run_id)  # books, then fails: the booking must not stay
        if on == date(2018, 9, 28):
            raise RuntimeError("bank file share not mounted")
        return report

    jobs = tuple(replace(job, run=aconto_failing_in_q3) if job.name == "aconto" else job for job in inclusion.jobs)
    monkeypatch.setattr(registry, "SCHEMES", (replace(inclusion, jobs=jobs), *registry.SCHEMES[1:]))
    assert cli(db_url, "nightly") == 1
    err = capsys.readouterr().err
    assert "error: job failed: aconto 2018-09-28: bank file share not mounted" in err
    # the later terms and the reconciliation (which reads the terms) wait; nothing else does
    assert ("error: 4 job(s) held back until the failed ones run: aconto 2018-12-28, reconciliation 2019-02-15, "
            "aconto 2019-03-29, ... (`status` lists them)") in err
    assert _rent_payment_dates(db_url) == W1_PAYMENT_DATES[:2]  # earlier jobs' work kept, the failed job's not
    assert rows(db_url, "SELECT DISTINCT job FROM journal WHERE job_date >= '2018-09-28'") == [("social_support",)]
    assert payments(db_url, "social_support")[-1][:2] == ("social/2019-06-28/G1#1", "2019-06-28")
    runs = _runs(db_url)
    failed = [r for r in runs if r[2] == "failed"]
    assert [(r[0], str(r[1])) for r in failed] == [("aconto", "2018-09-28")]
    assert json.loads(failed[0][4]) == {"error": "RuntimeError: bank file share not mounted"}
    assert not [r for r in runs if r[0] in ("aconto", "reconciliation") and str(r[1]) > "2018-09-28"]
    assert cli(db_url, "status", "--as-of", TODAY) == 0
    out = capsys.readouterr().out
    assert "aconto 2018-09-28" in out.split("jobs failed and not yet rerun")[1]
    assert "  reconciliation 2019-02-15: until aconto 2018-09-28 runs\n" in out

    monkeypatch.undo()  # the operator fixed the cause; the next nightly retries the failed job and goes on
    assert cli(db_url, "nightly") == 0
    assert _rent_payment_dates(db_url) == W1_PAYMENT_DATES
    assert [r[2] for r in _runs(db_url) if r[0] == "aconto" and str(r[1]) == "2018-09-28"] == ["failed", "ok"]
    assert cli(db_url, "status", "--as-of", TODAY) == 0
    assert "jobs failed and not yet rerun" not in capsys.readouterr().out


@freeze_time(TODAY)
@pytest.mark.parametrize("command", [
    ("nightly",), ("run", "aconto", "--date", "2019-06-28"), ("backfill", "--from", "2019-01-01", "--to", TODAY)])
def test_a_run_while_another_holds_the_lock_exits_3_and_writes_nothing(db_url, command, capsys):
    assert cli(db_url, "load", *W1) == 0
    before = table_counts(db_url)
    engine = create_engine(db_url)
    with run_lock(engine):
        assert cli(db_url, *command) == 3
    engine.dispose()
    err = capsys.readouterr().err
    assert err.startswith("error: another disbursement run holds") and "try again when it ends" in err
    # the holder is named: the process beside an SQLite file, the server process on PostgreSQL
    assert f"(process {os.getpid()})" in err if db_url.startswith("sqlite") else "PostgreSQL backend pid" in err
    assert table_counts(db_url) == before  # not even a job_run record
    assert cli(db_url, *command) == 0  # the lock is gone with its holder


@freeze_time(TODAY)
def test_the_lock_of_one_database_does_not_block_another(db_url, make_db):
    """One lock per database (per schema on PostgreSQL: the tests, or two deployments, share a server)."""
    other = make_db()
    assert cli(other, "load", *W1) == 0
    engine = create_engine(db_url)
    cli(db_url, "status")  # create the schema
    with run_lock(engine):
        assert cli(other, "nightly") == 0
    engine.dispose()
    assert _rent_payment_dates(other) == W1_PAYMENT_DATES


@freeze_time(TODAY)
def test_reruns_are_refused_outside_the_window_unless_allowed(db_url, capsys):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "backfill", "--from", "2018-01-01", "--to", TODAY) == 2
    err = capsys.readouterr().err
    assert "2018-01-01 is more than 12 months ago (before 2018-07-01); pass --allow-old" in err
    assert table_counts(db_url)["job_run"] == 0
    assert cli(db_url, "backfill", "--from", "2019-01-01", "--to", "2019-07-02") == 2
    assert "2019-07-02 is in the future" in capsys.readouterr().err
    assert cli(db_url, "backfill", "--from", "2019-06-01", "--to", "2019-01-01") == 2
    assert "before --from" in capsys.readouterr().err
    assert cli(db_url, "nightly", "--as-of", "2019-07-02") == 2
    assert "nothing runs ahead of its day" in capsys.readouterr().err
    assert table_counts(db_url)["job_run"] == 0
    assert cli(db_url, "backfill", "--from", "2018-01-01", "--to", TODAY, "--allow-old") == 0
    assert _rent_payment_dates(db_url) == W1_PAYMENT_DATES
    assert cli(db_url, "backfill", "--from", "2018-07-01", "--to", TODAY) == 0  # inside the window: no flag


def _logfmt(line: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in shlex.split(line))


@freeze_time(TODAY)
def test_one_structured_log_line_per_job_run_with_counts_and_amounts(db_url, caplog, capsys):
    assert cli(db_url, "load", *W1) == 0
    caplog.set_level("INFO", logger="disbursement")
    assert cli(db_url, "nightly") == 0
    lines = [r.getMessage() for r in caplog.records if r.name == "disbursement" and "outcome=" in r.getMessage()]
    runs = _runs(db_url)
    assert len(lines) == len(runs)
    for line, (job, day, outcome, _, summary, *_) in zip(lines, runs):
        fields = _logfmt(line)
        assert (fields["job"], fields["date"], fields["outcome"]) == (job, str(day), outcome)
        assert float(fields["seconds"]) >= 0 and fields["changed"] == "yes"
        record = json.loads(summary)
        assert {k: fields[k] for k in record["counts"]} == {k: str(v) for k, v in record["counts"].items()}
        assert {k: fields[k] for k in record["amounts"]} == record["amounts"]
    q2 = _logfmt([line for line in lines if "job=aconto date=2019-06-28" in line][0])
    assert (q2["paid"], q2["claimed"], q2["departments"]) == ("4879.17", "0.00", "1")
    assert "\r" not in capsys.readouterr().err  # stderr is no terminal here: no progress bar


def test_log_values_with_spaces_or_quotes_are_quoted():
    line = runner._log_line("aconto", date(2019, 6, 28), "failed", 0.5, {"error": 'KeyError: "2020" missing'})
    assert line == 'job=aconto date=2019-06-28 outcome=failed seconds=0.500 error="KeyError: \\"2020\\" missing"'
    assert _logfmt(line)["error"] == 'KeyError: "2020" missing'


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_on_a_terminal_only():
    terminal, pipe = _Terminal(), io.StringIO()
    with runner._progress_bar(4, stream=terminal) as show:
        show(0, "aconto 2019-03-29")
        runner.log.warning("a log line clears the bar first")
        show(3, "aconto 2019-06-28")
    drawn = terminal.getvalue()
    assert "[" + "." * 30 + "] 0/4 aconto 2019-03-29" in drawn
    assert "[" + "#" * 22 + "." * 8 + "] 3/4 aconto 2019-06-28" in drawn
    assert drawn.count("\r\x1b[K") == 4 and drawn.endswith("\r\x1b[K")  # drawn twice, cleared twice
    with runner._progress_bar(4, stream=pipe) as show:
        show(1, "aconto 2019-03-29")
    assert pipe.getvalue() == ""


def test_ci_makes_an_unreachable_postgresql_a_failure_not_a_skip():
    """tests/conftest.py: locally a missing server skips the PostgreSQL half with its reason; with CI=true it fails."""
    node = "tests/test_ops_runs.py::test_the_database_refuses_a_second_payment_with_the_same_key[postgresql]"
    env = {**os.environ, "DISBURSEMENT_TEST_PG": "postgresql+psycopg://postgres@127.0.0.1:9/test"}
    env.pop("CI", None)
    local = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", node],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert local.returncode == 0 and "1 skipped" in local.stdout and "no PostgreSQL server at" in local.stdout
    ci = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", node],
                        cwd=ROOT, env={**env, "CI": "true"}, capture_output=True, text=True, timeout=120)
    assert ci.returncode == 1 and "PostgreSQL must be reachable in CI" in ci.stdout


def test_flags_are_logged_one_by_one_up_to_the_limit_then_counted_per_rule(caplog):
    caplog.set_level("WARNING", logger="disbursement")
    few = [Flag("V 2.7 vacancy over 3 months", "G1", "5 vacant month(s)", "12", "A")]
    log_flags("reconciliation", date(2020, 2, 15), few)
    assert [r.getMessage() for r in caplog.records] == [
        "job=reconciliation date=2020-02-15 flag [V 2.7 vacancy over 3 months] G1/12/A: 5 vacant month(s)"]
    caplog.clear()
    many = [Flag("V 2.7 vacancy over 3 months", f"G{i}", "4 vacant month(s)") for i in range(FLAGS_LOGGED_EACH)]
    many += [Flag("V 2.5.2 non-eligible tenant", "G7", "2 month(s)", "12", "B")]
    log_flags("reconciliation", date(2020, 2, 15), many)
    assert [r.getMessage() for r in caplog.records] == [
        "job=reconciliation date=2020-02-15 flags [V 2.5.2 non-eligible tenant] count=1, e.g. "
        "[V 2.5.2 non-eligible tenant] G7/12/B: 2 month(s) (all in job_run.summary and `status`)",
        f"job=reconciliation date=2020-02-15 flags [V 2.7 vacancy over 3 months] count={FLAGS_LOGGED_EACH}, e.g. "
        "[V 2.7 vacancy over 3 months] G0: 4 vacant month(s) (all in job_run.summary and `status`)"]
