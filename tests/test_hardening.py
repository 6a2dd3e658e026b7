"""Hostile and careless input, unreachable databases and failing jobs (docs/operations.md, "Bad input and faults"):
one line on stderr and exit 2 (or 3 for the lock), never a traceback; a failed job holds back only what depends on
it."""
import os
import shutil
import subprocess
import sys
import threading
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from freezegun import freeze_time

from disbursement.config import SHIPPED
from disbursement.engine.registry import load_config
from disbursement.intake.load import load_file
from disbursement.store.database import open_engine
from tests.conftest import FIXTURES, ROOT
from tests.helpers import W1_CONFIG, cli, kroner, rows, table_counts
from tests.test_w1_cli import W1

REGISTER = FIXTURES / "w1" / "register.xml"
NS = 'xmlns="urn:disbursement:intake:1"'


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "Traceback" not in err[0], err
    return err[0]


# --- oversized files, many problems ---

def test_a_file_over_the_size_limit_is_refused_before_it_is_read(db_url, tmp_path, capsys):
    huge = tmp_path / "huge.xml"
    with open(huge, "wb") as handle:  # 200 MB, sparse: nothing is read, so nothing is spent
        handle.truncate(200 * 1024 * 1024)
    before = table_counts(db_url) if cli(db_url, "load", str(REGISTER)) == 0 else None
    capsys.readouterr()
    assert cli(db_url, "load", str(huge)) == 2
    assert _one_error_line(capsys) == (
        f"error: {huge}: 209,715,200 bytes is more than the limit of 32 MiB (engine.toml [intake] max_file_mib); "
        "split the file or raise the limit")
    assert table_counts(db_url) == before


def test_a_limit_of_one_mib_is_a_setting(tmp_path, capsys):
    config = tmp_path / "config"
    shutil.copytree(FIXTURES / "w1" / "config", config)
    (config / "engine.toml").write_text((SHIPPED / "engine.toml").read_text().replace("max_file_mib = 32",
                                                                                      "max_file_mib = 1"))
    big = tmp_path / "big.xml"
    big.write_bytes(b" " * (1024 * 1024 + 1))
    assert cli(f"sqlite:///{tmp_path / 'db.sqlite'}", "load", str(big), config=str(config)) == 2
    assert "1,048,577 bytes is more than the limit of 1 MiB" in _one_error_line(capsys)


