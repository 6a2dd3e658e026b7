"""15 May: refunds of last year's municipal move-out losses (V 2.5.4), paid with the settlement term (end of Q2).

Claims received by the due date count, the latest of a municipality for a year superseding earlier ones, and a late
claim the authority accepted by decision; each cohort's reserve is drawn on year by year (rules.refunds). Nothing is booked in a housing organisation's accounts.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from ....engine.banking_days import payment_terms
from ....config import Config
from ..settings import settings_of
from ....money import ZERO
from ....cases import known
from ..rules.decisions import in_force, latest_of
from ..rules.refunds import ELIGIBLE_REASON, CohortYear, cohort_refunds, refundable
from ..tables import Decision, Grant, LossClaim, LossLine
from .events import load_decided
from ....engine.booking import Line, book_lines
from ....engine.result import Flag, JobReport

SUPPORT = "loss_refund"


def claims_due(year: int, config: Config) -> date:
    month, day = settings_of(config).refunds.claims_due
    return date(year + 1, month, day)


@dataclass(frozen=True)
class ClaimsInForce:
    """Per cohort, per claim year, per municipality: 75 % of the eligible loss of the timely claims, and of the
    part of accepted late claims beyond them; the late claims not accepted; each cohort's reserve per claim year."""

    by_cohort: dict[int, dict[int, dict[str, Decimal]]]
    late_by_cohort: dict[int, dict[int, dict[str, Decimal]]]
    late: list[LossClaim]
    accepted: dict[tuple[str, int], str]  # (municipality, year) -> case of the decision accepting its late claim
    reserves: dict[int, dict[int, Decimal]]  # cohort -> claim year -> reserve set by decision

    def walk(self, cohort: int, default_reserve: Decimal) -> list[CohortYear]:
        return cohort_refunds(default_reserve, self.by_cohort.get(cohort, {}), self.late_by_cohort.get(cohort, {}),
                              self.reserves.get(cohort, {}))

    @property
    def cohorts(self) -> list[int]:
        return sorted(set(self.by_cohort) | set(self.late_by_cohort))


def _eligible(session: Session, claims: dict[int, LossClaim], cohorts: dict[str, int]):
    eligible: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))
    for line in session.exec(select(LossLine).where(LossLine.claim_id.in_(list(claims)), LossLine.reason == ELIGIBLE_REASON)):
        claim = claims[line.claim_id]
        eligible[cohorts[line.grant_id]][claim.year][claim.municipality_code] += line.amount
    return eligible


def claims_in_force(session: Session, up_to_year: int, config: Config) -> ClaimsInForce:
    cohorts = {g.id: g.cohort_year for g in session.exec(select(Grant))}
    decided = in_force(load_decided(session, Decision.kind == "late-claim"))
    accepted = {(p.decision.municipality_code, p.decision.year): p.decision.case_ref for p in decided if p.end is None}
    timely: dict[tuple[str, int], LossClaim] = {}
    late_latest: dict[tuple[str, int], LossClaim] = {}
    late = []
    for claim in session.exec(select(LossClaim).where(LossClaim.year <= up_to_year).order_by(LossClaim.received, LossClaim.id)):
        key = (claim.municipality_code, claim.year)
        if claim.received <= claims_due(claim.year, config):
            timely[key] = claim
        elif key in accepted:
            late_latest[key] = claim
        else:
            late.append(claim)
    on_time = _eligible(session, {c.id: c for c in timely.values()}, cohorts)
    accepted_late = _eligible(session, {c.id: c for c in late_latest.values()}, cohorts)
    by_cohort = {
        cohort: {year: {m: refundable(loss) for m, loss in sorted(munis.items())} for year, munis in sorted(years.items())}
        for cohort, years in sorted(on_time.items())
    }
    late_by_cohort: dict[int, dict[int, dict[str, Decimal]]] = {}
    for cohort, years in sorted(accepted_late.items()):
        for year, munis in sorted(years.items()):
            for m, loss in sorted(munis.items()):
                beyond = refundable(loss) - by_cohort.get(cohort, {}).get(year, {}).get(m, ZERO)
                if beyond > 0:
                    late_by_cohort.setdefault(cohort, {}).setdefault(year, {})[m] = beyond
    reserves: dict[int, dict[int, Decimal]] = defaultdict(dict)
    reserve_decisions = load_decided(session, Decision.kind == "cohort-reserve")
    for year in range(min((c.year for c in timely.values()), default=up_to_year), up_to_year + 1):
        due = claims_due(year, config)
        periods = in_force(known(reserve_decisions, due))
        for cohort in {d.cohort for d in reserve_decisions}:
            decision = latest_of(periods, "cohort-reserve", due, cohort=cohort)
            if decision is not None:
                reserves[cohort][year] = decision.amount
    return ClaimsInForce(by_cohort, late_by_cohort, late, accepted, dict(reserves))


