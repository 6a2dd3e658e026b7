"""Boundary scenarios of the temporary rent subsidy (T 1; SPEC 2.8) and of loss refunds (V 2.2.4, 2.5.4; SPEC 2.7).

Pure rules, no database. Every expected figure is worked by hand in the comment beside it; none is re-computed with
the code's own formula. Calendar facts used: January, March, May, July 31 days; April, June 30; February 2021 28,
February 2024 29 (leap year). Rounding is half up to øre, once per amount.
"""
from datetime import date
from decimal import Decimal

from disbursement.schemes.inclusion.rules.refunds import cohort_refunds, refund_pro_rata, refundable
from disbursement.schemes.temporary.rules.rent import (RentPeriod, SubsidisedTenancy, last_subsidised_day,
                                                      month_subsidy, months_between, subsidy_by_landlord_month)

AFFORDABLE = Decimal("2800.00")
D = Decimal


def tenancy(moved_in, last_day, rents=((date(2020, 1, 1), "4300.00"),), affordable=AFFORDABLE, landlord="L1",
            tid="T1"):
    """Default rent 4,300.00 against 2,800.00 affordable: a monthly subsidy of 1,500.00."""
    return SubsidisedTenancy(tid, landlord, moved_in, last_day, affordable,
                             tuple(RentPeriod(start, D(rent)) for start, rent in rents))


# --- (a) the temporary rent subsidy -------------------------------------------------------------------------------

# Five rent periods: a change inside March (10th), one on a month boundary (1 April), one inside April to a rent
# below the affordable rent (subsidy 0, never negative), and one inside May.
#   from 2021-01-01 rent 4,300.00 -> 1,500.00 a month
#   from 2021-03-10 rent 4,400.00 -> 1,600.00
#   from 2021-04-01 rent 4,500.00 -> 1,700.00
#   from 2021-04-20 rent 2,700.00 -> max(0, -100.00) = 0.00
#   from 2021-05-05 rent 4,800.00 -> 2,000.00
# Moved in 15 February 2021, last day 10 May 2021.
MANY_RENTS = (("2021-01-01", "4300.00"), ("2021-03-10", "4400.00"), ("2021-04-01", "4500.00"),
              ("2021-04-20", "2700.00"), ("2021-05-05", "4800.00"))


def many_rents_tenancy():
    return tenancy(date(2021, 2, 15), date(2021, 5, 10),
                   rents=tuple((date.fromisoformat(start), rent) for start, rent in MANY_RENTS))


def test_three_or_more_rent_periods_part_month_at_move_in():
    # February: 15..28 = 14 of 28 days at 1,500.00: 14 x 1,500 = 21,000 / 28 = 750.00
    assert month_subsidy(many_rents_tenancy(), date(2021, 2, 1)) == D("750.00")


def test_three_or_more_rent_periods_full_month_with_two_rents():
    # March, fully covered, two rents: 1..9 = 9 days x 1,500 = 13,500; 10..31 = 22 days x 1,600 = 35,200;
    # 48,700 / 31 = 1,570.967... (31 x 1,570 = 48,670, 30/31 = .9677) -> 1,570.97
    assert month_subsidy(many_rents_tenancy(), date(2021, 3, 1)) == D("1570.97")


def test_three_or_more_rent_periods_change_on_the_first_and_a_rent_below_the_affordable_rent():
    # April: the 1 April rent is in force from day 1 (no March rent leaks in): 1..19 = 19 x 1,700 = 32,300;
    # 20..30 = 11 days x 0.00 (rent 2,700 < 2,800: zero, not -100.00) = 0; 32,300 / 30 = 1,076.666... -> 1,076.67
    # (were the negative difference counted: (32,300 - 11 x 100) / 30 = 1,040.00)
    assert month_subsidy(many_rents_tenancy(), date(2021, 4, 1)) == D("1076.67")


def test_three_or_more_rent_periods_part_month_at_move_out():
    # May: 1..4 = 4 x 0.00; 5..10 = 6 x 2,000 = 12,000; 11..31 not covered; 12,000 / 31 = 387.096... -> 387.10
    assert month_subsidy(many_rents_tenancy(), date(2021, 5, 1)) == D("387.10")


