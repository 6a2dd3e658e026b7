"""1 December: next year's on-account plan from the estimates received, and the grants whose estimate is missing."""
from datetime import date

from sqlmodel import Session

from ....config import Config
from ....money import ZERO
from ..rules.rent_cycle import latest
from ..rules.rent_subsidy import on_account_instalments
from .amounts import amounts_in_force
from .facts import load_rent_facts
from .flags import active_in, estimate_flags
from ....engine.result import JobReport


def run_estimates(session: Session, config: Config, on: date, job_run_id: int) -> JobReport:
    year = on.year + 1
    report = JobReport(counts={"grants_active": 0, "departments_planned": 0}, amounts={"on_account_plan": ZERO})
    for batch in load_rent_facts(session, {year}, on):
        active = [ctx for ctx in batch if active_in(ctx, year, on, config)]
        plans = amounts_in_force(session, [ctx.facts for ctx in active], year,
                                 lambda grant: latest([r for r in grant.estimates.get(year, []) if r.received <= on]),
                                 config.net_price)
        for ctx in active:
            report.counts["grants_active"] += 1
            report.flags += estimate_flags(ctx, year, on, config)
            if ctx.grant.id not in plans:
                continue
            _, plan_amounts = plans[ctx.grant.id]
            for dept_id, annual in sorted(plan_amounts.items()):
                report.counts["departments_planned"] += 1
                report.amounts["on_account_plan"] += annual
                plan = " + ".join(str(q) for q in on_account_instalments(annual))
                report.details.append(f"{ctx.grant.id}/{ctx.department_numbers[dept_id]} {year}: A={annual} = {plan}")
    report.inputs = report.details
    return report
