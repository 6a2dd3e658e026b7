"""The authority's decisions (issue 13, SPEC 3a) through the command line, on SQLite and PostgreSQL, from the W1
fixtures: every decision kind with figures worked out by hand (the arithmetic is in the comments).

W1 figures the scenarios start from (tests/test_w1_cli.py, SPEC 4):
- rent subsidy, department 12 (nominal loans): 2018 estimate 53,040.00 -> 13,260.00 a term; 2019 estimate 49,096.67
  -> 12,274.17 (q1..q3); actuals 2018 E = 45,645.00, D = 45,645.00 - 53,040.00 = -7,395.00, so Q2 2019 pays
  12,274.17 - 7,395.00 = 4,879.17;
- social support, caretaker hired 2017-09-01: 400,000.00 a year at wage index 100 (2017), 102.5 in 2018, 105.0 in
  2019: a quarter of 2018 is 410,000.00 / 4 = 102,500.00, of 2019 420,000.00 / 4 = 105,000.00; Q3 2017 is 30 of
  92 days of 100,000.00 = 32,608.70.
A quarter straddling a decision is valued per day: round_half_up(sum of instalment x share x days / days of the
quarter). Decisions are known from their document's `received` date.
"""
import re
from decimal import Decimal
from pathlib import Path

import pytest
from freezegun import freeze_time
from lxml import etree

from tests.conftest import FIXTURES
from tests.helpers import claims, cli, payments, rows
from tests.test_statement import figures
from tests.test_w1_cli import W1

NS = 'xmlns="urn:disbursement:intake:1"'
W1_DIR = FIXTURES / "w1"
W1_REFUNDS = FIXTURES / "w1-refunds"
W1_REPORTS = [f for f in W1 if not f.endswith("register.xml")]
OLD_IBAN = "DK5000400440116243"  # organisation 12345678 in the W1 register
NEW_IBAN = "DK4130000000012345"  # reg. no. 3000, account 0000012345 (check digits 41)
OTHER_IBAN = "DK3852950001234567"  # reg. no. 5295, account 0001234567 (check digits 38)
PAIN = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}"
D = Decimal


def xml(path: Path, root: str, body: str, **attributes: str) -> str:
    """An intake document: line 1 the declaration, line 2 the root element, line 3 onwards `body`."""
    attrs = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} {NS}{attrs}>\n{body}\n</{root}>\n',
                    encoding="utf-8")
    return str(path)


def decisions(path: Path, received: str, *elements: str) -> str:
    return xml(path, "decisions", "\n".join(f"  {e}" for e in elements), received=received)


def run(db_url: str, capsys, *args: str) -> str:
    """Run the CLI, expect success, and return what it printed."""
    capsys.readouterr()
    assert cli(db_url, *args) == 0
    return capsys.readouterr().out


def refused(db_url: str, capsys, path: str) -> list[str]:
    """Load a file that must be refused: exit 2 and its `error:` lines."""
    capsys.readouterr()
    assert cli(db_url, "load", path) == 2
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]


def owners(db_url: str, support: str) -> list[tuple[str, str, Decimal, str]]:
    """Payments of a support with their recipient: (key, value date, amount, recipient CVR)."""
    return [(key, str(day), (D(amount) / 100).quantize(D("0.01")), cvr) for key, day, amount, cvr in rows(
        db_url, f"SELECT key, value_date, amount, recipient_cvr FROM payment WHERE support = '{support}' "
                "ORDER BY value_date, key")]


def conversion_register(tmp_path: Path) -> str:
    """W1's register with a 150,000.00 conversion grant for G1."""
    register = tmp_path / "register.xml"
    register.write_text((W1_DIR / "register.xml").read_text().replace(
        'social-support-price-year="2017">', 'social-support-price-year="2017" conversion-amount="150000.00">'))
    return str(register)


def works_started(tmp_path: Path) -> str:
    # reported Friday 2017-10-06: the 150,000.00 is paid the next banking day, Monday 2017-10-09
    return xml(tmp_path / "works.xml", "events", '  <works-started department="12" date="2017-10-02"/>',
               grant="G1", received="2017-10-06")


def creditors(path: Path) -> list[tuple[str, str, str, str]]:
    """(remittance text, creditor name, creditor IBAN, amount) of every transfer in a pain.001 file."""
    root = etree.parse(str(path)).getroot()
    return [(t.findtext(f"{PAIN}RmtInf/{PAIN}Ustrd"), t.findtext(f"{PAIN}Cdtr/{PAIN}Nm"),
             t.findtext(f"{PAIN}CdtrAcct/{PAIN}Id/{PAIN}IBAN"), t.findtext(f"{PAIN}Amt/{PAIN}InstdAmt"))
            for t in root.iter(f"{PAIN}CdtTrfTxInf")]


def unbalanced(db_url: str) -> list[tuple]:
    return rows(db_url, "SELECT journal_id, SUM(amount) FROM posting GROUP BY journal_id HAVING SUM(amount) <> 0")


# 1. master data ------------------------------------------------------------------------------------------------------

