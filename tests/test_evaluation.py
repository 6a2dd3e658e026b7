"""The trial's evaluation figures (T 5; SPEC 2.8) and business case (T 2): the pure rules on small hand-checked sets,
the shipped fixtures evaluated through the command line in Danish and English, and the HTML report rendered in a real
browser (headless Chromium), which must show the figures and the charts without any network and cut nothing off."""
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from freezegun import freeze_time
from lxml import html

from disbursement.cli import main
from disbursement.exports.language import money
from disbursement.schemes.temporary.evaluation import svg
from disbursement.schemes.temporary.evaluation.html_report import STYLE
from disbursement.schemes.temporary.evaluation.svg import Bar, bar_chart
from disbursement.schemes.temporary.evaluation.labels import LABELS, count
from disbursement.schemes.temporary.rules.business_case import (AlternativeCost, BookedSubsidy, business_case,
                                                                whole_months)
from disbursement.schemes.temporary.rules.evaluation import (Destination, DwellingPlace, EvaluationRules, FollowUp,
                                                             TenancyOutcome, evaluate, spread)

from tests.browser import chromium_path, cut_off, laid_out
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



# --- the business case (T 2, Økonomiske mål), pure ---

def test_business_case_by_group_and_quarter_by_hand():
    """March and April 2021; daily rates 1,500.00 in 101, else 1,000.00.
    A: group S in 101, 2 persons from 16 March, still there: March 16 days x 2 = 32 person-days = 32/31
       person-months, April 30 x 2 = 60 = 2; booked 800.00 + 1,500.00.
    B: group M in 169, 1 person, out 10 April: March 31 = 1, April 10 = 1/3; booked 1,000.00 for February (not a
       month compared), 1,000.00 for March, and for April 1,000.00 less 666.67 claimed back.
    C: group S in 101, 1 person from 1 April, out 20 May, after the end, so not known yet: April 30 = 1; booked
       1,200.00 for April and 800.00 for May (not compared)."""
    tenancies = [t("A", "PA", 2, "101", "S", "S1", "Nord", "2021-03-16"),
                 t("B", "PB", 1, "169", "M", "S2", "Øst", "2021-02-01", "2021-04-10", "shelter"),
                 t("C", "PC", 1, "101", "S", "S1", "Nord", "2021-04-01", "2021-05-20", "shelter")]
    march, april = date(2021, 3, 1), date(2021, 4, 1)
    booked = [BookedSubsidy("A", march, Decimal("800.00")), BookedSubsidy("A", april, Decimal("1500.00")),
              BookedSubsidy("B", date(2021, 2, 1), Decimal("1000.00")), BookedSubsidy("B", march, Decimal("1000.00")),
              BookedSubsidy("B", april, Decimal("1000.00")), BookedSubsidy("B", april, Decimal("-666.67")),
              BookedSubsidy("C", april, Decimal("1200.00")), BookedSubsidy("C", date(2021, 5, 1), Decimal("800.00"))]
    case = business_case(tenancies, booked, date(2021, 3, 1), date(2021, 4, 30),
                         AlternativeCost(Decimal("1000.00"), {"101": Decimal("1500.00")}))
    assert case.months == (march, april)
    s, m = case.by_group[("S", "101")], case.by_group[("M", "169")]
    # S/101: 32 + 60 + 30 = 122 person-days, 32/31 + 2 + 1 = 125/31 person-months; 3,500.00 subsidy against
    # 1,500.00 x 122 = 183,000.00. Per person-month: 3,500.00 x 31 / 125 = 868.00; 183,000.00 x 31 / 125 = 45,384.00;
    # 179,500.00 x 31 / 125 = 44,516.00
    assert (s.person_days, s.subsidy, s.alternative, s.saving) == (
        122, Decimal("3500.00"), Decimal("183000.00"), Decimal("179500.00"))
    assert [s.per_person_month(a) for a in (s.subsidy, s.alternative, s.saving)] == [
        Decimal("868.00"), Decimal("45384.00"), Decimal("44516.00")]
    # M/169: 31 + 10 = 41 person-days, 1 + 1/3 = 4/3 person-months; 1,333.33 against 1,000.00 x 41 = 41,000.00.
    # 1,333.33 x 3 / 4 = 999.9975 -> 1,000.00 (half up); 41,000.00 x 3 / 4 = 30,750.00; 39,666.67 x 3 / 4 =
    # 29,750.0025 -> 29,750.00
    assert (m.person_days, m.subsidy, m.alternative) == (41, Decimal("1333.33"), Decimal("41000.00"))
    assert [m.per_person_month(a) for a in (m.subsidy, m.alternative, m.saving)] == [
        Decimal("1000.00"), Decimal("30750.00"), Decimal("29750.00")]
    # total: 163 person-days, 125/31 + 4/3 = 499/93 person-months; 4,833.33 against 224,000.00.
    # 4,833.33 x 93 / 499 = 900.801 -> 900.80; 224,000.00 x 93 / 499 = 41,747.495 -> 41,747.49 (not yet half);
    # 219,166.67 x 93 / 499 = 40,846.694 -> 40,846.69
    total = case.total
    assert (total.person_days, total.subsidy, total.alternative) == (163, Decimal("4833.33"), Decimal("224000.00"))
    assert [total.per_person_month(a) for a in (total.subsidy, total.alternative, total.saving)] == [
        Decimal("900.80"), Decimal("41747.49"), Decimal("40846.69")]
    # by quarter: Q1 (March) 63 person-days = 63/31, 1,800.00 against 48,000.00 + 31,000.00: 1,800.00 x 31 / 63 =
    # 885.714 -> 885.71 and 79,000.00 x 31 / 63 = 38,873.016 -> 38,873.02; Q2 (April) 60 + 10 + 30 = 100 = 10/3,
    # 3,033.33 against 90,000.00 + 10,000.00 + 45,000.00: 3,033.33 x 3 / 10 = 909.999 -> 910.00 and 43,500.00
    q1, q2 = case.by_quarter[date(2021, 1, 1)], case.by_quarter[april]
    assert (q1.person_days, q1.subsidy, q1.per_person_month(q1.subsidy), q1.per_person_month(q1.alternative)) == (
        63, Decimal("1800.00"), Decimal("885.71"), Decimal("38873.02"))
    assert (q2.person_days, q2.subsidy, q2.per_person_month(q2.subsidy), q2.per_person_month(q2.alternative)) == (
        100, Decimal("3033.33"), Decimal("910.00"), Decimal("43500.00"))
    assert q1 + q2 == total == case.by_group[("M", "169")] + case.by_group[("S", "101")]


