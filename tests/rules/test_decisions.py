"""The authority's decisions as pure rules (issue 13): which decision of a case is in force on which days
(disbursement/cases.py), what the decisions in force do to a grant (rules/decisions.py), and how social support
(rules/social_support.py) and the loss refunds (rules/refunds.py) apply them. Decisions are built directly as
`Decided` values; W1's figures: 400,000.00 a year at wage index 100 (2017), 102.5 in 2018; hired 2017-09-01."""
from collections import namedtuple
from datetime import date
from decimal import Decimal

import pytest

from disbursement.cases import InForce, in_force as in_force_by_case, known
from disbursement.indexation import IndexTable
from disbursement.schemes.inclusion.rules.deadlines import Dated
from disbursement.schemes.inclusion.rules.decisions import (
    Decided, annual_reduction, changed, in_force, lapse_applies, latest_of, offset_part, organisation_on,
    repayment_treatment, scaled, segments, share_paid,
)
from disbursement.schemes.inclusion.rules.refunds import cohort_refunds
from disbursement.schemes.inclusion.rules.social_support import (
    AccountsReport, Quarter, SocialSupportFacts, Term, quarter_entitlement, social_support_schedule,
)

D = Decimal
RENT, SOCIAL, CONVERSION = "rent_subsidy", "social_support", "conversion_grant"
WAGE = IndexTable("wage", {2017: D("100"), 2018: D("102.5"), 2019: D("105")})
HIRED = [Dated(date(2017, 9, 5), date(2017, 9, 1))]
Q3_2018 = Quarter(2018, 3)  # 1 July - 30 September 2018: 92 days; 102,500.00 a quarter at 410,000.00 a year


def dec(id, case, kind, effective, decided=None, received=None, **fields) -> Decided:
    """A decision; decided and received default to its effective date."""
    decided = decided or effective
    return Decided(id, case, kind, decided, effective, received or decided, **fields)


def cut(percent, effective, case="R1", id=1, support=SOCIAL, kind="reduction", **fields) -> Decided:
    return dec(id, case, kind, effective, support=support, percent=D(percent), **fields)


# --- disbursement/cases.py --------------------------------------------------------------------------------------


def test_in_force_covers_its_start_day_but_not_its_end_day():
    period = InForce("d", date(2019, 7, 1), date(2019, 8, 1))
    assert period.covers(date(2019, 7, 1))
    assert period.covers(date(2019, 7, 31))
    assert not period.covers(date(2019, 8, 1))
    assert not period.covers(date(2019, 6, 30))
    open_ended = InForce("d", date(2019, 7, 1), None)
    assert open_ended.covers(date(2099, 12, 31)) and open_ended.covers(date(2019, 7, 1))
    assert not open_ended.covers(date(2019, 6, 30))


def test_known_takes_the_decisions_received_on_or_before_the_day():
    early, late = dec(1, "A", "stop", date(2019, 1, 1), received=date(2019, 6, 25)), \
        dec(2, "B", "stop", date(2019, 1, 1), received=date(2019, 6, 26))
    assert known([early, late], date(2019, 6, 24)) == ()
    assert known([early, late], date(2019, 6, 25)) == (early,)
    assert known([early, late], date(2019, 6, 26)) == (early, late)


def test_a_single_decision_is_in_force_from_its_effective_date_on():
    d = dec(1, "A", "transfer", date(2019, 7, 1), decided=date(2019, 6, 1))
    assert in_force_by_case([d]) == [InForce(d, date(2019, 7, 1), None)]
    assert in_force_by_case([]) == []


def test_a_later_decision_ends_the_earlier_one_on_its_effective_date():
    first = dec(1, "A", "transfer", date(2019, 7, 1), decided=date(2019, 6, 1))
    second = dec(2, "A", "transfer", date(2019, 10, 1), decided=date(2019, 9, 1))
    other = dec(3, "B", "transfer", date(2019, 8, 1), decided=date(2019, 7, 15))  # another case: no effect
    assert in_force_by_case([second, other, first]) == [
        InForce(first, date(2019, 7, 1), date(2019, 10, 1)), InForce(second, date(2019, 10, 1), None),
        InForce(other, date(2019, 8, 1), None)]


def test_a_same_day_correction_replaces_the_decision_and_both_stay_on_record():
    # same decision date: load order (id) says which is later; same effective date: the first is never in force
    first = dec(1, "A", "transfer", date(2019, 7, 1), decided=date(2019, 6, 20))
    correction = dec(2, "A", "transfer", date(2019, 7, 1), decided=date(2019, 6, 20))
    assert in_force_by_case([correction, first]) == [InForce(correction, date(2019, 7, 1), None)]


