"""Exported files (issue #4): each validated by its schema or checker, deterministic, adding up to the ledger.

- pain.001.001.09: the unmodified ISO 20022 XSD shipped by the `sepaxml` package, with lxml;
- beancount: `bean-check` of beancount v3;
- SAF-T: the structure schema shipped with the exports, plus the totals; the official Danish XSD as well when
  DISBURSEMENT_SAFT_XSD names it (it is not obtainable from a package registry);
- csv: read back with the csv module under the documented Danish conventions.
"""
import csv
import io
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
from freezegun import freeze_time
from lxml import etree

from disbursement.exports.ledger_csv import danish_amount
from disbursement.exports.pain001 import account_iban, end_to_end_id
from disbursement.exports.saft import STRUCTURE_XSD
from disbursement.store.database import migrate

from tests.conftest import FIXTURES, pg_schema_url
from tests.helpers import cli, kroner, rows
from tests.test_w1_cli import W1

D = Decimal
PAIN_XSD = Path(sepaxml.__file__).resolve().parent / "schemas" / "pain.001.001.09.xsd"
PAIN_NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
SAFT_NS = {"s": "urn:StandardAuditFile-Taxation-Financial:DK"}
BEAN_CHECK = shutil.which("bean-check", path=str(Path(sys.executable).parent)) or shutil.which("bean-check")


def pain_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(PAIN_XSD)))


def check_pain001(path: Path, schema: etree.XMLSchema) -> tuple[Decimal, list[str]]:
    """Valid against the ISO 20022 XSD, internally consistent; returns its total and its EndToEndIds."""
    document = etree.parse(str(path))
    assert schema.validate(document), f"{path.name}: {schema.error_log}"
    amounts = [D(a) for a in document.xpath("//p:CdtTrfTxInf/p:Amt/p:InstdAmt/text()", namespaces=PAIN_NS)]
    assert document.xpath("//p:InstdAmt/@Ccy", namespaces=PAIN_NS) == ["DKK"] * len(amounts)
    assert D(document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=PAIN_NS)) == sum(amounts)
    assert int(document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=PAIN_NS)) == len(amounts)
    return sum(amounts, D("0.00")), document.xpath("//p:EndToEndId/text()", namespaces=PAIN_NS)


def check_saft(path: Path) -> Decimal:
    """Valid against the structure schema (and the official XSD when given); balanced; returns TotalDebit."""
    document = etree.parse(str(path))
    schema = etree.XMLSchema(etree.parse(str(STRUCTURE_XSD)))
    assert schema.validate(document), f"{path.name}: {schema.error_log}"
    official = os.environ.get("DISBURSEMENT_SAFT_XSD")
    if official:
        official_schema = etree.XMLSchema(etree.parse(official))
        assert official_schema.validate(document), f"{path.name}: {official_schema.error_log}"
    total_debit = D(document.findtext("s:GeneralLedgerEntries/s:TotalDebit", namespaces=SAFT_NS))
    total_credit = D(document.findtext("s:GeneralLedgerEntries/s:TotalCredit", namespaces=SAFT_NS))
    assert total_debit == total_credit
    transactions = document.xpath("//s:Transaction", namespaces=SAFT_NS)
    assert int(document.findtext("s:GeneralLedgerEntries/s:NumberOfEntries", namespaces=SAFT_NS)) == len(transactions)
    for transaction in transactions:  # every journal balances
        debit, credit = (sum((D(a) for a in transaction.xpath(f"s:Line/s:{side}/s:Amount/text()", namespaces=SAFT_NS)),
                             D(0)) for side in ("DebitAmount", "CreditAmount"))
        assert debit == credit, transaction.findtext("s:TransactionID", namespaces=SAFT_NS)
    lines = sum((D(a) for a in document.xpath("//s:Line/s:DebitAmount/s:Amount/text()", namespaces=SAFT_NS)), D(0))
    assert lines == total_debit
    balances = {name: sum((D(a) for a in document.xpath(f"//s:Account/s:{name}/text()", namespaces=SAFT_NS)), D(0))
                for name in ("OpeningDebitBalance", "OpeningCreditBalance", "ClosingDebitBalance",
                             "ClosingCreditBalance")}
    assert balances["OpeningDebitBalance"] == balances["OpeningCreditBalance"]
    assert balances["ClosingDebitBalance"] == balances["ClosingCreditBalance"]
    return total_debit