def test_business_case_compares_whole_calendar_months_only():
    assert whole_months(date(2021, 3, 2), date(2021, 5, 30)) == [date(2021, 4, 1)]
    assert whole_months(date(2021, 2, 1), date(2021, 2, 28)) == [date(2021, 2, 1)]
    case = business_case(TENANCIES, [], date(2021, 3, 2), date(2021, 3, 30),
                         AlternativeCost(Decimal("1000.00"), {}))
    assert (case.months, case.by_group, case.total.person_months) == ((), {}, 0)
    assert case.total.per_person_month(Decimal("1.00")) is None


# --- the labels ---

def test_both_languages_have_the_same_labels_and_count_with_the_right_plural():
    assert set(LABELS["da"]) == set(LABELS["en"])
    assert [count(n, "tenancy", "da") for n in (1, 2)] == ["1 lejemål", "2 lejemål"]
    assert [count(n, "household", "da") for n in (1, 2)] == ["1 husstand", "2 husstande"]
    assert [count(n, "person", "da") for n in (1, 2)] == ["1 person", "2 personer"]
    assert [count(n, "tenancy", "en") for n in (0, 1, 2)] == ["0 tenancies", "1 tenancy", "2 tenancies"]
    assert [count(n, "household", "en") for n in (1, 2)] == ["1 household", "2 households"]


# --- the shipped fixtures through the command line, and the report in a real browser ---

@pytest.fixture(scope="module")
def trial_db(tmp_path_factory) -> str:
    """The shipped temporary-housing fixtures, loaded and paid up to 5 January 2024 (SQLite; both databases:
    test_temporary_cli)."""
    db = f"sqlite:///{tmp_path_factory.mktemp('trial') / 'test.sqlite'}"
    files = sorted(str(p) for p in (FIXTURES / "temporary").rglob("*.xml"))
    with freeze_time("2024-01-05"):
        assert main(["--db", db, "load", *files]) == 0
        assert main(["--db", db, "nightly"]) == 0
    return db


def _evaluate(db: str, out: Path, *args: str) -> Path:
    with freeze_time("2024-01-05"):
        assert main(["--db", db, "evaluate", "--out", str(out), *args]) == 0
    return out


