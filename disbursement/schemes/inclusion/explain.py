"""How a line of inclusion housing comes to its amount, for `explain` (issue 16): rent subsidy
(`rent/TERM/GRANT/DEPARTMENT`), social support (`social/TERM/GRANT`), refunds of municipal losses
(`refund/YEAR/MUNICIPALITY`) and conversion grants (`conversion/GRANT`, `conversion-repayment/GRANT`).

The same rules and the same stored inputs as the aconto job (jobs/aconto.py): the estimate the term pays from
(received more than the lead before the term; later ones superseding earlier ones), each dwelling group's indexed
annual subsidy and eligible months, the department's sum rounded once, the quarter's instalment, the decisions in
force, and in the settlement term last year's reconciliation against the actuals and the instalments booked. The
last step compares the result with what is booked on the line.
"""
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from ...config import Config
from ...engine.banking_days import payment_terms
from ...engine.explain import against_the_ledger
from ...indexation import IndexTable
from ...money import ZERO
from ...store.tables import IntakeFile, Journal, Posting
from .jobs.aconto import SUPPORT, entitlement_paid, on_account_booked
from .jobs.events import lapse_as_of, load_events
from .jobs.facts import GrantContext, load_rent_facts
from .jobs.lump_sums import conversions_due
from .jobs.refunds import claims_in_force
from .jobs.social_support import support_facts, terms_from
from .rules.decisions import scaled
from .rules.rent_cycle import ReportFacts, actuals_in_force, estimate_for_term
from .rules.rent_subsidy import DwellingGroup, annual_subsidy, eligible_months, months_amount, on_account_instalments
from .rules.social_support import Quarter, quarter_entitlement, quarter_steps, social_support_term
from .settings import settings_of
from .tables import Dwelling, Grant, Report, ReportLine


def explain_line(session: Session, config: Config, line: str) -> list[str]:
    parts = line.split("/")
    if parts[0] == "social" and len(parts) == 3:
        return _social(session, config, date.fromisoformat(parts[1]), parts[2], line)
    if parts[0] == "social-repayment" and len(parts) == 4:
        return _social_repayment(session, config, int(parts[1]), parts[2], date.fromisoformat(parts[3]), line)
    if parts[0] == "refund" and len(parts) == 3:
        return _refund(session, config, int(parts[1]), parts[2], line)
    if parts[0] in ("conversion", "conversion-repayment") and len(parts) == 2:
        return _conversion(session, config, parts[1], line)
    if parts[0] != "rent" or len(parts) != 4:
        return []
    on, grant_id, number = date.fromisoformat(parts[1]), parts[2], parts[3]
    terms = payment_terms(on.year, config.terms)
    if on not in terms:
        return []
    term_no, settings = terms.index(on) + 1, settings_of(config)
    settles = term_no == settings.reporting.reconciliation_term
    ctx = next((c for batch in load_rent_facts(session, {on.year, on.year - 1} if settles else {on.year}, on)
                for c in batch if c.grant.id == grant_id), None)
    if ctx is None:
        return []
    dept_id = next(d for d, n in ctx.department_numbers.items() if n == number)
    decisions = ctx.events.in_force(on)
    lapse = lapse_as_of(ctx.grant, ctx.events, settings.deadlines.start_months, SUPPORT)(on)
    lapsed = lapse is not None and lapse <= on
    steps = [f"rent subsidy of grant {grant_id}, department {number}, term {term_no} of {on.year} (paid {on})"]
    derived: dict[str, Decimal] = {}
    lead = settings.reporting.late_estimate_lead_months
    estimate = estimate_for_term(ctx.facts, on.year, on, lead)
    if estimate is None:
        steps.append(f"instalment: no estimate for {on.year} received more than {lead} month(s) before {on}: 0.00")
        derived["instalment"] = ZERO
    else:
        plan = _department_amount(session, "estimate", estimate, ctx, dept_id, on.year, config.net_price, steps)
        quarters = on_account_instalments(plan)
        steps.append(f"instalments of {plan:,.2f}: terms 1-3 round({plan} / 4) = {quarters[0]:,.2f}, term 4 the rest "
                     f"= {quarters[3]:,.2f}; term {term_no}: {quarters[term_no - 1]:,.2f}")
        quarter = Quarter(on.year, term_no)
        instalment = scaled(quarters[term_no - 1], decisions, SUPPORT, quarter.start, quarter.end)
        if instalment != quarters[term_no - 1]:
            steps.append(f"after the reductions and stops in force in the quarter: {instalment:,.2f}")
        if lapsed:
            steps.append(f"the grant lapsed on {lapse}: no instalment")
            instalment = ZERO
        derived["instalment"] = instalment
    if settles:
        actuals = actuals_in_force(ctx.facts, on.year - 1)
        if actuals is None:
            steps.append(f"reconciliation {on.year - 1}: no actuals in force, not reconciled")
        else:
            year = on.year - 1
            entitlement = _department_amount(session, "actuals", actuals, ctx, dept_id, year, config.net_price, steps)
            paid_for_year = entitlement_paid({dept_id: entitlement}, decisions, year)[dept_id]
            if paid_for_year != entitlement:
                steps.append(f"after the reductions and stops in force in {year}: {paid_for_year:,.2f}")
            on_account = on_account_booked(session, year).get(dept_id, ZERO)
            difference = paid_for_year - on_account
            steps.append(f"reconciliation {year}: entitlement {paid_for_year:,.2f} - on account booked for {year}'s "
                         f"terms {on_account:,.2f} = {difference:,.2f}")
            if lapsed and difference > 0:
                steps.append("the grant has lapsed: a positive difference is not paid")
                difference = ZERO
            derived[f"reconciliation {year}"] = difference
    steps += against_the_ledger(session, line, derived)
    return steps