def test_master_data_changes_the_account_from_its_effective_date_and_leaves_earlier_files_alone(db_url, tmp_path,
                                                                                                 capsys):
    with freeze_time("2019-07-01"):
        assert cli(db_url, "load", *W1) == 0
        assert cli(db_url, "nightly") == 0
        run(db_url, capsys, "export", "--year", "2019", "--format", "pain001", "--out", str(tmp_path / "before"))
        # the last payment booked to 12345678 has value date 2019-06-28: a change from that day is refused, whole
        too_early = decisions(tmp_path / "too-early.xml", "2019-06-30", (
            f'<master-data case="J9" decided="2019-06-20" effective="2019-06-28" party="organisation" '
            f'id="12345678" iban="{NEW_IBAN}"/>'))
        assert refused(db_url, capsys, too_early) == [
            f"error: {too_early}:3: effective: case J9: organisation 12345678 already has a payment booked with value "
            "date 2019-06-28, on or after 2019-06-28; master data changes only from a day after the last payment "
            "booked to it"]
        assert rows(db_url, "SELECT count(*) FROM recipient_change") == [(0,)]
        change = decisions(tmp_path / "master-data.xml", "2019-06-30", (
            f'<master-data case="J1" decided="2019-06-20" effective="2019-07-01" party="organisation" '
            f'id="12345678" name="Boligforeningen Eksempel af 2019" iban="{NEW_IBAN}"/>'))
        assert cli(db_url, "load", change) == 0
    with freeze_time("2019-10-01"):
        assert cli(db_url, "nightly") == 0
        run(db_url, capsys, "export", "--year", "2019", "--format", "pain001", "--out", str(tmp_path / "after"))
        before, after = tmp_path / "before", tmp_path / "after"
        earlier = sorted(p.name for p in before.iterdir())
        assert earlier == ["pain001-2019-aconto-2019-03-29-1.xml", "pain001-2019-aconto-2019-06-28-1.xml",
                           "pain001-2019-social_support-2019-03-29-1.xml",
                           "pain001-2019-social_support-2019-06-28-1.xml"]
        # the files of payments made before the change are byte-identical to those exported before it was loaded
        for name in earlier:
            assert (after / name).read_bytes() == (before / name).read_bytes()
        assert creditors(after / "pain001-2019-aconto-2019-06-28-1.xml") == [
            ("rent/2019-06-28/G1/12#1 huslejetilskud inklusionsboliger", "Boligforeningen Eksempel", OLD_IBAN,
             "4879.17")]
        # Q3 2019 (paid Monday 2019-09-30): rent q3 of 49,096.67 = 12,274.17; social support 420,000.00 / 4
        assert creditors(after / "pain001-2019-aconto-2019-09-30-1.xml") == [
            ("rent/2019-09-30/G1/12#1 huslejetilskud inklusionsboliger", "Boligforeningen Eksempel af 2019",
             NEW_IBAN, "12274.17")]
        assert creditors(after / "pain001-2019-social_support-2019-09-30-1.xml") == [
            ("social/2019-09-30/G1#1 tilskud sociale stoettefunktioner inklusionsboliger",
             "Boligforeningen Eksempel af 2019", NEW_IBAN, "105000.00")]
        line = ("J1 decided 2019-06-20: organisation 12345678 master data: name Boligforeningen Eksempel af 2019, "
                f"iban {NEW_IBAN}; from 2019-07-01")
        assert f"decisions (1):\n  {line}\n" in run(db_url, capsys, "status", "--as-of", "2019-10-01")
        # received 2019-06-30: not known the day before
        assert "decisions (" not in run(db_url, capsys, "status", "--as-of", "2019-06-29")
        statement = run(db_url, capsys, "statement", "--recipient", "12345678", "--year", "2019")
    # the name and account as registered, then the change (the line wraps at 100 columns)
    assert " ".join(statement.split()).startswith(
        f"Opgørelse 2019: Boligforeningen Eksempel (CVR 12345678) Konto: {OLD_IBAN} fra 1. juli 2019: navn "
        f"Boligforeningen Eksempel af 2019, konto {NEW_IBAN} (afgørelse J1 af 20. juni 2019) Tilsagn G1")


# 2. transfer ---------------------------------------------------------------------------------------------------------

def test_transfer_pays_the_new_organisation_from_its_effective_date(db_url, tmp_path, capsys):
    second = xml(tmp_path / "register-87654321.xml", "register",
                 f'  <organisation cvr="87654321" name="Boligselskabet Hovedstaden" iban="{OTHER_IBAN}"/>')
    transfer = decisions(tmp_path / "transfer.xml", "2018-09-01", (
        '<transfer case="T1" decided="2018-08-27" effective="2018-09-28" grant="G1" organisation="87654321"/>'))
    unregistered = decisions(tmp_path / "transfer-unregistered.xml", "2018-09-01", (
        '<transfer case="T9" decided="2018-08-27" effective="2018-09-28" grant="G1" organisation="11223344"/>'))
    with freeze_time("2019-07-01"):
        assert cli(db_url, "load", *W1, second) == 0
        assert refused(db_url, capsys, unregistered) == [
            f"error: {unregistered}:3: organisation: case T9: organisation 11223344 is not registered; a grant is "
            "transferred to a registered housing organisation (V 2.4, § 5)"]
        assert cli(db_url, "load", transfer) == 0
        assert cli(db_url, "nightly") == 0
        statement = run(db_url, capsys, "statement", "--recipient", "87654321", "--year", "2018")
    old, new = "12345678", "87654321"
    # the amounts are W1's; only who is paid changes, from the value date 2018-09-28 on (that day included)
    assert owners(db_url, "rent_subsidy") == [
        ("rent/2018-03-28/G1/12#1", "2018-03-28", D("13260.00"), old),
        ("rent/2018-06-29/G1/12#1", "2018-06-29", D("13260.00"), old),
        ("rent/2018-09-28/G1/12#1", "2018-09-28", D("13260.00"), new),
        ("rent/2018-12-28/G1/12#1", "2018-12-28", D("13260.00"), new),
        ("rent/2019-03-29/G1/12#1", "2019-03-29", D("12274.17"), new),
        ("rent/2019-06-28/G1/12#1", "2019-06-28", D("4879.17"), new),
    ]
    assert owners(db_url, "social_support") == [
        ("social/2017-09-29/G1#1", "2017-09-29", D("32608.70"), old),
        ("social/2017-12-29/G1#1", "2017-12-29", D("100000.00"), old),
        ("social/2018-03-28/G1#1", "2018-03-28", D("102500.00"), old),
        ("social/2018-06-29/G1#1", "2018-06-29", D("102500.00"), old),
        ("social/2018-09-28/G1#1", "2018-09-28", D("102500.00"), new),
        ("social/2018-12-28/G1#1", "2018-12-28", D("102500.00"), new),
        ("social/2019-03-29/G1#1", "2019-03-29", D("105000.00"), new),
        ("social/2019-06-28/G1#1", "2019-06-28", D("105000.00"), new),
    ]
    # the recipient's side of the postings follows the payment
    assert rows(db_url, "SELECT DISTINCT recipient_cvr FROM posting WHERE line LIKE '%/2018-06-29/%'") == [(old,)]
    assert rows(db_url, "SELECT DISTINCT recipient_cvr FROM posting WHERE line LIKE '%/2018-09-28/%'") == [(new,)]
    assert claims(db_url) == [] and unbalanced(db_url) == []
    # the decision in the statement's language (Danish by default), wrapped at 100 columns
    assert "Afgørelser om tilsagnet:\n  T1 afgjort 27. august 2018: tilsagn G1 overdraget til organisation 87654321; " \
        "fra 28. september\n    2018\n" in statement
    with freeze_time("2019-07-01"):
        run(db_url, capsys, "export", "--year", "2018", "--format", "pain001", "--out", str(tmp_path / "pain"))
    assert creditors(tmp_path / "pain" / "pain001-2018-aconto-2018-09-28-1.xml") == [
        ("rent/2018-09-28/G1/12#1 huslejetilskud inklusionsboliger", "Boligselskabet Hovedstaden", OTHER_IBAN,
         "13260.00")]
    assert creditors(tmp_path / "pain" / "pain001-2018-aconto-2018-06-29-1.xml")[0][1:3] == (
        "Boligforeningen Eksempel", OLD_IBAN)


