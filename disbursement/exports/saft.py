"""SAF-T Financial: the general ledger of one fiscal year as a Standard Audit File for Tax.

Target: the Danish SAF-T Financial file of Erhvervsstyrelsen, schema version 1.0 (namespace
'urn:StandardAuditFile-Taxation-Financial:DK', AuditFileVersion '1.0'), which follows the OECD SAF-T 2.0 element
structure as the Norwegian SAF-T Financial schema does (Header, MasterFiles/GeneralLedgerAccounts,
GeneralLedgerEntries/Journal/Transaction/Line) and types accounts as Asset, Liability, Sale, Expense or Other.
The official XSD is published only on Erhvervsstyrelsen's site, not in any package registry this project can
install from, so it is not used here; instead every file is validated, here and in the tests, against
schemas/saft_dk_financial_1_0_structure.xsd: our own schema of exactly the elements this module writes, in the
order and with the types of the documented structure. docs/exports.md says what that does and does not prove.

Deterministic: ordered by natural keys; AuditFileDateCreated is the last booking date of the year (the date the
file describes the ledger at), not the time of writing; SoftwareVersion is the package version.
"""
from decimal import Decimal
from importlib import metadata
from pathlib import Path

from lxml import etree

from ..money import ZERO
from .year import YearLedger

NAMESPACE = "urn:StandardAuditFile-Taxation-Financial:DK"
AUDIT_FILE_VERSION = "1.0"
STRUCTURE_XSD = Path(__file__).resolve().parent / "schemas" / "saft_dk_financial_1_0_structure.xsd"


class SaftStructureError(AssertionError):
    """The file written does not have the documented structure: a bug here, never the operator's input."""


def software_version() -> str:
    try:
        return metadata.version("disbursement")
    except metadata.PackageNotFoundError:
        return "0"


# SAF-T text types: SAFshorttextType 18, SAFmiddle2textType 70, SAFlongtextType 256 characters.
LIMITS = {"Type": 18, "Name": 70, "JournalID": 70, "TransactionID": 70, "ReferenceNumber": 70, "AccountID": 70,
          "Description": 256, "AccountDescription": 256, "HeaderComment": 256}


def _el(parent, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    if text is not None:
        element.text = text[:LIMITS[tag]] if tag in LIMITS else text
    return element


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _balance(parent, which: str, value: Decimal) -> None:
    """SAF-T states balances as a positive debit or credit amount, never a signed one."""
    if value < 0:
        _el(parent, f"{which}CreditBalance", _amount(-value))
    else:
        _el(parent, f"{which}DebitBalance", _amount(value))


def _header(root, ledger: YearLedger) -> None:
    header = _el(root, "Header")
    _el(header, "AuditFileVersion", AUDIT_FILE_VERSION)
    _el(header, "AuditFileCountry", "DK")
    _el(header, "AuditFileDateCreated", ledger.as_of.isoformat())
    _el(header, "SoftwareCompanyName", "disbursement")
    _el(header, "SoftwareID", "disbursement")
    _el(header, "SoftwareVersion", software_version())
    payer = ledger.payer
    company = _el(header, "Company")
    _el(company, "RegistrationNumber", payer.cvr)
    _el(company, "Name", payer.name)
    address = _el(company, "Address")
    if payer.street:
        _el(address, "StreetName", payer.street)
    if payer.number:
        _el(address, "Number", payer.number)
    _el(address, "City", payer.city)
    _el(address, "PostalCode", payer.postal_code)
    _el(address, "Country", payer.country)
    person = _el(_el(company, "Contact"), "ContactPerson")
    _el(person, "FirstName", payer.contact_first_name)
    _el(person, "LastName", payer.contact_last_name)
    _el(header, "DefaultCurrencyCode", "DKK")
    selection = _el(header, "SelectionCriteria")
    _el(selection, "SelectionStartDate", f"{ledger.year}-01-01")
    _el(selection, "SelectionEndDate", f"{ledger.year}-12-31")
    state = "closed" if ledger.closed else "open"
    _el(header, "HeaderComment", f"General ledger {ledger.year} ({state} fiscal year): state subsidies for "
                                 "inclusion housing, VEJ 9305 of 21/03/2017")
    _el(header, "TaxAccountingBasis", "A")


def _master_files(root, ledger: YearLedger) -> None:
    accounts = _el(_el(root, "MasterFiles"), "GeneralLedgerAccounts")
    for row in ledger.trial_balance.rows:
        account = _el(accounts, "Account")
        _el(account, "AccountID", row.account)
        _el(account, "AccountDescription", row.name)
        _el(account, "AccountType", ledger.chart.saft_type(row.account))
        _balance(account, "Opening", row.opening)
        _balance(account, "Closing", row.closing)


def _entries(root, ledger: YearLedger) -> None:
    entries = _el(root, "GeneralLedgerEntries")
    _el(entries, "NumberOfEntries", str(len(ledger.journals)))
    _el(entries, "TotalDebit", _amount(sum((j.total_debit for j in ledger.journals), ZERO)))
    _el(entries, "TotalCredit", _amount(sum((p.credit for j in ledger.journals for p in j.postings), ZERO)))
    for job in sorted({j.job for j in ledger.journals}):
        journal_element = _el(entries, "Journal")
        _el(journal_element, "JournalID", job)
        _el(journal_element, "Description", f"journals written by the job '{job}'")
        _el(journal_element, "Type", job)
        for j in (j for j in ledger.journals if j.job == job):
            transaction = _el(journal_element, "Transaction")
            _el(transaction, "TransactionID", j.key)
            _el(transaction, "Period", str(j.booked_on.month))
            _el(transaction, "PeriodYear", str(j.booked_on.year))
            _el(transaction, "TransactionDate", j.booked_on.isoformat())
            description = j.description
            if j.corrects:
                description += f"; corrects {j.corrects}"
            if j.corrects_year:
                description += f"; corrects fiscal year {j.corrects_year}"
            _el(transaction, "Description", description)
            _el(transaction, "SystemEntryDate", j.booked_on.isoformat())
            _el(transaction, "GLPostingDate", j.booked_on.isoformat())
            for number, p in enumerate(j.postings, start=1):
                line = _el(transaction, "Line")
                _el(line, "RecordID", str(number))
                _el(line, "AccountID", p.account)
                _el(line, "ValueDate", j.job_date.isoformat())
                text = f"{p.component}: {p.line}"
                if p.recipient_account:
                    text += f" (recipient {p.recipient_cvr}: {p.recipient_account} note {p.recipient_note}, " \
                            f"{p.recipient_book} books)"
                _el(line, "Description", text)
                side = _el(line, "DebitAmount" if p.amount >= 0 else "CreditAmount")
                _el(side, "Amount", _amount(abs(p.amount)))
                _el(line, "ReferenceNumber", p.line)


def check_structure(content: bytes) -> None:
    schema = etree.XMLSchema(etree.parse(str(STRUCTURE_XSD)))
    document = etree.fromstring(content)
    if not schema.validate(document):
        raise SaftStructureError("\n".join(str(error) for error in schema.error_log))


def audit_file(ledger: YearLedger) -> bytes:
    root = etree.Element(f"{{{NAMESPACE}}}AuditFile", nsmap={None: NAMESPACE})
    _header(root, ledger)
    _master_files(root, ledger)
    _entries(root, ledger)
    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    check_structure(content)
    return content


def files(ledger: YearLedger) -> dict[str, bytes]:
    return {f"saft-{ledger.year}.xml": audit_file(ledger)}