def test_order_within_a_case_is_by_decision_date_then_load_order_not_by_effective_date():
    # decided later but loaded first (smaller id): the decision date counts
    later = dec(1, "A", "transfer", date(2019, 9, 1), decided=date(2019, 8, 1))
    earlier = dec(2, "A", "transfer", date(2019, 7, 1), decided=date(2019, 6, 1))
    assert in_force_by_case([later, earlier]) == [InForce(earlier, date(2019, 7, 1), date(2019, 9, 1)),
                                                  InForce(later, date(2019, 9, 1), None)]


def test_a_later_decision_with_an_earlier_effective_date_leaves_the_earlier_one_no_period():
    first = dec(1, "A", "transfer", date(2019, 9, 1), decided=date(2019, 6, 1))
    second = dec(2, "A", "transfer", date(2019, 7, 1), decided=date(2019, 6, 15))
    assert in_force_by_case([first, second]) == [InForce(second, date(2019, 7, 1), None)]


def test_a_decision_ends_at_the_earliest_effective_date_of_all_later_ones_of_its_case():
    first = dec(1, "A", "transfer", date(2019, 1, 1), decided=date(2018, 12, 1))
    second = dec(2, "A", "transfer", date(2019, 3, 1), decided=date(2019, 1, 10))
    third = dec(3, "A", "transfer", date(2019, 2, 1), decided=date(2019, 1, 20))
    # the first ends 1 February (the third), not 1 March; the second is superseded before it took effect
    assert in_force_by_case([first, second, third]) == [InForce(first, date(2019, 1, 1), date(2019, 2, 1)),
                                                        InForce(third, date(2019, 2, 1), None)]


def test_a_decision_superseded_one_day_after_it_took_effect_keeps_that_day():
    first = dec(1, "A", "transfer", date(2019, 7, 1), decided=date(2019, 6, 1))
    second = dec(2, "A", "transfer", date(2019, 7, 2), decided=date(2019, 6, 2))
    assert in_force_by_case([first, second])[0] == InForce(first, date(2019, 7, 1), date(2019, 7, 2))


def test_cases_work_on_anything_with_the_four_attributes_and_kinds_in_ends_only_only_end():
    Change = namedtuple("Change", "case_ref decided id effective")  # a master-data change has no kind
    a, b = Change("M1", date(2019, 6, 1), 1, date(2019, 7, 1)), Change("M1", date(2019, 6, 2), 2, date(2019, 8, 1))
    assert in_force_by_case([a, b], ends_only=("resume",)) == [InForce(a, date(2019, 7, 1), date(2019, 8, 1)),
                                                               InForce(b, date(2019, 8, 1), None)]


# --- rules/decisions.py: periods ----------------------------------------------------------------------------------


def test_resume_ends_a_stop_and_is_itself_never_in_force():
    stop = dec(1, "S1", "stop", date(2019, 7, 1), support=SOCIAL, percent=D(100))
    resume = dec(2, "S1", "resume", date(2019, 9, 1), decided=date(2019, 8, 20), support=SOCIAL)
    assert in_force([stop, resume]) == [InForce(stop, date(2019, 7, 1), date(2019, 9, 1))]
    assert in_force_by_case([stop, resume])[-1] == InForce(resume, date(2019, 9, 1), None)  # not so without ends_only


def test_a_stop_after_a_resume_of_the_same_case_stops_again():
    periods = in_force([dec(1, "S1", "stop", date(2019, 7, 1), support=RENT, percent=D(100)),
                        dec(2, "S1", "resume", date(2019, 9, 1), decided=date(2019, 8, 1), support=RENT),
                        dec(3, "S1", "stop", date(2019, 11, 1), decided=date(2019, 10, 1), support=RENT,
                            percent=D(100))])
    assert [(p.start, p.end) for p in periods] == [(date(2019, 7, 1), date(2019, 9, 1)), (date(2019, 11, 1), None)]
    assert [share_paid(periods, RENT, day) for day in (date(2019, 6, 30), date(2019, 7, 1), date(2019, 8, 31),
                                                       date(2019, 9, 1), date(2019, 10, 31), date(2019, 11, 1))] == [
        1, 0, 0, 1, 1, 0]