# 3. grant change -----------------------------------------------------------------------------------------------------

def test_grant_change_of_social_support_conversion_grant_and_dwellings(db_url, tmp_path, capsys):
    changes = decisions(
        tmp_path / "grant-change.xml", "2018-03-01",  # Thursday
        '<grant-change case="C1" decided="2018-02-26" effective="2018-05-16" grant="G1" '
        'social-support-annual="500000.00"/>',
        '<grant-change case="C2" decided="2018-02-26" effective="2018-02-01" grant="G1" '
        'conversion-amount="180000.00"/>')
    dwelling = decisions(
        tmp_path / "grant-change-dwelling.xml", "2018-10-15",
        '<grant-change case="C3" decided="2018-10-10" effective="2018-10-01" grant="G1">\n'
        '    <department number="14" name="Afdeling 14" loan-type="index">\n'
        '      <dwelling ref="C" count="1" area-m2="50" rent="4000.00" subsidy-per-m2="120.00" price-year="2016"/>\n'
        '    </department>\n'
        '  </grant-change>')
    estimate = xml(tmp_path / "estimate-2019-with-c.xml", "estimate",
                   '  <department number="12"><dwelling ref="A" months="44"/><dwelling ref="B" months="22"/>'
                   '</department>\n  <department number="14"><dwelling ref="C" months="12"/></department>',
                   grant="G1", year="2019", received="2018-11-30")
    beyond = decisions(
        tmp_path / "grant-change-beyond.xml", "2018-10-15",
        '<grant-change case="C9" decided="2018-10-10" effective="2018-10-01" grant="G1" duration-years="16">\n'
        '    <department number="12">\n'
        '      <dwelling ref="D" count="1" area-m2="50" rent="4000.00" subsidy-per-m2="200.00" price-year="2016"/>\n'
        '    </department>\n'
        '  </grant-change>')
    with freeze_time("2019-07-01"):
        assert cli(db_url, "load", conversion_register(tmp_path), *W1_REPORTS, works_started(tmp_path), changes,
                   dwelling, estimate) == 0
        assert refused(db_url, capsys, beyond) == [
            f"error: {beyond}:3: duration-years: case C9: 16 years would extend grant G1's window past 15 years from "
            "its project start (V 2.6: a mertilsagn never extends it)",
            f"error: {beyond}:3: subsidy-per-m2: case C9: grant G1 as changed: dwelling D: 200.00 kr/m2 in 2016 "
            "prices = 200.00 kr/m2 in 2016 prices exceeds the maximum 181.00 kr/m2 (V 2.2.2)"]
        assert cli(db_url, "nightly") == 0
        status = run(db_url, capsys, "status", "--as-of", "2019-07-01")
    # C2 (in force from 2018-02-01) raises the conversion grant to 180,000.00: lump_sums runs on the day it was
    # received, Thursday 2018-03-01, and pays the difference 180,000.00 - 150,000.00 the next banking day
    assert payments(db_url, "conversion_grant") == [
        ("conversion/G1#1", "2017-10-09", D("150000.00")),
        ("conversion/G1#2", "2018-03-02", D("30000.00")),
    ]
    # C1: 500,000.00 a year (2017 prices) from 2018-05-16; 2018 quarter: 500,000.00 x 102.5 / 100 / 4 = 128,125.00.
    # Q2 2018 (91 days): 1 Apr-15 May, 45 days at 102,500.00, 16 May-30 Jun, 46 days at 128,125.00:
    # (102,500.00 x 45 + 128,125.00 x 46) / 91 = (4,612,500.00 + 5,893,750.00) / 91 = 115,453.2967 -> 115,453.30.
    # 2019: 500,000.00 x 105 / 100 / 4 = 131,250.00.
    assert payments(db_url, "social_support")[2:] == [
        ("social/2018-03-28/G1#1", "2018-03-28", D("102500.00")),
        ("social/2018-06-29/G1#1", "2018-06-29", D("115453.30")),
        ("social/2018-09-28/G1#1", "2018-09-28", D("128125.00")),
        ("social/2018-12-28/G1#1", "2018-12-28", D("128125.00")),
        ("social/2019-03-29/G1#1", "2019-03-29", D("131250.00")),
        ("social/2019-06-28/G1#1", "2019-06-28", D("131250.00")),
    ]
    # C3 adds department 14 (index loans) with dwelling C, reported by the later 2019 estimate: 50 m2 x 120.00 x
    # 103 / 100 = 6,180.00 a year x 12 / 12 months = 6,180.00 -> 1,545.00 a term; no 2018 actuals for it, so Q2 2019
    # pays its plain instalment. Department 12 keeps W1's figures.
    assert payments(db_url) == [
        ("rent/2018-03-28/G1/12#1", "2018-03-28", D("13260.00")),
        ("rent/2018-06-29/G1/12#1", "2018-06-29", D("13260.00")),
        ("rent/2018-09-28/G1/12#1", "2018-09-28", D("13260.00")),
        ("rent/2018-12-28/G1/12#1", "2018-12-28", D("13260.00")),
        ("rent/2019-03-29/G1/12#1", "2019-03-29", D("12274.17")),
        ("rent/2019-03-29/G1/14#1", "2019-03-29", D("1545.00")),
        ("rent/2019-06-28/G1/12#1", "2019-06-28", D("4879.17")),
        ("rent/2019-06-28/G1/14#1", "2019-06-28", D("1545.00")),
    ]
    assert rows(db_url, "SELECT DISTINCT recipient_account, recipient_note FROM posting "
                        "WHERE line LIKE 'rent/%/G1/14' AND recipient_account IS NOT NULL") == [("105.9", "104.4")]
    assert claims(db_url) == [] and claims(db_url, "conversion_grant") == [] and unbalanced(db_url) == []
    assert ("decisions (3):\n"
            "  C1 decided 2018-02-26: grant G1 changed: social support 500,000.00 a year; from 2018-05-16\n"
            "  C2 decided 2018-02-26: grant G1 changed: conversion grant 180,000.00; from 2018-02-01\n"
            "  C3 decided 2018-10-10: grant G1 changed: departments and dwellings added; from 2018-10-01\n") in status


