"""`explain KEY` (issue 16): every krone of a line derived step by step from the stored inputs, and what became of
its money; the arithmetic re-adds to what is booked, for W1 by hand and for every line of the demo, each derived from
the stored inputs and equal to what is booked."""
import json

from freezegun import freeze_time
from sqlmodel import Session, select

from disbursement.cli import main
from disbursement.engine.explain import explain
from disbursement.engine.registry import load_config
from disbursement.exports.pain001 import end_to_end_id
from disbursement.store.database import open_engine
from disbursement.store.tables import Posting
from tests.conftest import FIXTURES, ROOT
from tests.helpers import W1_CONFIG, cli
from tests.test_payment_runs import output
from tests.test_w1_cli import W1

LINE = "rent/2019-06-28/G1/12"


def test_a_w1_rent_line_is_derived_by_hand_and_every_key_of_it_leads_to_it(db_url, capsys):
    with freeze_time("2019-07-01 08:00:00"):
        assert cli(db_url, "load", *W1) == 0
        assert cli(db_url, "nightly") == 0
        code, text, _ = output(capsys, db_url, "explain", LINE, config=W1_CONFIG)
        by_payment = output(capsys, db_url, "explain", f"{LINE}#1", config=W1_CONFIG)[1]
        by_e2e = output(capsys, db_url, "explain", end_to_end_id(f"{LINE}#1"), config=W1_CONFIG)[1]
        code_json, document, _ = output(capsys, db_url, "explain", LINE, "--json", config=W1_CONFIG)
        unknown = output(capsys, db_url, "explain", "rent/2019-06-28/G1/99", config=W1_CONFIG)
    assert code == 0 and code_json == 0
    steps = [line.strip() for line in text.splitlines()]
    # 2019 estimate: A 44 months x 60 m2 x 150.00 x 103.0/100.0 = 9,270.00; B 22 months x 80 x 100.00 x 1.03 = 8,240.00
    assert "dwelling A (4 x 60.00 m2 at 150.00 kr/m2 in 2016 prices): 60.00 x 150.00 x 103.0 / 100.0 = 9,270.00 a " \
           "year; 44 month(s) x 9,270.00 = 407,880.00" in steps
    assert "department 12: 589,160.00 / 12 = 49,096.67 (rounded half up to øre, once)" in steps
    assert ("instalments of 49,096.67: terms 1-3 round(49096.67 / 4) = 12,274.17, term 4 the rest = 12,274.16; "
            "term 2: 12,274.17") in steps
    # 2018 actuals: 41 x 9,180.00 + 21 x 8,160.00 = 547,740.00 / 12 = 45,645.00 against 4 x 13,260.00 on account
    assert "department 12: 547,740.00 / 12 = 45,645.00 (rounded half up to øre, once)" in steps
    assert ("reconciliation 2018: entitlement 45,645.00 - on account booked for 2018's terms 53,040.00 = -7,395.00"
            in steps)
    assert "= what is booked on the line: instalment 12,274.17; reconciliation 2018 -7,395.00" in steps
    assert "total booked on the line: 4,879.17" in steps
    assert steps[-1] == "check: booked 4,879.17 = paid 4,879.17 - claimed back 0.00"
    assert by_payment.replace(f" (asked: {LINE}#1)", "") == text
    assert by_e2e.replace(f" (asked: {end_to_end_id(LINE + '#1')})", "") == text
    data = json.loads(document)
    assert (data["line"], data["booked"], data["paid"], data["claimed"]) == (LINE, "4879.17", "4879.17", "0.00")
    assert [c[0] for j in data["journals"] for c in j["components"]] == ["instalment", "reconciliation 2018"]
    assert unknown[0] == 2 and "nothing is booked on 'rent/2019-06-28/G1/99'" in unknown[2]


def test_every_line_of_the_demo_re_adds_to_what_is_booked_paid_and_claimed(tmp_path):
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    config = load_config(FIXTURES / "demo-config")
    engine = open_engine(f"sqlite:///{tmp_path / 'demo' / 'demo.sqlite'}", create=False)
    with Session(engine) as session:
        lines = sorted(set(session.exec(select(Posting.line))))
    assert len(lines) == 218
    _every_line_derived_and_equal_to_what_is_booked(engine, config, lines)
    temporary = open_engine(f"sqlite:///{tmp_path / 'demo' / 'temporary.sqlite'}", create=False)
    with Session(temporary) as session:
        lines = sorted(set(session.exec(select(Posting.line))))
    assert len(lines) == 192 and all(line.startswith("temporary/") for line in lines)
    _every_line_derived_and_equal_to_what_is_booked(temporary, load_config(), lines)