@pytest.fixture(scope="module")
def evaluation_dir(trial_db, tmp_path_factory) -> Path:
    """2021-2023 in Danish, the default."""
    return _evaluate(trial_db, tmp_path_factory.mktemp("da"), "--from", "2021-01-01", "--to", "2023-12-31")


@pytest.fixture(scope="module")
def evaluation_en(trial_db, tmp_path_factory) -> Path:
    return _evaluate(trial_db, tmp_path_factory.mktemp("en"), "--from", "2021-01-01", "--to", "2023-12-31",
                     "--lang", "en")


def test_business_case_of_january_2021_on_the_fixtures_by_hand(trial_db, tmp_path):
    """From fixtures/temporary: in January 2021 five tenancies of one person each, subsidy = rent - 2,800.00 pro rata
    by days (register-2021.xml; the same amounts test_temporary_cli pins as paid): AAR-T01 social problems, Aarhus C
    from the 4th, 1,500.00 x 28/31 = 1,354.84; AAR-T05 social problems, Viby from the 18th, 1,300.00 x 14/31 =
    587.10; AAR-T02 mental vulnerability, Aarhus C from the 11th, 1,500.00 x 21/31 = 1,016.13; KBH-T01 social
    problems, Sydhavn from the 4th, 1,800.00 x 28/31 = 1,625.81; KBH-T02 mental vulnerability, Sydhavn from the
    25th, 1,800.00 x 7/31 = 406.45. Daily rates (config/schemes/temporary.toml, illustrative): 751 1,350.00,
    101 1,650.00. Every day is a January day, so the alternative per person-month is the rate x 31.
    - social problems, 751: 28 + 14 = 42 person-days = 42/31 = 1.35 person-months; 1,941.94 x 31 / 42 = 1,433.336
      -> 1,433.34; 1,350.00 x 31 = 41,850.00; saving 1,350.00 x 42 - 1,941.94 = 54,758.06, x 31 / 42 = 40,416.663
      -> 40,416.66
    - mental vulnerability, 751: 21 = 0.68; 1,016.13 x 31 / 21 = 1,500.001 -> 1,500.00; saving 28,350.00 - 1,016.13
      = 27,333.87 -> 40,349.998 -> 40,350.00 per person-month
    - social problems, 101: 28 = 0.90; 1,625.81 x 31 / 28 = 1,800.004 -> 1,800.00; 1,650.00 x 31 = 51,150.00
    - mental vulnerability, 101: 7 = 0.23; 406.45 x 31 / 7 = 1,799.993 -> 1,799.99; saving 11,550.00 - 406.45 =
      11,143.55 -> 49,350.007 -> 49,350.01 per person-month
    - together: 98 person-days = 3.16; 4,990.33 (the three landlords' January payments 2,032.26 + 2,370.97 +
      587.10) against 142,800.00; saving 137,809.67; per person-month 4,990.33 x 31 / 98 = 1,578.574 -> 1,578.57,
      142,800.00 x 31 / 98 = 45,171.429 -> 45,171.43, 137,809.67 x 31 / 98 = 43,592.855 -> 43,592.85 (below half)."""
    out = _evaluate(trial_db, tmp_path / "january", "--from", "2021-01-01", "--to", "2021-01-31")
    rows = [line.split(";") for line in (out / "evaluation-business-case.csv").read_text("utf-8-sig").splitlines()]
    assert rows[0] == ["periode", "målgruppe", "kommune", "persondage", "personmåneder", "tilskud",
                       "døgntakst_illustrativ", "alternativ_illustrativ", "besparelse", "tilskud_pr_personmåned",
                       "alternativ_pr_personmåned", "besparelse_pr_personmåned"]
    assert rows[1:] == [
        ["hele perioden", "mental-vulnerability", "101", "7", "0,23", "406,45", "1650,00", "11550,00", "11143,55",
         "1799,99", "51150,00", "49350,01"],
        ["hele perioden", "mental-vulnerability", "751", "21", "0,68", "1016,13", "1350,00", "28350,00", "27333,87",
         "1500,00", "41850,00", "40350,00"],
        ["hele perioden", "social-problems", "101", "28", "0,90", "1625,81", "1650,00", "46200,00", "44574,19",
         "1800,00", "51150,00", "49350,00"],
        ["hele perioden", "social-problems", "751", "42", "1,35", "1941,94", "1350,00", "56700,00", "54758,06",
         "1433,34", "41850,00", "40416,66"],
        ["hele perioden", "alle", "alle", "98", "3,16", "4990,33", "", "142800,00", "137809,67", "1578,57",
         "45171,43", "43592,85"],
        ["1. kvt. 2021", "alle", "alle", "98", "3,16", "4990,33", "", "142800,00", "137809,67", "1578,57",
         "45171,43", "43592,85"],
    ]
    page = html.fromstring((out / "evaluation.html").read_text(encoding="utf-8"))

    def cell(key, group, municipality):
        return page.xpath(f'string(//td[@data-figure="business-case/{key}"][@data-group="{group}"]'
                          f'[@data-municipality="{municipality}"])')

    assert (cell("subsidy-per-pm", "social-problems", "751"), cell("saving-per-pm", "social-problems", "751"),
            cell("saving", "all", "all")) == ("1.433,34\xa0kr.", "40.416,66\xa0kr.", "137.809,67\xa0kr.")
    assert "ILLUSTRATIVE" in page.xpath('string(//p[@class="illustrative"])')


