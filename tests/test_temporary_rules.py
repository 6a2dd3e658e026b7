"""The temporary rent subsidy (T 1; SPEC 2.8) and the scheme registry, with hand-checked numbers."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disbursement.engine.calendar import JOB_ORDER, jobs_in_year
from disbursement.config import ConfigError
from disbursement.engine.registry import load_config
from disbursement.engine.runner import JOBS
from disbursement.schemes.temporary.rules.rent import (RentPeriod, SubsidisedTenancy, month_subsidy, monthly_subsidy,
                                               subsidy_by_landlord_month)
from disbursement.engine.registry_old import load_schemes, resolve
from disbursement.schemes.temporary.settings import temporary_settings

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
    settings = temporary_settings(CONFIG)
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


# --- the scheme registry (config/schemes/) ---

def test_inclusion_scheme_file_names_exactly_the_jobs_the_code_runs_in_their_order():
    inclusion = CONFIG.schemes.scheme("inclusion")
    assert inclusion.builtin_calendar
    assert tuple(inclusion.jobs) == JOB_ORDER
    assert {name: job.function() for name, job in inclusion.jobs.items()} == {name: JOBS[name] for name in JOB_ORDER}


def test_inclusion_schedules_in_the_file_match_the_calendar():
    due = {(j.job, j.date) for j in jobs_in_year(2019, CONFIG)}
    for job in CONFIG.schemes.scheme("inclusion").jobs.values():
        if job.schedule.kind == "yearly":
            assert (job.name, date(2019, *job.schedule.month_day)) in due
        elif job.schedule.kind == "quarterly-terms":
            assert len([d for name, d in due if name == job.name]) == 4


def test_every_rule_and_job_of_every_scheme_resolves_and_has_accounts():
    for scheme in CONFIG.schemes.schemes.values():
        for support in scheme.supports.values():
            assert all(callable(resolve(rule)) for rule in support.rules)
            assert support.name in CONFIG.accounts.supports
        for job in scheme.jobs.values():
            assert callable(job.function())
    assert CONFIG.schemes.support("temporary_rent").recipient == "landlord"
    assert CONFIG.accounts.of("temporary_rent").expense == "5150"
    assert CONFIG.accounts.of("temporary_rent").recipient_account is None


def test_temporary_rent_runs_on_the_last_banking_day_of_each_month_of_the_trial_period():
    days = [j.date for j in jobs_in_year(2021, CONFIG) if j.job == "temporary_rent"]
    # 30 April 2021 was Great Prayer Day; 31 December is a bank closing day (30 and 31 July 2021: Friday, Saturday)
    assert days == [date(2021, 1, 29), date(2021, 2, 26), date(2021, 3, 31), date(2021, 4, 29), date(2021, 5, 31),
                    date(2021, 6, 30), date(2021, 7, 30), date(2021, 8, 31), date(2021, 9, 30), date(2021, 10, 29),
                    date(2021, 11, 30), date(2021, 12, 30)]
    assert not [j for j in jobs_in_year(2020, CONFIG) if j.job == "temporary_rent"]  # before period_from


def test_a_third_scheme_is_configuration_only(tmp_path):
    """A new scheme file in a --config directory: its job is scheduled, listed and runnable without code edits
    (here reusing the temporary job's function), and an override can switch a scheme off."""
    (tmp_path / "schemes").mkdir()
    (tmp_path / "schemes" / "youth.toml").write_text(
        '[scheme]\ntitle = "Third"\nperiod_from = "2022-01-01"\n'
        '[support.temporary_rent_youth]\nrule = "disbursement.rules.temporary_rent:month_subsidy"\n'
        'schedule = "yearly 03-01"\nrecipient = "landlord"\njobs = ["youth_rent"]\n'
        '[jobs.youth_rent]\nrun = "disbursement.jobs.temporary_rent:run_temporary_rent"\nschedule = "yearly 03-01"\n')
    (tmp_path / "accounts.toml").write_text(
        (CONFIG.directory / "accounts.toml").read_text() + '\n[support.temporary_rent_youth]\nexpense = "5150"\n')
    config = load_config(tmp_path)
    assert ("youth_rent", date(2022, 3, 1)) in {(j.job, j.date) for j in jobs_in_year(2022, config)}
    assert "youth_rent" not in {j.job for j in jobs_in_year(2021, config)}
    assert config.schemes.job("youth_rent").function() is JOBS["temporary_rent"]

    (tmp_path / "schemes" / "temporary.toml").write_text('[scheme]\nenabled = false\n')
    off = load_config(tmp_path)
    assert "temporary" not in off.schemes.schemes
    assert "temporary_rent" not in {j.job for j in jobs_in_year(2021, off)}


def test_a_support_type_without_accounts_is_refused(tmp_path):
    (tmp_path / "schemes").mkdir()
    (tmp_path / "schemes" / "bad.toml").write_text(
        '[support.nowhere]\nrule = "x:y"\nschedule = "monthly"\nrecipient = "landlord"\n')
    with pytest.raises(ConfigError, match=r"accounts.toml has no \[support.nowhere\]"):
        load_schemes(tmp_path, set(CONFIG.accounts.supports))
    (tmp_path / "schemes" / "bad.toml").write_text(
        '[jobs.x]\nrun = "x:y"\nschedule = "fortnightly"\n')
    with pytest.raises(ConfigError, match="schedule 'fortnightly' is not one of"):
        load_schemes(tmp_path)
