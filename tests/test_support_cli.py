"""Social support, loss refunds and conversion grants through the command line (SPEC 2.4-2.7, W1)."""
from decimal import Decimal

from freezegun import freeze_time

from tests.conftest import FIXTURES
from tests.helpers import claims, cli, payments, rows
from tests.test_w1_cli import W1

W1_REFUNDS = sorted(str(p) for p in (FIXTURES / "w1-refunds").glob("*.xml"))
NS = 'xmlns="urn:disbursement:intake:1"'


@freeze_time("2019-07-01")
def test_w1_refunds_are_cut_pro_rata_and_paid_at_the_end_of_q2(db_url, capsys):
    assert cli(db_url, "load", *W1, *W1_REFUNDS) == 0
    assert cli(db_url, "nightly") == 0
    # 75 % of 40,000 / 600,000 / 100,000 = 555,000.00 > the 500,000.00 reserve of cohort 2017
    assert payments(db_url, "loss_refund") == [
        ("refund/2018/101#1", "2019-06-28", Decimal("405405.40")),
        ("refund/2018/169#1", "2019-06-28", Decimal("67567.57")),
        ("refund/2018/751#1", "2019-06-28", Decimal("27027.03")),
    ]
    # nothing of a refund lands in a housing organisation's accounts
    assert rows(db_url, "SELECT count(*) FROM posting p JOIN payment y ON y.journal_id = p.journal_id "
                        "WHERE y.support = 'loss_refund' AND p.recipient_account IS NOT NULL") == [(0,)]
    capsys.readouterr()
    assert cli(db_url, "status", "--as-of", "2019-07-01") == 0
    assert "[V 2.2.4 reserve exhausted] cohort 2017" in capsys.readouterr().out


def test_social_support_arrears_when_the_hire_date_is_reported_late(db_url, tmp_path):
    register = (FIXTURES / "w1" / "register.xml")
    late_hire = tmp_path / "hire.xml"
    late_hire.write_text(f'<?xml version="1.0"?>\n<events {NS} grant="G1" received="2018-01-10">\n'
                         f'  <caretaker-hired date="2017-09-01"/>\n</events>\n')
    with freeze_time("2018-04-01"):
        assert cli(db_url, "load", str(register), str(late_hire)) == 0
        assert cli(db_url, "nightly") == 0
    # Q3 2017 (32,608.70) and Q4 2017 (100,000.00) were not payable at their terms: paid with Q1 2018 (102,500.00)
    assert payments(db_url, "social_support") == [("social/2018-03-28/G1#1", "2018-03-28", Decimal("235108.70"))]
    assert rows(db_url, "SELECT component, amount FROM posting WHERE line = 'social/2018-03-28/G1' "
                        "AND component LIKE 'quarter%' ORDER BY component") == [
        ("quarter 2017Q3", 3260870), ("quarter 2017Q4", 10000000), ("quarter 2018Q1", 10250000)]


def test_social_support_repayment_is_offset_against_the_next_payment(db_url, tmp_path):
    accounts = tmp_path / "accounts.xml"
    accounts.write_text(f'<?xml version="1.0"?>\n<events {NS} grant="G1" received="2018-05-20">\n'
                        f'  <support-accounts year="2017" expenses="120000.00" auditor-statement="REV-S-2017"/>\n'
                        f'</events>\n')
    with freeze_time("2018-07-01"):
        assert cli(db_url, "load", str(FIXTURES / "w1" / "register.xml"), str(FIXTURES / "w1" / "events-hire.xml"),
                   str(accounts)) == 0
        assert cli(db_url, "nightly") == 0
    # 2017 paid 32,608.70 + 100,000.00 = 132,608.70; spent 120,000.00: 12,608.70 offset in Q2 2018
    assert payments(db_url, "social_support")[-1] == ("social/2018-06-29/G1#1", "2018-06-29", Decimal("89891.30"))


