"""Load the bank's answers (pain.002.001.10, camt.054.001.08) against the payment runs released to it.

Each answer is matched by EndToEndId to a payment of a released run (a reject of a whole payment information or
file to each of its payments, read from the run's own file) and checked before anything is kept: an unknown
EndToEndId, an amount other than the payment's, a second answer of the same kind for a payment, or one that
contradicts an earlier answer (a rejected payment executed, an executed one rejected) is a located problem and
nothing of the file is loaded. A file loaded twice is a no-op, as every file (intake/load.py). What the answers
change on the bank is booked with them (bank/settlement.py).
"""
from datetime import date
from decimal import Decimal
from pathlib import Path

from lxml import etree
from sqlmodel import Session, select

from ..config import Config
from ..engine.scheme import IntakeReader
from ..exports.pain001 import NAMESPACE as PAIN001, end_to_end_id
from ..intake.errors import Problem
from ..store.tables import BankAnswer, IntakeFile, Payment, PaymentRun, PaymentRunAction
from .answers import CAMT054, PAIN002, SCHEMAS, Answer, answers_of
from .settlement import BankEvent, book_bank_events

# Kinds that may not follow each other for one payment (the second is refused).
CONTRADICTS = {"rejected": {"executed", "returned"}, "executed": {"rejected"}, "returned": {"rejected"}}


def _released(session: Session) -> tuple[dict[str, Payment], dict[str, dict[str | None, list[str]]]]:
    """Payments of released runs by EndToEndId; and per run's MsgId, per PmtInfId (None: all), their EndToEndIds."""
    released = select(PaymentRunAction.run_id).where(PaymentRunAction.action == "released")
    by_id: dict[str, Payment] = {}
    files: dict[str, dict[str | None, list[str]]] = {}
    for run in session.exec(select(PaymentRun).where(PaymentRun.id.in_(released))):
        ns = {"p": PAIN001}
        document = etree.fromstring(run.content)
        infos = {info.findtext("p:PmtInfId", namespaces=ns): info.xpath("p:CdtTrfTxInf/p:PmtId/p:EndToEndId/text()",
                                                                         namespaces=ns)
                 for info in document.iterfind(".//p:PmtInf", ns)}
        files[document.findtext(".//p:GrpHdr/p:MsgId", namespaces=ns)] = {
            None: [e for ids in infos.values() for e in ids], **infos}
        for payment in session.exec(select(Payment).where(Payment.journal_id == run.journal_id)):
            by_id[end_to_end_id(payment.key)] = payment
    return by_id, files


def stage_answers(session: Session, name: str, root: etree._Element, file_id: int, config: Config,
                  today: date) -> list[Problem]:
    problems: list[Problem] = []
    by_id, files = _released(session)
    earlier: dict[int, set[str]] = {}
    for answer in session.exec(select(BankAnswer)):
        earlier.setdefault(answer.payment_id, set()).add(answer.kind)
    rows, events = [], []
    for answer in answers_of(root):
        for end_to_end in _named(answer, files, name, problems):
            payment = by_id.get(end_to_end)
            problem = _check(answer, end_to_end, payment, earlier)
            if problem:
                problems.append(Problem(name, answer.line, "EndToEndId", problem))
                continue
            earlier.setdefault(payment.id, set()).add(answer.kind)
            rows.append(BankAnswer(payment_id=payment.id, kind=answer.kind, reason=answer.reason,
                                   booking_date=answer.booking_date, file_id=file_id, line=answer.line))
            events.append(BankEvent(payment, answer.kind, answer.booking_date or today))
    if not problems:
        session.add_all(rows)
        book_bank_events(session, config, events, Path(name).name, session.get(IntakeFile, file_id).loaded_at)
    return problems


def _named(answer: Answer, files: dict, name: str, problems: list[Problem]) -> list[str]:
    """The EndToEndIds an answer is about: its own, or those of the payment information or file it rejects."""
    if answer.end_to_end_id:
        return [answer.end_to_end_id]
    run = files.get(answer.message_id)
    if run is None or answer.payment_info_id not in run:
        what = f"payment information {answer.payment_info_id} of " if answer.payment_info_id else ""
        problems.append(Problem(name, answer.line, "OrgnlMsgId",
                                f"{what}message {answer.message_id} is not a released payment run's"))
        return []
    return run[answer.payment_info_id]


def _check(answer: Answer, end_to_end: str, payment: Payment | None, earlier: dict[int, set[str]]) -> str | None:
    if payment is None:
        return f"{end_to_end} is not a payment of a released payment run"
    if answer.amount is not None and Decimal(answer.amount) != payment.amount:
        return f"{end_to_end} ({payment.key}): {answer.amount} is not the payment's amount {payment.amount}"
    known = earlier.get(payment.id, set())
    if answer.kind in known:
        return f"{end_to_end} ({payment.key}) already has the answer '{answer.kind}'"
    contradicted = sorted(known & CONTRADICTS.get(answer.kind, set()))
    if contradicted:
        return f"{end_to_end} ({payment.key}) was {contradicted[0]} before: it cannot be {answer.kind}"
    return None


READERS = (IntakeReader(PAIN002, SCHEMAS[PAIN002], stage_answers), IntakeReader(CAMT054, SCHEMAS[CAMT054], stage_answers))
