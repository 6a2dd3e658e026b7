"""The temporary-housing scheme's facts (T; SPEC 2.8): landlords, sites, temporary dwellings with their placements
and rents, tenancies and what happened to them. Append-only like the rest: a relocation, a rent change, a move-out
or a correction is a new row; municipalities are the shared `municipality` table."""
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from ...store.tables import money

LANDLORD_KINDS = ("municipality", "housing-organisation", "private")
TENANCY_EVENT_KINDS = ("move-out", "lease-extension", "follow-up")


class Landlord(SQLModel, table=True):
    """Who lets temporary dwellings and receives the temporary rent subsidy (T 3: the municipality, a housing
    organisation or a private landlord)."""

    __tablename__ = "tmp_landlord"
    __table_args__ = (CheckConstraint(f"kind IN {LANDLORD_KINDS}", name="tmp_landlord_kind_known"),)
    cvr: str = Field(primary_key=True)
    name: str
    kind: str
    iban: str | None = None
    file_id: int = Field(foreign_key="intake_file.id")


class TemporarySite(SQLModel, table=True):
    """A plot temporary dwellings stand on, in one area (district) of one municipality, with a time-limited
    permission (T 3: temporary use of vacant plots under the planning act)."""

    __tablename__ = "tmp_site"
    id: str = Field(primary_key=True)
    municipality_code: str = Field(foreign_key="municipality.code", index=True)
    name: str
    area: str
    permission_until: date
    file_id: int = Field(foreign_key="intake_file.id")


class TemporaryDwelling(SQLModel, table=True):
    """One temporary dwelling (e.g. a pavilion); a movable one may be moved to another site (T 1)."""

    __tablename__ = "tmp_dwelling"
    id: str = Field(primary_key=True)
    landlord_cvr: str = Field(foreign_key="tmp_landlord.cvr", index=True)
    movable: bool
    rooms: int
    available_from: date
    file_id: int = Field(foreign_key="intake_file.id")


class DwellingPlacement(SQLModel, table=True):
    """The dwelling stands on `site_id` from `placed_on` until its next placement."""

    __tablename__ = "tmp_placement"
    __table_args__ = (UniqueConstraint("dwelling_id", "placed_on"),)
    id: int | None = Field(default=None, primary_key=True)
    dwelling_id: str = Field(foreign_key="tmp_dwelling.id", index=True)
    site_id: str = Field(foreign_key="tmp_site.id")
    placed_on: date
    file_id: int = Field(foreign_key="intake_file.id")


class DwellingRent(SQLModel, table=True):
    """The dwelling's monthly rent from `from_date` until the next change."""

    __tablename__ = "tmp_rent"
    __table_args__ = (UniqueConstraint("dwelling_id", "from_date"),)
    id: int | None = Field(default=None, primary_key=True)
    dwelling_id: str = Field(foreign_key="tmp_dwelling.id", index=True)
    from_date: date
    rent: Decimal = money()
    file_id: int = Field(foreign_key="intake_file.id")


class TemporaryTenancy(SQLModel, table=True):
    """A time-limited lease of one temporary dwelling to one household, as reported at move-in (T 1, 5)."""

    __tablename__ = "tmp_tenancy"
    __table_args__ = (CheckConstraint("household_size > 0", name="tmp_household_size_positive"),)
    id: str = Field(primary_key=True)
    dwelling_id: str = Field(foreign_key="tmp_dwelling.id", index=True)
    municipality_code: str = Field(foreign_key="municipality.code", index=True)
    person: str = Field(index=True)  # pseudonymous id of the main tenant, never a CPR number
    household_size: int
    target_group: str
    moved_in: date
    lease_end: date
    entry_status: str
    received: date
    file_id: int = Field(foreign_key="intake_file.id")


class TenancyEvent(SQLModel, table=True):
    """What happened to a tenancy after move-in; which columns are used depends on `kind` (docs/temporary-housing.md).

    move-out: on_date (the last day of the tenancy), destination, status (education/work at exit);
    lease-extension: until_date (the new lease end), reference (the decision);
    follow-up: on_date (checked), flag ('housed' or 'left'), until_date (the day the permanent dwelling was left).
    A later move-out or lease extension supersedes an earlier one (received, then load order; both are kept);
    follow-ups add up: the evaluation reads the last one checked on or before the end of its period.
    """

    __tablename__ = "tmp_tenancy_event"
    __table_args__ = (CheckConstraint(f"kind IN {TENANCY_EVENT_KINDS}", name="tmp_tenancy_event_kind_known"),)
    id: int | None = Field(default=None, primary_key=True)
    tenancy_id: str = Field(foreign_key="tmp_tenancy.id", index=True)
    kind: str
    received: date
    on_date: date | None = None
    until_date: date | None = None
    destination: str | None = None
    status: str | None = None
    flag: str | None = None
    reference: str | None = None
    file_id: int = Field(foreign_key="intake_file.id")