def test_grant_change_of_duration_shortens_the_window(db_url, tmp_path, capsys):
    shorter = decisions(tmp_path / "duration.xml", "2017-12-01", (
        '<grant-change case="D1" decided="2017-11-20" effective="2017-12-01" grant="G1" duration-years="1"/>'))
    with freeze_time("2019-07-01"):
        assert cli(db_url, "load", *W1, shorter) == 0
        assert cli(db_url, "nightly") == 0
        status = run(db_url, capsys, "status", "--as-of", "2019-07-01")
    # One year from the project start 2017-09-01: the window is September 2017-August 2018, 8 months of 2018.
    # Estimate 2018: A min(48, 4 x 8) = 32 months, B min(24, 2 x 8) = 16 months: (9,180.00 x 32 + 8,160.00 x 16) / 12
    # = (293,760.00 + 130,560.00) / 12 = 35,360.00 -> 8,840.00 a term. Actuals 2018 (A 41, B 21) are capped the same
    # way: E = 35,360.00 = on account, D = 0.00; 2019 lies outside the window: nothing.
    assert payments(db_url) == [
        ("rent/2018-03-28/G1/12#1", "2018-03-28", D("8840.00")),
        ("rent/2018-06-29/G1/12#1", "2018-06-29", D("8840.00")),
        ("rent/2018-09-28/G1/12#1", "2018-09-28", D("8840.00")),
        ("rent/2018-12-28/G1/12#1", "2018-12-28", D("8840.00")),
    ]
    # Social support ends 2018-08-31: Q3 2018 pays 1 Jul-31 Aug, 62 of 92 days: 102,500.00 x 62 / 92 = 69,076.0870
    # -> 69,076.09; nothing after.
    assert payments(db_url, "social_support") == [
        ("social/2017-09-29/G1#1", "2017-09-29", D("32608.70")),
        ("social/2017-12-29/G1#1", "2017-12-29", D("100000.00")),
        ("social/2018-03-28/G1#1", "2018-03-28", D("102500.00")),
        ("social/2018-06-29/G1#1", "2018-06-29", D("102500.00")),
        ("social/2018-09-28/G1#1", "2018-09-28", D("69076.09")),
    ]
    assert claims(db_url) == [] and claims(db_url, "social_support") == []
    assert "D1 decided 2017-11-20: grant G1 changed: duration 1 years; from 2017-12-01" in status
    assert ("[SPEC 2.3 months outside the 15-year window] G1/12/A: 41 month(s) reported for 2018 for 4 dwelling(s), "
            "only 8 month(s) of 2018 lie inside the window") in status


# 4. reduction, stop, resume ------------------------------------------------------------------------------------------

