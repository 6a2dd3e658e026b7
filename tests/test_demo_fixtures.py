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
"""
import hashlib
import tomllib
from decimal import Decimal

import pytest
from freezegun import freeze_time

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
    # 3 registers, 26 estimates, 18 actuals, 31 events files, 12 loss claims
    assert len(archived) == len(FILES) == 90
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
    assert "G2017-02 recipient 33871228 due 2020-06-30: 38,060.95" in out
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
    social = by_value_date(demo_db, "social_support", "grant_id = 'G2018-02'")
    assert social == {
        "2018-09-28": Decimal("22826.09"), "2018-12-28": Decimal("70000.00"),
        "2019-03-29": Decimal("71647.06"), "2019-06-28": Decimal("71647.06"),
        "2019-09-30": Decimal("71647.06"), "2019-12-30": Decimal("71647.06"),
        "2020-03-31": Decimal("73362.75"), "2020-06-30": Decimal("73362.75"),
        "2020-09-30": Decimal("73362.75"), "2020-12-30": Decimal("73362.73"),
        "2021-03-31": Decimal("75009.81"), "2021-06-30": Decimal("75009.81"),
    }  # nothing for Q1 and Q2 2018: the caretaker was not hired yet
    # G2017-02: 380,000.00 in 2017 wages; hired 2018-01-08: 2018 = 380,000.00 x 102.0/100.0 = 387,600.00 -> 96,900.00;
    #   Q1 2018 covered 2018-01-08..2018-03-31 = 83 of 90 days: 96,900.00 x 83 / 90 = 89,363.333.. -> 89,363.33
    assert by_value_date(demo_db, "social_support", "grant_id = 'G2017-02'")["2018-03-28"] == Decimal("89363.33")
    # booked on 602, note pkt. 26, in the organisation's accounts
    assert rows(demo_db, "SELECT DISTINCT recipient_account, recipient_note, recipient_book FROM posting "
                         "WHERE line LIKE 'social/%' AND recipient_account IS NOT NULL"
                ) == [("602", "pkt. 26", "organisation")]


def test_social_support_repayment_is_offset_against_the_next_payment(demo_db):
    # G2017-02, 2019: 380,000.00 x 104.4/100.0 = 396,720.00 -> 4 x 99,180.00 = 396,720.00 paid for 2019.
    # Its 2019 accounts (received 2020-06-22) show expenses of 381,455.20: repayment 396,720.00 - 381,455.20 = 15,264.80,
    # offset (the default) against the next term, Q2 2020 (2020-06-30).
    # 2020: 380,000.00 x 106.9/100.0 = 406,220.00 -> 101,555.00 a quarter; Q2 2020 = 101,555.00 - 15,264.80 = 86,290.20.
    social = by_value_date(demo_db, "social_support", "grant_id = 'G2017-02'")
    assert [social[d] for d in ("2019-03-29", "2019-06-28", "2019-09-30", "2019-12-30")] == [Decimal("99180.00")] * 4
    assert [social[d] for d in ("2020-03-31", "2020-06-30", "2020-09-30", "2020-12-30")] == [
        Decimal("101555.00"), Decimal("86290.20"), Decimal("101555.00"), Decimal("101555.00")]
    assert [(c, kroner(a)) for c, a in rows(
        demo_db, "SELECT component, SUM(amount) FROM posting WHERE line = 'social/2020-06-30/G2017-02' "
                 "AND component NOT IN ('payment', 'claim') GROUP BY component ORDER BY component")] == [
        ("quarter 2020Q2", Decimal("101555.00")), ("repayment offset", Decimal("-15264.80"))]
    # offset, not collected: no social-support claim anywhere
    assert claims(demo_db, "social_support") == []


def test_conversion_grant_paid_on_the_first_banking_day_after_the_report(demo_db):
    # G2017-02: works started 2018-02-12, reported Thursday 2018-02-15 -> paid Friday 2018-02-16, 180,000.00.
    # G2017-01: reported Friday 2018-03-09 -> paid Monday 2018-03-12, 250,000.00.
    # G2018-01: reported Wednesday 2018-09-05 -> paid Thursday 2018-09-06, 120,000.00.
    # G2018-03: works started 2020-02-03, after the 12-month deadline 2019-11-19 but within the extension to
    #   2020-05-19 (decision received 2019-10-21); reported Thursday 2020-02-06 -> paid Friday 2020-02-07, 90,000.00.
    # G2019-01 (lapsed) never reports the start of works: nothing.
    assert payments(demo_db, "conversion_grant") == [
        ("conversion/G2017-02#1", "2018-02-16", Decimal("180000.00")),
        ("conversion/G2017-01#1", "2018-03-12", Decimal("250000.00")),
        ("conversion/G2018-01#1", "2018-09-06", Decimal("120000.00")),
        ("conversion/G2018-03#1", "2020-02-07", Decimal("90000.00")),
    ]
    # G2017-02's final accounts (received Monday 2019-05-20): 171,284.60 spent of 180,000.00 ->
    # repayment claim 180,000.00 - 171,284.60 = 8,715.40, due the next banking day, 2019-05-21. The other grants spent
    # at least what they were paid (257,310.40, 121,870.00, 92,615.75): no claim.
    assert claims(demo_db, "conversion_grant") == [
        ("conversion-repayment/G2017-02#1", "2019-05-21", Decimal("8715.40"))]
    # paid to the department named in the report, booked on 303.1 in the department's accounts
    assert rows(demo_db, "SELECT d.number, p.recipient_account, p.recipient_note, p.recipient_book FROM posting p "
                         "JOIN department d ON d.id = p.department_id "
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
    #   cohort 2018: 101 36,480.00 -> 27,360.00; 751 22,150.00 -> 16,612.50 (9,870.00 of arrears not eligible);
    #   851's claim arrived 2021-05-27, after the 15 May deadline: not refunded (flagged).
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


def test_a_grant_that_never_hires_lapses_and_pays_nothing_after(demo_db, capsys):
    # G2019-01, given 2019-03-04, never reports a caretaker (nor the start of works) and has no extension: the
    # deadline is 2020-03-04 and the grant pays nothing from 2020-03-05 (SPEC 2.6).
    # Before that, its rent subsidy was paid on account (price year 2019, index ratio 1):
    #   A 54 m2 x 172.00 = 9,288.00; B 70 m2 x 150.00 = 10,500.00; estimate 2019 (received 2019-03-04) A 18, B 12:
    #   (167,184.00 + 126,000.00) / 12 = 24,432.00 -> 6,108.00 a term; Q1 2019 (2019-03-29) is within a month of
    #   receipt and pays 0. Actuals 2019 A 17, B 11: (157,896.00 + 115,500.00) / 12 = 22,783.00, so D = 22,783.00 -
    #   18,324.00 = +4,459.00 -- not paid: Q2 2020 falls after the lapse, as do all 2020 instalments.
    # (amounts are stored in integer øre)
    assert [(key, str(day), amount) for key, day, amount in rows(
        demo_db, "SELECT key, value_date, amount FROM payment WHERE grant_id = 'G2019-01' ORDER BY value_date")] == [
        ("rent/2019-06-28/G2019-01/3#1", "2019-06-28", 610800),
        ("rent/2019-09-30/G2019-01/3#1", "2019-09-30", 610800),
        ("rent/2019-12-30/G2019-01/3#1", "2019-12-30", 610800)]
    assert rows(demo_db, "SELECT count(*) FROM payment WHERE grant_id = 'G2019-01' AND value_date >= '2020-03-05'"
                ) == [(0,)]
    assert rows(demo_db, "SELECT count(*) FROM posting WHERE grant_id = 'G2019-01' AND line NOT LIKE 'rent/2019-%'"
                ) == [(0,)]
    with freeze_time(TODAY):
        assert cli(demo_db, "status", "--as-of", TODAY, config=CONFIG) == 0
    out = capsys.readouterr().out
    assert ("[V 2.5.1/2.5.3 grant lapsed] G2019-01: caretaker not hired by 2020-03-04 (V 2.5.3) and works not started "
            "by 2020-03-04 (V 2.5.1): the grant pays nothing from 2020-03-05") in out
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
        "[V 2.5.4 late loss claim] municipality 851: claim for 2020 received 2021-05-27, due 2021-05-15: not refunded",
        "[V 2.2.4 reserve exhausted] cohort 2017",
        "G2017-02 recipient 33871228 due 2019-05-21: 8,715.40",
    ):
        assert expected in out
    # the lease with an extension decision (G2018-02 B unit 1) and the 7-month phase-in of G2018-02 are not flagged
    assert "G2018-02/B unit 1" not in out and "phase-in 2018-09-01" not in out
    # every other grant filed its social-support accounts for 2018-2020
    assert out.count("social-support accounts missing") == 1
