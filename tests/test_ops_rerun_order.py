"""Re-runs in any order (issue 5): every job books only the difference between its target and what is booked,
and a target depends on stored inputs and the job's date alone, never on what ran before or when.

- After a clean pass, re-running every job of two years in a random order, with random repetitions, books
  nothing: the ledger is identical, journal for journal.
- From an empty ledger, every job in a random order, then the operator's remedy for jobs run out of order (a
  backfill, which re-runs them in calendar order), ends with a clean pass's totals, line for line, to the øre:
  the expense per component and the money paid less claimed back. Journals are cut differently, and money paid
  too early is claimed back rather than unpaid (docs/operations.md, "Re-runs and order").
"""
import random
from datetime import date

from disbursement.engine.calendar import DueJob, jobs_between
from disbursement.clock import now
from disbursement.engine.registry import load_config
from disbursement.engine import runner
from disbursement.store.database import open_engine

from tests.helpers import cli
from tests.ops_helpers import (  # noqa: F401  (make_db is a fixture)
    DEMO_CONFIG, DEMO_FROM, DEMO_TO, assert_ledger_sound, ledger_dump, line_totals, make_db,
)

CONFIG = load_config(DEMO_CONFIG)


def _due(engine, start: date, end: date) -> list[DueJob]:
    return jobs_between(start, end, CONFIG, runner.data_days(engine, CONFIG))


def _run_all(db_url: str, jobs: list[DueJob]) -> None:
    """Each job through `run_job`, the function behind `disbursement run JOB --date D --allow-old`."""
    engine = open_engine(db_url)
    try:
        for job in jobs:
            runner.run_job(engine, CONFIG, job.job, job.date, now, allow_old=True)
    finally:
        engine.dispose()


def test_rerunning_every_job_of_two_years_in_random_order_and_repetition_changes_nothing(make_db):
    """2018 closed, 2019 open: a re-run finds its earlier work either way, and books nothing in a closed year."""
    db = make_db(loaded=True)
    assert cli(db, "backfill", "--from", DEMO_FROM, "--to", DEMO_TO, "--allow-old", config=DEMO_CONFIG) == 0
    for year in ("2017", "2018"):
        assert cli(db, "close-year", year, config=DEMO_CONFIG) == 0
    clean = ledger_dump(db)
    engine = open_engine(db)
    years = _due(engine, date(2018, 1, 1), date(2019, 12, 31))
    engine.dispose()
    assert {j.job for j in years} >= {"estimates", "reconciliation", "aconto"}
    rnd = random.Random("2018-2019")
    order = years + [rnd.choice(years) for _ in range(len(years) // 2)]
    rnd.shuffle(order)
    _run_all(db, order)
    assert ledger_dump(db) == clean
    assert_ledger_sound(db)


def test_every_job_in_random_order_from_an_empty_ledger_then_a_backfill_ends_with_a_clean_pass_totals(make_db):
    clean_db = make_db(loaded=True)
    assert cli(clean_db, "backfill", "--from", DEMO_FROM, "--to", DEMO_TO, "--allow-old", config=DEMO_CONFIG) == 0
    db = make_db(loaded=True)
    engine = open_engine(db)
    every = _due(engine, date.fromisoformat(DEMO_FROM), date.fromisoformat(DEMO_TO))
    engine.dispose()
    rnd = random.Random("from empty")
    order = every + [rnd.choice(every) for _ in range(len(every) // 3)]
    rnd.shuffle(order)
    _run_all(db, order)
    assert_ledger_sound(db)
    # A settlement term deducts what last year's terms *paid*: run before them, it deducted nothing, so the
    # random order alone may well pay too much; the backfill claims back exactly that.
    assert cli(db, "backfill", "--from", DEMO_FROM, "--to", DEMO_TO, "--allow-old", config=DEMO_CONFIG) == 0
    assert line_totals(db) == line_totals(clean_db)
    assert_ledger_sound(db)
