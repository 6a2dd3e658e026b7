"""Payment advice (udbetalingsspecifikation, issue 16): for each recipient of a payment run, what it is paid, per
grant and department, on which account and note it books it (V 11: 303.1; 105.9 with note 102.4/104.4; 602 note
pkt. 26) and why, in brief: the amounts the payment is made of. A printable, self-contained HTML page (no scripts,
no network) and a CSV file per recipient. Danish first (labels, and numbers and dates by Babel: 13.260,00 kr.,
4. april 2018); English with `--lang en`.

The recipient and its account are those in force on the requested execution date, as in the run's pain.001 file.
Each payment is explained by its line's postings in the run's journal; what they do not cover (a payment made again
after the bank rejected or returned the first) is shown as its own part, so the parts always sum to the payment.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from lxml.html import builder as E
from lxml.html import tostring
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..config import Config
from ..engine.errors import UsageError
from ..ledger.invariants import is_expense
from ..ledger.journals import Recipient, load_journals, load_recipients
from ..money import ZERO
from ..store.tables import Payment, PaymentRun, Posting
from .danish_csv import amount as csv_amount, csv_bytes
from .language import component, long_date, money as _money, support
from .pain001 import end_to_end_id
from .payment_runs import execution_date

TEXT = {
    "da": {
        "title": "Udbetalingsspecifikation", "run": "Betalingskørsel", "payer": "Udbetaler", "recipient": "Modtager",
        "account": "Konto", "executed": "Udbetales", "total": "I alt", "payment": "Betaling", "grant": "Tilsagn",
        "department": "Afdeling", "support": "Tilskud", "books": "Bogføres på", "why": "Består af", "amount": "Beløb",
        "reissue": "udbetalt igen", "book_department": "afdelingens regnskab", "book_organisation":
        "organisationens regnskab", "none": "(ikke i modtagerens regnskab)", "note": "note",
    },
    "en": {
        "title": "Payment advice", "run": "Payment run", "payer": "Payer", "recipient": "Recipient",
        "account": "Account", "executed": "Paid on", "total": "Total", "payment": "Payment", "grant": "Grant",
        "department": "Department", "support": "Support", "books": "Booked on", "why": "Made of", "amount": "Amount",
        "reissue": "paid again", "book_department": "the department's accounts", "book_organisation":
        "the organisation's accounts", "none": "(not in the recipient's accounts)", "note": "note",
    },
}


@dataclass(frozen=True)
class AdviceLine:
    payment_key: str
    end_to_end_id: str
    grant_id: str | None
    department: str | None
    support: str
    booked_on: tuple[str | None, str | None, str | None]  # the recipient's account, note and book
    parts: tuple[tuple[str, Decimal], ...]  # what the payment is made of; they sum to `amount`
    amount: Decimal


@dataclass(frozen=True)
class Advice:
    run_key: str
    payer: str
    recipient: Recipient  # as in force on the execution date
    executed: date
    lines: tuple[AdviceLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def advices(engine: Engine, config: Config, run_key: str, payer: str) -> list[Advice]:
    """One advice per recipient of the run, by recipient id."""
    with Session(engine) as session:
        run = session.exec(select(PaymentRun).where(PaymentRun.key == run_key)).first()
        if run is None:
            raise UsageError(f"no payment run {run_key!r}; `disbursement payment-runs` lists them")
        journal = load_journals(session, config, ids={run.journal_id})[0]
        recipients = load_recipients(session, config)
        reissued = {p.key: p.reissue_of for p in session.exec(select(Payment).where(Payment.journal_id == run.journal_id))}
        first_keys = {p.id: p.key for p in session.exec(select(Payment).where(
            Payment.id.in_([v for v in reissued.values() if v is not None])))}
        # where each line is booked in the recipient's accounts, from any of its journals (a re-issue books no
        # expense of its own)
        booked_on = {line: (account, note, book) for line, account, note, book in session.exec(
            select(Posting.line, Posting.recipient_account, Posting.recipient_note, Posting.recipient_book)
            .where(Posting.line.in_(sorted({p.line for p in journal.payments})), Posting.recipient_account.is_not(None))
            .order_by(Posting.id))}  # the latest booking of a line wins (they agree)
    by_recipient: dict[str, list[AdviceLine]] = {}
    executed: dict[str, date] = {}
    for payment in sorted(journal.payments, key=lambda p: p.key):
        postings = [p for p in journal.postings if p.line == payment.line and is_expense(p.component)]
        parts = [(p.component, p.amount) for p in postings]
        rest = payment.amount - sum((amount for _, amount in parts), ZERO)
        if rest:
            first = first_keys.get(reissued.get(payment.key))
            parts.append((f"reissue {first}" if first else "earlier bookings", rest))
        booked = booked_on.get(payment.line, (None, None, None))
        by_recipient.setdefault(payment.recipient_cvr, []).append(AdviceLine(
            payment.key, end_to_end_id(payment.key), payment.grant_id, payment.department, payment.support, booked,
            tuple(parts), payment.amount))
        executed[payment.recipient_cvr] = execution_date(payment.day, run.generated_on, config)
    return [Advice(run_key, payer, recipients[cvr].on(executed[cvr]), executed[cvr], tuple(lines))
            for cvr, lines in sorted(by_recipient.items())]


def _part(name: str, lang: str) -> str:
    if name.startswith("reissue "):
        return f"{TEXT[lang]['reissue']} ({name.removeprefix('reissue ')})"
    return component(name, lang)


def _booked_on(line: AdviceLine, lang: str) -> str:
    account, note, book = line.booked_on
    if account is None:
        return TEXT[lang]["none"]
    return f"{account}, {TEXT[lang]['note']} {note}, {TEXT[lang][f'book_{book}']}"


STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; } dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; table-layout: fixed; }
th, td { border-bottom: 1px solid #ccc; padding: 0.3rem 0.4rem; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
td.amount, th.amount { text-align: right; white-space: nowrap; width: 9rem; }
ul { margin: 0; padding-left: 1rem; } tfoot td { font-weight: 600; border-bottom: none; }
@media print { body { margin: 0; max-width: none; } }
"""


