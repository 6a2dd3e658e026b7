"""Each report's department amounts, computed once from its lines and kept (table report_amount).

The rules value a report line by line (rules.rent_cycle.amount_by_department). At national scale that is a million
dwellings, and a year's four terms, its reconciliation and the Q2 settlement would each do it again; so a job asks
here for the amounts of the reports it uses: those kept under the same key are read, the others are computed from
the report's lines, kept in the job's transaction, and returned. Same inputs, same key, same amounts.
"""
import hashlib
from collections import defaultdict
from decimal import Decimal
from typing import Callable

from sqlmodel import Session, select

from ....indexation import IndexTable
from ..rules.rent_cycle import DwellingMonths, GrantFacts, ReportFacts, amount_by_department
from ..rules.rent_subsidy import DwellingGroup
from ....store.bulk import insert_rows
from ..tables import Dwelling, ReportAmount, ReportLine

# Part of every kept amount's key: change it when amount_by_department's arithmetic changes, and amounts kept
# by the earlier version are no longer read.
AMOUNT_RULES = "rent-amount/2"  # 2: indexation multiplies before it divides (exact half øre, issue 15)
CHUNK = 500

Request = tuple[GrantFacts, int, ReportFacts]  # the grant, the year, one of its reports for that year
Choice = Callable[[GrantFacts], ReportFacts | None]  # which of a grant's reports a job uses (rules.rent_cycle)


def amount_basis(net_price: IndexTable) -> str:
    """Digest of what an amount depends on besides the report, the register and the window."""
    text = AMOUNT_RULES + "".join(f";{year}={value}" for year, value in sorted(net_price.values.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def amounts_in_force(
    session: Session, grants: list[GrantFacts], year: int, choose: Choice, net_price: IndexTable
) -> dict[str, tuple[ReportFacts, dict[int, Decimal]]]:
    """For each grant, by id, the report `choose` picks for `year` and its amount per department; a grant for which
    it picks none is left out. One set of queries for all the grants (a job's batch)."""
    chosen = {grant.grant_id: (grant, choose(grant)) for grant in grants}
    amounts = _department_amounts(
        session, [(grant, year, report) for grant, report in chosen.values() if report is not None], net_price)
    return {grant_id: (report, amounts[report.report_id])
            for grant_id, (_, report) in chosen.items() if report is not None}


def _department_amounts(session: Session, requests: list[Request], net_price: IndexTable) -> dict[int, dict[int, Decimal]]:
    """Amount per department of every requested report, by report id: kept ones read, the others computed and kept."""
    basis = amount_basis(net_price)
    wanted = {report.report_id: (grant, year, grant.window_in(year)) for grant, year, report in requests}
    rows = session.connection().execute
    found: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for chunk in _chunks(sorted(wanted)):
        for report_id, window, dept_id, amount in rows(
            select(ReportAmount.report_id, ReportAmount.window_months, ReportAmount.department_id, ReportAmount.amount)
            .where(ReportAmount.report_id.in_(chunk), ReportAmount.basis == basis)
        ):
            if window == wanted[report_id][2]:
                found[report_id][dept_id] = amount
    missing = [report_id for report_id in sorted(wanted) if report_id not in found]
    lines: dict[int, list[DwellingMonths]] = defaultdict(list)
    for chunk in _chunks(missing):
        for report_id, dept_id, ref, count, area_m2, subsidy_per_m2, price_year, months in rows(
            select(ReportLine.report_id, Dwelling.department_id, Dwelling.ref, Dwelling.count, Dwelling.area_m2,
                   Dwelling.subsidy_per_m2, Dwelling.price_year, ReportLine.months)
            .join(Dwelling, Dwelling.id == ReportLine.dwelling_id)
            .where(ReportLine.report_id.in_(chunk))  # any order: the sums are exact
        ).all():  # fetchall: row by row was a third of the time
            lines[report_id].append(
                DwellingMonths(dept_id, DwellingGroup(ref, count, area_m2, subsidy_per_m2, price_year), months))
    kept = []
    for report_id in missing:
        grant, year, window = wanted[report_id]
        found[report_id] = amount_by_department(grant.departments, lines.pop(report_id, []), year, window, net_price)
        kept += [dict(report_id=report_id, window_months=window, basis=basis, department_id=dept_id, amount=amount)
                 for dept_id, amount in found[report_id].items()]
    insert_rows(session, ReportAmount, kept)
    return found


def _chunks(ids: list[int]):
    return (ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK))