def test_latest_of_takes_the_one_in_force_on_the_day_with_the_latest_effective_date():
    a = dec(1, "T1", "transfer", date(2019, 7, 1), organisation_cvr="11111111")
    b = dec(2, "T2", "transfer", date(2019, 9, 1), organisation_cvr="22222222")
    periods = in_force([a, b])
    assert latest_of(periods, "transfer", date(2019, 6, 30)) is None
    assert latest_of(periods, "transfer", date(2019, 7, 1)) == a
    assert latest_of(periods, "transfer", date(2019, 8, 31)) == a
    assert latest_of(periods, "transfer", date(2019, 9, 1)) == b
    assert latest_of(periods, "transfer") == b  # no day: the ones still in force at the end
    assert latest_of(periods, "reduction") is None
    assert latest_of(periods, "transfer", organisation_cvr="11111111") == a  # matching fields


def test_latest_of_without_a_day_ignores_what_was_superseded_and_ties_go_to_the_later_decision():
    old = dec(1, "L1", "lapse", date(2019, 7, 1), action="waive")
    ended = dec(2, "L1", "lapse", date(2019, 9, 1), decided=date(2019, 8, 1), action="limit", support=RENT)
    assert latest_of(in_force([old, ended]), "lapse") == ended
    assert latest_of(in_force([old, ended]), "lapse", date(2019, 8, 31)) == old
    # two cases with the same effective date: the later decision date, then the later load
    x = dec(3, "X", "lapse", date(2019, 7, 1), decided=date(2019, 6, 2), action="waive")
    y = dec(4, "Y", "lapse", date(2019, 7, 1), decided=date(2019, 6, 1), action="waive")
    z = dec(5, "Z", "lapse", date(2019, 7, 1), decided=date(2019, 6, 2), action="waive")
    assert latest_of(in_force([x, y]), "lapse") == x
    assert latest_of(in_force([z, x, y]), "lapse") == z


def test_latest_of_without_a_day_is_none_once_a_resume_ended_the_stop():
    stop = dec(1, "S1", "stop", date(2019, 7, 1), support=SOCIAL, percent=D(100))
    periods = in_force([stop, dec(2, "S1", "resume", date(2019, 9, 1), decided=date(2019, 8, 1), support=SOCIAL)])
    assert latest_of(periods, "stop") is None
    assert latest_of(periods, "stop", date(2019, 8, 31)) == stop
    assert latest_of(periods, "stop", date(2019, 9, 1)) is None


def test_organisation_on_is_the_transfer_in_force_else_the_registered_one():
    periods = in_force([dec(1, "T1", "transfer", date(2019, 7, 1), organisation_cvr="87654321")])
    assert organisation_on("12345678", periods, date(2019, 6, 30)) == "12345678"
    assert organisation_on("12345678", periods, date(2019, 7, 1)) == "87654321"
    assert organisation_on("12345678", [], date(2019, 7, 1)) == "12345678"


# --- shares and amounts ---------------------------------------------------------------------------------------


def test_share_paid_is_one_minus_the_percent_from_the_effective_day_for_that_support_only():
    periods = in_force([cut("25", date(2019, 7, 1))])
    assert share_paid(periods, SOCIAL, date(2019, 6, 30)) == 1
    assert share_paid(periods, SOCIAL, date(2019, 7, 1)) == D("0.75")
    assert share_paid(periods, RENT, date(2019, 7, 1)) == 1
    assert share_paid([], SOCIAL, date(2019, 7, 1)) == 1


def test_two_cases_on_the_same_grant_multiply():
    periods = in_force([cut("25", date(2019, 7, 1), case="R1", id=1), cut("50", date(2019, 8, 1), case="R2", id=2),
                        cut("10", date(2019, 8, 1), case="R3", id=3, support=RENT)])
    assert share_paid(periods, SOCIAL, date(2019, 7, 31)) == D("0.75")
    assert share_paid(periods, SOCIAL, date(2019, 8, 1)) == D("0.375")  # 0.75 x 0.5, not 1 - 0.25 - 0.5
    assert share_paid(periods, RENT, date(2019, 8, 1)) == D("0.9")


def test_a_same_day_correction_of_a_reduction_replaces_it_rather_than_multiplying():
    periods = in_force([cut("25", date(2019, 7, 1), id=1), cut("40", date(2019, 7, 1), id=2)])
    assert share_paid(periods, SOCIAL, date(2019, 7, 1)) == D("0.60")


