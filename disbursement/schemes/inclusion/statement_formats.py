"""The recipient statement (statement.py) as people read it (issue 16): text of at most 100 columns, a CSV file for
a spreadsheet and one printable, self-contained HTML page (no scripts, no network); Danish first, English with
`--lang en`. Amounts, numbers and dates go through exports/language.py (1.234,56; 28. juni 2019), each already
rounded half up to øre where it was booked (SPEC 3).

Text and page show the same sections: the recipient, then per grant two tables, one row per department: the year's
rent subsidy (paid on account, entitlement, difference) and the settlement term of the next year (instalment,
offset, paid, claimed), with totals; a year whose actuals are not yet settled says what is pending and when.
The CSV holds the rent subsidy, one row per department and a total row per grant; other payments, claims and
decisions are in the text and the page.
"""
import textwrap
from dataclasses import dataclass
from decimal import Decimal

from lxml.html import builder as E
from lxml.html import tostring

from ...exports.danish_csv import amount as csv_amount, csv_bytes
from ...exports.language import component, long_date, money, number, quarter, support
from ...money import ZERO
from .decision_text import decision_line
from .statement import GrantStatement, Statement

WIDTH = 100  # columns of the text
GAP = 2  # spaces between text columns

# Both languages' labels, with the same keys.
TEXT = {
    "da": {
        "title": "Opgørelse {year}: {name} (CVR {cvr})", "account": "Konto", "no_account": "ingen",
        "changed": "fra {start}{until}: {what} (afgørelse {case} af {decided})", "until": " til {end}",
        "name": "navn", "address": "adresse", "iban": "konto", "history": "Ændringer",
        "grant": "Tilsagn {grant}, kommune {municipality}", "no_grants": "Ingen tilsagn.",
        "year_table": "{support} {year} (V 2.5.2), beløb i kr.",
        "term_table": "Regulering i terminen {date} ({quarter}), beløb i kr.",
        "department": "Afdeling", "on_account": "Udbetalt a conto", "entitlement": "Opgjort tilskud",
        "difference": "Difference", "offset": "Modregnet", "paid": "Udbetalt", "claimed": "Opkrævet",
        "total": "I alt", "pending": "afventer", "grant_id": "Tilsagn", "department_name": "Navn", "year": "År",
        "term": "Termin", "status": "Status",
        "pending_status": "afventer faktisk udlejning ({quarter})",
        "pending_note": "Afventer faktisk udlejning {year}: opgøres med terminen {date} ({quarter}).",
        "transferred": "Tilsagnet er overdraget: a conto, opgjort tilskud og difference er tilsagnets; udbetalt, "
                       "opkrævet og andre udbetalinger og krav er denne organisations.",
        "other_payments": "Andre udbetalinger {year}", "other_claims": "Andre krav {year}",
        "decisions": "Afgørelser om tilsagnet",
    },
    "en": {
        "title": "Statement {year}: {name} (CVR {cvr})", "account": "Account", "no_account": "none",
        "changed": "from {start}{until}: {what} (decision {case} of {decided})", "until": " until {end}",
        "name": "name", "address": "address", "iban": "account", "history": "Changes",
        "grant": "Grant {grant}, municipality {municipality}", "no_grants": "No grants.",
        "year_table": "{support} {year} (V 2.5.2), amounts in DKK",
        "term_table": "Settled with the term of {date} ({quarter}), amounts in DKK",
        "department": "Department", "on_account": "Paid on account", "entitlement": "Entitlement",
        "difference": "Difference", "offset": "Offset", "paid": "Paid", "claimed": "Claimed",
        "total": "Total", "pending": "pending", "grant_id": "Grant", "department_name": "Name", "year": "Year",
        "term": "Term", "status": "Status",
        "pending_status": "awaiting actuals ({quarter})",
        "pending_note": "Awaiting the actuals of {year}: settled with the term of {date} ({quarter}).",
        "transferred": "The grant was transferred: on account, entitlement and difference are the grant's; paid, "
                       "claimed and other payments and claims are this organisation's.",
        "other_payments": "Other payments {year}", "other_claims": "Other claims {year}",
        "decisions": "Decisions on the grant",
    },
}


@dataclass(frozen=True)
class Table:
    """A caption, the figures' headers, one row per department (its name, its figures) and the total; a figure of
    None is pending."""
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Decimal | None, ...]], ...]
    total: tuple[Decimal | None, ...]


def _total(values) -> Decimal | None:
    values = list(values)
    return None if None in values else sum(values, ZERO)


