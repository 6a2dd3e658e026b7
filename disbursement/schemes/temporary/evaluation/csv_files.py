"""The evaluation as CSV, in the project's Danish CSV conventions (exports/danish_csv.py, docs/exports.md). An
empty cell is a figure that does not exist (the median of no stays). Municipality 'all' is the whole trial."""
from ....exports.danish_csv import csv_bytes as _csv
from ....exports.danish_csv import number as danish_number
from ..rules.evaluation import percent
from .figures import evaluation_figures, spread_figures
from .report import EvaluationReport

ALL = "all"


def _municipalities(report: EvaluationReport):
    return [(ALL, report.overall), *report.by_municipality.items()]


def figures_csv(report: EvaluationReport) -> bytes:
    ev_rules = report.settings.rules
    rows = []
    for code, ev in _municipalities(report):
        rows += [[f.section, f.key, code, danish_number(f.value), f.unit, f.label]
                 for f in evaluation_figures(ev, ev_rules.permanent_within_months, ev_rules.kept_permanent_months)]
    for sp in report.spread:
        rows += [[f.section, f.key, sp.municipality, danish_number(f.value), f.unit, f.label] for f in spread_figures(sp)]
    return _csv(("section", "figure", "municipality", "value", "unit", "label"), rows)


def tenancies_csv(report: EvaluationReport) -> bytes:
    destinations = report.settings.destinations
    rows = []
    for t in report.tenancies:
        last = t.follow_ups[-1] if t.follow_ups else None
        destination = destinations.get(t.destination or "")
        days = (((t.moved_out or report.end) - t.moved_in).days + 1)
        rows.append([t.tenancy, t.municipality, t.person, t.household_size, t.target_group, t.dwelling, t.site, t.area,
                     t.moved_in.isoformat(), t.lease_end.isoformat(), t.moved_out.isoformat() if t.moved_out else "",
                     days, t.destination or "",
                     ("positive" if destination.positive else "negative") if destination else "",
                     ("yes" if destination.permanent else "no") if destination else "", t.entry_status,
                     t.exit_status or "", last.checked.isoformat() if last else "",
                     ("yes" if last.housed else "no") if last else "",
                     last.left.isoformat() if last and last.left else ""])
    return _csv(("tenancy", "municipality", "person", "household_size", "target_group", "dwelling", "site", "area",
                 "moved_in", "lease_end", "moved_out", "days", "destination", "outcome", "permanent", "entry_status",
                 "exit_status", "last_follow_up", "still_housed", "left_permanent"), rows)


def destinations_csv(report: EvaluationReport) -> bytes:
    rows = []
    for code, ev in _municipalities(report):
        for key, n in ev.destinations.by_destination.items():
            d = report.settings.destinations[key]
            rows.append([code, key, d.name, "positive" if d.positive else "negative", "yes" if d.permanent else "no", n])
    return _csv(("municipality", "destination", "name", "outcome", "permanent", "tenancies"), rows)


def education_work_csv(report: EvaluationReport) -> bytes:
    rows = [[code, entry, exit_, n] for code, ev in _municipalities(report)
            for (entry, exit_), n in ev.education_work.transitions.items()]
    return _csv(("municipality", "entry_status", "exit_status", "tenancies"), rows)


def areas_csv(report: EvaluationReport) -> bytes:

    rows = []
    for sp in report.spread:
        for area in sorted(set(sp.by_area) | set(sp.households_by_area)):
            n = sp.by_area.get(area, 0)
            rows.append([sp.municipality, area, n, danish_number(percent(n, sp.dwellings)),
                         sp.households_by_area.get(area, 0), "yes" if area in sp.concentrated_areas else "no"])
    return _csv(("municipality", "area", "dwellings", "share_percent", "tenancies", "concentrated"), rows)


def sites_csv(report: EvaluationReport) -> bytes:
    rows = []
    for sp in report.spread:
        for site, n in sp.by_site.items():
            name, area, until = report.sites[site]
            rows.append([sp.municipality, site, name, area, n, until.isoformat(),
                         "yes" if site in sp.crowded_sites else "no"])
    return _csv(("municipality", "site", "name", "area", "dwellings", "permission_until", "crowded"), rows)


def csv_files(report: EvaluationReport) -> dict[str, bytes]:
    return {
        "evaluation-figures.csv": figures_csv(report),
        "evaluation-tenancies.csv": tenancies_csv(report),
        "evaluation-destinations.csv": destinations_csv(report),
        "evaluation-education-work.csv": education_work_csv(report),
        "evaluation-areas.csv": areas_csv(report),
        "evaluation-sites.csv": sites_csv(report),
    }
