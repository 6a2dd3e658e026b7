"""The demo fixture set (fixtures/demo.toml) through the command line, with every asserted amount worked by hand.

Net price index of fixtures/demo-config (value applying from 1 January): 2016 100.3 (illustrative), 2017 100.7,
2018 101.6, 2019 102.7, 2020 103.6, 2021 103.7. Annual subsidy of a dwelling in year Y = m2 x kr/m2 x
index(Y) / index(price year), rounded to øre; a department's amount = Σ months x annual / 12, rounded once;
instalments q1..q3 = round(A/4), q4 = A - q1 - q2 - q3 (SPEC 2.3, 3).

Payment terms (last banking day): 2018-03-28, 2018-06-29, 2018-09-28, 2018-12-28; 2019-03-29, 2019-06-28,
2019-09-30, 2019-12-30; 2020-03-31, 2020-06-30, 2020-09-30, 2020-12-30; 2021-03-31, 2021-06-30. Payment keys are
rent/<term>/<grant>/<department>#n, social/<term>/<grant>#n, conversion/<grant>#n, refund/<claim year>/<municipality>#n.

Private-sector wage index of fixtures/demo-config (ILLUSTRATIVE values): 2017 100.0, 2018 102.0, 2019 104.4,
2020 106.9, 2021 109.3. Social support in year Y = annual x wage(Y) / wage(price year), rounded to øre; quarters
q1..q3 = round(that / 4), q4 the remainder; a quarter the grant covers only partly = round(instalment x covered
days / days in the quarter) (SPEC 2.4).

Every caretaker is hired on the register's project start, so the rent-subsidy windows are those of the register.

The authority's decisions (fixtures/demo/*-decisions-*.xml, one of every kind) are known from their received dates;
the replay applies each to the runs from that day on. Their effects are pinned by the tests at the end.
"""
import hashlib
import tomllib
from decimal import Decimal

import pytest
from freezegun import freeze_time
from lxml import etree

from disbursement.cli import main

from tests.conftest import FIXTURES
from tests.helpers import claims, cli, kroner, payments, rows

PLAN = tomllib.loads((FIXTURES / "demo.toml").read_text(encoding="utf-8"))
CONFIG = str(FIXTURES / PLAN["config"])
FILES = sorted(str(p) for p in FIXTURES.glob(PLAN["files"]))
TODAY = PLAN["as_of"]  # 2021-07-01: the demo's "today"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """One fresh SQLite database with the demo loaded and every job replayed, exactly as `disbursement demo` does."""
    db = f"sqlite:///{tmp_path_factory.mktemp('demo') / 't.sqlite'}"
    with freeze_time(TODAY):
        assert cli(db, "load", *FILES, config=CONFIG) == 0
        # the replay starts more than 12 months before "today", hence --allow-old
        assert cli(db, "backfill", "--from", PLAN["from"], "--to", TODAY, "--allow-old", config=CONFIG) == 0
    return db


def paid(db: str, grant: str, dept: str) -> dict[str, Decimal]:
    """Value date -> amount paid to one department's rent-subsidy line (all journals of a term summed)."""
    return {str(day): kroner(amount) for day, amount in rows(
        db, f"SELECT value_date, SUM(amount) FROM payment WHERE line LIKE 'rent/%/{grant}/{dept}' GROUP BY value_date")}


def test_the_demo_command_exits_0(tmp_path):
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    assert (tmp_path / "demo" / "demo.sqlite").exists()


def test_every_file_is_loaded_and_archived_with_its_sha256(demo_db):
    archived = dict(rows(demo_db, "SELECT name, sha256 FROM intake_file"))
    # 3 registers, 26 estimates, 18 actuals, 31 events files, 12 loss claims, 10 decision documents
    assert len(archived) == len(FILES) == 100
    for name in FILES:
        with open(name, "rb") as handle:
            assert archived[name] == hashlib.sha256(handle.read()).hexdigest()


def test_quarterly_instalments_2019_of_g2017_01_department_14(demo_db):
    # Department 14 (nominal loans), price year 2016.
    # 2018: A 55 m2 x 170.00 = 9,350.00 x 101.6/100.3 = 9,471.186.. -> 9,471.19
    #       B 72 m2 x 150.00 = 10,800.00 x 101.6/100.3 = 10,939.980.. -> 10,939.98
    #   estimate 2018: A 46, B 24 months: (435,674.74 + 262,559.52) / 12 = 698,234.26 / 12 = 58,186.188.. -> 58,186.19
    #   actuals 2018:  A 44, B 23 months: (416,732.36 + 251,619.54) / 12 = 668,351.90 / 12 = 55,695.991.. -> 55,695.99
    #   D 2018 = 55,695.99 - 58,186.19 = -2,490.20 (all four 2018 terms were paid)
    # 2019: A 9,350.00 x 102.7/100.3 = 9,573.728.. -> 9,573.73; B 10,800.00 x 102.7/100.3 = 11,058.424.. -> 11,058.42
    #   estimate 2019: A 46, B 24 months: (440,391.58 + 265,402.08) / 12 = 705,793.66 / 12 = 58,816.138.. -> 58,816.14
    #   q1..q3 = round(58,816.14 / 4) = round(14,704.035) = 14,704.04; q4 = 58,816.14 - 3 x 14,704.04 = 14,704.02
    #   Q2 = 14,704.04 - 2,490.20 = 12,213.84
    by_term = paid(demo_db, "G2017-01", "14")
    assert [by_term[d] for d in ("2019-03-29", "2019-06-28", "2019-09-30", "2019-12-30")] == [
        Decimal("14704.04"), Decimal("12213.84"), Decimal("14704.04"), Decimal("14704.02")]
    # the rent subsidy is booked on 105.9, note 102.4 (nominal loans), in the department's accounts
    assert rows(demo_db, "SELECT DISTINCT p.recipient_account, p.recipient_note, p.recipient_book FROM posting p "
                         "JOIN department d ON d.id = p.department_id "
                         "WHERE d.grant_id = 'G2017-01' AND d.number = '14' AND p.recipient_account IS NOT NULL "
                         "AND p.line LIKE 'rent/%'") == [("105.9", "102.4", "department")]


