"""Bad input exits 2 with one line per problem naming file, line and field, and leaves the database unchanged."""
import re

import pytest
from freezegun import freeze_time

from tests.conftest import FIXTURES
from tests.helpers import cli, table_counts

REGISTER = str(FIXTURES / "w1" / "register.xml")
NS = 'xmlns="urn:disbursement:intake:1"'


def estimate(body: str, grant="G1", year="2018", received="2017-11-28") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<estimate {NS} grant="{grant}" year="{year}" '
            f'received="{received}">\n{body}\n</estimate>\n')


CASES = {
    "malformed": ('<estimate grant="G1"', r"bad\.xml:1: malformed XML"),
    "xsd-invalid": (estimate('  <department number="12"><dwelling ref="A" months="many"/></department>'),
                    r"bad\.xml:3: months: .*'many' is not a valid value"),
    "unknown-grant": (estimate('  <department number="12"><dwelling ref="A" months="4"/></department>', grant="G9"),
                      r"bad\.xml:2: grant: unknown grant G9"),
    "months-over-12-per-dwelling": (
        estimate('  <department number="12">\n    <dwelling ref="B" months="25"/>\n  </department>'),
        r"bad\.xml:4: months: dwelling B: 25 months reported for 2 dwelling\(s\) in 2018; at most 24"),
    "outside-window": (  # the window starts 2017-09: only 4 months of 2017 are inside it
        estimate('  <department number="12"><dwelling ref="A" months="17"/></department>', year="2017",
                 received="2017-06-20"),
        r"bad\.xml:3: months: dwelling A: 17 months in 2017, but only 4 month\(s\) of 2017 lie inside"),
    "year-outside-period": (estimate('  <department number="12"><dwelling ref="A" months="4"/></department>',
                                     year="2040"),
                            r"bad\.xml:2: year: 2040 is outside grant G1's period 2017-2032"),
    "unknown-dwelling": (estimate('  <department number="12"><dwelling ref="Z" months="4"/></department>'),
                         r"bad\.xml:3: ref: department 12 of grant G1 has no dwelling Z"),
    "tenancy-of-an-unknown-dwelling": (
        f'<events {NS} grant="G1" received="2018-03-01">\n  <tenancy dwelling="A" unit="4" moved-in="2018-02-01" '
        'lease-ends="2020-01-31" eligible="true"/>\n  <tenancy dwelling="Z" moved-in="2018-02-01" '
        'lease-ends="2020-01-31" eligible="true"/>\n</events>\n',
        r"bad\.xml:3: dwelling: grant G1 has no dwelling Z"),
    "tenancy-of-a-unit-beyond-the-count": (  # A is 4 dwellings: units 1-4
        f'<events {NS} grant="G1" received="2018-03-01">\n  <tenancy dwelling="A" unit="5" moved-in="2018-02-01" '
        'lease-ends="2020-01-31" eligible="true"/>\n</events>\n',
        r"bad\.xml:2: unit: dwelling A has 4 unit\(s\), not 5"),
    "received-in-future": (estimate('  <department number="12"><dwelling ref="A" months="4"/></department>',
                                    received="2019-08-01"),
                           r"bad\.xml:2: received: received date 2019-08-01 is in the future"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@freeze_time("2019-07-01")
def test_bad_file_exits_2_names_the_problem_and_loads_nothing(case, db_url, tmp_path, capsys):
    content, expected = CASES[case]
    assert cli(db_url, "load", REGISTER) == 0
    before = table_counts(db_url)
    bad = tmp_path / "bad.xml"
    bad.write_text(content, encoding="utf-8")
    capsys.readouterr()
    assert cli(db_url, "load", str(bad)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("error: ")
    assert re.search(expected, err[0]), err[0]
    assert table_counts(db_url) == before


@freeze_time("2019-07-01")
def test_every_problem_of_a_file_is_reported_and_nothing_is_half_loaded(db_url, tmp_path, capsys):
    assert cli(db_url, "load", REGISTER) == 0
    before = table_counts(db_url)
    bad = tmp_path / "two.xml"
    bad.write_text(estimate('  <department number="12">\n    <dwelling ref="A" months="12"/>\n'
                            '    <dwelling ref="B" months="30"/>\n    <dwelling ref="Q" months="1"/>\n  </department>'))
    capsys.readouterr()
    assert cli(db_url, "load", str(bad)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert [line.split(": ")[2:4] for line in err] == [["months", "dwelling B"], ["ref", "department 12 of grant G1 has no dwelling Q"]]
    assert [line.split(": ")[1].rsplit(":", 1)[1] for line in err] == ["5", "6"]
    assert table_counts(db_url) == before


@freeze_time("2019-07-01")
def test_a_grant_over_the_limits_is_rejected_with_the_figures(db_url, tmp_path, capsys):
    text = (FIXTURES / "w1" / "register.xml").read_text().replace('subsidy-per-m2="150.00"', 'subsidy-per-m2="190.00"')
    bad = tmp_path / "register.xml"
    bad.write_text(text)
    assert cli(db_url, "load", str(bad)) == 2
    err = capsys.readouterr().err
    assert "subsidy-per-m2: grant G1: dwelling A: 190.00 kr/m2" in err and "181.00" in err
    assert table_counts(db_url)["subsidy_grant"] == 0


@freeze_time("2019-07-01")
def test_an_iban_with_wrong_check_digits_is_rejected(db_url, tmp_path, capsys):
    bad = tmp_path / "register.xml"
    bad.write_text((FIXTURES / "w1" / "register.xml").read_text().replace("DK5000400440116243", "DK5100400440116243"))
    assert cli(db_url, "load", str(bad)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and re.search(r"register\.xml:4: iban: DK5100400440116243 is not a valid IBAN", err[0]), err
    assert table_counts(db_url)["organisation"] == 0
