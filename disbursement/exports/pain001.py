"""ISO 20022 customer credit transfer initiation, pain.001.001.09: one file per payment run.

A payment run is the payments of one journal: what one run of one job decided to pay. A journal never changes
once written, so neither does its file, and a later correction is a new journal with its own file holding only
the difference; a file already sent is never rewritten to include more (docs/exports.md discusses the choice).

Identifiers, all derived from the data so a re-export is byte-identical and a re-sent file is recognisable:
- MsgId: the journal's job, job date and sequence ('aconto-20190628-1'); banks reject a message id twice;
- PmtInfId: MsgId plus the execution date;
- EndToEndId: 'INKL' + the first 31 hex digits (upper case) of SHA-256 of the payment's idempotency key (e.g.
  'rent/2019-06-28/G1/12#1'), 35 characters, the Max35Text limit; the key itself goes in the remittance text;
- CreDtTm: the job date at 00:00:00, not the moment the file was written.
The creditor's name and account are those in force on the payment's value date (master-data decisions, ledger.journals
Recipient.on): a changed account pays from its effective date on, and a file of earlier payments stays as it was.
Recipients' accounts are validated with schwifty (IBAN check digits and the country's BBAN format; a 14-digit
Danish BBAN, reg. no. + account no., is turned into its IBAN). A payment to a recipient without a valid account
stops the export, naming the recipient and the payments.
"""
import hashlib
import unicodedata
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Callable

from lxml import etree
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from ..config import ConfigError, Payer
from ..ledger.errors import LedgerInputError
from ..ledger.journals import JournalEntry, MoneyEntry, Recipient
from ..money import ZERO
from .year import YearLedger

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
CURRENCY = "DKK"
SUPPORT_TEXT = {
    "rent_subsidy": "huslejetilskud",
    "social_support": "tilskud sociale stoettefunktioner",
    "conversion_grant": "tilskud ombygning",
    "loss_refund": "refusion tab ved fraflytning",
    "temporary_rent": "midlertidigt huslejetilskud",
}
# The scheme named after the support in the remittance text; inclusion housing unless listed here.
SCHEME_TEXT = {"temporary_rent": "midlertidige boliger"}


def end_to_end_id(payment_key: str) -> str:
    return "INKL" + hashlib.sha256(payment_key.encode("utf-8")).hexdigest()[:31].upper()


def message_id(journal: JournalEntry) -> str:
    readable = f"{journal.job}-{journal.job_date:%Y%m%d}-{journal.seq}"
    return readable if len(readable) <= 35 else "INKL" + hashlib.sha256(journal.key.encode()).hexdigest()[:31]


def account_iban(account: str | None) -> str:
    """The IBAN of an account given as an IBAN or as a Danish BBAN (reg. no. + account no., 14 digits)."""
    compact = "".join((account or "").split()).upper()
    if not compact:
        raise ValueError("no bank account in the register")
    try:
        if compact.isdigit() and len(compact) == 14:
            return IBAN.from_bban("DK", compact).compact
        return IBAN(compact).compact
    except SchwiftyException as exc:
        raise ValueError(f"account {account!r} is not a valid IBAN or Danish BBAN ({exc})") from None


Creditors = dict[tuple[str, date], tuple[Recipient, str]]


def creditors_of(journals, recipients: dict[str, Recipient], label: str,
                 paid_on: Callable[[date], date] = lambda day: day) -> Creditors:
    """Per recipient and value date of every payment of `journals`: the recipient as its master data stood on the
    day the money goes (`paid_on` the value date: the value date itself in the year's archive, the requested
    execution date in a payment run) and its IBAN: a changed account pays from its effective date on, and a
    payment paid again after a return goes to the account in force then. Every problem is reported at once, one
    line each, beginning with `label`."""
    payments: dict[tuple[str, date], list[str]] = defaultdict(list)
    for journal in journals:
        for payment in journal.payments:
            payments[(payment.recipient_cvr, payment.day)].append(payment.key)
    creditors: Creditors = {}
    problems: dict[tuple[str, str], list[str]] = defaultdict(list)  # (recipient, problem) -> payments it stops
    for (cvr, day), keys in sorted(payments.items()):
        registered = recipients.get(cvr)
        recipient = registered.on(paid_on(day)) if registered else None
        try:
            if recipient is None:
                raise ValueError("not in the register")
            creditors[(cvr, day)] = (recipient, account_iban(recipient.account))
        except ValueError as exc:
            problems[(f"{recipient.name} ({recipient.kind} {cvr})" if recipient else cvr, str(exc))] += keys
    if problems:
        raise LedgerInputError("\n".join(
            f"{label}: recipient {name}: {problem}; cannot pay "
            + ", ".join(keys[:3]) + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")
            for (name, problem), keys in problems.items()))
    return creditors


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _el(parent, tag: str, text: str | None = None, **attrib) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attrib)
    if text is not None:
        element.text = text
    return element


DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
BASIC_LATIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")


