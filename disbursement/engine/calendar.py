"""Which job is due on which date: one pure module for nightly, backfill, calendar and the scheduler (SPEC 1, 2.3).

Each scheme's jobs carry their schedule (engine/scheme.py); this module lays them out on the calendar, in the
registry's same-day order, within each scheme's period and from the first day its data needs a job.
"""
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Iterable, Mapping

from .scheme import OnReceipt

if TYPE_CHECKING:
    from ..config import Config
    from .scheme import Scheme


@dataclass(frozen=True, order=True)
class DueJob:
    """One job due on one date; sorted by date, then by the same-day order of the registry (`rank`)."""

    date: date
    rank: int
    job: str
    scheme: str = field(default="", compare=False)

    @classmethod
    def of(cls, job: str, on: date, config: "Config") -> "DueJob":
        for rank, (scheme, spec) in enumerate(config.jobs()):
            if spec.name == job:
                return cls(on, rank, job, scheme.name)
        raise KeyError(f"no registered scheme has a job {job!r}")


@dataclass(frozen=True)
class DataDays:
    """What the stored data says about when jobs are due: the first day each scheme's data needs a job (a scheme
    absent has no data, and no job of it is due) and the days the reports of each on-receipt job arrived.
    `first=None` asks for every scheme's calendar regardless of data (`calendar YEAR`)."""

    first: Mapping[str, date] | None = None
    receipts: Mapping[str, Iterable[date]] = field(default_factory=dict)

    @property
    def start(self) -> date | None:
        return min(self.first.values(), default=None) if self.first is not None else None


def _in_period(scheme: "Scheme", day: date, config: "Config") -> bool:
    start, end = scheme.period(config)
    return (start is None or day >= start) and (end is None or day <= end)


def jobs_in_year(year: int, config: "Config") -> list[DueJob]:
    """Every scheme's calendar jobs of a year, within each scheme's period (on-receipt jobs come from the data:
    see jobs_between)."""
    due = []
    for rank, (scheme, spec) in enumerate(config.jobs()):
        for day in spec.schedule.dates(year, config.terms, config.settings_of(scheme.name)):
            if _in_period(scheme, day, config):
                due.append(DueJob(day, rank, spec.name, scheme.name))
    return sorted(due)


def jobs_between(start: date, end: date, config: "Config", data: DataDays = DataDays()) -> list[DueJob]:
    """Every job due in [start, end], in calendar order: a scheme's jobs only from the first day its data needs
    one, and an on-receipt job on the days its reports arrived."""
    def wanted(job: DueJob) -> bool:
        if data.first is None:
            return True
        first = data.first.get(job.scheme)
        return first is not None and job.date >= first

    due = [j for y in range(start.year, end.year + 1) for j in jobs_in_year(y, config) if start <= j.date <= end]
    schemes = {scheme.name: scheme for scheme in config.schemes}
    for job, days in data.receipts.items():
        due += [d for d in (DueJob.of(job, day, config) for day in set(days))
                if start <= d.date <= end and _in_period(schemes[d.scheme], d.date, config)]
    return sorted(j for j in due if wanted(j))


def is_due(job: str, on: date, config: "Config") -> bool:
    """An on-receipt job may run on any day of its scheme's period; a calendar job only on its dates."""
    found = config.job(job)
    if found is None:
        return False
    scheme, spec = found
    if isinstance(spec.schedule, OnReceipt):
        return _in_period(scheme, on, config)
    return DueJob.of(job, on, config) in jobs_in_year(on.year, config)


def held_by(job: DueJob, failed: Mapping[str, date], config: "Config") -> tuple[str, date] | None:
    """The failure that holds `job` back, if any: a failure of the same job at an earlier date, or of a job it
    reads at or before its date. `failed` maps a job to the date of its earliest failure (or holding) in this run;
    a job held back counts as failed for those that read it."""
    own = failed.get(job.job)
    if own is not None and own < job.date:
        return job.job, own
    found = config.job(job.job)
    for read in found[1].reads if found else ():
        when = failed.get(read)
        if when is not None and when <= job.date:
            return read, when
    return None