def test_late_estimate_pays_from_the_first_term_more_than_a_month_after_receipt(demo_db):
    # G2018-03 (given 2018-11-19, project from 2019-04-01), price year 2019, so the 2019 index ratio is 1:
    #   A 58 m2 x 178.00 = 10,324.00; B 88 m2 x 125.00 = 11,000.00
    #   estimate 2019 received 2019-03-18 (due 2018-12-01): A 40, B 9 months:
    #   (412,960.00 + 99,000.00) / 12 = 511,960.00 / 12 = 42,663.333.. -> 42,663.33
    #   q1..q3 = round(10,665.8325) = 10,665.83; q4 = 42,663.33 - 31,997.49 = 10,665.84
    # Paid from the first term after 2019-04-18: Q1 (2019-03-29) pays 0 (no payment at all), Q2 2019-06-28 is first.
    by_term = paid(demo_db, "G2018-03", "12")
    assert "2019-03-29" not in by_term
    assert min(by_term) == "2019-06-28"
    assert [by_term[d] for d in ("2019-06-28", "2019-09-30", "2019-12-30")] == [
        Decimal("10665.83"), Decimal("10665.83"), Decimal("10665.84")]
    # The reconciliation trues up the unpaid Q1: actuals 2019 A 38, B 9 months:
    #   E = (392,312.00 + 99,000.00) / 12 = 491,312.00 / 12 = 40,942.666.. -> 40,942.67
    #   on-account paid = 10,665.83 + 10,665.83 + 10,665.84 = 31,997.50; D = 40,942.67 - 31,997.50 = +8,945.17
    # 2020: A 10,324.00 x 103.6/102.7 = 10,414.473.. -> 10,414.47; B 11,000.00 x 103.6/102.7 = 11,096.397.. -> 11,096.40
    #   estimate 2020 A 58, B 12: (604,039.26 + 133,156.80) / 12 = 737,196.06 / 12 = 61,433.005 -> 61,433.01
    #   q2 = round(15,358.2525) = 15,358.25; Q2 2020 = 15,358.25 + 8,945.17 = 24,303.42
    assert by_term["2020-06-30"] == Decimal("24303.42")


def test_deduction_beyond_q2_2020_becomes_a_collection_claim(demo_db):
    # G2017-02 department 5 (index loans), price year 2017.
    # 2019: A 62 m2 x 160.00 = 9,920.00 x 102.7/100.7 = 10,117.020.. -> 10,117.02
    #       B 85 m2 x 130.00 = 11,050.00 x 102.7/100.7 = 11,269.463.. -> 11,269.46
    #   estimate 2019: A 72, B 24: (728,425.44 + 270,467.04) / 12 = 998,892.48 / 12 = 83,241.04, all four terms paid
    #   actuals 2019:  A 30, B 10: (303,510.60 + 112,694.60) / 12 = 416,205.20 / 12 = 34,683.766.. -> 34,683.77
    #   D = 34,683.77 - 83,241.04 = -48,557.27
    # 2020: A 9,920.00 x 103.6/100.7 = 10,205.680.. -> 10,205.68; B 11,050.00 x 103.6/100.7 = 11,368.222.. -> 11,368.22
    #   estimate 2020: A 36, B 12: (367,404.48 + 136,418.64) / 12 = 503,823.12 / 12 = 41,985.26
    #   q2 = round(10,496.315) = 10,496.32; Q2 2020 = 10,496.32 - 48,557.27 = -38,060.95
    # -> Q2 2020 pays 0.00 and a collection claim of 38,060.95 falls due at the end of Q2 (2020-06-30).
    assert claims(demo_db) == [("rent/2020-06-30/G2017-02/5#1", "2020-06-30", Decimal("38060.95"))]
    by_term = paid(demo_db, "G2017-02", "5")
    assert "2020-06-30" not in by_term
    assert by_term["2020-09-30"] == Decimal("10496.32")  # Q3 pays the plain instalment again


def test_missing_actuals_are_flagged_and_not_reconciled(demo_db, capsys):
    with freeze_time(TODAY):
        assert cli(demo_db, "status", "--as-of", TODAY, config=CONFIG) == 0
    out = capsys.readouterr().out
    assert "[V 2.5.2 actuals missing] G2017-03: no actuals for 2019 (due 2020-02-15): not reconciled" in out
    assert ("[V 2.5.2 late estimate] G2018-03: estimate for 2019 received 2019-03-18, due 2018-12-01: "
            "on-account paid from the first term after 2019-04-18") in out
    # G2017-02's claims due 2020-06-30, summed: the rent-subsidy deduction beyond Q2 2020 (38,060.95, below) and the
    # part of its 2019 social-support repayment the authority decided to collect (5,264.80): 43,325.75
    assert "G2017-02 recipient 33871228 due 2020-06-30: 43,325.75" in out
    assert "jobs due but not run (0)" in out
    # Without actuals, Q2 2020 of G2017-03 department 31 pays the plain instalment, no 2019 reconciliation:
    # 2020: A 45 m2 x 165.00 = 7,425.00 x 103.6/100.7 = 7,638.828.. -> 7,638.83
    #       B 90 m2 x 120.00 = 10,800.00 x 103.6/100.7 = 11,111.022.. -> 11,111.02
    #   estimate 2020 A 58, B 12: (443,052.14 + 133,332.24) / 12 = 576,384.38 / 12 = 48,032.031.. -> 48,032.03
    #   q2 = round(12,008.0075) = 12,008.01
    assert paid(demo_db, "G2017-03", "31")["2020-06-30"] == Decimal("12008.01")
    assert rows(demo_db, "SELECT count(*) FROM posting WHERE grant_id = 'G2017-03' "
                         "AND component = 'reconciliation 2019'") == [(0,)]


def test_superseding_actuals_the_later_report_wins(demo_db):
    # G2017-01 department 22 (index loans), dwelling C (3 x 48 m2 x 175.00, price year 2017).
    # 2019: 8,400.00 x 102.7/100.7 = 8,566.832.. -> 8,566.83; estimate 35 months: 299,839.05 / 12 = 24,986.5875
    #   -> 24,986.59 paid on account. Actuals received 2020-02-10: 34 months -> 24,272.69, D = -713.90;
    #   corrected actuals received 2020-03-09: 31 months: 265,571.73 / 12 = 22,130.9775 -> 22,130.98, D = -2,855.61
    # 2020: 8,400.00 x 103.6/100.7 = 8,641.906.. -> 8,641.91; estimate 35 months: 302,466.85 / 12 = 25,205.57
    #   q2 = round(6,301.3925) = 6,301.39; Q2 2020 = 6,301.39 - 2,855.61 = 3,445.78 (with the first report: 5,587.49)
    assert rows(demo_db, "SELECT received FROM report WHERE grant_id = 'G2017-01' AND kind = 'actuals' "
                         "AND year = 2019 ORDER BY received") == [("2020-02-10",), ("2020-03-09",)]
    assert paid(demo_db, "G2017-01", "22")["2020-06-30"] == Decimal("3445.78")