def basic_latin(text: str) -> str:
    """The text in the basic Latin set of ISO 20022 usage rules, for a bank that takes nothing else: Danish letters
    spelt out, other accents dropped (NFKD), any other character a space."""
    decomposed = unicodedata.normalize("NFKD", text.translate(DANISH))
    return "".join(c if c in BASIC_LATIN else " " for c in decomposed if not unicodedata.combining(c))


def _party(parent, tag: str, name: str, cvr: str | None) -> None:
    party = _el(parent, tag)
    _el(party, "Nm", name[:140])
    if cvr:
        other = _el(_el(_el(party, "Id"), "OrgId"), "Othr")
        _el(other, "Id", cvr)
        _el(_el(other, "SchmeNm"), "Prtry", "CVR")


def payment_run(payer: Payer, journal: JournalEntry, creditors: Creditors,
                execution: Callable[[date], date] = lambda day: day) -> bytes:
    """The journal's payments as one pain.001 message, one PmtInf per requested execution date (`execution` maps a
    payment's value date to it: the value date itself in the year's archive, never a day before the file is made in
    a payment run for transmission, exports/payment_runs.py)."""
    try:
        debtor_iban = IBAN("".join(payer.iban.split())).compact
    except SchwiftyException as exc:
        raise ConfigError(f"payer.toml: iban {payer.iban!r} is not valid ({exc})") from None
    total = sum((p.amount for p in journal.payments), ZERO)
    if any(p.amount <= 0 for p in journal.payments):
        raise LedgerInputError(f"pain001: journal {journal.key} has a payment that is not positive")
    msg_id = message_id(journal)
    root = etree.Element(f"{{{NAMESPACE}}}Document", nsmap={None: NAMESPACE})
    initiation = _el(root, "CstmrCdtTrfInitn")
    header = _el(initiation, "GrpHdr")
    _el(header, "MsgId", msg_id)
    _el(header, "CreDtTm", f"{journal.job_date.isoformat()}T00:00:00")
    _el(header, "NbOfTxs", str(len(journal.payments)))
    _el(header, "CtrlSum", _money(total))
    def written(text: str) -> str:
        return basic_latin(text) if payer.charset == "basic-latin" else text

    _party(header, "InitgPty", written(payer.name), payer.cvr)
    by_date: dict[date, list[MoneyEntry]] = defaultdict(list)
    for payment in journal.payments:
        by_date[execution(payment.day)].append(payment)
    for day, payments in sorted(by_date.items()):
        info = _el(initiation, "PmtInf")
        _el(info, "PmtInfId", f"{msg_id[:26]}-{day:%Y%m%d}")
        _el(info, "PmtMtd", "TRF")
        _el(info, "BtchBookg", "false")
        _el(info, "NbOfTxs", str(len(payments)))
        _el(info, "CtrlSum", _money(sum((p.amount for p in payments), ZERO)))
        _el(_el(info, "ReqdExctnDt"), "Dt", day.isoformat())
        _party(info, "Dbtr", written(payer.name), payer.cvr)
        account = _el(info, "DbtrAcct")
        _el(_el(account, "Id"), "IBAN", debtor_iban)
        _el(account, "Ccy", CURRENCY)
        agent = _el(_el(info, "DbtrAgt"), "FinInstnId")
        if payer.bic:
            _el(agent, "BICFI", payer.bic)
        else:
            _el(_el(agent, "Othr"), "Id", "NOTPROVIDED")
        for payment in sorted(payments, key=lambda p: p.key):
            recipient, iban = creditors[(payment.recipient_cvr, payment.day)]
            transfer = _el(info, "CdtTrfTxInf")
            _el(_el(transfer, "PmtId"), "EndToEndId", end_to_end_id(payment.key))
            _el(_el(transfer, "Amt"), "InstdAmt", _money(payment.amount), Ccy=CURRENCY)
            _party(transfer, "Cdtr", written(recipient.name), recipient.id if recipient.id.isdigit() else None)
            _el(_el(_el(transfer, "CdtrAcct"), "Id"), "IBAN", iban)
            text = (f"{payment.key} {SUPPORT_TEXT.get(payment.support, payment.support)} "
                    f"{SCHEME_TEXT.get(payment.support, 'inklusionsboliger')}")
            _el(_el(transfer, "RmtInf"), "Ustrd", written(text)[:140])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def file_name(journal: JournalEntry) -> str:
    """'pain001-2019-aconto-2019-06-28-1.xml': the fiscal year the run is booked in, then the journal's key."""
    return f"pain001-{journal.booked_on.year}-{journal.job}-{journal.job_date.isoformat()}-{journal.seq}.xml"


def files(ledger: YearLedger) -> dict[str, bytes]:
    creditors = creditors_of(ledger.journals, ledger.recipients, f"pain001 {ledger.year}")
    return {file_name(j): payment_run(ledger.payer, j, creditors) for j in ledger.journals if j.payments}
