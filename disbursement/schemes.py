"""The scheme registry: which schemes the engine runs, what each pays, to whom, when, and which jobs do it (SPEC 2.8).

One file per scheme in config/schemes/ (inclusion.toml, temporary.toml); a directory given with --config overrides
them file by file like every other config file (DIR/schemes/<name>.toml), may add a scheme, and may switch one off
with `enabled = false`. A scheme file names:

- `[scheme]`: title, source, the period its jobs are due in (`period_from`, `period_to`), and optionally dotted paths
  to the functions that tell the engine the first day its data needs a job (`first_day`) and its flags (`flags`);
- `[support.<type>]`: one per support type: the pure rule(s) computing it (`rule`), when it is paid (`schedule`),
  to whom (`recipient`), and which jobs pay it; its accounts are the section of the same name in accounts.toml
  (the one place the ledger, its checks and the exports read accounts from);
- `[jobs.<name>]`: one per job: the function that runs it (`run`) and its `schedule`.

Schedules: "quarterly-terms" (the payment terms of scheme.toml), "monthly" (the last banking day of each month),
"yearly MM-DD", "on-receipt" (the days a report arrives). Recipient kinds: department, organisation, municipality,
landlord.

The inclusion scheme's jobs are scheduled by calendar.py itself (`calendar = "builtin"`: their dates are settings of
scheme.toml); every other scheme's jobs are scheduled, run and listed from this registry alone, so a new scheme is
configuration plus its own rules and job module (docs/temporary-housing.md, "A third scheme").

Dotted paths ("package.module:function") are resolved when used, not when the file is read, so reading config never
imports a job module.
"""
import importlib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .config import SHIPPED, ConfigError, _read

SCHEDULE_KINDS = ("quarterly-terms", "monthly", "yearly", "on-receipt")
RECIPIENT_KINDS = ("department", "organisation", "municipality", "landlord")


@dataclass(frozen=True)
class Schedule:
    """When a job runs or a support type is paid: a kind, and the month-day of a yearly one."""

    kind: str
    month_day: tuple[int, int] | None = None

    @classmethod
    def parse(cls, text: str, where: str) -> "Schedule":
        kind, _, rest = str(text).strip().partition(" ")
        if kind not in SCHEDULE_KINDS:
            raise ConfigError(f"{where}: schedule {text!r} is not one of {', '.join(SCHEDULE_KINDS)} (yearly MM-DD)")
        if kind != "yearly":
            if rest:
                raise ConfigError(f"{where}: schedule {text!r}: {kind} takes no date")
            return cls(kind)
        try:
            month, day = (int(part) for part in rest.split("-"))
            date(2000, month, day)
        except ValueError:
            raise ConfigError(f"{where}: schedule {text!r}: yearly needs a month-day like 'yearly 05-15'") from None
        return cls(kind, (month, day))

    def __str__(self) -> str:
        return f"yearly {self.month_day[0]:02d}-{self.month_day[1]:02d}" if self.month_day else self.kind


def resolve(dotted: str) -> Callable:
    """'package.module:function' -> the function (imported on first use)."""
    module, _, name = dotted.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"scheme registry: cannot resolve {dotted!r} ({exc})") from None


@dataclass(frozen=True)
class SupportType:
    name: str
    scheme: str
    title: str
    rules: tuple[str, ...]
    schedule: Schedule
    recipient: str
    jobs: tuple[str, ...]

    def rule(self) -> Callable:
        """The support type's (first) pure rule function."""
        return resolve(self.rules[0])


@dataclass(frozen=True)
class JobSpec:
    name: str
    scheme: str
    run: str
    schedule: Schedule

    def function(self) -> Callable:
        return resolve(self.run)


@dataclass(frozen=True)
class Scheme:
    name: str
    title: str
    source: str
    builtin_calendar: bool
    period_from: date | None
    period_to: date | None
    first_day: str | None
    flags: str | None
    supports: dict[str, SupportType]
    jobs: dict[str, JobSpec]
    settings: dict = field(default_factory=dict, compare=False, hash=False)
    path: Path | None = None

    def active_on(self, day: date) -> bool:
        """Whether `day` lies in the scheme's period (its jobs are due only then)."""
        return (self.period_from is None or day >= self.period_from) and (self.period_to is None or day <= self.period_to)


@dataclass(frozen=True)
class SchemeRegistry:
    schemes: dict[str, Scheme]

    def jobs(self) -> list[JobSpec]:
        """Every job of every scheme: schemes by name, jobs in the order of their file."""
        return [job for scheme in self.schemes.values() for job in scheme.jobs.values()]

    def job(self, name: str) -> JobSpec | None:
        return next((job for job in self.jobs() if job.name == name), None)

    def scheduled_jobs(self) -> list[tuple[Scheme, JobSpec]]:
        """The jobs calendar.py schedules from the registry: those of every scheme not scheduled by built-in code."""
        return [(s, job) for s in self.schemes.values() if not s.builtin_calendar for job in s.jobs.values()]

    def support(self, name: str) -> SupportType:
        for scheme in self.schemes.values():
            if name in scheme.supports:
                return scheme.supports[name]
        raise ConfigError(f"scheme registry: no scheme pays support type {name!r}")

    def scheme(self, name: str) -> Scheme:
        if name not in self.schemes:
            raise ConfigError(f"scheme registry: scheme {name!r} is not configured (config/schemes/{name}.toml), "
                              "or it is switched off")
        return self.schemes[name]