def test_superseding_estimate_pays_from_the_first_term_more_than_a_month_after_receipt(demo_db):
    # G2018-02 department 27 (index loans), dwelling A (4 x 40 m2 x 180.00, price year 2018).
    # 2020: 7,200.00 x 103.6/101.6 = 7,341.732.. -> 7,341.73
    #   estimate received 2019-11-25, 45 months: 330,377.85 / 12 = 27,531.4875 -> 27,531.49; q = 6,882.87
    #   revised estimate received 2020-04-20, 36 months: 264,302.28 / 12 = 22,025.19; q = round(5,506.2975) = 5,506.30,
    #   q4 = 22,025.19 - 16,518.90 = 5,506.29. It pays from the first term after 2020-05-20: Q2 (2020-06-30) on.
    by_term = paid(demo_db, "G2018-02", "27")
    assert by_term["2020-03-31"] == Decimal("6882.87")
    assert [by_term["2020-09-30"], by_term["2020-12-30"]] == [Decimal("5506.30"), Decimal("5506.29")]


def test_every_journal_balances(demo_db):
    assert rows(demo_db, "SELECT journal_id FROM posting GROUP BY journal_id HAVING SUM(amount) <> 0") == []


def by_value_date(db: str, support: str, where: str = "1 = 1") -> dict[str, Decimal]:
    """Value date -> amount paid for one support type (all payments of that day summed)."""
    return {str(day): kroner(amount) for day, amount in rows(
        db, f"SELECT value_date, SUM(amount) FROM payment WHERE support = '{support}' AND {where} GROUP BY value_date")}


def test_social_support_first_quarter_pro_rata_then_indexed_quarters(demo_db):
    # G2018-02: 280,000.00 a year in 2018 wages; caretaker hired Saturday 2018-09-01, reported 2018-09-04.
    # 2018: 280,000.00 x 102.0/102.0 = 280,000.00 -> instalment 70,000.00.
    #   Q3 2018 covered 2018-09-01..2018-09-30 = 30 of 92 days (31 + 31 + 30):
    #   70,000.00 x 30 / 92 = 22,826.0869.. -> 22,826.09, paid with the Q3 term 2018-09-28; Q4 2018 in full.
    # 2019: 280,000.00 x 104.4/102.0 = 286,588.2352.. -> 286,588.24; q = round(71,647.06) = 71,647.06,
    #   q4 = 286,588.24 - 3 x 71,647.06 = 71,647.06.
    # 2020: 280,000.00 x 106.9/102.0 = 293,450.9803.. -> 293,450.98; q1..q3 = round(73,362.745) = 73,362.75,
    #   q4 = 293,450.98 - 220,088.25 = 73,362.73.
    # 2021: 280,000.00 x 109.3/102.0 = 300,039.2156.. -> 300,039.22; q = round(75,009.805) = 75,009.81.
    # Decision TBST-2020-17402 stops it from 2020-10-01 (the caretaker left): Q4 2020 pays nothing (no payment);
    # resumed from 2021-01-04: Q1 2021 covers 2021-01-04..2021-03-31 = 87 of 90 days:
    #   75,009.81 x 87 / 90 = 72,509.483 -> 72,509.48.
    social = by_value_date(demo_db, "social_support", "grant_id = 'G2018-02'")
    assert social == {
        "2018-09-28": Decimal("22826.09"), "2018-12-28": Decimal("70000.00"),
        "2019-03-29": Decimal("71647.06"), "2019-06-28": Decimal("71647.06"),
        "2019-09-30": Decimal("71647.06"), "2019-12-30": Decimal("71647.06"),
        "2020-03-31": Decimal("73362.75"), "2020-06-30": Decimal("73362.75"),
        "2020-09-30": Decimal("73362.75"),
        "2021-03-31": Decimal("72509.48"), "2021-06-30": Decimal("75009.81"),
    }  # nothing for Q1 and Q2 2018: the caretaker was not hired yet; nothing for Q4 2020: stopped
    # G2017-02: 380,000.00 in 2017 wages; hired 2018-01-08: 2018 = 380,000.00 x 102.0/100.0 = 387,600.00 -> 96,900.00;
    #   Q1 2018 covered 2018-01-08..2018-03-31 = 83 of 90 days: 96,900.00 x 83 / 90 = 89,363.333.. -> 89,363.33
    assert by_value_date(demo_db, "social_support", "grant_id = 'G2017-02'")["2018-03-28"] == Decimal("89363.33")
    # booked on 602, note pkt. 26, in the organisation's accounts
    assert rows(demo_db, "SELECT DISTINCT recipient_account, recipient_note, recipient_book FROM posting "
                         "WHERE line LIKE 'social/%' AND recipient_account IS NOT NULL"
                ) == [("602", "pkt. 26", "organisation")]


def test_social_support_repayment_is_offset_against_the_next_payment_in_part_by_decision(demo_db):
    # G2017-02, 2019: 380,000.00 x 104.4/100.0 = 396,720.00 -> 4 x 99,180.00 = 396,720.00 paid for 2019.
    # Its 2019 accounts (received 2020-06-22) show expenses of 381,455.20: repayment 396,720.00 - 381,455.20 = 15,264.80,
    # by default offset against the next term, Q2 2020 (2020-06-30). Decision UDK-2020-55810 (received 2020-06-26,
    # before that term): offset-part, 10,000.00 offset, the rest 15,264.80 - 10,000.00 = 5,264.80 collected.
    # 2020: 380,000.00 x 106.9/100.0 = 406,220.00 -> 101,555.00 a quarter; Q2 2020 = 101,555.00 - 10,000.00 = 91,555.00
    # (86,290.20 with the whole repayment offset).
    social = by_value_date(demo_db, "social_support", "grant_id = 'G2017-02'")
    assert [social[d] for d in ("2019-03-29", "2019-06-28", "2019-09-30", "2019-12-30")] == [Decimal("99180.00")] * 4
    assert [social[d] for d in ("2020-03-31", "2020-06-30", "2020-09-30", "2020-12-30")] == [
        Decimal("101555.00"), Decimal("91555.00"), Decimal("101555.00"), Decimal("101555.00")]
    assert [(c, kroner(a)) for c, a in rows(
        demo_db, "SELECT component, SUM(amount) FROM posting WHERE line = 'social/2020-06-30/G2017-02' "
                 "AND component NOT IN ('payment', 'claim') GROUP BY component ORDER BY component")] == [
        ("quarter 2020Q2", Decimal("101555.00")), ("repayment offset", Decimal("-10000.00"))]
    # the rest is collected: one social-support claim, due with the term
    assert claims(demo_db, "social_support") == [
        ("social-repayment/2019/G2017-02/2020-06-30#1", "2020-06-30", Decimal("5264.80"))]