def test_a_stop_pays_nothing_and_a_share_is_never_below_zero():
    assert share_paid(in_force([cut("100", date(2019, 7, 1), kind="stop")]), SOCIAL, date(2019, 7, 1)) == 0
    # more than 100 % is refused on intake; the rule still pays nothing rather than a negative share
    assert share_paid(in_force([cut("150", date(2019, 7, 1))]), SOCIAL, date(2019, 7, 1)) == 0
    assert share_paid(in_force([cut("150", date(2019, 7, 1))]), SOCIAL, date(2019, 6, 30)) == 1


def test_a_reduction_by_an_amount_takes_no_share_and_is_summed_per_day():
    by_amount = dec(1, "A1", "reduction", date(2019, 7, 1), support=SOCIAL, amount=D("10000.00"))
    more = dec(2, "A2", "reduction", date(2019, 8, 1), support=SOCIAL, amount=D("2500.50"))
    by_percent = cut("50", date(2019, 7, 1), case="P1", id=3)
    stop = dec(4, "S1", "stop", date(2019, 7, 1), support=SOCIAL, percent=D(100), amount=D("99.00"))
    periods = in_force([by_amount, more, by_percent, stop])
    assert share_paid(in_force([by_amount]), SOCIAL, date(2019, 7, 1)) == 1
    assert annual_reduction(periods, date(2019, 6, 30)) == D("0.00")
    assert annual_reduction(periods, date(2019, 7, 1)) == D("10000.00")
    assert annual_reduction(periods, date(2019, 8, 1)) == D("12500.50")
    other = dec(5, "A3", "reduction", date(2019, 7, 1), support=RENT, amount=D("1.00"))
    assert annual_reduction(in_force([other]), date(2019, 7, 1)) == D("0.00")


def test_segments_cut_where_a_decision_starts_or_ends_within_the_days():
    first, last = Q3_2018.start, Q3_2018.end
    assert segments([], first, last) == [(first, 92)]
    # a reduction from 15 August resumed 1 September: 45 + 17 + 30 days
    periods = in_force([cut("25", date(2018, 8, 15), case="S1", id=1, kind="stop"),
                        dec(2, "S1", "resume", date(2018, 9, 1), decided=date(2018, 8, 20), support=SOCIAL)])
    assert segments(periods, first, last) == [(first, 45), (date(2018, 8, 15), 17), (date(2018, 9, 1), 30)]


def test_segments_boundaries_a_start_on_the_first_day_does_not_cut_one_on_the_last_day_does():
    first, last = Q3_2018.start, Q3_2018.end
    assert segments(in_force([cut("25", first)]), first, last) == [(first, 92)]
    assert segments(in_force([cut("25", last)]), first, last) == [(first, 91), (last, 1)]
    assert segments(in_force([cut("25", date(2018, 10, 1))]), first, last) == [(first, 92)]  # the day after: none
    assert segments(in_force([cut("25", date(2018, 1, 1))]), first, last) == [(first, 92)]  # before: none


def test_scaled_weights_the_share_by_days_and_rounds_once():
    first, last = Q3_2018.start, Q3_2018.end
    # 25 % off from 15 August: (45 + 0.75 x 47) / 92 = 80.25 / 92 of 1,000.00 = 872.2826.. -> 872.28
    periods = in_force([cut("25", date(2018, 8, 15), support=RENT)])
    assert scaled(D("1000.00"), periods, RENT, first, last) == D("872.28")
    assert scaled(D("1000.00"), periods, SOCIAL, first, last) == D("1000.00")  # another support: unchanged
    assert scaled(D("1000.00"), in_force([cut("100", first, kind="stop", support=RENT)]), RENT, first, last) == \
        D("0.00")


def test_scaled_returns_the_amount_as_it_is_when_no_decision_touches_the_days():
    assert scaled(D("1000.005"), [], RENT, date(2018, 7, 1), date(2018, 9, 30)) == D("1000.005")


def test_scaled_rounds_an_exact_half_ore_up():
    # two days, the second at half: 100.06 x 1.5 / 2 = 75.045 exactly -> 75.05 (half up; half even would be 75.04)
    periods = in_force([cut("50", date(2018, 7, 2), support=RENT)])
    assert scaled(D("100.06"), periods, RENT, date(2018, 7, 1), date(2018, 7, 2)) == D("75.05")
    # 0.02 x 0.75 = 0.015 -> 0.02; 0.06 x 0.75 = 0.045 -> 0.05
    assert scaled(D("0.06"), periods, RENT, date(2018, 7, 1), date(2018, 7, 2)) == D("0.05")


# --- lapse, repayment, grant changes --------------------------------------------------------------------------


