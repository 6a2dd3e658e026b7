"""Flags about reports, from stored facts as of a date (V 2.5.2, 2.7): shown by `status` and logged by the jobs."""
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, or_
from sqlmodel import Session, select

from ....config import Config
from ..settings import settings_of
from ..rules.grant_window import months_in_window
from ..rules.deadlines import hire_deadline, in_force, lapse_date, longer_than, works_deadline
from ..rules.rent_cycle import latest
from ..tables import Dwelling, ReportLine
from ..rules.decisions import latest_of
from .events import deadline_facts, lapse_as_of
from .facts import GrantContext
from ....engine.result import Flag


def estimate_due(ctx: GrantContext, year: int, config: Config) -> date:
    """1 December of the year before; a grant given later reports as soon as it can (V 2.5.2), which is taken to
    mean within `late_grant_estimate_months` of the grant date."""
    month, day = settings_of(config).reporting.estimate_due
    due = date(year - 1, month, day)
    if ctx.grant.grant_date <= due:
        return due
    return ctx.grant.grant_date + relativedelta(months=settings_of(config).reporting.late_grant_estimate_months)


def actuals_due(year: int, config: Config) -> date:
    month, day = settings_of(config).reporting.actuals_due
    return date(year + 1, month, day)


def active_in(ctx: GrantContext, year: int, as_of: date, config: Config) -> bool:
    """The grant has subsidised months in `year` and, as known on `as_of`, had not lapsed before the year began."""
    if ctx.grant.grant_date.year > year or months_in_window(year, ctx.facts.window_start, ctx.facts.duration_years) == 0:
        return False
    lapse = lapse_as_of(ctx.grant, ctx.events, settings_of(config).deadlines.start_months, "rent_subsidy")(as_of)
    return lapse is None or lapse > date(year, 1, 1)


def estimate_flags(ctx: GrantContext, year: int, as_of: date, config: Config) -> list[Flag]:
    due = estimate_due(ctx, year, config)
    if not active_in(ctx, year, as_of, config) or as_of < due:
        return []
    known = [r for r in ctx.facts.estimates.get(year, []) if r.received <= as_of]
    gid = ctx.grant.id
    if not known:
        return [Flag("V 2.5.2 estimate missing", gid, f"no estimate for {year} (due {due})")]
    first = min(known, key=lambda r: (r.received, r.report_id))
    lead = settings_of(config).reporting.late_estimate_lead_months
    if first.received > due:
        return [Flag("V 2.5.2 late estimate", gid,
                     f"estimate for {year} received {first.received}, due {due}: on-account paid from the first term "
                     f"after {first.received + relativedelta(months=lead)}")]
    return []


def actuals_flags(session: Session, batch: list[GrantContext], year: int, as_of: date, config: Config) -> dict[str, list[Flag]]:
    """Flags about `year`'s actuals, per grant of a batch: missing or late reports, and the lines with non-eligible
    tenants, long vacancy or months outside the grant's window (SPEC 2.3: loaded as reported, not subsidised), read
    in one query for the batch (one per grant was a large part of a national run)."""
    due = actuals_due(year, config)
    flags: dict[str, list[Flag]] = {ctx.grant.id: [] for ctx in batch}
    in_force: dict[int, GrantContext] = {}
    for ctx in batch:
        if not active_in(ctx, year, as_of, config) or as_of < due:
            continue
        gid = ctx.grant.id
        known = [r for r in ctx.facts.actuals.get(year, []) if r.received <= as_of]
        report = latest(known)
        if report is None:
            flags[gid].append(Flag("V 2.5.2 actuals missing", gid, f"no actuals for {year} (due {due}): not reconciled"))
            continue
        if min(r.received for r in known) > due:
            flags[gid].append(Flag("V 2.5.2 late actuals", gid,
                                   f"actuals for {year} received {min(r.received for r in known)}, due {due}"))
        in_force[report.report_id] = ctx
    ids = sorted(in_force)
    window = {report_id: ctx.facts.window_in(year) for report_id, ctx in in_force.items()}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        # reports whose window cuts the year, by months inside: at most 11 conditions, whatever the batch size
        partial: dict[int, list[int]] = {}
        for report_id in chunk:
            if window[report_id] < 12:
                partial.setdefault(window[report_id], []).append(report_id)
        outside = [and_(ReportLine.report_id.in_(reports), ReportLine.months > months * Dwelling.count)
                   for months, reports in sorted(partial.items())]
        rows = session.connection().execute(
            select(ReportLine.report_id, ReportLine.months, ReportLine.non_eligible_months, ReportLine.vacant_months,
                   Dwelling.department_id, Dwelling.ref, Dwelling.count)
            .where(ReportLine.report_id.in_(chunk), ReportLine.dwelling_id == Dwelling.id,
                   or_(ReportLine.non_eligible_months > 0, ReportLine.vacant_months > 3 * Dwelling.count, *outside))
            .order_by(ReportLine.id)
        )
        for report_id, months, non_eligible_months, vacant_months, department_id, ref, count in rows:
            ctx = in_force[report_id]
            gid, dept = ctx.grant.id, ctx.department_numbers[department_id]
            inside = window[report_id]
            if months > inside * count:
                flags[gid].append(Flag("SPEC 2.3 months outside the 15-year window", gid,
                                       f"{months} month(s) reported for {year} for {count} dwelling(s), only {inside} "
                                       f"month(s) of {year} lie inside the window (from {ctx.facts.window_start}, "
                                       f"{ctx.facts.duration_years} years): {months - inside * count} month(s) not "
                                       f"subsidised", dept, ref))
            if non_eligible_months:
                flags[gid].append(Flag("V 2.5.2 non-eligible tenant", gid,
                                       f"{non_eligible_months} month(s) in {year} let to a tenant outside the eligible "
                                       f"group earn no subsidy", dept, ref))
            if vacant_months > 3 * count:
                flags[gid].append(Flag("V 2.7 vacancy over 3 months", gid,
                                       f"{vacant_months} vacant month(s) in {year} for {count} dwelling(s)", dept, ref))
    return flags