def test_report_is_self_contained(evaluation_dir):
    text = (evaluation_dir / "evaluation.html").read_text(encoding="utf-8")
    doc = html.fromstring(text)
    assert not doc.xpath("//script | //link | //iframe | //img | //object | //embed")
    references = [v for v in doc.xpath("//@src | //@href") if not v.startswith("#")]
    assert references == []
    assert "url(" not in text and "@import" not in text


def test_report_is_danish_first_and_english_on_request(evaluation_dir, evaluation_en):
    da = html.fromstring((evaluation_dir / "evaluation.html").read_text(encoding="utf-8"))
    en = html.fromstring((evaluation_en / "evaluation.html").read_text(encoding="utf-8"))
    assert (da.get("lang"), en.get("lang")) == ("da", "en")
    assert da.findtext(".//h1") == "Forsøg med midlertidige boliger: evaluering 1. januar 2021 – 31. december 2023"
    assert en.findtext(".//h1") == "Temporary housing trial: evaluation 1 January 2021 – 31 December 2023"
    assert da.xpath("string(//section[@id='business-case']/h2)").startswith("Business case: tilskuddet mod")
    assert [th.text for th in da.xpath("//section[@id='housed']//th")][:2] == ["Nøgletal", "Alle"]
    assert [th.text for th in en.xpath("//section[@id='housed']//th")][:2] == ["Figure", "All"]
    assert "ILLUSTRATIVE" in da.xpath('string(//p[@class="illustrative"])')
    assert "ILLUSTRATIVE" in en.xpath('string(//p[@class="illustrative"])')
    assert "illustrativ" in da.xpath("string(//*[@data-chart='business-case'])")
    assert "illustrative" in en.xpath("string(//*[@data-chart='business-case'])")
    # plurals: one tenancy moved to another temporary dwelling (KBH-T05)
    values = {lang: {g.get("data-label"): g.xpath("string(.//*[@class='value'])") for g in
                     page.xpath("//*[@data-chart='destinations']//*[local-name()='g']")}
              for lang, page in (("da", da), ("en", en))}
    assert values["da"]["Anden midlertidig bolig"] == "1 lejemål" and values["da"]["Ukendt"] == "3 lejemål"
    assert values["en"]["Anden midlertidig bolig"] == "1 tenancy" and values["en"]["Ukendt"] == "3 tenancies"
    for page, wrong in ((da, ("1 husstande", "1 personer", "1 boliger", "1 lejere")),
                        (en, ("1 tenancies", "1 households", "1 persons", "1 dwellings", "1 tenants"))):
        assert not [w for w in wrong if w in page.text_content()]
    # amounts and numbers through exports/language.py in both
    total = '//td[@data-figure="business-case/saving"][@data-group="all"]'
    assert da.xpath(f"string({total})") == "42.895.189,50\xa0kr."
    assert en.xpath(f"string({total})") == money(Decimal("42895189.50"), "en")
    assert en.xpath('string(//td[@data-figure="destinations/positive-share"][@data-municipality="all"])') == \
        da.xpath('string(//td[@data-figure="destinations/positive-share"][@data-municipality="all"])') == "62,9"


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
    assert dom.findtext(".//h1").startswith("Forsøg med midlertidige boliger: evaluering 1. januar 2021")

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
            "areas-169", "areas-751", "business-case"} <= set(charts)
    bars = {g.get("data-label"): g.get("data-value") for g in charts["destinations"].xpath(".//*[local-name()='g']")}
    assert bars["Egen varig bolig"] == "14" and bars["Ukendt"] == "3"
    taastrup = charts["areas-169"].xpath(".//*[local-name()='g'][@data-label='Taastrup']")[0]
    assert "negative" in taastrup.get("class")  # the concentration is drawn as such
    assert "50 % af boligerne" in charts["areas-169"].xpath("string(.//*[@class='threshold-label'])")
    quarters = charts["business-case"].xpath(".//*[local-name()='g']")
    assert len(quarters) == 2 * 12 and quarters[0].get("data-label") == "1. kvt. 2021, tilskud"
    assert all(float(r.get("width")) >= 0 for r in dom.xpath("//*[local-name()='rect']"))

    shot = tmp_path / "report.png"
    painted = subprocess.run([*command, "--window-size=1100,3000", f"--screenshot={shot}", report.as_uri()],
                             capture_output=True, text=True, timeout=120)
    assert painted.returncode == 0, painted.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000  # a painted page, not blank


