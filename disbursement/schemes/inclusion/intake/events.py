"""Events of a grant (hire date, start of works, accounts, extensions, phases, tenancies) and municipalities' loss
claims (V 2.5.1, 2.5.3, 2.5.4, 2.7, 7). Same discipline as the reports: all or nothing, every problem located."""
from datetime import date

from lxml import etree
from sqlmodel import Session, select

from ....money import parse_money
from ..tables import Decision, GrantEvent, LossClaim, LossLine
from ....store.tables import Municipality
from ..tables import Department, Dwelling, Grant
from ....intake.errors import Problem
from ....intake.xml import children, date_attribute, local


def stage_events(session: Session, name: str, root: etree._Element, file_id: int, today: date) -> list[Problem]:
    problems: list[Problem] = []

    def problem(node, field, message):
        problems.append(Problem(name, node.sourceline, field, message))

    grant_id, received = root.get("grant"), date_attribute(root, "received")
    grant = session.get(Grant, grant_id)
    if grant is None:
        return [Problem(name, root.sourceline, "grant", f"unknown grant {grant_id}")]
    if received > today:
        problem(root, "received", f"received date {received} is in the future (today is {today})")
    departments = {d.number: d for d in session.exec(select(Department).where(Department.grant_id == grant_id))}
    dwellings: dict[str, tuple[int, int]] = {}  # ref -> (id, count), read at the first tenancy: most files have none
    works_known = session.exec(
        select(GrantEvent.id).where(GrantEvent.grant_id == grant_id, GrantEvent.kind == "works-started")).first()
    rows: list[GrantEvent] = []
    for el in root:
        if not isinstance(el.tag, str):
            continue  # comments and processing instructions
        kind = local(el)
        event = GrantEvent(kind=kind, grant_id=grant_id, received=received, file_id=file_id)
        when = date_attribute(el, "date")
        if kind in ("caretaker-hired", "works-started"):
            event.on_date = when
            if when < grant.grant_date:
                problem(el, "date", f"{kind} {when} is before the grant date {grant.grant_date}")
            if when > received:
                problem(el, "date", f"{kind} {when} is after the report was received ({received})")
        if kind == "works-started":
            dept = departments.get(el.get("department"))
            if dept is None:
                problem(el, "department", f"grant {grant_id} has no department {el.get('department')}")
            else:
                event.department_id = dept.id
            if not grant.conversion_amount and not session.exec(select(Decision.id).where(  # nor a grant change
                    Decision.grant_id == grant_id, Decision.kind == "grant-change", Decision.conversion_amount > 0)).first():
                problem(el, "date", f"grant {grant_id} has no conversion grant; start of works is not reported")
            works_known = True
        elif kind == "conversion-accounts":
            if not works_known:
                problem(el, "completed", f"grant {grant_id}: no start of works reported before its accounts")
            event.on_date, event.amount, event.reference = date_attribute(el, "completed"), parse_money(el.get("spent")), el.get("auditor-statement")
        elif kind == "support-accounts":
            event.year, event.amount, event.reference = int(el.get("year")), parse_money(el.get("expenses")), el.get("auditor-statement")
            if event.year >= received.year:
                problem(el, "year", f"accounts for {event.year} cannot be final before the year is over (received {received})")
            if event.year < grant.grant_date.year:
                problem(el, "year", f"{event.year} is before grant {grant_id} was given ({grant.grant_date})")
        elif kind == "deadline-extension":
            event.hire_deadline, event.works_deadline = date_attribute(el, "hire-deadline"), date_attribute(el, "works-deadline")
            event.reference = el.get("decision")
            if event.hire_deadline is None and event.works_deadline is None:
                problem(el, "hire-deadline", "an extension names a new hire-deadline, works-deadline or both")
        elif kind == "phase":
            event.flag, event.on_date, event.until_date = el.get("kind"), date_attribute(el, "from"), date_attribute(el, "to")
            if event.until_date < event.on_date:
                problem(el, "to", f"phase ends {event.until_date} before it starts {event.on_date}")
        elif kind == "tenancy":
            if not dwellings:
                dwellings = {ref: (dwelling_id, count) for ref, dwelling_id, count in session.execute(
                    select(Dwelling.ref, Dwelling.id, Dwelling.count).where(Dwelling.grant_id == grant_id))}
            _tenancy(el, event, dwellings, grant_id, problem)
        rows.append(event)
    if not problems:
        session.add_all(rows)
    return problems


def _tenancy(el, event, dwellings, grant_id, problem) -> None:
    ref = el.get("dwelling")
    dwelling_id, count = dwellings.get(ref, (None, 0))
    unit = int(el.get("unit", "1"))
    if dwelling_id is None:
        problem(el, "dwelling", f"grant {grant_id} has no dwelling {ref}")
    elif unit > count:
        problem(el, "unit", f"dwelling {ref} has {count} unit(s), not {unit}")
    else:
        event.dwelling_id = dwelling_id
    event.unit = unit
    event.on_date, event.until_date = date_attribute(el, "moved-in"), date_attribute(el, "lease-ends")
    event.other_date, event.end_date = date_attribute(el, "extension-decided-to"), date_attribute(el, "moved-out")
    event.flag = "true" if el.get("eligible") in ("true", "1") else "false"
    if event.until_date <= event.on_date:
        problem(el, "lease-ends", f"lease ends {event.until_date}, not after moving in {event.on_date}")
    if event.end_date and event.end_date < event.on_date:
        problem(el, "moved-out", f"moved out {event.end_date} before moving in {event.on_date}")


def stage_loss_claim(session: Session, name: str, root: etree._Element, file_id: int, today: date) -> list[Problem]:
    problems: list[Problem] = []

    def problem(node, field, message):
        problems.append(Problem(name, node.sourceline, field, message))

    code, year, received = root.get("municipality"), int(root.get("year")), date_attribute(root, "received")
    if session.get(Municipality, code) is None:
        return [Problem(name, root.sourceline, "municipality", f"unknown municipality {code}")]
    if received > today:
        problem(root, "received", f"received date {received} is in the future (today is {today})")
    if year >= received.year:
        problem(root, "year", f"a claim for {year} cannot be made before the year is over (received {received})")
    claim = LossClaim(municipality_code=code, year=year, received=received,
                      auditor_statement=root.get("auditor-statement"), dwellings=int(root.get("dwellings")),
                      file_id=file_id)
    lines = []
    for el in children(root, "loss"):
        grant = session.get(Grant, el.get("grant"))
        if grant is None:
            problem(el, "grant", f"unknown grant {el.get('grant')}")
            continue
        if grant.municipality_code != code:
            problem(el, "grant", f"grant {grant.id} belongs to municipality {grant.municipality_code}, not {code}")
        dwelling = session.exec(select(Dwelling).where(Dwelling.grant_id == grant.id, Dwelling.ref == el.get("dwelling"))).first()
        if dwelling is None:
            problem(el, "dwelling", f"grant {grant.id} has no dwelling {el.get('dwelling')}")
            continue
        moved_out = date_attribute(el, "moved-out")
        if moved_out.year != year:
            problem(el, "moved-out", f"move-out {moved_out} is not in the claim year {year}")
        lines.append(LossLine(grant_id=grant.id, dwelling_id=dwelling.id, moved_out=moved_out,
                              reason=el.get("reason"), amount=parse_money(el.get("amount"))))
    if problems:
        return problems
    session.add(claim)
    session.flush()
    for line in lines:
        line.claim_id = claim.id
    session.add_all(lines)
    return problems