def bean_check(path: Path) -> None:
    assert BEAN_CHECK, "bean-check (beancount v3) must be installed with the test extra"
    result = subprocess.run([BEAN_CHECK, str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), \
        f"{path.name}: {result.stdout}{result.stderr}"


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    assert b"\r\n" in raw
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def amount(text: str) -> Decimal:
    assert "." not in text, f"{text}: comma decimal separator, no thousands separator"
    return D(text.replace(",", ".")) if text else D("0.00")


def paid_by_booking_year(db_url: str) -> dict[int, Decimal]:
    """The ledger's payments by the year their journal is booked in (a payment run belongs to its journal)."""
    paid: dict[int, Decimal] = {}
    for booked_on, ore in rows(db_url, "SELECT j.booked_on, p.amount FROM payment p "
                                       "JOIN journal j ON j.id = p.journal_id"):
        year = int(str(booked_on)[:4])
        paid[year] = paid.get(year, D("0.00")) + kroner(ore)
    return paid


def check_export_dir(db_url: str, out: Path, years: list[int]) -> dict[str, Decimal]:
    """Validate every file of every year in `out` and tie the payment files to the ledger; returns the pain.001
    total per file name."""
    schema = pain_schema()
    pain_totals: dict[str, Decimal] = {}
    end_to_end: list[str] = []
    paid = paid_by_booking_year(db_url)
    returned: dict[int, Decimal] = {}  # payments the bank rejected or returned, no longer paying what is owed
    for booked_on, ore in rows(db_url, "SELECT j.booked_on, p.amount FROM posting p JOIN journal j "
                                       "ON j.id = p.journal_id WHERE p.component LIKE 'returned %'"):
        returned[int(str(booked_on)[:4])] = returned.get(int(str(booked_on)[:4]), D("0.00")) + kroner(ore)
    for year in years:
        saft_debit = check_saft(out / f"saft-{year}.xml")
        bean_check(out / f"ledger-{year}.beancount")
        general = read_csv(out / f"general-ledger-{year}.csv")
        assert sum(amount(r["debit"]) for r in general) == sum(amount(r["credit"]) for r in general) == saft_debit
        for path in sorted(out.glob(f"postings-{year}-*.csv")):
            for row in read_csv(path):
                assert (row["account"], row["note"], row["book"]) in {
                    ("105.9", "102.4", "department"), ("105.9", "104.4", "department"),
                    ("602", "pkt. 26", "organisation"), ("303.1", "303.1", "department")}, row
                assert row["book"] != "department" or row["department"], row
        # what left the bank (5800) or is still owed (the payable 5850): settlements only move money between them
        paid_or_owed = sum(amount(r["credit"]) - amount(r["debit"]) for r in general if r["account"] in ("5800", "5850"))
        assert paid_or_owed == paid.get(year, D("0.00")) - returned.get(year, D("0.00"))
    for path in sorted(out.glob("pain001-*.xml")):
        pain_totals[path.name], ids = check_pain001(path, schema)
        end_to_end += ids
    assert len(end_to_end) == len(set(end_to_end)), "EndToEndId unique across payment runs"
    keys = [key for (key,) in rows(db_url, "SELECT key FROM payment")]
    assert sorted(end_to_end) == sorted(end_to_end_id(key) for key in keys)
    return pain_totals


def test_end_to_end_id_is_deterministic_unique_and_fits_max35text():
    first, second = end_to_end_id("rent/2019-06-28/G1/12#1"), end_to_end_id("rent/2019-06-28/G1/12#2")
    assert first == end_to_end_id("rent/2019-06-28/G1/12#1") and first != second
    assert len(first) == 35 and first.startswith("INKL") and first[4:].isalnum()


def test_recipient_accounts_are_checked_with_schwifty():
    assert account_iban("DK50 0040 0440 1162 43") == "DK5000400440116243"
    assert account_iban("00400440116243") == "DK5000400440116243"  # Danish BBAN: reg. no. 0040 + account no.
    for bad in ("DK5000400440116244", "0040044011624", "", None):
        with pytest.raises(ValueError):
            account_iban(bad)


def test_danish_amounts():
    assert [danish_amount(D(v)) for v in ("-7395", "4879.17", "1234567.5")] == ["-7395,00", "4879,17", "1234567,50"]


@freeze_time("2019-07-01 08:00:00")
def test_w1_exports_validate_add_up_and_are_byte_identical(db_url, tmp_path, capsys):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "nightly") == 0
    for out in (tmp_path / "a", tmp_path / "b"):
        for year in (2017, 2018, 2019):
            assert cli(db_url, "export", "--year", str(year), "--format", "all", "--out", str(out)) == 0
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    assert first == {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    totals = check_export_dir(db_url, tmp_path / "a", [2017, 2018, 2019])
    rent = {name: total for name, total in totals.items() if "-aconto-" in name}
    assert rent == {  # SPEC 4: 4 x 13,260.00 in 2018; Q1 2019 12,274.17; Q2 2019 12,274.17 - 7,395.00
        "pain001-2018-aconto-2018-03-28-1.xml": D("13260.00"), "pain001-2018-aconto-2018-06-29-1.xml": D("13260.00"),
        "pain001-2018-aconto-2018-09-28-1.xml": D("13260.00"), "pain001-2018-aconto-2018-12-28-1.xml": D("13260.00"),
        "pain001-2019-aconto-2019-03-29-1.xml": D("12274.17"), "pain001-2019-aconto-2019-06-28-1.xml": D("4879.17"),
    }
    paid = paid_by_booking_year(db_url)
    for year in (2017, 2018, 2019):  # the sum of the payment files equals the sum of payments in the ledger
        assert sum(t for n, t in totals.items() if n.startswith(f"pain001-{year}")) == paid.get(year, 0)
    q2 = etree.parse(str(tmp_path / "a" / "pain001-2019-aconto-2019-06-28-1.xml"))
    assert q2.findtext(".//p:CdtrAcct/p:Id/p:IBAN", namespaces=PAIN_NS) == "DK5000400440116243"
    assert q2.findtext(".//p:ReqdExctnDt/p:Dt", namespaces=PAIN_NS) == "2019-06-28"
    assert q2.findtext(".//p:EndToEndId", namespaces=PAIN_NS) == end_to_end_id("rent/2019-06-28/G1/12#1")
    assert "rent/2019-06-28/G1/12#1" in q2.findtext(".//p:RmtInf/p:Ustrd", namespaces=PAIN_NS)
    postings = [r for r in read_csv(tmp_path / "a" / "postings-2019-12345678.csv") if r["account"] == "105.9"]
    assert [(r["date"], r["note"], r["book"], r["department"], r["amount"]) for r in postings] == [
        ("2019-03-29", "102.4", "department", "12", "12274,17"),
        ("2019-06-28", "102.4", "department", "12", "12274,17"),
        ("2019-06-28", "102.4", "department", "12", "-7395,00"),
    ]


def _register_without_account(tmp_path: Path) -> list[str]:
    register = (FIXTURES / "w1" / "register.xml").read_text(encoding="utf-8").replace(' iban="DK5000400440116243"', "")
    path = tmp_path / "register.xml"
    path.write_text(register, encoding="utf-8")
    return [str(path)] + [p for p in W1 if not p.endswith("register.xml")]


@freeze_time("2019-07-01 08:00:00")
def test_a_payment_to_a_recipient_without_an_account_stops_the_export(db_url, tmp_path, capsys):
    """An invalid IBAN is refused at intake already; one that is missing is allowed there and stops the export."""
    assert cli(db_url, "load", *_register_without_account(tmp_path)) == 0
    assert cli(db_url, "nightly") == 0
    capsys.readouterr()
    assert cli(db_url, "export", "--year", "2018", "--format", "all", "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "recipient Boligforeningen Eksempel (organisation 12345678): no bank account in the register" in err
    assert "cannot pay rent/2018-03-28/G1/12#1" in err or "cannot pay social/" in err
    assert not (tmp_path / "out").exists()  # nothing is written, not even the other formats


def test_bad_format_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli(f"sqlite:///{tmp_path / 'x.sqlite'}", "export", "--year", "2018", "--format", "xlsx",
            "--out", str(tmp_path))
    assert exit_.value.code == 2


def test_exports_are_byte_identical_on_sqlite_and_postgresql(tmp_path):
    with pg_schema_url() as pg_url:
        migrate(pg_url)
        urls = {"sqlite": f"sqlite:///{tmp_path / 'x.sqlite'}", "postgresql": pg_url}
        outputs = {}
        for name, url in urls.items():
            with freeze_time("2019-07-01 08:00:00"):
                assert cli(url, "load", *W1) == 0
                assert cli(url, "nightly") == 0
                for year in (2018, 2019):
                    assert cli(url, "export", "--year", str(year), "--format", "all", "--out",
                               str(tmp_path / name)) == 0
            outputs[name] = {p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())}
        assert outputs["sqlite"] == outputs["postgresql"]
