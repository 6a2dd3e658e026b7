"""The authority's decisions (issue 13) through the command line, on SQLite and PostgreSQL: every bad decision is
refused with exit 2 and one located line `error: FILE:LINE: FIELD: message` per problem, and nothing of its file
is loaded; a valid file with a decision of every kind loads once and `status` lists them all.

The registers: W1 (grant G1 of organisation 12345678 in municipality 751, grant date 2017-06-01, cohort 2017), W1's
refund example (G2, G3; organisations 87654321, 11223344; municipalities 101, 169; the timely 2018 loss claims),
a late 2018 loss claim of 169, and the temporary-housing register (landlords, e.g. 31750001)."""
from decimal import Decimal
from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.conftest import FIXTURES
from tests.helpers import cli, payments, rows

NS = 'xmlns="urn:disbursement:intake:1"'
TODAY = "2019-07-01"
SETUP = [str(FIXTURES / "w1" / "register.xml"), str(FIXTURES / "w1-refunds" / "register.xml"),
         str(FIXTURES / "temporary" / "register-2021.xml"),
         *sorted(str(p) for p in (FIXTURES / "w1-refunds").glob("loss-claim-*.xml"))]
LATE_CLAIM = f"""<?xml version="1.0" encoding="UTF-8"?>
<loss-claim {NS} municipality="169" year="2018" received="2019-06-10" auditor-statement="REV-169-2018-2" dwellings="2">
  <loss grant="G3" dwelling="A" moved-out="2018-07-31" reason="tenant-unable-to-pay" amount="120000.00"/>
</loss-claim>
"""
COUNTED = ("decision", "recipient_change", "intake_file", "department", "dwelling")
HEAD = 'decided="2019-06-20" effective="2019-07-01"'