def test_reductions_stop_and_resume(db_url, tmp_path, capsys):
    first = decisions(
        tmp_path / "reductions.xml", "2018-08-06",  # Monday
        '<reduction case="R1" decided="2018-08-01" effective="2018-08-16" grant="G1" support="social_support" '
        'percent="25"/>',
        '<stop case="S1" decided="2018-08-01" effective="2018-08-11" grant="G1" support="rent_subsidy"/>',
        '<reduction case="V1" decided="2018-08-01" effective="2017-10-01" grant="G1" support="conversion_grant" '
        'percent="20"/>')
    by_amount = decisions(tmp_path / "reduction-amount.xml", "2018-12-10", (
        '<reduction case="R2" decided="2018-12-05" effective="2019-01-01" grant="G1" support="social_support" '
        'amount="10000.00"/>'))
    resume = decisions(tmp_path / "resume.xml", "2019-01-20", (
        '<resume case="S1" decided="2019-01-15" effective="2019-02-01" grant="G1" support="rent_subsidy"/>'))
    orphan = decisions(tmp_path / "resume-orphan.xml", "2019-01-20", (
        '<resume case="S7" decided="2019-01-15" effective="2019-02-01" grant="G1" support="rent_subsidy"/>'))
    with freeze_time("2019-07-01"):
        assert cli(db_url, "load", conversion_register(tmp_path), *W1_REPORTS, works_started(tmp_path), first,
                   by_amount, resume) == 0
        assert refused(db_url, capsys, orphan) == [
            f"error: {orphan}:3: case: case S7: no reduction or stop of this case to resume"]
        assert cli(db_url, "nightly") == 0
        status = run(db_url, capsys, "status", "--as-of", "2019-07-01")
        statement = run(db_url, capsys, "statement", "--recipient", "12345678", "--year", "2018")
    # Social support. R1 -25 % from 2018-08-16: Q3 2018 (92 days) 1 Jul-15 Aug, 46 days at 100 %, 16 Aug-30 Sep,
    # 46 days at 75 %: 102,500.00 x (46 + 46 x 0.75) / 92 = 102,500.00 x 80.5 / 92 = 89,687.50; Q4 2018 102,500.00 x
    # 0.75 = 76,875.00. R2 -10,000.00 a year (2017 prices) from 2019-01-01: (400,000.00 - 10,000.00) x 105 / 100
    # = 409,500.00 / 4 = 102,375.00, and R1 still takes 25 %: 102,375.00 x 0.75 = 76,781.25.
    assert payments(db_url, "social_support")[3:] == [
        ("social/2018-06-29/G1#1", "2018-06-29", D("102500.00")),
        ("social/2018-09-28/G1#1", "2018-09-28", D("89687.50")),
        ("social/2018-12-28/G1#1", "2018-12-28", D("76875.00")),
        ("social/2019-03-29/G1#1", "2019-03-29", D("76781.25")),
        ("social/2019-06-28/G1#1", "2019-06-28", D("76781.25")),
    ]
    # Rent subsidy. S1 stops it from 2018-08-11: Q3 2018 pays 1 Jul-10 Aug, 41 of 92 days: 13,260.00 x 41 / 92 =
    # 5,909.3478 -> 5,909.35; Q4 2018 nothing. Resumed from 2019-02-01: Q1 2019 pays 1 Feb-31 Mar, 59 of 90 days:
    # 12,274.17 x 59 / 90 = 8,046.4003 -> 8,046.40. Q2 2019: the 2018 entitlement is paid for the 365 - 143 (11 Aug
    # -31 Dec) = 222 days: 45,645.00 x 222 / 365 = 27,762.1644 -> 27,762.16; paid on account 13,260.00 x 2 +
    # 5,909.35 = 32,429.35; D = -4,667.19; 12,274.17 - 4,667.19 = 7,606.98.
    assert payments(db_url) == [
        ("rent/2018-03-28/G1/12#1", "2018-03-28", D("13260.00")),
        ("rent/2018-06-29/G1/12#1", "2018-06-29", D("13260.00")),
        ("rent/2018-09-28/G1/12#1", "2018-09-28", D("5909.35")),
        ("rent/2019-03-29/G1/12#1", "2019-03-29", D("8046.40")),
        ("rent/2019-06-28/G1/12#1", "2019-06-28", D("7606.98")),
    ]
    assert claims(db_url) == [] and claims(db_url, "social_support") == []
    # Conversion grant. V1 -20 % from 2017-10-01, before the lump sum's value date 2017-10-09: 150,000.00 x 0.80 =
    # 120,000.00; the 30,000.00 already sent is claimed, due the banking day after the decision arrived (Tuesday).
    assert payments(db_url, "conversion_grant") == [("conversion/G1#1", "2017-10-09", D("150000.00"))]
    assert claims(db_url, "conversion_grant") == [("conversion/G1#2", "2018-08-07", D("30000.00"))]
    assert ("decisions (5):\n"
            "  R1 decided 2018-08-01: grant G1 social_support reduced by 25.00 %; from 2018-08-16\n"
            "  R2 decided 2018-12-05: grant G1 social_support reduced by 10,000.00 a year; from 2019-01-01\n"
            "  S1 decided 2018-08-01: grant G1 rent_subsidy stopped by 100.00 %; from 2018-08-11 until 2019-02-01\n"
            "  S1 decided 2019-01-15: grant G1 rent_subsidy resumed; ends what it supersedes\n"
            "  V1 decided 2018-08-01: grant G1 conversion_grant reduced by 20.00 %; from 2017-10-01\n") in status
    assert figures(statement, "12 Afdeling 12") == [["32.429,35", "27.762,16", "-4.667,19"],
                                                    ["12.274,17", "-4.667,19", "7.606,98", "0,00"]]


# 5. decisions loaded after the runs they change ----------------------------------------------------------------------

def test_a_stop_loaded_after_the_terms_it_changes_is_booked_as_corrections_by_nightly(db_url, tmp_path, capsys):
    stop = decisions(tmp_path / "stop.xml", "2018-06-15", (
        '<stop case="S1" decided="2018-06-12" effective="2018-08-11" grant="G1" support="rent_subsidy"/>'))
    with freeze_time("2019-07-01 08:00:00"):
        assert cli(db_url, "load", *W1) == 0
        assert cli(db_url, "nightly") == 0
    with freeze_time("2019-07-01 09:00:00"):
        assert cli(db_url, "load", stop) == 0
        status = run(db_url, capsys, "status", "--as-of", "2019-07-01")
        reason = f"decision S1 (stop, {stop}) loaded after it ran"
        # received 2018-06-15: every aconto run dated on or after that day would now pay differently
        assert ("jobs to run again, a report came after them (4; nightly does it):\n"
                f"  aconto 2018-09-28: {reason}\n  aconto 2018-12-28: {reason}\n"
                f"  aconto 2019-03-29: {reason}\n  aconto 2019-06-28: {reason}\n") in status
        # the 12-month window (from 2018-07-01) leaves out the 2018-06-29 run: said apart, nightly does not run it
        assert ("jobs a report came after, older than the re-run window (1; `run JOB --date DATE --allow-old` if "
                f"they must be corrected):\n  aconto 2018-06-29: {reason}\n") in status
        journals = rows(db_url, "SELECT max(id) FROM journal")[0][0]
        assert cli(db_url, "nightly") == 0
        # the 2018-06-29 run stays stale (its Q2 is not touched anyway)
        after = run(db_url, capsys, "status", "--as-of", "2019-07-01")
        assert "jobs to run again" not in after and f"older than the re-run window (1; " in after
    # the payments stay as sent; each term owes back what it paid beyond its new figure:
    # Q3 2018: 13,260.00 x 41 / 92 = 5,909.35 due, 13,260.00 - 5,909.35 = 7,350.65 back; Q4 2018 and Q1 2019 the whole
    # instalment; Q2 2019: 0.00 instalment + D, D = 45,645.00 x 222 / 365 (27,762.16) - (13,260.00 x 2 + 5,909.35)
    # = -4,667.19, against 4,879.17 paid: 4,667.19 + 4,879.17 = 9,546.36 back
    assert [p[1:] for p in payments(db_url)] == [
        ("2018-03-28", D("13260.00")), ("2018-06-29", D("13260.00")), ("2018-09-28", D("13260.00")),
        ("2018-12-28", D("13260.00")), ("2019-03-29", D("12274.17")), ("2019-06-28", D("4879.17"))]
    assert claims(db_url) == [
        ("rent/2018-09-28/G1/12#2", "2018-09-28", D("7350.65")),
        ("rent/2018-12-28/G1/12#2", "2018-12-28", D("13260.00")),
        ("rent/2019-03-29/G1/12#2", "2019-03-29", D("12274.17")),
        ("rent/2019-06-28/G1/12#2", "2019-06-28", D("9546.36")),
    ]
    # one correction journal per re-run term, each naming the journal it corrects, holding only the differences
    corrections = rows(db_url, f"SELECT j.job_date, j.seq, c.job_date, c.seq FROM journal j JOIN journal c "
                               f"ON c.id = j.corrects_id WHERE j.id > {journals} ORDER BY j.job_date")
    assert [(str(a), s, str(b), t) for a, s, b, t in corrections] == [
        ("2018-09-28", 2, "2018-09-28", 1), ("2018-12-28", 2, "2018-12-28", 1),
        ("2019-03-29", 2, "2019-03-29", 1), ("2019-06-28", 2, "2019-06-28", 1)]
    assert rows(db_url, f"SELECT count(*) FROM journal WHERE id > {journals} AND corrects_id IS NULL") == [(0,)]
    # Q2 2019: instalment -12,274.17, reconciliation -7,395.00 -> -4,667.19 = +2,727.81, claim 9,546.36
    assert rows(db_url, f"SELECT component, amount FROM posting WHERE journal_id > {journals} "
                        "AND line = 'rent/2019-06-28/G1/12' ORDER BY component") == [
        ("claim", 954636), ("instalment", -1227417), ("reconciliation 2018", 272781)]
    assert rows(db_url, f"SELECT count(*) FROM posting WHERE journal_id > {journals} "
                        "AND line NOT LIKE 'rent/%'") == [(0,)]
    assert unbalanced(db_url) == []
    with freeze_time("2019-07-01 10:00:00"):
        counts = rows(db_url, "SELECT (SELECT count(*) FROM journal), (SELECT count(*) FROM posting)")
        assert cli(db_url, "nightly") == 0
        assert rows(db_url, "SELECT (SELECT count(*) FROM journal), (SELECT count(*) FROM posting)") == counts
        # the old run, re-run by hand, books nothing: the stop starts after its quarter
        assert cli(db_url, "run", "aconto", "--date", "2018-06-29", "--allow-old") == 0
        assert rows(db_url, "SELECT (SELECT count(*) FROM journal), (SELECT count(*) FROM posting)") == counts
        # which makes the settlement term it feeds stale in turn: nightly re-runs it, and it books nothing either
        assert ("jobs to run again, a report came after them (1; nightly does it):\n"
                "  aconto 2019-06-28: the term of 2018-06-29 ran after it\n") in run(db_url, capsys, "status")
        assert cli(db_url, "nightly") == 0
        assert rows(db_url, "SELECT (SELECT count(*) FROM journal), (SELECT count(*) FROM posting)") == counts
        assert "jobs to run again" not in run(db_url, capsys, "status", "--as-of", "2019-07-01")