def test_lapse_applies_unless_waived_or_limited_to_another_support():
    assert lapse_applies([], SOCIAL) is True
    waived = in_force([dec(1, "L1", "lapse", date(2019, 7, 1), action="waive")])
    assert lapse_applies(waived, SOCIAL) is False and lapse_applies(waived, RENT) is False
    limited = in_force([dec(1, "L1", "lapse", date(2019, 7, 1), action="limit", support=CONVERSION)])
    assert lapse_applies(limited, CONVERSION) is True
    assert lapse_applies(limited, SOCIAL) is False
    # a later decision of the case replaces the waiver
    replaced = in_force([dec(1, "L1", "lapse", date(2019, 7, 1), action="waive"),
                         dec(2, "L1", "lapse", date(2019, 8, 1), decided=date(2019, 7, 20), action="limit",
                             support=SOCIAL)])
    assert lapse_applies(replaced, SOCIAL) is True and lapse_applies(replaced, RENT) is False


def test_repayment_treatment_is_the_decision_for_that_year_else_the_setting():
    assert repayment_treatment([], 2018, True) == ("offset", None)
    assert repayment_treatment([], 2018, False) == ("collect", None)
    periods = in_force([dec(1, "P1", "repayment", date(2019, 7, 1), year=2018, action="offset-part",
                            amount=D("1000.00")),
                        dec(2, "P2", "repayment", date(2019, 7, 1), year=2017, action="collect")])
    assert repayment_treatment(periods, 2018, False) == ("offset-part", D("1000.00"))
    assert repayment_treatment(periods, 2017, True) == ("collect", None)
    assert repayment_treatment(periods, 2016, True) == ("offset", None)


def test_offset_part_sets_off_at_most_the_repayment():
    repayment = D("32608.70")
    assert offset_part(("offset", None), repayment) == repayment
    assert offset_part(("collect", None), repayment) == D("0.00")
    assert offset_part(("offset-part", D("10000.00")), repayment) == D("10000.00")
    assert offset_part(("offset-part", D("50000.00")), repayment) == repayment
    assert offset_part(("offset-part", D("32608.70")), repayment) == repayment
    assert offset_part(("offset-part", None), repayment) == D("0.00")


def test_changed_is_the_latest_grant_change_naming_the_field_else_the_register():
    annual = dec(1, "C1", "grant-change", date(2018, 8, 15), social_support_annual=D("320000.00"))
    duration = dec(2, "C2", "grant-change", date(2018, 9, 1), duration_years=12)
    periods = in_force([annual, duration])
    assert changed(periods, "social_support_annual", D("400000.00"), date(2018, 8, 14)) == D("400000.00")
    assert changed(periods, "social_support_annual", D("400000.00"), date(2018, 8, 15)) == D("320000.00")
    # the later grant change does not name the annual amount: it leaves it as the earlier one set it
    assert changed(periods, "social_support_annual", D("400000.00"), date(2018, 9, 1)) == D("320000.00")
    assert changed(periods, "duration_years", 15) == 12  # without a day: as it stands at the end
    assert changed(periods, "duration_years", 15, date(2018, 8, 31)) == 15
    assert changed([], "conversion_amount", D("300000.00")) == D("300000.00")
    later = dec(3, "C3", "grant-change", date(2018, 10, 1), social_support_annual=D("350000.00"))
    assert changed(in_force([annual, duration, later]), "social_support_annual", D("400000.00")) == D("350000.00")


def test_a_later_grant_change_of_the_same_case_replaces_the_earlier_wholly():
    # C1 first sets the annual amount, then (same case, later) only the conversion amount from 1 September:
    # from then the annual amount is the register's again
    periods = in_force([dec(1, "C1", "grant-change", date(2018, 8, 15), social_support_annual=D("320000.00")),
                        dec(2, "C1", "grant-change", date(2018, 9, 1), decided=date(2018, 8, 20),
                            conversion_amount=D("250000.00"))])
    assert changed(periods, "social_support_annual", D("400000.00"), date(2018, 8, 31)) == D("320000.00")
    assert changed(periods, "social_support_annual", D("400000.00"), date(2018, 9, 1)) == D("400000.00")
    assert changed(periods, "conversion_amount", D("300000.00"), date(2018, 8, 31)) == D("300000.00")
    assert changed(periods, "conversion_amount", D("300000.00")) == D("250000.00")
    assert changed(periods, "social_support_annual", D("400000.00")) == D("400000.00")  # without a day: at the end


# --- social support with decisions ----------------------------------------------------------------------------


