"""The figures the temporary-housing trial promises its evaluation (T 5, "Evaluering"; SPEC 2.8), over plain values.

Every figure describes the evaluation period [start, end] as it was known on `end`: a tenancy belongs to it when it
began on or before `end` and had not ended before `start`; a move-out or follow-up dated after `end` is not yet
known. Days are calendar days, counted inclusively: a tenancy from 1 March to 31 March lasted 31 days.

- Housed (T 5, "Antal borgere"): tenancies, households (distinct main tenants, by pseudonymous id) and persons (the
  household size of each household's first tenancy in the period).
- Time in temporary housing (T 5, "Fastholdelse"): days from move-in to move-out of the tenancies that ended, and
  days so far of those still living there on `end`.
- Time to permanent housing (T 2: "En varig bolig kan tilvejebringes indenfor 2 år"): days from move-in to moving
  out to a permanent destination; and of the tenancies that began at least N months before `end` (so that N months
  can be seen), how many moved on to permanent housing within N months of moving in.
- Time kept in permanent housing (T 2: "Den varige bolig fastholdes i mindst 2 år"): from the last follow-up on or
  before `end` of each tenant who moved on to permanent housing: kept it at least N months, left it earlier, still
  there but less than N months so far, or not followed up.
- Destinations (T 5): each move-out's destination, classed positive or negative.
- Education and work (T 5, "Borgerens udvikling"): status at entry and at exit of the tenancies that ended.
- Spread (T 1, "Boligløsningen", and T 5, "Beliggenhed"): the temporary dwellings standing on `end` per area and
  site of each municipality, and the areas or sites holding more than the configured share or number.
"""
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Destination:
    key: str
    name: str
    positive: bool
    permanent: bool


@dataclass(frozen=True)
class EvaluationRules:
    destinations: dict[str, Destination]
    active_statuses: frozenset[str]  # education/work statuses that count as being in education or work
    permanent_within_months: int
    kept_permanent_months: int
    max_dwellings_per_site: int
    max_area_share: Decimal


@dataclass(frozen=True)
class FollowUp:
    """A check on a tenant who moved on to permanent housing: still housed there on `checked`, or `left` it."""

    checked: date
    housed: bool
    left: date | None = None


@dataclass(frozen=True)
class TenancyOutcome:
    tenancy: str
    person: str
    household_size: int
    municipality: str
    target_group: str
    dwelling: str
    site: str
    area: str  # of the site the dwelling stood on at move-in
    moved_in: date
    lease_end: date
    moved_out: date | None = None
    destination: str | None = None
    entry_status: str = "none"
    exit_status: str | None = None
    follow_ups: tuple[FollowUp, ...] = ()


@dataclass(frozen=True)
class DwellingPlace:
    """Where a temporary dwelling stood on the last day of the period."""

    dwelling: str
    municipality: str
    site: str
    area: str


