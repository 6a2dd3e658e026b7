"""The recipient statement (issue 16): W1's figures (SPEC 4) in Danish and English, at most 100 columns with a long
department name and large amounts, what is pending and when, CSV whose department rows sum to the total, and the
HTML page rendered in headless Chromium at two widths with nothing cut off."""
import csv
import io
import re
from datetime import date
from decimal import Decimal

from freezegun import freeze_time
from lxml import html

from disbursement.cases import InForce
from disbursement.ledger.journals import Recipient
from disbursement.schemes.inclusion.decision_text import decision_line
from disbursement.schemes.inclusion.rules.decisions import Decided
from disbursement.schemes.inclusion.statement import DepartmentStatement, GrantStatement, Statement
from disbursement.schemes.inclusion.statement_formats import statement_csv, statement_html, statement_text
from tests.browser import cut_off, laid_out
from tests.helpers import cli
from tests.test_w1_cli import W1, W1_DEDUCTION

D = Decimal
FIGURE = r"-?\d{1,3}(?:\.\d{3})*,\d{2}|afventer|pending"


def figures(text: str, name: str) -> list[list[str]]:
    """The figures on each line of `text` that starts with `name` (a department, 'I alt'), one list per table."""
    return [re.findall(FIGURE, line[len(name):]) for line in text.splitlines() if line.startswith(name + " ")]


def statement(db_url: str, capsys, year: int, *options: str, recipient: str = "12345678") -> str:
    capsys.readouterr()
    assert cli(db_url, "statement", "--recipient", recipient, "--year", str(year), *options) == 0
    return capsys.readouterr().out


def csv_rows(path) -> list[list[str]]:
    return [line.split(";") for line in path.read_bytes().decode("utf-8-sig").splitlines()]


def w1(db_url: str, files=W1) -> None:
    with freeze_time("2019-07-01 08:00:00"):
        assert cli(db_url, "load", *files) == 0
        assert cli(db_url, "nightly") == 0


def test_w1_in_danish_by_default_and_in_english(db_url, capsys):
    w1(db_url)
    with freeze_time("2019-07-01 08:00:00"):
        danish = statement(db_url, capsys, 2018)
        english = statement(db_url, capsys, 2018, "--lang", "en")
    # SPEC 4: on account 4 x 13,260.00 = 53,040.00; E = 41 x 765.00 + 21 x 680.00 = 45,645.00; D = -7,395.00;
    # Q2 2019 instalment 12,274.17 (49,096.67 / 4, half up), offset -7,395.00, paid 12,274.17 - 7,395.00 = 4,879.17;
    # social support 2018: 4 x 102,500.00 = 410,000.00
    year = ["53.040,00", "45.645,00", "-7.395,00"]
    term = ["12.274,17", "-7.395,00", "4.879,17", "0,00"]
    assert figures(danish, "12 Afdeling 12") == figures(danish, "I alt") == [year, term]
    assert figures(english, "12 Afdeling 12") == figures(english, "Total") == [year, term]
    assert danish.splitlines()[:2] == ["Opgørelse 2018: Boligforeningen Eksempel (CVR 12345678)",
                                       "Konto: DK5000400440116243"]
    for line in ("Tilsagn G1, kommune Aarhus (751)", "Huslejetilskud 2018 (V 2.5.2), beløb i kr.",
                 "Regulering i terminen 28. juni 2019 (2. kvt. 2019), beløb i kr.",
                 "Andre udbetalinger 2018:", "  Tilskud til sociale støttefunktioner: 410.000,00\xa0kr."):
        assert line in danish.splitlines()
    assert re.search(r"^Afdeling +Udbetalt a conto +Opgjort tilskud +Difference$", danish, re.M)
    assert re.search(r"^Afdeling +Acontorate +Modregnet +Udbetalt +Opkrævet$", danish, re.M)
    for line in ("Statement 2018: Boligforeningen Eksempel (CVR 12345678)", "Grant G1, municipality Aarhus (751)",
                 "Rent subsidy 2018 (V 2.5.2), amounts in DKK",
                 "Settled with the term of 28 June 2019 (Q2 2019), amounts in DKK",
                 "  Social-support subsidy: 410.000,00\xa0kr."):
        assert line in english.splitlines()
    assert re.search(r"^Department +Instalment +Offset +Paid +Claimed$", english, re.M)
    assert max(len(line) for line in (danish + english).splitlines()) == 100
    assert cli(db_url, "statement", "--recipient", "99999999", "--year", "2018") == 2
    assert "no housing organisation with CVR 99999999" in capsys.readouterr().err


