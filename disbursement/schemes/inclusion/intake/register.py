"""The register: organisations, municipalities, grants, departments, dwellings. Grant limits checked on load."""
from datetime import date
from decimal import Decimal

from lxml import etree
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from sqlmodel import Session, select

from ....config import Config
from ..settings import settings_of
from ....money import parse_money
from ..rules.grant_limits import grant_limit_violations
from ....indexation import MissingIndexValue
from ..rules.rent_subsidy import DwellingGroup
from ....store.bulk import insert_rows
from ....store.tables import Municipality, Organisation
from ..tables import Department, Dwelling, Grant
from ....intake.errors import Problem
from ....intake.xml import children


def stage_register(session: Session, name: str, root: etree._Element, file_id: int, config: Config) -> list[Problem]:
    """Add the register's new rows to the session; return the problems (the caller rolls back if there are any)."""
    problems: list[Problem] = []

    def problem(el, field, message):
        problems.append(Problem(name, el.sourceline, field, message))

    seen_cvr: set[str] = set()
    for el in children(root, "organisation"):
        cvr, org_name, iban = el.get("cvr"), el.get("name"), el.get("iban")
        if cvr in seen_cvr:
            problem(el, "cvr", f"organisation {cvr} is listed twice")
            continue
        seen_cvr.add(cvr)
        check_iban(el, iban, problem)
        existing = session.get(Organisation, cvr)
        if existing is None:
            session.add(Organisation(cvr=cvr, name=org_name, iban=iban, file_id=file_id))
        elif (existing.name, existing.iban) != (org_name, iban):
            problem(el, "cvr", f"organisation {cvr} is already registered with other details (file #{existing.file_id})")

    seen_codes: set[str] = set()
    for el in children(root, "municipality"):
        code, mun_name, mun_cvr, mun_iban = el.get("code"), el.get("name"), el.get("cvr"), el.get("iban")
        if code in seen_codes:
            problem(el, "code", f"municipality {code} is listed twice")
            continue
        seen_codes.add(code)
        check_iban(el, mun_iban, problem)
        existing = session.get(Municipality, code)
        if existing is None:
            session.add(Municipality(code=code, name=mun_name, cvr=mun_cvr, iban=mun_iban, file_id=file_id))
        elif (existing.name, existing.cvr, existing.iban) != (mun_name, mun_cvr, mun_iban):
            problem(el, "code", f"municipality {code} is already registered with other details (file #{existing.file_id})")
    session.flush()

    grant_elements = children(root, "grant")
    registered = _known(session, Grant.id, [el.get("id") for el in grant_elements])
    organisations = _known(session, Organisation.cvr, [el.get("organisation") for el in grant_elements])
    municipalities = _known(session, Municipality.code, [el.get("municipality") for el in grant_elements])
    seen_grants: set[str] = set()
    staged: list[tuple[Grant, list[tuple[Department, list[dict]]]]] = []
    for el in grant_elements:
        grant_problems, grant, departments = _stage_grant(name, el, file_id, config, seen_grants, registered,
                                                          organisations, municipalities)
        problems += grant_problems
        staged.append((grant, departments))
    if problems:
        return problems
    # the whole file's grants, then departments, then dwellings, each in one statement: a flush per grant and per
    # department was most of a register's load at national scale (docs/performance.md)
    session.add_all(grant for grant, _ in staged)
    session.flush()
    session.add_all(dept for _, departments in staged for dept, _ in departments)
    session.flush()
    insert_rows(session, Dwelling, [{**dwelling, "department_id": dept.id}
                                    for _, departments in staged for dept, dwellings in departments
                                    for dwelling in dwellings])
    return problems


def _known(session: Session, key, values: list[str]) -> set[str]:
    """Which of `values` are registered (this file's own rows are flushed): one query a chunk, not one a grant."""
    values = sorted(set(values))
    return {found for chunk in (values[i:i + 500] for i in range(0, len(values), 500))
            for found in session.exec(select(key).where(key.in_(chunk)))}


