"""How a temporary rent subsidy line (`temporary/2021-03/29189420`, one landlord's month) comes to its amount, for
`explain` (issue 16): per tenancy, the days of the month it covers at each rent, the monthly subsidy at that rent
(rent less what the tenant's target group can afford), and the one rounding of the month's sum, as the last run that
booked the line computed it from the reports received by its date (jobs/rent.py recomputes every month on each run
and books only the differences). The last step compares the result with what is booked on the line.
"""
from calendar import monthrange
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from ...config import Config
from ...engine.explain import against_the_ledger
from ...store.tables import Journal, Posting
from .jobs.facts import load_temporary_facts
from .jobs.rent import subsidised_tenancies
from .rules.rent import month_pieces, month_subsidy


def explain_line(session: Session, config: Config, line: str) -> list[str]:
    parts = line.split("/")
    if parts[0] != "temporary" or len(parts) != 3:
        return []
    month, landlord = date.fromisoformat(f"{parts[1]}-01"), parts[2]
    run_on = session.exec(select(func.max(Journal.job_date)).where(Journal.id.in_(
        select(Posting.journal_id).where(Posting.line == line)))).one()
    if run_on is None:
        return []
    facts = load_temporary_facts(session, received_by=run_on)
    days_in_month = monthrange(month.year, month.month)[1]
    steps = [f"temporary rent subsidy to landlord {landlord} for {month:%Y-%m} ({days_in_month} days), as the run of "
             f"{run_on} computed it from the tenancy reports received by then"]
    derived = {}
    for tenancy in subsidised_tenancies(facts, config):
        pieces = month_pieces(tenancy, month) if tenancy.landlord == landlord else []
        if not pieces:
            continue
        reported = facts.tenancies[tenancy.tenancy]
        steps.append(f"tenancy {tenancy.tenancy} (dwelling {reported.dwelling}, target group {reported.target_group}, "
                     f"affordable rent {tenancy.affordable_rent:,.2f} a month): moved in {tenancy.moved_in}, "
                     f"subsidised through {tenancy.last_day}")
        steps += [f"  {p.first} to {p.last}, {p.days} day(s) at rent {p.rent:,.2f}: max(0, {p.rent:,.2f} - "
                  f"{tenancy.affordable_rent:,.2f}) = {p.monthly:,.2f} a month" for p in pieces]
        amount = month_subsidy(tenancy, month)
        steps.append(f"  = Σ monthly subsidy x days / {days_in_month} days = {amount:,.2f} (rounded half up to øre, "
                     "once)")
        if amount:
            derived[tenancy.tenancy] = amount
    if not derived:
        steps.append("no tenancy of the landlord earned a subsidy in the month")
    return steps + against_the_ledger(session, line, derived)
