"""The evaluation's key figures as one flat list (section, key, label, value, unit): the rows of
evaluation-figures.csv and the tables of the HTML report, so both always show the same numbers."""
from dataclasses import dataclass
from decimal import Decimal

from ..rules.evaluation import AreaSpread, Evaluation

# Section keys and their titles, with the heading of T 5 (or T 2) each answers.
SECTIONS = {
    "housed": "Persons and households housed (T 5: Antal borgere, som får et tilbud om midlertidig bolig)",
    "temporary": "Time in temporary housing (T 5: Fastholdelse i midlertidig og varig bolig)",
    "to-permanent": "Time to permanent housing (T 5: hvor hurtigt borgeren flytter til en varig bolig; T 2: inden for 2 år)",
    "permanent": "Time kept in permanent housing (T 2: den varige bolig fastholdes i mindst 2 år)",
    "destinations": "Destinations on moving out (T 5: positiv eller negativ udvikling)",
    "education-work": "Education and work at entry and exit (T 5: Borgerens udvikling, uddannelse/arbejdsmarked)",
    "spread": "Spread of the temporary dwellings (T 5: Beliggenhed - spredning af den midlertidige boligmasse)",
}


@dataclass(frozen=True)
class Figure:
    section: str
    key: str
    label: str
    value: int | Decimal | None
    unit: str


def evaluation_figures(ev: Evaluation, permanent_months: int, kept_months: int) -> list[Figure]:
    h, st, so, tp, kp, de, ew = (ev.housed, ev.stays_ended, ev.stays_ongoing, ev.to_permanent, ev.kept_permanent,
                                 ev.destinations, ev.education_work)
    rows = [
        ("housed", "tenancies", "Tenancies (leases) in the period", h.tenancies, "tenancies"),
        ("housed", "households", "Households housed", h.households, "households"),
        ("housed", "persons", "Persons housed (household members included)", h.persons, "persons"),
        ("housed", "moved-in-during", "Tenancies begun in the period", h.moved_in_during, "tenancies"),
        *[("housed", f"households-{group}", f"Households, target group {group}", n, "households")
          for group, n in h.by_target_group.items()],
        ("temporary", "ended", "Tenancies ended (moved out)", st.count, "tenancies"),
        ("temporary", "ended-mean-days", "Stay of those who moved out, mean", st.mean, "days"),
        ("temporary", "ended-median-days", "Stay of those who moved out, median", st.median, "days"),
        ("temporary", "ended-shortest-days", "Shortest stay", st.shortest, "days"),
        ("temporary", "ended-longest-days", "Longest stay", st.longest, "days"),
        ("temporary", "ongoing", "Tenancies ongoing at the end of the period", so.count, "tenancies"),
        ("temporary", "ongoing-median-days", "Stay so far of those still living there, median", so.median, "days"),
        ("to-permanent", "reached", "Moved on to permanent housing", tp.reached.count, "tenancies"),
        ("to-permanent", "reached-mean-days", "Time from move-in to permanent housing, mean", tp.reached.mean, "days"),
        ("to-permanent", "reached-median-days", "Time from move-in to permanent housing, median", tp.reached.median,
         "days"),
        ("to-permanent", "observable", f"Tenancies begun at least {permanent_months} months before the end",
         tp.observable, "tenancies"),
        ("to-permanent", "within", f"... of which moved on to permanent housing within {permanent_months} months",
         tp.within, "tenancies"),
        ("to-permanent", "within-share", f"Share in permanent housing within {permanent_months} months",
         tp.share_within, "%"),
        ("permanent", "moved-to-permanent", "Moved on to permanent housing", kp.moved_to_permanent, "tenants"),
        ("permanent", "kept", f"Kept it at least {kept_months} months", kp.kept, "tenants"),
        ("permanent", "left-early", f"Left it within {kept_months} months", kp.left_early, "tenants"),
        ("permanent", "so-far", f"Still there at the last follow-up, less than {kept_months} months on", kp.so_far,
         "tenants"),
        ("permanent", "not-followed", "Not followed up", kp.not_followed, "tenants"),
        ("permanent", "known-median-days", "Time in permanent housing as known, median", kp.known_days.median, "days"),
        ("destinations", "moved-out", "Moved out", de.moved_out, "tenancies"),
        ("destinations", "positive", "Positive destinations", de.positive, "tenancies"),
        ("destinations", "negative", "Negative destinations", de.negative, "tenancies"),
        ("destinations", "positive-share", "Share positive", de.share_positive, "%"),
        ("education-work", "ended", "Tenancies ended", ew.ended, "tenancies"),
        ("education-work", "active-at-entry", "In education or work at entry", ew.active_at_entry, "tenancies"),
        ("education-work", "active-at-exit", "In education or work at exit", ew.active_at_exit, "tenancies"),
        ("education-work", "share-at-entry", "Share in education or work at entry", ew.share_at_entry, "%"),
        ("education-work", "share-at-exit", "Share in education or work at exit", ew.share_at_exit, "%"),
        ("education-work", "started", "Started education or work (neither at entry)", ew.started, "tenancies"),
        ("education-work", "kept", "Kept education or work", ew.kept, "tenancies"),
        ("education-work", "stopped", "Left education or work", ew.stopped, "tenancies"),
        ("education-work", "never", "Neither at entry nor at exit", ew.never, "tenancies"),
    ]
    return [Figure(*row) for row in rows]


def spread_figures(sp: AreaSpread) -> list[Figure]:
    rows = [
        ("spread", "dwellings", "Temporary dwellings standing at the end of the period", sp.dwellings, "dwellings"),
        ("spread", "areas", "Areas (districts) with temporary dwellings", len(sp.by_area), "areas"),
        ("spread", "sites", "Sites", len(sp.by_site), "sites"),
        ("spread", "largest-area-share", "Largest area's share of the dwellings", sp.largest_area_share, "%"),
        ("spread", "largest-site", "Most dwellings on one site", max(sp.by_site.values(), default=None), "dwellings"),
        ("spread", "concentrated-areas", "Areas above the configured share", len(sp.concentrated_areas), "areas"),
        ("spread", "crowded-sites", "Sites above the configured number", len(sp.crowded_sites), "sites"),
    ]
    return [Figure(*row) for row in rows]