def facts(decisions=(), accounts=(), annual="400000.00"):
    decisions = list(decisions)
    return SocialSupportFacts(D(annual), 2017, 15, list(HIRED), lambda as_of: None, list(accounts),
                              decisions_as_of=lambda as_of: in_force(known(decisions, as_of)))


AS_OF = date(2018, 12, 28)


def test_without_decisions_q3_2018_is_a_full_quarter():
    assert quarter_entitlement(facts(), Q3_2018, AS_OF, WAGE) == D("102500.00")


def test_a_reduction_effective_mid_quarter_is_weighted_by_days():
    # 45 days (1 July - 14 August) at 102,500.00, 47 days at 75 %: (4,612,500 + 3,613,125) / 92 = 89,408.967.. -> 89,408.97
    f = facts([cut("25", date(2018, 8, 15))])
    assert quarter_entitlement(f, Q3_2018, AS_OF, WAGE) == D("89408.97")
    assert quarter_entitlement(f, Quarter(2018, 4), AS_OF, WAGE) == D("76875.00")
    assert quarter_entitlement(f, Quarter(2018, 2), AS_OF, WAGE) == D("102500.00")


def test_a_reduction_of_another_support_leaves_social_support_alone():
    f = facts([cut("25", date(2018, 8, 15), support=RENT), cut("25", date(2018, 8, 15), support=CONVERSION, id=2,
                                                                    case="R2")])
    assert quarter_entitlement(f, Q3_2018, AS_OF, WAGE) == D("102500.00")


def test_a_decision_is_not_applied_before_it_was_received():
    f = facts([cut("25", date(2018, 8, 15), decided=date(2018, 10, 10), received=date(2018, 10, 15))])
    assert quarter_entitlement(f, Q3_2018, date(2018, 10, 14), WAGE) == D("102500.00")
    assert quarter_entitlement(f, Q3_2018, date(2018, 10, 15), WAGE) == D("89408.97")


def test_a_stop_resumed_within_the_quarter_pays_the_days_outside_it():
    # stopped 15 August, resumed 1 September: 45 + 30 of 92 days of 102,500.00 = 83,559.78
    f = facts([dec(1, "S1", "stop", date(2018, 8, 15), support=SOCIAL, percent=D(100)),
               dec(2, "S1", "resume", date(2018, 9, 1), decided=date(2018, 8, 20), support=SOCIAL)])
    assert quarter_entitlement(f, Q3_2018, AS_OF, WAGE) == D("83559.78")
    assert quarter_entitlement(f, Quarter(2018, 4), AS_OF, WAGE) == D("102500.00")


def test_two_reductions_of_the_whole_quarter_multiply():
    f = facts([cut("50", Q3_2018.start, case="R1", id=1), cut("50", Q3_2018.start, case="R2", id=2)])
    assert quarter_entitlement(f, Q3_2018, AS_OF, WAGE) == D("25625.00")


def test_an_annual_change_mid_quarter_and_a_reduction_by_an_amount_give_the_same_day_weighting():
    # from 15 August 320,000.00 a year (or 400,000.00 less 80,000.00) x 1.025 = 328,000.00: 82,000.00 a quarter;
    # (102,500.00 x 45 + 82,000.00 x 47) / 92 = 8,466,500 / 92 = 92,027.1739.. -> 92,027.17
    change = facts([dec(1, "C1", "grant-change", date(2018, 8, 15), social_support_annual=D("320000.00"))])
    by_amount = facts([dec(1, "A1", "reduction", date(2018, 8, 15), support=SOCIAL, amount=D("80000.00"))])
    assert quarter_entitlement(change, Q3_2018, AS_OF, WAGE) == D("92027.17")
    assert quarter_entitlement(by_amount, Q3_2018, AS_OF, WAGE) == D("92027.17")
    assert quarter_entitlement(change, Quarter(2018, 4), AS_OF, WAGE) == D("82000.00")


def test_a_reduction_by_more_than_the_annual_amount_pays_nothing_not_a_negative_amount():
    f = facts([dec(1, "A1", "reduction", Q3_2018.start, support=SOCIAL, amount=D("500000.00"))])
    assert quarter_entitlement(f, Q3_2018, AS_OF, WAGE) == D("0.00")


def test_a_changed_price_year_changes_the_indexation_from_its_effective_date():
    # price year 2018 from 1 July 2018: 400,000.00 x 102.5 / 102.5 = 100,000.00 a quarter
    f = facts([dec(1, "C1", "grant-change", Q3_2018.start, social_support_price_year=2018)])
    assert quarter_entitlement(f, Q3_2018, AS_OF, WAGE) == D("100000.00")
    assert quarter_entitlement(f, Quarter(2018, 2), AS_OF, WAGE) == D("102500.00")