@pytest.mark.parametrize("width", [1100, 420])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_nothing_is_cut_off_in_either_language_at_either_width(lang, width, evaluation_dir, evaluation_en, tmp_path):
    """Every heading, paragraph and table cell inside the page, and every chart's title, label and value inside its
    chart (tests/browser.py CHECK), on a wide screen and a phone."""
    report = {"da": evaluation_dir, "en": evaluation_en}[lang] / "evaluation.html"
    dom = laid_out(report.read_text(encoding="utf-8"), width, tmp_path)
    assert len(dom.xpath("//*[local-name()='text']")) > 100  # the charts are there, and were checked
    assert cut_off(dom) == []


def _long_chart() -> str:
    """A chart whose title, labels, value and threshold label are each far longer than any the report has."""
    words = "Borgere med større sociale problemer (hjemløse, truet af hjemløshed) og Anden midlertidig bolig"
    return bar_chart("long", f"{words}: {words}", [Bar(words, 3, "3 lejemål"), Bar("Tilst", 9, f"9 lejemål, {words}"),
                                                   Bar("Ubrydeligtlangtordudenmellemrum" * 4, None, "–")],
                     threshold=(6.0, f"50 % af boligerne ({words})"))


@pytest.mark.parametrize("width", [1100, 420])
def test_a_chart_cuts_off_no_text_of_any_length(width, tmp_path):
    page = f"<!DOCTYPE html><html><head><style>{STYLE}</style></head><body>{_long_chart()}</body></html>"
    dom = laid_out(page, width, tmp_path)
    assert len(dom.xpath("//*[local-name()='text']")) == 8 and cut_off(dom) == []


def test_the_check_catches_chart_text_cut_off(trial_db, tmp_path, monkeypatch):
    """Mutations: the old fixed layout's threshold label, drawn right of a line near the chart's right edge, ran
    past the edge ("50,00 % of the c"); a layout that does not measure its text (as if a character were 2 px wide:
    titles and labels not wrapped, the drawing not widened for the values) cuts off values, titles and labels. The
    browser check finds each."""
    old = ('<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="680" height="90" viewBox="0 0 680 90">'
           '<line class="threshold" x1="580.0" x2="580.0" y1="26" y2="84"/>'
           '<text class="threshold-label" x="584.0" y="88">50,00 % of the dwellings</text></svg>')
    cut = cut_off(laid_out(f"<!DOCTYPE html><html><body>{old}</body></html>", 1100, tmp_path))
    assert cut == [("text", cut[0][1], "50,00 % of the dwellings")]

    monkeypatch.setattr(svg, "GLYPH", 2.0)
    monkeypatch.setattr(svg, "TITLE_GLYPH", 2.0)
    monkeypatch.setattr(svg, "WIDTH", 300)
    page = f"<!DOCTYPE html><html><head><style>{STYLE}</style></head><body>{_long_chart()}</body></html>"
    (tmp_path / "long").mkdir()
    cut = cut_off(laid_out(page, 1100, tmp_path / "long"))
    assert {tag for tag, *_ in cut} == {"text"} and len(cut) >= 4  # the title, the long label, a value, the threshold
    out = _evaluate(trial_db, tmp_path / "mutated", "--from", "2021-01-01", "--to", "2023-12-31", "--lang", "en")
    cut = cut_off(laid_out((out / "evaluation.html").read_text(encoding="utf-8"), 1100, out))
    assert {tag for tag, *_ in cut} == {"text"}  # only chart text: the page around it is fine
    assert {"16 households", "14 tenancies", "6 dwellings"} <= {text for *_, text in cut}