@freeze_time("2019-07-01")
def test_at_most_100_problems_a_file_then_their_count(tmp_path, capsys):
    organisations = "\n".join(f'  <organisation cvr="bad{i}" name="O{i}"/>' for i in range(150))
    bad = tmp_path / "register.xml"
    bad.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<register {NS}>\n{organisations}\n</register>\n')
    assert cli(f"sqlite:///{tmp_path / 'db.sqlite'}", "load", str(bad)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 101
    assert err[0].startswith(f"error: {bad}:3: cvr: ")
    assert err[-1] == f"error: {bad}: 50 more problems not shown"


# --- entities, encodings ---

@freeze_time("2019-07-01")
@pytest.mark.parametrize("content, expected", [
    (b'<?xml version="1.0"?>\n<!DOCTYPE register [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
     b'<register xmlns="urn:disbursement:intake:1"><organisation cvr="12345678" name="&xxe;"/></register>',
     "x.xml:1: DOCTYPE: a document type declaration is not accepted in an intake file (no DTD, no entities)"),
    (b'<?xml version="1.0"?>\n<!-- a comment -->\n<!DOCTYPE register [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
     b'<register xmlns="urn:disbursement:intake:1"><organisation cvr="12345678"><name>&xxe;</name></organisation>'
     b'</register>',
     "x.xml:1: DOCTYPE: a document type declaration is not accepted in an intake file (no DTD, no entities)"),
    (b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<register xmlns="urn:disbursement:intake:1"/>',
     "x.xml:1: encoding: the file declares ISO-8859-1; only UTF-8 is accepted"),
    ('<?xml version="1.0" encoding="UTF-16"?>\n<register xmlns="urn:disbursement:intake:1"/>'.encode("utf-16"),
     "x.xml:1: encoding: the file is UTF-16 (byte-order mark); only UTF-8 is accepted"),
    (b'<?xml version="1.0"?>\n<register xmlns="urn:disbursement:intake:1">\n'
     b'<organisation cvr="12345678" name="Bolig\xe6"/></register>',
     "x.xml:3: encoding: byte 0xe6 at offset 107 is not UTF-8; only UTF-8 is accepted"),
])
def test_entities_and_other_encodings_are_refused_in_one_line(tmp_path, capsys, content, expected):
    path = tmp_path / "x.xml"
    path.write_bytes(content)
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert cli(db, "load", str(path)) == 2
    assert _one_error_line(capsys) == f"error: {tmp_path}/{expected}"
    assert table_counts(db)["intake_file"] == 0


@freeze_time("2019-07-01")
def test_utf8_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "register.xml"
    path.write_bytes(b"\xef\xbb\xbf" + REGISTER.read_bytes())
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert cli(db, "load", str(path)) == 0
    assert rows(db, "SELECT id FROM subsidy_grant") == [("G1",)]


# --- two loads of one file at once ---

def test_concurrent_identical_loads_load_once_and_the_other_says_already_loaded(db_url):
    config = load_config(W1_CONFIG)
    engine = open_engine(db_url)
    content = REGISTER.read_bytes()
    for attempt in range(4):
        # each attempt a different file (a comment differs), loaded by two threads released together
        variant = content + f"<!-- attempt {attempt} -->\n".encode()
        barrier, outcomes, errors = threading.Barrier(2), [], []

        def load():
            barrier.wait()
            try:
                outcomes.append(load_file(engine, f"register-{attempt}.xml", variant, config,
                                          datetime(2019, 7, 1, tzinfo=timezone.utc)))
            except Exception as exc:  # noqa: BLE001 - the assertion below names it
                errors.append(exc)

        threads = [threading.Thread(target=load) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if attempt == 0:
            assert errors == [] and sorted(o.already_loaded for o in outcomes) == [False, True]
        else:  # the register's rows exist: the later variants are refused as duplicates, or found loaded
            assert len(outcomes) + len(errors) == 2
    assert rows(db_url, "SELECT count(*) FROM intake_file") == [(1,)]


# --- databases that cannot be reached, and read-only commands ---

@pytest.mark.parametrize("url, expected", [
    ("not a url", "error: 'not a url' is not a database URL"),
    ("sqlite:////no/such/directory/db.sqlite", "error: cannot create the database /no/such/directory/db.sqlite: "
                                               "the directory /no/such/directory does not exist"),
    ("postgresql+psycopg://postgres@127.0.0.1:1/test", "error: cannot connect to the database "
                                                       "postgresql+psycopg://postgres@127.0.0.1:1/test: "),
])
def test_an_unreachable_database_is_one_line_and_exit_2(url, expected, capsys):
    assert cli(url, "nightly", "--as-of", "2019-07-01") == 2
    assert _one_error_line(capsys).startswith(expected)


@pytest.mark.parametrize("command", [["status"], ["export", "--year", "2019", "--format", "csv", "--out", "x"],
                                     ["trial-balance", "--year", "2019"],
                                     ["statement", "--recipient", "12345678", "--year", "2019"]])
def test_a_read_only_command_never_creates_a_database(tmp_path, capsys, command):
    typo = tmp_path / "disbursment.sqlite"
    assert cli(f"sqlite:///{typo}", *command) == 2
    assert _one_error_line(capsys) == (f"error: no database file {typo}; this command only reads and creates none "
                                       "(check --db or DISBURSEMENT_DB)")
    assert not typo.exists()


def test_a_read_only_command_on_an_empty_postgresql_schema_creates_nothing(capsys):
    from tests.conftest import pg_schema_url

    with pg_schema_url() as url:
        assert cli(url, "status") == 2
        assert "holds no disbursement database yet; this command only reads" in _one_error_line(capsys)
        assert rows(url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()") \
            == [(0,)]


def test_a_closed_pipe_ends_quietly():
    result = subprocess.run(f"{sys.executable} -m disbursement.cli calendar 2027 | head -1", shell=True,
                            capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.stdout == "2027-01-29  temporary  temporary_rent\n"
    assert result.stderr == ""


def test_an_internal_error_is_one_line_and_debug_shows_the_traceback(tmp_path, monkeypatch):
    from disbursement import cli as cli_module

    def broken(args):
        raise KeyError("boom")

    monkeypatch.setattr(cli_module, "_dispatch", broken)
    script = [sys.executable, "-c", "import sys; from disbursement import cli; "
              "cli._dispatch = lambda args: {}['boom']; sys.exit(cli.main(sys.argv[1:]))"]
    quiet = subprocess.run([*script, "calendar", "2027"], capture_output=True, text=True, cwd=ROOT)
    assert quiet.returncode == 1
    assert quiet.stderr == ("error: internal error: KeyError: 'boom' (run again with --debug for the traceback, and "
                            "report it)\n")
    loud = subprocess.run([*script, "--debug", "calendar", "2027"], capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" in loud.stderr and loud.returncode == 1


# --- CSV: no formula cells ---

@freeze_time("2019-07-01")
def test_csv_text_cells_that_start_a_formula_are_neutralised_and_amounts_stay_numbers(db_url, tmp_path):
    register = tmp_path / "register.xml"
    register.write_text(REGISTER.read_text(encoding="utf-8").replace(
        'name="Afdeling 12"', '''name="=HYPERLINK(&quot;http://x&quot;,&quot;a&quot;)"'''), encoding="utf-8")
    others = [p for p in W1 if not p.endswith("register.xml")]
    assert cli(db_url, "load", str(register), *others) == 0
    assert cli(db_url, "nightly", "--as-of", "2019-07-01") == 0
    assert cli(db_url, "export", "--year", "2019", "--format", "csv", "--out", str(tmp_path / "out")) == 0
    text = (tmp_path / "out" / "postings-2019-12345678.csv").read_text(encoding="utf-8-sig")
    assert ';"\'=HYPERLINK(""http://x"",""a"")";105.9;102.4;12274,17;' in text
    assert ";=HYPERLINK" not in text and ';"=HYPERLINK' not in text
    ledger = (tmp_path / "out" / "general-ledger-2019.csv").read_text(encoding="utf-8-sig")
    assert ";-" not in ledger.replace(";-;", "")  # credits are their own column: no cell starts with '-'...
    assert ";12274,17;" in ledger  # ... and amounts are written as numbers


@freeze_time("2019-07-01")
def test_export_of_an_empty_year_says_so(db_url, tmp_path, capsys):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "nightly", "--as-of", "2019-07-01") == 0
    capsys.readouterr()
    assert cli(db_url, "export", "--year", "2015", "--format", "csv", "--out", str(tmp_path)) == 0
    assert capsys.readouterr().err == ("warning: nothing is booked in fiscal year 2015: the files hold headers and "
                                       "zero totals only\n")


@freeze_time("2019-07-01")
def test_an_output_directory_that_cannot_be_made_is_one_line_and_exit_2(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert cli(db, "load", *W1) == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    capsys.readouterr()
    assert cli(db, "export", "--year", "2018", "--format", "csv", "--out", str(blocker / "out")) == 2
    assert _one_error_line(capsys) == f"error: {blocker / 'out'}: Not a directory"


# --- a failed job holds back only what depends on it ---

DEMO = sorted(str(p) for p in (FIXTURES / "demo").glob("*.xml"))
# the trial's files received by the test's day: the 2021 register and the reports of January to June 2021
TEMPORARY = [str(FIXTURES / "temporary" / "register-2021.xml")] + sorted(
    str(p) for p in (FIXTURES / "temporary" / "reports").glob("2021-0[1-6]-*.xml"))


def _config_without_wage_values(tmp_path: Path, years: tuple[str, ...]) -> Path:
    config = tmp_path / "config"
    shutil.copytree(FIXTURES / "demo-config", config)
    wage = config / "indices" / "wage_private.toml"
    wage.write_text("\n".join(line for line in wage.read_text(encoding="utf-8").splitlines()
                              if not line.startswith(years)) + "\n", encoding="utf-8")
    return config


def _paid(db_url: str, support: str) -> list[tuple[str, str, Decimal]]:
    return [(key, str(day), kroner(amount)) for key, day, amount in rows(
        db_url, f"SELECT key, value_date, amount FROM payment WHERE support = '{support}' ORDER BY key")]


@freeze_time("2021-07-02 08:00:00")
def test_a_missing_wage_index_year_holds_back_social_support_only(db_url, tmp_path, capsys):
    """Social support of 2019 needs the 2019 wage index; without it, social support stops at its first 2019 term
    and every later one waits, while rent subsidy, refunds and temporary rent are paid exactly as without the gap."""
    reference = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    full = str(FIXTURES / "demo-config")
    for db in (reference, db_url):
        assert cli(db, "load", *DEMO, *TEMPORARY, config=full) == 0
    assert cli(reference, "nightly", "--as-of", "2021-07-01", config=full) == 0

    gap = str(_config_without_wage_values(tmp_path, ("2019", "2020", "2021")))
    capsys.readouterr()
    assert cli(db_url, "nightly", "--as-of", "2021-07-01", config=gap) == 1
    err = capsys.readouterr().err.splitlines()
    failures = [line for line in err if line.startswith("error: job failed: ")]
    assert failures == [
        f"error: job failed: social_support 2019-03-29: {gap}/indices/wage_private.toml: the private-sector wage "
        "index (demo: ILLUSTRATIVE values) has no value for 2019 (the value applying from 1 January 2019); add it "
        "under [values] (source: ILLUSTRATIVE values made up for the demo fixtures; not Danmarks Statistik "
        "figures)"]
    assert any(line.startswith("error: 9 job(s) held back until the failed ones run: social_support 2019-06-28, "
                               "social_support 2019-09-30, social_support 2019-12-30, ...") for line in err)
    for support in ("rent_subsidy", "loss_refund", "temporary_rent", "conversion_grant"):
        assert _paid(db_url, support) == _paid(reference, support), support
    assert _paid(db_url, "temporary_rent") and _paid(db_url, "loss_refund")
    social = _paid(db_url, "social_support")
    assert social and max(day for _, day, _ in social) < "2019-01-01"
    assert social == [p for p in _paid(reference, "social_support") if p[1] < "2019-01-01"]

    assert cli(db_url, "status", "--as-of", "2021-07-01", config=gap) == 0
    out = capsys.readouterr().out
    assert "jobs failed and not yet rerun (1):\n  social_support 2019-03-29\n" in out
    assert "jobs held back by a failure (9; they run once it does):\n  social_support 2019-06-28: until " \
           "social_support 2019-03-29 runs\n" in out

    # the operator enters the values: the next nightly pays what was held back, and nothing else changes
    assert cli(db_url, "nightly", "--as-of", "2021-07-01", config=full) == 0
    for support in ("rent_subsidy", "social_support", "loss_refund", "temporary_rent", "conversion_grant"):
        assert _paid(db_url, support) == _paid(reference, support), support


# --- the shipped configuration runs ---

@freeze_time("2019-07-01 08:00:00")
def test_a_real_grant_registers_with_the_shipped_config_and_only_social_support_waits_for_the_wage_index(
        tmp_path, capsys):
    """The limits are stated in 2016 prices: the shipped net price index has 2016 (May 2015 = 100.3). The shipped
    wage index is empty, so social support fails, one line naming the file, and rent subsidy is paid regardless."""
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    shipped = str(SHIPPED)
    assert cli(db, "load", *W1, config=shipped) == 0
    assert rows(db, "SELECT id, grant_date FROM subsidy_grant") == [("G1", "2017-06-01")]
    capsys.readouterr()
    assert cli(db, "nightly", "--as-of", "2019-07-01", config=shipped) == 1
    failed = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: job failed")]
    assert failed == [f"error: job failed: social_support 2017-09-29: {SHIPPED}/indices/wage_private.toml: the "
                      "private-sector wage index has no value for 2017 (the value applying from 1 January 2017); add "
                      "it under [values] (source: Danmarks Statistik, Statistikbanken: lønindeks for virksomheder og "
                      "organisationer (privat sektor), e.g. table SBLON2 (2016=100) or ILON12)"]
    assert [key for key, _, _ in _paid(db, "rent_subsidy")] == [
        f"rent/{day}/G1/12#1" for day in ("2018-03-28", "2018-06-29", "2018-09-28", "2018-12-28", "2019-03-29",
                                           "2019-06-28")]
