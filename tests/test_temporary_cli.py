"""The temporary-housing scheme through the command line (SPEC 2.8): intake, the monthly subsidy to landlords,
exports, status and `evaluate`, on the shipped fixtures of the trial (fixtures/temporary/README.md has the table and
the figures worked by hand), on SQLite and PostgreSQL."""
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
from freezegun import freeze_time
from lxml import etree

from tests.conftest import FIXTURES
from tests.helpers import claims, kroner, payments, rows
from disbursement.cli import main

TEMPORARY = FIXTURES / "temporary"
FILES = sorted(str(p) for p in TEMPORARY.rglob("*.xml"))
NS = 'xmlns="urn:disbursement:temporary:1"'
PAIN_XSD = Path(sepaxml.__file__).resolve().parent / "schemas" / "pain.001.001.09.xsd"
PAIN_NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
# landlords (fixtures/temporary/register-2021.xml)
AARHUS_KOMMUNE, PAVILLONEN, SYDHAVN_APS, TAASTRUP_NORD = "31750001", "31750002", "31010002", "31690002"


def cli(db_url: str, *args: str) -> int:
    return main(["--db", db_url, *args])  # the shipped config: the temporary scheme as it ships


def paid(db_url: str, landlord: str, year: int) -> Decimal:
    return kroner(rows(db_url, f"SELECT COALESCE(SUM(amount), 0) FROM payment WHERE recipient_cvr = '{landlord}' "
                               f"AND value_date BETWEEN '{year}-01-01' AND '{year}-12-31'")[0][0])


@pytest.fixture
def trial(db_url):
    """The three municipalities' trial, loaded and paid up to 5 January 2024."""
    with freeze_time("2024-01-05"):
        assert cli(db_url, "load", *FILES) == 0
        assert cli(db_url, "nightly") == 0
    return db_url


def test_landlords_are_paid_monthly_pro_rata_on_the_last_banking_day(trial):
    got = [p for p in payments(trial, "temporary_rent") if p[0].startswith("temporary/2021-01/")]
    assert got == [
        # KBH-T01 from 4 January 1,800.00 x 28/31 = 1,625.81 + KBH-T02 from 25 January 1,800.00 x 7/31 = 406.45
        (f"temporary/2021-01/{SYDHAVN_APS}#1", "2021-01-29", Decimal("2032.26")),
        # AAR-T01 from 4 January 1,500.00 x 28/31 = 1,354.84 + AAR-T02 from 11 January 1,500.00 x 21/31 = 1,016.13
        (f"temporary/2021-01/{AARHUS_KOMMUNE}#1", "2021-01-29", Decimal("2370.97")),
        # AAR-T05 from 18 January: 1,300.00 x 14/31 = 587.10
        (f"temporary/2021-01/{PAVILLONEN}#1", "2021-01-29", Decimal("587.10")),
    ]
    # one posting per tenancy on the expense account 5150, nothing in any organisation's books
    assert rows(trial, f"SELECT component, account, amount FROM posting WHERE line = 'temporary/2021-01/{AARHUS_KOMMUNE}' "
                       "ORDER BY component") == [("AAR-T01", "5150", 135484), ("AAR-T02", "5150", 101613),
                                                 ("payment", "5850", -237097)]
    assert rows(trial, "SELECT count(*) FROM posting WHERE line LIKE 'temporary/%' "
                       "AND (recipient_account IS NOT NULL OR recipient_note IS NOT NULL)") == [(0,)]


def test_year_totals_by_hand(trial):
    # Pavillonen (Viby, 4,180 -> 1,380.00 from 2022): 2022: AAR-P05 11 months (T05 to 31 Oct, T15 from 1 Dec),
    # P06-P08 12 each = 47 x 1,380.00 = 64,860.00
    assert paid(trial, PAVILLONEN, 2022) == Decimal("64860.00")
    # 2023: P05 12 months (T15) + P06 January and 14/28 of February (T06's lease ends 14 February) + P08 January to
    # September (T08 out 30 September) = 22 months x 1,380.00 = 30,360.00 + 690.00 = 31,050.00
    assert paid(trial, PAVILLONEN, 2023) == Decimal("31050.00")
    # Sydhavn ApS 2023: KBH-T12 January 1,800.00 + T04 January-February 3,600.00 + T13 January-February 3,600.00
    # and 15/31 of March 870.97 = 9,870.97
    assert paid(trial, SYDHAVN_APS, 2023) == Decimal("9870.97")
    # the shared rooms of Amager Vest (rent 2,650.00) earn nothing
    assert rows(trial, "SELECT count(*) FROM posting WHERE component IN ('KBH-T06', 'KBH-T10', 'KBH-T14')") == [(0,)]


