"""The one interface between the engine and a scheme (SPEC 2.8): what a scheme pays, to whom, by which jobs on which
schedule, which files it reads, what it flags, and from which day its data needs a job.

A scheme is one package under disbursement/schemes/ that builds one `Scheme` value in code; engine/registry.py
lists them. The engine reads nothing else of a scheme, so a third scheme is one package and one config file
(config/schemes/<name>.toml, validated by the scheme's `settings` model). docs/architecture.md draws the flow.
"""
from argparse import ArgumentParser, Namespace
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Protocol

from dateutil.relativedelta import relativedelta
from lxml import etree
from pydantic import BaseModel
from sqlmodel import Session

from .banking_days import last_banking_day_on_or_before, payment_terms
from .result import Flag, JobReport, StaleRun

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from ..config import Config, PaymentTermSettings
    from ..intake.errors import Problem
    from ..ledger.journals import Recipient

RECIPIENT_KINDS = ("department", "organisation", "municipality", "landlord")


class Schedule(Protocol):
    """When a job is due: the dates of one year, from the engine's payment terms and the scheme's settings."""

    def dates(self, year: int, terms: "PaymentTermSettings", settings: Any) -> list[date]: ...


@dataclass(frozen=True)
class PaymentTerms:
    """The payment terms of config/engine.toml: the last banking day of each term month."""

    def dates(self, year: int, terms: "PaymentTermSettings", settings: Any) -> list[date]:
        return payment_terms(year, terms)

    def __str__(self) -> str:
        return "payment terms"


@dataclass(frozen=True)
class MonthEnds:
    """The last banking day of every month."""

    def dates(self, year: int, terms: "PaymentTermSettings", settings: Any) -> list[date]:
        return [last_banking_day_on_or_before(date(year, month, 1) + relativedelta(months=1, days=-1), terms)
                for month in range(1, 13)]

    def __str__(self) -> str:
        return "monthly"


@dataclass(frozen=True)
class Yearly:
    """Once a year on a month-day that is a setting of the scheme (e.g. the estimates' due date)."""

    month_day: Callable[[Any], tuple[int, int]]
    setting: str  # where the month-day is configured, for `calendar` and the docs

    def dates(self, year: int, terms: "PaymentTermSettings", settings: Any) -> list[date]:
        return [date(year, *self.month_day(settings))]

    def __str__(self) -> str:
        return f"yearly ({self.setting})"


@dataclass(frozen=True)
class OnReceipt:
    """On the days the reports this job acts on arrived: the days come from the stored data, not the calendar."""

    days: Callable[[Session], Iterable[date]]

    def dates(self, year: int, terms: "PaymentTermSettings", settings: Any) -> list[date]:
        return []

    def __str__(self) -> str:
        return "on receipt"


JobFunction = Callable[[Session, "Config", date, int], JobReport]


@dataclass(frozen=True)
class JobSpec:
    """One job: its name (unique over all schemes), when it is due, and the function that runs it for one date in
    the runner's transaction (session, config, date, job_run id). `reads` names the jobs whose booked output it
    builds on: a failure of one of them holds it back (engine/calendar.py `held_by`), as does a failure of its own
    at an earlier date; every other job goes on."""

    name: str
    schedule: Schedule
    run: JobFunction
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class SupportType:
    """One kind of payment: its accounts are the section of the same name in accounts.toml (V 11)."""

    name: str
    title: str
    recipient: str  # one of RECIPIENT_KINDS
    jobs: tuple[str, ...]  # the jobs that pay it


@dataclass(frozen=True)
class IntakeReader:
    """The files of one XML namespace: validated against `schema`, then staged by `stage` (all or nothing).
    `first` names the root elements that load before every other file (the registers others refer to)."""

    namespace: str
    schema: Path
    stage: Callable[[Session, str, etree._Element, int, "Config", date], list["Problem"]]
    first: tuple[str, ...] = ()


@dataclass(frozen=True)
class Command:
    """A command of the scheme's own (e.g. temporary housing's `evaluate`); `run(args, context)` -> exit code."""

    name: str
    help: str
    arguments: Callable[[ArgumentParser], None]
    run: Callable[[Namespace, "CommandContext"], int]


class CommandContext(Protocol):
    config: "Config"

    def engine(self) -> "Engine": ...


def _no_stale_runs(session: Session, config: "Config") -> list[StaleRun]:
    return []


def _no_names(session: Session) -> dict:
    return {}


def _no_flags(session: Session, config: "Config", as_of: date) -> list[Flag]:
    return []


def _no_lines(session: Session, config: "Config", as_of: date) -> list[str]:
    return []


def _no_derivation(session: Session, config: "Config", line: str) -> list[str]:
    return []


def _always(config: "Config") -> tuple[date | None, date | None]:
    return None, None


@dataclass(frozen=True)
class Scheme:
    """Everything the engine knows of a scheme. Callables take the session the engine opened and the loaded config
    (`config.settings_of(scheme.name)` is the scheme's validated settings)."""

    name: str  # config/schemes/<name>.toml, check-id prefix
    title: str
    source: str  # the legal text it pays under
    settings: type[BaseModel]  # validates config/schemes/<name>.toml
    supports: tuple[SupportType, ...]
    jobs: tuple[JobSpec, ...]  # jobs falling on the same day run in this order
    first_day: Callable[[Session, "Config"], date | None]  # the first day its data needs a job; None: no data
    intake: tuple[IntakeReader, ...] = ()
    migrations: Path | None = None  # its Alembic branch of its own tables (version_locations)
    flags: Callable[[Session, "Config", date], list[Flag]] = _no_flags
    decisions: Callable[[Session, "Config", date], list[str]] = _no_lines  # the authority's, as `status` lists them
    stale_runs: Callable[[Session, "Config"], list[StaleRun]] = _no_stale_runs
    recipients: Callable[[Session], dict[str, "Recipient"]] = _no_names  # payees only this scheme registers
    departments: Callable[[Session], dict[int, tuple[str, str]]] = _no_names  # department id -> (number, name)
    period: Callable[["Config"], tuple[date | None, date | None]] = _always  # its jobs are due only in it
    commands: tuple[Command, ...] = ()
    # `explain`: how one of its lines is computed, step by step, from the stored inputs; [] for a line not its own
    explain: Callable[[Session, "Config", str], list[str]] = _no_derivation