def test_three_or_more_rent_periods_nothing_outside_the_tenancy():
    # January is before the move-in (15 February), June after the last day (10 May)
    assert month_subsidy(many_rents_tenancy(), date(2021, 1, 1)) == D("0.00")
    assert month_subsidy(many_rents_tenancy(), date(2021, 6, 1)) == D("0.00")


def test_moved_in_on_the_last_day_of_a_month_is_one_day():
    t = tenancy(date(2021, 1, 31), date(2023, 1, 30))
    # 1 of 31 days: 1,500.00 / 31 = 48.387... -> 48.39
    assert month_subsidy(t, date(2021, 1, 1)) == D("48.39")
    # the month after is a full month
    assert month_subsidy(t, date(2021, 2, 1)) == D("1500.00")
    # the month before the move-in nothing
    assert month_subsidy(t, date(2020, 12, 1)) == D("0.00")


def test_moved_in_on_the_last_day_of_february_short_and_leap_year():
    # 28 February 2021: 1 of 28 days: 1,500.00 / 28 = 53.571... -> 53.57
    assert month_subsidy(tenancy(date(2021, 2, 28), date(2023, 2, 27)), date(2021, 2, 1)) == D("53.57")
    # 29 February 2024: 1 of 29 days: 1,500.00 / 29 = 51.724... (29 x 51 = 1,479, 21/29 = .724) -> 51.72
    assert month_subsidy(tenancy(date(2024, 2, 29), date(2026, 2, 28)), date(2024, 2, 1)) == D("51.72")
    # 28 February 2024: 2 of 29 days: 3,000.00 / 29 = 103.448... -> 103.45
    assert month_subsidy(tenancy(date(2024, 2, 28), date(2026, 2, 27)), date(2024, 2, 1)) == D("103.45")
    # 30 April: 1 of 30 days: 1,500.00 / 30 = 50.00
    assert month_subsidy(tenancy(date(2021, 4, 30), date(2023, 4, 29)), date(2021, 4, 1)) == D("50.00")


def test_last_day_on_the_first_of_a_month_is_one_day():
    # moved out (last day) 1 July 2021: 1 of 31 days: 1,500.00 / 31 = 48.387... -> 48.39
    t = tenancy(date(2021, 3, 1), date(2021, 7, 1))
    assert month_subsidy(t, date(2021, 7, 1)) == D("48.39")
    assert month_subsidy(t, date(2021, 6, 1)) == D("1500.00")  # June fully covered
    assert month_subsidy(t, date(2021, 8, 1)) == D("0.00")  # after the last day
    # last day 1 February 2021: 1 of 28 days: 1,500.00 / 28 = 53.571... -> 53.57
    assert month_subsidy(tenancy(date(2020, 2, 1), date(2021, 2, 1)), date(2021, 2, 1)) == D("53.57")


def test_moved_in_and_last_day_the_same_day():
    # moved in and left on 1 March 2021: 1 of 31 days = 48.39 (as above)
    assert month_subsidy(tenancy(date(2021, 3, 1), date(2021, 3, 1)), date(2021, 3, 1)) == D("48.39")
    # moved in on the last of one month, last day the first of the next: one day in each
    t = tenancy(date(2021, 1, 31), date(2021, 2, 1))
    assert month_subsidy(t, date(2021, 1, 1)) == D("48.39")  # 1,500 / 31
    assert month_subsidy(t, date(2021, 2, 1)) == D("53.57")  # 1,500 / 28


def test_one_day_rounds_half_up_at_an_exact_half_ore_and_down_below():
    # June has 30 days; last day 1 June 2021.
    # rent 4,300.15 -> 1,500.15; 1,500.15 / 30 = 50.005 exactly -> 50.01 (half up; half-even would give 50.00)
    assert month_subsidy(tenancy(date(2021, 1, 1), date(2021, 6, 1), rents=((date(2021, 1, 1), "4300.15"),)),
                         date(2021, 6, 1)) == D("50.01")
    # rent 4,300.12 -> 1,500.12; 1,500.12 / 30 = 50.004 -> 50.00
    assert month_subsidy(tenancy(date(2021, 1, 1), date(2021, 6, 1), rents=((date(2021, 1, 1), "4300.12"),)),
                         date(2021, 6, 1)) == D("50.00")
    # rent 4,300.18 -> 1,500.18; 1,500.18 / 30 = 50.006 -> 50.01
    assert month_subsidy(tenancy(date(2021, 1, 1), date(2021, 6, 1), rents=((date(2021, 1, 1), "4300.18"),)),
                         date(2021, 6, 1)) == D("50.01")


