"""Deadlines and lapse (V 2.5.1, 2.5.3; SPEC 2.6) at their boundaries: the day of the deadline keeps the grant, the
day after loses it; only what was received by a date counts on that date."""
from datetime import date

from disbursement.schemes.inclusion.rules.deadlines import (
    Dated, DeadlineFacts, hire_deadline, in_force, lapse_date, longer_than, months_after, works_deadline,
)

GRANTED = date(2018, 3, 15)  # default deadline 12 months later: 2019-03-15


def facts(hires=(), works=(), hire_extensions=(), works_extensions=(), conversion=False, hire_deadline=None,
          works_deadline=None) -> DeadlineFacts:
    return DeadlineFacts(GRANTED, conversion, hire_deadline, works_deadline, list(hires), list(works),
                         list(hire_extensions), list(works_extensions))


def test_the_default_deadline_is_twelve_calendar_months_after_the_grant():
    assert hire_deadline(facts()) == date(2019, 3, 15)
    assert works_deadline(facts()) == date(2019, 3, 15)
    assert months_after(date(2019, 1, 31), 1) == date(2019, 2, 28)  # the 31st of a shorter month: its last day
    assert months_after(date(2020, 1, 31), 1) == date(2020, 2, 29)


def test_a_caretaker_hired_on_the_deadline_day_keeps_the_grant_and_one_day_later_loses_it_the_day_after():
    on_time = facts(hires=[Dated(date(2019, 3, 20), date(2019, 3, 15))])
    assert lapse_date(on_time, date(2019, 6, 28)) is None
    late = facts(hires=[Dated(date(2019, 3, 20), date(2019, 3, 16))])
    assert lapse_date(late, date(2019, 6, 28)) == date(2019, 3, 16)  # the day after the deadline


def test_nothing_lapses_on_the_deadline_day_itself_only_after_it():
    nobody = facts()
    assert lapse_date(nobody, date(2019, 3, 15)) is None
    assert lapse_date(nobody, date(2019, 3, 16)) == date(2019, 3, 16)


def test_works_started_on_the_deadline_day_keep_a_conversion_grant_and_matter_only_with_a_conversion_amount():
    hired = [Dated(date(2018, 9, 1), date(2018, 8, 1))]
    on_time = facts(hires=hired, works=[Dated(date(2019, 3, 18), date(2019, 3, 15))], conversion=True)
    assert lapse_date(on_time, date(2019, 6, 28)) is None
    late = facts(hires=hired, works=[Dated(date(2019, 3, 18), date(2019, 3, 16))], conversion=True)
    assert lapse_date(late, date(2019, 6, 28)) == date(2019, 3, 16)
    never = facts(hires=hired, conversion=True)
    assert lapse_date(never, date(2019, 6, 28)) == date(2019, 3, 16)
    assert lapse_date(facts(hires=hired, conversion=False), date(2019, 6, 28)) is None  # no works deadline


def test_the_earlier_of_two_missed_deadlines_decides():
    late_hire = [Dated(date(2019, 5, 1), date(2019, 4, 30))]  # hire deadline 2019-03-15 missed
    late_works = facts(hires=late_hire, works_deadline=date(2019, 1, 31), conversion=True)
    assert lapse_date(late_works, date(2019, 6, 28)) == date(2019, 2, 1)  # works deadline 2019-01-31, missed first


def test_a_later_deadline_stated_in_the_grant_is_used():
    stated = facts(hire_deadline=date(2019, 9, 30), hires=[Dated(date(2019, 10, 2), date(2019, 9, 30))])
    assert hire_deadline(stated) == date(2019, 9, 30)
    assert lapse_date(stated, date(2019, 6, 28)) is None  # before the stated deadline nothing can lapse
    assert lapse_date(stated, date(2019, 12, 30)) is None  # hired on the stated deadline day
    assert lapse_date(facts(hire_deadline=date(2019, 9, 30)), date(2019, 12, 30)) == date(2019, 10, 1)


def test_an_extension_counts_from_the_day_it_is_received():
    extended = facts(hire_extensions=[Dated(date(2019, 7, 10), date(2019, 12, 31))])
    # on the Q2 term (2019-06-28) the extension has not arrived: the grant has lapsed as known then
    assert hire_deadline(extended, date(2019, 6, 28)) == date(2019, 3, 15)
    assert lapse_date(extended, date(2019, 6, 28)) == date(2019, 3, 16)
    # on the Q3 term it has: no lapse, and the deadline is the extended one
    assert hire_deadline(extended, date(2019, 9, 30)) == date(2019, 12, 31)
    assert lapse_date(extended, date(2019, 9, 30)) is None
    assert hire_deadline(extended) == date(2019, 12, 31)  # as of any date: every report


def test_a_hire_report_counts_from_the_day_it_is_received():
    reported_late = facts(hires=[Dated(date(2019, 7, 2), date(2019, 3, 1))])  # hired in time, reported late
    assert lapse_date(reported_late, date(2019, 6, 28)) == date(2019, 3, 16)
    assert lapse_date(reported_late, date(2019, 7, 2)) is None  # received on the day: counts that day


def test_the_report_received_last_is_in_force_and_same_day_reports_go_by_their_order():
    reports = [Dated(date(2019, 1, 10), date(2018, 12, 1)), Dated(date(2019, 2, 10), date(2018, 11, 1)),
               Dated(date(2019, 2, 10), date(2018, 10, 1), order=2), Dated(date(2019, 2, 10), date(2018, 9, 1), order=1)]
    assert in_force(reports) == date(2018, 10, 1)
    assert in_force(reports, date(2019, 2, 9)) == date(2018, 12, 1)
    assert in_force(reports, date(2019, 1, 9)) is None
    assert in_force([]) is None


def test_a_phase_or_lease_of_exactly_the_limit_is_not_longer_than_it():
    assert not longer_than(date(2019, 1, 1), date(2019, 10, 1), 9)  # 1 Jan + 9 months = 1 Oct: exactly 9
    assert longer_than(date(2019, 1, 1), date(2019, 10, 2), 9)
    assert not longer_than(date(2019, 3, 1), date(2021, 3, 1), 24)
    assert longer_than(date(2019, 3, 1), date(2021, 3, 2), 24)


def test_a_works_extension_and_a_works_report_count_from_the_day_they_are_received():
    hired = [Dated(date(2018, 9, 1), date(2018, 8, 1))]
    extended = facts(hires=hired, conversion=True, works_extensions=[Dated(date(2019, 7, 10), date(2019, 12, 31))])
    assert works_deadline(extended, date(2019, 6, 28)) == date(2019, 3, 15)
    assert lapse_date(extended, date(2019, 6, 28)) == date(2019, 3, 16)
    assert works_deadline(extended, date(2019, 9, 30)) == date(2019, 12, 31)
    assert lapse_date(extended, date(2019, 9, 30)) is None
    assert works_deadline(extended) == date(2019, 12, 31)
    reported_late = facts(hires=hired, conversion=True, works=[Dated(date(2019, 7, 2), date(2019, 3, 1))])
    assert lapse_date(reported_late, date(2019, 6, 28)) == date(2019, 3, 16)
    assert lapse_date(reported_late, date(2019, 7, 2)) is None


def test_no_works_lapse_on_the_works_deadline_day_itself():
    hired = [Dated(date(2018, 9, 1), date(2018, 8, 1))]
    assert lapse_date(facts(hires=hired, conversion=True), date(2019, 3, 15)) is None
    assert lapse_date(facts(hires=hired, conversion=True), date(2019, 3, 16)) == date(2019, 3, 16)