# 6. repayment --------------------------------------------------------------------------------------------------------

def test_repayment_offset_by_default_then_collected_and_offset_in_part(db_url, tmp_path):
    accounts_2017 = xml(tmp_path / "accounts-2017.xml", "events",
                        '  <support-accounts year="2017" expenses="120000.00" auditor-statement="REV-S-2017"/>',
                        grant="G1", received="2018-05-20")
    accounts_2018 = xml(tmp_path / "accounts-2018.xml", "events",
                        '  <support-accounts year="2018" expenses="400000.00" auditor-statement="REV-S-2018"/>',
                        grant="G1", received="2019-05-20")
    collect = decisions(tmp_path / "collect.xml", "2018-08-01", (
        '<repayment case="P1" decided="2018-07-30" effective="2018-08-01" grant="G1" year="2017" '
        'treatment="collect"/>'))
    part = decisions(tmp_path / "offset-part.xml", "2019-05-25", (
        '<repayment case="P2" decided="2019-05-24" effective="2019-05-25" grant="G1" year="2018" '
        'treatment="offset-part" offset="4000.00"/>'))
    with freeze_time("2019-07-01"):
        assert cli(db_url, "load", *W1, accounts_2017, accounts_2018, collect, part) == 0
        assert cli(db_url, "nightly") == 0
    # 2017: paid 32,608.70 + 100,000.00 = 132,608.70, spent 120,000.00: 12,608.70 to repay. The config offsets by
    # default (config/schemes/inclusion.toml repayment = "offset"; W1's config keeps it): Q2 2018 pays 102,500.00 -
    # 12,608.70 = 89,891.30. P1 (received 2018-08-01) collects it instead: Q3 2018 gives the offset back, 102,500.00
    # + 12,608.70 = 115,108.70, and claims 12,608.70.
    # 2018: paid 4 x 102,500.00 = 410,000.00, spent 400,000.00: 10,000.00 to repay; P2 offsets 4,000.00 against Q2
    # 2019 (105,000.00 - 4,000.00 = 101,000.00) and collects the other 6,000.00.
    assert payments(db_url, "social_support") == [
        ("social/2017-09-29/G1#1", "2017-09-29", D("32608.70")),
        ("social/2017-12-29/G1#1", "2017-12-29", D("100000.00")),
        ("social/2018-03-28/G1#1", "2018-03-28", D("102500.00")),
        ("social/2018-06-29/G1#1", "2018-06-29", D("89891.30")),
        ("social/2018-09-28/G1#1", "2018-09-28", D("115108.70")),
        ("social/2018-12-28/G1#1", "2018-12-28", D("102500.00")),
        ("social/2019-03-29/G1#1", "2019-03-29", D("105000.00")),
        ("social/2019-06-28/G1#1", "2019-06-28", D("101000.00")),
    ]
    assert claims(db_url, "social_support") == [
        ("social-repayment/2017/G1/2018-09-28#1", "2018-09-28", D("12608.70")),
        ("social-repayment/2018/G1/2019-06-28#1", "2019-06-28", D("6000.00")),
    ]
    assert rows(db_url, "SELECT line, component, amount FROM posting WHERE component LIKE 'repayment%' "
                        "ORDER BY line, component") == [
        ("social-repayment/2017/G1/2018-09-28", "repayment 2017", -1260870),
        ("social-repayment/2018/G1/2019-06-28", "repayment 2018", -600000),
        ("social/2018-06-29/G1", "repayment offset", -1260870),
        ("social/2018-09-28/G1", "repayment offset", 1260870),
        ("social/2019-06-28/G1", "repayment offset", -400000),
    ]
    assert unbalanced(db_url) == []