def refund_years(session: Session, up_to_year: int, config: Config) -> dict[int, list[CohortYear]]:
    """Each cohort's walk through its reserve, claim year by claim year, up to `up_to_year`."""
    claims = claims_in_force(session, up_to_year, config)
    reserve = settings_of(config).refunds.reserve_per_cohort
    return {cohort: claims.walk(cohort, reserve) for cohort in claims.cohorts}


def refund_flags(session: Session, as_of: date, config: Config) -> list[Flag]:
    """Late claims (not refunded unless accepted) and cohorts whose reserve is used up, for the claim years decided
    by `as_of`."""
    decided = max((y for y in range(2000, as_of.year + 1) if claims_due(y, config) <= as_of), default=None)
    if decided is None:
        return []
    claims = claims_in_force(session, decided, config)
    flags = [Flag("V 2.5.4 late loss claim", f"municipality {c.municipality_code}",
                  f"claim for {c.year} received {c.received}, due {claims_due(c.year, config)}: not refunded")
             for c in claims.late if c.received <= as_of]
    flags += [Flag("V 2.5.4 late loss claim", f"municipality {municipality}",
                   f"late claim for {year} accepted: refunded within what remains of the reserve", answered_by=case)
              for (municipality, year), case in sorted(claims.accepted.items())]
    reserve = settings_of(config).refunds.reserve_per_cohort
    for cohort in claims.cohorts:
        used_up = next((y for y in claims.walk(cohort, reserve) if y.remaining == 0), None)
        if used_up is not None:
            reserve_then = claims.reserves.get(cohort, {}).get(used_up.year, reserve)
            flags.append(Flag("V 2.2.4 reserve exhausted", f"cohort {cohort}",
                              f"the {reserve_then} reserve was used up by the {used_up.year} claims"))
    return flags


def run_refunds(session: Session, config: Config, on: date, job_run_id: int) -> JobReport:
    year = on.year - 1
    accounts = config.accounts.of(SUPPORT)
    value_date = payment_terms(on.year, config.terms)[settings_of(config).reporting.reconciliation_term - 1]
    report = JobReport(counts={"municipalities": 0}, amounts={"claimed_75pct": ZERO, "refunded": ZERO})
    by_municipality: dict[str, dict[str, Decimal]] = defaultdict(dict)
    claims = claims_in_force(session, year, config)
    for cohort in claims.cohorts:
        reserve = claims.reserves.get(cohort, {}).get(year, settings_of(config).refunds.reserve_per_cohort)
        this_year = next((y for y in claims.walk(cohort, settings_of(config).refunds.reserve_per_cohort)
                          if y.year == year), None)
        if this_year is None:
            continue
        report.amounts["claimed_75pct"] += this_year.claimed
        for part, refunds in (("", this_year.refunds), (" late claim accepted", this_year.late)):
            for municipality, amount in sorted(refunds.items()):
                by_municipality[municipality][f"cohort {cohort}{part}"] = amount
                report.amounts["refunded"] += amount
        report.details.append(f"cohort {cohort} {year}: available {this_year.available}, claimed {this_year.claimed}, "
                              f"refunded {this_year.available - this_year.remaining}, remaining {this_year.remaining}")
        if this_year.remaining == 0:  # used up by this year's claims, or found empty by them: said in this run
            report.flags.append(Flag("V 2.2.4 reserve exhausted", f"cohort {cohort}", (
                f"the {reserve} reserve is used up by the {year} claims" if this_year.available > 0 else
                f"the {reserve} reserve was used up before the {year} claims of {this_year.claimed}: nothing refunded")))
    lines = [
        Line(key=f"refund/{year}/{municipality}", support=SUPPORT, grant_id=None, department_id=None,
             recipient_cvr=municipality, value_date=value_date, claim_due=value_date, expense_account=accounts.expense,
             recipient_account=None, recipient_note=None, recipient_book=None, components=components)
        for municipality, components in sorted(by_municipality.items())
    ]
    booked = book_lines(session, "refunds", on, job_run_id, lines, config,
                        description=f"refunds of municipal losses {year}, paid {value_date.isoformat()}")
    report.counts["municipalities"] = len(lines)
    report.counts["lines_booked"] = booked.lines_changed
    report.inputs = [line.fingerprint_input() for line in lines] + report.details
    return report
