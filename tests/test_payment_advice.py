"""Payment advice (issue 16): per recipient of a payment run, what is paid, on which account and note it is booked
and what it is made of, in Danish by default (Babel) and English on request; HTML rendered in headless Chromium
with nothing cut off, and CSV. W1's Q1 2018 terms, released on 3 April 2018 (tests/test_bank_answers.py)."""
from freezegun import freeze_time
from lxml import html

from disbursement.exports.pain001 import end_to_end_id
from tests.helpers import cli
from tests.test_bank_answers import NEW_IBAN, NS, RENT, SOCIAL, released, status_report
from tests.test_payment_runs import config_dir, output  # noqa: F401  (config_dir is a fixture)
from tests.test_status_page import cut_off, laid_out

RUN = "aconto/2018-03-28/1"


def _advice(tmp_path, name: str) -> tuple[str, list[list[str]]]:
    page = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
    rows = [line.split(";") for line in (tmp_path / f"{name}.csv").read_bytes().decode("utf-8-sig").splitlines()]
    return page, rows


def test_a_runs_advice_says_what_is_paid_where_it_is_booked_and_why(db_url, capsys, tmp_path, config_dir):
    released(db_url, config_dir, tmp_path)
    with freeze_time("2018-04-03 12:00:00"):
        code, out, _ = output(capsys, db_url, "payment-advice", RUN, "--out", str(tmp_path / "da"), config=config_dir)
        assert code == 0 and out.split() == [str(tmp_path / "da" / f"advice-aconto-2018-03-28-1-12345678.{kind}")
                                              for kind in ("html", "csv")]
        assert cli(db_url, "payment-advice", RUN, "--out", str(tmp_path / "en"), "--lang", "en",
                   config=config_dir) == 0
        code, _, err = output(capsys, db_url, "payment-advice", "aconto/2018-03-29/1", "--out", str(tmp_path),
                              config=config_dir)
    assert code == 2 and err == "error: no payment run 'aconto/2018-03-29/1'; `disbursement payment-runs` lists them\n"
    e2e = end_to_end_id(RENT)
    page, rows = _advice(tmp_path / "da", "advice-aconto-2018-03-28-1-12345678")
    assert rows == [
        ["Betalingskørsel", "Betaling", "EndToEndId", "Tilsagn", "Afdeling", "Tilskud", "Bogføres på", "Består af",
         "Beløb", "Udbetales"],
        [RUN, RENT, e2e, "G1", "12", "Huslejetilskud", "105.9, note 102.4, afdelingens regnskab", "acontorate",
         "13260,00", "2018-04-04"]]  # 13,260.00 = 48 x 765.00 + 24 x 680.00, a quarter of 53,040.00
    doc = html.fromstring(page)
    facts = dict(zip(doc.xpath("//dt/text()"), doc.xpath("//dd/text()")))
    assert facts == {"Betalingskørsel": RUN, "Udbetaler": "Bolig- og Planstyrelsen, tilskud til inklusionsboliger",
                     "Modtager": "Boligforeningen Eksempel (12345678)", "Konto": "DK5000400440116243",
                     "Udbetales": "4. april 2018", "I alt": "13.260,00\xa0kr."}  # Babel keeps the amount and "kr." together
    assert doc.xpath("//tbody//li/text()") == ["acontorate: 13.260,00\xa0kr."]
    assert doc.get("lang") == "da"
    assert not doc.xpath("//script | //link | //iframe | //img | //object | //embed | //@src | //@href")
    english = html.fromstring(_advice(tmp_path / "en", "advice-aconto-2018-03-28-1-12345678")[0])
    assert english.findtext(".//h1") == "Payment advice: Boligforeningen Eksempel" and english.get("lang") == "en"
    assert dict(zip(english.xpath("//dt/text()"), english.xpath("//dd/text()")))["Paid on"] == "4 April 2018"
    assert english.xpath("//tbody//td[5]/text()") == ["105.9, note 102.4, the department's accounts"]

    for width in (1100, 500):
        assert cut_off(laid_out(page, width, tmp_path)) == []


def test_a_payment_made_again_is_explained_as_such_and_goes_to_the_new_account(db_url, tmp_path, config_dir):
    released(db_url, config_dir, tmp_path)
    rejected = status_report(tmp_path / "pain002.xml", "social_support-20180328-1",
                             [(end_to_end_id(SOCIAL), "RJCT", "102500.00", "AC04")])
    new_account = tmp_path / "account.xml"
    new_account.write_text(f'<?xml version="1.0"?>\n<decisions {NS} received="2018-04-04">\n'
                           f'  <master-data case="M1" decided="2018-04-04" effective="2018-04-04" party="organisation" '
                           f'id="12345678" iban="{NEW_IBAN}"/>\n</decisions>\n')
    with freeze_time("2018-04-05 09:00:00"):
        assert cli(db_url, "load", rejected, str(new_account), config=config_dir) == 0
        assert cli(db_url, "nightly", config=config_dir) == 0
        assert cli(db_url, "payment-runs", config=config_dir) == 0
        assert cli(db_url, "payment-advice", "social_support/2018-03-28/2", "--out", str(tmp_path / "again"),
                   config=config_dir) == 0
    page, rows = _advice(tmp_path / "again", "advice-social_support-2018-03-28-2-12345678")
    again = SOCIAL.replace("#1", "#2")
    assert rows[1:] == [["social_support/2018-03-28/2", again, end_to_end_id(again), "G1", "",
                         "Tilskud til sociale støttefunktioner", "602, note pkt. 26, organisationens regnskab",
                         f"udbetalt igen ({SOCIAL})", "102500,00", "2018-04-06"]]
    doc = html.fromstring(page)
    facts = dict(zip(doc.xpath("//dt/text()"), doc.xpath("//dd/text()")))
    assert (facts["Konto"], facts["Udbetales"], facts["I alt"]) == (NEW_IBAN, "6. april 2018", "102.500,00\xa0kr.")
