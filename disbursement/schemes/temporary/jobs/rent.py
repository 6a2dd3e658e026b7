"""The monthly temporary rent subsidy (T 1; SPEC 2.8), paid to the landlords of temporary dwellings on the last
banking day of each month and booked on the expense account of accounts.toml [support.temporary_rent].

One line per landlord and month (`temporary/2021-03/29189420`), one component per tenancy. Each run computes every
month of the scheme's period up to its own, from what was reported by its date, and books only the differences: a
move-in reported late is paid with the next run, a move-out reported late becomes a collection claim on the
landlord for what was paid too much, and a re-run pays nothing twice.
"""
from datetime import date

from sqlmodel import Session, select

from ....config import Config
from ....money import ZERO
from ..rules.rent import SubsidisedTenancy, months_between, subsidy_by_landlord_month
from ..tables import TemporaryTenancy
from ..settings import settings_of
from ....engine.booking import Line, book_lines
from ....engine.result import Flag, JobReport
from .facts import TemporaryFacts, load_temporary_facts

SUPPORT = "temporary_rent"
LINE_PREFIX = "temporary/"


def line_key(month: date, landlord: str) -> str:
    return f"{LINE_PREFIX}{month:%Y-%m}/{landlord}"


def month_of_line(key: str) -> date:
    """The first day of the month a line pays: 'temporary/2021-03/29189420' -> 2021-03-01."""
    return date.fromisoformat(f"{key.split('/')[1]}-01")


def first_day(session: Session, config: Config) -> date | None:
    """The first move-in of a temporary tenancy: nothing of the scheme is due before it, nor without one."""
    return session.exec(select(TemporaryTenancy.moved_in).order_by(TemporaryTenancy.moved_in)).first()


def trial_period(config: Config) -> tuple[date | None, date | None]:
    settings = settings_of(config)
    return settings.period_from, settings.period_to


def subsidised_tenancies(facts: TemporaryFacts, config: Config) -> list[SubsidisedTenancy]:
    settings = settings_of(config)
    return [
        SubsidisedTenancy(
            tenancy=t.id, landlord=facts.dwellings[t.dwelling].landlord, moved_in=t.moved_in,
            last_day=t.last_subsidised_day, affordable_rent=settings.rent_affordable_by(t.target_group),
            rents=tuple(facts.dwellings[t.dwelling].rents))
        for t in facts.tenancies.values()
    ]


def rent_lines(session: Session, config: Config, on: date) -> tuple[list[Line], TemporaryFacts]:
    """Every landlord's line for every month of the period up to the month of `on` (zero lines too, so a line booked
    earlier is never missing from the target)."""
    settings = settings_of(config)
    accounts = config.accounts.of(SUPPORT)
    facts = load_temporary_facts(session, received_by=on)
    first = facts.first_move_in()
    if first is None:
        return [], facts
    start = max(first, settings.period_from) if settings.period_from else first
    end = min(on, settings.period_to) if settings.period_to else on
    months = months_between(start, end)
    amounts = subsidy_by_landlord_month(subsidised_tenancies(facts, config), months)
    lines = [
        Line(key=line_key(month, cvr), support=SUPPORT, grant_id=None, department_id=None, recipient_cvr=cvr,
             value_date=on, claim_due=on, expense_account=accounts.expense, recipient_account=accounts.recipient_account,
             recipient_note=accounts.note(), recipient_book=accounts.recipient_book,
             components=dict(sorted(amounts.get((month, cvr), {}).items())))
        for month in months for cvr in sorted(facts.landlords)
    ]
    return lines, facts


def run_temporary_rent(session: Session, config: Config, on: date, job_run_id: int) -> JobReport:
    lines, facts = rent_lines(session, config, on)
    booked = book_lines(session, "temporary_rent", on, job_run_id, lines, config,
                        description=f"temporary rent subsidy, {on:%Y-%m}")
    this_month = [line for line in lines if line.key.startswith(f"temporary/{on:%Y-%m}/")]
    return JobReport(
        counts={"landlords": len({line.recipient_cvr for line in this_month if line.total}),
                "tenancies": sum(len(line.components) for line in this_month), "lines_booked": booked.lines_changed},
        amounts={"month": sum((line.total for line in this_month), ZERO), "paid": booked.paid,
                 "claimed": booked.claimed},
        flags=tenancy_flags(facts, on),
        inputs=[line.fingerprint_input() for line in lines],
        details=[f"{line.key}: {line.total:.2f} ({len(line.components)} tenancies)" for line in this_month if line.total],
    )


def tenancy_flags(facts: TemporaryFacts, as_of: date) -> list[Flag]:
    """What an operator must look at (T 1, 3): leases run out without a reported move-out, tenants who stayed past
    their lease, and dwellings standing on a site after its permission ended."""
    flags = []
    for t in sorted(facts.tenancies.values(), key=lambda t: t.id):
        if t.moved_out is None and t.lease_end < as_of:
            flags.append(Flag("T 1 lease ended", t.id, f"the lease of dwelling {t.dwelling} ended {t.lease_end} and no "
                              "move-out is reported; no subsidy is paid after the lease end", dwelling=t.dwelling))
        elif t.moved_out is not None and t.moved_out > t.lease_end:
            flags.append(Flag("T 1 lease ended", t.id, f"moved out {t.moved_out}, after the lease ended {t.lease_end}; "
                              "the days after the lease end earned no subsidy", dwelling=t.dwelling))
    occupied = {t.dwelling for t in facts.tenancies.values() if t.moved_in <= as_of <= t.last_day}
    for dwelling in sorted(occupied):
        site = facts.sites.get(facts.dwellings[dwelling].site_on(as_of) or "")
        if site is not None and site.permission_until < as_of:
            flags.append(Flag("T 3 site permission", site.id, f"dwelling {dwelling} is let on site {site.name} "
                              f"whose permission ended {site.permission_until}", dwelling=dwelling))
    return flags


def temporary_flags(session: Session, config: Config, as_of: date) -> list[Flag]:
    """The scheme's flags for `status`."""
    return tenancy_flags(load_temporary_facts(session, received_by=as_of), as_of)