def test_conversion_grant_paid_on_the_first_banking_day_after_the_report(demo_db):
    # G2017-02: works started 2018-02-12, reported Thursday 2018-02-15 -> paid Friday 2018-02-16, 180,000.00.
    # G2017-01: reported Friday 2018-03-09 -> paid Monday 2018-03-12, 250,000.00.
    # G2018-01: reported Wednesday 2018-09-05 -> paid Thursday 2018-09-06, 120,000.00.
    # G2018-03: works started 2020-02-03, after the 12-month deadline 2019-11-19 but within the extension to
    #   2020-05-19 (decision received 2019-10-21); reported Thursday 2020-02-06 -> paid Friday 2020-02-07, 90,000.00.
    # G2019-01 never reports the start of works: nothing.
    # G2017-01's mertilsagn (decision TBST-2021-01877, received Wednesday 2021-02-24) raises its conversion grant to
    # the 257,310.40 its works cost: the difference 257,310.40 - 250,000.00 = 7,310.40 is paid Thursday 2021-02-25.
    assert payments(demo_db, "conversion_grant") == [
        ("conversion/G2017-02#1", "2018-02-16", Decimal("180000.00")),
        ("conversion/G2017-01#1", "2018-03-12", Decimal("250000.00")),
        ("conversion/G2018-01#1", "2018-09-06", Decimal("120000.00")),
        ("conversion/G2018-03#1", "2020-02-07", Decimal("90000.00")),
        ("conversion/G2017-01#2", "2021-02-25", Decimal("7310.40")),
    ]
    # G2017-02's final accounts (received Monday 2019-05-20): 171,284.60 spent of 180,000.00 ->
    # repayment claim 180,000.00 - 171,284.60 = 8,715.40, due the next banking day, 2019-05-21. The other grants spent
    # at least what they were paid (257,310.40, 121,870.00, 92,615.75): no claim (G2017-01 is now paid exactly what it
    # spent: 257,310.40 - 257,310.40 = 0).
    assert claims(demo_db, "conversion_grant") == [
        ("conversion-repayment/G2017-02#1", "2019-05-21", Decimal("8715.40"))]
    # paid to the department named in the report, booked on 303.1 in the department's accounts
    assert rows(demo_db, "SELECT DISTINCT d.number, p.recipient_account, p.recipient_note, p.recipient_book "
                         "FROM posting p JOIN department d ON d.id = p.department_id "
                         "WHERE p.line = 'conversion/G2017-01' AND p.component = 'conversion grant'"
                ) == [("14", "303.1", "303.1", "department")]


def test_loss_refunds_eligible_only_pro_rata_and_the_reserve_depleting(demo_db):
    # 2018 claims (paid with Q2 2019, 2019-06-28), 75 % of the eligible losses only:
    #   101: 84,000.00 x 0.75 = 63,000.00 (the 18,400.00 of arrears are not eligible); 461: 70,000.00 -> 52,500.00;
    #   751: 126,000.00 -> 94,500.00 (all cohort 2017: 210,000.00 <= 500,000.00, in full; 290,000.00 remains);
    #   851: 24,000.00 -> 18,000.00 (cohort 2018).
    # 2019 claims (paid 2020-06-30), cohort 2017: 101: 152,340.00 x 0.75 = 114,255.00 (the 31,750.00 lost by missing
    #   the inspection deadlines is not eligible); 461: 96,307.00 x 0.75 = 72,230.25; 751: 143,917.00 x 0.75 =
    #   107,937.75; together 294,423.00 > 290,000.00 remaining -> x 290,000.00 / 294,423.00:
    #   101 112,538.5924.., 461 71,145.1635.., 751 106,316.2439..; floors 112,538.59 + 71,145.16 + 106,316.24 =
    #   289,999.99; the one øre left goes to the largest remainder (751: 0.44 øre, against 0.36 and 0.24) ->
    #   112,538.59 + 71,145.16 + 106,316.25 = 290,000.00 exactly (plain rounding would give 289,999.99).
    #   Cohort 2018, in full: 101 (G2018-02) 41,200.00 -> 30,900.00; 751 (G2018-03) 28,600.00 -> 21,450.00;
    #   851 19,880.00 -> 14,910.00.
    #   So 101 is paid 112,538.59 + 30,900.00 = 143,438.59 and 751 106,316.25 + 21,450.00 = 127,766.25.
    # 2020 claims (paid 2021-06-30): cohort 2017's reserve is used up: 0.00 for 101's 45,600.00 and 461's 58,200.00;
    #   cohort 2018: 101 36,480.00 -> 27,360.00; 751 22,150.00 -> 16,612.50 (9,870.00 of arrears not eligible).
    #   Decision TBST-2021-02310 sets cohort 2018's reserve to 150,000.00 from the 2020 claims on: drawn so far
    #   18,000.00 (2018) + 30,900.00 + 21,450.00 + 14,910.00 (2019) = 85,260.00, so 64,740.00 is available for 2020;
    #   the timely claims take 27,360.00 + 16,612.50 = 43,972.50, leaving 20,767.50.
    #   851's claim arrived 2021-05-27, after the 15 May deadline; decision UDK-2021-40318 accepts it: 75 % of
    #   33,000.00 = 24,750.00 (851 has no timely 2020 claim), within the 20,767.50 left -> 20,767.50.
    assert payments(demo_db, "loss_refund") == [
        ("refund/2018/101#1", "2019-06-28", Decimal("63000.00")),
        ("refund/2018/461#1", "2019-06-28", Decimal("52500.00")),
        ("refund/2018/751#1", "2019-06-28", Decimal("94500.00")),
        ("refund/2018/851#1", "2019-06-28", Decimal("18000.00")),
        ("refund/2019/101#1", "2020-06-30", Decimal("143438.59")),
        ("refund/2019/461#1", "2020-06-30", Decimal("71145.16")),
        ("refund/2019/751#1", "2020-06-30", Decimal("127766.25")),
        ("refund/2019/851#1", "2020-06-30", Decimal("14910.00")),
        ("refund/2020/101#1", "2021-06-30", Decimal("27360.00")),
        ("refund/2020/751#1", "2021-06-30", Decimal("16612.50")),
        ("refund/2020/851#1", "2021-06-30", Decimal("20767.50")),
    ]
    by_cohort = {(line, component): kroner(amount) for line, component, amount in rows(
        demo_db, "SELECT line, component, SUM(amount) FROM posting WHERE line LIKE 'refund/%' "
                 "AND component LIKE 'cohort %' GROUP BY line, component")}
    assert {k: v for k, v in by_cohort.items() if k[0].startswith("refund/2019/") and k[1] == "cohort 2017"} == {
        ("refund/2019/101", "cohort 2017"): Decimal("112538.59"),
        ("refund/2019/461", "cohort 2017"): Decimal("71145.16"),
        ("refund/2019/751", "cohort 2017"): Decimal("106316.25"),
    }
    # the cohort 2017 reserve depletes: 210,000.00 in 2018 + 290,000.00 in 2019 = 500,000.00, then nothing in 2020
    per_year = {}
    for (line, component), amount in by_cohort.items():
        if component == "cohort 2017":
            per_year[line.split("/")[1]] = per_year.get(line.split("/")[1], Decimal("0")) + amount
    assert per_year == {"2018": Decimal("210000.00"), "2019": Decimal("290000.00")}
    assert sum(per_year.values()) == Decimal("500000.00")
    # refunds are paid to the municipality and booked in no housing organisation's accounts
    assert rows(demo_db, "SELECT count(*) FROM posting WHERE line LIKE 'refund/%' AND recipient_account IS NOT NULL"
                ) == [(0,)]


