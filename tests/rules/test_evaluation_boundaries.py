"""Boundary cases of the temporary-housing trial's evaluation figures (T 5; SPEC 2.8), pure functions only.

Each test sits on one edge of a rule: the day a tenancy stops being known, the day a window closes, the exact
count that is still allowed, a mean or share that ends in exactly 5 in the second decimal (rounded half up).
Every expected figure is worked out by hand in the comment beside it. Calendar facts used: 2021, 2022 and 2023
are not leap years (365 days each); January, March, May, July, December have 31 days; April, June 30.
"""
from datetime import date
from decimal import Decimal

from disbursement.schemes.temporary.rules.evaluation import (AreaSpread, Destination, Durations, DwellingPlace,
                                                             EvaluationRules, FollowUp, TenancyOutcome, education_work,
                                                             evaluate, in_period, kept_permanent, known_on, percent,
                                                             spread, to_permanent)

D = Decimal

RULES = EvaluationRules(
    destinations={
        "own": Destination("own", "Egen varig bolig", positive=True, permanent=True),
        "shelter": Destination("shelter", "Herberg", positive=False, permanent=False),
    },
    active_statuses=frozenset({"education", "work"}),
    permanent_within_months=24, kept_permanent_months=24, max_dwellings_per_site=2, max_area_share=D("0.5"),
)
START, END = date(2023, 1, 1), date(2023, 12, 31)


def tenancy(tid, moved_in, moved_out=None, destination=None, *, municipality="101", area="Nord", site="A1",
            entry="none", exit_=None, follow_ups=()):
    return TenancyOutcome(tid, f"P-{tid}", 1, municipality, "S", f"D-{tid}", site, area, moved_in,
                          lease_end=date(moved_in.year + 2, moved_in.month, 1), moved_out=moved_out,
                          destination=destination, entry_status=entry, exit_status=exit_,
                          follow_ups=tuple(follow_ups))


# --- Durations and percent ----------------------------------------------------------------------------------------

def test_durations_of_no_stays_counts_zero_and_has_no_figures():
    assert Durations.of([]) == Durations(count=0, mean=None, median=None, shortest=None, longest=None)
    assert Durations.of([]).count == 0  # a number, not None


def test_durations_mean_is_rounded_half_up():
    # 1 + 1 + 1 + 2 = 5 days over 4 stays = 1.25 -> 1.3 (half up; half even would give 1.2)
    # median of 1, 1, 1, 2 = (1 + 1) / 2 = 1.0
    assert Durations.of([1, 1, 1, 2]) == Durations(count=4, mean=D("1.3"), median=D("1.0"), shortest=1, longest=2)


def test_percent_is_rounded_half_up():
    assert percent(1, 400) == D("0.3")  # 100 / 400 = 0.25 -> 0.3 (half even would give 0.2)
    assert percent(3, 8) == D("37.5")  # 300 / 8 = 37.5 exactly
    assert percent(0, 0) is None


# --- what is known on the last day of the period ------------------------------------------------------------------

def test_move_out_on_the_last_day_is_known():
    out_on_end = tenancy("T1", date(2022, 5, 1), END, "own", exit_="work")
    assert known_on(out_on_end, END) == out_on_end  # unchanged: move-out, destination and exit status kept


def test_move_out_after_the_last_day_is_not_yet_known():
    later = date(2024, 1, 1)  # the day after END
    out_after_end = tenancy("T1", date(2022, 5, 1), later, "own", entry="education", exit_="work",
                            follow_ups=[FollowUp(date(2024, 3, 1), True)])
    known = known_on(out_after_end, END)
    # still living there on END: no move-out, no destination, no exit status, no follow-ups (an empty tuple)
    assert (known.moved_out, known.destination, known.exit_status, known.follow_ups) == (None, None, None, ())
    assert known == tenancy("T1", date(2022, 5, 1), entry="education")


