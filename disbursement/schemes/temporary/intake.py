"""Intake of the temporary-housing scheme (SPEC 2.8): the register of landlords, sites and temporary dwellings, and
the municipalities' tenancy reports (namespace urn:disbursement:temporary:1, schemas/temporary.xsd).

Same discipline as the inclusion files: validated against the schema first, then every rule the schema cannot
express is checked and every problem reported with its line (`file:line: field: message`); any problem loads
nothing of the file. Received dates may not lie in the future; ids that are not registered are rejected, and so
are target groups, destinations and education/work statuses the scheme's config does not name.
"""
import re
from datetime import date
from pathlib import Path

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from sqlmodel import Session

from ...config import Config
from .jobs.facts import TenancyFacts, TemporaryFacts, apply_event, load_temporary_facts
from ...money import parse_money
from .rules.rent import RentPeriod
from ...store.tables import Municipality
from .tables import (DwellingPlacement, DwellingRent, Landlord, TemporaryDwelling, TemporarySite,
                                      TemporaryTenancy, TenancyEvent)
from .settings import TemporarySettings, settings_of
from ...intake.errors import Problem
from ...intake.xml import date_attribute, local

NS = "urn:disbursement:temporary:1"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "temporary.xsd"
DOC_TYPES = ("temporary-register", "tenancy-report")
# A CPR number (ddmmyy-nnnn, with or without the dash) must never be stored: the person id is pseudonymous.
CPR_LIKE = re.compile(r"\d{6}-?\d{4}")


def _elements(root, name: str | None = None) -> list:
    return [el for el in root if isinstance(el.tag, str) and (name is None or local(el) == name)]


def stage_temporary(session: Session, name: str, root, file_id: int, config: Config, today: date) -> list[Problem]:
    """Add the file's rows to the session; return the problems (the caller rolls back if there are any)."""
    if local(root) == "temporary-register":
        return _stage_register(session, name, root, file_id)
    return _stage_report(session, name, root, file_id, settings_of(config), today)


class _Problems(list):
    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def __call__(self, el, field: str | None, message: str) -> None:
        self.append(Problem(self.name, el.sourceline, field, message))