def _table(caption: str, header: tuple[str, ...], grant: GrantStatement, figures) -> Table:
    rows = tuple((f"{d.number} {d.name}", tuple(figures(d))) for d in grant.departments)
    return Table(caption, header, rows, tuple(_total(values[i] for _, values in rows) for i in range(len(header))))


def _term(st: Statement, lang: str) -> dict[str, str]:
    """The settlement term, as the labels name it: '28. juni 2019' and '2. kvt. 2019'."""
    return {"date": long_date(st.settlement_date, lang), "quarter": quarter(st.settlement_date, lang)}


def headers(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The figures of the year and of the settlement term (the instalment named as on the payment advice)."""
    t = TEXT[lang]
    return ((t["on_account"], t["entitlement"], t["difference"]),
            (component("instalment", lang).capitalize(), t["offset"], t["paid"], t["claimed"]))


def tables(st: Statement, grant: GrantStatement, lang: str) -> tuple[Table, Table]:
    """The grant's two tables: the year's rent subsidy, and its settlement with the next year's term."""
    t = TEXT[lang]
    year_header, term_header = headers(lang)
    year = _table(t["year_table"].format(support=support("rent_subsidy", lang), year=st.year), year_header, grant,
                  lambda d: (d.on_account, d.entitlement, d.difference))
    term = _table(t["term_table"].format(**_term(st, lang)), term_header, grant,
                  lambda d: (d.settlement_instalment, d.offset, d.settlement_paid, d.claims))
    return year, term


def notes(st: Statement, grant: GrantStatement, lang: str) -> list[str]:
    """What the tables need said: what is pending and when, and whose figures a transferred grant shows."""
    t = TEXT[lang]
    pending = [] if grant.reconciled else [t["pending_note"].format(year=st.year, **_term(st, lang))]
    return pending + ([t["transferred"]] if grant.transferred else [])


def sections(st: Statement, grant: GrantStatement, lang: str) -> list[tuple[str, list[str]]]:
    """What follows the tables, each under its heading: the year's other payments and claims by support type, and
    the decisions on the grant in the statement's language."""
    t = TEXT[lang]
    others = [(t[key].format(year=st.year), [f"{support(name, lang)}: {money(amount, lang)}"
                                             for name, amount in amounts.items()])
              for key, amounts in (("other_payments", grant.other_payments), ("other_claims", grant.other_claims))]
    decisions = (t["decisions"], [decision_line(d, period, lang) for d, period in grant.decisions])
    return [(heading, lines) for heading, lines in [*others, decisions] if lines]


def title(st: Statement, lang: str) -> str:
    return TEXT[lang]["title"].format(year=st.year, name=st.recipient.name, cvr=st.recipient.id)


def history(st: Statement, lang: str) -> list[str]:
    """Each master-data decision on the recipient since it was registered, with the days it applies."""
    t = TEXT[lang]
    return [t["changed"].format(
        start=long_date(start, lang), until=t["until"].format(end=long_date(end, lang)) if end else "",
        what=", ".join(f"{t[name]} {value}" for name, value in change.changed()),
        case=change.case_ref, decided=long_date(change.decided, lang))
        for start, end, change in st.recipient.history()]


def _figure(value: Decimal | None, lang: str) -> str:
    return TEXT[lang]["pending"] if value is None else number(value, lang, 2)


# text -----------------------------------------------------------------------------------------------------------

def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _text_table(table: Table, width: int, lang: str) -> list[str]:
    """Figures right-aligned in columns of `width`; the department's name wraps in what is left of the line."""
    name_width = WIDTH - len(table.header) * (GAP + width)
    head = TEXT[lang]["department"].ljust(name_width) + "".join(" " * GAP + h.rjust(width) for h in table.header)
    rule = "-" * WIDTH

    def row(name: str, values) -> list[str]:
        first, *rest = textwrap.wrap(name, name_width, subsequent_indent="  ") or [""]
        return [first.ljust(name_width) + "".join(" " * GAP + _figure(v, lang).rjust(width) for v in values), *rest]

    return [*_wrap(table.caption), head, rule, *[line for name, values in table.rows for line in row(name, values)],
            rule, *row(TEXT[lang]["total"], table.total)]


def statement_text(st: Statement, lang: str) -> str:
    """Every line at most WIDTH columns: the figures' columns as wide as the widest figure of the grant."""
    t = TEXT[lang]
    out = [*_wrap(title(st, lang)), *_wrap(f"{t['account']}: {st.recipient.account or t['no_account']}")]
    out += [line for change in history(st, lang) for line in _wrap(change, "  ")]
    if not st.grants:
        out += ["", t["no_grants"]]
    for grant in st.grants:
        year, term = tables(st, grant, lang)
        cells = [_figure(v, lang) for table in (year, term) for _, values in (*table.rows, ("", table.total))
                 for v in values]
        width = max(len(text) for text in cells + list(year.header + term.header))
        out += ["", *_wrap(t["grant"].format(grant=grant.grant_id, municipality=grant.municipality)), ""]
        out += _text_table(year, width, lang) + [""] + _text_table(term, width, lang) + [""]
        out += [line for note in notes(st, grant, lang) for line in _wrap(note)]
        for heading, lines in sections(st, grant, lang):
            out += [f"{heading}:", *[wrapped for line in lines for wrapped in _wrap(line, "  ")]]
    return "\n".join(out) + "\n"


# CSV ------------------------------------------------------------------------------------------------------------

def statement_csv(st: Statement, lang: str) -> bytes:
    """One row per department and a total row per grant (docs/exports.md conventions); the rows sum to it."""
    t = TEXT[lang]
    year_header, term_header = headers(lang)
    header = (t["grant_id"], t["year"], t["department"], t["department_name"], *year_header, t["term"], *term_header,
              t["status"])
    rows = []
    for grant in st.grants:
        year, term = tables(st, grant, lang)
        status = "" if grant.reconciled else t["pending_status"].format(**_term(st, lang))
        named = [(d.number, d.name) for d in grant.departments] + [(t["total"], "")]
        for (dept, name), figures, settled in zip(named, [*(v for _, v in year.rows), year.total],
                                                  [*(v for _, v in term.rows), term.total]):
            rows.append([grant.grant_id, st.year, dept, name, *map(csv_amount, figures),
                         st.settlement_date.isoformat(), *map(csv_amount, settled), status])
    return csv_bytes(header, rows)


# HTML -----------------------------------------------------------------------------------------------------------

STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; } h3 { font-size: 1rem; margin-bottom: 0.3rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border-bottom: 1px solid #ccc; padding: 0.3rem 0.4rem; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th.amount, td.amount { text-align: right; white-space: nowrap; width: 9.5rem; }
tr.total td { font-weight: 600; border-bottom: none; }
ul { margin: 0; padding-left: 1rem; } p, li { overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  /* a row per department becomes a block, each figure on its own line beside its label */
  table, tbody, tr, td { display: block; width: auto; } thead { display: none; }
  tr { border-bottom: 1px solid #ccc; padding: 0.3rem 0; } td { border: none; padding: 0.1rem 0; }
  td:first-child { font-weight: 600; }
  td.amount { display: flex; justify-content: space-between; gap: 1rem; width: auto; }
  td.amount::before { content: attr(data-label); font-weight: normal; white-space: normal; text-align: left; }
}
@media print { body { margin: 0; max-width: none; } }
"""


def _html_table(table: Table, lang: str):
    t = TEXT[lang]

    def row(name, values, *classes):
        return E.TR(E.TD(name), *[E.TD(_figure(v, lang), E.CLASS("amount"), **{"data-label": label})
                                  for v, label in zip(values, table.header)], *classes)

    return [E.H3(table.caption),
            E.TABLE(E.THEAD(E.TR(E.TH(t["department"]), *[E.TH(h, E.CLASS("amount")) for h in table.header])),
                    E.TBODY(*[row(name, values) for name, values in table.rows],
                            row(t["total"], table.total, E.CLASS("total"))))]


def statement_html(st: Statement, lang: str) -> str:
    t = TEXT[lang]
    facts = [(t["account"], st.recipient.account or t["no_account"])] + [(t["history"], h) for h in history(st, lang)]
    body = [E.H1(title(st, lang)), E.DL(*[el for term, value in facts for el in (E.DT(term), E.DD(value))])]
    if not st.grants:
        body.append(E.P(t["no_grants"]))
    for grant in st.grants:
        body.append(E.H2(t["grant"].format(grant=grant.grant_id, municipality=grant.municipality)))
        for table in tables(st, grant, lang):
            body += _html_table(table, lang)
        body += [E.P(note) for note in notes(st, grant, lang)]
        for heading, lines in sections(st, grant, lang):
            body += [E.H3(heading), E.UL(*[E.LI(line) for line in lines])]
    page = E.HTML(E.HEAD(E.META(charset="utf-8"), E.TITLE(title(st, lang)), E.STYLE(STYLE)), E.BODY(*body), lang=lang)
    return tostring(page, doctype="<!DOCTYPE html>", encoding="unicode", pretty_print=True)


# each format's renderer: csv gives bytes, the others text
RENDERERS = {"text": statement_text, "csv": statement_csv, "html": statement_html}
FORMATS = tuple(RENDERERS)
