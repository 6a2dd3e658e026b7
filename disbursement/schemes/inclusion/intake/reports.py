"""Estimate and actuals reports (V 2.5.2): dwelling-months per dwelling, by department, for one grant and year."""
from datetime import date

from lxml import etree
from sqlmodel import Session, select

from ..jobs.events import duration, load_events, project_start
from ..rules.grant_window import months_in_window, window_years
from ....store.bulk import insert_rows
from ..tables import Decision, Department, Dwelling, Grant, Report, ReportLine
from ....intake.errors import Problem
from ....intake.xml import children, local


def months_in_year_from(day: date, year: int) -> int:
    """Calendar months of `year` from the month of `day` on (0..12): a dwelling added from `day` is let in them."""
    return 12 if day.year < year else 0 if day.year > year else 13 - day.month


def stage_report(session: Session, name: str, root: etree._Element, file_id: int, today: date) -> list[Problem]:
    problems: list[Problem] = []

    def problem(node, field, message):
        problems.append(Problem(name, node.sourceline, field, message))

    kind = local(root)
    grant_id, year = root.get("grant"), int(root.get("year"))
    received = date.fromisoformat(root.get("received"))
    grant = session.get(Grant, grant_id)
    if grant is None:
        problem(root, "grant", f"unknown grant {grant_id}")
        return problems
    if received > today:
        problem(root, "received", f"received date {received} is in the future (today is {today})")
    events = load_events(session, grant.id).get(grant.id)
    start, years = project_start(grant, events), duration(grant, events, today)
    period = window_years(start, years)
    if year < grant.grant_date.year or year not in period:
        problem(root, "year", f"{year} is outside grant {grant_id}'s period {period[0]}-{period[-1]}")
        return problems
    window = months_in_window(year, start, years)
    departments = {d.number: d for d in session.exec(select(Department).where(Department.grant_id == grant_id))}
    dwellings = {(department_id, ref): (dwelling_id, count, added) for dwelling_id, department_id, ref, count, added
                 in session.execute(select(Dwelling.id, Dwelling.department_id, Dwelling.ref, Dwelling.count,
                                           Decision.effective).outerjoin(Decision, Decision.id == Dwelling.decision_id)
                                    .where(Dwelling.grant_id == grant_id))}
    report = Report(kind=kind, grant_id=grant_id, year=year, received=received,
                    auditor_statement=root.get("auditor-statement"), file_id=file_id)
    lines: list[dict] = []  # bulk-inserted below: one ORM object per line was most of the load time at scale
    seen: set[int] = set()
    for dep_el in children(root, "department"):
        dept = departments.get(dep_el.get("number"))
        if dept is None:
            problem(dep_el, "number", f"grant {grant_id} has no department {dep_el.get('number')}")
            continue
        for dw_el in children(dep_el, "dwelling"):
            ref = dw_el.get("ref")
            dwelling = dwellings.get((dept.id, ref))
            if dwelling is None:
                problem(dw_el, "ref", f"department {dept.number} of grant {grant_id} has no dwelling {ref}")
                continue
            dwelling_id, count, added = dwelling
            if dwelling_id in seen:
                problem(dw_el, "ref", f"dwelling {ref} is reported twice")
                continue
            seen.add(dwelling_id)
            months = int(dw_el.get("months"))
            non_eligible = int(dw_el.get("non-eligible-months", "0"))
            vacant = int(dw_el.get("vacant-months", "0"))
            if kind == "estimate" and (non_eligible or vacant):
                problem(dw_el, "non-eligible-months" if non_eligible else "vacant-months",
                        "an estimate reports eligible months only")
            total, most = months + non_eligible + vacant, 12 * count
            if total > most:
                problem(dw_el, "months", f"dwelling {ref}: {total} months reported for {count} dwelling(s) in "
                        f"{year}; at most {most} (12 per dwelling)")
            elif kind == "estimate" and months > window * count:
                # actuals are loaded as the auditor attested them: the months outside the window earn nothing
                # (rules/rent_subsidy.py eligible_months) and are flagged (jobs/flags.py actuals_flags), SPEC 2.3
                problem(dw_el, "months", f"dwelling {ref}: {months} months in {year}, but only {window} month(s) of "
                        f"{year} lie inside grant {grant_id}'s window (from {start}, {years} years)")
            elif added is not None and total > months_in_year_from(added, year) * count:
                problem(dw_el, "months", f"dwelling {ref} belongs to grant {grant_id} from {added} (a grant change): "
                        f"at most {months_in_year_from(added, year) * count} month(s) of {year}, not {total}")
            lines.append(dict(dwelling_id=dwelling_id, months=months,
                              non_eligible_months=non_eligible, vacant_months=vacant))
    if problems:
        return problems
    session.add(report)
    session.flush()
    if lines:
        insert_rows(session, ReportLine, [{**line, "report_id": report.id} for line in lines])
    return problems
