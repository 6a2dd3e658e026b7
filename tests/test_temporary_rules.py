"""The temporary rent subsidy (T 1; SPEC 2.8), with hand-checked numbers."""
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from disbursement.engine.registry import load_config
from disbursement.schemes.temporary.rules.rent import (RentPeriod, SubsidisedTenancy, month_subsidy, monthly_subsidy,
                                               subsidy_by_landlord_month)
from disbursement.schemes.temporary.settings import settings_of

CONFIG = load_config()
AFFORDABLE = Decimal("2800.00")


def tenancy(moved_in, last_day, rents=((date(2021, 1, 1), "4300.00"),), affordable=AFFORDABLE, landlord="L1", tid="T1"):
    return SubsidisedTenancy(tid, landlord, moved_in, last_day, affordable,
                             tuple(RentPeriod(start, Decimal(rent)) for start, rent in rents))


def test_monthly_subsidy_is_rent_above_the_affordable_rent_never_negative():
    assert monthly_subsidy(Decimal("4300.00"), AFFORDABLE) == Decimal("1500.00")
    assert monthly_subsidy(Decimal("2650.00"), AFFORDABLE) == Decimal("0.00")  # shared room: nothing to pay
    assert monthly_subsidy(Decimal("2800.00"), AFFORDABLE) == Decimal("0.00")


def test_shipped_affordable_rent_is_2800_for_every_target_group():
    # T 1: "borgere på laveste kontanthjælp [kan] maksimalt betale en husleje på ca. 2800 kr. om måneden"
    settings = settings_of(CONFIG)
    assert {g.key: g.affordable_rent for g in settings.target_groups.values()} == {
        "disability": AFFORDABLE, "mental-vulnerability": AFFORDABLE, "social-problems": AFFORDABLE}


def test_a_full_month_is_exactly_the_monthly_subsidy():
    assert month_subsidy(tenancy(date(2020, 12, 1), date(2022, 11, 30)), date(2021, 2, 1)) == Decimal("1500.00")


def test_part_months_are_pro_rata_by_calendar_days():
    # moved in 4 January: 28 of 31 days, 1,500.00 x 28 / 31 = 1,354.838... -> 1,354.84
    assert month_subsidy(tenancy(date(2021, 1, 4), date(2023, 1, 3)), date(2021, 1, 1)) == Decimal("1354.84")
    # moved in 11 January: 21 of 31 days, 1,500.00 x 21 / 31 = 1,016.129... -> 1,016.13
    assert month_subsidy(tenancy(date(2021, 1, 11), date(2023, 1, 10)), date(2021, 1, 1)) == Decimal("1016.13")
    # moved out 10 September (the last day of the tenancy counts): 10 of 30 days, 1,500.00 / 3 = 500.00
    assert month_subsidy(tenancy(date(2021, 3, 15), date(2021, 9, 10)), date(2021, 9, 1)) == Decimal("500.00")
    # moved in 15 February 2021: 14 of 28 days of a 1,000.00 subsidy (rent 3,800) = 500.00
    assert month_subsidy(tenancy(date(2021, 2, 15), date(2023, 2, 14), rents=((date(2021, 1, 1), "3800.00"),)),
                         date(2021, 2, 1)) == Decimal("500.00")
    # nothing before the move-in month or after the last day
    assert month_subsidy(tenancy(date(2021, 3, 15), date(2021, 9, 10)), date(2021, 2, 1)) == Decimal("0.00")
    assert month_subsidy(tenancy(date(2021, 3, 15), date(2021, 9, 10)), date(2021, 10, 1)) == Decimal("0.00")


def test_a_rent_change_inside_a_month_splits_it_by_days():
    # 4,100 (1,300.00) until 14 January, 4,180 (1,380.00) from 15 January:
    # (14 x 1,300.00 + 17 x 1,380.00) / 31 = (18,200 + 23,460) / 31 = 1,343.870... -> 1,343.87
    rents = ((date(2021, 1, 1), "4100.00"), (date(2022, 1, 15), "4180.00"))
    assert month_subsidy(tenancy(date(2021, 1, 18), date(2023, 1, 17), rents=rents), date(2022, 1, 1)) == Decimal("1343.87")
    # from the change on, the new rate for whole months: 1,380.00
    assert month_subsidy(tenancy(date(2021, 1, 18), date(2023, 1, 17), rents=rents), date(2022, 2, 1)) == Decimal("1380.00")


def test_days_after_the_lease_end_earn_nothing():
    # the lease ends 14 February 2023 (the tenant has not moved, or moved later): 14 of 28 days = 750.00
    assert month_subsidy(tenancy(date(2021, 2, 15), date(2023, 2, 14)), date(2023, 2, 1)) == Decimal("750.00")


def test_rounding_is_half_up_to_ore():
    # rent 2,900.01 -> 100.01 a month; moved in 16 September: 15 of 30 days = 50.005 -> 50.01 (half up, not even)
    t = tenancy(date(2021, 9, 16), date(2023, 9, 15), rents=((date(2021, 9, 1), "2900.01"),))
    assert month_subsidy(t, date(2021, 9, 1)) == Decimal("50.01")


def test_affordable_rent_of_the_target_group_is_used():
    # a target group configured with 2,500.00: 4,300 - 2,500 = 1,800.00
    assert month_subsidy(tenancy(date(2021, 1, 1), date(2022, 12, 31), affordable=Decimal("2500.00")),
                         date(2021, 6, 1)) == Decimal("1800.00")


def test_subsidies_are_grouped_by_landlord_and_month_and_zero_ones_left_out():
    a = tenancy(date(2021, 1, 4), date(2023, 1, 3), landlord="L1", tid="A")
    b = tenancy(date(2021, 1, 1), date(2022, 12, 31), landlord="L2", tid="B")
    shared_room = tenancy(date(2021, 1, 1), date(2022, 12, 31), rents=((date(2021, 1, 1), "2650.00"),),
                          landlord="L2", tid="C")
    got = subsidy_by_landlord_month([a, b, shared_room], [date(2021, 1, 1), date(2021, 2, 1)])
    assert got == {
        (date(2021, 1, 1), "L1"): {"A": Decimal("1354.84")}, (date(2021, 1, 1), "L2"): {"B": Decimal("1500.00")},
        (date(2021, 2, 1), "L1"): {"A": Decimal("1500.00")}, (date(2021, 2, 1), "L2"): {"B": Decimal("1500.00")},
    }


@given(rent=st.integers(0, 1_000_000), affordable=st.integers(0, 500_000), first=st.integers(0, 27),
       length=st.integers(0, 40))
def test_a_month_never_pays_more_than_the_monthly_subsidy(rent, affordable, first, length):
    month = date(2022, 2, 1)
    t = tenancy(month + timedelta(days=first), month + timedelta(days=first + length),
                rents=((date(2021, 1, 1), str(Decimal(rent) / 100)),), affordable=Decimal(affordable) / 100)
    full = monthly_subsidy(Decimal(rent) / 100, Decimal(affordable) / 100)
    assert Decimal("0.00") <= month_subsidy(t, month) <= full