def support_flags(ctx: GrantContext, as_of: date, config: Config) -> list[Flag]:
    """Deadlines, lapse, accounts due, phases and leases, as known on `as_of` (V 2.4, 2.5.1, 2.5.3, 2.7, 7)."""
    grant, events, settings = ctx.grant, ctx.events, settings_of(config)
    facts = deadline_facts(grant, events, settings.deadlines.start_months)
    flags = []
    lapse = lapse_date(facts, as_of)
    if lapse is not None:
        missed = []
        if in_force(events.hires, as_of) is None or in_force(events.hires, as_of) > hire_deadline(facts, as_of):
            missed.append(f"caretaker not hired by {hire_deadline(facts, as_of)} (V 2.5.3)")
        if facts.has_conversion and (in_force(events.works, as_of) is None
                                     or in_force(events.works, as_of) > works_deadline(facts, as_of)):
            missed.append(f"works not started by {works_deadline(facts, as_of)} (V 2.5.1)")
        decision = latest_of(events.in_force(as_of), "lapse")
        consequence = (f"the grant pays nothing from {lapse}" if decision is None else
                       "the lapse is waived: the grant goes on" if decision.action == "waive" else
                       f"{decision.support} pays nothing from {lapse}; the other supports go on")
        flags.append(Flag("V 2.5.1/2.5.3 grant lapsed", grant.id, f"{' and '.join(missed)}: {consequence}"))
    started = in_force([w for w in events.works if w.received <= as_of])
    if started is not None:
        due = started + relativedelta(months=settings.conversion.accounts_due_months)
        if as_of > due and not [a for a in events.conversion_accounts if a.received <= as_of]:
            flags.append(Flag("V 2.5.1 conversion accounts missing", grant.id,
                              f"final accounts for the works started {started} were due {due}"))
    hired = in_force([h for h in events.hires if h.received <= as_of])
    lapse = lapse_as_of(grant, events, settings.deadlines.start_months, "social_support")(as_of)
    if hired is not None and grant.social_support_annual:
        reported = {a.year for a in events.support_accounts if a.received <= as_of}
        for year in range(hired.year, as_of.year):
            due = date(year, 12, 31) + relativedelta(months=settings.social_support.accounts_due_months)
            if as_of > due and year not in reported and (lapse is None or date(year, 1, 1) < lapse):
                flags.append(Flag("V 2.5.3 social-support accounts missing", grant.id,
                                  f"accounts of the social-support expenses for {year} were due {due}"))
    for phase in (p for p in events.phases if p.received <= as_of):
        if longer_than(phase.on_date, phase.until_date, settings.deadlines.phase_max_months):
            flags.append(Flag("V 2.4 phase over 9 months", grant.id,
                              f"phase-{phase.flag} {phase.on_date} to {phase.until_date} lasts more than "
                              f"{settings.deadlines.phase_max_months} months: to be reported to the ministry"))
    for t in (t for t in events.tenancies if t.received <= as_of):
        dwelling = events.dwelling_refs.get(t.dwelling_id)
        unit = f"{dwelling} unit {t.unit}"
        if t.flag == "false":
            flags.append(Flag("V 2.5.2 non-eligible tenant", grant.id,
                              f"let from {t.on_date} to a tenant outside the eligible group: no rent subsidy", None, unit))
        if longer_than(t.on_date, t.other_date or t.until_date, settings.deadlines.lease_max_months) and t.other_date is None:
            flags.append(Flag("V 7 lease over 2 years", grant.id,
                              f"lease {t.on_date} to {t.until_date} runs more than {settings.deadlines.lease_max_months} months "
                              f"without an extension decision", None, unit))
    return flags
