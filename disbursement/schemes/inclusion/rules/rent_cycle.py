"""The rent-subsidy year of one grant as a pure function of its facts (V 2.5.2; SPEC 2.3).

Which estimate pays which term, each department's instalment per term, its entitlement from the actuals, and the
reconciliation difference settled with Q2 of the following year. The jobs load `GrantFacts` and call these; a
report's department amounts are computed once per report (jobs/amounts.py keeps them), not at every term.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Iterable, NamedTuple

from dateutil.relativedelta import relativedelta

from ....money import ZERO
from .grant_window import months_in_window
from ....indexation import IndexTable
from .rent_subsidy import (
    DwellingGroup,
    annual_subsidy,
    eligible_months,
    months_amount,
    on_account_instalments,
    reconciliation_difference,
)


@dataclass(frozen=True)
class ReportFacts:
    """An estimate or actuals report, by its id: `report_id` breaks ties between same-day reports. Its months per
    dwelling are read only where an amount is computed (`amount_by_department`)."""

    report_id: int
    received: date


@dataclass(frozen=True)
class GrantFacts:
    grant_id: str
    window_start: date
    duration_years: int
    departments: dict[int, str]  # department id -> loan type
    estimates: dict[int, list[ReportFacts]] = field(default_factory=dict)  # year -> reports
    actuals: dict[int, list[ReportFacts]] = field(default_factory=dict)

    def window_in(self, year: int) -> int:
        """Months of `year` inside the grant's 15-year window."""
        return months_in_window(year, self.window_start, self.duration_years)


class DwellingMonths(NamedTuple):
    """One report line: the months a dwelling group of a department was let to eligible tenants."""

    department_id: int
    dwelling: DwellingGroup
    months: int


def latest(reports: list[ReportFacts]) -> ReportFacts | None:
    """The report in force: the last received; of two received the same day, the last loaded."""
    return max(reports, key=lambda r: (r.received, r.report_id), default=None)


def estimate_for_term(grant: GrantFacts, year: int, term_date: date, lead_months: int) -> ReportFacts | None:
    """V 2.5.2: an estimate pays from the first term falling more than `lead_months` after it was received."""
    usable = [r for r in grant.estimates.get(year, []) if term_date > r.received + relativedelta(months=lead_months)]
    return latest(usable)


def actuals_in_force(grant: GrantFacts, year: int) -> ReportFacts | None:
    return latest(grant.actuals.get(year, []))


def amount_by_department(
    departments: Iterable[int], lines: Iterable[DwellingMonths], year: int, window: int, net_price: IndexTable
) -> dict[int, Decimal]:
    """Σ eligible months x monthly rate per department, rounded once (SPEC 2.3), for every department.

    `lines` are one report's, for `year`; `window` is the grant's months in that year (`GrantFacts.window_in`).
    """
    by_department: dict[int, list[tuple[Decimal, int]]] = {dept: [] for dept in departments}
    for line in lines:
        counted = eligible_months(line.months, line.dwelling.count, window)
        by_department[line.department_id].append((annual_subsidy(line.dwelling, year, net_price), counted))
    return {dept: months_amount(dept_lines) for dept, dept_lines in by_department.items()}


def term_instalments(annual_by_department: dict[int, Decimal], term_no: int) -> dict[int, Decimal]:
    """Each department's on-account instalment for term `term_no` of the year's plan (SPEC 2.3)."""
    return {dept: on_account_instalments(annual)[term_no - 1] for dept, annual in annual_by_department.items()}


@dataclass(frozen=True)
class ReconciliationResult:
    entitlement: Decimal
    on_account: Decimal
    difference: Decimal
    actuals_report_id: int


def reconcile_year(
    entitlement: dict[int, Decimal], on_account_paid: dict[int, Decimal], actuals_report_id: int
) -> dict[int, ReconciliationResult]:
    """E - on-account actually paid, per department (V 2.5.2), from the entitlement the actuals in force give.

    `on_account_paid` is what the year's terms booked per department (a term that never ran paid nothing).
    """
    return {
        dept: ReconciliationResult(
            entitlement=amount,
            on_account=on_account_paid.get(dept, ZERO),
            difference=reconciliation_difference(amount, [on_account_paid.get(dept, ZERO)]),
            actuals_report_id=actuals_report_id,
        )
        for dept, amount in entitlement.items()
    }
