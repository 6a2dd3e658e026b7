"""CSV: the general ledger of the year, and one posting file per housing organisation (V 11: the account, note
and book each amount belongs in, in the organisation's own accounts). Danish conventions: danish_csv.py.
"""
from ..ledger.journals import JournalEntry, PostingEntry
from .danish_csv import amount as danish_amount
from .danish_csv import csv_bytes as _csv
from .year import YearLedger

GENERAL_LEDGER = ("journal", "booked_on", "job", "job_date", "corrects", "corrects_year", "description", "line",
                  "component", "account", "account_name", "debit", "credit", "grant", "department", "recipient",
                  "recipient_account", "recipient_note", "recipient_book")
RECIPIENT_POSTINGS = ("book", "department", "department_name", "account", "note", "amount", "date", "reference",
                      "grant", "journal", "text")


def _general_ledger_row(ledger: YearLedger, j: JournalEntry, p: PostingEntry) -> list[str]:
    return [j.key, j.booked_on.isoformat(), j.job, j.job_date.isoformat(), j.corrects or "",
            str(j.corrects_year or ""), j.description, p.line, p.component, p.account,
            ledger.chart.get(p.account).name, danish_amount(p.debit) if p.debit else "",
            danish_amount(p.credit) if p.credit else "", p.grant_id or "", p.department or "",
            p.recipient_cvr or "", p.recipient_account or "", p.recipient_note or "", p.recipient_book or ""]


def files(ledger: YearLedger) -> dict[str, bytes]:
    out = {f"general-ledger-{ledger.year}.csv": _csv(GENERAL_LEDGER, [
        _general_ledger_row(ledger, j, p) for j in ledger.journals for p in j.postings])}
    by_recipient: dict[str, list[list[str]]] = {}
    for j in ledger.journals:
        for p in j.postings:
            recipient = ledger.recipients.get(p.recipient_cvr or "")
            if p.recipient_account is None or recipient is None or recipient.kind != "organisation":
                continue  # bank and claim postings, and refunds to municipalities: not in any organisation's books
            by_recipient.setdefault(recipient.id, []).append([
                p.recipient_book or "", p.department or "", p.department_name or "", p.recipient_account,
                p.recipient_note or "", danish_amount(p.amount), j.booked_on.isoformat(), p.line, p.grant_id or "",
                j.key, f"{p.component}: {j.description}"])
    for cvr, rows in sorted(by_recipient.items()):
        out[f"postings-{ledger.year}-{cvr}.csv"] = _csv(RECIPIENT_POSTINGS, rows)
    return out