def test_conversion_grant_paid_once_after_start_of_works_and_unspent_part_claimed(db_url, tmp_path):
    register = tmp_path / "register.xml"
    register.write_text((FIXTURES / "w1" / "register.xml").read_text().replace(
        'social-support-price-year="2017">', 'social-support-price-year="2017" conversion-amount="150000.00">'))
    works = tmp_path / "works.xml"
    works.write_text(f'<?xml version="1.0"?>\n<events {NS} grant="G1" received="2017-10-06">\n'
                     f'  <works-started department="12" date="2017-10-02"/>\n</events>\n')
    final = tmp_path / "final.xml"
    final.write_text(f'<?xml version="1.0"?>\n<events {NS} grant="G1" received="2018-11-15">\n'
                     f'  <conversion-accounts completed="2018-03-31" spent="138250.50" auditor-statement="REV-C-1"/>\n'
                     f'</events>\n')
    with freeze_time("2018-12-31"):
        assert cli(db_url, "load", str(register), str(FIXTURES / "w1" / "events-hire.xml"), str(works), str(final)) == 0
        assert cli(db_url, "nightly") == 0
        assert cli(db_url, "nightly") == 0
        assert cli(db_url, "run", "lump_sums", "--date", "2018-11-15") == 0
    # received Friday 2017-10-06: paid the next banking day, Monday 2017-10-09, on 303.1 in the department's books
    assert payments(db_url, "conversion_grant") == [("conversion/G1#1", "2017-10-09", Decimal("150000.00"))]
    # 150,000.00 paid - 138,250.50 spent = 11,749.50 to be repaid
    assert claims(db_url, "conversion_grant") == [("conversion-repayment/G1#1", "2018-11-16", Decimal("11749.50"))]
    assert rows(db_url, "SELECT DISTINCT recipient_account, recipient_note, recipient_book FROM posting p "
                        "WHERE line LIKE 'conversion%' AND recipient_account IS NOT NULL") == [("303.1", "303.1", "department")]


@freeze_time("2019-07-01")
def test_a_grant_whose_caretaker_is_not_hired_in_time_lapses(db_url, capsys):
    # W1 without its hire report: the deadline is 2018-06-01, so from 2018-06-02 the grant pays nothing
    assert cli(db_url, "load", *[f for f in W1 if "events" not in f]) == 0
    assert cli(db_url, "nightly") == 0
    assert [p[1] for p in payments(db_url)] == ["2018-03-28"]
    assert payments(db_url, "social_support") == []
    capsys.readouterr()
    assert cli(db_url, "status", "--as-of", "2019-07-01") == 0
    assert "[V 2.5.1/2.5.3 grant lapsed] G1: caretaker not hired by 2018-06-01 (V 2.5.3): the grant pays nothing " \
           "from 2018-06-02" in capsys.readouterr().out


def test_a_claim_year_that_finds_the_reserve_empty_flags_it_in_its_own_run(db_url, tmp_path, caplog):
    """2018's claims used up cohort 2017's 500,000.00; a 2019 claim of 75 % x 10,000.00 = 7,500.00 gets nothing,
    and the 2020 refunds run says so in its log and run record, not only `status`."""
    claim = tmp_path / "loss-claim-2019-751.xml"
    claim.write_text(f'<?xml version="1.0"?>\n<loss-claim {NS} municipality="751" year="2019" received="2020-05-04" '
                     f'auditor-statement="REV-751-2019" dwellings="1">\n  <loss grant="G1" dwelling="A" '
                     f'moved-out="2019-06-30" reason="tenant-unable-to-pay" amount="10000.00"/>\n</loss-claim>\n')
    with freeze_time("2019-07-01"):
        assert cli(db_url, "load", *W1, *W1_REFUNDS) == 0
        assert cli(db_url, "nightly") == 0
    with freeze_time("2020-07-01"):
        assert cli(db_url, "load", str(claim)) == 0
        caplog.clear()
        assert cli(db_url, "run", "refunds", "--date", "2020-05-15") == 0
    expected = ("[V 2.2.4 reserve exhausted] cohort 2017: the 500000.00 reserve was used up before the 2019 claims "
                "of 7500.00: nothing refunded")
    assert any(expected in record.getMessage() for record in caplog.records)
    assert [p for p in payments(db_url, "loss_refund") if p[0].startswith("refund/2019/")] == []