def test_a_year_awaiting_its_actuals_says_what_is_pending_and_when(db_url, capsys):
    w1(db_url)
    with freeze_time("2019-07-01 08:00:00"):
        danish = statement(db_url, capsys, 2019)
        english = statement(db_url, capsys, 2019, "--lang", "en")
    # 2019 so far: q1 and q2 of 49,096.67 = 2 x 12,274.17 = 24,548.34 on account; the actuals of 2019 are due
    # 15 February 2020 and settled with Q2 2020, the last banking day of June 2020 (Tuesday the 30th), not yet run
    assert figures(danish, "12 Afdeling 12") == [["24.548,34", "afventer", "afventer"], ["afventer"] * 4]
    assert figures(english, "Total") == [["24.548,34", "pending", "pending"], ["pending"] * 4]
    assert "Afventer faktisk udlejning 2019: opgøres med terminen 30. juni 2020 (2. kvt. 2020)." in danish
    assert "Awaiting the actuals of 2019: settled with the term of 30 June 2020 (Q2 2020)." in english
    assert "not reconciled" not in danish + english


def test_the_deduction_beyond_q2_is_claimed(db_url, capsys):
    w1(db_url, W1_DEDUCTION)
    with freeze_time("2019-07-01 08:00:00"):
        out = statement(db_url, capsys, 2018)
    # W1 plus dwelling C, paid on account all 2018 (12,605.00) but vacant: 65,645.00 on account, E = 45,645.00,
    # D = -20,000.00; the offset takes Q2 2019's 12,274.17 to 0.00; 20,000.00 - 12,274.17 = 7,725.83 is claimed
    assert figures(out, "12 Afdeling 12") == [["65.645,00", "45.645,00", "-20.000,00"],
                                              ["12.274,17", "-12.274,17", "0,00", "7.725,83"]]


def test_csv_and_html_of_w1(db_url, capsys, tmp_path):
    w1(db_url)
    with freeze_time("2019-07-01 08:00:00"):
        for lang in ("da", "en"):
            for fmt in ("csv", "html"):
                out = tmp_path / f"statement-{lang}.{fmt}"
                assert statement(db_url, capsys, 2018, "--format", fmt, "--out", str(out), "--lang", lang) \
                    == f"{out}\n"
        assert cli(db_url, "statement", "--recipient", "12345678", "--year", "2018", "--format", "html") == 2
        assert capsys.readouterr().err == "error: statement: --format html writes a file: give --out FILE\n"
    department = ["G1", "2018", "12", "Afdeling 12", "53040,00", "45645,00", "-7395,00", "2019-06-28", "12274,17",
                  "-7395,00", "4879,17", "0,00", ""]
    assert csv_rows(tmp_path / "statement-da.csv") == [
        ["Tilsagn", "År", "Afdeling", "Navn", "Udbetalt a conto", "Opgjort tilskud", "Difference", "Termin",
         "Acontorate", "Modregnet", "Udbetalt", "Opkrævet", "Status"],
        department, department[:2] + ["I alt", ""] + department[4:]]
    assert csv_rows(tmp_path / "statement-en.csv")[0] == [
        "Grant", "Year", "Department", "Name", "Paid on account", "Entitlement", "Difference", "Term", "Instalment",
        "Offset", "Paid", "Claimed", "Status"]
    page = (tmp_path / "statement-da.html").read_text(encoding="utf-8")
    doc = html.fromstring(page)
    assert doc.get("lang") == "da"
    assert doc.findtext(".//h1") == "Opgørelse 2018: Boligforeningen Eksempel (CVR 12345678)"
    assert [[td.text_content() for td in tr.findall("td")] for tr in doc.xpath("//tbody/tr")] == [
        ["12 Afdeling 12", "53.040,00", "45.645,00", "-7.395,00"], ["I alt", "53.040,00", "45.645,00", "-7.395,00"],
        ["12 Afdeling 12", "12.274,17", "-7.395,00", "4.879,17", "0,00"],
        ["I alt", "12.274,17", "-7.395,00", "4.879,17", "0,00"]]
    assert doc.xpath("//li/text()") == ["Tilskud til sociale støttefunktioner: 410.000,00\xa0kr."]
    assert not doc.xpath("//script | //link | //iframe | //img | //object | //embed | //@src | //@href")
    english = html.fromstring((tmp_path / "statement-en.html").read_text(encoding="utf-8"))
    assert english.get("lang") == "en" and english.xpath("//h3/text()")[:2] == [
        "Rent subsidy 2018 (V 2.5.2), amounts in DKK",
        "Settled with the term of 28 June 2019 (Q2 2019), amounts in DKK"]
    for width in (1100, 420):
        assert cut_off(laid_out(page, width, tmp_path)) == []


# A long department name, large amounts, a pending department and a transferred grant: no database needed.
LONG = ("Boligforeningen Æblehaven, afdeling Søndre Ringvej og Vestre Kirkegårdsallé (ungdomsboliger og "
        "inklusionsboliger)")