def _social(session: Session, config: Config, on: date, grant_id: str, line: str) -> list[str]:
    """A term's social-support line: each quarter it pays, valued with the facts known at the term less what the
    facts known at the term before gave it (jobs/social_support.py, rules.social_support `social_support_term`)."""
    term = _social_term(session, config, grant_id, on)
    if term is None:
        return []
    facts, terms, parts = term
    steps = [f"social-support subsidy of grant {grant_id}, term {on} (quarter {terms[-1].quarter}): "
             f"{facts.annual:,.2f} a year in {facts.price_year} prices, for {facts.duration_years} years from the hire"]
    previous = terms[-2] if len(terms) > 1 else None
    for name, amount in parts.quarters.items():
        quarter = Quarter(int(name[-6:-2]), int(name[-1]))
        steps += quarter_steps(facts, quarter, on, config.wage)
        if previous is not None and (quarter.year, quarter.number) <= (previous.quarter.year, previous.quarter.number):
            before = quarter_entitlement(facts, quarter, previous.paid_on, config.wage)
            steps.append(f"  less what the term before gave it (facts known on {previous.paid_on}): {before:,.2f}")
        steps.append(f"  {name}: {amount:,.2f}")
    for name, amount in parts.repayment_offsets.items():
        steps.append(f"{name}: {amount:,.2f} (repayments the annual accounts showed, set off against this term)")
    return steps + against_the_ledger(session, line, {**parts.quarters, **parts.repayment_offsets})


def _social_term(session: Session, config: Config, grant_id: str, on: date):
    """The grant's social-support facts, its terms up to `on` and what the term of `on` pays; None: no such grant."""
    grant = session.get(Grant, grant_id)
    if grant is None:
        return None
    facts = support_facts(grant, load_events(session)[grant_id], config)
    terms = terms_from(grant.grant_date.year, on, config)
    return facts, terms, social_support_term(facts, terms, config.wage,
                                             settings_of(config).social_support.offset_repayments)


def _social_repayment(session: Session, config: Config, year: int, grant_id: str, on: date, line: str) -> list[str]:
    """The part of `year`'s repayment (paid for its quarters less the expenses its accounts show) that the term of
    `on` claims back rather than sets off (rules.social_support, the repayment treatment in force)."""
    term = _social_term(session, config, grant_id, on)
    if term is None:
        return []
    facts, _, parts = term
    reports = sorted((r for r in facts.accounts if r.year == year and r.received <= on), key=lambda r: (r.received, r.order))
    paid = sum((quarter_entitlement(facts, Quarter(year, n), on, config.wage) for n in (1, 2, 3, 4)), ZERO)
    steps = [f"social support of grant {grant_id} for {year}, as known on {on}: its quarters are worth {paid:,.2f}"]
    if reports:
        steps.append(f"accounts for {year} received {reports[-1].received}: expenses {reports[-1].expenses:,.2f}; "
                     f"repayment {max(ZERO, paid - reports[-1].expenses):,.2f}")
    claim = parts.repayment_claims.get(year, ZERO)
    steps.append(f"claimed back at this term (the part not set off against payments): {claim:,.2f}")
    return steps + against_the_ledger(session, line, {f"repayment {year}": -claim})


def _refund(session: Session, config: Config, year: int, municipality: str, line: str) -> list[str]:
    """A municipality's refund of the losses of `year`: per cohort, 75 % of its eligible loss, in full or pro rata
    to what the cohort's reserve has left (jobs/refunds.py, rules.refunds `cohort_refunds`)."""
    claims = claims_in_force(session, year, config)
    reserve = settings_of(config).refunds.reserve_per_cohort
    steps = [f"refund of municipal losses of {year} to municipality {municipality}: 75 % of the eligible loss "
             "(a departed tenant unable to pay for repairs), within each cohort's reserve (V 2.2.4)"]
    derived: dict[str, Decimal] = {}
    for cohort in claims.cohorts:
        walked = claims.walk(cohort, reserve)
        this_year = next((y for y in walked if y.year == year), None)
        if this_year is None:
            continue
        for part, refunds, asked in (("", this_year.refunds, claims.by_cohort), (" late claim accepted", this_year.late,
                                                                                claims.late_by_cohort)):
            if municipality not in refunds:
                continue
            claimed = asked.get(cohort, {}).get(year, {}).get(municipality, ZERO)
            earlier = ", ".join(f"{y.year} refunded {y.available - y.remaining:,.2f}" for y in walked if y.year < year)
            share = "in full" if refunds[municipality] == claimed else \
                f"pro rata: {claimed:,.2f} x what is left / all claims on it (largest remainder)"
            steps.append(f"cohort {cohort}{part}: reserve {claims.reserves.get(cohort, {}).get(year, reserve):,.2f}"
                         + (f" ({earlier})" if earlier else "") + f"; available for {year} {this_year.available:,.2f}, "
                         f"all claims of the year on it {this_year.claimed:,.2f}; this municipality's 75 % {claimed:,.2f}, {share}: "
                         f"{refunds[municipality]:,.2f}")
            derived[f"cohort {cohort}{part}"] = refunds[municipality]
    return steps + against_the_ledger(session, line, derived)


