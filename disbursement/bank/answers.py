"""Read the bank's answers to our pain.001 files: what happened to each payment, named by its EndToEndId.

Pure: bytes in, answers out; the caller matches them to payment runs. The file goes through the intake's parser
(UTF-8 only, no DOCTYPE) and is validated against the unmodified ISO 20022 schema its root namespace names
(schemas/README.md), so every problem is a RejectedFile with a line.

pain.002.001.10 (status report on one pain.001): the most specific status given decides, the transaction's TxSts,
else its OrgnlPmtInfAndSts/PmtInfSts, else OrgnlGrpInfAndSts/GrpSts. RJCT is 'rejected', ACCP/ACSC/ACSP/ACTC/ACWC
'accepted'; any other status (PDNG, PART, RCVD...) says nothing final yet and gives no answer. A reject of a
whole payment information (PmtInfSts RJCT without TxInfAndSts) or of the whole file (GrpSts RJCT without
OrgnlPmtInfAndSts) names no EndToEndId: it comes as one answer with end_to_end_id '' and message_id (OrgnlMsgId),
payment_info_id (OrgnlPmtInfId; None for the whole file) set, which the caller expands to the run's payments. An
acceptance at those levels is not expanded: only a reject needs acting on before the booking.

camt.054.001.08 (debit/credit notification): only booked entries (Sts/Cd BOOK) count, one answer per TxDtls:
a debit is our payment 'executed'; a credit with RtrInf (or bank transaction code PMNT/ICDT/RRTN) is our payment
'returned'. Pending entries and credits without return information are not answers to our payments and are
skipped, as are transactions without an EndToEndId or with 'NOTPROVIDED'.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from lxml import etree

from ..intake.errors import Problem, RejectedFile
from ..intake.xml import local, parse, validate

PAIN002 = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"
CAMT054 = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"
_SCHEMAS = Path(__file__).resolve().parent / "schemas"
SCHEMAS = {PAIN002: _SCHEMAS / "pain.002.001.10.xsd", CAMT054: _SCHEMAS / "camt.054.001.08.xsd"}
ACCEPTED = {"ACCP", "ACSC", "ACSP", "ACTC", "ACWC"}
RETURN_CODE = ("PMNT", "ICDT", "RRTN")
UNNAMED = (None, "", "NOTPROVIDED")  # EndToEndIds that name no payment of ours


@dataclass(frozen=True)
class Answer:
    """What the bank says about one payment; end_to_end_id '' for a reject of a whole payment information or file
    (see above). message_id is our OrgnlMsgId in a pain.002, the notification's own GrpHdr/MsgId in a camt.054;
    line is that of the element the answer comes from."""
    kind: Literal["accepted", "rejected", "executed", "returned"]
    end_to_end_id: str
    amount: Decimal | None
    currency: str | None
    reason: str | None
    booking_date: date | None
    line: int
    message_id: str | None
    payment_info_id: str | None


def parse_answer(name: str, content: bytes) -> list[Answer]:
    """The answers in one pain.002.001.10 or camt.054.001.08 file, in document order; RejectedFile otherwise."""
    root = parse(name, content)
    namespace = etree.QName(root).namespace
    if namespace not in SCHEMAS:
        raise RejectedFile([Problem(name, root.sourceline, local(root), f"the root element's namespace {namespace!r} "
                                    f"is not a bank answer read here ({', '.join(SCHEMAS)})")])
    validate(name, root, SCHEMAS[namespace], namespace)
    return answers_of(root)


def answers_of(root: etree._Element) -> list[Answer]:
    """The answers of a parsed and validated pain.002.001.10 or camt.054.001.08 document."""
    namespace = etree.QName(root).namespace
    ns = {None: namespace}
    return _status_report(root, ns) if namespace == PAIN002 else _notification(root, ns)


def _status_report(root: etree._Element, ns: dict) -> list[Answer]:
    group = root.find("CstmrPmtStsRpt/OrgnlGrpInfAndSts", ns)
    message_id = _text(group, "OrgnlMsgId", ns)
    payments = root.findall("CstmrPmtStsRpt/OrgnlPmtInfAndSts", ns)
    if not payments:
        kind, reason = _status([(group, "GrpSts")], ns)
        return [Answer("rejected", "", None, None, reason, None, group.sourceline, message_id, None)] \
            if kind == "rejected" else []
    answers = []
    for payment in payments:
        payment_info_id = _text(payment, "OrgnlPmtInfId", ns)
        levels = [(payment, "PmtInfSts"), (group, "GrpSts")]
        transactions = payment.findall("TxInfAndSts", ns)
        if not transactions:
            kind, reason = _status(levels, ns)
            if kind == "rejected":
                answers.append(Answer(kind, "", None, None, reason, None, payment.sourceline, message_id,
                                      payment_info_id))
        for transaction in transactions:
            end_to_end_id = _text(transaction, "OrgnlEndToEndId", ns)
            kind, reason = _status([(transaction, "TxSts"), *levels], ns)
            if kind and end_to_end_id not in UNNAMED:
                amount = transaction.find("OrgnlTxRef/Amt/InstdAmt", ns)
                answers.append(Answer(kind, end_to_end_id, *_money(amount), reason, None, transaction.sourceline,
                                      message_id, payment_info_id))
    return answers


def _status(levels: list[tuple[etree._Element, str]], ns: dict) -> tuple[str | None, str | None]:
    """The kind the most specific given status means (None: nothing final), with the most specific reason given
    at that level or below it."""
    reason = None
    for element, tag in levels:
        reason = reason or _reason(element.findall("StsRsnInf", ns), ns)
        status = _text(element, tag, ns)
        if status:
            return "rejected" if status == "RJCT" else "accepted" if status in ACCEPTED else None, reason
    return None, None


def _notification(root: etree._Element, ns: dict) -> list[Answer]:
    message_id = _text(root, "BkToCstmrDbtCdtNtfctn/GrpHdr/MsgId", ns)
    answers = []
    for entry in root.iterfind("BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry", ns):
        if _text(entry, "Sts/Cd", ns) != "BOOK":
            continue
        booked = entry.find("BookgDt/*", ns)  # Dt or DtTm: the date as the bank wrote it
        booking_date = date.fromisoformat(booked.text.strip()[:10]) if booked is not None else None
        transactions = entry.findall("NtryDtls/TxDtls", ns)
        for transaction in transactions:
            end_to_end_id = _text(transaction, "Refs/EndToEndId", ns)
            kind = _booked_kind(entry, transaction, ns)
            if kind is None or end_to_end_id in UNNAMED:
                continue
            amount = transaction.find("Amt", ns)
            if amount is None and len(transactions) == 1:
                amount = entry.find("Amt", ns)
            reason = _reason(transaction.findall("RtrInf", ns), ns) if kind == "returned" else None
            payment_info_id = _text(transaction, "Refs/PmtInfId", ns) or _text(transaction.getparent(),
                                                                                "Btch/PmtInfId", ns)
            answers.append(Answer(kind, end_to_end_id, *_money(amount), reason, booking_date,
                                  transaction.sourceline, message_id, payment_info_id))
    return answers


def _booked_kind(entry: etree._Element, transaction: etree._Element, ns: dict) -> str | None:
    """'executed' for a debit, 'returned' for a credit that says it is a return; the transaction's own
    CdtDbtInd, where given, wins over the entry's (a batch may mix them)."""
    if (_text(transaction, "CdtDbtInd", ns) or _text(entry, "CdtDbtInd", ns)) == "DBIT":
        return "executed"
    codes = {tuple(_text(code, path, ns) for path in ("Domn/Cd", "Domn/Fmly/Cd", "Domn/Fmly/SubFmlyCd"))
             for code in (transaction.find("BkTxCd", ns), entry.find("BkTxCd", ns)) if code is not None}
    return "returned" if transaction.find("RtrInf", ns) is not None or RETURN_CODE in codes else None


def _reason(infos: list[etree._Element], ns: dict) -> str | None:
    """'AC04 closed account': Rsn/(Cd|Prtry) and AddtlInf of each StsRsnInf (pain.002) or RtrInf (camt.054)."""
    parts = [" ".join(filter(None, [_text(info, "Rsn/Cd", ns) or _text(info, "Rsn/Prtry", ns),
                                    *(" ".join((extra.text or "").split()) for extra in info.findall("AddtlInf", ns))]))
             for info in infos]
    return "; ".join(part for part in parts if part) or None


def _money(amount: etree._Element | None) -> tuple[Decimal | None, str | None]:
    return (None, None) if amount is None else (Decimal(amount.text.strip()), amount.get("Ccy"))


def _text(element: etree._Element, path: str, ns: dict) -> str | None:
    text = element.findtext(path, namespaces=ns)
    return None if text is None else text.strip()