def _every_line_derived_and_equal_to_what_is_booked(engine, config, lines: list[str]) -> None:
    for line in lines:
        explanation = explain(engine, config, line)
        components = sum((amount for j in explanation.journals for _, _, amount in j.components), 0)
        assert components == explanation.booked == explanation.paid - explanation.claimed, line
        assert explanation.derivation[-1].startswith("= what is booked on the line: "), (line, explanation.derivation)
    engine.dispose()


def test_a_temporary_rent_line_is_derived_by_hand_a_late_move_out_included(db_url, capsys):
    """fixtures/temporary/README.md: AAR-T04 moved out 2021-09-10, reported after the September run paid the whole
    month; the October run claims 1,500.00 x 20/30 = 1,000.00 back, and the line now derives 10/30 of the month."""
    reports = sorted(p for p in (FIXTURES / "temporary" / "reports").glob("*.xml") if p.name < "2021-11")
    files = [str(FIXTURES / "temporary" / "register-2021.xml"), *map(str, reports)]  # what was known on 1 November
    with freeze_time("2021-11-01 08:00:00"):
        assert main(["--db", db_url, "load", *files]) == 0
        assert main(["--db", db_url, "nightly", "--as-of", "2021-10-29"]) == 0
        code, text, _ = output(capsys, db_url, "explain", "temporary/2021-09/31750001#2", config=str(ROOT / "config"))
    steps = [line.strip() for line in text.splitlines()]
    assert code == 0
    assert ("temporary rent subsidy to landlord 31750001 for 2021-09 (30 days), as the run of 2021-10-29 computed it "
            "from the tenancy reports received by then") in steps
    at = steps.index("tenancy AAR-T04 (dwelling AAR-P04, target group social-problems, affordable rent 2,800.00 a "
                     "month): moved in 2021-03-15, subsidised through 2021-09-10")
    assert steps[at + 1:at + 3] == [
        "2021-09-01 to 2021-09-10, 10 day(s) at rent 4,300.00: max(0, 4,300.00 - 2,800.00) = 1,500.00 a month",
        "= Σ monthly subsidy x days / 30 days = 500.00 (rounded half up to øre, once)"]
    # AAR-T01-T03 at 1,500.00, AAR-T09 and T10 at 3,950.00 - 2,800.00 = 1,150.00: 4,500 + 500 + 2,300 = 7,300.00
    assert ("= what is booked on the line: AAR-T01 1,500.00; AAR-T02 1,500.00; AAR-T03 1,500.00; AAR-T04 500.00; "
            "AAR-T09 1,150.00; AAR-T10 1,150.00") in steps
    assert "AAR-T04 on 5150: -1,000.00" in steps
    assert steps[-1] == "check: booked 7,300.00 = paid 8,300.00 - claimed back 1,000.00"


def test_a_w1_social_support_line_is_derived_by_hand(db_url, capsys):
    with freeze_time("2019-07-01 08:00:00"):
        assert cli(db_url, "load", *W1) == 0
        assert cli(db_url, "nightly") == 0
        code, text, _ = output(capsys, db_url, "explain", "social/2017-09-29/G1#1", config=W1_CONFIG)
    steps = [line.strip() for line in text.splitlines()]
    # hired 2017-09-01: 30 of Q3's 92 days of 400,000.00 / 4 = 32,608.695... -> 32,608.70
    assert "from 2017-09-01, 30 day(s): 400,000.00 a year in 2017 prices x 100 / 100 = 400,000.00, quarter 3's " \
           "instalment 100,000.00" in steps
    assert "= Σ instalment x share x days / 92 days = 32,608.70 (rounded once)" in steps
    assert "= what is booked on the line: quarter 2017Q3 32,608.70" in steps
    assert code == 0 and steps[-1] == "check: booked 32,608.70 = paid 32,608.70 - claimed back 0.00"