def test_a_shorter_duration_ends_the_window_early():
    # 1 year from 1 September 2017: the window ends 31 August 2018, 62 of Q3's 92 days = 69,076.09
    f = facts([dec(1, "C1", "grant-change", date(2018, 1, 1), duration_years=1)])
    assert quarter_entitlement(f, Q3_2018, AS_OF, WAGE) == D("69076.09")


def test_a_retroactive_reduction_is_trued_up_at_the_next_term():
    f = facts([cut("25", date(2018, 8, 15), decided=date(2018, 10, 10), received=date(2018, 10, 15))])
    terms = [Term(date(2018, 9, 28), Q3_2018), Term(date(2018, 12, 28), Quarter(2018, 4))]
    schedule = social_support_schedule(f, terms, WAGE)
    assert schedule[0].quarters == {"quarter 2018Q3": D("102500.00")}
    # 89,408.97 - 102,500.00 = -13,091.03 back for Q3; Q4 at 75 %
    assert schedule[1].quarters == {"quarter 2018Q3": D("-13091.03"), "quarter 2018Q4": D("76875.00")}


TERMS = [Term(date(2017, 9, 29), Quarter(2017, 3)), Term(date(2017, 12, 29), Quarter(2017, 4)),
         Term(date(2018, 3, 28), Quarter(2018, 1)), Term(date(2018, 6, 29), Quarter(2018, 2))]
# 2017 paid 32,608.70 + 100,000.00 = 132,608.70; the accounts received 1 March 2018 show 100,000.00 spent
ACCOUNTS = [AccountsReport(date(2018, 3, 1), 2017, D("100000.00"))]


def repayment(treatment, received, offset=None, year=2017):
    return dec(1, "P1", "repayment", received, year=year, action=treatment, amount=offset and D(offset))


def test_repayment_collected_by_decision_instead_of_offset():
    schedule = social_support_schedule(facts([repayment("collect", date(2018, 3, 1))], ACCOUNTS), TERMS, WAGE)
    assert schedule[2].repayment_claims == {2017: D("32608.70")} and schedule[2].repayment_offsets == {}
    assert schedule[3].repayment_claims == {} and schedule[3].repayment_offsets == {}


def test_repayment_offset_in_part_and_the_rest_collected():
    schedule = social_support_schedule(facts([repayment("offset-part", date(2018, 3, 1), "10000.00")], ACCOUNTS),
                                       TERMS, WAGE, offset_repayments=False)
    assert schedule[2].repayment_offsets == {"repayment offset": D("-10000.00")}
    assert schedule[2].repayment_claims == {2017: D("22608.70")}  # 32,608.70 - 10,000.00
    assert schedule[3].repayment_offsets == {} and schedule[3].repayment_claims == {}


def test_repayment_offset_part_larger_than_the_repayment_offsets_it_all():
    schedule = social_support_schedule(facts([repayment("offset-part", date(2018, 3, 1), "50000.00")], ACCOUNTS),
                                       TERMS, WAGE)
    assert schedule[2].repayment_offsets == {"repayment offset": D("-32608.70")}
    assert schedule[2].repayment_claims == {}


def test_a_decision_for_another_year_leaves_the_setting():
    schedule = social_support_schedule(facts([repayment("collect", date(2018, 3, 1), year=2018)], ACCOUNTS),
                                       TERMS, WAGE)
    assert schedule[2].repayment_offsets == {"repayment offset": D("-32608.70")}
    assert schedule[2].repayment_claims == {}


def test_switching_to_collect_after_the_offset_pays_the_offset_back_and_claims():
    # the Q1 2018 term offset 32,608.70 (the setting); a decision received 1 May says collect: the Q2 term pays
    # the offset back as a positive "repayment offset" and claims the repayment instead
    schedule = social_support_schedule(facts([repayment("collect", date(2018, 5, 1))], ACCOUNTS), TERMS, WAGE)
    assert schedule[2].repayment_offsets == {"repayment offset": D("-32608.70")} and schedule[2].repayment_claims == {}
    assert schedule[3].repayment_offsets == {"repayment offset": D("32608.70")}
    assert schedule[3].repayment_claims == {2017: D("32608.70")}
    assert schedule[3].quarters == {"quarter 2018Q2": D("102500.00")}


# --- refunds: accepted late claims and reserves set by decision ------------------------------------------------


