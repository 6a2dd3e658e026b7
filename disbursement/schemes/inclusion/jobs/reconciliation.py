"""15 February: reconcile last year's on-account rent subsidy against the actuals (V 2.5.2).

The difference is settled with the Q2 payment (see aconto). When that term has already been booked, as after a
corrected actuals report, it is booked again here so that only the difference lands, as correcting entries.
"""
from datetime import date

from sqlmodel import Session, select

from ....engine.banking_days import payment_terms
from ....config import Config
from ..settings import settings_of
from ....money import ZERO
from ..rules.rent_cycle import actuals_in_force, reconcile_year
from ....store.tables import Journal
from .aconto import entitlement_paid, on_account_booked, run_aconto
from .amounts import amounts_in_force
from .facts import load_rent_facts
from .flags import actuals_flags
from ....engine.result import JobReport


def run_reconciliation(session: Session, config: Config, on: date, job_run_id: int) -> JobReport:
    year = on.year - 1
    paid = on_account_booked(session, year)
    report = JobReport(counts={"departments_reconciled": 0}, amounts={"entitlement": ZERO, "on_account": ZERO, "difference": ZERO})
    for batch in load_rent_facts(session, {year}, on):
        settled = amounts_in_force(session, [ctx.facts for ctx in batch], year,
                                   lambda grant: actuals_in_force(grant, year), config.net_price)
        flags = actuals_flags(session, batch, year, on, config)
        for ctx in batch:
            report.flags += flags[ctx.grant.id]
            if ctx.grant.id not in settled:
                continue
            actuals, entitlement = settled[ctx.grant.id]
            entitlement = entitlement_paid(entitlement, ctx.events.in_force(on), year)
            for dept_id, result in sorted(reconcile_year(entitlement, paid, actuals.report_id).items()):
                report.counts["departments_reconciled"] += 1
                report.amounts["entitlement"] += result.entitlement
                report.amounts["on_account"] += result.on_account
                report.amounts["difference"] += result.difference
                report.details.append(f"{ctx.grant.id}/{ctx.department_numbers[dept_id]}: E={result.entitlement} "
                                     f"paid={result.on_account} D={result.difference} actuals#{result.actuals_report_id}")
    report.inputs = list(report.details)
    settlement = payment_terms(on.year, config.terms)[settings_of(config).reporting.reconciliation_term - 1]
    already = session.exec(select(Journal.id).where(Journal.job == "aconto", Journal.job_date == settlement)).first()
    if already is not None:
        rebooked = run_aconto(session, config, settlement, job_run_id)
        report.counts["settlement_lines_rebooked"] = rebooked.counts["lines_booked"]
        report.amounts["settlement_paid"] = rebooked.amounts["paid"]
        report.amounts["settlement_claimed"] = rebooked.amounts["claimed"]
    return report
