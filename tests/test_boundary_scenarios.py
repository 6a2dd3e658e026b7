"""Scenarios at the edges of a job's behaviour, through the command line as an operator runs them (W1's grant G1:
department 12, four A and two B dwellings, project start 2017-09-01, 15 years)."""
from datetime import date
from decimal import Decimal

from freezegun import freeze_time

from disbursement.schemes.inclusion.rules.grant_window import months_in_window, window_years
from tests.conftest import FIXTURES
from tests.helpers import claims, cli, payments, table_counts

W1 = FIXTURES / "w1"
NS = 'xmlns="urn:disbursement:intake:1"'


@freeze_time("2019-07-01 08:00:00")
def test_a_department_with_actuals_but_no_on_account_payment_is_paid_its_whole_entitlement_at_q2(db_url):
    """No 2018 estimate: nothing was paid on account in 2018. The actuals give E = 45,645.00 (W1), so the difference
    D = E - 0 is paid whole with the Q2 2019 instalment: 12,274.17 + 45,645.00 = 57,919.17."""
    files = [str(W1 / name) for name in ("register.xml", "events-hire.xml", "actuals-2018.xml", "estimate-2019.xml")]
    assert cli(db_url, "load", *files) == 0
    assert cli(db_url, "nightly") == 0
    assert payments(db_url) == [("rent/2019-03-29/G1/12#1", "2019-03-29", Decimal("12274.17")),
                                ("rent/2019-06-28/G1/12#1", "2019-06-28", Decimal("57919.17"))]
    assert claims(db_url) == []


def test_the_window_of_a_grant_starting_in_january_ends_with_december_fifteen_years_on():
    assert list(window_years(date(2017, 1, 20), 15)) == list(range(2017, 2032))
    assert (months_in_window(2017, date(2017, 1, 20), 15), months_in_window(2031, date(2017, 1, 20), 15),
            months_in_window(2032, date(2017, 1, 20), 15)) == (12, 12, 0)
    # W1's September start: 4 months of 2017, 8 of 2032
    assert (months_in_window(2017, date(2017, 9, 1), 15), months_in_window(2032, date(2017, 9, 1), 15)) == (4, 8)
    assert months_in_window(2016, date(2017, 9, 1), 15) == 0


@freeze_time("2019-07-01 08:00:00")
def test_a_report_for_the_year_after_a_january_grants_window_is_refused(db_url, tmp_path, capsys):
    register = tmp_path / "register.xml"
    register.write_text((W1 / "register.xml").read_text(encoding="utf-8").replace(
        'project-start="2017-09-01"', 'project-start="2017-01-02"').replace(
        'grant-date="2017-06-01"', 'grant-date="2016-12-01"'), encoding="utf-8")
    assert cli(db_url, "load", str(register)) == 0
    before = table_counts(db_url)
    estimate = tmp_path / "estimate-2032.xml"
    estimate.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<estimate {NS} grant="G1" year="2032" '
                        f'received="2019-06-01">\n  <department number="12"><dwelling ref="A" months="4"/>'
                        f'</department>\n</estimate>\n', encoding="utf-8")
    capsys.readouterr()
    assert cli(db_url, "load", str(estimate)) == 2
    assert capsys.readouterr().err == f"error: {estimate}:2: year: 2032 is outside grant G1's period 2017-2031\n"
    assert table_counts(db_url) == before


def _events(tmp_path, body: str):
    path = tmp_path / "events.xml"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<events {NS} grant="G1" received="2018-01-10">\n'
                    f'  <caretaker-hired date="2017-09-01"/>\n{body}\n</events>\n', encoding="utf-8")
    return str(path)


@freeze_time("2019-07-01 08:00:00")
def test_a_phase_or_lease_of_exactly_the_limit_is_not_flagged_and_one_day_more_is(db_url, tmp_path, capsys):
    body = ('  <phase kind="in" from="2018-01-01" to="2018-10-01"/>\n'  # exactly 9 months on: not over 9
            '  <phase kind="out" from="2018-01-01" to="2018-10-02"/>\n'  # one day more: over
            '  <tenancy dwelling="A" unit="1" moved-in="2018-01-01" lease-ends="2020-01-01" eligible="true"/>\n'
            '  <tenancy dwelling="A" unit="2" moved-in="2018-01-01" lease-ends="2020-01-02" eligible="true"/>')
    assert cli(db_url, "load", str(W1 / "register.xml"), _events(tmp_path, body)) == 0
    capsys.readouterr()
    assert cli(db_url, "status", "--as-of", "2019-07-01") == 0
    flags = [line.strip() for line in capsys.readouterr().out.splitlines() if "phase over" in line or "lease over" in line]
    assert flags == [
        "[V 2.4 phase over 9 months] G1: phase-out 2018-01-01 to 2018-10-02 lasts more than 9 months: to be "
        "reported to the ministry",
        "[V 7 lease over 2 years] G1/A unit 2: lease 2018-01-01 to 2020-01-02 runs more than 24 months without an "
        "extension decision",
    ]
