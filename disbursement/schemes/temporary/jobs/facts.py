"""The temporary-housing facts as plain values, read once: dwellings with their placements and rents, and each
tenancy as it stands after its move-out, lease extensions and follow-ups (the later report wins).

Used alike by the intake checks, the monthly subsidy job, its flags and the evaluation, so all read the same story.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from ..rules.evaluation import FollowUp
from ..rules.rent import RentPeriod, last_subsidised_day
from ..tables import (DwellingPlacement, DwellingRent, Landlord, TemporaryDwelling, TemporarySite,
                                      TemporaryTenancy, TenancyEvent)


@dataclass
class DwellingFacts:
    id: str
    landlord: str
    movable: bool
    rooms: int
    available_from: date
    placements: list[tuple[date, str]] = field(default_factory=list)  # (placed on, site), sorted
    rents: list[RentPeriod] = field(default_factory=list)  # sorted by start

    def site_on(self, day: date) -> str | None:
        """The site the dwelling stood on that day (None before it was first placed)."""
        current = None
        for placed_on, site in self.placements:
            if placed_on <= day:
                current = site
        return current


@dataclass
class TenancyFacts:
    id: str
    dwelling: str
    municipality: str
    person: str
    household_size: int
    target_group: str
    moved_in: date
    lease_end: date  # after the latest extension
    entry_status: str
    received: date
    first_lease_end: date = None
    moved_out: date | None = None
    destination: str | None = None
    exit_status: str | None = None
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def last_day(self) -> date:
        """The last day the tenancy lasts: the move-out date, or the lease end while the tenant has not moved out."""
        return self.moved_out or self.lease_end

    @property
    def last_subsidised_day(self) -> date:
        return last_subsidised_day(self.lease_end, self.moved_out)

    def overlaps(self, other: "TenancyFacts") -> bool:
        return self.moved_in <= other.last_day and other.moved_in <= self.last_day


@dataclass
class TemporaryFacts:
    landlords: dict[str, Landlord]
    sites: dict[str, TemporarySite]
    dwellings: dict[str, DwellingFacts]
    tenancies: dict[str, TenancyFacts]

    def first_move_in(self) -> date | None:
        return min((t.moved_in for t in self.tenancies.values()), default=None)


def load_temporary_facts(session: Session, received_by: date | None = None) -> TemporaryFacts:
    """Everything registered, and the tenancy reports received on or before `received_by` (all when None), so a
    run for a date sees what was known that day."""
    landlords = {row.cvr: row for row in session.exec(select(Landlord).order_by(Landlord.cvr))}
    sites = {row.id: row for row in session.exec(select(TemporarySite).order_by(TemporarySite.id))}
    dwellings = {row.id: DwellingFacts(row.id, row.landlord_cvr, row.movable, row.rooms, row.available_from)
                 for row in session.exec(select(TemporaryDwelling).order_by(TemporaryDwelling.id))}
    for row in session.exec(select(DwellingPlacement).order_by(DwellingPlacement.placed_on)):
        dwellings[row.dwelling_id].placements.append((row.placed_on, row.site_id))
    for row in session.exec(select(DwellingRent).order_by(DwellingRent.from_date)):
        dwellings[row.dwelling_id].rents.append(RentPeriod(row.from_date, row.rent))
    query = select(TemporaryTenancy).order_by(TemporaryTenancy.id)
    if received_by is not None:
        query = query.where(TemporaryTenancy.received <= received_by)
    tenancies = {
        row.id: TenancyFacts(row.id, row.dwelling_id, row.municipality_code, row.person, row.household_size,
                             row.target_group, row.moved_in, row.lease_end, row.entry_status, row.received,
                             first_lease_end=row.lease_end)
        for row in session.exec(query)
    }
    events = select(TenancyEvent).order_by(TenancyEvent.received, TenancyEvent.id)
    if received_by is not None:
        events = events.where(TenancyEvent.received <= received_by)
    for event in session.exec(events):
        apply_event(tenancies[event.tenancy_id], event)
    return TemporaryFacts(landlords, sites, dwellings, tenancies)


def apply_event(tenancy: TenancyFacts, event: TenancyEvent) -> None:
    """One event, in the order received: a later move-out or extension replaces an earlier one."""
    if event.kind == "move-out":
        tenancy.moved_out, tenancy.destination, tenancy.exit_status = event.on_date, event.destination, event.status
    elif event.kind == "lease-extension":
        tenancy.lease_end = event.until_date
    elif event.kind == "follow-up":
        tenancy.follow_ups.append(FollowUp(event.on_date, event.flag == "housed", event.until_date))
