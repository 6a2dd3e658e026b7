"""Actuals counting months outside the grant's 15-year window (issue 13, SPEC 2.3), through the command line on
SQLite and PostgreSQL: the auditor-attested report is loaded as received, the reconciliation counts only the months
inside the window, and the line is flagged; an estimate counting such months is still refused.

W1's grant G1 (department 12: four A dwellings, two B) starts its window 2017-09-01, so the window runs up to and
including 2032-08: 8 months of 2032 lie inside it.
"""
import json
import shutil
from decimal import Decimal

from freezegun import freeze_time

from tests.conftest import FIXTURES
from tests.helpers import cli, rows, table_counts

W1 = FIXTURES / "w1"
NS = 'xmlns="urn:disbursement:intake:1"'
TODAY = "2033-03-01 08:00:00"
FLAG = ("[SPEC 2.3 months outside the 15-year window] G1/12/A: 48 month(s) reported for 2032 for 4 dwelling(s), "
        "only 8 month(s) of 2032 lie inside the window (from 2017-09-01, 15 years): 16 month(s) not subsidised")


def _config(tmp_path) -> str:
    """W1's config with a net price index value for 2032 (ILLUSTRATIVE, like W1's): 131.5, factor 1.315 on 2016."""
    config = tmp_path / "config"
    shutil.copytree(W1 / "config", config)
    (config / "indices" / "net_price.toml").write_text(
        '# W1 example values and an ILLUSTRATIVE 2032 value for the end of G1\'s window.\n'
        'name = "net price index (W1 example values)"\nsource = "SPEC 4 worked example W1"\n\n'
        '[values]\n2016 = "100.0"\n2018 = "102.0"\n2019 = "103.0"\n2032 = "131.5"\n', encoding="utf-8")
    return str(config)


def _report(tmp_path, kind: str, received: str, a_months: int, b_months: int) -> str:
    statement = ' auditor-statement="REV-2033-0042"' if kind == "actuals" else ""
    path = tmp_path / f"{kind}-2032.xml"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<{kind} {NS} grant="G1" year="2032" '
                    f'received="{received}"{statement}>\n  <department number="12">\n'
                    f'    <dwelling ref="A" months="{a_months}"/>\n    <dwelling ref="B" months="{b_months}"/>\n'
                    f'  </department>\n</{kind}>\n', encoding="utf-8")
    return str(path)


@freeze_time(TODAY)
def test_actuals_beyond_the_window_are_loaded_counted_only_inside_and_flagged(db_url, tmp_path, capsys):
    config = _config(tmp_path)
    assert cli(db_url, "load", str(W1 / "register.xml"), str(W1 / "events-hire.xml"), config=config) == 0
    # A let all year (4 x 12 = 48 months, 16 of them after 2032-08); B exactly its 2 x 8 months inside the window
    actuals = _report(tmp_path, "actuals", "2033-02-10", 48, 16)
    capsys.readouterr()
    assert cli(db_url, "load", actuals, config=config) == 0
    assert capsys.readouterr().err == ""
    # stored as the auditor attested them
    assert rows(db_url, "SELECT d.ref, l.months FROM report_line l JOIN dwelling d ON d.id = l.dwelling_id "
                        "ORDER BY d.ref") == [("A", 48), ("B", 16)]

    assert cli(db_url, "run", "reconciliation", "--date", "2033-02-15", config=config) == 0
    # annual subsidy 2032 = base x 131.5 / 100.0: A 60 m2 x 150.00 x 1.315 = 11,835.00; B 80 m2 x 100.00 x 1.315
    # = 10,520.00. Counted months: A min(48, 4 x 8) = 32, B min(16, 2 x 8) = 16.
    # E = (32 x 11,835.00 + 16 x 10,520.00) / 12 = (378,720.00 + 168,320.00) / 12 = 547,040.00 / 12
    #   = 45,586.666... = 45,586.67 (rounded half up to øre); nothing paid on account for 2032, so D = E.
    # (All 48 months of A would have given (48 x 11,835.00 + 168,320.00) / 12 = 61,366.67.)
    summary = json.loads(rows(db_url, "SELECT summary FROM job_run WHERE job = 'reconciliation' ORDER BY id")[-1][0])
    assert Decimal(summary["amounts"]["entitlement"]) == Decimal("45586.67")
    assert Decimal(summary["amounts"]["difference"]) == Decimal("45586.67")
    assert [d.split(" actuals#")[0] for d in summary["details"]] == ["G1/12: E=45586.67 paid=0.00 D=45586.67"]
    # the reconciliation logs the flag (B, exactly at the window's limit, is not flagged)
    assert [f for f in summary["flags"] if "window" in f] == [FLAG]

    capsys.readouterr()
    assert cli(db_url, "status", "--as-of", "2033-03-01", config=config) == 0
    shown = [line.strip() for line in capsys.readouterr().out.splitlines() if "outside the 15-year window" in line]
    assert shown == [FLAG]


@freeze_time(TODAY)
def test_an_estimate_counting_months_outside_the_window_is_still_refused(db_url, tmp_path, capsys):
    config = _config(tmp_path)
    assert cli(db_url, "load", str(W1 / "register.xml"), str(W1 / "events-hire.xml"), config=config) == 0
    before = table_counts(db_url)
    estimate = _report(tmp_path, "estimate", "2031-11-20", 48, 16)
    capsys.readouterr()
    assert cli(db_url, "load", estimate, config=config) == 2
    assert capsys.readouterr().err == (
        f"error: {estimate}:4: months: dwelling A: 48 months in 2032, but only 8 month(s) of 2032 lie inside grant "
        f"G1's window (from 2017-09-01, 15 years)\n")
    assert table_counts(db_url) == before


@freeze_time(TODAY)
def test_actuals_inside_the_window_raise_no_window_flag(db_url, tmp_path, capsys):
    config = _config(tmp_path)
    assert cli(db_url, "load", str(W1 / "register.xml"), str(W1 / "events-hire.xml"),
               _report(tmp_path, "actuals", "2033-02-10", 32, 16), config=config) == 0
    capsys.readouterr()
    assert cli(db_url, "status", "--as-of", "2033-03-01", config=config) == 0
    assert "outside the 15-year window" not in capsys.readouterr().out
