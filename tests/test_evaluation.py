"""The trial's evaluation figures (T 5; SPEC 2.8): the pure rules on a small hand-checked set, and the HTML report
rendered in a real browser (headless Chromium), which must show the figures and the charts without any network."""
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from freezegun import freeze_time
from lxml import html

from disbursement.cli import main
from disbursement.schemes.temporary.rules.evaluation import (Destination, DwellingPlace, EvaluationRules, FollowUp, TenancyOutcome,
                                           evaluate, spread)

from tests.browser import chromium_path
from tests.conftest import FIXTURES

RULES = EvaluationRules(
    destinations={
        "permanent-own": Destination("permanent-own", "Egen varig bolig", True, True),
        "youth-housing": Destination("youth-housing", "Ungdomsbolig", True, True),
        "shelter": Destination("shelter", "Herberg", False, False),
        "co-address": Destination("co-address", "c/o", False, False),
        "unknown": Destination("unknown", "Ukendt", False, False),
    },
    active_statuses=frozenset({"education", "work"}),
    permanent_within_months=24, kept_permanent_months=24, max_dwellings_per_site=2, max_area_share=Decimal("0.5"),
)
START, END = date(2021, 1, 1), date(2023, 12, 31)


def t(tid, person, household, municipality, group, site, area, moved_in, moved_out=None, destination=None,
      entry="none", exit_=None, follow_ups=()):
    moved_in = date.fromisoformat(moved_in)
    return TenancyOutcome(tid, person, household, municipality, group, f"D-{tid}", site, area, moved_in,
                          lease_end=date(moved_in.year + 2, moved_in.month, 1),
                          moved_out=date.fromisoformat(moved_out) if moved_out else None, destination=destination,
                          entry_status=entry, exit_status=exit_, follow_ups=tuple(follow_ups))


TENANCIES = [
    t("T1", "P1", 1, "101", "S", "A1", "Nord", "2021-01-01", "2021-12-31", "permanent-own", "none", "work",
      [FollowUp(date(2023, 12, 31), True), FollowUp(date(2024, 6, 30), False, date(2024, 3, 1))]),  # 2024: unknown yet
    t("T2", "P2", 2, "101", "M", "A1", "Nord", "2021-03-01", "2021-05-31", "shelter", "work", "none"),
    t("T3", "P3", 1, "101", "S", "B1", "Syd", "2021-06-01"),
    t("T4", "P2", 3, "101", "M", "B1", "Syd", "2021-07-01", "2023-06-30", "youth-housing", "none", "education",
      [FollowUp(date(2023, 9, 30), True)]),
    t("T5", "P5", 1, "169", "S", "C1", "Øst", "2022-01-01", "2022-06-30", "permanent-own", "education", "education",
      [FollowUp(date(2023, 1, 31), True), FollowUp(date(2023, 6, 30), False, date(2023, 3, 31))]),
    t("T6", "P6", 1, "169", "D", "C1", "Øst", "2022-02-01", "2024-01-31", "permanent-own", "none", "work"),  # out after END
    t("T7", "P7", 1, "169", "S", "C2", "Vest", "2020-06-01", "2021-02-28", "unknown", "none", "none"),
    t("T8", "P8", 1, "169", "M", "C2", "Vest", "2020-01-01", "2020-12-31", "co-address"),  # ended before the period
    t("T9", "P9", 1, "101", "D", "A1", "Nord", "2021-01-15", "2023-03-31", "permanent-own", "none", "none"),
]


def test_housed_persons_and_households():
    h = evaluate(TENANCIES, START, END, RULES).housed
    # T8 ended before the period: 8 tenancies; P2 had two (T2, T4): 7 households
    assert (h.tenancies, h.households, h.moved_in_during) == (8, 7, 7)  # T7 moved in 2020
    # persons: household size of each household's first tenancy: P2 -> T2 (2), the six others 1 -> 8
    assert h.persons == 8
    assert h.by_target_group == {"D": 2, "M": 1, "S": 4}


