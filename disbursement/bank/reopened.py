"""Payments the bank rejected or returned and that are not paid again yet: the flags `status` shows, and the runs
that pay them again (the run of the job and date that booked them: engine/booking.py books the re-issue once)."""
from sqlmodel import Session, select

from ..clock import stored_utc
from ..engine.result import Flag, StaleRun
from ..ledger.invariants import RETURNED
from ..store.tables import UNPAID_ANSWERS, BankAnswer, IntakeFile, JobRun, Journal, Payment
from .settlement import booked_components

Reopened = tuple[Payment, BankAnswer, Journal, IntakeFile]


def reopened(session: Session) -> list[Reopened]:
    """Rejected or returned payments whose money is not booked back yet (engine/booking.py books it, 'returned KEY',
    with the payment again if the line still owes it). The few answers first, then their postings: a NOT EXISTS
    per payment made SQLite scan the postings once for every payment (42 s a nightly at 100,000 dwellings)."""
    answered = list(session.exec(
        select(Payment, BankAnswer, Journal, IntakeFile)
        .where(BankAnswer.payment_id == Payment.id, BankAnswer.kind.in_(UNPAID_ANSWERS),
               Journal.id == Payment.journal_id, IntakeFile.id == BankAnswer.file_id)
        .order_by(Payment.key)))
    booked_back = booked_components(session, [f"{RETURNED} {payment.key}" for payment, *_ in answered])
    return [row for row in answered if f"{RETURNED} {row[0].key}" not in booked_back]


def reopened_flags(session: Session) -> list[Flag]:
    return [Flag(f"ISO 20022 payment {answer.kind}", f"recipient {payment.recipient_cvr}",
                 f"payment {payment.key} of {payment.amount:,.2f} {answer.kind} by the bank ({answer.reason or 'no reason given'}; "
                 f"{intake.name}): paid again by the next run of {journal.job} {journal.job_date}")
            for payment, answer, journal, intake in reopened(session)]


def reopened_stale_runs(session: Session) -> list[StaleRun]:
    """The run that booked a payment the bank has since rejected or returned: run again, it pays it again."""
    stale = {}
    for payment, answer, journal, intake in reopened(session):
        started = session.exec(select(JobRun.started_at).where(
            JobRun.job == journal.job, JobRun.job_date == journal.job_date, JobRun.outcome == "ok")
            .order_by(JobRun.started_at.desc())).first()
        if started is None or stored_utc(started) < stored_utc(intake.loaded_at):
            stale.setdefault((journal.job, journal.job_date), f"payment {payment.key} {answer.kind} by the bank "
                             f"({intake.name}): the run pays it again")
    return [StaleRun(day, job, reason) for (job, day), reason in stale.items()]
