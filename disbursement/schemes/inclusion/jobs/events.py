"""Grant events from the store as the plain facts the rules take (deadlines, hire dates, accounts)."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from sqlmodel import Session, select

from ....cases import InForce, known
from ..rules.decisions import Decided, changed, in_force, lapse_applies
from ..rules.deadlines import Dated, DeadlineFacts, lapse_date
from ..rules.social_support import AccountsReport
from ..tables import Decision, Dwelling, Grant, GrantEvent


@dataclass
class GrantEvents:
    hires: list[Dated] = field(default_factory=list)
    works: list[Dated] = field(default_factory=list)
    works_department: dict[int, int] = field(default_factory=dict)  # event order -> department id
    hire_extensions: list[Dated] = field(default_factory=list)
    works_extensions: list[Dated] = field(default_factory=list)
    support_accounts: list[AccountsReport] = field(default_factory=list)
    conversion_accounts: list[GrantEvent] = field(default_factory=list)
    phases: list[GrantEvent] = field(default_factory=list)
    tenancies: list[GrantEvent] = field(default_factory=list)
    dwelling_refs: dict[int, str] = field(default_factory=dict)  # the tenancies' dwellings, for their flags
    decisions: list[Decided] = field(default_factory=list)  # the authority's decisions on the grant

    def in_force(self, as_of: date) -> list[InForce]:
        """The grant's decisions received by `as_of`, each with the days it is in force (rules.decisions)."""
        return in_force(known(self.decisions, as_of)) if self.decisions else []


def load_events(session: Session, grant_id: str | None = None) -> dict[str, GrantEvents]:
    """Events of every grant (or of one), oldest first, as plain read-only rows with the table's attributes (every
    job reads them all: ORM entities were a measurable part of a national run)."""
    events: dict[str, GrantEvents] = defaultdict(GrantEvents)
    query = select(GrantEvent.__table__).order_by(GrantEvent.id)
    if grant_id is not None:
        query = query.where(GrantEvent.grant_id == grant_id)
    for e in session.connection().execute(query):
        g = events[e.grant_id]
        if e.kind == "caretaker-hired":
            g.hires.append(Dated(e.received, e.on_date, e.id))
        elif e.kind == "works-started":
            g.works.append(Dated(e.received, e.on_date, e.id))
            g.works_department[e.id] = e.department_id
        elif e.kind == "deadline-extension":
            if e.hire_deadline:
                g.hire_extensions.append(Dated(e.received, e.hire_deadline, e.id))
            if e.works_deadline:
                g.works_extensions.append(Dated(e.received, e.works_deadline, e.id))
        elif e.kind == "support-accounts":
            g.support_accounts.append(AccountsReport(e.received, e.year, e.amount, e.id))
        elif e.kind == "conversion-accounts":
            g.conversion_accounts.append(e)
        elif e.kind == "phase":
            g.phases.append(e)
        elif e.kind == "tenancy":
            g.tenancies.append(e)
    on_grants = [Decision.grant_id.is_not(None)] if grant_id is None else [Decision.grant_id == grant_id]
    for decision in load_decided(session, *on_grants):
        events[decision.grant_id].decisions.append(decision)
    tenancy_dwellings = sorted({t.dwelling_id for g in events.values() for t in g.tenancies})
    for chunk in (tenancy_dwellings[i:i + 500] for i in range(0, len(tenancy_dwellings), 500)):
        for dwelling_id, grant, ref in session.exec(
                select(Dwelling.id, Dwelling.grant_id, Dwelling.ref).where(Dwelling.id.in_(chunk))):
            events[grant].dwelling_refs[dwelling_id] = ref
    return events


def load_decided(session: Session, *where) -> list[Decided]:
    """The decisions for which `where` holds, as the rules take them (rules.decisions.Decided), in load order."""
    columns = [getattr(Decision, name) for name in Decided.__dataclass_fields__]
    return [Decided(**row._mapping) for row in session.connection().execute(
        select(*columns).where(*where).order_by(Decision.id))]


def deadline_facts(grant: Grant, events: GrantEvents, start_months: int) -> DeadlineFacts:
    return DeadlineFacts(
        grant_date=grant.grant_date, has_conversion=bool(grant.conversion_amount),
        hire_deadline=grant.hire_deadline, works_deadline=grant.works_deadline,
        hires=events.hires, works=events.works,
        hire_extensions=events.hire_extensions, works_extensions=events.works_extensions, start_months=start_months,
    )


def lapse_as_of(grant: Grant, events: GrantEvents, start_months: int, support: str):
    """The day `support` of the grant lapses as known on a given date (rules.deadlines), unless a lapse decision
    known then waives it or limits it to another support; for rules that take a callable."""
    facts = deadline_facts(grant, events, start_months)

    def lapse(as_of: date) -> date | None:
        day = lapse_date(facts, as_of)
        return day if day is None or lapse_applies(events.in_force(as_of), support) else None
    return lru_cache(maxsize=None)(lapse)  # asked once per quarter and term


def duration(grant: Grant, events: GrantEvents | None, as_of: date) -> int:
    """The grant's years as the grant changes known on `as_of` set them (never past the limit: intake checks it)."""
    return changed(events.in_force(as_of), "duration_years", grant.duration_years) if events else grant.duration_years


def project_start(grant: Grant, events: GrantEvents | None) -> date:
    """The 15-year window runs from the project start: the caretaker's reported hire date (V 2.2.3); until one is
    reported, the planned start in the register, or else the grant date."""
    hired = max(events.hires, key=lambda d: (d.received, d.order)).value if events and events.hires else None
    return hired or grant.project_start or grant.grant_date