def test_time_in_temporary_housing():
    ev = evaluate(TENANCIES, START, END, RULES)
    # ended (days counted inclusively): T1 365, T2 92 (31+30+31), T4 730, T5 181 (31+28+31+30+31+30),
    # T7 273 (30+31+31+30+31+30+31+31+28), T9 806 (730 to 2023-01-15, +75 to 2023-03-31, +1)
    # mean 2,447 / 6 = 407.83 -> 407.8; median (273 + 365) / 2 = 319.0
    assert (ev.stays_ended.count, ev.stays_ended.mean, ev.stays_ended.median) == (6, Decimal("407.8"), Decimal("319.0"))
    assert (ev.stays_ended.shortest, ev.stays_ended.longest) == (92, 806)
    # still there on 2023-12-31: T3 944 days (730 + 213 + 1), T6 699 (365 + 333 + 1; its move-out is after END)
    assert (ev.stays_ongoing.count, ev.stays_ongoing.median) == (2, Decimal("821.5"))


def test_time_to_permanent_housing():
    tp = evaluate(TENANCIES, START, END, RULES).to_permanent
    # T1 365, T4 730, T5 181, T9 806 days: mean 2,082 / 4 = 520.5, median (365 + 730) / 2 = 547.5
    assert (tp.reached.count, tp.reached.mean, tp.reached.median) == (4, Decimal("520.5"), Decimal("547.5"))
    # begun on or before 2022-01-01 (24 months seen by 2023-12-31): T1, T2, T3, T4, T5, T7, T9 = 7 (not T6);
    # moved on to permanent housing within 24 months: T1, T4 (2023-06-30 < 2023-07-01), T5 = 3 (T9: 2023-03-31 is
    # after 2023-01-15) -> 3 / 7 = 42.857 -> 42.9 %
    assert (tp.observable, tp.within, tp.share_within) == (7, 3, Decimal("42.9"))


def test_time_kept_in_permanent_housing():
    kp = evaluate(TENANCIES, START, END, RULES).kept_permanent
    # T1: moved 2021-12-31, housed 2023-12-31 -> kept 24 months (its 2024 follow-up is not known on END);
    # T4: housed 2023-09-30, three months on -> so far; T5: left 2023-03-31 -> left early; T9: no follow-up
    assert (kp.moved_to_permanent, kp.kept, kp.left_early, kp.so_far, kp.not_followed) == (4, 1, 1, 1, 1)
    # known days: T1 730, T4 92, T5 274 (2022-06-30 to 2023-03-31) -> median 274.0
    assert kp.known_days.median == Decimal("274.0")


def test_destinations_positive_and_negative():
    de = evaluate(TENANCIES, START, END, RULES).destinations
    # ended: T1 own, T2 shelter, T4 youth, T5 own, T7 unknown, T9 own -> 4 positive, 2 negative, 66.7 %
    assert (de.moved_out, de.positive, de.negative, de.share_positive) == (6, 4, 2, Decimal("66.7"))
    assert de.by_destination == {"permanent-own": 3, "youth-housing": 1, "shelter": 1, "co-address": 0, "unknown": 1}


def test_education_and_work_at_entry_and_exit():
    ew = evaluate(TENANCIES, START, END, RULES).education_work
    # T1 none->work started, T2 work->none stopped, T4 none->education started, T5 education->education kept,
    # T7 and T9 none->none
    assert (ew.ended, ew.active_at_entry, ew.active_at_exit) == (6, 2, 3)
    assert (ew.share_at_entry, ew.share_at_exit) == (Decimal("33.3"), Decimal("50.0"))
    assert (ew.started, ew.kept, ew.stopped, ew.never) == (2, 1, 1, 2)


