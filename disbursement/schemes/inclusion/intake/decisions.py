"""The paying authority's decisions (docs/intake.md "Decisions"): checked against the register and the earlier
decisions of their case, then kept as received, all or nothing. What they do is in rules/decisions.py."""
from datetime import date
from decimal import Decimal

from lxml import etree
from sqlmodel import Session, select

from ....config import Config
from ....indexation import MissingIndexValue
from ....intake.errors import Problem
from ....intake.xml import children, date_attribute, local
from ....ledger.journals import load_recipients
from ....money import parse_money
from ....store.bulk import insert_rows
from ....store.tables import Municipality, Organisation, Payment, RecipientChange
from ..jobs.refunds import claims_due
from ..rules.grant_limits import grant_limit_violations
from ..rules.rent_subsidy import DwellingGroup
from ..settings import settings_of
from ..tables import Decision, Department, Dwelling, Grant, LossClaim
from .register import check_iban

SUPPORTS = {"rent_subsidy", "social_support", "conversion_grant"}
FAMILY = {"stop": "reduction", "resume": "reduction"}  # kinds one case may hold together


def _money(el, name):
    return parse_money(el.get(name)) if el.get(name) else None


def _subject(kind: str, grant=None, support=None, municipality=None, year=None, cohort=None) -> tuple[str, str]:
    """What a case is about, as (kind family, subject): every decision of a case must concern the same."""
    family = FAMILY.get(kind, kind)
    if kind == "late-claim":
        return family, f"municipality {municipality} {year}"
    if kind == "cohort-reserve":
        return family, f"cohort {cohort}"
    if kind == "repayment":
        return family, f"grant {grant} {year}"
    return family, f"grant {grant}" + (f" {support}" if family == "reduction" else "")


def _subject_of(kind: str, el) -> tuple[str, str]:
    if kind == "master-data":
        return kind, f"{el.get('party')} {el.get('id')}"
    return _subject(kind, el.get("grant"), el.get("support"), el.get("municipality"), el.get("year"), el.get("cohort"))


def _earlier_cases(session: Session) -> dict[str, tuple[str, str]]:
    """Case -> (kind family, subject) of every decision already loaded."""
    cases = {}
    for case, kind, grant, support, municipality, year, cohort in session.exec(
            select(Decision.case_ref, Decision.kind, Decision.grant_id, Decision.support, Decision.municipality_code,
                   Decision.year, Decision.cohort)):
        cases[case] = _subject(kind, grant, support, municipality, year, cohort)
    for case, party, party_id in session.exec(
            select(RecipientChange.case_ref, RecipientChange.party, RecipientChange.party_id)):
        cases[case] = ("master-data", f"{party} {party_id}")
    return cases


def stage_decisions(session: Session, name: str, root: etree._Element, file_id: int, config: Config,
                    today: date) -> list[Problem]:
    problems: list[Problem] = []

    def problem(node, field, message):
        problems.append(Problem(name, node.sourceline, field, message))

    received = date_attribute(root, "received")
    if received > today:
        problem(root, "received", f"received date {received} is in the future (today is {today})")
    cases = _earlier_cases(session)
    decisions: list[tuple[Decision, etree._Element]] = []
    changes: list[RecipientChange] = []
    for el in root:
        if not isinstance(el.tag, str):
            continue  # comments and processing instructions
        kind = local(el)
        case, decided, effective = el.get("case"), date_attribute(el, "decided"), date_attribute(el, "effective")
        if decided > received:
            problem(el, "decided", f"case {case}: decided {decided}, after the document was received ({received})")
        family, subject = cases.setdefault(case, _subject_of(kind, el))
        if (family, subject) != _subject_of(kind, el):
            problem(el, "case", f"case {case} is about {family} of {subject}; a decision of the same case must be too")
        if kind == "master-data":
            change = _master_data(session, el, config, problem)
            if change is not None:
                changes.append(RecipientChange(case_ref=case, decided=decided, effective=effective,
                                               received=received, file_id=file_id, **change))
            continue
        decision = Decision(case_ref=case, kind=kind, decided=decided, effective=effective, received=received,
                            file_id=file_id)
        if el.get("grant") is not None:
            grant = session.get(Grant, el.get("grant"))
            if grant is None:
                problem(el, "grant", f"case {case}: unknown grant {el.get('grant')}")
                continue
            if effective < grant.grant_date:
                problem(el, "effective", f"case {case}: effective {effective} is before grant {grant.id}'s grant "
                        f"date {grant.grant_date}")
            decision.grant_id = grant.id
        CHECKS[kind](session, el, decision, config, problem)
        if kind == "resume" and not _resumes(session, case, decisions):
            problem(el, "case", f"case {case}: no reduction or stop of this case to resume")
        decisions.append((decision, el))
    if problems:
        return problems
    session.add_all(changes)
    for decision, el in decisions:
        session.add(decision)
        session.flush()
        if decision.kind == "grant-change":
            _add_dwellings(session, el, decision)
    return problems


