"""Load the plain facts the rules need from the store, in a few set-based queries."""
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, select

from ..rules.rent_cycle import GrantFacts, MonthsReportFacts
from ..rules.rent_subsidy import DwellingGroup
from ..store.tables import Department, Dwelling, Grant, Report, ReportLine
from .events import GrantEvents, load_events, project_start


@dataclass(frozen=True)
class GrantContext:
    """Who a grant pays and how its departments are named, beside the facts the rules use."""

    grant: Grant
    facts: GrantFacts
    department_numbers: dict[int, str]
    events: GrantEvents
    dwelling_refs: dict[int, str]


def load_rent_facts(session: Session, years: set[int]) -> list[GrantContext]:
    """Every grant with its departments, dwellings, and its estimate and actuals reports for `years`."""
    grants = list(session.exec(select(Grant).order_by(Grant.id)))
    departments: dict[str, list[Department]] = defaultdict(list)
    for dept in session.exec(select(Department).order_by(Department.id)):
        departments[dept.grant_id].append(dept)
    dwellings: dict[str, dict[int, tuple[int, DwellingGroup]]] = defaultdict(dict)
    for w in session.exec(select(Dwelling).order_by(Dwelling.id)):
        dwellings[w.grant_id][w.id] = (w.department_id, DwellingGroup(w.ref, w.count, w.area_m2, w.subsidy_per_m2, w.price_year))
    months: dict[int, dict[int, int]] = defaultdict(dict)
    reports = list(session.exec(select(Report).where(Report.year.in_(years)).order_by(Report.id)))
    report_ids = [r.id for r in reports]
    for line in session.exec(select(ReportLine).where(ReportLine.report_id.in_(report_ids))):
        months[line.report_id][line.dwelling_id] = line.months
    by_grant: dict[str, dict[str, dict[int, list[MonthsReportFacts]]]] = defaultdict(
        lambda: {"estimate": defaultdict(list), "actuals": defaultdict(list)}
    )
    for r in reports:
        by_grant[r.grant_id][r.kind][r.year].append(MonthsReportFacts(r.id, r.received, months[r.id]))
    events = load_events(session)
    contexts = []
    for g in grants:
        reps = by_grant[g.id]
        facts = GrantFacts(
            grant_id=g.id,
            window_start=project_start(g, events.get(g.id)),
            duration_years=g.duration_years,
            departments={d.id: d.loan_type for d in departments[g.id]},
            dwellings=dwellings[g.id],
            estimates=dict(reps["estimate"]),
            actuals=dict(reps["actuals"]),
        )
        refs = {dwelling_id: group.dwelling_id for dwelling_id, (_, group) in dwellings[g.id].items()}
        contexts.append(GrantContext(g, facts, {d.id: d.number for d in departments[g.id]}, events[g.id], refs))
    return contexts