def check_iban(el, iban: str | None, problem) -> None:
    """An account money will be sent to must be a real one: check digits and the country's format (schwifty)."""
    if iban is None:
        return
    try:
        IBAN(iban)
    except SchwiftyException as exc:
        problem(el, "iban", f"{iban} is not a valid IBAN: {exc}")


def _stage_grant(name, el, file_id, config, seen_grants, registered, organisations, municipalities):
    """The grant's problems, and its rows to insert when it has none."""
    problems: list[Problem] = []

    def problem(node, field, message):
        problems.append(Problem(name, node.sourceline, field, message))

    grant_id = el.get("id")
    if grant_id in seen_grants or grant_id in registered:
        problem(el, "id", f"grant {grant_id} is already registered; amendments need a new grant id")
        return problems, None, []
    seen_grants.add(grant_id)
    if el.get("organisation") not in organisations:
        problem(el, "organisation", f"unknown organisation {el.get('organisation')}")
    if el.get("municipality") not in municipalities:
        problem(el, "municipality", f"unknown municipality {el.get('municipality')}")
    grant_date = date.fromisoformat(el.get("grant-date"))
    project_start = date.fromisoformat(el.get("project-start")) if el.get("project-start") else None
    if project_start and project_start < grant_date:
        problem(el, "project-start", f"project start {project_start} is before the grant date {grant_date}")
    for field in ("hire-deadline", "works-deadline"):
        if el.get(field) and date.fromisoformat(el.get(field)) <= grant_date:
            problem(el, field, f"{field} {el.get(field)} is not after the grant date {grant_date}")
    hours = Decimal(el.get("support-hours-per-week"))
    grant = Grant(
        id=grant_id,
        organisation_cvr=el.get("organisation"),
        municipality_code=el.get("municipality"),
        grant_date=grant_date,
        cohort_year=int(el.get("cohort")),
        duration_years=int(el.get("duration-years")),
        project_start=project_start,
        support_hours_per_week=hours,
        social_support_annual=parse_money(el.get("social-support-annual")),
        social_support_price_year=int(el.get("social-support-price-year")),
        conversion_amount=parse_money(el.get("conversion-amount", "0")),
        hire_deadline=date.fromisoformat(el.get("hire-deadline")) if el.get("hire-deadline") else None,
        works_deadline=date.fromisoformat(el.get("works-deadline")) if el.get("works-deadline") else None,
        file_id=file_id,
    )
    groups: list[DwellingGroup] = []
    rows: list[tuple[Department, list[dict]]] = []  # dwellings bulk-inserted: one ORM object each was slow at scale
    numbers: set[str] = set()
    refs: set[str] = set()
    for dep_el in children(el, "department"):
        number = dep_el.get("number")
        if number in numbers:
            problem(dep_el, "number", f"grant {grant_id}: department {number} is listed twice")
        numbers.add(number)
        dept = Department(grant_id=grant_id, number=number, name=dep_el.get("name"), loan_type=dep_el.get("loan-type"))
        dwellings = []
        for dw_el in children(dep_el, "dwelling"):
            ref = dw_el.get("ref")
            if ref in refs:
                problem(dw_el, "ref", f"grant {grant_id}: dwelling {ref} is listed twice")
            refs.add(ref)
            group = DwellingGroup(
                dwelling_id=ref,
                count=int(dw_el.get("count", "1")),
                area_m2=Decimal(dw_el.get("area-m2")),
                subsidy_per_m2=Decimal(dw_el.get("subsidy-per-m2")),
                price_year=int(dw_el.get("price-year")),
            )
            groups.append(group)
            dwellings.append(dict(
                grant_id=grant_id, ref=ref, count=group.count, area_m2=group.area_m2,
                rent=parse_money(dw_el.get("rent")), subsidy_per_m2=group.subsidy_per_m2,
                price_year=group.price_year,
            ))
        rows.append((dept, dwellings))
    try:
        for field, message in grant_limit_violations(groups, grant.duration_years, hours, settings_of(config).limits.grant_limits(), config.net_price):
            problem(el, field, f"grant {grant_id}: {message}")
    except MissingIndexValue as exc:
        problem(el, "price-year", f"grant {grant_id}: cannot check the limits: {exc}")
    return problems, grant, rows