def test_late_reports_are_trued_up_by_the_next_run(trial):
    # HTK-T01 moved in 1 February 2021, reported 5 March: February's 1,000.00 is paid with the March run (HTK-T02
    # from 15 February, 14/28 of 1,000.00 = 500.00, was known in February)
    assert [p for p in payments(trial, "temporary_rent") if p[0].startswith(f"temporary/2021-02/{TAASTRUP_NORD}")] == [
        (f"temporary/2021-02/{TAASTRUP_NORD}#1", "2021-02-26", Decimal("500.00")),
        (f"temporary/2021-02/{TAASTRUP_NORD}#2", "2021-03-31", Decimal("1000.00"))]
    # AAR-T04 moved out 10 September 2021, reported 4 October: September was paid in full (1,500.00); the October
    # run claims back 1,500.00 x 20/30 = 1,000.00 from Aarhus Kommune
    assert claims(trial, "temporary_rent") == [
        (f"temporary/2021-09/{AARHUS_KOMMUNE}#2", "2021-10-29", Decimal("1000.00"))]


def test_re_runs_pay_nothing_twice(trial, capsys):
    before = rows(trial, "SELECT count(*), SUM(amount) FROM payment")
    with freeze_time("2024-01-05"):
        assert cli(trial, "nightly") == 0
        assert cli(trial, "run", "temporary_rent", "--date", "2023-12-29") == 0
        assert cli(trial, "run", "temporary_rent", "--date", "2023-06-30") == 0
    assert rows(trial, "SELECT count(*), SUM(amount) FROM payment") == before
    assert "nightly: 0 job(s) run" in capsys.readouterr().out


def test_payment_files_pay_the_landlords_and_validate(trial, tmp_path):
    with freeze_time("2024-01-05"):
        assert cli(trial, "export", "--year", "2021", "--format", "all", "--out", str(tmp_path)) == 0
    schema = etree.XMLSchema(etree.parse(str(PAIN_XSD)))
    document = etree.parse(str(tmp_path / "pain001-2021-temporary_rent-2021-01-29-1.xml"))
    schema.assertValid(document)
    transfers = {tx.findtext("p:Cdtr/p:Nm", namespaces=PAIN_NS): (
        tx.findtext("p:Amt/p:InstdAmt", namespaces=PAIN_NS), tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=PAIN_NS),
        tx.findtext("p:RmtInf/p:Ustrd", namespaces=PAIN_NS)) for tx in document.iterfind(".//p:CdtTrfTxInf", PAIN_NS)}
    assert transfers["Aarhus Kommune, Socialforvaltningen"] == (
        "2370.97", "DK2853010001000101",
        f"temporary/2021-01/{AARHUS_KOMMUNE}#1 midlertidigt huslejetilskud midlertidige boliger")
    ledger = (tmp_path / "general-ledger-2021.csv").read_text(encoding="utf-8-sig")
    assert f"temporary_rent;2021-01-29;;;temporary rent subsidy, 2021-01;temporary/2021-01/{AARHUS_KOMMUNE};AAR-T01;5150;" \
           "Midlertidigt huslejetilskud, midlertidige boliger;1354,84;" in ledger


def test_status_flags_a_lease_that_ran_out(trial, capsys):
    capsys.readouterr()
    with freeze_time("2024-03-01"):
        assert cli(trial, "status", "--as-of", "2024-01-31") == 0
    out = capsys.readouterr().out
    # KBH-T11 moved in 10 January 2022 on a 24-month lease: it ended 9 January 2024, no move-out reported
    assert ("[T 1 lease ended] KBH-T11/KBH-P09: the lease of dwelling KBH-P09 ended 2024-01-09 and no move-out is "
            "reported; no subsidy is paid after the lease end") in out
    assert "jobs due but not run (1):\n  temporary_rent 2024-01-31" in out