def advice_html(advice: Advice, lang: str) -> str:
    t = TEXT[lang]
    rows = [E.TR(E.TD(line.payment_key, E.BR(), line.end_to_end_id), E.TD(line.grant_id or ""),
                 E.TD(line.department or ""), E.TD(support(line.support, lang)),
                 E.TD(_booked_on(line, lang)),
                 E.TD(E.UL(*[E.LI(f"{_part(name, lang)}: {_money(amount, lang)}") for name, amount in line.parts])),
                 E.TD(_money(line.amount, lang), E.CLASS("amount")))
            for line in advice.lines]
    head = E.TR(*[E.TH(t[key]) for key in ("payment", "grant", "department", "support", "books", "why")],
                E.TH(t["amount"], E.CLASS("amount")))
    recipient = advice.recipient
    facts = [(t["run"], advice.run_key), (t["payer"], advice.payer),
             (t["recipient"], f"{recipient.name} ({recipient.id})" + (f", {recipient.address}" if recipient.address else "")),
             (t["account"], recipient.account or ""),
             (t["executed"], long_date(advice.executed, lang)),
             (t["total"], _money(advice.total, lang))]
    page = E.HTML(
        E.HEAD(E.META(charset="utf-8"), E.TITLE(f"{t['title']} {advice.run_key} {recipient.id}"), E.STYLE(STYLE)),
        E.BODY(E.H1(f"{t['title']}: {recipient.name}"),
               E.DL(*[element for term, value in facts for element in (E.DT(term), E.DD(value))]),
               E.TABLE(E.THEAD(head), E.TBODY(*rows),
                       E.TFOOT(E.TR(E.TD(t["total"], colspan="6"), E.TD(_money(advice.total, lang), E.CLASS("amount")))))),
        lang=lang)
    return tostring(page, doctype="<!DOCTYPE html>", encoding="unicode", pretty_print=True)


def advice_csv(advice: Advice, lang: str) -> bytes:
    """One row per part of each payment (docs/exports.md conventions); a payment's parts sum to its amount."""
    t = TEXT[lang]
    header = (t["run"], t["payment"], "EndToEndId", t["grant"], t["department"], t["support"], t["books"], t["why"],
              t["amount"], t["executed"])
    rows = [[advice.run_key, line.payment_key, line.end_to_end_id, line.grant_id, line.department,
             support(line.support, lang), _booked_on(line, lang), _part(name, lang),
             csv_amount(amount), advice.executed.isoformat()]
            for line in advice.lines for name, amount in line.parts]
    return csv_bytes(header, rows)


def write_advices(engine: Engine, config: Config, run_key: str, payer: str, out: Path, lang: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for advice in advices(engine, config, run_key, payer):
        stem = f"advice-{run_key.replace('/', '-')}-{advice.recipient.id}"
        (out / f"{stem}.html").write_text(advice_html(advice, lang), encoding="utf-8")
        (out / f"{stem}.csv").write_bytes(advice_csv(advice, lang))
        written += [out / f"{stem}.html", out / f"{stem}.csv"]
    return written