# 7. late claim and cohort reserve ------------------------------------------------------------------------------------

def test_accepted_late_claims_share_what_the_timely_claims_leave_of_a_lowered_reserve(db_url, tmp_path, capsys):
    """With all three W1 claims on time the reserve (at most 500,000.00) is used up by 555,000.00 and a late claim
    could only be refused; here municipality 101 sends its W1 claim five days late, and 751 a second, larger claim
    after the deadline."""
    reserve = decisions(tmp_path / "reserve.xml", "2019-04-01", (
        '<cohort-reserve case="K1" decided="2019-03-25" effective="2019-04-01" cohort="2017" amount="400000.00"/>'))
    late_101 = tmp_path / "loss-claim-2018-101-late.xml"
    late_101.write_text((W1_REFUNDS / "loss-claim-2018-101.xml").read_text().replace(
        'received="2019-05-10"', 'received="2019-05-20"'))
    late_751 = xml(tmp_path / "loss-claim-2018-751-late.xml", "loss-claim",
                   '  <loss grant="G1" dwelling="A" moved-out="2018-04-30" reason="tenant-unable-to-pay" '
                   'amount="60000.00"/>', municipality="751", year="2018", received="2019-06-03",
                   auditor_statement="REV-751-2018-2", dwellings="6")
    accepted = decisions(
        tmp_path / "late-claims.xml", "2019-06-10",
        '<late-claim case="L101" decided="2019-06-05" effective="2019-06-05" municipality="101" year="2018"/>',
        '<late-claim case="L751" decided="2019-06-05" effective="2019-06-05" municipality="751" year="2018"/>')
    with freeze_time("2019-05-16"):
        assert cli(db_url, "load", str(W1_DIR / "register.xml"), str(W1_REFUNDS / "register.xml"),
                   str(W1_REFUNDS / "loss-claim-2018-169.xml"), str(W1_REFUNDS / "loss-claim-2018-751.xml"),
                   reserve) == 0
        assert cli(db_url, "nightly") == 0
    # timely: 75 % of 100,000.00 (169) and of 40,000.00 (751) = 75,000.00 + 30,000.00 = 105,000.00, within K1's
    # 400,000.00 (received before the claims were due, 2019-05-15): 295,000.00 left
    assert payments(db_url, "loss_refund") == [
        ("refund/2018/169#1", "2019-06-28", D("75000.00")), ("refund/2018/751#1", "2019-06-28", D("30000.00"))]
    with freeze_time("2019-06-12 08:00:00"):
        assert cli(db_url, "load", str(late_101), late_751) == 0
        assert cli(db_url, "nightly") == 0  # late and not accepted: nothing more
        assert len(payments(db_url, "loss_refund")) == 2
        assert ("[V 2.5.4 late loss claim] municipality 101: claim for 2018 received 2019-05-20, due 2019-05-15: not "
                "refunded") in run(db_url, capsys, "status", "--as-of", "2019-06-12")
        journals = rows(db_url, "SELECT max(id) FROM journal")[0][0]
    with freeze_time("2019-06-12 09:00:00"):
        assert cli(db_url, "load", accepted) == 0
        status = run(db_url, capsys, "status", "--as-of", "2019-06-12")
        assert f"  refunds 2019-05-15: decision L101 (late-claim, {accepted}) loaded after it ran\n" in status
        assert cli(db_url, "nightly") == 0
        status = run(db_url, capsys, "status", "--as-of", "2019-06-12")
    # late: 101 75 % x 600,000.00 = 450,000.00; 751 75 % x 60,000.00 = 45,000.00 beyond its timely 30,000.00 =
    # 15,000.00; 465,000.00 > 295,000.00 left: 450,000.00 x 295,000.00 / 465,000.00 = 285,483.870967 and 15,000.00 x
    # 295,000.00 / 465,000.00 = 9,516.129032; floors 285,483.87 + 9,516.12 = 294,999.99, the last øre to the larger
    # remainder (751: 0.009032 > 0.000967): 285,483.87 + 9,516.13 = 295,000.00
    assert payments(db_url, "loss_refund") == [
        ("refund/2018/101#1", "2019-06-28", D("285483.87")),
        ("refund/2018/169#1", "2019-06-28", D("75000.00")),
        ("refund/2018/751#1", "2019-06-28", D("30000.00")),
        ("refund/2018/751#2", "2019-06-28", D("9516.13")),
    ]
    assert rows(db_url, "SELECT line, component, amount FROM posting WHERE component LIKE 'cohort%' "
                        "ORDER BY line, component") == [
        ("refund/2018/101", "cohort 2017 late claim accepted", 28548387),
        ("refund/2018/169", "cohort 2017", 7500000),
        ("refund/2018/751", "cohort 2017", 3000000),
        ("refund/2018/751", "cohort 2017 late claim accepted", 951613),
    ]
    assert [str(day) for day, in rows(db_url, f"SELECT job_date FROM journal WHERE id > {journals} "
                                              "AND corrects_id IS NOT NULL")] == ["2019-05-15"]
    assert ("[V 2.5.4 late loss claim] municipality 101: late claim for 2018 accepted: refunded within what remains "
            "of the reserve (answered by decision L101)") in status
    assert "[V 2.2.4 reserve exhausted] cohort 2017: the 400000.00 reserve was used up by the 2018 claims" in status
    assert "K1 decided 2019-03-25: reserve of cohort 2017 set to 400,000.00; from 2019-04-01" in status


# 8. lapse ------------------------------------------------------------------------------------------------------------

