"""Beancount v3: the ledger of one fiscal year as a file `bean-check` accepts.

Built from beancount's own entry types (Open, Transaction, Balance) and printed with beancount's printer, so the
syntax is the library's, not ours. The file opens every account of the chart on 1 January, carries the opening
balances from the trial balance in one opening transaction, holds one transaction per journal (linked to the
journal it corrects), and ends with a balance assertion per account on 1 January of the next year: bean-check
then proves that the postings add up to the closing balances of the trial balance, and that every transaction
balances.
"""
from datetime import date

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser import printer

from .year import YearLedger

CURRENCY = "DKK"


def _meta(**values) -> dict:
    meta = data.new_metadata("<disbursement>", 0)
    meta.update({key: value for key, value in values.items() if value is not None})
    return meta


def _link(key: str) -> str:
    return key.replace(":", "-")


def entries(ledger: YearLedger) -> list:
    chart, start = ledger.chart, date(ledger.year, 1, 1)
    name = chart.beancount_account
    rows = ledger.trial_balance.rows
    out: list = [data.Open(_meta(number=r.account, description=r.name), start, name(r.account), [CURRENCY], None)
                 for r in rows]
    opening = [r for r in rows if r.opening]
    if opening:
        out.append(data.Transaction(
            _meta(), start, "*", None, f"opening balances {ledger.year} (carried from earlier years)",
            frozenset({"opening"}), frozenset(),
            [data.Posting(name(r.account), Amount(r.opening, CURRENCY), None, None, None, None) for r in opening],
        ))
    for j in ledger.journals:
        links = {_link(j.key)} | ({_link(j.corrects)} if j.corrects else set())
        postings = [
            data.Posting(name(p.account), Amount(p.amount, CURRENCY), None, None, None, _meta(
                line=p.line, component=p.component, grant=p.grant_id, department=p.department,
                recipient=p.recipient_cvr, recipient_account=p.recipient_account,
                recipient_note=p.recipient_note, recipient_book=p.recipient_book))
            for p in j.postings
        ]
        out.append(data.Transaction(
            _meta(journal=j.key, job_date=j.job_date, corrects=j.corrects,
                  corrects_year=str(j.corrects_year) if j.corrects_year else None),
            j.booked_on, "*", None, j.description, frozenset(), frozenset(links), postings))
    end = date(ledger.year + 1, 1, 1)
    out += [data.Balance(_meta(), end, name(r.account), Amount(r.closing, CURRENCY), None, None) for r in rows]
    return out


def render(ledger: YearLedger) -> str:
    state = "closed" if ledger.closed else "open"
    head = [
        f"; General ledger {ledger.year} ({state} fiscal year) of {ledger.payer.name}: state subsidies for",
        "; inclusion housing (VEJ 9305 of 21/03/2017). Written by disbursement; check with `bean-check FILE`.",
        f'option "title" "Inklusionsboliger {ledger.year}"',
        f'option "operating_currency" "{CURRENCY}"',
        "",
    ]
    return "\n".join(head) + "\n" + "\n".join(printer.format_entry(e) for e in entries(ledger))


def files(ledger: YearLedger) -> dict[str, bytes]:
    return {f"ledger-{ledger.year}.beancount": render(ledger).encode("utf-8")}
