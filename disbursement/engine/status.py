"""What an operator must look at as of a date: flags, missing reports, jobs not run or failed, open claims."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..cases import in_force, known
from ..config import Config
from ..store.tables import UNPAID_ANSWERS, BankAnswer, Claim, JobRun, Payment, RecipientChange
from ..bank.reopened import reopened_flags
from ..exports.payment_runs import waiting
from .calendar import held_by, jobs_between
from .result import Flag
from .runner import data_days, stale_runs


@dataclass
class Status:
    as_of: date
    flags: list[Flag]
    jobs_not_run: list[str]
    jobs_failed: list[str]
    jobs_stale: list[str]  # within the re-run window: nightly re-runs them
    jobs_stale_old: list[str]  # older: only `run --allow-old` does
    jobs_held: list[str]
    decisions: list[str]
    payment_runs: list[str]  # waiting for approval or release
    open_claims: list[tuple[str, str, date, Decimal]]
    paid_by_year: dict[int, Decimal]


@dataclass(frozen=True)
class Section:
    """One titled list of `status`; shown when it has lines, or `always`; its title counts them when `counted`."""

    title: str
    lines: list[str]
    note: str = ""
    always: bool = False
    counted: bool = True

    @property
    def shown(self) -> bool:
        return bool(self.lines) or self.always

    @property
    def heading(self) -> str:
        return f"{self.title} ({len(self.lines)}{self.note})" if self.counted else self.title


def sections(st: Status) -> list[Section]:
    """What `status` shows, in order: the one list its text and its page (engine/status_page.py) are made from."""
    return [
        Section("flags", [str(flag) for flag in st.flags], always=True),
        Section("jobs due but not run", st.jobs_not_run, always=True),
        Section("jobs to run again, a report came after them", st.jobs_stale, "; nightly does it"),
        Section("jobs a report came after, older than the re-run window", st.jobs_stale_old,
                "; `run JOB --date DATE --allow-old` if they must be corrected"),
        Section("jobs failed and not yet rerun", st.jobs_failed),
        Section("jobs held back by a failure", st.jobs_held, "; they run once it does"),
        Section("decisions", st.decisions),
        Section("payment runs waiting", st.payment_runs, "; `approve`, then `release` by another operator"),
        Section("open collection claims", [f"{grant + ' ' if grant else ''}recipient {cvr} due {due}: {amount:,.2f}"
                                           for grant, cvr, due, amount in st.open_claims], always=True),
        Section("paid by year", [f"{year}: {amount:,.2f}" for year, amount in sorted(st.paid_by_year.items())],
                always=True, counted=False),
    ]


def master_data_lines(session: Session, as_of: date) -> list[str]:
    """Master-data decisions received by `as_of`, one line each, with the days each is in force (what applied when)."""
    changes = known(session.exec(select(RecipientChange).order_by(RecipientChange.id)), as_of)
    periods = {p.decision.id: p for p in in_force(changes)}
    lines = []
    for c in sorted(changes, key=lambda c: (c.case_ref, c.decided, c.id)):
        what = ", ".join(f"{field} {value}" for field, value in c.changed())
        period = periods.get(c.id)
        when = (f"from {period.start}" + (f" until {period.end}" if period.end else "")) if period else \
            "superseded before it took effect"
        lines.append(f"{c.case_ref} decided {c.decided}: {c.party} {c.party_id} master data: {what}; {when}")
    return lines


def status(engine: Engine, config: Config, as_of: date) -> Status:
    days = data_days(engine, config)
    result = Status(as_of, [], [], [], [], [], [], [], [], [], {})
    if days.start is None:
        return result
    with Session(engine) as session:
        for scheme in config.schemes:
            if scheme.name in days.first:
                result.flags += scheme.flags(session, config, as_of)
        result.flags += reopened_flags(session)
        result.payment_runs = waiting(session)
        result.decisions = master_data_lines(session, as_of)
        for scheme in config.schemes:
            if scheme.name in days.first:
                result.decisions += scheme.decisions(session, config, as_of)
        runs = list(session.exec(select(JobRun.job, JobRun.job_date, JobRun.outcome).order_by(JobRun.id)))
        ok = {(job, day) for job, day, outcome in runs if outcome == "ok"}
        failed = {(job, day) for job, day, outcome in runs if outcome == "failed"} - ok
        holding: dict[str, date] = {}
        for job, day in sorted(failed, key=lambda failure: failure[1]):
            holding.setdefault(job, day)
        for due in jobs_between(days.start, as_of, config, days):
            if (due.job, due.date) in ok:
                continue
            result.jobs_not_run.append(f"{due.job} {due.date}")
            blocker = held_by(due, holding, config)
            if blocker is not None:
                holding.setdefault(due.job, due.date)
                result.jobs_held.append(f"{due.job} {due.date}: until {blocker[0]} {blocker[1]} runs")
        result.jobs_failed = [f"{job} {day}" for job, day in sorted(failed)]
        oldest = as_of - relativedelta(months=config.rerun_window_months)
        for s in stale_runs(session, config):
            if s.date <= as_of:
                (result.jobs_stale if s.date >= oldest else result.jobs_stale_old).append(f"{s.job} {s.date}: {s.reason}")
        result.open_claims = [
            (grant, cvr, due, amount) for grant, cvr, due, amount in session.exec(
                select(Claim.grant_id, Claim.recipient_cvr, Claim.due_date, func.sum(Claim.amount))
                .group_by(Claim.grant_id, Claim.recipient_cvr, Claim.due_date).order_by(Claim.due_date, Claim.grant_id)
            ) if amount
        ]
        reopened = select(BankAnswer.payment_id).where(BankAnswer.kind.in_(UNPAID_ANSWERS))
        for value_date, amount in session.exec(  # what the bank rejected or returned was not paid
                select(Payment.value_date, Payment.amount).where(Payment.id.not_in(reopened))):
            result.paid_by_year[value_date.year] = result.paid_by_year.get(value_date.year, Decimal("0.00")) + amount
    return result
