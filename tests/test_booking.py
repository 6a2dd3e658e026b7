"""Booking (engine/booking.py): a line's target against what is booked, the difference as one balanced journal;
money paid out is never "unpaid": an overpayment, however small, becomes a collection claim, never a negative
payment. Hand-checked on one line of 100.00 on both databases."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from disbursement.engine.booking import Line, book_lines, settle
from disbursement.engine.registry import load_config
from disbursement.store.database import open_engine
from disbursement.store.tables import Claim, JobRun, Journal, Payment, Posting

D = Decimal
CONFIG = load_config()
TERM = date(2021, 3, 31)


def line(amount: str, key: str = "temporary/2021-03/31750001", **components) -> Line:
    accounts = CONFIG.accounts.of("temporary_rent")
    return Line(key=key, support="temporary_rent", grant_id=None, department_id=None, recipient_cvr="31750001",
                value_date=TERM, claim_due=TERM, expense_account=accounts.expense, recipient_account=None,
                recipient_note=None, recipient_book=None, components=components or {"tenancy": D(amount)})


def book(session: Session, *lines: Line, job_date: date = TERM):
    run = JobRun(job="temporary_rent", job_date=job_date, started_at=datetime(2021, 4, 1, tzinfo=timezone.utc),
                 finished_at=datetime(2021, 4, 1, tzinfo=timezone.utc), fingerprint="", outcome="ok", summary="{}")
    session.add(run)
    session.flush()
    result = book_lines(session, "temporary_rent", job_date, run.id, list(lines), CONFIG, "test")
    session.commit()
    return result


def money(session: Session, table) -> list[tuple[str, Decimal]]:
    return [(row.key, row.amount) for row in session.exec(select(table).order_by(table.id))]


def postings(session: Session, journal_id: int) -> list[tuple[str, str, Decimal]]:
    return sorted((p.component, p.account, p.amount)
                  for p in session.exec(select(Posting).where(Posting.journal_id == journal_id)))


def test_settle_pays_a_positive_amount_and_claims_a_negative_one():
    assert settle(D("0.00")) == settle(D("0")) and settle(D("0.00")).payment == D("0.00")
    assert (settle(D("12.34")).payment, settle(D("12.34")).claim) == (D("12.34"), D("0.00"))
    assert (settle(D("-0.01")).payment, settle(D("-0.01")).claim) == (D("0.00"), D("0.01"))
    assert (settle(D("0.50")).payment, settle(D("0.50")).claim) == (D("0.50"), D("0.00"))  # under 1 kr: paid


def test_an_overpayment_under_one_krone_becomes_a_claim_and_a_later_rise_cancels_it(db_url):
    engine = open_engine(db_url)
    with Session(engine) as session:
        first = book(session, line("100.00"))
        assert (first.paid, first.claimed, first.lines_changed) == (D("100.00"), D("0.00"), 1)
        assert postings(session, first.journal.id) == [("payment", "5850", D("-100.00")),
                                                        ("tenancy", "5150", D("100.00"))]

        # the month is worth 0.50 less: 0.50 was paid too much, claimed back; no payment of -0.50
        second = book(session, line("99.50"))
        assert (second.paid, second.claimed) == (D("0.00"), D("0.50"))
        assert postings(session, second.journal.id) == [("claim", "6310", D("0.50")),
                                                        ("tenancy", "5150", D("-0.50"))]
        assert second.journal.corrects_id == first.journal.id and second.journal.description == "correction of test"
        assert money(session, Payment) == [("temporary/2021-03/31750001#1", D("100.00"))]
        assert money(session, Claim) == [("temporary/2021-03/31750001#2", D("0.50"))]

        assert book(session, line("99.50")).journal is None  # nothing changed: nothing booked

        # now worth 100.20: the claim of 0.50 is withdrawn and 0.20 paid
        third = book(session, line("100.20"))
        assert (third.paid, third.claimed) == (D("0.20"), D("-0.50"))
        assert postings(session, third.journal.id) == [("claim", "6310", D("-0.50")), ("payment", "5850", D("-0.20")),
                                                       ("tenancy", "5150", D("0.70"))]
        assert money(session, Payment) == [("temporary/2021-03/31750001#1", D("100.00")),
                                           ("temporary/2021-03/31750001#3", D("0.20"))]
        assert money(session, Claim) == [("temporary/2021-03/31750001#2", D("0.50")),
                                         ("temporary/2021-03/31750001#4", D("-0.50"))]
        assert sum(amount for _, amount in money(session, Payment)) - sum(
            amount for _, amount in money(session, Claim)) == D("100.20")


def test_a_negative_line_is_claimed_whole_and_a_zero_line_books_nothing(db_url):
    engine = open_engine(db_url)
    with Session(engine) as session:
        result = book(session, line("-30.00"), line("0.00", key="temporary/2021-03/31010001"))
        assert (result.paid, result.claimed, result.lines_changed) == (D("0.00"), D("30.00"), 1)
        assert money(session, Claim) == [("temporary/2021-03/31750001#1", D("30.00"))]
        assert money(session, Payment) == []


def test_only_changed_components_are_posted_and_every_journal_balances(db_url):
    engine = open_engine(db_url)
    with Session(engine) as session:
        book(session, line("", T1=D("40.00"), T2=D("60.00")))
        moved = book(session, line("", T1=D("40.00"), T3=D("61.00")))  # T2 gone, T3 new: +1.00 in all
        assert postings(session, moved.journal.id) == [("T2", "5150", D("-60.00")), ("T3", "5150", D("61.00")),
                                                       ("payment", "5850", D("-1.00"))]
        for journal in session.exec(select(Journal)):
            assert sum(amount for _, _, amount in postings(session, journal.id)) == 0


def test_a_run_for_an_earlier_date_leaves_a_line_a_later_run_has_booked(db_url):
    engine = open_engine(db_url)
    with Session(engine) as session:
        book(session, line("100.00"), job_date=date(2021, 4, 30))  # the April run booked March's line
        stale = book(session, line("80.00"), job_date=TERM)  # the March run, re-run later, knew less
        assert stale.journal is None and stale.lines_changed == 0


def test_a_line_booked_earlier_by_the_same_run_must_not_vanish_from_its_target(db_url):
    engine = open_engine(db_url)
    with Session(engine) as session:
        book(session, line("100.00"))
        with pytest.raises(AssertionError, match=r"booked lines missing from the target: "
                                                 r"\['temporary/2021-03/31750001'\]"):
            book(session, line("10.00", key="temporary/2021-03/31010001"))


def test_the_result_adds_up_every_line_and_postings_name_the_recipient(db_url):
    engine = open_engine(db_url)
    with Session(engine) as session:
        result = book(session, line("10.00", key="t/a"), line("-5.00", key="t/b"), line("3.00", key="t/c"))
        assert (result.lines_changed, result.paid, result.claimed) == (3, D("13.00"), D("5.00"))
        assert {p.recipient_cvr for p in session.exec(select(Posting))} == {"31750001"}


def test_a_component_moved_at_the_same_total_is_booked_without_money(db_url):
    engine = open_engine(db_url)
    with Session(engine) as session:
        book(session, line("", T1=D("40.00")))
        moved = book(session, line("", T2=D("40.00")))  # the tenancy's id corrected: same money, other component
        assert (moved.lines_changed, moved.paid, moved.claimed) == (1, D("0.00"), D("0.00"))
        assert postings(session, moved.journal.id) == [("T1", "5150", D("-40.00")), ("T2", "5150", D("40.00"))]


def test_lines_booked_by_later_runs_are_each_left_alone_and_the_others_booked(db_url):
    engine = open_engine(db_url)
    with Session(engine) as session:
        book(session, line("100.00", key="t/a"), job_date=date(2021, 4, 30))
        book(session, line("100.00", key="t/b"), job_date=date(2021, 5, 31))
        rerun = book(session, line("80.00", key="t/a"), line("80.00", key="t/b"), line("80.00", key="t/c"))
        assert (rerun.lines_changed, rerun.paid) == (1, D("80.00"))  # only t/c: the later runs knew more
        assert money(session, Payment)[-1] == ("t/c#1", D("80.00"))


def test_more_lines_than_one_query_chunk_are_each_booked_once_and_numbered_in_turn(db_url):
    engine = open_engine(db_url)
    keys = [f"t/{n:04d}" for n in range(1005)]  # more than two chunks of 500
    with Session(engine) as session:
        book(session, *(line("1.00", key=key) for key in keys))
        again = book(session, *(line("2.00", key=key) for key in keys))
        assert (again.lines_changed, again.paid) == (1005, D("1005.00"))
        assert book(session, *(line("2.00", key=key) for key in keys)).journal is None
        paid = money(session, Payment)
        assert len(paid) == 2010 and {key for key, _ in paid} == {f"{k}#{n}" for k in keys for n in (1, 2)}


def test_the_missing_lines_message_names_the_first_five():
    engine = open_engine("sqlite://")
    with Session(engine) as session:
        book(session, *(line("1.00", key=f"t/{n}") for n in range(6)))
        with pytest.raises(AssertionError) as error:
            book(session, line("1.00", key="t/other"))
        assert str(error.value) == ("temporary_rent 2021-03-31: booked lines missing from the target: "
                                    "['t/0', 't/1', 't/2', 't/3', 't/4']")