def _stage_register(session: Session, name: str, root, file_id: int) -> list[Problem]:
    problem = _Problems(name)
    seen: set[str] = set()
    for el in _elements(root, "landlord"):
        cvr, iban = el.get("cvr"), el.get("iban")
        details = (el.get("name"), el.get("kind"), iban)
        if cvr in seen:
            problem(el, "cvr", f"landlord {cvr} is listed twice")
            continue
        seen.add(cvr)
        if iban is not None:
            try:
                IBAN(iban)
            except SchwiftyException as exc:
                problem(el, "iban", f"{iban} is not a valid IBAN: {exc}")
        existing = session.get(Landlord, cvr)
        if existing is None:
            session.add(Landlord(cvr=cvr, name=details[0], kind=details[1], iban=iban, file_id=file_id))
        elif (existing.name, existing.kind, existing.iban) != details:
            problem(el, "cvr", f"landlord {cvr} is already registered with other details (file #{existing.file_id})")
    seen = set()
    for el in _elements(root, "municipality"):
        code = el.get("code")
        if code in seen:
            problem(el, "code", f"municipality {code} is listed twice")
            continue
        seen.add(code)
        existing = session.get(Municipality, code)
        if existing is None:
            session.add(Municipality(code=code, name=el.get("name"), file_id=file_id))
        elif existing.name != el.get("name"):
            problem(el, "name", f"municipality {code} is already registered as {existing.name!r} (file #{existing.file_id})")
    session.flush()
    seen = set()
    for el in _elements(root, "site"):
        site_id = el.get("id")
        row = TemporarySite(id=site_id, municipality_code=el.get("municipality"), name=el.get("name"),
                            area=el.get("area"), permission_until=date_attribute(el, "permission-until"), file_id=file_id)
        existing = session.get(TemporarySite, site_id)
        if site_id in seen or existing is not None:
            problem(el, "id", f"site {site_id} is already registered; a site is registered once")
            continue
        seen.add(site_id)
        if session.get(Municipality, row.municipality_code) is None:
            problem(el, "municipality", f"unknown municipality {row.municipality_code}")
            continue
        session.add(row)
    session.flush()
    seen = set()
    placed: list = []  # the first placement and rent of each new dwelling, added once the dwellings are written
    for el in _elements(root, "dwelling"):
        dwelling_id, site_id, available = el.get("id"), el.get("site"), date_attribute(el, "available-from")
        if dwelling_id in seen or session.get(TemporaryDwelling, dwelling_id) is not None:
            problem(el, "id", f"dwelling {dwelling_id} is already registered; rent changes and relocations are "
                              "<rent-change> and <relocation>")
            continue
        seen.add(dwelling_id)
        before = len(problem)
        site = session.get(TemporarySite, site_id)
        if session.get(Landlord, el.get("landlord")) is None:
            problem(el, "landlord", f"unknown landlord {el.get('landlord')}")
        if site is None:
            problem(el, "site", f"unknown site {site_id}")
        elif available > site.permission_until:
            problem(el, "available-from", f"site {site_id} may be used until {site.permission_until}, before the "
                                          f"dwelling is available ({available})")
        if len(problem) > before:
            continue
        session.add(TemporaryDwelling(id=dwelling_id, landlord_cvr=el.get("landlord"),
                                      movable=el.get("movable") in ("true", "1"), rooms=int(el.get("rooms", "1")),
                                      available_from=available, file_id=file_id))
        placed += [DwellingPlacement(dwelling_id=dwelling_id, site_id=site_id, placed_on=available, file_id=file_id),
                   DwellingRent(dwelling_id=dwelling_id, from_date=available, rent=parse_money(el.get("rent")),
                                file_id=file_id)]
    session.flush()
    session.add_all(placed)
    session.flush()
    facts = load_temporary_facts(session)
    for el in _elements(root, "rent-change"):
        dwelling, start = facts.dwellings.get(el.get("dwelling")), date_attribute(el, "from")
        if dwelling is None:
            problem(el, "dwelling", f"unknown dwelling {el.get('dwelling')}")
        elif start <= dwelling.available_from or any(r.start == start for r in dwelling.rents):
            problem(el, "from", f"dwelling {dwelling.id} already has a rent from {start} (available from "
                                f"{dwelling.available_from}); a change starts later")
        else:
            session.add(DwellingRent(dwelling_id=dwelling.id, from_date=start, rent=parse_money(el.get("rent")),
                                     file_id=file_id))
            dwelling.rents.append(RentPeriod(start, parse_money(el.get("rent"))))
    for el in _elements(root, "relocation"):
        dwelling, site, start = facts.dwellings.get(el.get("dwelling")), facts.sites.get(el.get("site")), date_attribute(el, "from")
        if dwelling is None:
            problem(el, "dwelling", f"unknown dwelling {el.get('dwelling')}")
            continue
        if not dwelling.movable:
            problem(el, "dwelling", f"dwelling {dwelling.id} is not movable")
        if site is None:
            problem(el, "site", f"unknown site {el.get('site')}")
        elif start > site.permission_until:
            problem(el, "from", f"site {site.id} may be used until {site.permission_until}, before {start}")
        last = dwelling.placements[-1]
        if start <= last[0]:
            problem(el, "from", f"dwelling {dwelling.id} was placed on {last[1]} on {last[0]}; a relocation comes later")
        elif site is not None and site.id == last[1]:
            problem(el, "site", f"dwelling {dwelling.id} already stands on site {site.id}")
        else:
            session.add(DwellingPlacement(dwelling_id=dwelling.id, site_id=el.get("site"), placed_on=start,
                                          file_id=file_id))
            dwelling.placements.append((start, el.get("site")))
    return problem


