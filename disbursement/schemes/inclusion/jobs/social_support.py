"""Quarterly social-support subsidy to the housing organisation (V 2.5.3), on the same terms as the rent subsidy,
booked on 602 note pkt. 26 in the organisation's accounts. Arrears, true-ups and repayment offsets come from the
cumulative schedule in rules.social_support."""
from datetime import date

from sqlmodel import Session, select

from ....engine.banking_days import payment_terms
from ....config import Config
from ..settings import settings_of
from ....money import ZERO
from ..rules.decisions import organisation_on
from ..rules.social_support import Quarter, SocialSupportFacts, Term, social_support_term
from ..tables import Grant
from ....engine.booking import Line, book_lines
from .events import GrantEvents, lapse_as_of, load_events
from ....engine.result import JobReport

SUPPORT = "social_support"


def terms_from(first_year: int, up_to: date, config: Config) -> list[Term]:
    """Every payment term from `first_year` up to and including the one paid on `up_to`."""
    terms = []
    for year in range(first_year, up_to.year + 1):
        for number, paid_on in enumerate(payment_terms(year, config.terms), start=1):
            if paid_on <= up_to:
                terms.append(Term(paid_on, Quarter(year, number)))
    return terms


def support_facts(grant: Grant, events: GrantEvents, config: Config) -> SocialSupportFacts:
    return SocialSupportFacts(
        annual=grant.social_support_annual, price_year=grant.social_support_price_year,
        duration_years=grant.duration_years, hires=events.hires,  # as changed: rules.social_support
        lapse_as_of=lapse_as_of(grant, events, settings_of(config).deadlines.start_months, SUPPORT),
        accounts=events.support_accounts, decisions_as_of=events.in_force,
    )


def social_support_lines(session: Session, config: Config, on: date) -> list[Line]:
    accounts = config.accounts.of(SUPPORT)
    events = load_events(session)
    lines = []
    terms: dict[int, list[Term]] = {}  # by first year: made once a job, not once a grant
    for grant in session.exec(select(Grant).order_by(Grant.id)):
        if (not grant.social_support_annual and not events[grant.id].decisions) or grant.grant_date > on:
            continue
        first = grant.grant_date.year
        if first not in terms:
            terms[first] = terms_from(first, on, config)
        parts = social_support_term(support_facts(grant, events[grant.id], config), terms[first], config.wage,
                                    settings_of(config).social_support.offset_repayments)
        recipient = organisation_on(grant.organisation_cvr, events[grant.id].in_force(on), on)
        common = dict(support=SUPPORT, grant_id=grant.id, department_id=None, recipient_cvr=recipient,
                      value_date=on, claim_due=on, expense_account=accounts.expense,
                      recipient_account=accounts.recipient_account, recipient_note=accounts.note(),
                      recipient_book=accounts.recipient_book)
        lines.append(Line(key=f"social/{on.isoformat()}/{grant.id}",
                          components={**parts.quarters, **parts.repayment_offsets}, **common))
        for year, amount in parts.repayment_claims.items():
            lines.append(Line(key=f"social-repayment/{year}/{grant.id}/{on.isoformat()}",
                              components={f"repayment {year}": -amount}, **common))
    return lines


def run_social_support(session: Session, config: Config, on: date, job_run_id: int) -> JobReport:
    lines = social_support_lines(session, config, on)
    booked = book_lines(session, "social_support", on, job_run_id, lines, config,
                        description=f"social-support subsidy, term {on.isoformat()}")
    return JobReport(
        counts={"grants": len({line.grant_id for line in lines}), "lines_booked": booked.lines_changed},
        amounts={"due": sum((line.total for line in lines), ZERO), "paid": booked.paid, "claimed": booked.claimed},
        inputs=[line.fingerprint_input() for line in lines],
    )
