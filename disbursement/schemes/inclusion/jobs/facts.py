"""Load the plain facts the rules need from the store, in a few set-based queries."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterator

from sqlmodel import Session, select

from ..rules.rent_cycle import GrantFacts, ReportFacts
from ..tables import Department, Grant, Report
from .events import GrantEvents, duration, load_events, project_start


@dataclass(frozen=True)
class GrantContext:
    """Who a grant pays and how its departments are named, beside the facts the rules use."""

    grant: Grant
    facts: GrantFacts
    department_numbers: dict[int, str]
    events: GrantEvents


GRANTS_PER_BATCH = 500


def load_rent_facts(session: Session, years: set[int], as_of: date) -> Iterator[list[GrantContext]]:
    """Every grant with its departments and its estimate and actuals reports for `years`, in grant order, in batches,
    with the duration the decisions known on `as_of` give it.

    Streamed in batches of grants (a few set-based queries per batch, as plain Core rows), so a job never holds the
    whole national register in Python objects. No dwelling is read here: a report's amounts come from
    jobs/amounts.py, which reads a report's lines only the first time (docs/performance.md). Each caller iterates
    once; a job resolves the amounts of a batch's reports together.
    """
    grants = list(session.exec(select(Grant).order_by(Grant.id)))
    events = load_events(session)
    for i in range(0, len(grants), GRANTS_PER_BATCH):
        yield _batch_contexts(session, grants[i:i + GRANTS_PER_BATCH], years, events, as_of)


def _batch_contexts(session: Session, grants: list[Grant], years: set[int], events, as_of: date) -> list[GrantContext]:
    rows = session.connection().execute
    grant_ids = [g.id for g in grants]
    departments: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for dept_id, grant_id, number, loan_type in rows(
        select(Department.id, Department.grant_id, Department.number, Department.loan_type)
        .where(Department.grant_id.in_(grant_ids)).order_by(Department.id)
    ):
        departments[grant_id].append((dept_id, number, loan_type))
    by_grant: dict[str, dict[str, dict[int, list[ReportFacts]]]] = defaultdict(
        lambda: {"estimate": defaultdict(list), "actuals": defaultdict(list)}
    )
    for report_id, grant_id, kind, year, received in rows(
        select(Report.id, Report.grant_id, Report.kind, Report.year, Report.received)
        .where(Report.year.in_(years), Report.grant_id.in_(grant_ids)).order_by(Report.id)
    ):
        by_grant[grant_id][kind][year].append(ReportFacts(report_id, received))
    contexts = []
    for g in grants:
        reps = by_grant[g.id]
        facts = GrantFacts(
            grant_id=g.id,
            window_start=project_start(g, events.get(g.id)),
            duration_years=duration(g, events.get(g.id), as_of),
            departments={dept_id: loan_type for dept_id, _, loan_type in departments[g.id]},
            estimates=dict(reps["estimate"]),
            actuals=dict(reps["actuals"]),
        )
        numbers = {dept_id: number for dept_id, number, _ in departments[g.id]}
        contexts.append(GrantContext(g, facts, numbers, events[g.id]))
    return contexts