def _master_data(session, el, config, problem) -> dict | None:
    party, party_id = el.get("party"), el.get("id")
    known = {"organisation": lambda: session.get(Organisation, party_id) is not None,
             "municipality": lambda: session.get(Municipality, party_id) is not None,
             "landlord": lambda: (r := load_recipients(session, config).get(party_id)) is not None and r.kind == "landlord"}
    if not known[party]():
        problem(el, "id", f"case {el.get('case')}: unknown {party} {party_id}")
        return None
    if not any(el.get(field) for field in ("name", "address", "iban")):
        problem(el, "name", f"case {el.get('case')}: a master-data decision changes a name, an address or an iban")
    check_iban(el, el.get("iban"), problem)
    effective = date_attribute(el, "effective")
    ids = {party_id}
    if party == "municipality":
        ids.add(session.get(Municipality, party_id).cvr or party_id)
    paid = session.exec(select(Payment.value_date).where(Payment.recipient_cvr.in_(ids), Payment.value_date >= effective)
                        .order_by(Payment.value_date.desc())).first()
    if paid is not None:  # its payment file is written: it must stay as it was
        problem(el, "effective", f"case {el.get('case')}: {party} {party_id} already has a payment booked with value "
                f"date {paid}, on or after {effective}; master data changes only from a day after the last payment "
                "booked to it")
    return dict(party=party, party_id=party_id, name=el.get("name"), address=el.get("address"), iban=el.get("iban"))


def _transfer(session, el, decision, config, problem) -> None:
    cvr = el.get("organisation")
    if session.get(Organisation, cvr) is None:
        problem(el, "organisation", f"case {decision.case_ref}: organisation {cvr} is not registered; a grant is "
                "transferred to a registered housing organisation (V 2.4, § 5)")
    decision.organisation_cvr = cvr


def _grant_change(session, el, decision, config, problem) -> None:
    grant = session.get(Grant, decision.grant_id)
    limits = settings_of(config).limits
    decision.duration_years = int(el.get("duration-years")) if el.get("duration-years") else None
    decision.support_hours_per_week = Decimal(el.get("support-hours-per-week")) if el.get("support-hours-per-week") else None
    decision.social_support_annual = _money(el, "social-support-annual")
    decision.social_support_price_year = int(el.get("social-support-price-year")) if el.get("social-support-price-year") else None
    decision.conversion_amount = _money(el, "conversion-amount")
    if decision.duration_years is not None and decision.duration_years > limits.max_years:
        problem(el, "duration-years", f"case {decision.case_ref}: {decision.duration_years} years would extend grant "
                f"{grant.id}'s window past {limits.max_years} years from its project start (V 2.6: a mertilsagn "
                "never extends it)")
    departments = {d.number: d for d in session.exec(select(Department).where(Department.grant_id == grant.id))}
    existing = list(session.exec(select(Dwelling).where(Dwelling.grant_id == grant.id)))
    refs = {d.ref for d in existing}
    groups = [DwellingGroup(d.ref, d.count, d.area_m2, d.subsidy_per_m2, d.price_year) for d in existing]
    for dep_el in children(el, "department"):
        number = dep_el.get("number")
        if number not in departments and not (dep_el.get("name") and dep_el.get("loan-type")):
            problem(dep_el, "name", f"case {decision.case_ref}: new department {number} of grant {grant.id} needs a "
                    "name and a loan-type")
        for dw_el in children(dep_el, "dwelling"):
            if dw_el.get("ref") in refs:
                problem(dw_el, "ref", f"case {decision.case_ref}: grant {grant.id} already has dwelling {dw_el.get('ref')}")
            refs.add(dw_el.get("ref"))
            groups.append(DwellingGroup(dw_el.get("ref"), int(dw_el.get("count", "1")), Decimal(dw_el.get("area-m2")),
                                        Decimal(dw_el.get("subsidy-per-m2")), int(dw_el.get("price-year"))))
    duration = decision.duration_years or grant.duration_years
    hours = decision.support_hours_per_week if decision.support_hours_per_week is not None else grant.support_hours_per_week
    try:
        for field, message in grant_limit_violations(groups, duration, hours, limits.grant_limits(), config.net_price):
            if field != "duration-years" or duration <= limits.max_years:  # said above
                problem(el, field, f"case {decision.case_ref}: grant {grant.id} as changed: {message}")
    except MissingIndexValue as exc:
        problem(el, "price-year", f"case {decision.case_ref}: cannot check the limits: {exc}")


