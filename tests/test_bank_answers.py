"""The bank's answers through the command line (issue 14): pain.002 and camt.054 matched to released payment runs,
bad answers refused with a located line, and a rejected payment paid again once, to the account then in force."""
from decimal import Decimal

from freezegun import freeze_time
from lxml import etree

from disbursement.exports.pain001 import end_to_end_id
from tests.helpers import cli, payments, rows
from tests.test_exports import PAIN_NS
from tests.test_payment_runs import booked, config_dir, output  # noqa: F401  (config_dir is a fixture)

RENT, SOCIAL = "rent/2018-03-28/G1/12#1", "social/2018-03-28/G1#1"
RUNS = ("aconto/2018-03-28/1", "social_support/2018-03-28/1")
NS = 'xmlns="urn:disbursement:intake:1"'
NEW_IBAN = "DK9520000123456789"


def status_report(path, message_id, transactions) -> str:
    """A pain.002.001.10 answering `message_id`: (EndToEndId, TxSts, amount, reason code) per transaction."""
    body = "".join(
        f"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>{status}</TxSts>"
        + (f"<StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn><AddtlInf>closed account</AddtlInf></StsRsnInf>" if reason else "")
        + f"<OrgnlTxRef><Amt><InstdAmt Ccy=\"DKK\">{amount}</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts>"
        for e2e, status, amount, reason in transactions)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">'
        f"<CstmrPmtStsRpt><GrpHdr><MsgId>STS-{path.stem}</MsgId><CreDtTm>2018-04-04T10:00:00</CreDtTm></GrpHdr>"
        f"<OrgnlGrpInfAndSts><OrgnlMsgId>{message_id}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>"
        f"</OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>{message_id}-20180404</OrgnlPmtInfId>{body}"
        "</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>\n")
    return str(path)


def notification(path, e2e, amount) -> str:
    """A camt.054.001.08 with one booked debit: the payment executed on 4 April."""
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">'
        f"<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>NTF-{path.stem}</MsgId><CreDtTm>2018-04-04T18:00:00</CreDtTm>"
        f"</GrpHdr><Ntfctn><Id>N1</Id><Acct><Id><IBAN>DK5000400440116243</IBAN></Id></Acct>"
        f'<Ntry><Amt Ccy="DKK">{amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
        "<BookgDt><Dt>2018-04-04</Dt></BookgDt><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd>"
        "<SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs><CdtDbtInd>DBIT</CdtDbtInd></TxDtls>"
        "</NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n")
    return str(path)


def released(db_url, config, tmp_path) -> None:
    booked(db_url, config)
    with freeze_time("2018-04-03 11:00:00"):
        assert cli(db_url, "payment-runs", config=config) == 0
        for run in RUNS:
            assert cli(db_url, "approve", run, "--as", "alice", config=config) == 0
            assert cli(db_url, "release", run, "--outbox", str(tmp_path / "outbox"), "--as", "bob", config=config) == 0