def test_a_grant_that_never_hires_lapses_and_a_decision_limits_the_lapse_to_its_social_support(demo_db, capsys):
    # G2019-01, given 2019-03-04, never reports a caretaker (nor the start of works) and has no extension: the
    # deadline is 2020-03-04 and the grant lapses from 2020-03-05 (SPEC 2.6).
    # Before that, its rent subsidy was paid on account (price year 2019, index ratio 1):
    #   A 54 m2 x 172.00 = 9,288.00; B 70 m2 x 150.00 = 10,500.00; estimate 2019 (received 2019-03-04) A 18, B 12:
    #   (167,184.00 + 126,000.00) / 12 = 24,432.00 -> 6,108.00 a term; Q1 2019 (2019-03-29) is within a month of
    #   receipt and pays 0. Actuals 2019 A 17, B 11: (157,896.00 + 115,500.00) / 12 = 22,783.00, so D = 22,783.00 -
    #   18,324.00 = +4,459.00.
    # Decision TBST-2020-4127 (received 2020-03-20, before the Q1 2020 term) limits the lapse to the social support:
    # the rent subsidy goes on. 2020: A 9,288.00 x 103.6/102.7 = 9,369.394.. -> 9,369.39;
    #   B 10,500.00 x 103.6/102.7 = 10,592.015.. -> 10,592.02; estimate 2020 A 36, B 24:
    #   (337,298.04 + 254,208.48) / 12 = 591,506.52 / 12 = 49,292.21; q1..q3 = round(12,323.0525) = 12,323.05,
    #   q4 = 49,292.21 - 36,969.15 = 12,323.06; Q2 2020 = 12,323.05 + 4,459.00 = 16,782.05 (a lapsed grant would not
    #   be paid the positive difference). No estimate for 2021 was sent: nothing in 2021.
    # (amounts are stored in integer øre)
    assert [(key, str(day), amount) for key, day, amount in rows(
        demo_db, "SELECT key, value_date, amount FROM payment WHERE grant_id = 'G2019-01' ORDER BY value_date")] == [
        ("rent/2019-06-28/G2019-01/3#1", "2019-06-28", 610800),
        ("rent/2019-09-30/G2019-01/3#1", "2019-09-30", 610800),
        ("rent/2019-12-30/G2019-01/3#1", "2019-12-30", 610800),
        ("rent/2020-03-31/G2019-01/3#1", "2020-03-31", 1232305),
        ("rent/2020-06-30/G2019-01/3#1", "2020-06-30", 1678205),
        ("rent/2020-09-30/G2019-01/3#1", "2020-09-30", 1232305),
        ("rent/2020-12-30/G2019-01/3#1", "2020-12-30", 1232306)]
    assert [(c, kroner(a)) for c, a in rows(
        demo_db, "SELECT component, amount FROM posting WHERE line = 'rent/2020-06-30/G2019-01/3' "
                 "AND component <> 'payment' ORDER BY component")] == [
        ("instalment", Decimal("12323.05")), ("reconciliation 2019", Decimal("4459.00"))]
    # the social support lapsed (and was never paid: no hire), no works were reported: nothing but rent subsidy
    assert rows(demo_db, "SELECT count(*) FROM posting WHERE grant_id = 'G2019-01' AND line NOT LIKE 'rent/%'"
                ) == [(0,)]
    with freeze_time(TODAY):
        assert cli(demo_db, "status", "--as-of", TODAY, config=CONFIG) == 0
    out = capsys.readouterr().out
    assert ("[V 2.5.1/2.5.3 grant lapsed] G2019-01: caretaker not hired by 2020-03-04 (V 2.5.3) and works not started "
            "by 2020-03-04 (V 2.5.1): social_support pays nothing from 2020-03-05; the other supports go on (answered by "
            "decision TBST-2020-4127)\n") in out
    # only the grant that missed its deadlines lapsed (G2018-03's works started after 12 months, within its extension)
    assert out.count("grant lapsed") == 1


def test_status_shows_the_event_and_claim_flags(demo_db, capsys):
    with freeze_time(TODAY):
        assert cli(demo_db, "status", "--as-of", TODAY, config=CONFIG) == 0
    out = capsys.readouterr().out
    for expected in (
        "[V 2.4 phase over 9 months] G2017-01: phase-in 2018-01-02 to 2018-11-30 lasts more than 9 months",
        "[V 2.5.2 non-eligible tenant] G2017-01/C unit 2: let from 2019-10-01 to a tenant outside the eligible group",
        "[V 7 lease over 2 years] G2018-02/A unit 3: lease 2018-09-01 to 2021-08-31 runs more than 24 months",
        "[V 2.5.3 social-support accounts missing] G2017-03: accounts of the social-support expenses for 2020 were due "
        "2021-06-30",
        "[V 2.5.4 late loss claim] municipality 851: late claim for 2020 accepted: refunded within what remains of the "
        "reserve (answered by decision UDK-2021-40318)",
        "[V 2.2.4 reserve exhausted] cohort 2017",
        "G2017-02 recipient 33871228 due 2019-05-21: 8,715.40",
    ):
        assert expected in out
    # the lease with an extension decision (G2018-02 B unit 1) and the 7-month phase-in of G2018-02 are not flagged
    assert "G2018-02/B unit 1" not in out and "phase-in 2018-09-01" not in out
    # every other grant filed its social-support accounts for 2018-2020
    assert out.count("social-support accounts missing") == 1