def _known(el, field: str, value: str, known: dict, what: str, problem) -> bool:
    if value not in known:
        problem(el, field, f"unknown {what} {value!r}; configured: {', '.join(known)}")
        return False
    return True


def _stage_report(session: Session, name: str, root, file_id: int, settings: TemporarySettings,
                  today: date) -> list[Problem]:
    problem = _Problems(name)
    code, received = root.get("municipality"), date_attribute(root, "received")
    if session.get(Municipality, code) is None:
        return [Problem(name, root.sourceline, "municipality", f"unknown municipality {code}")]
    if received > today:
        problem(root, "received", f"received date {received} is in the future (today is {today})")
    facts = load_temporary_facts(session)
    rows: list = []
    for el in _elements(root):
        kind = local(el)
        if kind == "move-in":
            rows += _move_in(el, code, received, file_id, facts, settings, problem)
            continue
        tenancy = facts.tenancies.get(el.get("tenancy"))
        if tenancy is None:
            problem(el, "tenancy", f"unknown tenancy {el.get('tenancy')}; its move-in must be reported first")
            continue
        if tenancy.municipality != code:
            problem(el, "tenancy", f"tenancy {tenancy.id} is reported by municipality {tenancy.municipality}, not {code}")
            continue
        event = TenancyEvent(tenancy_id=tenancy.id, kind=kind, received=received, file_id=file_id)
        before = len(problem)
        if kind == "move-out":
            _move_out(el, event, tenancy, received, facts, settings, problem)
        elif kind == "lease-extension":
            _lease_extension(el, event, tenancy, facts, problem)
        else:
            _follow_up(el, event, tenancy, received, settings, problem)
        if len(problem) == before:
            apply_event(tenancy, event)
            rows.append(event)
    if not problem:
        session.add_all(rows)
    return problem


def _overlapping(tenancy: TenancyFacts, facts: TemporaryFacts) -> TenancyFacts | None:
    return next((other for other in facts.tenancies.values()
                 if other.dwelling == tenancy.dwelling and other.id != tenancy.id and other.overlaps(tenancy)), None)


def _move_in(el, code, received, file_id, facts: TemporaryFacts, settings: TemporarySettings, problem) -> list:
    tenancy_id, person = el.get("tenancy"), el.get("person")
    moved_in, lease_end = date_attribute(el, "date"), date_attribute(el, "lease-end")
    if tenancy_id in facts.tenancies:
        problem(el, "tenancy", f"tenancy {tenancy_id} is already reported; later news is a <move-out>, "
                               "<lease-extension> or <follow-up>")
        return []
    before = len(problem)
    if CPR_LIKE.fullmatch(person):
        problem(el, "person", "looks like a CPR number; report the pseudonymous person id only")
    _known(el, "target-group", el.get("target-group"), settings.target_groups, "target group", problem)
    _known(el, "education-work", el.get("education-work"), settings.statuses, "education/work status", problem)
    if moved_in > received:
        problem(el, "date", f"move-in {moved_in} is after the report was received ({received})")
    if lease_end < moved_in:
        problem(el, "lease-end", f"the lease ends {lease_end}, before the move-in {moved_in}")
    dwelling = facts.dwellings.get(el.get("dwelling"))
    if dwelling is None:
        problem(el, "dwelling", f"unknown dwelling {el.get('dwelling')}")
        return []
    if moved_in < dwelling.available_from:
        problem(el, "date", f"dwelling {dwelling.id} is available from {dwelling.available_from}, after {moved_in}")
    site = facts.sites.get(dwelling.site_on(moved_in) or "")
    if site is not None and site.municipality_code != code:
        problem(el, "dwelling", f"dwelling {dwelling.id} stands in municipality {site.municipality_code} on "
                                f"{moved_in}, not in {code} of this report")
    tenancy = TenancyFacts(tenancy_id, dwelling.id, code, person, int(el.get("household-size")),
                           el.get("target-group"), moved_in, lease_end, el.get("education-work"), received,
                           first_lease_end=lease_end)
    other = _overlapping(tenancy, facts)
    if other is not None:
        problem(el, "date", f"dwelling {dwelling.id} is let to tenancy {other.id} from {other.moved_in} to "
                            f"{other.last_day}; this tenancy ({moved_in} to {lease_end}) overlaps it")
    if len(problem) > before:
        return []
    facts.tenancies[tenancy_id] = tenancy
    return [TemporaryTenancy(id=tenancy_id, dwelling_id=dwelling.id, municipality_code=code, person=person,
                             household_size=tenancy.household_size, target_group=tenancy.target_group,
                             moved_in=moved_in, lease_end=lease_end, entry_status=tenancy.entry_status,
                             received=received, file_id=file_id)]