def test_follow_ups_after_the_last_day_are_dropped():
    on_end, after_end = FollowUp(END, True), FollowUp(date(2024, 1, 1), False, date(2023, 12, 31))
    moved = tenancy("T1", date(2021, 1, 1), date(2022, 6, 30), "own", follow_ups=[on_end, after_end])
    known = known_on(moved, END)
    assert known.follow_ups == (on_end,)  # the one dated 2024-01-01 has not happened on 2023-12-31
    assert (known.moved_out, known.destination) == (date(2022, 6, 30), "own")


def test_period_includes_moving_in_on_the_last_day_and_moving_out_on_the_first():
    tenancies = [
        tenancy("IN-ON-END", END),                                      # moved in 2023-12-31: in
        tenancy("OUT-ON-START", date(2022, 6, 1), START, "shelter"),    # moved out 2023-01-01: in
        tenancy("IN-AFTER-END", date(2024, 1, 1)),                      # moved in the day after: out
        tenancy("OUT-BEFORE-START", date(2022, 6, 1), date(2022, 12, 31), "shelter"),  # the day before: out
    ]
    # ordered by move-in: 2022-06-01 before 2023-12-31
    assert [t.tenancy for t in in_period(tenancies, START, END)] == ["OUT-ON-START", "IN-ON-END"]


# --- time to permanent housing (24 months) ------------------------------------------------------------------------

def test_to_permanent_observable_only_when_the_whole_window_lies_before_the_end():
    tenancies = [
        tenancy("EDGE", date(2022, 1, 1)),  # 2022-01-01 + 24 months = 2024-01-01, less a day = 2023-12-31 = END
        tenancy("LATE", date(2022, 1, 2)),  # 2024-01-02 less a day = 2024-01-01, one day after END
    ]
    tp = to_permanent(tenancies, END, RULES)
    # only EDGE; neither has moved out: 0 of 1 within -> 0.0 %
    assert (tp.observable, tp.within, tp.share_within) == (1, 0, D("0.0"))
    assert tp.reached == Durations(0, None, None, None, None)


def test_to_permanent_moving_out_exactly_n_months_after_moving_in_is_not_within():
    tenancies = [
        # moved in 2021-01-01, out 2023-01-01 = move-in + 24 months: not within;
        # 730 days between the dates, 731 counted inclusively
        tenancy("ON-MARK", date(2021, 1, 1), date(2023, 1, 1), "own"),
        # moved in 2021-02-01, out 2023-01-31, the day before 2023-02-01 = move-in + 24 months: within;
        # 2021-02-01 to 2023-02-01 is 730 days, so to 2023-01-31 729 days, 730 inclusively
        tenancy("DAY-BEFORE", date(2021, 2, 1), date(2023, 1, 31), "own"),
    ]
    tp = to_permanent(tenancies, END, RULES)
    # both observable (2022-12-31 and 2023-01-31 are on or before END); 1 of 2 within -> 50.0 %
    assert (tp.observable, tp.within, tp.share_within) == (2, 1, D("50.0"))
    # reached: 731 and 730 days -> mean and median 1,461 / 2 = 730.5
    assert tp.reached == Durations(2, D("730.5"), D("730.5"), 730, 731)


# --- time kept in permanent housing (24 months) -------------------------------------------------------------------

def test_kept_permanent_counts_each_tenant_who_left_on_or_after_the_mark():
    tenancies = [
        # moved out 2021-03-15, mark 2023-03-15, left 2023-03-15 exactly on the mark: kept; 730 days
        tenancy("ON-MARK", date(2020, 1, 1), date(2021, 3, 15), "own",
                follow_ups=[FollowUp(date(2023, 6, 30), False, date(2023, 3, 15))]),
        # moved out 2021-04-01, mark 2023-04-01, left 2023-05-01: kept; 730 + 30 = 760 days
        tenancy("AFTER-MARK", date(2020, 1, 1), date(2021, 4, 1), "own",
                follow_ups=[FollowUp(date(2023, 6, 30), False, date(2023, 5, 1))]),
        # moved out 2021-05-01, mark 2023-05-01, left 2023-04-30, a day early: left early; 730 - 1 = 729 days
        tenancy("DAY-EARLY", date(2020, 1, 1), date(2021, 5, 1), "own",
                follow_ups=[FollowUp(date(2023, 6, 30), False, date(2023, 4, 30))]),
    ]
    kp = kept_permanent(tenancies, RULES)
    assert (kp.moved_to_permanent, kp.kept, kp.left_early, kp.so_far, kp.not_followed) == (3, 2, 1, 0, 0)
    # 730 + 760 + 729 = 2,219 / 3 = 739.67 -> 739.7; median 730.0
    assert kp.known_days == Durations(3, D("739.7"), D("730.0"), 729, 760)