def test_rent_change_effective_on_the_last_day_of_a_month():
    # 4,300 (1,500.00) until 30 January, 5,300 (2,500.00) from 31 January, tenancy covers all of January:
    # (30 x 1,500 + 1 x 2,500) / 31 = 47,500 / 31 = 1,532.258... -> 1,532.26
    rents = ((date(2020, 1, 1), "4300.00"), (date(2021, 1, 31), "5300.00"))
    t = tenancy(date(2020, 6, 1), date(2022, 5, 31), rents=rents)
    assert month_subsidy(t, date(2021, 1, 1)) == D("1532.26")
    # February: only the new rent, full month 2,500.00
    assert month_subsidy(t, date(2021, 2, 1)) == D("2500.00")
    # December before: only the old rent, 1,500.00
    assert month_subsidy(t, date(2020, 12, 1)) == D("1500.00")


def test_rent_change_on_the_last_day_is_rounded_once_not_per_rent():
    # Moved in 29 June 2021 (June: 30 days). 4,300.15 (1,500.15) until 29 June, 5,800.15 (3,000.15) from 30 June:
    # once: (1 x 1,500.15 + 1 x 3,000.15) / 30 = 4,500.30 / 30 = 150.01 exactly
    # (rounding each rent's part first would give 50.005 -> 50.01 plus 100.005 -> 100.01 = 150.02)
    rents = ((date(2021, 1, 1), "4300.15"), (date(2021, 6, 30), "5800.15"))
    t = tenancy(date(2021, 6, 29), date(2023, 6, 28), rents=rents)
    assert month_subsidy(t, date(2021, 6, 1)) == D("150.01")
    assert month_subsidy(t, date(2021, 7, 1)) == D("3000.15")  # July full at the new rent


def test_tenancy_starting_on_the_first_is_a_full_month_without_pro_rata():
    # rent 4,034.57 -> 1,234.57; moved in 1 March 2021: all 31 days, exactly 1,234.57
    # (a 30-day divisor would give 1,234.57 x 31/30 = 1,275.72; 30 days of 31 = 1,194.74)
    t = tenancy(date(2021, 3, 1), date(2023, 2, 28), rents=((date(2021, 1, 1), "4034.57"),))
    assert month_subsidy(t, date(2021, 3, 1)) == D("1234.57")
    assert month_subsidy(t, date(2021, 2, 1)) == D("0.00")  # the month before
    # and ending on the last day of February 2023 the last month is full too
    assert month_subsidy(t, date(2023, 2, 1)) == D("1234.57")
    assert month_subsidy(t, date(2023, 3, 1)) == D("0.00")


def test_months_between_boundaries():
    # last day of one month through the first of the next: both months
    assert months_between(date(2021, 1, 31), date(2021, 2, 1)) == [date(2021, 1, 1), date(2021, 2, 1)]
    # across the year end
    assert months_between(date(2021, 12, 15), date(2022, 1, 1)) == [date(2021, 12, 1), date(2022, 1, 1)]
    # one whole month
    assert months_between(date(2021, 3, 1), date(2021, 3, 31)) == [date(2021, 3, 1)]
    # the same day
    assert months_between(date(2021, 3, 1), date(2021, 3, 1)) == [date(2021, 3, 1)]
    # leap February in the middle: January, February, March 2024
    assert months_between(date(2024, 1, 31), date(2024, 3, 1)) == [date(2024, 1, 1), date(2024, 2, 1),
                                                                   date(2024, 3, 1)]
    # last before the first's month: nothing
    assert months_between(date(2021, 3, 1), date(2021, 2, 28)) == []


def test_months_between_a_two_year_lease_is_25_months():
    # 4 January 2021 .. 3 January 2023: Jan 2021..Dec 2021 (12) + 2022 (12) + Jan 2023 (1) = 25
    months = months_between(date(2021, 1, 4), date(2023, 1, 3))
    assert len(months) == 25
    assert months[0] == date(2021, 1, 1)
    assert months[11] == date(2021, 12, 1)
    assert months[12] == date(2022, 1, 1)
    assert months[-1] == date(2023, 1, 1)