def _conversion(session: Session, config: Config, grant_id: str, line: str) -> list[str]:
    """A conversion grant, or its unspent part claimed back, as the last lump-sum run that booked it saw it
    (jobs/lump_sums.py `conversions_due`)."""
    on = session.exec(select(func.max(Journal.job_date)).where(Journal.job == "lump_sums", Journal.id.in_(
        select(Posting.journal_id).where(Posting.line == line)))).one()
    due = next((c for c in conversions_due(session, config, on) if c.grant.id == grant_id), None) if on else None
    if due is None:
        return []
    steps = [f"conversion grant of grant {grant_id} as known on {on}: works started {due.started}, first reported "
             f"{due.reported}, so due {due.due}",
             f"amount in force {due.amount:,.2f}" + ("" if due.amount == due.grant.conversion_amount else
                                                     f" (registered {due.grant.conversion_amount:,.2f}; a grant change)")]
    if due.share != 1:
        steps.append(f"share paid after the reductions and stops in force on {due.due}: {due.share}")
    if due.lapse is not None and due.started >= due.lapse:
        steps.append(f"the grant lapsed on {due.lapse}, before works started: nothing is paid")
    steps.append(f"paid: {due.amount:,.2f} x {due.share} = {due.paid:,.2f}")
    if line.startswith("conversion-repayment/"):
        unspent = max(ZERO, due.paid - due.spent)
        steps.append(f"final accounts: spent {due.spent:,.2f}; unspent {due.paid:,.2f} - {due.spent:,.2f} = "
                     f"{unspent:,.2f}, claimed back")
        return steps + against_the_ledger(session, line, {"unspent conversion grant": -unspent})
    return steps + against_the_ledger(session, line, {"conversion grant": due.paid})


def _department_amount(session: Session, kind: str, report: ReportFacts, ctx: GrantContext, dept_id: int,
                       year: int, net_price: IndexTable, steps: list[str]) -> Decimal:
    """Σ eligible months x annual subsidy / 12 of the department in `report`, each step added to `steps`."""
    row = session.exec(select(Report, IntakeFile.name).where(Report.id == report.report_id,
                                                             IntakeFile.id == Report.file_id)).one()
    others = session.exec(select(Report.id, Report.received).where(
        Report.grant_id == ctx.grant.id, Report.kind == kind, Report.year == year, Report.id != report.report_id)
        .order_by(Report.received, Report.id)).all()
    superseded = "; " + ", ".join(f"report {i} received {r}" for i, r in others) + " not used" if others else ""
    steps.append(f"{kind} {year}: report {report.report_id} received {report.received} ({row[1]}){superseded}")
    window = ctx.facts.window_in(year)
    lines, price_years = [], set()
    for ref, count, area, rate, price_year, months in session.exec(
        select(Dwelling.ref, Dwelling.count, Dwelling.area_m2, Dwelling.subsidy_per_m2, Dwelling.price_year,
               ReportLine.months).join(ReportLine, ReportLine.dwelling_id == Dwelling.id)
        .where(ReportLine.report_id == report.report_id, Dwelling.department_id == dept_id).order_by(Dwelling.ref)
    ):
        annual = annual_subsidy(DwellingGroup(ref, count, area, rate, price_year), year, net_price)
        counted = eligible_months(months, count, window)
        cut = f" (of {months}: {window} month(s) of {year} in the window x {count})" if counted != months else ""
        steps.append(f"  dwelling {ref} ({count} x {area} m2 at {rate} kr/m2 in {price_year} prices): {area} x {rate} "
                     f"x {net_price.value(year)} / {net_price.value(price_year)} = {annual:,.2f} a year; {counted} "
                     f"month(s){cut} x {annual:,.2f} = {annual * counted:,.2f}")
        lines.append((annual, counted))
        price_years.add(price_year)
    steps.append(f"  {net_price.name}: " + ", ".join(f"{y} = {net_price.value(y)}" for y in sorted(price_years | {year})))
    amount = months_amount(lines)
    total = sum((annual * months for annual, months in lines), ZERO)
    steps.append(f"  department {ctx.department_numbers[dept_id]}: {total:,.2f} / 12 = {amount:,.2f} (rounded half up "
                 "to øre, once)")
    return amount
