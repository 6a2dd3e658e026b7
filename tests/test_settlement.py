"""Accrual, then settlement (issue 14): a job books what it pays on the payable 5850; the bank's debit moves it to
the bank 5800 on the day the bank booked it, a return or a rejection moves it back, and the payable's balance is
always the payments still owed, on SQLite and PostgreSQL.

W1 with runs released on 3 April 2018 (tests/test_bank_answers.py `released`): the Q1 2018 terms pay rent subsidy
13,260.00 (RENT) and social support 102,500.00 (SOCIAL) to the one organisation."""
from pathlib import Path

from freezegun import freeze_time

from disbursement.exports.pain001 import end_to_end_id
from tests.helpers import cli, rows
from tests.test_bank_answers import RENT, SOCIAL, notification, released, status_report
from tests.test_payment_runs import config_dir, output  # noqa: F401  (config_dir is a fixture)

PAYABLE, BANK = "5850", "5800"


def returned(path: Path, e2e: str, amount: str, day: str) -> str:
    """A camt.054.001.08 with one booked credit: the payment returned by the recipient's bank (AC04) on `day`."""
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">'
        f"<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>NTF-{path.stem}</MsgId><CreDtTm>{day}T18:00:00</CreDtTm></GrpHdr>"
        "<Ntfctn><Id>N1</Id><Acct><Id><IBAN>DK5000400440116243</IBAN></Id></Acct>"
        f'<Ntry><Amt Ccy="DKK">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
        f"<BookgDt><Dt>{day}</Dt></BookgDt><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd>"
        "<SubFmlyCd>RRTN</SubFmlyCd></Fmly></Domn></BkTxCd>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs><CdtDbtInd>CRDT</CdtDbtInd>"
        "<RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn>"
        "</Document>\n")
    return str(path)


def settlements(db_url: str) -> list[tuple]:
    """(journal, booked on, component, account, øre) of every settlement posting."""
    return [(f"{job}/{day}/{seq}", str(booked_on), component, account, amount)
            for job, day, seq, booked_on, component, account, amount in rows(
                db_url, "SELECT j.job, j.job_date, j.seq, j.booked_on, p.component, p.account, p.amount FROM posting p "
                        "JOIN journal j ON j.id = p.journal_id WHERE j.job = 'settlement' "
                        "ORDER BY j.job_date, j.seq, p.component, p.account")]


def owed(capsys, db_url: str, config: str) -> list[str]:
    """The open payables `trial-balance` lists at the end of 2018: its count line, then one line a payment."""
    out = output(capsys, db_url, "trial-balance", "--year", "2018", config=config)[1].splitlines()
    start = next(i for i, line in enumerate(out) if line.startswith("open payables"))
    return out[start:]


def balance(db_url: str, account: str) -> int:
    return rows(db_url, f"SELECT coalesce(sum(amount), 0) FROM posting WHERE account = '{account}'")[0][0]


def test_the_banks_debit_settles_a_return_reverses_and_the_payable_holds_what_is_owed(db_url, capsys, tmp_path,
                                                                                        config_dir):
    released(db_url, config_dir, tmp_path)
    paid = rows(db_url, "SELECT coalesce(sum(amount), 0) FROM payment")[0][0]
    assert balance(db_url, PAYABLE) == -paid and balance(db_url, BANK) == 0  # released, nothing debited yet
    executed = notification(tmp_path / "executed.xml", end_to_end_id(RENT), "13260.00")  # booked 2018-04-04
    with freeze_time("2018-04-05 08:00:00"):
        assert cli(db_url, "load", executed, config=config_dir) == 0
    assert settlements(db_url) == [("settlement/2018-04-04/1", "2018-04-04", f"settled {RENT}", BANK, -1326000),
                                   ("settlement/2018-04-04/1", "2018-04-04", f"settled {RENT}", PAYABLE, 1326000)]
    assert balance(db_url, BANK) == -1326000 and balance(db_url, PAYABLE) == -paid + 1326000
    with freeze_time("2018-04-05 08:00:00"):
        lines = owed(capsys, db_url, config_dir)
    assert RENT not in "".join(lines) and f"  {SOCIAL} 12345678 2018-03-28 102,500.00" in lines

    # the recipient's bank sends the rent back on 10 April: the bank has it again, the organisation is owed it again
    back = returned(tmp_path / "returned.xml", end_to_end_id(RENT), "13260.00", "2018-04-10")
    with freeze_time("2018-04-11 08:00:00"):
        assert cli(db_url, "load", back, config=config_dir) == 0
        assert cli(db_url, "load", back, config=config_dir) == 0  # the same file: nothing more
        lines = owed(capsys, db_url, config_dir)
    assert settlements(db_url)[2:] == [
        ("settlement/2018-04-10/1", "2018-04-10", f"reversed {RENT}", BANK, 1326000),
        ("settlement/2018-04-10/1", "2018-04-10", f"reversed {RENT}", PAYABLE, -1326000)]
    assert balance(db_url, BANK) == 0 and balance(db_url, PAYABLE) == -paid
    assert f"  {RENT} 12345678 2018-03-28 13,260.00" in lines

    # the next run pays it again: the returned payment no longer counts, its re-issue is owed until debited
    with freeze_time("2018-04-11 09:00:00"):
        assert cli(db_url, "nightly", config=config_dir) == 0
        lines = owed(capsys, db_url, config_dir)
    again = RENT.replace("#1", "#2")
    assert f"  {again} 12345678 2018-03-28 13,260.00" in lines and RENT not in "".join(lines).replace(again, "")
    assert balance(db_url, PAYABLE) == -paid and balance(db_url, BANK) == 0
    count = len(lines) - 1
    assert lines[0] == (f"open payables on 5850 at 2018-12-31: {count} payment(s), "
                        f"{paid / 100:,.2f}, not yet debited by the bank")