def _add_dwellings(session: Session, el, decision: Decision) -> None:
    departments = {d.number: d for d in session.exec(select(Department).where(Department.grant_id == decision.grant_id))}
    for dep_el in children(el, "department"):
        dept = departments.get(dep_el.get("number"))
        if dept is None:
            dept = Department(grant_id=decision.grant_id, number=dep_el.get("number"), name=dep_el.get("name"),
                              loan_type=dep_el.get("loan-type"), decision_id=decision.id)
            session.add(dept)
            session.flush()
        insert_rows(session, Dwelling, [dict(
            grant_id=decision.grant_id, department_id=dept.id, ref=dw.get("ref"), count=int(dw.get("count", "1")),
            area_m2=Decimal(dw.get("area-m2")), rent=parse_money(dw.get("rent")),
            subsidy_per_m2=Decimal(dw.get("subsidy-per-m2")), price_year=int(dw.get("price-year")),
            decision_id=decision.id) for dw in children(dep_el, "dwelling")])


def _reduction(session, el, decision, config, problem) -> None:
    decision.support = el.get("support")
    percent = el.get("percent", "100" if decision.kind == "stop" else None)  # the schema's default for a stop
    decision.percent = Decimal(percent) if percent else None
    decision.amount = _money(el, "amount")
    case = decision.case_ref
    if decision.kind == "reduction" and (decision.percent is None) == (decision.amount is None):
        problem(el, "percent", f"case {case}: a reduction is by a percent or by an amount, one of them")
    if decision.percent is not None and decision.percent > 100:
        problem(el, "percent", f"case {case}: a reduction of {decision.percent} % is more than 100 %")
    if decision.amount is not None and decision.support != "social_support":
        problem(el, "amount", f"case {case}: only the social-support subsidy is reduced by an amount (§ 15 stk. 1); "
                f"reduce {decision.support} by a percent")


def _resume(session, el, decision, config, problem) -> None:
    decision.support = el.get("support")


def _resumes(session: Session, case: str, staged: list[tuple[Decision, etree._Element]]) -> bool:
    """Whether a reduction or stop of the case was loaded before, or comes earlier in the same file."""
    if any(d.case_ref == case and d.kind in ("reduction", "stop") for d, _ in staged):
        return True
    return session.exec(select(Decision.id).where(Decision.case_ref == case,
                                                  Decision.kind.in_(("reduction", "stop")))).first() is not None


def _repayment(session, el, decision, config, problem) -> None:
    decision.year, decision.action, decision.amount = int(el.get("year")), el.get("treatment"), _money(el, "offset")
    if (decision.action == "offset-part") != (decision.amount is not None):
        problem(el, "offset", f"case {decision.case_ref}: an offset amount goes with treatment offset-part, and only "
                "with it")


def _late_claim(session, el, decision, config, problem) -> None:
    decision.municipality_code, decision.year = el.get("municipality"), int(el.get("year"))
    if session.get(Municipality, decision.municipality_code) is None:
        problem(el, "municipality", f"case {decision.case_ref}: unknown municipality {decision.municipality_code}")
        return
    late = [c for c in session.exec(select(LossClaim).where(LossClaim.municipality_code == decision.municipality_code,
                                                            LossClaim.year == decision.year))
            if c.received > claims_due(c.year, config)]
    if not late:
        problem(el, "year", f"case {decision.case_ref}: municipality {decision.municipality_code} has no late loss "
                f"claim for {decision.year} to accept")


def _cohort_reserve(session, el, decision, config, problem) -> None:
    decision.cohort, decision.amount = int(el.get("cohort")), parse_money(el.get("amount"))
    most = settings_of(config).refunds.reserve_per_cohort
    if decision.amount > most:
        problem(el, "amount", f"case {decision.case_ref}: a reserve of {decision.amount} is more than the "
                f"{most} a cohort may set aside (V 2.2.4)")
    if session.exec(select(Grant.id).where(Grant.cohort_year == decision.cohort)).first() is None:
        problem(el, "cohort", f"case {decision.case_ref}: no grant of cohort {decision.cohort}")


def _lapse(session, el, decision, config, problem) -> None:
    decision.action, decision.support = el.get("action"), el.get("support")
    if (decision.action == "limit") != (decision.support is not None):
        problem(el, "support", f"case {decision.case_ref}: a lapse is limited to one support (action limit with "
                "support), or waived (action waive, no support)")


CHECKS = {"transfer": _transfer, "grant-change": _grant_change, "reduction": _reduction, "stop": _reduction,
          "resume": _resume, "repayment": _repayment, "late-claim": _late_claim, "cohort-reserve": _cohort_reserve,
          "lapse": _lapse}
