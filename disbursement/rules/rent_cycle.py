"""The rent-subsidy year of one grant as a pure function of its facts (V 2.5.2; SPEC 2.3).

Which estimate pays which term, each department's instalment per term, its entitlement from the actuals, and the
reconciliation difference settled with Q2 of the following year. The jobs load `GrantFacts` and call these.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from ..money import ZERO
from .grant_window import months_in_window
from .indexation import IndexTable
from .rent_subsidy import (
    DwellingGroup,
    MonthsLine,
    annual_subsidy,
    eligible_months,
    months_amount,
    on_account_instalments,
    reconciliation_difference,
)


@dataclass(frozen=True)
class MonthsReportFacts:
    """An estimate or actuals report: months per dwelling id. `order` breaks ties between same-day reports."""

    report_id: int
    received: date
    months: dict[int, int]


@dataclass(frozen=True)
class GrantFacts:
    grant_id: str
    window_start: date
    duration_years: int
    departments: dict[int, str]  # department id -> loan type
    dwellings: dict[int, tuple[int, DwellingGroup]]  # dwelling id -> (department id, dwelling)
    estimates: dict[int, list[MonthsReportFacts]] = field(default_factory=dict)  # year -> reports
    actuals: dict[int, list[MonthsReportFacts]] = field(default_factory=dict)


def latest(reports: list[MonthsReportFacts]) -> MonthsReportFacts | None:
    """The report in force: the last received; of two received the same day, the last loaded."""
    return max(reports, key=lambda r: (r.received, r.report_id), default=None)


def estimate_for_term(grant: GrantFacts, year: int, term_date: date, lead_months: int) -> MonthsReportFacts | None:
    """V 2.5.2: an estimate pays from the first term falling more than `lead_months` after it was received."""
    usable = [r for r in grant.estimates.get(year, []) if term_date > r.received + relativedelta(months=lead_months)]
    return latest(usable)


def amount_by_department(
    grant: GrantFacts, year: int, report: MonthsReportFacts | None, net_price: IndexTable
) -> dict[int, Decimal]:
    """Σ eligible months x monthly rate per department, rounded once (SPEC 2.3), for every department."""
    window = months_in_window(year, grant.window_start, grant.duration_years)
    lines: dict[int, list[MonthsLine]] = {dept: [] for dept in grant.departments}
    if report is not None:
        for dwelling_id, months in report.months.items():
            dept, dwelling = grant.dwellings[dwelling_id]
            counted = eligible_months(months, dwelling.count, window)
            lines[dept].append(MonthsLine(annual_subsidy(dwelling, year, net_price), counted))
    return {dept: months_amount(dept_lines) for dept, dept_lines in lines.items()}


def term_instalments(
    grant: GrantFacts, year: int, term_no: int, term_date: date, lead_months: int, net_price: IndexTable
) -> dict[int, Decimal]:
    """Each department's on-account instalment for one term (0 when no estimate is in force yet)."""
    report = estimate_for_term(grant, year, term_date, lead_months)
    return {
        dept: on_account_instalments(annual)[term_no - 1]
        for dept, annual in amount_by_department(grant, year, report, net_price).items()
    }


@dataclass(frozen=True)
class ReconciliationResult:
    entitlement: Decimal
    on_account: Decimal
    difference: Decimal
    actuals_report_id: int


def reconcile_year(
    grant: GrantFacts, year: int, on_account_paid: dict[int, Decimal], net_price: IndexTable
) -> dict[int, ReconciliationResult]:
    """E - on-account actually paid, per department, for `year`; empty when no actuals report was received (V 2.5.2).

    `on_account_paid` is what the year's terms booked per department (a term that never ran paid nothing).
    """
    actuals = latest(grant.actuals.get(year, []))
    if actuals is None:
        return {}
    entitlement = amount_by_department(grant, year, actuals, net_price)
    return {
        dept: ReconciliationResult(
            entitlement=entitlement[dept],
            on_account=on_account_paid.get(dept, ZERO),
            difference=reconciliation_difference(entitlement[dept], [on_account_paid.get(dept, ZERO)]),
            actuals_report_id=actuals.report_id,
        )
        for dept in grant.departments
    }
