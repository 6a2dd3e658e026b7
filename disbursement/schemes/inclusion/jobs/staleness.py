"""Job runs that a report loaded after them would change: they must run again so nothing reported is lost.

A report is matched to the runs whose result depends on it (an estimate to the terms it pays, actuals to the
settlement term of the following year, a loss claim to that year's refunds, a conversion event to the lump-sum run
of its day, a decision to the runs of the jobs it changes on and after the day it was received, an accepted late
claim to its year's refunds). A run is stale when it started before the report was loaded, or, for a settlement
term, before a term of the year it settles ran again. Cheap: dates and timestamps only.
"""
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, false, or_
from sqlmodel import Session, select

from ....clock import stored_utc
from ....engine.banking_days import payment_terms
from ....engine.result import StaleRun
from ....config import Config
from ..settings import settings_of
from ..tables import Decision, GrantEvent, LossClaim
from ....store.tables import IntakeFile, JobRun
from ..tables import Report
from .refunds import claims_due


def stale_runs(session: Session, config: Config) -> list[StaleRun]:
    last_ok: dict[tuple[str, date], datetime] = {}
    started_as_stored: dict[tuple[str, date], datetime] = {}
    for job, day, started in session.exec(select(JobRun.job, JobRun.job_date, JobRun.started_at).where(JobRun.outcome == "ok")):
        key = (job, day)
        last_ok[key] = max(last_ok.get(key, stored_utc(started)), stored_utc(started))
        started_as_stored[key] = max(started_as_stored.get(key, started), started)
    stale: dict[tuple[str, date], str] = {}

    def depends(job: str, day: date, loaded: datetime, what: str) -> None:
        ran = last_ok.get((job, day))
        if ran is not None and ran < stored_utc(loaded):
            stale.setdefault((job, day), what)

    lead = relativedelta(months=settings_of(config).reporting.late_estimate_lead_months)
    settlement = settings_of(config).reporting.reconciliation_term - 1
    for (job, day), ran in list(last_ok.items()):
        if job == "aconto":  # the settlement deducts what the year's terms actually booked
            depends("aconto", payment_terms(day.year + 1, config.terms)[settlement], ran,
                    f"the term of {day} ran after it")
    # Only reports loaded after the earliest run they could make stale are read: on a quiet night none, however many
    # reports the store holds (an estimate of Y can touch the terms of Y; actuals of Y the settlement term of Y+1).
    # The bounds are compared as stored, so both sides of `>` are the same column type.
    earliest: dict[tuple[str, int], datetime] = {}
    for (job, day), started in started_as_stored.items():
        if job == "aconto":
            kinds = [("estimate", day.year)]
            if day == payment_terms(day.year, config.terms)[settlement]:
                kinds.append(("actuals", day.year - 1))
            for key in kinds:
                earliest[key] = min(earliest.get(key, started), started)
    newer = [and_(Report.kind == kind, Report.year == year, IntakeFile.loaded_at > started)
             for (kind, year), started in sorted(earliest.items())]
    for kind, year, received, grant_id, name, loaded in session.exec(
        select(Report.kind, Report.year, Report.received, Report.grant_id, IntakeFile.name, IntakeFile.loaded_at)
        .where(Report.file_id == IntakeFile.id, or_(false(), *newer))
    ):
        what = f"{kind} {year} of {grant_id} ({name}) loaded after it ran"
        if kind == "estimate":
            for term in payment_terms(year, config.terms):
                if term > received + lead:
                    depends("aconto", term, loaded, what)
        else:
            depends("aconto", payment_terms(year + 1, config.terms)[settlement], loaded, what)
    for claim, name, loaded in session.exec(
        select(LossClaim, IntakeFile.name, IntakeFile.loaded_at).where(LossClaim.file_id == IntakeFile.id)
    ):
        depends("refunds", claims_due(claim.year, config), loaded,
                f"loss claim {claim.year} of municipality {claim.municipality_code} ({name}) loaded after it ran")
    for event, name, loaded in session.exec(
        select(GrantEvent, IntakeFile.name, IntakeFile.loaded_at).where(
            GrantEvent.file_id == IntakeFile.id, GrantEvent.kind.in_(("works-started", "conversion-accounts")))
    ):
        depends("lump_sums", event.received, loaded, f"{event.kind} of {event.grant_id} ({name}) loaded after it ran")
    for decision, name, loaded in session.exec(
        select(Decision, IntakeFile.name, IntakeFile.loaded_at).where(Decision.file_id == IntakeFile.id)
    ):
        what = f"decision {decision.case_ref} ({decision.kind}, {name}) loaded after it ran"
        if decision.kind == "late-claim":
            depends("refunds", claims_due(decision.year, config), loaded, what)
            continue
        jobs = SUPPORT_JOBS[decision.support] if decision.kind in ("reduction", "stop", "resume") else AFFECTS[decision.kind]
        for job, day in list(last_ok):
            if job in jobs and day >= decision.received:
                depends(job, day, loaded, what)
    return sorted(StaleRun(day, job, reason) for (job, day), reason in stale.items())


# The jobs whose runs a decision changes (rules.decisions), from the day it was received.
SUPPORT_JOBS = {"rent_subsidy": ("aconto",), "social_support": ("social_support",), "conversion_grant": ("lump_sums",)}
AFFECTS = {
    "transfer": ("aconto", "social_support", "lump_sums"),
    "grant-change": ("aconto", "social_support", "lump_sums"),
    "lapse": ("aconto", "social_support", "lump_sums"),
    "repayment": ("social_support",),
    "cohort-reserve": ("refunds",),
}
