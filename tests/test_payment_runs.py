"""Payment runs (issue 14): each journal's pain.001 generated once, approved and released by two operators, written to
the outbox once, with no requested execution date before the day the file was made."""
import hashlib
import shutil
import threading
from pathlib import Path
from datetime import date

import pytest
from freezegun import freeze_time
from lxml import etree

from disbursement.config import read_config
from disbursement.engine.registry import SCHEMES
from disbursement.exports.pain001 import basic_latin
from disbursement.exports import payment_runs
from disbursement.exports.payment_runs import execution_date
from tests.conftest import FIXTURES
from tests.helpers import cli, rows
from tests.test_exports import PAIN_NS, PAIN_XSD

W1 = [str(FIXTURES / "w1" / name) for name in ("register.xml", "estimate-2018.xml", "events-hire.xml")]
RUN = "aconto/2018-03-28/1"


@pytest.fixture
def config_dir(tmp_path):
    """W1's config with `--as` allowed, as the demo has it (but no go-live date: every journal gets its run)."""
    directory = tmp_path / "config"
    shutil.copytree(FIXTURES / "w1" / "config", directory)
    engine = (FIXTURES.parent / "config" / "engine.toml").read_text()
    (directory / "engine.toml").write_text(engine.replace("operator_override = false", "operator_override = true"))
    return str(directory)


def output(capsys, *args, config) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli(*args, config=config)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def booked(db_url: str, config: str) -> None:
    with freeze_time("2018-04-03 10:00:00"):  # the terms up to 2018-03-28 are paid in a catch-up on 3 April
        assert cli(db_url, "load", *W1, config=config) == 0
        assert cli(db_url, "nightly", config=config) == 0


def test_a_run_is_generated_once_approved_and_released_by_two_operators(db_url, capsys, tmp_path, config_dir):
    booked(db_url, config_dir)
    outbox = tmp_path / "outbox"
    with freeze_time("2018-04-03 11:00:00"):
        code, out, _ = output(capsys, db_url, "payment-runs", config=config_dir)
        assert code == 0
        assert f"generated {RUN}: pain001-2018-aconto-2018-03-28-1.xml, 1 payment(s), 13,260.00, sha256 " in out
        assert "social_support/2017-09-29/1     1 payment(s)        32,608.70  not approved; not released" in out
        # generating again makes nothing new
        assert "generated" not in output(capsys, db_url, "payment-runs", config=config_dir)[1]
        code, _, err = output(capsys, db_url, "release", RUN, "--outbox", str(outbox), "--as", "bob", config=config_dir)
        assert code == 2 and f"payment run {RUN} is not approved" in err
        assert cli(db_url, "approve", RUN, "--as", "alice", config=config_dir) == 0
        code, _, err = output(capsys, db_url, "approve", RUN, "--as", "bob", config=config_dir)
        assert code == 2 and f"payment run {RUN} is already approved" in err
        code, _, err = output(capsys, db_url, "release", RUN, "--outbox", str(outbox), "--as", "alice", config=config_dir)
        assert code == 2 and "approved by alice: another operator releases it (four eyes)" in err
        assert not outbox.exists()
        code, out, _ = output(capsys, db_url, "status", "--as-of", "2018-04-03", config=config_dir)
        assert f"  {RUN}: 1 payment(s), 13,260.00, waiting for release (approved by alice)\n" in out
        assert cli(db_url, "release", RUN, "--outbox", str(outbox), "--as", "bob", config=config_dir) == 0
    written = (outbox / "pain001-2018-aconto-2018-03-28-1.xml").read_bytes()
    stored, digest = rows(db_url, f"SELECT content, sha256 FROM payment_run WHERE key = '{RUN}'")[0]
    assert written == bytes(stored) and hashlib.sha256(written).hexdigest() == digest
    assert sorted((a, o, str(s) == digest) for a, o, s in rows(
        db_url, "SELECT action, operator, sha256 FROM payment_run_action")) == [
        ("approved", "alice", True), ("released", "bob", True)]
    document = etree.fromstring(written)
    etree.XMLSchema(etree.parse(str(PAIN_XSD))).assertValid(document)
    # the term's value date 28 March has passed when the file is made on 3 April: requested for 4 April
    assert document.xpath("//p:ReqdExctnDt/p:Dt/text()", namespaces=PAIN_NS) == ["2018-04-04"]
    assert document.xpath("//p:InstdAmt/text()", namespaces=PAIN_NS) == ["13260.00"]
    # the ledger keeps the value date it booked
    assert rows(db_url, "SELECT value_date FROM payment WHERE key = 'rent/2018-03-28/G1/12#1'")[0][0] in (
        date(2018, 3, 28), "2018-03-28")
    # released again: nothing recorded, the same bytes; a lost outbox file is written again identically
    (outbox / "pain001-2018-aconto-2018-03-28-1.xml").unlink()
    with freeze_time("2018-04-05 09:00:00"):
        assert cli(db_url, "release", RUN, "--outbox", str(outbox), "--as", "carol", config=config_dir) == 0
    assert (outbox / "pain001-2018-aconto-2018-03-28-1.xml").read_bytes() == written
    assert rows(db_url, "SELECT count(*) FROM payment_run_action")[0][0] == 2
    code, out, _ = output(capsys, db_url, "status", "--as-of", "2018-04-05", config=config_dir)
    assert RUN + ":" not in out.split("payment runs waiting")[1].split("open collection")[0]


