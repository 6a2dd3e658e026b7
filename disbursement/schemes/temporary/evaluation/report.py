"""Read the temporary-housing facts and the subsidy booked for them once, and compute every figure of the period."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ....config import Config
from ....engine.errors import UsageError
from ....ledger.invariants import is_expense
from ....store.tables import Municipality, Posting
from ..jobs.facts import TemporaryFacts, load_temporary_facts
from ..jobs.rent import LINE_PREFIX, month_of_line
from ..rules.business_case import BookedSubsidy, BusinessCase, business_case
from ..rules.evaluation import AreaSpread, DwellingPlace, Evaluation, TenancyOutcome, evaluate, in_period, spread
from ..settings import TemporarySettings, settings_of


@dataclass(frozen=True)
class EvaluationReport:
    """Everything the files show: the figures overall and per municipality, the spread, and the tenancies behind."""

    start: date
    end: date
    settings: TemporarySettings
    municipalities: dict[str, str]  # code -> name, of the municipalities with dwellings or tenancies
    overall: Evaluation
    by_municipality: dict[str, Evaluation]
    spread: list[AreaSpread]
    tenancies: list[TenancyOutcome]  # those of the period, as known on `end`
    sites: dict[str, tuple[str, str, date]]  # site -> (name, area, permission until)
    business_case: BusinessCase  # T 2, Økonomiske mål


def outcomes(facts: TemporaryFacts) -> list[TenancyOutcome]:
    """Each tenancy as the evaluation sees it, with the area its dwelling stood in at move-in."""
    result = []
    for t in facts.tenancies.values():
        site = facts.sites[facts.dwellings[t.dwelling].site_on(t.moved_in)]
        result.append(TenancyOutcome(
            tenancy=t.id, person=t.person, household_size=t.household_size, municipality=t.municipality,
            target_group=t.target_group, dwelling=t.dwelling, site=site.id, area=site.area, moved_in=t.moved_in,
            lease_end=t.lease_end, moved_out=t.moved_out, destination=t.destination, entry_status=t.entry_status,
            exit_status=t.exit_status, follow_ups=tuple(sorted(t.follow_ups, key=lambda f: f.checked))))
    return sorted(result, key=lambda t: (t.moved_in, t.tenancy))


def places_on(facts: TemporaryFacts, day: date) -> list[DwellingPlace]:
    """Where every dwelling available by `day` stood that day."""
    places = []
    for dwelling in facts.dwellings.values():
        if dwelling.available_from <= day:
            site = facts.sites[dwelling.site_on(day)]
            places.append(DwellingPlace(dwelling.id, site.municipality_code, site.id, site.area))
    return places


def booked_subsidies(session: Session) -> list[BookedSubsidy]:
    """What the ledger booked as each tenancy's subsidy for each month, net: the rent job books one expense
    component per tenancy on the line of its landlord and month (jobs/rent.py), corrections on the same line."""
    amounts: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for line, component, amount in session.exec(
            select(Posting.line, Posting.component, Posting.amount).where(Posting.line.startswith(LINE_PREFIX))):
        if is_expense(component):
            amounts[(component, month_of_line(line))] += amount
    return [BookedSubsidy(tenancy, month, amount) for (tenancy, month), amount in sorted(amounts.items())]


def build_report(engine: Engine, config: Config, start: date, end: date) -> EvaluationReport:
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    settings = settings_of(config)
    with Session(engine) as session:
        facts = load_temporary_facts(session)
        names = {m.code: m.name for m in session.exec(select(Municipality))}
        booked = booked_subsidies(session)
    tenancies, places = outcomes(facts), places_on(facts, end)
    period = in_period(tenancies, start, end)
    rules = settings.rules
    codes = sorted({t.municipality for t in period} | {p.municipality for p in places})
    return EvaluationReport(
        start=start, end=end, settings=settings, municipalities={code: names.get(code, code) for code in codes},
        overall=evaluate(tenancies, start, end, rules),
        by_municipality={code: evaluate([t for t in tenancies if t.municipality == code], start, end, rules)
                         for code in codes},
        spread=spread(places, tenancies, start, end, rules), tenancies=period,
        sites={s.id: (s.name, s.area, s.permission_until) for s in facts.sites.values()},
        business_case=business_case(tenancies, booked, start, end, settings.alternative_cost.rates),
    )
