"""A report's department amounts are computed once and kept (jobs/amounts.py, table report_amount): re-runs read
them, and a changed input (here a corrected index value) is a new key, computed afresh, booking only the difference."""
import shutil
from decimal import Decimal

from freezegun import freeze_time

from tests.helpers import W1_CONFIG, cli, payments, rows
from tests.test_w1_cli import W1, Q

AMOUNTS = ("SELECT r.kind, r.year, a.window_months, a.amount FROM report_amount a JOIN report r ON r.id = a.report_id "
           "ORDER BY r.kind, r.year, a.id")


@freeze_time("2019-07-01 08:00:00")
def test_amounts_are_kept_once_and_a_corrected_index_computes_afresh(db_url, tmp_path):
    assert cli(db_url, "load", *W1) == 0
    assert cli(db_url, "nightly") == 0
    # W1, in øre as stored: E 2018 = 45,645.00, A 2018 = 53,040.00, A 2019 = 49,096.67 (hand-checked in tests/rules)
    kept = [("actuals", 2018, 12, 4564500), ("estimate", 2018, 12, 5304000), ("estimate", 2019, 12, 4909667)]
    assert rows(db_url, AMOUNTS) == kept
    assert cli(db_url, "backfill", "--from", "2018-01-01", "--to", "2019-06-30", "--allow-old") == 0
    assert len(rows(db_url, AMOUNTS)) == 3  # read, not computed again
    # the 2018 net price index corrected from 102.0 to 103.0: 60 x 150 x 1.03 = 9,270.00 and 80 x 100 x 1.03 =
    # 8,240.00; A = 48 x 772.50 + 24 x 686.666... = 37,080.00 + 16,480.00 = 53,560.00, a quarter 13,390.00
    corrected = tmp_path / "config"
    shutil.copytree(W1_CONFIG, corrected)
    index = corrected / "indices" / "net_price.toml"
    index.write_text(index.read_text().replace('2018 = "102.0"', '2018 = "103.0"'))
    assert cli(db_url, "run", "aconto", "--date", "2018-12-28", "--allow-old", config=str(corrected)) == 0
    assert ("estimate", 2018, 12, 5356000) in rows(db_url, AMOUNTS)
    assert [p for p in payments(db_url) if p[1] == "2018-12-28"] == [
        (Q.format("2018-12-28"), "2018-12-28", Decimal("13260.00")),
        ("rent/2018-12-28/G1/12#2", "2018-12-28", Decimal("130.00"))]