def test_a_rejected_payment_never_debited_touches_no_bank(db_url, tmp_path, config_dir):
    released(db_url, config_dir, tmp_path)
    rejected = status_report(tmp_path / "pain002.xml", "social_support-20180328-1",
                             [(end_to_end_id(SOCIAL), "RJCT", "102500.00", "AC04")])
    with freeze_time("2018-04-05 08:00:00"):
        assert cli(db_url, "load", rejected, config=config_dir) == 0
        assert settlements(db_url) == []
        assert cli(db_url, "nightly", config=config_dir) == 0
    # the re-issue cancels what the rejected payment owed and owes it anew: the payable's balance is unchanged
    assert rows(db_url, f"SELECT component, account, amount FROM posting WHERE component LIKE '% {SOCIAL}'") == [
        (f"returned {SOCIAL}", PAYABLE, 10250000)]
    assert balance(db_url, BANK) == 0


def settle_on_release(config: str) -> None:
    shipped = Path(__file__).resolve().parents[1] / "config" / "payer.toml"
    payer = shipped.read_text()
    assert 'settle = "on-answer"' in payer
    (Path(config) / "payer.toml").write_text(payer.replace('settle = "on-answer"', 'settle = "on-release"'))


def test_a_payer_without_answers_settles_on_release_and_a_later_rejection_reverses(db_url, tmp_path, config_dir):
    settle_on_release(config_dir)
    released(db_url, config_dir, tmp_path)  # on 3 April 2018
    # the two released runs (13,260.00 + 102,500.00) are settled; 2017's two runs, not released, are owed
    # (32,608.70 + 100,000.00)
    assert balance(db_url, PAYABLE) == -13260870 and balance(db_url, BANK) == -11576000
    on_release = settlements(db_url)
    assert {journal for journal, *_ in on_release} == {"settlement/2018-04-03/1", "settlement/2018-04-03/2"}
    assert ("settlement/2018-04-03/2", "2018-04-03", f"settled {SOCIAL}", BANK, -10250000) in on_release
    # the bank rejects the social support after all: the money never left; an executed rent changes nothing more
    rejected = status_report(tmp_path / "pain002.xml", "social_support-20180328-1",
                             [(end_to_end_id(SOCIAL), "RJCT", "102500.00", "AC04")])
    executed = notification(tmp_path / "executed.xml", end_to_end_id(RENT), "13260.00")
    with freeze_time("2018-04-05 08:00:00"):
        assert cli(db_url, "load", rejected, executed, config=config_dir) == 0
    assert settlements(db_url)[len(on_release):] == [
        ("settlement/2018-04-05/1", "2018-04-05", f"reversed {SOCIAL}", BANK, 10250000),
        ("settlement/2018-04-05/1", "2018-04-05", f"reversed {SOCIAL}", PAYABLE, -10250000)]
    assert balance(db_url, BANK) == -1326000 and balance(db_url, PAYABLE) == -13260870 - 10250000