def test_evaluate_writes_the_figures_as_danish_csv(trial, tmp_path, capsys):
    out = tmp_path / "evaluation"
    with freeze_time("2024-01-05"):
        assert cli(trial, "evaluate", "--from", "2021-01-01", "--to", "2023-12-31", "--out", str(out)) == 0
    assert capsys.readouterr().out.splitlines() == [str(out / name) for name in (
        "evaluation.html", "evaluation-figures.csv", "evaluation-tenancies.csv", "evaluation-destinations.csv",
        "evaluation-education-work.csv", "evaluation-areas.csv", "evaluation-sites.csv",
        "evaluation-business-case.csv")]
    raw = (out / "evaluation-figures.csv").read_bytes()
    assert raw.startswith("\ufeffafsnit;nøgletal;kommune;værdi;enhed;betegnelse\r\n".encode())  # Danish first
    figures = {(section, key, municipality): value for section, key, municipality, value, *_ in
               (line.split(";") for line in raw.decode("utf-8-sig").splitlines()[1:])}
    # worked by hand in fixtures/temporary/README.md
    expected = {
        ("housed", "tenancies", "alle"): "48", ("housed", "households", "alle"): "46", ("housed", "persons", "alle"): "57",
        ("housed", "persons", "751"): "20", ("housed", "persons", "101"): "17", ("housed", "persons", "169"): "20",
        ("housed", "households-disability", "alle"): "10", ("housed", "households-mental-vulnerability", "alle"): "14",
        ("temporary", "ended", "alle"): "35", ("temporary", "ongoing", "alle"): "13",
        ("to-permanent", "reached", "alle"): "22", ("to-permanent", "observable", "alle"): "33",
        ("to-permanent", "within", "alle"): "18", ("to-permanent", "within-share", "alle"): "54,5",
        ("to-permanent", "within", "751"): "6", ("to-permanent", "within", "101"): "7",
        ("to-permanent", "within", "169"): "5",
        ("permanent", "kept", "alle"): "2", ("permanent", "left-early", "alle"): "3", ("permanent", "so-far", "alle"): "10",
        ("permanent", "not-followed", "alle"): "7",
        ("destinations", "positive", "alle"): "22", ("destinations", "negative", "alle"): "13",
        ("destinations", "positive-share", "alle"): "62,9",
        ("education-work", "active-at-entry", "alle"): "9", ("education-work", "active-at-exit", "alle"): "20",
        ("education-work", "share-at-entry", "alle"): "25,7", ("education-work", "share-at-exit", "alle"): "57,1",
        ("education-work", "started", "alle"): "12", ("education-work", "kept", "alle"): "8",
        ("education-work", "stopped", "alle"): "1", ("education-work", "never", "alle"): "14",
        ("spread", "dwellings", "751"): "11", ("spread", "largest-area-share", "751"): "36,4",
        ("spread", "largest-area-share", "101"): "41,7", ("spread", "largest-area-share", "169"): "66,7",
        ("spread", "concentrated-areas", "169"): "1", ("spread", "crowded-sites", "169"): "0",
    }
    assert {key: figures[key] for key in expected} == expected
    destinations = (out / "evaluation-destinations.csv").read_text(encoding="utf-8-sig").splitlines()
    assert "alle;permanent-own;Egen varig bolig;positiv;ja;14" in destinations
    assert "alle;another-temporary;Anden midlertidig bolig;negativ;nej;1" in destinations
    tenancies = (out / "evaluation-tenancies.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(tenancies) == 1 + 48
    assert ("AAR-T04;751;A-1004;1;social-problems;AAR-P04;AAR-S1;Aarhus C;2021-03-15;2023-03-14;2021-09-10;180;"
            "shelter;negativ;nej;none;none;;;") in tenancies  # 17 + 30 + 31 + 30 + 31 + 31 + 10 = 180 days
    # identical state, identical files
    again = tmp_path / "again"
    with freeze_time("2024-02-01"):
        assert cli(trial, "evaluate", "--from", "2021-01-01", "--to", "2023-12-31", "--out", str(again)) == 0
    assert all((out / p.name).read_bytes() == p.read_bytes() for p in again.iterdir())
    # the business case's subsidy is what the ledger paid for the rent lines of 2021-2023, less what it claimed back
    # (the 1,000.00 of AAR-T04, fixtures/temporary/README.md)
    case = (out / "evaluation-business-case.csv").read_text(encoding="utf-8-sig").splitlines()
    total = next(line.split(";") for line in case if line.startswith("hele perioden;alle;alle;"))
    booked = (sum((p[2] for p in payments(trial, "temporary_rent")), Decimal(0))
              - sum((c[2] for c in claims(trial, "temporary_rent")), Decimal(0)))
    assert total[5] == f"{booked:.2f}".replace(".", ",") == "933960,50"


def test_evaluate_in_english(trial, tmp_path, capsys):
    out = tmp_path / "evaluation"
    with freeze_time("2024-01-05"):
        assert cli(trial, "evaluate", "--from", "2021-01-01", "--to", "2023-12-31", "--out", str(out), "--lang",
                   "en") == 0
    assert (out / "evaluation-figures.csv").read_text(encoding="utf-8-sig").startswith(
        "section;figure;municipality;value;unit;label\nhoused;tenancies;all;48;number;Tenancies (leases) in the period")
    assert (out / "evaluation-business-case.csv").read_text(encoding="utf-8-sig").startswith(
        "period;target_group;municipality;person_days;person_months;subsidy;daily_rate_illustrative;")
    assert '<html lang="en">' in (out / "evaluation.html").read_text(encoding="utf-8")
    with pytest.raises(SystemExit):
        cli(trial, "evaluate", "--from", "2021-01-01", "--to", "2023-12-31", "--out", str(out), "--lang", "de")
    assert "invalid choice: 'de'" in capsys.readouterr().err


def test_evaluate_refuses_a_period_that_ends_before_it_starts(trial, tmp_path, capsys):
    assert cli(trial, "evaluate", "--from", "2023-01-01", "--to", "2022-12-31", "--out", str(tmp_path)) == 2
    assert "--to 2022-12-31 is before --from 2023-01-01" in capsys.readouterr().err


def _report(tmp_path, body: str, received="2021-03-10", municipality="751", name="report.xml") -> str:
    path = tmp_path / name
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<tenancy-report {NS} municipality="{municipality}" '
                    f'received="{received}">\n{body}</tenancy-report>\n', encoding="utf-8")
    return str(path)


