"""Conversion and furnishing grants (V 2.2.1, 2.5.1): paid once, by the first run after the start of works is
reported, to the department named in the report, booked on 303.1 in the department's accounts. Final accounts
showing less spent than paid create a repayment claim. Runs on every day an event or a decision was received:
decisions known by then change the amount (a grant change), stop it wholly or partly, waive a lapse, or pay another
organisation (a transfer)."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from ....engine.banking_days import next_banking_day_after
from ....config import Config
from ..settings import settings_of
from ....money import ZERO, to_ore
from ..rules.decisions import changed, organisation_on, share_paid
from ..tables import Grant
from ....engine.booking import Line, book_lines
from .events import lapse_as_of, load_events
from ....engine.result import JobReport

SUPPORT = "conversion_grant"


@dataclass(frozen=True)
class ConversionDue:
    """What a grant's conversion grant comes to on a day, and why (also what `explain` shows)."""

    grant: Grant
    department_id: int
    started: date  # the start of works in the report in force
    reported: date  # when the first report of it was received: the lump sum fell due the next banking day
    due: date
    amount: Decimal  # in force (a grant change sets another)
    share: Decimal  # paid after reductions and stops in force on `due`
    lapse: date | None
    paid: Decimal
    spent: Decimal | None  # from the final accounts in force, if any
    decisions: list


def conversions_due(session: Session, config: Config, on: date) -> list[ConversionDue]:
    """Every grant whose start of works is reported by `on`, with its lump sum as the facts known on `on` give it."""
    events = load_events(session)
    value_date = next_banking_day_after(on, config.terms)
    found = []
    for grant in session.exec(select(Grant).order_by(Grant.id)):
        ev = events[grant.id]
        known = [w for w in ev.works if w.received <= on]
        if not known:
            continue
        latest = max(known, key=lambda w: (w.received, w.order))  # the report in force (rules.deadlines.in_force)
        decisions = ev.in_force(on)
        lapse = lapse_as_of(grant, ev, settings_of(config).deadlines.start_months, SUPPORT)(on)
        # the amount in force now (a grant change pays its difference); a stop or reduction counts where it was in
        # force on the day the lump sum fell due, the first banking day after the start of works was reported
        reported = min(w.received for w in known)
        due = next_banking_day_after(reported, config.terms)
        amount = changed(decisions, "conversion_amount", grant.conversion_amount, value_date)
        share = share_paid(decisions, SUPPORT, due)
        payable = lapse is None or latest.value < lapse
        final = [a for a in ev.conversion_accounts if a.received <= on]
        found.append(ConversionDue(
            grant, ev.works_department[latest.order], latest.value, reported, due, amount, share, lapse,
            to_ore(amount * share) if payable else ZERO,
            max(final, key=lambda a: (a.received, a.id)).amount if final else None, decisions))
    return found


def conversion_lines(session: Session, config: Config, on: date) -> list[Line]:
    """Per grant with a conversion amount: the grant once works are known to have started in time, and the repayment
    once its final accounts are in. Both lines are keyed by grant, so whichever run books them first books them once."""
    accounts = config.accounts.of(SUPPORT)
    value_date = next_banking_day_after(on, config.terms)
    lines = []
    for c in conversions_due(session, config, on):
        common = dict(support=SUPPORT, grant_id=c.grant.id, department_id=c.department_id,
                      recipient_cvr=organisation_on(c.grant.organisation_cvr, c.decisions, value_date),
                      value_date=value_date, claim_due=value_date,
                      expense_account=accounts.expense, recipient_account=accounts.recipient_account,
                      recipient_note=accounts.note(), recipient_book=accounts.recipient_book)
        lines.append(Line(key=f"conversion/{c.grant.id}", components={"conversion grant": c.paid}, **common))
        if c.spent is not None and c.paid:
            lines.append(Line(key=f"conversion-repayment/{c.grant.id}",
                              components={"unspent conversion grant": -max(ZERO, c.paid - c.spent)}, **common))
    return lines


def run_lump_sums(session: Session, config: Config, on: date, job_run_id: int) -> JobReport:
    lines = conversion_lines(session, config, on)
    booked = book_lines(session, "lump_sums", on, job_run_id, lines, config,
                        description=f"conversion grants as reported by {on.isoformat()}")
    return JobReport(
        counts={"grants": len(lines), "lines_booked": booked.lines_changed},
        amounts={"paid": booked.paid, "claimed": booked.claimed},
        inputs=[line.fingerprint_input() for line in lines],
    )