def test_lapse_waived_or_limited_to_one_support(db_url, tmp_path, capsys):
    """Three copies of G1 whose caretaker is hired on 2018-07-01, after the 2018-06-01 deadline (12 months from the
    grant date): G1's lapse is waived, G4's limited to social support, G5's to rent subsidy. The planned project start
    is the hire date, so the 15-year window starts there whenever the hire is reported."""
    text = (W1_DIR / "register.xml").read_text().replace('project-start="2017-09-01"', 'project-start="2018-07-01"')
    grant = re.search(r"  <grant .*?</grant>\n", text, re.S).group(0)
    register = tmp_path / "register.xml"
    register.write_text(text.replace(grant, grant + grant.replace('id="G1"', 'id="G4"')
                                     + grant.replace('id="G1"', 'id="G5"')))
    files = [str(register)]
    for g in ("G1", "G4", "G5"):
        # all the months of July-December 2018 (more would be refused: they lie outside the window)
        estimate = xml(tmp_path / f"estimate-2018-{g}.xml", "estimate", '  <department number="12"><dwelling ref="A" '
                       'months="24"/><dwelling ref="B" months="12"/></department>', grant=g, year="2018",
                       received="2017-11-28")
        files += [estimate, xml(tmp_path / f"hire-{g}.xml", "events", '  <caretaker-hired date="2018-07-01"/>',
                                     grant=g, received="2018-07-05")]
    files.append(decisions(
        tmp_path / "lapse.xml", "2018-06-20",
        '<lapse case="B1" decided="2018-06-15" effective="2018-06-02" grant="G1" action="waive"/>',
        '<lapse case="B4" decided="2018-06-15" effective="2018-06-02" grant="G4" action="limit" '
        'support="social_support"/>',
        '<lapse case="B5" decided="2018-06-15" effective="2018-06-02" grant="G5" action="limit" '
        'support="rent_subsidy"/>'))
    with freeze_time("2019-01-01"):
        assert cli(db_url, "load", *files) == 0
        assert cli(db_url, "nightly") == 0
        status = run(db_url, capsys, "status", "--as-of", "2019-01-01")
    # Rent: the window (from July 2018) holds 6 months of 2018, A 4 x 6 = 24 and B 2 x 6 = 12 dwelling-months:
    # (9,180.00 x 24 + 8,160.00 x 12) / 12 = (220,320.00 + 97,920.00) / 12 = 26,520.00 -> 6,630.00 a term.
    # G5's rent lapses: paid at 2018-03-28 (the deadline had not passed), nothing from the 2018-06-29 term on.
    rent = [(key, day) for key, day, amount in payments(db_url) if amount == D("6630.00")]
    assert rent == [
        ("rent/2018-03-28/G1/12#1", "2018-03-28"), ("rent/2018-03-28/G4/12#1", "2018-03-28"),
        ("rent/2018-03-28/G5/12#1", "2018-03-28"),
        ("rent/2018-06-29/G1/12#1", "2018-06-29"), ("rent/2018-06-29/G4/12#1", "2018-06-29"),
        ("rent/2018-09-28/G1/12#1", "2018-09-28"), ("rent/2018-09-28/G4/12#1", "2018-09-28"),
        ("rent/2018-12-28/G1/12#1", "2018-12-28"), ("rent/2018-12-28/G4/12#1", "2018-12-28"),
    ]
    assert len(payments(db_url)) == len(rent)
    # Social support from the hire date: Q3 2018 whole, 410,000.00 / 4 = 102,500.00, and Q4; G4's lapses from
    # 2018-06-02, before the hire: nothing.
    assert payments(db_url, "social_support") == [
        ("social/2018-09-28/G1#1", "2018-09-28", D("102500.00")),
        ("social/2018-09-28/G5#1", "2018-09-28", D("102500.00")),
        ("social/2018-12-28/G1#1", "2018-12-28", D("102500.00")),
        ("social/2018-12-28/G5#1", "2018-12-28", D("102500.00")),
    ]
    assert claims(db_url) == [] and claims(db_url, "social_support") == []
    for g, case, consequence in (
            ("G1", "B1", "the lapse is waived: the grant goes on"),
            ("G4", "B4", "social_support pays nothing from 2018-06-02; the other supports go on"),
            ("G5", "B5", "rent_subsidy pays nothing from 2018-06-02; the other supports go on")):
        assert (f"[V 2.5.1/2.5.3 grant lapsed] {g}: caretaker not hired by 2018-06-01 (V 2.5.3): {consequence} "
                f"(answered by decision {case})") in status
    assert "B1 decided 2018-06-15: grant G1 lapse waived; from 2018-06-02" in status
    assert "B4 decided 2018-06-15: grant G4 lapse limited to social_support; from 2018-06-02" in status
    assert "B5 decided 2018-06-15: grant G5 lapse limited to rent_subsidy; from 2018-06-02" in status


# Conversion grant decisions that take effect after the lump sum was paid or after the day they arrive ----------------

def test_a_stop_effective_after_the_lump_sum_was_paid_claims_nothing(db_url, tmp_path):
    stop = decisions(tmp_path / "stop.xml", "2018-03-01", (
        '<stop case="X1" decided="2018-02-26" effective="2018-01-01" grant="G1" support="conversion_grant"/>'))
    with freeze_time("2018-04-01"):
        assert cli(db_url, "load", conversion_register(tmp_path), str(W1_DIR / "events-hire.xml"),
                   works_started(tmp_path), stop) == 0
        assert cli(db_url, "nightly") == 0
    # paid 2017-10-09, when no stop was in force: 150,000.00 x 1
    assert payments(db_url, "conversion_grant") == [("conversion/G1#1", "2017-10-09", D("150000.00"))]
    assert claims(db_url, "conversion_grant") == []


def test_a_conversion_grant_raised_from_a_later_date_is_paid_from_then(db_url, tmp_path):
    raised = decisions(tmp_path / "raise.xml", "2018-03-01", (
        '<grant-change case="X2" decided="2018-02-26" effective="2018-03-05" grant="G1" '
        'conversion-amount="180000.00"/>'))
    with freeze_time("2018-04-01"):
        assert cli(db_url, "load", conversion_register(tmp_path), str(W1_DIR / "events-hire.xml"),
                   works_started(tmp_path), raised) == 0
        assert cli(db_url, "nightly") == 0
    # 150,000.00 when works started; the 30,000.00 difference by the lump-sum run of the day it takes effect
    # (Monday 2018-03-05), paid the next banking day
    assert payments(db_url, "conversion_grant") == [("conversion/G1#1", "2017-10-09", D("150000.00")),
                                                    ("conversion/G1#2", "2018-03-06", D("30000.00"))]