def test_a_tenancy_report_with_problems_loads_nothing_and_names_each_line(db_url, tmp_path, capsys):
    with freeze_time("2021-03-05"):
        assert cli(db_url, "load", str(TEMPORARY / "register-2021.xml"), str(TEMPORARY / "reports" / "2021-01-25-751.xml")) == 0
        capsys.readouterr()
        bad = _report(tmp_path, (
            '  <move-in tenancy="X1" dwelling="AAR-P99" person="P-1" household-size="1" target-group="social-problems" '
            'date="2021-02-01" lease-end="2023-01-31" education-work="none"/>\n'
            '  <move-in tenancy="X2" dwelling="AAR-P06" person="010190-1234" household-size="1" target-group="refugees" '
            'date="2021-02-01" lease-end="2023-01-31" education-work="none"/>\n'
            '  <move-in tenancy="X3" dwelling="AAR-P01" person="P-3" household-size="1" target-group="disability" '
            'date="2021-02-01" lease-end="2023-01-31" education-work="none"/>\n'
            '  <move-out tenancy="AAR-T02" date="2021-02-28" destination="abroad" education-work="none"/>\n'
            '  <follow-up tenancy="AAR-T05" checked="2021-03-01" housed="true"/>\n'
            '  <move-in tenancy="X4" dwelling="KBH-P01" person="P-4" household-size="1" target-group="disability" '
            'date="2021-02-01" lease-end="2023-01-31" education-work="none"/>\n'))
        assert cli(db_url, "load", bad) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: {bad}:2: received: received date 2021-03-10 is in the future (today is 2021-03-05)",
        f"error: {bad}:3: dwelling: unknown dwelling AAR-P99",
        f"error: {bad}:4: person: looks like a CPR number; report the pseudonymous person id only",
        f"error: {bad}:4: target-group: unknown target group 'refugees'; configured: disability, "
        "mental-vulnerability, social-problems",
        f"error: {bad}:5: date: dwelling AAR-P01 is let to tenancy AAR-T01 from 2021-01-04 to 2023-01-03; this "
        "tenancy (2021-02-01 to 2023-01-31) overlaps it",
        f"error: {bad}:6: destination: unknown destination 'abroad'; configured: permanent-own, youth-housing, "
        "permanent-shared, supported-housing, shelter, co-address, another-temporary, unknown",
        f"error: {bad}:7: tenancy: tenancy AAR-T05 has not moved on to permanent housing; follow-ups are for tenants "
        "who have",
        f"error: {bad}:8: dwelling: dwelling KBH-P01 stands in municipality 101 on 2021-02-01, not in 751 of this report",
    ]
    assert rows(db_url, "SELECT count(*) FROM tmp_tenancy") == [(3,)]  # the January report only
    assert rows(db_url, "SELECT count(*) FROM tmp_tenancy_event") == [(0,)]


