"""1 December: next year's on-account plan from the estimates received, and the grants whose estimate is missing."""
from datetime import date

from sqlmodel import Session

from ..config import Config
from ..money import ZERO
from ..rules.rent_cycle import latest
from ..rules.rent_subsidy import on_account_instalments
from .amounts import department_amounts
from .facts import load_rent_facts
from .flags import active_in, estimate_flags
from .result import JobReport


def run_estimates(session: Session, config: Config, on: date, job_run_id: int) -> JobReport:
    year = on.year + 1
    report = JobReport(counts={"grants_active": 0, "departments_planned": 0}, amounts={"on_account_plan": ZERO})
    for batch in load_rent_facts(session, {year}):
        active = [ctx for ctx in batch if active_in(ctx, year, on, config)]
        plans = {ctx.grant.id: latest([r for r in ctx.facts.estimates.get(year, []) if r.received <= on]) for ctx in active}
        amounts = department_amounts(session, [(ctx.facts, year, plans[ctx.grant.id])
                                               for ctx in active if plans[ctx.grant.id]], config.net_price)
        for ctx in active:
            report.counts["grants_active"] += 1
            report.flags += estimate_flags(ctx, year, on, config)
            estimate = plans[ctx.grant.id]
            if estimate is None:
                continue
            for dept_id, annual in sorted(amounts[estimate.report_id].items()):
                report.counts["departments_planned"] += 1
                report.amounts["on_account_plan"] += annual
                plan = " + ".join(str(q) for q in on_account_instalments(annual))
                report.details.append(f"{ctx.grant.id}/{ctx.department_numbers[dept_id]} {year}: A={annual} = {plan}")
    report.inputs = report.details
    return report