LARGE = Statement(
    Recipient("12345678", "Boligselskabet Sjælland, almen boligorganisation for Roskilde, Køge og Holbæk",
              "organisation", "DK5000400440116243"), 2018, date(2019, 6, 28),
    (GrantStatement("G2017-03", "Høje-Taastrup (169)", (
        DepartmentStatement("12", LONG, D("12345678.90"), D("-12345678.90"), D("12345678.90"), D("0.00"), D("0.00")),
        DepartmentStatement("7", "Kort", D("200.00"), D("-150.00"), D("50.00"), D("0.00"), D("100.00")),
    ), other_payments={"social_support": D("1234567.89")}, transferred=True),))


def test_a_long_name_and_large_amounts_fit_100_columns_and_lose_nothing():
    for lang, total in (("da", "I alt"), ("en", "Total")):
        text = statement_text(LARGE, lang)
        assert max(len(line) for line in text.splitlines()) == 100
        # department 12: 12,345,678.90 on account, D = -12,345,678.90, E = 0.00; the offset takes its Q2 instalment
        # of 12,345,678.90 to 0.00. Department 7: 200.00 on account, D = -150.00, E = 50.00; the offset takes its
        # 50.00 to 0.00 and the remaining 100.00 is claimed. Totals: 12,345,878.90, 50.00, -12,345,828.90;
        # 12,345,728.90, -12,345,728.90, 0.00, 100.00.
        assert figures(text, "12 Boligforeningen") == [["12.345.678,90", "0,00", "-12.345.678,90"],
                                                       ["12.345.678,90", "-12.345.678,90", "0,00", "0,00"]]
        assert figures(text, "7 Kort") == [["200,00", "50,00", "-150,00"], ["50,00", "-50,00", "0,00", "100,00"]]
        assert figures(text, total) == [["12.345.878,90", "50,00", "-12.345.828,90"],
                                        ["12.345.728,90", "-12.345.728,90", "0,00", "100,00"]]
        # every word of the long name is there in each table, wrapped beside and below its figures
        lines = text.splitlines()
        for start in [i for i, line in enumerate(lines) if line.startswith("12 Boligforeningen")]:
            end = next(i for i in range(start, len(lines)) if lines[i].startswith("7 Kort"))
            assert " ".join(re.sub(FIGURE, "", line) for line in lines[start:end]).split() == f"12 {LONG}".split()


def test_csv_rows_of_departments_sum_to_the_total():
    header, *rows = csv.reader(io.StringIO(statement_csv(LARGE, "da").decode("utf-8-sig")), delimiter=";")
    *departments, total = rows
    assert [row[2] for row in departments] == ["12", "7"] and total[2] == "I alt" and departments[0][3] == LONG
    for column in (4, 5, 6, 8, 9, 10, 11):
        assert sum(D(row[column].replace(",", ".")) for row in departments) == D(total[column].replace(",", "."))
    assert total[4:] == ["12345878,90", "50,00", "-12345828,90", "2019-06-28", "12345728,90", "-12345728,90", "0,00",
                         "100,00", ""]


def test_the_page_with_a_long_name_and_large_amounts_is_cut_off_nowhere(tmp_path):
    for lang in ("da", "en"):
        page = statement_html(LARGE, lang)
        for width in (1100, 420):
            assert cut_off(laid_out(page, width, tmp_path)) == []


def test_decisions_read_in_the_statements_language_and_in_english_for_status():
    """decision_text: one template per kind and language; status keeps the operators' English."""
    reduction = Decided(id=1, case_ref="TBST-1", kind="reduction", decided=date(2021, 3, 4), effective=date(2021, 1, 1),
                        received=date(2021, 3, 5), grant_id="G1", support="social_support", amount=Decimal("40000.00"))
    period = InForce(reduction, date(2021, 1, 1), None)
    assert decision_line(reduction, period, "da") == ("TBST-1 afgjort 4. marts 2021: tilsagn G1: tilskud til sociale "
                                                     "støttefunktioner nedsat med 40.000,00 om året; fra 1. januar 2021")
    assert decision_line(reduction, period) == ("TBST-1 decided 2021-03-04: grant G1 social_support reduced by "
                                                "40,000.00 a year; from 2021-01-01")
    resume = Decided(id=2, case_ref="TBST-1", kind="resume", decided=date(2021, 6, 1), effective=date(2021, 6, 1),
                     received=date(2021, 6, 2), grant_id="G1", support="social_support")
    assert decision_line(resume, None, "da") == ("TBST-1 afgjort 1. juni 2021: tilsagn G1: tilskud til sociale "
                                                 "støttefunktioner genoptaget; afslutter det, den afløser")