def _optional_date(value, where: str) -> date | None:
    if value is None:
        return None
    try:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not a date like 2021-01-01") from None


def _scheme(name: str, path: Path, data: dict, support_accounts: set[str] | None) -> Scheme:
    head = data.get("scheme", {})
    supports: dict[str, SupportType] = {}
    jobs: dict[str, JobSpec] = {}
    try:
        for job, section in data.get("jobs", {}).items():
            jobs[job] = JobSpec(job, name, str(section["run"]), Schedule.parse(section["schedule"], f"{path} [jobs.{job}]"))
        for support, section in data.get("support", {}).items():
            where = f"{path} [support.{support}]"
            rules = section["rule"]
            rules = (rules,) if isinstance(rules, str) else tuple(rules)
            if section["recipient"] not in RECIPIENT_KINDS:
                raise ConfigError(f"{where}: recipient {section['recipient']!r} is not one of {', '.join(RECIPIENT_KINDS)}")
            if support_accounts is not None and support not in support_accounts:
                raise ConfigError(f"{where}: accounts.toml has no [support.{support}] section naming its accounts")
            supports[support] = SupportType(support, name, section.get("title", support), rules,
                                            Schedule.parse(section["schedule"], where), section["recipient"],
                                            tuple(section.get("jobs", ())))
    except KeyError as exc:
        raise ConfigError(f"{path}: missing setting {exc}") from None
    calendar = head.get("calendar", "registry")
    if calendar not in ("builtin", "registry"):
        raise ConfigError(f"{path}: [scheme] calendar must be 'builtin' or 'registry', not {calendar!r}")
    if calendar == "registry":
        on_receipt = [job.name for job in jobs.values() if job.schedule.kind == "on-receipt"]
        if on_receipt:
            raise ConfigError(f"{path}: jobs {on_receipt}: on-receipt jobs are scheduled by built-in code only; "
                              "give a monthly, quarterly-terms or yearly schedule")
    settings = {key: value for key, value in data.items() if key not in ("scheme", "support", "jobs")}
    return Scheme(
        name=name, title=head.get("title", name), source=head.get("source", ""), builtin_calendar=calendar == "builtin",
        period_from=_optional_date(head.get("period_from"), f"{path} period_from"),
        period_to=_optional_date(head.get("period_to"), f"{path} period_to"),
        first_day=head.get("first_day"), flags=head.get("flags"), supports=supports, jobs=jobs, settings=settings,
        path=path,
    )


def scheme_names(directory: Path) -> list[str]:
    """The schemes shipped and those a --config directory adds, by file name."""
    names = {p.stem for p in (SHIPPED / "schemes").glob("*.toml")} | {p.stem for p in (directory / "schemes").glob("*.toml")}
    return sorted(names)


def load_schemes(directory: Path | None = None, support_accounts: set[str] | None = None) -> SchemeRegistry:
    """Read every scheme file (shipped, overridden or added by `directory`); check that names are unique and that
    every support type has accounts and is paid by a job of the registry."""
    directory = Path(directory) if directory else SHIPPED
    schemes: dict[str, Scheme] = {}
    for name in scheme_names(directory):
        path, data = _read(directory, f"schemes/{name}.toml")
        if data.get("scheme", {}).get("enabled", True) is False:
            continue
        schemes[name] = _scheme(name, path, data, support_accounts)
    seen_jobs: dict[str, str] = {}
    seen_supports: dict[str, str] = {}
    for scheme in schemes.values():
        for job in scheme.jobs:
            if job in seen_jobs:
                raise ConfigError(f"{scheme.path}: job {job!r} is already a job of scheme {seen_jobs[job]!r}")
            seen_jobs[job] = scheme.name
        for support in scheme.supports:
            if support in seen_supports:
                raise ConfigError(f"{scheme.path}: support type {support!r} is already paid by scheme "
                                  f"{seen_supports[support]!r}")
            seen_supports[support] = scheme.name
    for scheme in schemes.values():
        for support in scheme.supports.values():
            unknown = [job for job in support.jobs if job not in seen_jobs]
            if unknown:
                raise ConfigError(f"{scheme.path} [support.{support.name}]: jobs {unknown} are not jobs of any scheme")
    return SchemeRegistry(schemes)


@lru_cache(maxsize=1)
def shipped_registry() -> SchemeRegistry:
    """The registry of the shipped config/: what the command line offers as jobs before a --config is read."""
    return load_schemes(SHIPPED)


def registered_job_functions() -> dict[str, Callable]:
    """Job name -> function of every registry-scheduled job of the shipped registry (runner.JOBS adds these)."""
    return {job.name: job.function() for _, job in shipped_registry().scheduled_jobs()}


def first_days(session, registry: SchemeRegistry | None = None) -> list[date]:
    """The first day each scheme's data needs a job run (schemes without data, or without `first_day`, give none)."""
    registry = registry or shipped_registry()
    days = []
    for scheme in registry.schemes.values():
        if scheme.first_day:
            day = resolve(scheme.first_day)(session)
            if day is not None:
                days.append(max(day, scheme.period_from) if scheme.period_from else day)
    return days


def scheme_flags(session, config, as_of: date) -> list:
    """Every scheme's own flags as of a day (for `status`)."""
    registry = config.schemes or shipped_registry()
    return [flag for scheme in registry.schemes.values() if scheme.flags
            for flag in resolve(scheme.flags)(session, config, as_of)]