def document(*decisions: str, received: str = "2019-06-25") -> str:
    """A decisions document: the first decision is on line 3, each on a line of its own."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<decisions {NS} received="{received}">\n'
            + "".join(f"  {d}\n" for d in decisions) + "</decisions>\n")


def counts(db_url: str) -> dict[str, int]:
    return {t: rows(db_url, f"SELECT count(*) FROM {t}")[0][0] for t in COUNTED}


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def registered(db_url, tmp_path):
    """The registers and loss claims loaded on 1 July 2019; nothing run."""
    with freeze_time(TODAY):
        assert cli(db_url, "load", *SETUP, write(tmp_path, "late-claim.xml", LATE_CLAIM)) == 0
    return db_url


def refused(db_url: str, path: str, capsys) -> list[str]:
    """Load `path` on TODAY: it must exit 2 and load nothing; the lines it wrote on stderr."""
    before = counts(db_url)
    capsys.readouterr()
    with freeze_time(TODAY):
        assert cli(db_url, "load", path) == 2
    out = capsys.readouterr()
    assert "loaded as" not in out.out
    assert counts(db_url) == before
    return out.err.splitlines()


# One bad decision each: the decision (on line 3), the field and the message.
BAD = {
    "unknown-grant": (f'<reduction case="J1" {HEAD} grant="G9" support="rent_subsidy" percent="25"/>',
                      "grant", "case J1: unknown grant G9"),
    "unknown-organisation": (f'<master-data case="J1" {HEAD} party="organisation" id="99999999" name="X"/>',
                             "id", "case J1: unknown organisation 99999999"),
    "unknown-municipality": (f'<master-data case="J1" {HEAD} party="municipality" id="999" name="X"/>',
                             "id", "case J1: unknown municipality 999"),
    "unknown-landlord": (f'<master-data case="J1" {HEAD} party="landlord" id="31750009" name="X"/>',
                         "id", "case J1: unknown landlord 31750009"),
    "an-organisation-is-no-landlord": (f'<master-data case="J1" {HEAD} party="landlord" id="12345678" name="X"/>',
                                       "id", "case J1: unknown landlord 12345678"),
    "a-landlord-is-no-organisation": (f'<master-data case="J1" {HEAD} party="organisation" id="31750001" name="X"/>',
                                      "id", "case J1: unknown organisation 31750001"),
    "effective-before-grant-date": (
        '<lapse case="J1" decided="2017-05-01" effective="2017-05-31" grant="G1" action="waive"/>',
        "effective", "case J1: effective 2017-05-31 is before grant G1's grant date 2017-06-01"),
    "decided-after-received": (
        '<transfer case="J1" decided="2019-06-26" effective="2019-07-01" grant="G1" organisation="87654321"/>',
        "decided", "case J1: decided 2019-06-26, after the document was received (2019-06-25)"),
    "percent-over-100": (f'<reduction case="J1" {HEAD} grant="G1" support="rent_subsidy" percent="100.01"/>',
                         "percent", "case J1: a reduction of 100.01 % is more than 100 %"),
    "stop-over-100": (f'<stop case="J1" {HEAD} grant="G1" support="social_support" percent="150"/>',
                      "percent", "case J1: a reduction of 150 % is more than 100 %"),
    "reduction-by-neither": (f'<reduction case="J1" {HEAD} grant="G1" support="social_support"/>',
                             "percent", "case J1: a reduction is by a percent or by an amount, one of them"),
    "reduction-by-both": (
        f'<reduction case="J1" {HEAD} grant="G1" support="social_support" percent="10" amount="1000.00"/>',
        "percent", "case J1: a reduction is by a percent or by an amount, one of them"),
    "amount-of-rent-subsidy": (
        f'<reduction case="J1" {HEAD} grant="G1" support="rent_subsidy" amount="1000.00"/>',
        "amount", "case J1: only the social-support subsidy is reduced by an amount (§ 15 stk. 1); reduce "
        "rent_subsidy by a percent"),
    "amount-of-conversion-grant": (
        f'<reduction case="J1" {HEAD} grant="G1" support="conversion_grant" amount="1000.00"/>',
        "amount", "case J1: only the social-support subsidy is reduced by an amount (§ 15 stk. 1); reduce "
        "conversion_grant by a percent"),
    "duration-over-15": (
        f'<grant-change case="J1" {HEAD} grant="G1" duration-years="16"/>',
        "duration-years", "case J1: 16 years would extend grant G1's window past 15 years from its project start "
        "(V 2.6: a mertilsagn never extends it)"),
    "transfer-to-unregistered": (
        f'<transfer case="J1" {HEAD} grant="G1" organisation="99999999"/>',
        "organisation", "case J1: organisation 99999999 is not registered; a grant is transferred to a registered "
        "housing organisation (V 2.4, § 5)"),
    "transfer-to-a-landlord": (
        f'<transfer case="J1" {HEAD} grant="G1" organisation="31750002"/>',
        "organisation", "case J1: organisation 31750002 is not registered; a grant is transferred to a registered "
        "housing organisation (V 2.4, § 5)"),
    "invalid-iban": (f'<master-data case="J1" {HEAD} party="organisation" id="12345678" iban="DK5000400440116244"/>',
                     "iban", "DK5000400440116244 is not a valid IBAN: Invalid checksum digits"),
    "master-data-changing-nothing": (f'<master-data case="J1" {HEAD} party="municipality" id="751"/>',
                                     "name", "case J1: a master-data decision changes a name, an address or an iban"),
    "resume-without-stop": (f'<resume case="J1" {HEAD} grant="G1" support="social_support"/>',
                            "case", "case J1: no reduction or stop of this case to resume"),
    "offset-without-offset-part": (
        f'<repayment case="J1" {HEAD} grant="G1" year="2018" treatment="offset" offset="100.00"/>',
        "offset", "case J1: an offset amount goes with treatment offset-part, and only with it"),
    "collect-with-offset": (
        f'<repayment case="J1" {HEAD} grant="G1" year="2018" treatment="collect" offset="100.00"/>',
        "offset", "case J1: an offset amount goes with treatment offset-part, and only with it"),
    "offset-part-without-offset": (
        f'<repayment case="J1" {HEAD} grant="G1" year="2018" treatment="offset-part"/>',
        "offset", "case J1: an offset amount goes with treatment offset-part, and only with it"),
    "late-claim-of-a-timely-claim": (
        f'<late-claim case="J1" {HEAD} municipality="751" year="2018"/>',
        "year", "case J1: municipality 751 has no late loss claim for 2018 to accept"),
    "late-claim-of-another-year": (
        f'<late-claim case="J1" {HEAD} municipality="169" year="2017"/>',
        "year", "case J1: municipality 169 has no late loss claim for 2017 to accept"),
    "late-claim-of-an-unknown-municipality": (
        f'<late-claim case="J1" {HEAD} municipality="999" year="2018"/>',
        "municipality", "case J1: unknown municipality 999"),
    "reserve-over-the-maximum": (
        f'<cohort-reserve case="J1" {HEAD} cohort="2017" amount="500000.01"/>',
        "amount", "case J1: a reserve of 500000.01 is more than the 500000.00 a cohort may set aside (V 2.2.4)"),
    "reserve-of-a-cohort-without-grants": (
        f'<cohort-reserve case="J1" {HEAD} cohort="2018" amount="400000.00"/>',
        "cohort", "case J1: no grant of cohort 2018"),
    "lapse-limit-without-support": (
        f'<lapse case="J1" {HEAD} grant="G1" action="limit"/>',
        "support", "case J1: a lapse is limited to one support (action limit with support), or waived (action "
        "waive, no support)"),
    "lapse-waive-with-support": (
        f'<lapse case="J1" {HEAD} grant="G1" action="waive" support="social_support"/>',
        "support", "case J1: a lapse is limited to one support (action limit with support), or waived (action "
        "waive, no support)"),
    "grant-change-over-the-limits": (
        f'<grant-change case="J1" {HEAD} grant="G1"><department number="12"><dwelling ref="C" area-m2="60" '
        'rent="4200.00" subsidy-per-m2="190.00" price-year="2016"/></department></grant-change>',
        "subsidy-per-m2", "case J1: grant G1 as changed: dwelling C: 190.00 kr/m2 in 2016 prices = 190.00 kr/m2 in "
        "2016 prices exceeds the maximum 181.00 kr/m2 (V 2.2.2)"),
    # XSD violations: located on the decision's line, naming the attribute
    "xsd-unknown-support": (
        f'<reduction case="J1" {HEAD} grant="G1" support="rent" percent="25"/>',
        "support", "Element 'reduction', attribute 'support': [facet 'enumeration'] The "
        "value 'rent' is not an element of the set {'rent_subsidy', 'social_support', 'conversion_grant'}."),
    "xsd-missing-case": (
        f'<reduction {HEAD} grant="G1" support="rent_subsidy" percent="25"/>',
        "case", "Element 'reduction': The attribute 'case' is required but missing."),
    "xsd-zero-percent": (
        f'<reduction case="J1" {HEAD} grant="G1" support="rent_subsidy" percent="0"/>',
        "percent", "Element 'reduction', attribute 'percent': [facet 'minExclusive'] "
        "The value '0' must be greater than '0'."),
    "xsd-unknown-treatment": (
        f'<repayment case="J1" {HEAD} grant="G1" year="2018" treatment="forgive"/>',
        "treatment", "Element 'repayment', attribute 'treatment': [facet 'enumeration'] "
        "The value 'forgive' is not an element of the set {'collect', 'offset', 'offset-part'}."),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_decision_is_refused_with_one_located_line(case, registered, tmp_path, capsys):
    decision, field, message = BAD[case]
    path = write(tmp_path, "bad.xml", document(decision))
    assert refused(registered, path, capsys) == [f"error: {path}:3: {field}: {message}"]


def test_a_decision_received_in_the_future_is_refused_on_the_document_line(registered, tmp_path, capsys):
    path = write(tmp_path, "future.xml", document(f'<lapse case="J1" {HEAD} grant="G1" action="waive"/>',
                                                  received="2019-07-02"))
    assert refused(registered, path, capsys) == [
        f"error: {path}:2: received: received date 2019-07-02 is in the future (today is 2019-07-01)"]


def test_a_new_department_needs_a_name_and_a_dwelling_ref_must_be_new(registered, tmp_path, capsys):
    path = write(tmp_path, "change.xml", document(
        f'<grant-change case="J1" {HEAD} grant="G1">',
        '  <department number="14">',
        '    <dwelling ref="D" area-m2="50" rent="4000.00" subsidy-per-m2="100.00" price-year="2016"/>',
        '  </department>',
        '  <department number="12">',
        '    <dwelling ref="A" area-m2="50" rent="4000.00" subsidy-per-m2="100.00" price-year="2016"/>',
        '  </department>',
        '</grant-change>'))
    assert refused(registered, path, capsys) == [
        f"error: {path}:4: name: case J1: new department 14 of grant G1 needs a name and a loan-type",
        f"error: {path}:8: ref: case J1: grant G1 already has dwelling A"]


def test_every_problem_of_a_file_is_reported_in_order_and_nothing_of_it_is_loaded(registered, tmp_path, capsys):
    path = write(tmp_path, "several.xml", document(
        f'<transfer case="OK1" {HEAD} grant="G1" organisation="87654321"/>',  # valid, but not loaded either
        f'<reduction case="J1" {HEAD} grant="G9" support="rent_subsidy" percent="25"/>',
        '<stop case="J2" decided="2019-06-30" effective="2017-01-01" grant="G1" support="rent_subsidy"/>',
        f'<master-data case="J3" {HEAD} party="organisation" id="12345678" iban="DK5000400440116244"/>',
        f'<cohort-reserve case="J4" {HEAD} cohort="2017" amount="600000.00"/>',
        f'<master-data case="J5" {HEAD} party="landlord" id="31750001" name="Ny udlejer"/>',  # valid
        f'<lapse case="J6" {HEAD} grant="G1" action="limit"/>'))
    assert refused(registered, path, capsys) == [
        f"error: {path}:4: grant: case J1: unknown grant G9",
        f"error: {path}:5: decided: case J2: decided 2019-06-30, after the document was received (2019-06-25)",
        f"error: {path}:5: effective: case J2: effective 2017-01-01 is before grant G1's grant date 2017-06-01",
        f"error: {path}:6: iban: DK5000400440116244 is not a valid IBAN: Invalid checksum digits",
        f"error: {path}:7: amount: case J4: a reserve of 600000.00 is more than the 500000.00 a cohort may set "
        "aside (V 2.2.4)",
        f"error: {path}:9: support: case J6: a lapse is limited to one support (action limit with support), or "
        "waived (action waive, no support)"]


def test_a_case_is_about_one_subject_within_a_file(registered, tmp_path, capsys):
    path = write(tmp_path, "reused.xml", document(
        f'<reduction case="J1" {HEAD} grant="G1" support="rent_subsidy" percent="25"/>',
        f'<stop case="J1" {HEAD} grant="G1" support="social_support"/>',
        f'<transfer case="J1" {HEAD} grant="G1" organisation="87654321"/>',
        f'<reduction case="J1" {HEAD} grant="G2" support="rent_subsidy" percent="25"/>'))
    about = "case J1 is about reduction of grant G1 rent_subsidy; a decision of the same case must be too"
    assert refused(registered, path, capsys) == [f"error: {path}:{line}: case: {about}" for line in (4, 5, 6)]


def test_a_case_is_about_one_subject_across_files(registered, tmp_path, capsys):
    first = write(tmp_path, "first.xml", document(
        f'<reduction case="J1" {HEAD} grant="G1" support="rent_subsidy" percent="25"/>',
        f'<master-data case="M1" {HEAD} party="organisation" id="12345678" name="Ny forening"/>',
        f'<late-claim case="L1" {HEAD} municipality="169" year="2018"/>'))
    with freeze_time(TODAY):
        assert cli(registered, "load", first) == 0
    path = write(tmp_path, "second.xml", document(
        '<lapse case="J1" decided="2019-06-21" effective="2019-07-01" grant="G1" action="waive"/>',
        f'<master-data case="M1" {HEAD} party="organisation" id="87654321" name="Andet navn"/>',
        f'<transfer case="M1" {HEAD} grant="G1" organisation="87654321"/>',
        f'<cohort-reserve case="L1" {HEAD} cohort="2017" amount="400000.00"/>',
        f'<resume case="J1" {HEAD} grant="G1" support="social_support"/>'))
    assert refused(registered, path, capsys) == [
        f"error: {path}:3: case: case J1 is about reduction of grant G1 rent_subsidy; a decision of the same case "
        "must be too",
        f"error: {path}:4: case: case M1 is about master-data of organisation 12345678; a decision of the same case "
        "must be too",
        f"error: {path}:5: case: case M1 is about master-data of organisation 12345678; a decision of the same case "
        "must be too",
        f"error: {path}:6: case: case L1 is about late-claim of municipality 169 2018; a decision of the same case "
        "must be too",
        f"error: {path}:7: case: case J1 is about reduction of grant G1 rent_subsidy; a decision of the same case "
        "must be too"]
    # the same subject under the same case: a stop and a resume of the reduced support, a correction of the party
    ok = write(tmp_path, "third.xml", document(
        '<stop case="J1" decided="2019-06-21" effective="2019-08-01" grant="G1" support="rent_subsidy"/>',
        '<master-data case="M1" decided="2019-06-21" effective="2019-07-01" party="organisation" id="12345678" '
        'name="Rettet navn"/>'))
    with freeze_time(TODAY):
        assert cli(registered, "load", ok) == 0
    resume = write(tmp_path, "fourth.xml", document(
        '<resume case="J1" decided="2019-06-22" effective="2019-09-01" grant="G1" support="rent_subsidy"/>'))
    with freeze_time(TODAY):
        assert cli(registered, "load", resume) == 0
    assert counts(registered)["decision"] == 4 and counts(registered)["recipient_change"] == 2


def test_master_data_may_not_take_effect_on_or_before_a_payment_already_booked(db_url, tmp_path, capsys):
    # W1's caretaker hired 2017-09-01: the term of 29 September 2017 pays 12345678 32,608.70 in social support
    with freeze_time("2017-10-02"):
        assert cli(db_url, "load", str(FIXTURES / "w1" / "register.xml"),
                   str(FIXTURES / "w1" / "events-hire.xml")) == 0
        assert cli(db_url, "nightly") == 0
    assert payments(db_url, "social_support") == [("social/2017-09-29/G1#1", "2017-09-29", Decimal("32608.70"))]
    assert rows(db_url, "SELECT DISTINCT recipient_cvr FROM payment") == [("12345678",)]

    def master_data(effective):
        return document(f'<master-data case="M1" decided="2017-09-20" effective="{effective}" party="organisation" '
                        'id="12345678" name="Ny forening"/>', received="2017-10-02")

    before = counts(db_url)
    for effective in ("2017-09-29", "2017-09-01"):
        path = write(tmp_path, f"on-{effective}.xml", master_data(effective))
        capsys.readouterr()
        with freeze_time("2017-10-02"):
            assert cli(db_url, "load", path) == 2
        assert capsys.readouterr().err.splitlines() == [
            f"error: {path}:3: effective: case M1: organisation 12345678 already has a payment booked with value date "
            f"2017-09-29, on or after {effective}; master data changes only from a day after the last payment booked "
            "to it"]
        assert counts(db_url) == before
    # the day after the payment is fine
    with freeze_time("2017-10-02"):
        assert cli(db_url, "load", write(tmp_path, "after.xml", master_data("2017-09-30"))) == 0
    assert counts(db_url)["recipient_change"] == before["recipient_change"] + 1


def test_the_boundaries_are_accepted(registered, tmp_path):
    # effective on the grant date, decided on the day received, 100 %, a reserve of exactly the maximum, 15 years,
    # an offset-part of any amount, a master-data change of one field
    path = write(tmp_path, "edges.xml", document(
        '<reduction case="B1" decided="2019-06-25" effective="2017-06-01" grant="G1" support="rent_subsidy" '
        'percent="100"/>',
        f'<cohort-reserve case="B2" {HEAD} cohort="2017" amount="500000.00"/>',
        f'<grant-change case="B3" {HEAD} grant="G1" duration-years="15"/>',
        f'<repayment case="B4" {HEAD} grant="G1" year="2018" treatment="offset-part" offset="0.00"/>',
        f'<master-data case="B5" {HEAD} party="municipality" id="751" address="Rådhuspladsen 2"/>',
        f'<reduction case="B6" {HEAD} grant="G1" support="social_support" amount="400000.00"/>',
        f'<stop case="B7" {HEAD} grant="G1" support="conversion_grant"/>'))
    before = counts(registered)
    with freeze_time(TODAY):
        assert cli(registered, "load", path) == 0
    after = counts(registered)
    assert after["decision"] == before["decision"] + 6 and after["recipient_change"] == before["recipient_change"] + 1
    # a stop without a percent stops all of it: the schema's default, 100
    (percent,), = rows(registered, "SELECT percent FROM decision WHERE case_ref = 'B7'")
    assert Decimal(str(percent)) == 100


EVERY_KIND = [
    '<master-data case="A1" decided="2019-06-20" effective="2019-07-01" party="organisation" id="12345678" '
    'name="Boligforeningen Ny" iban="DK5000400440116243"/>',
    '<master-data case="A2" decided="2019-06-20" effective="2019-07-01" party="municipality" id="169" '
    'address="Bygaden 2, 2630 Taastrup"/>',
    '<master-data case="A3" decided="2019-06-20" effective="2019-08-01" party="landlord" id="31750001" '
    'name="Aarhus Kommune, Sociale Forhold"/>',
    '<transfer case="B1" decided="2019-06-20" effective="2019-07-01" grant="G2" organisation="11223344"/>',
    '<grant-change case="C1" decided="2019-06-20" effective="2019-07-01" grant="G1" duration-years="12" '
    'social-support-annual="350000.00" social-support-price-year="2018" conversion-amount="300000.00">',
    '  <department number="12"><dwelling ref="C" area-m2="50" rent="4000.00" subsidy-per-m2="100.00" '
    'price-year="2016"/></department>',
    '  <department number="14" name="Afdeling 14" loan-type="index">',
    '    <dwelling ref="D" count="2" area-m2="40" rent="3500.00" subsidy-per-m2="90.00" price-year="2016"/>',
    '    <dwelling ref="E" area-m2="45" rent="3600.00" subsidy-per-m2="90.00" price-year="2016"/>',
    '  </department>',
    '</grant-change>',
    '<reduction case="D1" decided="2019-06-20" effective="2019-07-01" grant="G1" support="rent_subsidy" '
    'percent="25"/>',
    '<reduction case="D2" decided="2019-06-20" effective="2019-07-01" grant="G1" support="social_support" '
    'amount="10000.00"/>',
    '<stop case="D3" decided="2019-06-20" effective="2019-07-01" grant="G3" support="social_support"/>',
    '<resume case="S1" decided="2019-06-24" effective="2019-10-01" grant="G1" support="conversion_grant"/>',
    '<repayment case="E1" decided="2019-06-20" effective="2019-07-01" grant="G1" year="2018" '
    'treatment="offset-part" offset="1000.00"/>',
    '<late-claim case="F1" decided="2019-06-20" effective="2019-07-01" municipality="169" year="2018"/>',
    '<cohort-reserve case="G1" decided="2019-06-20" effective="2019-07-01" cohort="2017" amount="450000.00"/>',
    '<lapse case="H1" decided="2019-06-20" effective="2019-07-01" grant="G1" action="limit" '
    'support="conversion_grant"/>',
]
EARLIER_STOP = '<stop case="S1" decided="2019-06-10" effective="2019-07-01" grant="G1" support="conversion_grant"/>'


def test_a_decision_of_every_kind_loads_once_and_status_lists_them_all(registered, tmp_path, capsys):
    with freeze_time(TODAY):
        assert cli(registered, "load", write(tmp_path, "stop.xml", document(EARLIER_STOP,
                                                                            received="2019-06-20"))) == 0
    before = counts(registered)
    path = write(tmp_path, "decisions.xml", document(*EVERY_KIND))
    capsys.readouterr()
    with freeze_time(TODAY):
        assert cli(registered, "load", path) == 0
    assert capsys.readouterr().out.strip().endswith(f"{path}: decisions loaded as file #{before['intake_file'] + 1}")
    after = counts(registered)
    assert after == {"decision": before["decision"] + 10, "recipient_change": before["recipient_change"] + 3,
                     "intake_file": before["intake_file"] + 1, "department": before["department"] + 1,
                     "dwelling": before["dwelling"] + 3}
    assert rows(registered, "SELECT d.ref, d.count, p.number, p.name, p.loan_type FROM dwelling d JOIN department p "
                            "ON p.id = d.department_id WHERE d.decision_id IS NOT NULL ORDER BY d.ref") == [
        ("C", 1, "12", "Afdeling 12", "nominal"), ("D", 2, "14", "Afdeling 14", "index"),
        ("E", 1, "14", "Afdeling 14", "index")]

    # the same file again: a no-op that says so
    capsys.readouterr()
    with freeze_time(TODAY):
        assert cli(registered, "load", path) == 0
    assert capsys.readouterr().out.strip() == f"{path}: decisions already loaded as file #{after['intake_file']}"
    assert counts(registered) == after

    with freeze_time(TODAY):
        assert cli(registered, "status", "--as-of", TODAY) == 0
    out = capsys.readouterr().out.splitlines()
    start = out.index("decisions (14):")
    assert out[start + 1:start + 15] == [
        "  A1 decided 2019-06-20: organisation 12345678 master data: name Boligforeningen Ny, iban DK5000400440116243; "
        "from 2019-07-01",
        "  A2 decided 2019-06-20: municipality 169 master data: address Bygaden 2, 2630 Taastrup; from 2019-07-01",
        "  A3 decided 2019-06-20: landlord 31750001 master data: name Aarhus Kommune, Sociale Forhold; from 2019-08-01",
        "  B1 decided 2019-06-20: grant G2 transferred to organisation 11223344; from 2019-07-01",
        "  C1 decided 2019-06-20: grant G1 changed: duration 12 years, social support 350,000.00 a year, price year "
        "2018, conversion grant 300,000.00; from 2019-07-01",
        "  D1 decided 2019-06-20: grant G1 rent_subsidy reduced by 25.00 %; from 2019-07-01",
        "  D2 decided 2019-06-20: grant G1 social_support reduced by 10,000.00 a year; from 2019-07-01",
        "  D3 decided 2019-06-20: grant G3 social_support stopped by 100.00 %; from 2019-07-01",
        "  E1 decided 2019-06-20: grant G1 social-support repayment for 2018: offset-part (1,000.00); from 2019-07-01",
        "  F1 decided 2019-06-20: late loss claim 2018 of municipality 169 accepted; from 2019-07-01",
        "  G1 decided 2019-06-20: reserve of cohort 2017 set to 450,000.00; from 2019-07-01",
        "  H1 decided 2019-06-20: grant G1 lapse limited to conversion_grant; from 2019-07-01",
        "  S1 decided 2019-06-10: grant G1 conversion_grant stopped by 100.00 %; from 2019-07-01 until 2019-10-01",
        "  S1 decided 2019-06-24: grant G1 conversion_grant resumed; ends what it supersedes",
    ]
    # known from the day received: on 24 June only the stop of 20 June is listed
    with freeze_time(TODAY):
        assert cli(registered, "status", "--as-of", "2019-06-24") == 0
    out = capsys.readouterr().out.splitlines()
    start = out.index("decisions (1):")
    assert out[start + 1] == "  S1 decided 2019-06-10: grant G1 conversion_grant stopped by 100.00 %; from 2019-07-01"


def test_a_stop_and_its_resume_in_one_file_load(registered, tmp_path, capsys):
    path = write(tmp_path, "stop-resume.xml", document(
        '<stop case="S1" decided="2019-06-10" effective="2019-07-01" grant="G1" support="social_support"/>',
        '<resume case="S1" decided="2019-06-24" effective="2019-10-01" grant="G1" support="social_support"/>'))
    with freeze_time(TODAY):
        assert cli(registered, "load", path) == 0
    assert counts(registered)["decision"] == 2


def test_master_data_of_a_municipality_may_not_take_effect_on_or_before_its_refund(db_url, tmp_path, capsys):
    # W1's refund example: the 2018 claims are refunded at the settlement term, 28 June 2019, to the municipality
    files = sorted(str(p) for p in (FIXTURES / "w1").glob("*.xml")) + \
        sorted(str(p) for p in (FIXTURES / "w1-refunds").glob("*.xml"))
    with freeze_time(TODAY):
        assert cli(db_url, "load", *files) == 0
        assert cli(db_url, "nightly") == 0
    assert [p for p in payments(db_url, "loss_refund") if p[0].startswith("refund/2018/751")] == [
        ("refund/2018/751#1", "2019-06-28", Decimal("27027.03"))]

    def master_data(effective):
        return document(f'<master-data case="M1" decided="2019-06-20" effective="{effective}" party="municipality" '
                        'id="751" iban="DK5000400440116243"/>')

    path = write(tmp_path, "on.xml", master_data("2019-06-28"))
    assert refused(db_url, path, capsys) == [
        f"error: {path}:3: effective: case M1: municipality 751 already has a payment booked with value date "
        "2019-06-28, on or after 2019-06-28; master data changes only from a day after the last payment booked to it"]
    with freeze_time(TODAY):
        assert cli(db_url, "load", write(tmp_path, "after.xml", master_data("2019-06-29"))) == 0
    assert counts(db_url)["recipient_change"] == 1
