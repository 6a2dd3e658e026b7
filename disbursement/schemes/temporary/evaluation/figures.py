"""The evaluation's key figures as one flat list (section, key, label, value, unit): the rows of
evaluation-figures.csv and the tables of the HTML report, so both always show the same numbers."""
from dataclasses import dataclass
from decimal import Decimal

from ..rules.evaluation import AreaSpread, Evaluation
from .labels import text

# The sections, in the report's order; each one's title (labels.py "section.*") names the heading of T 5 (or T 2)
# it answers.
SECTIONS = ("housed", "temporary", "to-permanent", "permanent", "destinations", "education-work", "spread",
            "business-case")
COUNT, DAYS, PERCENT = "count", "days", "percent"


@dataclass(frozen=True)
class Figure:
    section: str
    key: str
    label: str
    value: int | Decimal | None
    unit: str  # count, days or percent (labels.py "unit.*")


def evaluation_figures(ev: Evaluation, within_months: int, kept_months: int, group_names: dict[str, str],
                       lang: str) -> list[Figure]:
    h, st, so, tp, kp, de, ew = (ev.housed, ev.stays_ended, ev.stays_ongoing, ev.to_permanent, ev.kept_permanent,
                                 ev.destinations, ev.education_work)
    rows = [
        ("housed", "tenancies", h.tenancies, COUNT),
        ("housed", "households", h.households, COUNT),
        ("housed", "persons", h.persons, COUNT),
        ("housed", "moved-in-during", h.moved_in_during, COUNT),
        ("temporary", "ended", st.count, COUNT),
        ("temporary", "ended-mean-days", st.mean, DAYS),
        ("temporary", "ended-median-days", st.median, DAYS),
        ("temporary", "ended-shortest-days", st.shortest, DAYS),
        ("temporary", "ended-longest-days", st.longest, DAYS),
        ("temporary", "ongoing", so.count, COUNT),
        ("temporary", "ongoing-median-days", so.median, DAYS),
        ("to-permanent", "reached", tp.reached.count, COUNT),
        ("to-permanent", "reached-mean-days", tp.reached.mean, DAYS),
        ("to-permanent", "reached-median-days", tp.reached.median, DAYS),
        ("to-permanent", "observable", tp.observable, COUNT),
        ("to-permanent", "within", tp.within, COUNT),
        ("to-permanent", "within-share", tp.share_within, PERCENT),
        ("permanent", "moved-to-permanent", kp.moved_to_permanent, COUNT),
        ("permanent", "kept", kp.kept, COUNT),
        ("permanent", "left-early", kp.left_early, COUNT),
        ("permanent", "so-far", kp.so_far, COUNT),
        ("permanent", "not-followed", kp.not_followed, COUNT),
        ("permanent", "known-median-days", kp.known_days.median, DAYS),
        ("destinations", "moved-out", de.moved_out, COUNT),
        ("destinations", "positive", de.positive, COUNT),
        ("destinations", "negative", de.negative, COUNT),
        ("destinations", "positive-share", de.share_positive, PERCENT),
        ("education-work", "ended", ew.ended, COUNT),
        ("education-work", "active-at-entry", ew.active_at_entry, COUNT),
        ("education-work", "active-at-exit", ew.active_at_exit, COUNT),
        ("education-work", "share-at-entry", ew.share_at_entry, PERCENT),
        ("education-work", "share-at-exit", ew.share_at_exit, PERCENT),
        ("education-work", "started", ew.started, COUNT),
        ("education-work", "kept", ew.kept, COUNT),
        ("education-work", "stopped", ew.stopped, COUNT),
        ("education-work", "never", ew.never, COUNT),
    ]
    figures = [Figure(section, key, text(lang, f"{section}/{key}", within_months=within_months,
                                         kept_months=kept_months), value, unit)
               for section, key, value, unit in rows]
    groups = [Figure("housed", f"households-{group}",
                     text(lang, "housed/households-in-group", group=group_names.get(group, group)), n, COUNT)
              for group, n in h.by_target_group.items()]
    return figures[:4] + groups + figures[4:]  # the households by target group follow the households housed


def spread_figures(sp: AreaSpread, lang: str) -> list[Figure]:
    rows = [
        ("dwellings", sp.dwellings, COUNT),
        ("areas", len(sp.by_area), COUNT),
        ("sites", len(sp.by_site), COUNT),
        ("largest-area-share", sp.largest_area_share, PERCENT),
        ("largest-site", max(sp.by_site.values(), default=None), COUNT),
        ("concentrated-areas", len(sp.concentrated_areas), COUNT),
        ("crowded-sites", len(sp.crowded_sites), COUNT),
    ]
    return [Figure("spread", key, text(lang, f"spread/{key}"), value, unit) for key, value, unit in rows]