def test_subsidy_by_landlord_month_two_landlords_and_a_zero_month_left_out():
    # A (L1): 1,500.00 a month, 1 January .. 1 February 2021:
    #   Jan full 1,500.00; Feb 1 of 28 days = 53.571... -> 53.57; Mar nothing
    a = tenancy(date(2021, 1, 1), date(2021, 2, 1), landlord="L1", tid="A")
    # B (L1): rent 3,800 -> 1,000.00, moved in 20 January 2021:
    #   Jan 20..31 = 12 of 31 days: 12,000 / 31 = 387.096... -> 387.10; Feb and Mar full 1,000.00
    b = tenancy(date(2021, 1, 20), date(2022, 12, 31), rents=((date(2020, 1, 1), "3800.00"),), landlord="L1",
                tid="B")
    # C (L2): 4,300 (1,500.00); from 1 Feb 2021 2,800 (0.00); from 16 Mar 2021 3,300 (500.00):
    #   Jan 1,500.00; Feb 0.00 -> no (Feb, L2) entry at all; Mar 16..31 = 16 x 500 = 8,000 / 31 = 258.064... -> 258.06
    c = tenancy(date(2020, 6, 1), date(2022, 5, 31), landlord="L2", tid="C",
                rents=((date(2020, 1, 1), "4300.00"), (date(2021, 2, 1), "2800.00"), (date(2021, 3, 16), "3300.00")))
    jan, feb, mar = date(2021, 1, 1), date(2021, 2, 1), date(2021, 3, 1)
    got = subsidy_by_landlord_month([a, b, c], [jan, feb, mar])
    assert got == {
        (jan, "L1"): {"A": D("1500.00"), "B": D("387.10")},
        (jan, "L2"): {"C": D("1500.00")},
        (feb, "L1"): {"A": D("53.57"), "B": D("1000.00")},
        (mar, "L1"): {"B": D("1000.00")},
        (mar, "L2"): {"C": D("258.06")},
    }
    assert (feb, "L2") not in got
    assert "A" not in got[(mar, "L1")]


def test_subsidy_by_landlord_month_all_zero_is_empty():
    # rent 2,650 below the affordable 2,800: nothing in any month, so no entries at all
    shared = tenancy(date(2021, 1, 1), date(2022, 12, 31), rents=((date(2021, 1, 1), "2650.00"),))
    assert subsidy_by_landlord_month([shared], [date(2021, 1, 1), date(2021, 2, 1)]) == {}


# --- (b) loss refunds ---------------------------------------------------------------------------------------------

def test_pro_rata_equal_remainders_tie_goes_to_the_first_key_whatever_the_insertion_order():
    # 3 x 100.00 = 300.00 > 100.00: each exactly 100 x 100/300 = 33.333...; floors 3 x 33.33 = 99.99;
    # 1 øre left, equal remainders (.00333...): it goes to "a", the first by str(key)
    expected = {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}
    assert refund_pro_rata({"c": D("100.00"), "a": D("100.00"), "b": D("100.00")}, D("100.00")) == expected
    assert refund_pro_rata({"b": D("100.00"), "c": D("100.00"), "a": D("100.00")}, D("100.00")) == expected


def test_pro_rata_two_ore_left_go_to_the_first_two_keys():
    # 3 x 100.00 sharing 200.00: each 66.666...; floors 3 x 66.66 = 199.98; 2 øre to "a" and "b" (sort order)
    got = refund_pro_rata({"c": D("100.00"), "b": D("100.00"), "a": D("100.00")}, D("200.00"))
    assert got == {"a": D("66.67"), "b": D("66.67"), "c": D("66.66")}


def test_pro_rata_tie_break_is_by_str_of_the_key_not_its_value():
    # int keys 9, 2, 10: as strings "10" < "2" < "9", so the øre goes to 10 (not to 2, the smallest number)
    got = refund_pro_rata({9: D("100.00"), 2: D("100.00"), 10: D("100.00")}, D("100.00"))
    assert got == {10: D("33.34"), 2: D("33.33"), 9: D("33.33")}


def test_pro_rata_a_larger_remainder_beats_the_sort_order():
    # 200.00 + 100.00 + 100.00 = 400.00 > 100.01: exact z = 200 x 100.01/400 = 50.005, a = m = 25.0025;
    # floors 50.00 + 25.00 + 25.00 = 100.00; 1 øre left to "z" (remainder .005 > .0025) although "z" sorts last
    got = refund_pro_rata({"a": D("100.00"), "m": D("100.00"), "z": D("200.00")}, D("100.01"))
    assert got == {"z": D("50.01"), "a": D("25.00"), "m": D("25.00")}