def test_kept_permanent_counts_each_tenant_still_housed_on_or_after_the_mark():
    tenancies = [
        # moved out 2021-03-15, still there on 2023-03-15 = the mark: kept; 730 days
        tenancy("ON-MARK", date(2020, 1, 1), date(2021, 3, 15), "own",
                follow_ups=[FollowUp(date(2022, 3, 15), True), FollowUp(date(2023, 3, 15), True)]),
        # moved out 2021-04-01, still there on 2023-06-01, after the mark 2023-04-01: kept; 730 + 61 = 791 days
        tenancy("AFTER-MARK", date(2020, 1, 1), date(2021, 4, 1), "own", follow_ups=[FollowUp(date(2023, 6, 1), True)]),
        # moved out 2021-05-01, still there on 2023-04-30, a day before the mark: so far; 729 days
        tenancy("DAY-EARLY", date(2020, 1, 1), date(2021, 5, 1), "own", follow_ups=[FollowUp(date(2023, 4, 30), True)]),
        # moved to permanent housing, never followed up
        tenancy("NOT-FOLLOWED", date(2020, 1, 1), date(2021, 6, 1), "own"),
        # a shelter is not permanent housing: not counted at all
        tenancy("SHELTER", date(2020, 1, 1), date(2021, 6, 1), "shelter", follow_ups=[FollowUp(date(2023, 6, 1), True)]),
    ]
    kp = kept_permanent(tenancies, RULES)
    assert (kp.moved_to_permanent, kp.kept, kp.left_early, kp.so_far, kp.not_followed) == (4, 2, 0, 1, 1)
    # 730 + 791 + 729 = 2,250 / 3 = 750.0; median 730.0
    assert kp.known_days == Durations(3, D("750.0"), D("730.0"), 729, 791)


# --- education and work -------------------------------------------------------------------------------------------

def test_education_work_counts_each_entry_exit_transition():
    tenancies = [
        tenancy("A", date(2022, 1, 1), date(2023, 2, 1), "own", entry="none", exit_="work"),
        tenancy("B", date(2022, 2, 1), date(2023, 3, 1), "own", entry="none", exit_="work"),
        tenancy("C", date(2022, 3, 1), date(2023, 4, 1), "shelter", entry="work", exit_="none"),
        tenancy("D", date(2022, 4, 1), date(2023, 5, 1), "own", entry="education", exit_="education"),
        tenancy("E", date(2022, 5, 1), entry="work"),  # still there: not ended, not counted
        tenancy("F", date(2022, 6, 1), date(2023, 6, 1), "own", entry="work", exit_="work"),
    ]
    ew = education_work(tenancies, RULES)
    # active at entry: C, D, F = 3 of 5 = 60.0 %; at exit: A, B, D, F = 4 of 5 = 80.0 %
    assert (ew.ended, ew.active_at_entry, ew.active_at_exit) == (5, 3, 4)
    assert (ew.share_at_entry, ew.share_at_exit) == (D("60.0"), D("80.0"))
    # started A, B; kept D, F; stopped C; never none: each count distinct from the others it could be mistaken for
    assert (ew.started, ew.kept, ew.stopped, ew.never) == (2, 2, 1, 0)
    assert list(ew.transitions.items()) == [(("education", "education"), 1), (("none", "work"), 2),
                                            (("work", "none"), 1), (("work", "work"), 1)]  # sorted by (entry, exit)


