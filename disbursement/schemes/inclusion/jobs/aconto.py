"""Quarterly on-account rent subsidy (V 2.5.2): each department's instalment, plus last year's reconciliation
difference in the configured term (Q2); a deduction larger than the payment becomes a collection claim."""
from datetime import date
from decimal import Decimal
from typing import Iterable

from sqlalchemy import func
from sqlmodel import Session, select

from ....engine.banking_days import payment_terms
from ....config import Config
from ..settings import settings_of
from ....money import ZERO
from ....cases import InForce
from ..rules.decisions import organisation_on, scaled
from ..rules.social_support import Quarter
from ..rules.rent_cycle import actuals_in_force, estimate_for_term, reconcile_year, term_instalments
from ....store.tables import Posting
from .amounts import amounts_in_force
from ....engine.booking import Line, book_lines
from .events import lapse_as_of
from .facts import GrantContext, load_rent_facts
from ....engine.result import JobReport

SUPPORT = "rent_subsidy"


def line_key(on: date, grant_id: str, department_number: str) -> str:
    return f"rent/{on.isoformat()}/{grant_id}/{department_number}"


def on_account_booked(session: Session, year: int) -> dict[int, Decimal]:
    """On-account instalments actually booked for `year`'s terms, per department (SPEC 2.3: 'actually paid')."""
    query = (select(Posting.department_id, func.sum(Posting.amount))
             .where(Posting.component == "instalment", Posting.line.like(f"rent/{year}-%"))
             .group_by(Posting.department_id))
    return {dept: amount for dept, amount in session.exec(query)}


def entitlement_paid(entitlement: dict[int, Decimal], decisions: list[InForce], year: int) -> dict[int, Decimal]:
    """Each department's entitlement for `year` after the reductions and stops in force in it: scaled by the share
    of the year's days paid (rules.decisions.scaled)."""
    return {dept: scaled(amount, decisions, SUPPORT, date(year, 1, 1), date(year, 12, 31))
            for dept, amount in entitlement.items()}


def term_lines(
    session: Session, batches: Iterable[list[GrantContext]], on: date, config: Config, paid_last_year: dict[int, Decimal]
) -> list[Line]:
    """Target lines for the term paid on `on`: one per department of every grant, zero or not.

    The settlement term (Q2) adds last year's difference; a lapsed grant is paid no instalment and no positive
    difference (a deduction is still collected). Decisions known on `on` apply (rules.decisions): a transfer pays
    the new organisation, a reduction or stop scales the instalment by the share of its quarter's days and the
    entitlement by the share of its year's days (the actuals count months, not dates).
    """
    terms = payment_terms(on.year, config.terms)
    term_no = terms.index(on) + 1
    lead = settings_of(config).reporting.late_estimate_lead_months
    settles = term_no == settings_of(config).reporting.reconciliation_term
    accounts = config.accounts.of(SUPPORT)
    lines = []
    for batch in batches:
        grants = [ctx.facts for ctx in batch]
        plans = amounts_in_force(session, grants, on.year, lambda g: estimate_for_term(g, on.year, on, lead),
                                 config.net_price)
        settled = amounts_in_force(session, grants, on.year - 1, lambda g: actuals_in_force(g, on.year - 1),
                                   config.net_price) if settles else {}
        for ctx in batch:
            facts = ctx.facts
            lapse = lapse_as_of(ctx.grant, ctx.events, settings_of(config).deadlines.start_months, SUPPORT)(on)
            lapsed = lapse is not None and lapse <= on
            decisions = ctx.events.in_force(on)
            _, annual = plans.get(facts.grant_id, (None, dict.fromkeys(facts.departments, ZERO)))
            instalments = term_instalments(annual, term_no)
            actuals, entitlement = settled.get(facts.grant_id, (None, {}))
            entitlement = entitlement_paid(entitlement, decisions, on.year - 1)
            differences = reconcile_year(entitlement, paid_last_year, actuals.report_id) if actuals else {}
            quarter = Quarter(on.year, term_no)
            for dept_id, loan_type in facts.departments.items():
                # a department a grant change added after the report was valued has no amount in it: 0
                instalment = scaled(instalments.get(dept_id, ZERO), decisions, SUPPORT, quarter.start, quarter.end)
                components = {"instalment": ZERO if lapsed else instalment}
                if dept_id in differences:
                    difference = differences[dept_id].difference
                    components[f"reconciliation {on.year - 1}"] = min(difference, ZERO) if lapsed else difference
                lines.append(Line(
                    key=line_key(on, facts.grant_id, ctx.department_numbers[dept_id]),
                    support=SUPPORT,
                    grant_id=facts.grant_id,
                    department_id=dept_id,
                    recipient_cvr=organisation_on(ctx.grant.organisation_cvr, decisions, on),
                    value_date=on,
                    claim_due=on,
                    expense_account=accounts.expense,
                    recipient_account=accounts.recipient_account,
                    recipient_note=accounts.note(loan_type),
                    recipient_book=accounts.recipient_book,
                    components=components,
                ))
    return lines


def run_aconto(session: Session, config: Config, on: date, job_run_id: int) -> JobReport:
    settles = payment_terms(on.year, config.terms).index(on) + 1 == settings_of(config).reporting.reconciliation_term
    # Only the settlement term looks at last year (its actuals and what its terms booked): load no more than needed.
    contexts = load_rent_facts(session, {on.year, on.year - 1} if settles else {on.year}, on)
    lines = term_lines(session, contexts, on, config, on_account_booked(session, on.year - 1) if settles else {})
    booked = book_lines(session, "aconto", on, job_run_id, lines, config,
                        description=f"on-account rent subsidy, term {on.isoformat()}")
    due = [line for line in lines if line.total]
    return JobReport(
        counts={"departments": len(lines), "departments_due": len(due), "lines_booked": booked.lines_changed},
        amounts={"due": sum((line.total for line in due), ZERO), "paid": booked.paid, "claimed": booked.claimed},
        inputs=[line.fingerprint_input() for line in lines],
    )