@dataclass(frozen=True)
class Durations:
    """Count, mean (one decimal), median, shortest and longest of a list of day counts; None when empty."""

    count: int
    mean: Decimal | None
    median: Decimal | None
    shortest: int | None
    longest: int | None

    @classmethod
    def of(cls, days: list[int]) -> "Durations":
        if not days:
            return cls(0, None, None, None, None)
        mean = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return cls(len(days), mean, Decimal(str(median(days))).quantize(Decimal("0.1")), min(days), max(days))


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole in per cent, one decimal, half up; None of nothing."""
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Housed:
    tenancies: int
    households: int
    persons: int
    moved_in_during: int  # tenancies that began inside the period
    by_target_group: dict[str, int]  # households by the target group of their first tenancy in the period


@dataclass(frozen=True)
class ToPermanent:
    reached: Durations  # days from move-in to moving on to permanent housing
    observable: int  # tenancies begun at least N months before the end of the period
    within: int  # of those, moved on to permanent housing within N months
    share_within: Decimal | None


@dataclass(frozen=True)
class KeptPermanent:
    moved_to_permanent: int
    kept: int  # still there at least N months after moving in (confirmed by a follow-up)
    left_early: int  # left it within N months
    so_far: int  # still there at the last follow-up, less than N months on
    not_followed: int
    known_days: Durations  # days in permanent housing as known: to the day left, or to the last follow-up


@dataclass(frozen=True)
class Destinations:
    moved_out: int
    by_destination: dict[str, int]
    positive: int
    negative: int
    share_positive: Decimal | None


@dataclass(frozen=True)
class EducationWork:
    ended: int
    active_at_entry: int
    active_at_exit: int
    share_at_entry: Decimal | None
    share_at_exit: Decimal | None
    started: int  # neither at entry, in education or work at exit
    kept: int  # in education or work at both
    stopped: int  # in education or work at entry, not at exit
    never: int  # neither at entry nor at exit
    transitions: dict[tuple[str, str], int] = field(default_factory=dict)  # (entry, exit) -> tenancies


@dataclass(frozen=True)
class Evaluation:
    start: date
    end: date
    housed: Housed
    stays_ended: Durations  # days in temporary housing of the tenancies that ended
    stays_ongoing: Durations  # days so far of those still living there on `end`
    to_permanent: ToPermanent
    kept_permanent: KeptPermanent
    destinations: Destinations
    education_work: EducationWork


@dataclass(frozen=True)
class AreaSpread:
    municipality: str
    dwellings: int
    by_area: dict[str, int]
    by_site: dict[str, int]
    largest_area_share: Decimal | None
    households_by_area: dict[str, int]  # tenancies of the period by the area of their dwelling at move-in
    concentrated_areas: tuple[str, ...]  # areas with more than the configured share of the dwellings
    crowded_sites: tuple[str, ...]  # sites with more than the configured number of dwellings


def known_on(tenancy: TenancyOutcome, end: date) -> TenancyOutcome:
    """The tenancy as it was known on `end`: later move-outs and follow-ups have not happened yet."""
    follow_ups = tuple(f for f in tenancy.follow_ups if f.checked <= end)
    if tenancy.moved_out is not None and tenancy.moved_out > end:
        return replace(tenancy, moved_out=None, destination=None, exit_status=None, follow_ups=())
    return replace(tenancy, follow_ups=follow_ups)


def in_period(tenancies: list[TenancyOutcome], start: date, end: date) -> list[TenancyOutcome]:
    """The tenancies of [start, end] as known on `end`, ordered by move-in and id."""
    known = [known_on(t, end) for t in tenancies if t.moved_in <= end]
    return sorted((t for t in known if t.moved_out is None or t.moved_out >= start),
                  key=lambda t: (t.moved_in, t.tenancy))


def days_inclusive(first: date, last: date) -> int:
    return (last - first).days + 1


def housed(tenancies: list[TenancyOutcome], start: date) -> Housed:
    first_of_household: dict[str, TenancyOutcome] = {}
    for t in tenancies:  # ordered by move-in: the first one seen is the household's first
        first_of_household.setdefault(t.person, t)
    return Housed(
        tenancies=len(tenancies),
        households=len(first_of_household),
        persons=sum(t.household_size for t in first_of_household.values()),
        moved_in_during=sum(1 for t in tenancies if t.moved_in >= start),
        by_target_group=dict(sorted(Counter(t.target_group for t in first_of_household.values()).items())),
    )


def to_permanent(tenancies: list[TenancyOutcome], end: date, rules: EvaluationRules) -> ToPermanent:
    def permanent(t: TenancyOutcome) -> bool:
        return t.moved_out is not None and rules.destinations[t.destination].permanent

    reached = [days_inclusive(t.moved_in, t.moved_out) for t in tenancies if permanent(t)]
    months = relativedelta(months=rules.permanent_within_months)
    # the window [move-in, move-in + N months) must lie inside what is known on `end`
    observable = [t for t in tenancies if t.moved_in + months - timedelta(days=1) <= end]
    within = [t for t in observable if permanent(t) and t.moved_out < t.moved_in + months]
    return ToPermanent(Durations.of(reached), len(observable), len(within), percent(len(within), len(observable)))


def kept_permanent(tenancies: list[TenancyOutcome], rules: EvaluationRules) -> KeptPermanent:
    moved = [t for t in tenancies if t.moved_out is not None and rules.destinations[t.destination].permanent]
    months = relativedelta(months=rules.kept_permanent_months)
    kept = left_early = so_far = not_followed = 0
    known_days = []
    for t in moved:
        if not t.follow_ups:
            not_followed += 1
            continue
        last = max(t.follow_ups, key=lambda f: f.checked)
        mark = t.moved_out + months  # the day the tenant has kept the permanent dwelling N months
        if last.housed:
            known_days.append((last.checked - t.moved_out).days)
            if last.checked >= mark:
                kept += 1
            else:
                so_far += 1
        else:
            known_days.append((last.left - t.moved_out).days)
            if last.left >= mark:
                kept += 1
            else:
                left_early += 1
    return KeptPermanent(len(moved), kept, left_early, so_far, not_followed, Durations.of(known_days))


def destinations(tenancies: list[TenancyOutcome], rules: EvaluationRules) -> Destinations:
    ended = [t for t in tenancies if t.moved_out is not None]
    counts = Counter(t.destination for t in ended)
    positive = sum(n for key, n in counts.items() if rules.destinations[key].positive)
    by_destination = {key: counts.get(key, 0) for key in rules.destinations}  # configured order, zeros kept
    return Destinations(len(ended), by_destination, positive, len(ended) - positive, percent(positive, len(ended)))


def education_work(tenancies: list[TenancyOutcome], rules: EvaluationRules) -> EducationWork:
    ended = [t for t in tenancies if t.moved_out is not None]
    active = rules.active_statuses
    pairs = [(t.entry_status in active, t.exit_status in active) for t in ended]
    at_entry, at_exit = sum(a for a, _ in pairs), sum(b for _, b in pairs)
    return EducationWork(
        ended=len(ended), active_at_entry=at_entry, active_at_exit=at_exit,
        share_at_entry=percent(at_entry, len(ended)), share_at_exit=percent(at_exit, len(ended)),
        started=pairs.count((False, True)), kept=pairs.count((True, True)), stopped=pairs.count((True, False)),
        never=pairs.count((False, False)),
        transitions=dict(sorted(Counter((t.entry_status, t.exit_status) for t in ended).items())),
    )


def evaluate(tenancies: list[TenancyOutcome], start: date, end: date, rules: EvaluationRules) -> Evaluation:
    """Every figure of T 5 for the tenancies given (all of them, or one municipality's)."""
    period = in_period(tenancies, start, end)
    return Evaluation(
        start=start, end=end,
        housed=housed(period, start),
        stays_ended=Durations.of([days_inclusive(t.moved_in, t.moved_out) for t in period if t.moved_out]),
        stays_ongoing=Durations.of([days_inclusive(t.moved_in, end) for t in period if t.moved_out is None]),
        to_permanent=to_permanent(period, end, rules),
        kept_permanent=kept_permanent(period, rules),
        destinations=destinations(period, rules),
        education_work=education_work(period, rules),
    )


def spread(dwellings: list[DwellingPlace], tenancies: list[TenancyOutcome], start: date, end: date,
           rules: EvaluationRules) -> list[AreaSpread]:
    """Per municipality: the dwellings standing on `end` by area and site, and the concentrations (T 1, T 5)."""
    period = in_period(tenancies, start, end)
    result = []
    for municipality in sorted({d.municipality for d in dwellings} | {t.municipality for t in period}):
        here = [d for d in dwellings if d.municipality == municipality]
        by_area = dict(sorted(Counter(d.area for d in here).items()))
        by_site = dict(sorted(Counter(d.site for d in here).items()))
        largest = max(by_area.values(), default=0)
        result.append(AreaSpread(
            municipality=municipality, dwellings=len(here), by_area=by_area, by_site=by_site,
            largest_area_share=percent(largest, len(here)),
            households_by_area=dict(sorted(Counter(t.area for t in period if t.municipality == municipality).items())),
            concentrated_areas=tuple(a for a, n in by_area.items() if Decimal(n) > rules.max_area_share * len(here)),
            crowded_sites=tuple(s for s, n in by_site.items() if n > rules.max_dwellings_per_site),
        ))
    return result