# --- the evaluation as a whole ------------------------------------------------------------------------------------

def test_evaluate_reports_the_period_it_was_asked_for():
    ev = evaluate([tenancy("T1", date(2023, 3, 1))], START, END, RULES)
    assert (ev.start, ev.end) == (date(2023, 1, 1), date(2023, 12, 31))
    # 2023-03-01 to 2023-12-31: 365 - 59 (January and February) = 306 days inclusively
    assert ev.stays_ongoing == Durations(1, D("306.0"), D("306.0"), 306, 306)


# --- spread over areas and sites (at most 2 dwellings a site, at most half of them in one area) --------------------

def test_spread_lists_every_municipality_and_flags_only_sites_over_the_limit():
    places = [
        DwellingPlace("D1", "101", "A1", "Nord"), DwellingPlace("D2", "101", "A1", "Nord"),  # A1: exactly 2
        DwellingPlace("D3", "101", "B1", "Syd"),
        DwellingPlace("D4", "169", "C1", "Øst"), DwellingPlace("D5", "169", "C1", "Øst"),    # C1: 3, one too many
        DwellingPlace("D6", "169", "C1", "Øst"),
    ]
    tenancies = [
        tenancy("T1", date(2023, 2, 1), municipality="101", area="Nord", site="A1"),
        tenancy("T2", date(2021, 1, 1), date(2022, 6, 30), "shelter", municipality="169", area="Øst", site="C1"),
        tenancy("T3", date(2023, 4, 1), municipality="751", area="Midt", site="M1"),  # no dwelling listed there
    ]
    assert spread(places, tenancies, START, END, RULES) == [
        # 3 dwellings; Nord 2 of 3 = 66.67 -> 66.7 %, and 2 > 0.5 x 3 = 1.5: concentrated; A1 holds 2, not > 2
        AreaSpread("101", 3, {"Nord": 2, "Syd": 1}, {"A1": 2, "B1": 1}, D("66.7"), {"Nord": 1}, ("Nord",), ()),
        # dwellings but no tenancy in the period (T2 ended 2022-06-30): still listed; C1 holds 3 > 2: crowded
        AreaSpread("169", 3, {"Øst": 3}, {"C1": 3}, D("100.0"), {}, ("Øst",), ("C1",)),
        # a tenancy in the period but no dwelling standing on END: listed with no dwellings and no share
        AreaSpread("751", 0, {}, {}, None, {"Midt": 1}, (), ()),
    ]


def test_kept_permanent_counts_every_tenant_in_each_group():
    """Two of each: followed up and still housed before the mark, left before it, and never followed up."""
    def moved(tid, out, follow_ups=()):
        return tenancy(tid, date(2020, 1, 1), out, "own", follow_ups=follow_ups)

    tenancies = [
        moved("SO-FAR-1", date(2022, 1, 1), [FollowUp(date(2023, 1, 1), True)]),  # 365 days, mark 2024-01-01
        moved("SO-FAR-2", date(2022, 2, 1), [FollowUp(date(2023, 2, 1), True)]),  # 365 days
        moved("EARLY-1", date(2021, 1, 1), [FollowUp(date(2023, 6, 1), False, date(2021, 7, 1))]),  # 181 days
        moved("EARLY-2", date(2021, 2, 1), [FollowUp(date(2023, 6, 1), False, date(2021, 8, 1))]),  # 181 days
        moved("NOT-1", date(2022, 3, 1)),
        moved("NOT-2", date(2022, 4, 1)),
    ]
    kp = kept_permanent(tenancies, RULES)
    assert (kp.moved_to_permanent, kp.kept, kp.left_early, kp.so_far, kp.not_followed) == (6, 0, 2, 2, 2)
    # 365 + 365 + 181 + 181 = 1,092 / 4 = 273.0; median (181 + 365) / 2 = 273.0
    assert kp.known_days == Durations(4, D("273.0"), D("273.0"), 181, 365)
