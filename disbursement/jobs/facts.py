"""Load the plain facts the rules need from the store, in a few set-based queries."""
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

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


GRANTS_PER_BATCH = 500


def load_rent_facts(session: Session, years: set[int]) -> Iterator[GrantContext]:
    """Every grant with its departments, dwellings, and its estimate and actuals reports for `years`, in grant order.

    Streamed in batches of grants (a few set-based queries per batch), so a job never holds the whole national
    register in Python objects; rows are read as plain Core rows, not ORM entities, which at 10^5-10^6 dwellings was
    most of a job's time (docs/performance.md). Each caller iterates once.
    """
    grants = list(session.exec(select(Grant).order_by(Grant.id)))
    events = load_events(session)
    for i in range(0, len(grants), GRANTS_PER_BATCH):
        yield from _batch_contexts(session, grants[i:i + GRANTS_PER_BATCH], years, events)


def _batch_contexts(session: Session, grants: list[Grant], years: set[int], events) -> list[GrantContext]:
    rows = session.connection().execute
    grant_ids = [g.id for g in grants]
    departments: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for dept_id, grant_id, number, loan_type in rows(
        select(Department.id, Department.grant_id, Department.number, Department.loan_type)
        .where(Department.grant_id.in_(grant_ids)).order_by(Department.id)
    ):
        departments[grant_id].append((dept_id, number, loan_type))
    dwellings: dict[str, dict[int, tuple[int, DwellingGroup]]] = defaultdict(dict)
    for w_id, grant_id, department_id, ref, count, area_m2, subsidy_per_m2, price_year in rows(
        select(Dwelling.id, Dwelling.grant_id, Dwelling.department_id, Dwelling.ref, Dwelling.count, Dwelling.area_m2,
               Dwelling.subsidy_per_m2, Dwelling.price_year).where(Dwelling.grant_id.in_(grant_ids)).order_by(Dwelling.id)
    ):
        dwellings[grant_id][w_id] = (department_id, DwellingGroup(ref, count, area_m2, subsidy_per_m2, price_year))
    months: dict[int, dict[int, int]] = defaultdict(dict)
    reports = list(rows(
        select(Report.id, Report.grant_id, Report.kind, Report.year, Report.received)
        .where(Report.year.in_(years), Report.grant_id.in_(grant_ids)).order_by(Report.id)))
    report_ids = [r.id for r in reports]
    for chunk in (report_ids[i:i + 1000] for i in range(0, len(report_ids), 1000)):
        for report_id, dwelling_id, line_months in rows(
            select(ReportLine.report_id, ReportLine.dwelling_id, ReportLine.months).where(ReportLine.report_id.in_(chunk))
        ):
            months[report_id][dwelling_id] = line_months
    by_grant: dict[str, dict[str, dict[int, list[MonthsReportFacts]]]] = defaultdict(
        lambda: {"estimate": defaultdict(list), "actuals": defaultdict(list)}
    )
    for r in reports:
        by_grant[r.grant_id][r.kind][r.year].append(MonthsReportFacts(r.id, r.received, months[r.id]))
    contexts = []
    for g in grants:
        reps = by_grant[g.id]
        facts = GrantFacts(
            grant_id=g.id,
            window_start=project_start(g, events.get(g.id)),
            duration_years=g.duration_years,
            departments={dept_id: loan_type for dept_id, _, loan_type in departments[g.id]},
            dwellings=dwellings[g.id],
            estimates=dict(reps["estimate"]),
            actuals=dict(reps["actuals"]),
        )
        refs = {dwelling_id: group.dwelling_id for dwelling_id, (_, group) in dwellings[g.id].items()}
        numbers = {dept_id: number for dept_id, number, _ in departments[g.id]}
        contexts.append(GrantContext(g, facts, numbers, events[g.id], refs))
    return contexts