# --- The authority's decisions (fixtures/demo/*-decisions-*.xml, one of every kind) ---

DECISION_LINES = [
    "UDK-2020-71236 decided 2020-10-13: organisation 36612428 master data: address Kildemarksvej 12, 5000 Odense C, "
    "iban DK8053900003684129; from 2020-10-01",
    "TBST-2020-17402 decided 2020-10-08: grant G2018-02 social_support stopped by 100.00 %; from 2020-10-01 until "
    "2021-01-04",
    "TBST-2020-17402 decided 2021-01-07: grant G2018-02 social_support resumed; ends what it supersedes",
    "TBST-2020-19655 decided 2020-12-10: grant G2018-02 transferred to organisation 41258810; from 2021-01-01",
    "TBST-2020-4127 decided 2020-03-18: grant G2019-01 lapse limited to social_support; from 2020-03-05",
    "TBST-2021-01877 decided 2021-02-22: grant G2017-01 changed: social support 480,000.00 a year, price year 2017, "
    "conversion grant 257,310.40; from 2021-02-15",
    "TBST-2021-02310 decided 2021-02-25: reserve of cohort 2018 set to 150,000.00; from 2021-03-01",
    "TBST-2021-02764 decided 2021-03-04: grant G2017-02 social_support reduced by 40,000.00 a year; from 2021-01-01",
    "UDK-2020-55810 decided 2020-06-25: grant G2017-02 social-support repayment for 2019: offset-part (10,000.00); "
    "from 2020-06-26",
    "UDK-2021-40318 decided 2021-06-08: late loss claim 2020 of municipality 851 accepted; from 2021-06-08",
]


def test_status_lists_every_decision_and_the_flags_they_answer(demo_db, capsys):
    with freeze_time(TODAY):
        assert cli(demo_db, "status", "--as-of", TODAY, config=CONFIG) == 0
    out = capsys.readouterr().out
    # master data first, then the scheme's decisions, each by case; a stop and its resume are one case
    assert "decisions (10):\n" + "".join(f"  {line}\n" for line in DECISION_LINES) in out
    # the reduction answers G2017-02's vacancy and non-eligible flags; the lapse decision G2019-01's lapse; the
    # accepted late claim its flag
    answered = [line.strip() for line in out.splitlines() if "(answered by decision" in line]
    assert answered == [
        "[V 2.5.2 non-eligible tenant] G2017-02/5/A: 6 month(s) in 2019 let to a tenant outside the eligible group "
        "earn no subsidy (answered by decision TBST-2021-02764)",
        "[V 2.7 vacancy over 3 months] G2017-02/5/A: 36 vacant month(s) in 2019 for 6 dwelling(s) (answered by "
        "decision TBST-2021-02764)",
        "[V 2.7 vacancy over 3 months] G2017-02/5/B: 14 vacant month(s) in 2019 for 2 dwelling(s) (answered by "
        "decision TBST-2021-02764)",
        "[V 2.7 vacancy over 3 months] G2017-02/5/A: 32 vacant month(s) in 2020 for 6 dwelling(s) (answered by "
        "decision TBST-2021-02764)",
        "[V 2.7 vacancy over 3 months] G2017-02/5/B: 10 vacant month(s) in 2020 for 2 dwelling(s) (answered by "
        "decision TBST-2021-02764)",
        "[V 2.5.1/2.5.3 grant lapsed] G2019-01: caretaker not hired by 2020-03-04 (V 2.5.3) and works not started by "
        "2020-03-04 (V 2.5.1): social_support pays nothing from 2020-03-05; the other supports go on (answered by decision TBST-2020-4127)",
        "[V 2.5.4 late loss claim] municipality 851: late claim for 2020 accepted: refunded within what remains of "
        "the reserve (answered by decision UDK-2021-40318)",
    ]
    # flags of grants without such a decision stay unanswered (G2017-01's phase-in: its grant change does not answer)
    assert ("[V 2.4 phase over 9 months] G2017-01: phase-in 2018-01-02 to 2018-11-30 lasts more than 9 months: to be "
            "reported to the ministry\n") in out
    # every file was loaded before the replay, so no run is stale and every job ran
    assert "jobs due but not run (0):" in out and "jobs to run again" not in out and "failed" not in out
    # What the decisions changed in the money paid (without them: 2020 2,954,671.00, 2021 1,348,474.14):
    # 2020: G2019-01 rent 12,323.05 + 16,782.05 + 12,323.05 + 12,323.06 = +53,751.21; G2017-02 Q2 social support
    #   offsets 10,000.00 instead of 15,264.80: +5,264.80; G2018-02 Q4 social support stopped: -73,362.73;
    #   2,954,671.00 + 53,751.21 + 5,264.80 - 73,362.73 = 2,940,324.28
    # 2021: conversion top-up +7,310.40; Aalborg's late refund +20,767.50; G2017-01 social support
    #   (127,061.25 - 122,962.50) + (131,160.00 - 122,962.50) = +12,296.25; G2017-02 2 x (92,905.00 - 103,835.00) =
    #   -21,860.00; G2018-02 Q1 72,509.48 - 75,009.81 = -2,500.33;
    #   1,348,474.14 + 7,310.40 + 20,767.50 + 12,296.25 - 21,860.00 - 2,500.33 = 1,364,487.96
    assert ("paid by year:\n  2018: 2,188,372.29\n  2019: 2,640,521.51\n  2020: 2,940,324.28\n"
            "  2021: 1,364,487.96\n") in out


PAIN = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


def _transfers(path) -> list[tuple[str, str, str, str, str, str]]:
    """(execution date, remittance key, amount, creditor name, CVR, IBAN) of each transfer of a pain.001 file."""
    found = []
    for info in etree.parse(str(path)).iterfind(".//p:PmtInf", PAIN):
        day = info.findtext("p:ReqdExctnDt/p:Dt", namespaces=PAIN)
        for tx in info.iterfind("p:CdtTrfTxInf", PAIN):
            found.append((day, tx.findtext("p:RmtInf/p:Ustrd", namespaces=PAIN).split()[0],
                          tx.findtext("p:Amt/p:InstdAmt", namespaces=PAIN), tx.findtext("p:Cdtr/p:Nm", namespaces=PAIN),
                          tx.findtext("p:Cdtr/p:Id/p:OrgId/p:Othr/p:Id", namespaces=PAIN),
                          tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=PAIN)))
    return found


