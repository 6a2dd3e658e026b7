"""The bank's answers (pain.002.001.10, camt.054.001.08) read into plain answers per EndToEndId, validated against
the unmodified ISO 20022 schemas vendored in disbursement/bank/schemas; a bad file is one located problem."""
import hashlib
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from disbursement.bank.answers import SCHEMAS, Answer, parse_answer
from disbursement.intake.errors import RejectedFile
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "bank"
PINNED = {  # the iso20022.org files, byte for byte (schemas/README.md)
    "pain.002.001.10.xsd": "2f9f8d0e9891fa9f31ccf0576397afe501614384d688ae6e43ba694b3d24b0cf",
    "camt.054.001.08.xsd": "13d220337d47e22cf25788807c136794a76955791df612c6947277272d440da6",
}
ACCEPTED = "INKL39EBC4CCEF06A7D358BD3A37CBA19B8"  # pain001.end_to_end_id('rent/2019-07-01/G1/12#1')
REJECTED = "INKLA5191388E7158A6D6A019D45305EA72"  # ... ('rent/2019-07-01/G1/14#1')
RETURNED = "INKL0D4FC1AC45A8A6CE76FB394E3F1B127"  # ... ('social_support/2019-07-01/G1/12#1')
RUN = "aconto-20190628-1"
PAYMENT_INFO = "aconto-20190628-1-20190701"


def answers(fixture: str, content: bytes | None = None) -> list[Answer]:
    return parse_answer(fixture, (DATA / fixture).read_bytes() if content is None else content)


def rejected(content: bytes) -> list[tuple]:
    with pytest.raises(RejectedFile) as caught:
        parse_answer("answer.xml", content)
    return [(p.file, p.line, p.field, p.message) for p in caught.value.problems]


def test_the_vendored_schemas_are_the_pinned_files():
    assert {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in SCHEMAS.values()} == PINNED


@pytest.mark.parametrize("fixture", sorted(p.name for p in DATA.glob("*.xml")))
def test_every_fixture_is_valid_against_its_schema(fixture):
    document = etree.parse(str(DATA / fixture))
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS[etree.QName(document.getroot()).namespace])))
    assert schema.validate(document), schema.error_log


def test_transaction_statuses():
    assert answers("pain002-transactions.xml") == [
        Answer("accepted", ACCEPTED, Decimal("4879.17"), "DKK", None, None, 19, RUN, PAYMENT_INFO),
        Answer("rejected", REJECTED, Decimal("11670.83"), "DKK", "AC04 closed account", None, 27, RUN, PAYMENT_INFO),
    ]


def test_a_rejected_payment_information_names_no_end_to_end_id():
    """The caller expands it to the payments of that PmtInfId; the accepted one without transactions says nothing."""
    assert answers("pain002-payment-reject.xml") == [
        Answer("rejected", "", None, None, "AM04 Insufficient funds on the debtor account", None, 13,
               "aconto-20190728-1", "aconto-20190728-1-20190801"),
    ]


def test_a_rejected_file_names_no_end_to_end_id():
    assert answers("pain002-group-reject.xml") == [
        Answer("rejected", "", None, None, "DU01 Duplicate message id", None, 8, "aconto-20190828-1", None),
    ]


def test_a_transaction_without_status_has_its_payment_informations():
    content = (DATA / "pain002-transactions.xml").read_bytes() \
        .replace(b"<PmtInfSts>PART</PmtInfSts>", b"<PmtInfSts>RJCT</PmtInfSts><StsRsnInf><Rsn><Cd>AM04</Cd></Rsn>"
                 b"</StsRsnInf>") \
        .replace(b"<TxSts>ACCP</TxSts>", b"")
    assert [(a.kind, a.end_to_end_id, a.reason) for a in answers("pain002-transactions.xml", content)] == [
        ("rejected", ACCEPTED, "AM04"), ("rejected", REJECTED, "AC04 closed account")]


def test_a_pending_transaction_is_no_answer_whatever_its_payment_information_says():
    content = (DATA / "pain002-transactions.xml").read_bytes() \
        .replace(b"<PmtInfSts>PART</PmtInfSts>", b"<PmtInfSts>ACCP</PmtInfSts>") \
        .replace(b"<TxSts>ACCP</TxSts>", b"<TxSts>PDNG</TxSts>")
    assert [(a.kind, a.end_to_end_id) for a in answers("pain002-transactions.xml", content)] == [
        ("rejected", REJECTED)]


def test_notification_bookings_and_returns():
    """The batch debit gives one answer per transaction; the return takes the entry's amount (its only transaction
    has none) and the date of its DtTm; the pending debit, the incoming credit and the NOTPROVIDED fee are skipped."""
    notification = "NTF-20190705-0001"
    assert answers("camt054.xml") == [
        Answer("executed", ACCEPTED, Decimal("4879.17"), "DKK", None, date(2019, 7, 1), 28, notification,
               PAYMENT_INFO),
        Answer("executed", RETURNED, Decimal("2250.00"), "DKK", None, date(2019, 7, 1), 33, notification,
               PAYMENT_INFO),
        Answer("returned", RETURNED, Decimal("2250.00"), "DKK", "AC04 Konto lukket", date(2019, 7, 4), 52,
               notification, PAYMENT_INFO),
    ]


def test_another_namespace_is_refused_naming_the_accepted_ones():
    content = (DATA / "pain002-transactions.xml").read_bytes().replace(b"pain.002.001.10", b"pain.002.001.03")
    assert rejected(content) == [
        ("answer.xml", 2, "Document", "the root element's namespace 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.03' "
         "is not a bank answer read here (urn:iso:std:iso:20022:tech:xsd:pain.002.001.10, "
         "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08)")]


def test_a_schema_violation_is_refused_with_its_line():
    content = (DATA / "pain002-transactions.xml").read_bytes().replace(b"<MsgId>STS-20190701-0001</MsgId>", b"")
    assert rejected(content) == [
        ("answer.xml", 6, "CreDtTm", "Element 'CreDtTm': This element is not expected. Expected is ( MsgId ).")]


def test_a_document_type_declaration_is_refused():
    content = (DATA / "camt054.xml").read_bytes().replace(
        b"?>\n", b'?>\n<!DOCTYPE Document [<!ENTITY bank SYSTEM "file:///etc/passwd">]>\n', 1)
    assert rejected(content) == [
        ("answer.xml", 1, "DOCTYPE", "a document type declaration is not accepted in an intake file (no DTD, "
         "no entities)")]