def _move_out(el, event, tenancy: TenancyFacts, received, facts, settings: TemporarySettings, problem) -> None:
    moved_out = date_attribute(el, "date")
    event.on_date, event.destination, event.status = moved_out, el.get("destination"), el.get("education-work")
    _known(el, "destination", event.destination, settings.destinations, "destination", problem)
    _known(el, "education-work", event.status, settings.statuses, "education/work status", problem)
    if moved_out < tenancy.moved_in:
        problem(el, "date", f"move-out {moved_out} is before the move-in {tenancy.moved_in} of tenancy {tenancy.id}")
    if moved_out > received:
        problem(el, "date", f"move-out {moved_out} is after the report was received ({received})")
    later = TenancyFacts(**{**tenancy.__dict__, "moved_out": moved_out})
    other = _overlapping(later, facts)
    if other is not None:
        problem(el, "date", f"dwelling {tenancy.dwelling} is let to tenancy {other.id} from {other.moved_in}; "
                            f"a move-out on {moved_out} overlaps it")


def _lease_extension(el, event, tenancy: TenancyFacts, facts, problem) -> None:
    event.until_date, event.reference = date_attribute(el, "lease-end"), el.get("decision")
    if tenancy.moved_out is not None:
        problem(el, "lease-end", f"tenancy {tenancy.id} moved out on {tenancy.moved_out}; its lease is not extended")
    elif event.until_date <= tenancy.lease_end:
        problem(el, "lease-end", f"the lease of tenancy {tenancy.id} already runs to {tenancy.lease_end}; an "
                                 "extension ends later")
    else:
        other = _overlapping(TenancyFacts(**{**tenancy.__dict__, "lease_end": event.until_date}), facts)
        if other is not None:
            problem(el, "lease-end", f"dwelling {tenancy.dwelling} is let to tenancy {other.id} from "
                                     f"{other.moved_in}; an extension to {event.until_date} overlaps it")


def _follow_up(el, event, tenancy: TenancyFacts, received, settings: TemporarySettings, problem) -> None:
    checked, left, housed = date_attribute(el, "checked"), date_attribute(el, "left"), el.get("housed") in ("true", "1")
    event.on_date, event.until_date, event.flag = checked, left, "housed" if housed else "left"
    destination = settings.destinations.get(tenancy.destination or "")
    if tenancy.moved_out is None or destination is None or not destination.permanent:
        problem(el, "tenancy", f"tenancy {tenancy.id} has not moved on to permanent housing; follow-ups are "
                               "for tenants who have")
        return
    if checked < tenancy.moved_out:
        problem(el, "checked", f"checked {checked}, before the move-out {tenancy.moved_out}")
    if checked > received:
        problem(el, "checked", f"checked {checked}, after the report was received ({received})")
    if housed and left is not None:
        problem(el, "left", "a tenant still housed has not left; give `left` only with housed=\"false\"")
    if not housed and left is None:
        problem(el, "left", "housed=\"false\" needs the day the permanent dwelling was left")
    if left is not None and not tenancy.moved_out <= left <= checked:
        problem(el, "left", f"left {left}: must lie between the move-out {tenancy.moved_out} and the check {checked}")