def test_pro_rata_claims_that_exactly_fit_are_paid_in_full():
    # 60.00 + 40.00 = 100.00 <= 100.00: each in full
    assert refund_pro_rata({"a": D("60.00"), "b": D("40.00")}, D("100.00")) == {"a": D("60.00"), "b": D("40.00")}
    # and with room to spare
    assert refund_pro_rata({"a": D("60.00"), "b": D("40.00")}, D("100.01")) == {"a": D("60.00"), "b": D("40.00")}


def test_pro_rata_claims_exceeding_by_one_ore_are_cut():
    # 60.00 + 40.01 = 100.01 > 100.00:
    #   a exact 60 x 100/100.01 = 6,000/100.01 = 59.99400...; floor 59.99, remainder .00400
    #   b exact 40.01 x 100/100.01 = 4,001/100.01 = 40.00599...; floor 40.00, remainder .00599
    #   floors 99.99, 1 øre left to b (larger remainder): a 59.99, b 40.01; sum 100.00
    got = refund_pro_rata({"a": D("60.00"), "b": D("40.01")}, D("100.00"))
    assert got == {"a": D("59.99"), "b": D("40.01")}


def test_pro_rata_nothing_available():
    # 50.00 > 0.00: 50 x 0 / 50 = 0 -> 0.00
    assert refund_pro_rata({"e": D("50.00")}, D("0.00")) == {"e": D("0.00")}


def test_refundable_rounds_half_up_at_an_exact_half_ore_and_down_below():
    assert refundable(D("0.02")) == D("0.02")  # 0.75 x 0.02 = 0.015 exactly -> 0.02
    assert refundable(D("0.06")) == D("0.05")  # 0.75 x 0.06 = 0.045 exactly -> 0.05 (half-even would give 0.04)
    assert refundable(D("0.03")) == D("0.02")  # 0.75 x 0.03 = 0.0225 -> 0.02 (below half)
    assert refundable(D("0.01")) == D("0.01")  # 0.75 x 0.01 = 0.0075 -> 0.01 (above half)
    assert refundable(D("1000.06")) == D("750.05")  # 750.045 -> 750.05
    assert refundable(D("1000.03")) == D("750.02")  # 750.0225 -> 750.02
    assert refundable(D("0.00")) == D("0.00")


def test_cohort_reserve_runs_out_in_the_second_of_three_years():
    # reserve 1,000.01; years given out of order
    years = cohort_refunds(D("1000.01"), {
        2021: {"e": D("50.00")},
        2019: {"a": D("400.00")},
        2020: {"d": D("300.00"), "c": D("300.00"), "b": D("300.00")},
    })
    assert [y.year for y in years] == [2019, 2020, 2021]
    # 2019: 400.00 <= 1,000.01, paid in full; remaining 1,000.01 - 400.00 = 600.01
    assert (years[0].available, years[0].claimed, years[0].refunds) == (D("1000.01"), D("400.00"), {"a": D("400.00")})
    assert years[0].remaining == D("600.01")
    # 2020: 900.00 > 600.01: each 300 x 600.01/900 = 200.00333...; floors 600.00; 1 øre to "b" (ties, sort order);
    # remaining 600.01 - 600.01 = 0.00
    assert (years[1].available, years[1].claimed) == (D("600.01"), D("900.00"))
    assert years[1].refunds == {"b": D("200.01"), "c": D("200.00"), "d": D("200.00")}
    assert years[1].remaining == D("0.00")
    # 2021: nothing left; 50.00 claimed, 0.00 paid, remaining 0.00
    assert (years[2].available, years[2].claimed, years[2].refunds) == (D("0.00"), D("50.00"), {"e": D("0.00")})
    assert years[2].remaining == D("0.00")


def test_the_last_subsidised_day_is_the_lease_end_or_an_earlier_move_out():
    assert last_subsidised_day(date(2023, 1, 31), None) == date(2023, 1, 31)
    assert last_subsidised_day(date(2023, 1, 31), date(2022, 10, 15)) == date(2022, 10, 15)  # left before the end
    assert last_subsidised_day(date(2023, 1, 31), date(2023, 3, 1)) == date(2023, 1, 31)  # stayed past it: unpaid
