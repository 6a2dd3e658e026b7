"""Which job is due on which date: one pure module for nightly, backfill, calendar and the scheduler (SPEC 1, 2.3).

Payment terms fall on the last Danish banking day on or before the end of each term month; banks are closed on
public holidays (the `holidays` package keeps the Danish list, incl. the end of Great Prayer Day from 2024) and
on the configured closing days (5 June, 24 and 31 December).
"""
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable

import holidays
from dateutil.relativedelta import relativedelta

from .config import Config, PaymentTermSettings

# Order of jobs falling on the same date: inputs first, then what pays from them.
JOB_ORDER = ("estimates", "reconciliation", "refunds", "lump_sums", "aconto", "social_support")
# Jobs due on the days their reports arrive rather than on calendar dates: the lump sums (V 2.5.1).
ON_RECEIPT = ("lump_sums",)


@dataclass(frozen=True, order=True)
class DueJob:
    date: date
    rank: int
    job: str

    @classmethod
    def of(cls, job: str, on: date) -> "DueJob":
        """Jobs of other schemes (config/schemes/) run after the inclusion jobs of the same day, by name."""
        return cls(on, JOB_ORDER.index(job) if job in JOB_ORDER else len(JOB_ORDER), job)


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Denmark(years=year))


def is_banking_day(day: date, terms: PaymentTermSettings) -> bool:
    return (
        day.weekday() < 5
        and day not in _public_holidays(day.year)
        and (day.month, day.day) not in terms.bank_closing_days
    )


def last_banking_day_on_or_before(day: date, terms: PaymentTermSettings) -> date:
    while not is_banking_day(day, terms):
        day -= timedelta(days=1)
    return day


def next_banking_day_after(day: date, terms: PaymentTermSettings) -> date:
    day += timedelta(days=1)
    while not is_banking_day(day, terms):
        day += timedelta(days=1)
    return day


def payment_terms(year: int, terms: PaymentTermSettings) -> list[date]:
    """The year's term dates, in order: term k is payment_terms(...)[k - 1]."""
    return list(_payment_terms(year, terms))


@lru_cache(maxsize=1024)
def _payment_terms(year: int, terms: PaymentTermSettings) -> tuple[date, ...]:
    """Pure in (year, settings), and asked once per stored report by the nightly staleness check: computed once."""
    ends = [date(year, m, 1) + relativedelta(months=1, days=-1) for m in terms.months]
    return tuple(last_banking_day_on_or_before(end, terms) for end in ends)


def term_number(day: date, terms: PaymentTermSettings) -> int | None:
    """1-based number of the term paid on `day`, or None when no term falls on it."""
    dates = payment_terms(day.year, terms)
    return dates.index(day) + 1 if day in dates else None


def jobs_in_year(year: int, config: Config) -> list[DueJob]:
    """The calendar jobs of a year (the on-receipt jobs come from the data: see jobs_between)."""
    est_m, est_d = config.reporting.estimate_due
    act_m, act_d = config.reporting.actuals_due
    ref_m, ref_d = config.support.claims_due
    due = [DueJob.of("estimates", date(year, est_m, est_d)), DueJob.of("reconciliation", date(year, act_m, act_d)),
           DueJob.of("refunds", date(year, ref_m, ref_d))]
    for day in payment_terms(year, config.terms):
        due += [DueJob.of("aconto", day), DueJob.of("social_support", day)]
    due += registry_jobs_in_year(year, config)
    return sorted(due)


def registry_jobs_in_year(year: int, config: Config) -> list[DueJob]:
    """The jobs of the schemes that the registry schedules (disbursement/schemes.py), within each scheme's period."""
    due = []
    for scheme, job in config.schemes.scheduled_jobs() if config.schemes else ():
        kind = job.schedule.kind
        if kind == "monthly":  # the last banking day of each month
            days = [last_banking_day_on_or_before(date(year, m, 1) + relativedelta(months=1, days=-1), config.terms)
                    for m in range(1, 13)]
        elif kind == "quarterly-terms":
            days = payment_terms(year, config.terms)
        elif kind == "yearly":
            days = [date(year, *job.schedule.month_day)]
        else:
            raise ValueError(f"{job.name}: schedule {job.schedule} is not supported for a registry-scheduled job")
        due += [DueJob.of(job.name, day) for day in days if scheme.active_on(day)]
    return due


def jobs_between(start: date, end: date, config: Config, receipt_days: Iterable[date] = ()) -> list[DueJob]:
    """Every job due in [start, end], in calendar order; `receipt_days` are the days reports for the on-receipt
    jobs arrived."""
    due = [j for y in range(start.year, end.year + 1) for j in jobs_in_year(y, config) if start <= j.date <= end]
    due += [DueJob.of(job, day) for job in ON_RECEIPT for day in set(receipt_days) if start <= day <= end]
    return sorted(due)


def is_due(job: str, on: date, config: Config) -> bool:
    """An on-receipt job may run on any day; a calendar job only on its dates."""
    return job in ON_RECEIPT or DueJob.of(job, on) in jobs_in_year(on.year, config)