def test_an_accepted_late_claim_shares_what_the_timely_claims_left_pro_rata():
    timely = {2018: {"751": D("30000.00"), "101": D("300000.00")}}
    late = {2018: {"169": D("150000.00"), "999": D("60000.00")}}
    (year,) = cohort_refunds(D("500000.00"), timely, late)
    assert year.refunds == timely[2018]  # 330,000.00 fits: paid in full, 170,000.00 left
    # 150,000 x 170,000 / 210,000 = 121,428.5714.. and 60,000 x 170,000 / 210,000 = 48,571.4285..: floors
    # 169,999.99, the øre goes to the larger remainder (.0085 for 999)
    assert year.late == {"169": D("121428.57"), "999": D("48571.43")}
    assert sum(year.late.values()) == D("170000.00")
    assert year.remaining == D("0.00")
    assert (year.available, year.claimed) == (D("500000.00"), D("540000.00"))


def test_late_claims_that_fit_are_paid_in_full_and_draw_on_the_next_years():
    years = cohort_refunds(D("500000.00"), {2018: {"751": D("100000.00")}, 2019: {"751": D("400000.00")}},
                           {2018: {"169": D("50000.00")}})
    assert years[0].late == {"169": D("50000.00")} and years[0].remaining == D("350000.00")
    # 2019 has what 2018's timely and late claims left: 350,000.00 of 400,000.00 claimed
    assert years[1].available == D("350000.00") and years[1].refunds == {"751": D("350000.00")}
    assert years[1].late == {}


def test_a_late_claim_gets_nothing_when_the_timely_ones_used_the_reserve():
    (year,) = cohort_refunds(D("500000.00"), {2018: {"751": D("600000.00")}}, {2018: {"169": D("1.00")}})
    assert year.refunds == {"751": D("500000.00")} and year.late == {"169": D("0.00")}


def test_a_year_with_only_an_accepted_late_claim_is_walked():
    years = cohort_refunds(D("500000.00"), {2018: {"751": D("100000.00")}}, {2019: {"169": D("20000.00")}})
    assert [y.year for y in years] == [2018, 2019]
    assert years[1].refunds == {} and years[1].late == {"169": D("20000.00")}
    assert years[1].available == D("400000.00") and years[1].remaining == D("380000.00")


def test_a_reserve_set_by_decision_applies_to_its_year_less_what_earlier_years_drew():
    claims = {2018: {"751": D("300000.00")}, 2019: {"751": D("150000.00"), "101": D("50000.00")}}
    years = cohort_refunds(D("500000.00"), claims, reserve_by_year={2019: D("400000.00")})
    assert years[0].available == D("500000.00")
    # 400,000.00 - 300,000.00 = 100,000.00 for 200,000.00 claimed: 150 : 50
    assert years[1].available == D("100000.00")
    assert years[1].refunds == {"751": D("75000.00"), "101": D("25000.00")}
    assert sum(years[1].refunds.values()) == years[1].available


def test_a_reserve_below_what_was_already_drawn_leaves_nothing_never_a_negative_amount():
    claims = {2018: {"751": D("300000.00")}, 2019: {"751": D("10000.00")}}
    years = cohort_refunds(D("500000.00"), claims, {2019: {"169": D("5000.00")}}, {2019: D("250000.00")})
    assert years[1].available == D("0.00")
    assert years[1].refunds == {"751": D("0.00")} and years[1].late == {"169": D("0.00")}
    assert years[1].remaining == D("0.00")


def test_a_reserve_set_for_the_first_year_replaces_the_configured_one():
    years = cohort_refunds(D("500000.00"), {2018: {"751": D("30000.00"), "101": D("60000.00"), "169": D("10000.00")}},
                           reserve_by_year={2018: D("50000.00")})
    # 50,000 / 100,000: exactly half of each
    assert years[0].refunds == {"751": D("15000.00"), "101": D("30000.00"), "169": D("5000.00")}


@pytest.mark.parametrize("available, expected", [
    # 3 equal late claims of 100.00 sharing 100.00: 33.333.. each; the last øre to the first by key
    (D("100.00"), {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}),
    (D("0.02"), {"a": D("0.01"), "b": D("0.01"), "c": D("0.00")}),
])
def test_late_claims_split_by_largest_remainder_sum_exactly_to_what_remains(available, expected):
    (year,) = cohort_refunds(D("500000.00"), {2018: {"751": D("500000.00") - available}},
                             {2018: {"a": D("100.00"), "b": D("100.00"), "c": D("100.00")}})
    assert year.late == expected
    assert sum(year.late.values()) == available
