"""SIGKILL in the payment loop (issue 14): a process killed at any moment while it makes the payment runs, releases
one, loads the bank's answers (and books the settlements they cause) or pays a rejected payment again leaves
nothing half done, and the next attempt completes it exactly once."""
import random
import time

from freezegun import freeze_time

from disbursement.exports.pain001 import end_to_end_id
from tests.helpers import cli, rows
from tests.ops_helpers import CliProcess, assert_ledger_sound, cli_retrying_lock
from tests.test_bank_answers import RENT, RUNS, SOCIAL, booked, notification, released, status_report
from tests.test_payment_runs import config_dir  # noqa: F401  (a fixture)

TRIALS = 4  # per database and step; each trial is one kill at a random moment


def _killed(db_url: str, config: str, args: tuple[str, ...], log_path, rnd: random.Random) -> None:
    process = CliProcess(db_url, *args, log_path=log_path, config=config)
    time.sleep(rnd.uniform(0, 0.4))
    process.kill()


def test_a_release_or_a_reissue_killed_at_any_moment_happens_exactly_once(db_url, tmp_path, config_dir):
    rnd = random.Random(f"kill -9 {db_url.split(':')[0]}")
    released(db_url, config_dir, tmp_path)  # the rent and social-support runs of 2018-03-28, released
    rejected = status_report(tmp_path / "reject.xml", "social_support-20180328-1",
                             [(end_to_end_id(SOCIAL), "RJCT", "102500.00", "AC04")])
    with freeze_time("2018-04-05 08:00:00"):
        assert cli(db_url, "load", rejected, config=config_dir) == 0
    reissue = ("run", "social_support", "--date", "2018-03-28", "--allow-old")  # the CLI's own clock: 2018 is old
    for trial in range(TRIALS):
        _killed(db_url, config_dir, reissue, tmp_path / f"reissue-{trial}.log", rnd)
        assert_ledger_sound(db_url)
        assert rows(db_url, "SELECT count(*) FROM payment WHERE reissue_of IS NOT NULL")[0][0] in (0, 1)
    assert cli_retrying_lock(db_url, *reissue, config=config_dir) == 0
    assert cli_retrying_lock(db_url, *reissue, config=config_dir) == 0
    assert_ledger_sound(db_url)
    assert rows(db_url, "SELECT key, amount FROM payment WHERE reissue_of IS NOT NULL") == [
        ("social/2018-03-28/G1#2", 10250000)]
    assert rows(db_url, "SELECT count(*) FROM posting WHERE component = 'returned social/2018-03-28/G1#1'") == [(1,)]

    with freeze_time("2018-04-05 09:00:00"):
        assert cli(db_url, "payment-runs", config=config_dir) == 0
        assert cli(db_url, "approve", "social_support/2018-03-28/2", "--as", "alice", config=config_dir) == 0
    outbox = tmp_path / "outbox-reissue"
    release = ("release", "social_support/2018-03-28/2", "--outbox", str(outbox), "--as", "bob")
    for trial in range(TRIALS):
        _killed(db_url, config_dir, release, tmp_path / f"release-{trial}.log", rnd)
        assert rows(db_url, "SELECT count(*) FROM payment_run_action WHERE action = 'released'")[0][0] in (2, 3)
    assert cli_retrying_lock(db_url, *release, config=config_dir) == 0
    # released once (the two runs of 2018-03-28 before, this one now), the file written whole
    assert rows(db_url, "SELECT count(*) FROM payment_run_action WHERE action = 'released'") == [(3,)]
    content = rows(db_url, "SELECT content FROM payment_run WHERE key = 'social_support/2018-03-28/2'")[0][0]
    assert (outbox / "pain001-2018-social_support-2018-03-28-2.xml").read_bytes() == bytes(content)
    assert [path.name for path in outbox.iterdir()] == ["pain001-2018-social_support-2018-03-28-2.xml"]  # no .tmp


def test_making_runs_or_loading_answers_killed_at_any_moment_happens_exactly_once(db_url, tmp_path, config_dir):
    rnd = random.Random(f"kill -9 runs and answers {db_url.split(':')[0]}")
    booked(db_url, config_dir)  # four journals with payments: 2017's two social-support terms, 2018-03-28's two
    make = ("payment-runs", "--as-of", "2018-04-03")
    for trial in range(TRIALS):
        _killed(db_url, config_dir, make, tmp_path / f"make-{trial}.log", rnd)
        assert rows(db_url, "SELECT count(*) FROM payment_run")[0][0] in (0, 4)  # all made in one commit, or none
    assert cli_retrying_lock(db_url, *make, config=config_dir) == 0
    assert cli_retrying_lock(db_url, *make, config=config_dir) == 0
    assert rows(db_url, "SELECT count(*), count(DISTINCT journal_id) FROM payment_run") == [(4, 4)]

    with freeze_time("2018-04-03 11:00:00"):
        for run in RUNS:
            assert cli(db_url, "approve", run, "--as", "alice", config=config_dir) == 0
            assert cli(db_url, "release", run, "--outbox", str(tmp_path / "outbox"), "--as", "bob",
                       config=config_dir) == 0
    answers = (notification(tmp_path / "executed.xml", end_to_end_id(RENT), "13260.00"),
               status_report(tmp_path / "reject.xml", "social_support-20180328-1",
                             [(end_to_end_id(SOCIAL), "RJCT", "102500.00", "AC04")]))
    load = ("load", *answers)
    for trial in range(TRIALS):
        _killed(db_url, config_dir, load, tmp_path / f"load-{trial}.log", rnd)
        assert_ledger_sound(db_url)
        # each file is one transaction: its answers with the settlement they cause, or nothing of it
        answered = rows(db_url, "SELECT kind FROM bank_answer ORDER BY kind")
        assert answered in ([], [("executed",)], [("executed",), ("rejected",)])
        settled = rows(db_url, f"SELECT account, amount FROM posting WHERE component = 'settled {RENT}' ORDER BY account")
        assert settled == ([("5800", -1326000), ("5850", 1326000)] if answered else [])
    assert cli_retrying_lock(db_url, *load, config=config_dir) == 0
    assert cli_retrying_lock(db_url, *load, config=config_dir) == 0  # loaded: a no-op
    assert_ledger_sound(db_url)
    assert rows(db_url, "SELECT kind FROM bank_answer ORDER BY kind") == [("executed",), ("rejected",)]
    assert rows(db_url, "SELECT count(*) FROM posting WHERE component LIKE 'settled %'") == [(2,)]
    assert rows(db_url, "SELECT count(*) FROM journal WHERE job = 'settlement'") == [(1,)]
