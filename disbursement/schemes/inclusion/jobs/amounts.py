"""Each report's department amounts, computed once from its lines and kept (table report_amount).

The rules value a report line by line (rules.rent_cycle.amount_by_department). At national scale that is a million
dwellings, and a year's four terms, its reconciliation and the Q2 settlement would each do it again; so a job asks
here for the amounts of the reports it uses: those kept under the same key are read, the others are summed by the
database from the report's lines with the rule's own integer arithmetic (rules.rent_subsidy `annual_ore_sql`: only
a department's sum comes back, not a million lines), kept in the job's transaction, and returned. Same inputs, same
key, same amounts.
"""
import hashlib
from collections import defaultdict
from decimal import Decimal
from typing import Callable

from sqlalchemy import bindparam, func, text
from sqlmodel import Session, select

from ....indexation import IndexTable
from ..rules.rent_cycle import DwellingMonths, GrantFacts, ReportFacts, amount_by_department
from ..rules.rent_subsidy import DwellingGroup, annual_ore_sql, eligible_months_sql, fits, months_amount_of_ore
from ....store.bulk import insert_rows
from ..tables import Dwelling, ReportAmount, ReportLine

# Part of every kept amount's key: change it when amount_by_department's arithmetic changes, and amounts kept
# by the earlier version are no longer read.
AMOUNT_RULES = "rent-amount/3"  # 2: indexation multiplies before it divides; 3: summed by the database, in øre
CHUNK = 500
# Reports per query where the database aggregates their lines: each query may scan the lines once (PostgreSQL
# hash-joins them), so a national year's ~13,000 reports go in one; SQLite takes up to 32,766 parameters.
AGGREGATE_CHUNK = 20_000

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
    by_year_and_window: dict[tuple[int, int], list[int]] = defaultdict(list)
    for report_id in missing:
        by_year_and_window[wanted[report_id][1:]].append(report_id)
    kept = []
    for (year, window), report_ids in sorted(by_year_and_window.items()):
        largest_area, largest_rate, price_years = _bounds(session, report_ids)
        if fits(largest_area, largest_rate, year, net_price, price_years):
            sums = _summed_in_database(session, report_ids, year, window, net_price, price_years)
            computed = {report_id: {dept: months_amount_of_ore(sums.get((report_id, dept), 0))
                                    for dept in wanted[report_id][0].departments} for report_id in report_ids}
        else:  # values no real register has: the pure rule, line by line
            computed = _computed_in_python(session, report_ids, wanted, net_price)
        for report_id, amounts in computed.items():
            found[report_id] = amounts
            kept += [dict(report_id=report_id, window_months=window, basis=basis, department_id=dept_id, amount=amount)
                     for dept_id, amount in amounts.items()]
    insert_rows(session, ReportAmount, kept)
    return found


def _bounds(session: Session, report_ids: list[int]) -> tuple[Decimal, Decimal, list[int]]:
    """The largest area and rate of these reports' dwellings and their price years: what the database's arithmetic
    must hold, and every index value it needs (a missing one stops the job, as in the rule)."""
    areas, rates, years = [Decimal(0)], [Decimal(0)], []
    for chunk in _chunks(report_ids, AGGREGATE_CHUNK):
        for year, area, rate in session.connection().execute(
            select(Dwelling.price_year, func.max(Dwelling.area_m2), func.max(Dwelling.subsidy_per_m2))
            .join(ReportLine, ReportLine.dwelling_id == Dwelling.id).where(ReportLine.report_id.in_(chunk))
            .group_by(Dwelling.price_year)
        ):
            years.append(year)
            areas.append(Decimal(area))
            rates.append(Decimal(rate))
    return max(areas), max(rates), sorted(set(years))


def _summed_in_database(session: Session, report_ids: list[int], year: int, window: int, net_price: IndexTable,
                        price_years: list[int]) -> dict[tuple[int, int], int]:
    """Σ eligible months x annual subsidy in øre per (report, department), summed by the database with the rule's
    own integer arithmetic (rules.rent_subsidy `annual_ore_sql`, `eligible_months_sql`)."""
    annual, params = annual_ore_sql("d.area_m2", "d.subsidy_per_m2", "d.price_year", year, net_price, price_years)
    months = eligible_months_sql("rl.months", "d.count", "window")
    query = text(f"SELECT rl.report_id, d.department_id, SUM({months} * {annual}) FROM report_line rl "
                 "JOIN dwelling d ON d.id = rl.dwelling_id WHERE rl.report_id IN :ids "
                 "GROUP BY rl.report_id, d.department_id").bindparams(bindparam("ids", expanding=True))
    sums: dict[tuple[int, int], int] = {}
    for chunk in _chunks(report_ids, AGGREGATE_CHUNK):
        for report_id, dept_id, total in session.connection().execute(query, {**params, "window": window, "ids": chunk}):
            sums[(report_id, dept_id)] = int(total)
    return sums


def _computed_in_python(session: Session, report_ids: list[int], wanted: dict, net_price: IndexTable):
    lines: dict[int, list[DwellingMonths]] = defaultdict(list)
    for chunk in _chunks(report_ids):
        for report_id, dept_id, ref, count, area_m2, subsidy_per_m2, price_year, months in session.connection().execute(
            select(ReportLine.report_id, Dwelling.department_id, Dwelling.ref, Dwelling.count, Dwelling.area_m2,
                   Dwelling.subsidy_per_m2, Dwelling.price_year, ReportLine.months)
            .join(Dwelling, Dwelling.id == ReportLine.dwelling_id)
            .where(ReportLine.report_id.in_(chunk))
        ).all():
            lines[report_id].append(
                DwellingMonths(dept_id, DwellingGroup(ref, count, area_m2, subsidy_per_m2, price_year), months))
    return {report_id: amount_by_department(wanted[report_id][0].departments, lines.pop(report_id, []),
                                            wanted[report_id][1], wanted[report_id][2], net_price)
            for report_id in report_ids}


def _chunks(ids: list[int], size: int = CHUNK):
    return (ids[i:i + size] for i in range(0, len(ids), size))