def test_as_is_refused_unless_the_config_allows_it_and_the_files_are_append_only(db_url, capsys):
    config = str(FIXTURES / "w1" / "config")
    booked(db_url, config)
    with freeze_time("2018-04-03 11:00:00"):
        assert cli(db_url, "payment-runs", config=config) == 0
        code, _, err = output(capsys, db_url, "approve", RUN, "--as", "alice", config=config)
    assert code == 2 and "--as is not allowed here: engine.toml [operations] operator_override is off" in err
    code, _, err = output(capsys, db_url, "approve", "aconto/2099-01-01/1", config=config)
    assert code == 2 and "no payment run 'aconto/2099-01-01/1'" in err
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DatabaseError
    engine = create_engine(db_url)
    try:
        for statement in ("UPDATE payment_run SET content = content", "DELETE FROM payment_run"):
            with pytest.raises(DatabaseError, match="append-only"):
                with engine.begin() as connection:
                    connection.execute(text(statement))
    finally:
        engine.dispose()


def test_two_releases_at_once_record_one(db_url, tmp_path, config_dir):
    booked(db_url, config_dir)
    with freeze_time("2018-04-03 11:00:00"):
        assert cli(db_url, "payment-runs", config=config_dir) == 0
        assert cli(db_url, "approve", RUN, "--as", "alice", config=config_dir) == 0
    codes = []

    def release(name):
        codes.append(cli(db_url, "release", RUN, "--outbox", str(tmp_path / "outbox"), "--as", name,
                         config=config_dir))

    threads = [threading.Thread(target=release, args=(name,)) for name in ("bob", "carol")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert rows(db_url, "SELECT count(*) FROM payment_run_action WHERE action = 'released'")[0][0] == 1
    assert 0 in codes and len(list((tmp_path / "outbox").iterdir())) == 1


@pytest.mark.parametrize("value_date, generated, expected", [
    (date(2019, 6, 28), date(2019, 6, 20), date(2019, 6, 28)),  # ahead: as booked
    (date(2019, 6, 28), date(2019, 6, 27), date(2019, 6, 28)),  # the next banking day: as booked
    (date(2019, 6, 28), date(2019, 6, 28), date(2019, 7, 1)),   # made on the day: the next banking day (Monday)
    (date(2019, 3, 29), date(2019, 7, 2), date(2019, 7, 3)),    # a past term in a catch-up
    (date(2019, 12, 24), date(2019, 12, 1), date(2019, 12, 27)),  # a bank closing day: the next banking day
])
def test_no_requested_execution_date_before_the_file_is_made(value_date, generated, expected):
    config = read_config(None, SCHEMES)
    assert execution_date(value_date, generated, config) == expected


def test_basic_latin_spells_out_danish_letters_and_drops_what_the_set_lacks():
    assert basic_latin("Æblegård Øster, Åbenrå & Müller café №1") == "Aeblegaard Oester, Aabenraa   Muller cafe No1"
    assert basic_latin("Kildevej 1/3 (st.) 2500 Valby: 'ok'?+") == "Kildevej 1/3 (st.) 2500 Valby: 'ok'?+"


@pytest.mark.parametrize("charset, name", [("utf-8", "Boligforeningen Ærø Strand"),
                                           ("basic-latin", "Boligforeningen Aeroe Strand")])
def test_a_bank_that_takes_basic_latin_only_gets_the_names_spelt_out(tmp_path, config_dir, charset, name):
    db_url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    payer = (FIXTURES.parent / "config" / "payer.toml").read_text().replace('charset = "utf-8"', f'charset = "{charset}"')
    (tmp_path / "config" / "payer.toml").write_text(payer)
    register = tmp_path / "register.xml"
    register.write_text((FIXTURES / "w1" / "register.xml").read_text().replace("Boligforeningen Eksempel",
                                                                              "Boligforeningen Ærø Strand"))
    with freeze_time("2018-04-03 10:00:00"):
        assert cli(db_url, "load", str(register), *W1[1:], config=config_dir) == 0
        assert cli(db_url, "nightly", config=config_dir) == 0
        assert cli(db_url, "payment-runs", config=config_dir) == 0
    document = etree.fromstring(bytes(rows(db_url, f"SELECT content FROM payment_run WHERE key = '{RUN}'")[0][0]))
    assert document.xpath("//p:Cdtr/p:Nm/text()", namespaces=PAIN_NS) == [name]
    etree.XMLSchema(etree.parse(str(PAIN_XSD))).assertValid(document)


def test_a_release_that_dies_before_writing_the_file_is_completed_by_the_next_release(db_url, tmp_path, config_dir,
                                                                                     monkeypatch):
    booked(db_url, config_dir)
    outbox = tmp_path / "outbox"
    with freeze_time("2018-04-03 11:00:00"):
        assert cli(db_url, "payment-runs", config=config_dir) == 0
        assert cli(db_url, "approve", RUN, "--as", "alice", config=config_dir) == 0

        def crash(*args):
            raise KeyboardInterrupt  # the process dies between recording the release and writing the file

        with monkeypatch.context() as patched:
            patched.setattr(payment_runs, "_write", crash)
            with pytest.raises(KeyboardInterrupt):
                cli(db_url, "release", RUN, "--outbox", str(outbox), "--as", "bob", config=config_dir)
        assert not outbox.exists()
        # the release is recorded (so no other operator can release it again), and the next call writes the file
        assert cli(db_url, "release", RUN, "--outbox", str(outbox), "--as", "carol", config=config_dir) == 0
    assert rows(db_url, "SELECT action, operator FROM payment_run_action ORDER BY id") == [
        ("approved", "alice"), ("released", "bob")]
    assert [p.name for p in outbox.iterdir()] == ["pain001-2018-aconto-2018-03-28-1.xml"]


def test_journals_before_the_go_live_date_get_no_payment_run(db_url, capsys, config_dir):
    engine = Path(config_dir) / "engine.toml"
    engine.write_text(engine.read_text().replace("# payment_runs_from = 2021-06-01", "payment_runs_from = 2018-01-01"))
    booked(db_url, config_dir)
    with freeze_time("2018-04-03 11:00:00"):
        code, out, _ = output(capsys, db_url, "payment-runs", config=config_dir)
    # the 2017 terms were paid before: only the runs of 2018-03-28 are made
    assert code == 0 and [line.split(":")[0] for line in out.splitlines() if line.startswith("generated")] == [
        "generated aconto/2018-03-28/1", "generated social_support/2018-03-28/1"]