def test_schema_errors_and_unknown_tenancies_are_located(db_url, tmp_path, capsys):
    with freeze_time("2021-03-15"):
        assert cli(db_url, "load", str(TEMPORARY / "register-2021.xml")) == 0
        capsys.readouterr()
        bad = _report(tmp_path, '  <move-out tenancy="AAR-T77" date="2021-02-28" destination="shelter" '
                                'education-work="none"/>\n  <move-in tenancy="X" household-size="0"/>\n')
        assert cli(db_url, "load", bad) == 2
        err = capsys.readouterr().err
        assert f"error: {bad}:4: household-size:" in err  # the schema: 0 is below 1, line of the element
        good_xml_unknown = _report(tmp_path, '  <move-out tenancy="AAR-T77" date="2021-02-28" destination="shelter" '
                                             'education-work="none"/>\n', name="unknown.xml")
        assert cli(db_url, "load", good_xml_unknown) == 2
    assert (f"error: {good_xml_unknown}:3: tenancy: unknown tenancy AAR-T77; its move-in must be reported first"
            in capsys.readouterr().err)


def test_register_rules(db_url, tmp_path, capsys):
    with freeze_time("2021-03-15"):
        assert cli(db_url, "load", str(TEMPORARY / "register-2021.xml")) == 0
        capsys.readouterr()
        changes = tmp_path / "changes.xml"
        changes.write_text(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<temporary-register {NS}>\n'
            '  <landlord cvr="31750001" name="Aarhus Kommune" kind="municipality"/>\n'
            '  <landlord cvr="39999999" name="Ny Udlejer" kind="private" iban="DK0000400440116243"/>\n'
            '  <rent-change dwelling="AAR-P01" from="2021-01-01" rent="4400.00"/>\n'
            '  <relocation dwelling="AAR-P05" site="AAR-S3" from="2022-01-01"/>\n'
            '  <relocation dwelling="AAR-P09" site="AAR-S9" from="2022-01-01"/>\n'
            '</temporary-register>\n', encoding="utf-8")
        assert cli(db_url, "load", str(changes)) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"error: {changes}:3: cvr: landlord 31750001 is already registered with other details (file #1)"
    assert err[1].startswith(f"error: {changes}:4: iban: DK0000400440116243 is not a valid IBAN")
    assert err[2:] == [
        f"error: {changes}:5: from: dwelling AAR-P01 already has a rent from 2021-01-01 (available from 2021-01-01); "
        "a change starts later",
        f"error: {changes}:6: dwelling: dwelling AAR-P05 is not movable",
        f"error: {changes}:7: site: unknown site AAR-S9",
    ]
    assert rows(db_url, "SELECT count(*) FROM tmp_landlord") == [(6,)]