def test_spread_flags_concentrated_areas_and_crowded_sites():
    places = [DwellingPlace("D1", "101", "A1", "Nord"), DwellingPlace("D2", "101", "A1", "Nord"),
              DwellingPlace("D3", "101", "A1", "Nord"), DwellingPlace("D4", "101", "B1", "Syd"),
              DwellingPlace("D5", "169", "C1", "Øst"), DwellingPlace("D6", "169", "C2", "Vest")]
    kbh, htk = spread(places, TENANCIES, START, END, RULES)
    # 101: Nord 3 of 4 = 75.0 % > 50 %; site A1 holds 3 > 2
    assert (kbh.by_area, kbh.largest_area_share, kbh.concentrated_areas, kbh.crowded_sites) == (
        {"Nord": 3, "Syd": 1}, Decimal("75.0"), ("Nord",), ("A1",))
    assert kbh.households_by_area == {"Nord": 3, "Syd": 2}  # T1, T2, T9 / T3, T4
    # 169: one dwelling in each of two areas: 50.0 % is not more than half
    assert (htk.largest_area_share, htk.concentrated_areas, htk.crowded_sites) == (Decimal("50.0"), (), ())
    assert htk.households_by_area == {"Vest": 1, "Øst": 2}  # T7 / T5, T6 (T8 is outside the period)


# --- the report in a real browser ---

@pytest.fixture(scope="module")
def evaluation_dir(tmp_path_factory) -> Path:
    """The shipped temporary-housing fixtures evaluated for 2021-2023 (SQLite; both databases: test_temporary_cli)."""
    work = tmp_path_factory.mktemp("evaluation")
    db = f"sqlite:///{work / 'test.sqlite'}"
    files = sorted(str(p) for p in (FIXTURES / "temporary").rglob("*.xml"))
    with freeze_time("2024-01-05"):
        assert main(["--db", db, "load", *files]) == 0
        assert main(["--db", db, "evaluate", "--from", "2021-01-01", "--to", "2023-12-31", "--out", str(work / "out")]) == 0
    return work / "out"


def test_report_is_self_contained(evaluation_dir):
    text = (evaluation_dir / "evaluation.html").read_text(encoding="utf-8")
    doc = html.fromstring(text)
    assert not doc.xpath("//script | //link | //iframe | //img | //object | //embed")
    references = [v for v in doc.xpath("//@src | //@href") if not v.startswith("#")]
    assert references == []
    assert "url(" not in text and "@import" not in text


def test_report_renders_in_headless_chromium_with_figures_and_charts(evaluation_dir, tmp_path):
    """Chromium loads the file from disk with networking features off and dumps the DOM it rendered."""
    chromium = chromium_path()
    report = evaluation_dir / "evaluation.html"
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}"]
    dumped = subprocess.run([*command, "--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = html.fromstring(dumped.stdout)
    assert dom.findtext(".//h1").startswith("Temporary housing trial: evaluation 2021-01-01 to 2023-12-31")

    def figure(key, municipality="all"):
        return dom.xpath(f'string(//td[@data-figure="{key}"][@data-municipality="{municipality}"])')

    # hand-checked in fixtures/temporary/README.md
    assert (figure("housed/households"), figure("housed/persons"), figure("housed/tenancies")) == ("46", "57", "48")
    assert (figure("destinations/positive"), figure("destinations/negative"),
            figure("destinations/positive-share")) == ("22", "13", "62,9")
    assert (figure("to-permanent/within"), figure("to-permanent/observable"),
            figure("to-permanent/within-share")) == ("18", "33", "54,5")
    assert (figure("education-work/active-at-entry"), figure("education-work/active-at-exit")) == ("9", "20")
    assert figure("spread/largest-area-share", "169") == "66,7"
    charts = {svg.get("data-chart"): svg for svg in dom.xpath("//*[local-name()='svg']")}
    assert {"households", "persons", "stays", "within", "kept", "destinations", "education-work", "areas-101",
            "areas-169", "areas-751"} <= set(charts)
    bars = {g.get("data-label"): g.get("data-value") for g in charts["destinations"].xpath(".//*[local-name()='g']")}
    assert bars["Egen varig bolig"] == "14" and bars["Ukendt"] == "3"
    taastrup = charts["areas-169"].xpath(".//*[local-name()='g'][@data-label='Taastrup']")[0]
    assert "negative" in taastrup.get("class")  # the concentration is drawn as such
    assert all(float(r.get("width")) >= 0 for r in dom.xpath("//*[local-name()='rect']"))

    shot = tmp_path / "report.png"
    painted = subprocess.run([*command, "--window-size=1100,3000", f"--screenshot={shot}", report.as_uri()],
                             capture_output=True, text=True, timeout=120)
    assert painted.returncode == 0, painted.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000  # a painted page, not blank