def test_master_data_change_pays_the_new_account_from_its_effective_date(demo_db, tmp_path):
    # Decision UDK-2020-71236 (received 2020-10-14): Fynsbo (36612428) has a new address and account from 2020-10-01,
    # the day after its last payment (value date 2020-09-30). Its name is not changed.
    for year in ("2020", "2021"):
        assert cli(demo_db, "export", "--year", year, "--format", "pain001", "--out", str(tmp_path), config=CONFIG) == 0
    # G2017-03 department 31, 2020 (see test_missing_actuals_are_flagged_and_not_reconciled): A = 48,032.03,
    #   q1..q3 = 12,008.01, q4 = 48,032.03 - 36,024.03 = 12,008.00
    assert ("2020-09-30", "rent/2020-09-30/G2017-03/31#1", "12008.01", "Boligselskabet Fynsbo", "36612428",
            "DK3295704417005296") in _transfers(tmp_path / "pain001-2020-aconto-2020-09-30-1.xml")
    assert ("2020-12-30", "rent/2020-12-30/G2017-03/31#1", "12008.00", "Boligselskabet Fynsbo", "36612428",
            "DK8053900003684129") in _transfers(tmp_path / "pain001-2020-aconto-2020-12-30-1.xml")
    # G2017-03's social support, 2021: 300,000.00 x 109.3/100.0 = 327,900.00 -> 81,975.00 a quarter, to the new account
    assert ("2021-03-31", "social/2021-03-31/G2017-03#1", "81975.00", "Boligselskabet Fynsbo", "36612428",
            "DK8053900003684129") in _transfers(tmp_path / "pain001-2021-social_support-2021-03-31-1.xml")
    # every payment to Fynsbo: the old account up to 2020-09-30, the new one from 2020-10-01
    fynsbo = [t for path in sorted(tmp_path.glob("pain001-*.xml")) for t in _transfers(path) if t[4] == "36612428"]
    assert len(fynsbo) == 12  # 4 rent-subsidy and 4 social-support terms in 2020, 2 and 2 in 2021
    assert {(day >= "2020-10-01", iban) for day, _, _, _, _, iban in fynsbo} == {
        (False, "DK3295704417005296"), (True, "DK8053900003684129")}
    assert {name for _, _, _, name, _, _ in fynsbo} == {"Boligselskabet Fynsbo"}


def test_transfer_pays_the_new_organisation_from_its_effective_date(demo_db):
    # Decision TBST-2020-19655 (received 2020-12-14): G2018-02 passes from Kildebo (29140537) to Nordlyset (41258810)
    # on 2021-01-01. Department 27 (A, 4 x 40 m2 x 180.00, price year 2018), 28 (B, 2 x 78 m2 x 140.00):
    # 2021: A 7,200.00 x 103.7/101.6 = 7,348.818.. -> 7,348.82; estimate 2021 44 months: 323,348.08 / 12 =
    #   26,945.673.. -> 26,945.67, q = round(6,736.4175) = 6,736.42.
    #   B 10,920.00 x 103.7/101.6 = 11,145.708.. -> 11,145.71; 24 months: 267,497.04 / 12 = 22,291.42,
    #   q = round(5,572.855) = 5,572.86.
    # Q2 2021 settles 2020: dept 27 paid 6,882.87 + 5,506.30 + 5,506.30 + 5,506.29 = 23,401.76 on account; actuals
    #   37 months x 7,341.73 = 271,644.01 / 12 = 22,637.0008 -> 22,637.00; D = -764.76 -> 6,736.42 - 764.76 = 5,971.66.
    #   Dept 28: 24 months estimated and let: D = 0.
    # Social support: stopped for Q4 2020, 72,509.48 and 75,009.81 in 2021 (test_social_support_first_quarter...).
    assert [(key, str(day), cvr, kroner(amount)) for key, day, cvr, amount in rows(
        demo_db, "SELECT key, value_date, recipient_cvr, amount FROM payment WHERE grant_id = 'G2018-02' "
                 "AND value_date >= '2020-12-30' ORDER BY value_date, key")] == [
        ("rent/2020-12-30/G2018-02/27#1", "2020-12-30", "29140537", Decimal("5506.29")),
        ("rent/2020-12-30/G2018-02/28#1", "2020-12-30", "29140537", Decimal("5567.48")),
        ("rent/2021-03-31/G2018-02/27#1", "2021-03-31", "41258810", Decimal("6736.42")),
        ("rent/2021-03-31/G2018-02/28#1", "2021-03-31", "41258810", Decimal("5572.86")),
        ("social/2021-03-31/G2018-02#1", "2021-03-31", "41258810", Decimal("72509.48")),
        ("rent/2021-06-30/G2018-02/27#1", "2021-06-30", "41258810", Decimal("5971.66")),
        ("rent/2021-06-30/G2018-02/28#1", "2021-06-30", "41258810", Decimal("5572.86")),
        ("social/2021-06-30/G2018-02#1", "2021-06-30", "41258810", Decimal("75009.81")),
    ]
    # nothing paid before the transfer went to Nordlyset, nothing after it to Kildebo
    assert rows(demo_db, "SELECT DISTINCT value_date >= '2021-01-01', recipient_cvr FROM payment "
                         "WHERE grant_id = 'G2018-02' ORDER BY 1") == [(0, "29140537"), (1, "41258810")]


def test_grant_change_raises_the_social_support_from_its_effective_day(demo_db):
    # Decision TBST-2021-01877 (received 2021-02-24): G2017-01's social support 480,000.00 a year in 2017 wages
    # (was 450,000.00) from 2021-02-15; the conversion difference is in test_conversion_grant_paid_on_the_first...
    # 2020 (unchanged): 450,000.00 x 106.9/100.0 = 481,050.00 -> q = round(120,262.50) = 120,262.50 (q4 the same).
    # 2021: before 450,000.00 x 109.3/100.0 = 491,850.00 -> 122,962.50; after 480,000.00 x 1.093 = 524,640.00 ->
    #   131,160.00. Q1 2021 (90 days) straddles 2021-02-15: 2021-01-01..02-14 = 45 days at the old amount,
    #   2021-02-15..03-31 = 45 days at the new: round((122,962.50 x 45 + 131,160.00 x 45) / 90) = 127,061.25.
    social = by_value_date(demo_db, "social_support", "grant_id = 'G2017-01'")
    assert [social[d] for d in ("2020-12-30", "2021-03-31", "2021-06-30")] == [
        Decimal("120262.50"), Decimal("127061.25"), Decimal("131160.00")]
    # the conversion grant is now what the works cost, and the final accounts leave nothing to repay
    assert rows(demo_db, "SELECT SUM(amount) FROM payment WHERE line = 'conversion/G2017-01'") == [(25731040,)]
    assert rows(demo_db, "SELECT count(*) FROM posting WHERE line = 'conversion-repayment/G2017-01'") == [(0,)]