def test_a_rejected_payment_is_paid_again_once_to_the_new_account(db_url, capsys, tmp_path, config_dir):
    released(db_url, config_dir, tmp_path)
    answers = status_report(tmp_path / "pain002.xml", "social_support-20180328-1",
                            [(end_to_end_id(SOCIAL), "RJCT", "102500.00", "AC04")])
    executed = notification(tmp_path / "camt054.xml", end_to_end_id(RENT), "13260.00")
    new_account = tmp_path / "account.xml"  # the organisation's new account, from the day after its last payment
    new_account.write_text(f'<?xml version="1.0"?>\n<decisions {NS} received="2018-04-04">\n'
                           f'  <master-data case="M1" decided="2018-04-04" effective="2018-04-04" party="organisation" '
                           f'id="12345678" iban="{NEW_IBAN}"/>\n</decisions>\n')
    with freeze_time("2018-04-05 08:00:00"):
        assert cli(db_url, "load", executed, answers, str(new_account), config=config_dir) == 0
        status = output(capsys, db_url, "status", "--as-of", "2018-04-05", config=config_dir)[1]
    assert ("[ISO 20022 payment rejected] recipient 12345678: payment social/2018-03-28/G1#1 of 102,500.00 rejected "
            f"by the bank (AC04 closed account; {answers}): paid again by the next run of social_support 2018-03-28"
            ) in status
    assert (f"social_support 2018-03-28: payment social/2018-03-28/G1#1 rejected by the bank ({answers}): the run "
            "pays it again") in status
    with freeze_time("2018-04-05 09:00:00"):
        assert cli(db_url, "nightly", config=config_dir) == 0
        assert cli(db_url, "nightly", config=config_dir) == 0  # once: the second books nothing
        assert cli(db_url, "payment-runs", config=config_dir) == 0
        status = output(capsys, db_url, "status", "--as-of", "2018-04-05", config=config_dir)[1]
    assert "ISO 20022 payment rejected" not in status and "pays it again" not in status
    # the payment of 102,500.00 is paid again as social/2018-03-28/G1#2, naming the one it re-issues
    assert payments(db_url, "social_support")[-2:] == [
        ("social/2018-03-28/G1#1", "2018-03-28", Decimal("102500.00")),
        ("social/2018-03-28/G1#2", "2018-03-28", Decimal("102500.00"))]
    assert rows(db_url, "SELECT p.key, o.key FROM payment p JOIN payment o ON o.id = p.reissue_of") == [
        ("social/2018-03-28/G1#2", "social/2018-03-28/G1#1")]
    # the rejected payment no longer settles what the line owes; the new payment does: one balanced correcting journal
    assert sorted(rows(db_url, "SELECT p.component, p.account, p.amount FROM posting p JOIN journal j "
                               "ON j.id = p.journal_id WHERE j.job = 'social_support' AND j.seq = 2")) == [
        ("payment", "5850", -10250000), ("returned social/2018-03-28/G1#1", "5850", 10250000)]
    # its payment run: a new EndToEndId, the next banking day, the account in force then
    content = rows(db_url, "SELECT content FROM payment_run WHERE key = 'social_support/2018-03-28/2'")[0][0]
    document = etree.fromstring(bytes(content))
    assert document.xpath("//p:EndToEndId/text()", namespaces=PAIN_NS) == [end_to_end_id("social/2018-03-28/G1#2")]
    assert document.xpath("//p:ReqdExctnDt/p:Dt/text()", namespaces=PAIN_NS) == ["2018-04-06"]
    assert document.xpath("//p:CdtrAcct/p:Id/p:IBAN/text()", namespaces=PAIN_NS) == [NEW_IBAN]
    assert cli(db_url, "export", "--year", "2018", "--format", "all", "--out", str(tmp_path / "exports"),
               config=config_dir) == 0  # the ledger still passes its checks


def test_bad_answers_are_refused_with_a_located_line_and_nothing_loaded(db_url, capsys, tmp_path, config_dir):
    released(db_url, config_dir, tmp_path)
    rent = end_to_end_id(RENT)
    cases = {
        "unknown.xml": ([("INKL" + "0" * 31, "ACCP", "10.00", None)],
                        f"INKL{'0' * 31} is not a payment of a released payment run"),
        "amount.xml": ([(rent, "ACCP", "13260.01", None)], f"{rent} ({RENT}): 13260.01 is not the payment's amount 13260.00"),
    }
    with freeze_time("2018-04-05 08:00:00"):
        for name, (transactions, message) in cases.items():
            path = status_report(tmp_path / name, "aconto-20180328-1", transactions)
            code, _, err = output(capsys, db_url, "load", path, config=config_dir)
            assert code == 2 and err == f"error: {path}:2: EndToEndId: {message}\n"  # the TxInfAndSts's line
        assert rows(db_url, "SELECT count(*) FROM bank_answer") == [(0,)]
        executed = notification(tmp_path / "executed.xml", rent, "13260.00")
        assert cli(db_url, "load", executed, config=config_dir) == 0
        code, out, _ = output(capsys, db_url, "load", executed, config=config_dir)  # the same file: a no-op
        assert code == 0 and "already loaded" in out
        again = notification(tmp_path / "again.xml", rent, "13260.00")
        code, _, err = output(capsys, db_url, "load", again, config=config_dir)
        assert code == 2 and f"{rent} ({RENT}) already has the answer 'executed'" in err
        rejected = status_report(tmp_path / "late-reject.xml", "aconto-20180328-1", [(rent, "RJCT", "13260.00", "AC04")])
        code, _, err = output(capsys, db_url, "load", rejected, config=config_dir)
        assert code == 2 and f"{rent} ({RENT}) was executed before: it cannot be rejected" in err
    assert rows(db_url, "SELECT kind FROM bank_answer") == [("executed",)]
