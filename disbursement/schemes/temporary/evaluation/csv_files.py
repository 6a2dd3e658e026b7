"""The evaluation as CSV, in the project's CSV conventions (exports/danish_csv.py, docs/exports.md: semicolons,
decimal comma, ISO dates) in both languages, so a spreadsheet reads the figures alike; headers and words are Danish,
or English with `--lang en`. An empty cell is a figure that does not exist (the median of no stays). Municipality
'alle' ('all') is the whole trial."""
from decimal import Decimal

from ....exports.danish_csv import amount
from ....exports.danish_csv import csv_bytes as _csv
from ....exports.danish_csv import number as danish_number
from ....exports.language import quarter
from ....money import to_ore
from ..rules.business_case import Costs
from ..rules.evaluation import percent
from .figures import evaluation_figures, spread_figures
from .labels import header, text
from .report import EvaluationReport


def _municipalities(report: EvaluationReport, lang: str):
    return [(text(lang, "all"), report.overall), *report.by_municipality.items()]


def _yes(flag: bool, lang: str) -> str:
    return text(lang, "yes" if flag else "no")


def _outcome(positive: bool, lang: str) -> str:
    return text(lang, "positive" if positive else "negative")


def figures_csv(report: EvaluationReport, lang: str) -> bytes:
    ev_rules = report.settings.rules
    groups = {key: group.name for key, group in report.settings.target_groups.items()}
    rows = []
    for code, ev in _municipalities(report, lang):
        rows += [[f.section, f.key, code, danish_number(f.value), text(lang, f"unit.{f.unit}"), f.label]
                 for f in evaluation_figures(ev, ev_rules.permanent_within_months, ev_rules.kept_permanent_months,
                                             groups, lang)]
    for sp in report.spread:
        rows += [[f.section, f.key, sp.municipality, danish_number(f.value), text(lang, f"unit.{f.unit}"), f.label]
                 for f in spread_figures(sp, lang)]
    return _csv(header(lang, "figures"), rows)


def tenancies_csv(report: EvaluationReport, lang: str) -> bytes:
    destinations = report.settings.destinations
    rows = []
    for t in report.tenancies:
        last = t.follow_ups[-1] if t.follow_ups else None
        destination = destinations.get(t.destination or "")
        days = (((t.moved_out or report.end) - t.moved_in).days + 1)
        rows.append([t.tenancy, t.municipality, t.person, t.household_size, t.target_group, t.dwelling, t.site, t.area,
                     t.moved_in.isoformat(), t.lease_end.isoformat(), t.moved_out.isoformat() if t.moved_out else "",
                     days, t.destination or "", _outcome(destination.positive, lang) if destination else "",
                     _yes(destination.permanent, lang) if destination else "", t.entry_status,
                     t.exit_status or "", last.checked.isoformat() if last else "",
                     _yes(last.housed, lang) if last else "", last.left.isoformat() if last and last.left else ""])
    return _csv(header(lang, "tenancies"), rows)


def destinations_csv(report: EvaluationReport, lang: str) -> bytes:
    rows = []
    for code, ev in _municipalities(report, lang):
        for key, n in ev.destinations.by_destination.items():
            d = report.settings.destinations[key]
            rows.append([code, key, d.name, _outcome(d.positive, lang), _yes(d.permanent, lang), n])
    return _csv(header(lang, "destinations"), rows)


def education_work_csv(report: EvaluationReport, lang: str) -> bytes:
    rows = [[code, entry, exit_, n] for code, ev in _municipalities(report, lang)
            for (entry, exit_), n in ev.education_work.transitions.items()]
    return _csv(header(lang, "education-work"), rows)


def areas_csv(report: EvaluationReport, lang: str) -> bytes:
    rows = []
    for sp in report.spread:
        for area in sorted(set(sp.by_area) | set(sp.households_by_area)):
            n = sp.by_area.get(area, 0)
            rows.append([sp.municipality, area, n, danish_number(percent(n, sp.dwellings)),
                         sp.households_by_area.get(area, 0), _yes(area in sp.concentrated_areas, lang)])
    return _csv(header(lang, "areas"), rows)


def sites_csv(report: EvaluationReport, lang: str) -> bytes:
    rows = []
    for sp in report.spread:
        for site, n in sp.by_site.items():
            name, area, until = report.sites[site]
            rows.append([sp.municipality, site, name, area, n, until.isoformat(), _yes(site in sp.crowded_sites, lang)])
    return _csv(header(lang, "sites"), rows)


def _costs(costs: Costs, daily_rate: Decimal | None) -> list:
    person_months = to_ore(Decimal(costs.person_months.numerator) / costs.person_months.denominator)
    return [costs.person_days, danish_number(person_months), amount(costs.subsidy), amount(daily_rate),
            amount(costs.alternative), amount(costs.saving),
            *(amount(costs.per_person_month(a)) for a in (costs.subsidy, costs.alternative, costs.saving))]


def business_case_csv(report: EvaluationReport, lang: str) -> bytes:
    """T 2: per target group and municipality over the whole period (with the daily rate it used), the total, and
    each quarter's total; person-months to two decimals."""
    case, rates = report.business_case, report.settings.alternative_cost.rates
    whole, everything = text(lang, "csv.whole-period"), text(lang, "all")
    rows = [[whole, group, code, *_costs(costs, rates.daily_rate(code))]
            for (group, code), costs in case.by_group.items()]
    rows.append([whole, everything, everything, *_costs(case.total, None)])
    rows += [[quarter(first, lang), everything, everything, *_costs(costs, None)]
             for first, costs in case.by_quarter.items()]
    return _csv(header(lang, "business-case"), rows)


def csv_files(report: EvaluationReport, lang: str) -> dict[str, bytes]:
    return {
        "evaluation-figures.csv": figures_csv(report, lang),
        "evaluation-tenancies.csv": tenancies_csv(report, lang),
        "evaluation-destinations.csv": destinations_csv(report, lang),
        "evaluation-education-work.csv": education_work_csv(report, lang),
        "evaluation-areas.csv": areas_csv(report, lang),
        "evaluation-sites.csv": sites_csv(report, lang),
        "evaluation-business-case.csv": business_case_csv(report, lang),
    }