def test_reduction_by_an_amount_lowers_the_social_support_from_its_effective_date(demo_db):
    # Decision TBST-2021-02764 (received 2021-03-08): G2017-02's social support reduced by 40,000.00 a year (2017
    # wages) from 2021-01-01. 2021: (380,000.00 - 40,000.00) x 109.3/100.0 = 371,620.00 -> 92,905.00 a quarter
    # (without it 380,000.00 x 1.093 = 415,340.00 -> 103,835.00). Q4 2020 is untouched: 101,555.00.
    social = by_value_date(demo_db, "social_support", "grant_id = 'G2017-02'")
    assert [social[d] for d in ("2020-12-30", "2021-03-31", "2021-06-30")] == [
        Decimal("101555.00"), Decimal("92905.00"), Decimal("92905.00")]
    # the rent subsidy is not reduced: Q1 2021 of department 5 is the plain instalment of the 2021 estimate
    # (A 60, B 20 months; 2021: A 9,920.00 x 103.7/100.7 = 10,215.531.. -> 10,215.53, B 11,050.00 x 103.7/100.7 =
    # 11,379.195.. -> 11,379.20; (612,931.80 + 227,584.00) / 12 = 70,042.983.. -> 70,042.98;
    # q = round(17,510.745) = 17,510.75)
    assert paid(demo_db, "G2017-02", "5")["2021-03-31"] == Decimal("17510.75")


def test_cohort_reserve_and_accepted_late_claim(demo_db, capsys):
    # Decisions TBST-2021-02310 (cohort 2018's reserve 150,000.00 from the 2020 claims) and UDK-2021-40318 (Aalborg's
    # late 2020 claim accepted): see test_loss_refunds_eligible_only_pro_rata_and_the_reserve_depleting.
    assert [(c, kroner(a)) for c, a in rows(
        demo_db, "SELECT component, amount FROM posting WHERE line = 'refund/2020/851' "
                 "AND component <> 'payment'")] == [
        ("cohort 2018 late claim accepted", Decimal("20767.50"))]
    # cohort 2018 has paid out exactly its reserve: 18,000.00 + 67,260.00 + 43,972.50 + 20,767.50 = 150,000.00
    assert rows(demo_db, "SELECT SUM(amount) FROM posting WHERE line LIKE 'refund/%' "
                         "AND component LIKE 'cohort 2018%'") == [(15000000,)]
    with freeze_time(TODAY):
        assert cli(demo_db, "status", "--as-of", TODAY, config=CONFIG) == 0
    out = capsys.readouterr().out
    assert "[V 2.2.4 reserve exhausted] cohort 2018: the 150000.00 reserve was used up by the 2020 claims\n" in out
    assert "not refunded" not in out


def test_decisions_loaded_after_the_runs_they_change_make_them_stale_and_nightly_books_the_difference(
        demo_db, tmp_path, capsys):
    # The demo without two decisions, replayed to its date; then they arrive: the reduction of G2017-02's social
    # support (received 2021-03-08, effective 2021-01-01) and the acceptance of Aalborg's late claim (2021-06-10).
    late = [f for f in FILES if f.endswith(("2021-03-08-decisions-reduction-G2017-02.xml",
                                            "2021-06-10-decisions-late-claim-2020-851.xml"))]
    db = f"sqlite:///{tmp_path / 'late.sqlite'}"
    with freeze_time(f"{TODAY} 08:00:00"):
        assert cli(db, "load", *[f for f in FILES if f not in late], config=CONFIG) == 0
        assert cli(db, "backfill", "--from", PLAN["from"], "--to", TODAY, "--allow-old", config=CONFIG) == 0
    with freeze_time(f"{TODAY} 09:00:00"):
        assert cli(db, "load", *late, config=CONFIG) == 0
        capsys.readouterr()
        assert cli(db, "status", "--as-of", TODAY, config=CONFIG) == 0
    out = capsys.readouterr().out
    # the runs of the jobs they change, from the day each was received (the late claim: its year's refunds run)
    assert ("jobs to run again, a report came after them (3; nightly does it):\n"
            f"  social_support 2021-03-31: decision TBST-2021-02764 (reduction, {late[0]}) loaded after it ran\n"
            f"  refunds 2021-05-15: decision UDK-2021-40318 (late-claim, {late[1]}) loaded after it ran\n"
            f"  social_support 2021-06-30: decision TBST-2021-02764 (reduction, {late[0]}) loaded after it ran\n"
            ) in out
    assert "jobs due but not run (1):\n  lump_sums 2021-03-08\n" in out  # a grant decision's day: the lump sums look
    with freeze_time(f"{TODAY} 10:00:00"):
        assert cli(db, "nightly", "--as-of", TODAY, config=CONFIG) == 0
    # only the differences are booked, as new journals on the same lines: Q1 and Q2 2021 of G2017-02 had been paid
    # 103,835.00 each; the reduction makes them 92,905.00, so each gets a correction of -10,930.00 (a collection
    # claim: the money was sent); the accepted late claim is paid 20,767.50
    new = rows(db, "SELECT p.key, p.value_date, p.amount FROM payment p JOIN journal j ON j.id = p.journal_id "
                   "JOIN job_run r ON r.id = j.job_run_id WHERE r.started_at >= '2021-07-01 10:00:00' ORDER BY p.key")
    assert [(k, str(d), kroner(a)) for k, d, a in new] == [("refund/2020/851#1", "2021-06-30", Decimal("20767.50"))]
    assert claims(db, "social_support")[-2:] == [
        ("social/2021-03-31/G2017-02#2", "2021-03-31", Decimal("10930.00")),
        ("social/2021-06-30/G2017-02#2", "2021-06-30", Decimal("10930.00"))]
    # and the net of every line is what the demo, which knew them from the start, booked
    net = "SELECT line, SUM(amount) FROM posting WHERE component = 'payment' OR component = 'claim' GROUP BY line"
    assert dict(rows(db, net)) == dict(rows(demo_db, net))
    with freeze_time(f"{TODAY} 11:00:00"):
        assert cli(db, "status", "--as-of", TODAY, config=CONFIG) == 0
    assert "jobs to run again" not in capsys.readouterr().out
