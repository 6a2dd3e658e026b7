"""The evaluation as one self-contained HTML file: inline CSS, inline SVG charts, no script, no external resource,
so it opens anywhere without network access and prints as it shows. Pure: the same report gives the same bytes."""
from datetime import timedelta
from html import escape

from dateutil.relativedelta import relativedelta

from .csv_files import ALL, danish_number
from .figures import SECTIONS, evaluation_figures, spread_figures
from .report import EvaluationReport
from .svg import Bar, bar_chart

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 60rem;
       color: #1d2630; line-height: 1.4; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem;
     border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; }
p.lead { color: #4a5561; margin-top: 0; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .92rem; }
th, td { border: 1px solid #d0d7de; padding: .25rem .6rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } th { background: #f3f5f7; }
svg.chart { display: block; margin: 1rem 0; font-size: 12px; }
svg.chart .chart-title { font-weight: 600; font-size: 13px; }
svg.chart rect { fill: #5b7fa6; } svg.chart .positive rect { fill: #3c8d5a; } svg.chart .negative rect { fill: #c2543f; }
svg.chart .entry rect { fill: #9aa8b6; } svg.chart .exit rect { fill: #2f5f8a; }
svg.chart .threshold { stroke: #c2543f; stroke-dasharray: 4 3; } svg.chart .threshold-label { fill: #c2543f; }
.flag { color: #a33b26; font-weight: 600; } footer { margin-top: 3rem; color: #6b7683; font-size: .85rem; }
"""


def _columns(report: EvaluationReport) -> list[tuple[str, str]]:
    return [(ALL, "All"), *[(code, f"{report.municipalities[code]} ({code})") for code in report.by_municipality]]


def _figure_table(section: str, report: EvaluationReport) -> str:
    ev_rules = report.settings.rules
    columns = _columns(report)
    evaluations = {ALL: report.overall, **report.by_municipality}
    by_column = {code: [f for f in evaluation_figures(evaluations[code], ev_rules.permanent_within_months,
                                                    ev_rules.kept_permanent_months) if f.section == section]
                 for code, _ in columns}
    rows = ["<tr><th>figure</th>" + "".join(f"<th>{escape(name)}</th>" for _, name in columns) + "<th>unit</th></tr>"]
    for i, fig in enumerate(by_column[ALL]):
        cells = "".join(f'<td class="num" data-figure="{escape(section)}/{escape(fig.key)}" '
                        f'data-municipality="{escape(code)}">{escape(danish_number(by_column[code][i].value))}</td>'
                        for code, _ in columns if i < len(by_column[code]) and by_column[code][i].key == fig.key)
        rows.append(f"<tr><td>{escape(fig.label)}</td>{cells}<td>{escape(fig.unit)}</td></tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def _months(t, end) -> int:
    gap = relativedelta((t.moved_out or end) + timedelta(days=1), t.moved_in)
    return gap.years * 12 + gap.months


def _stay_bins(report: EvaluationReport) -> list[Bar]:
    bins = [("under 6 months", 0, 6), ("6-11 months", 6, 12), ("12-17 months", 12, 18), ("18-23 months", 18, 24),
            ("24 months or more", 24, 10_000)]
    ended = [_months(t, report.end) for t in report.tenancies if t.moved_out]
    return [Bar(label, sum(1 for m in ended if low <= m < high)) for label, low, high in bins]


def _charts(section: str, report: EvaluationReport) -> list[str]:
    names = {code: report.municipalities[code] for code in report.by_municipality}
    ev_rules = report.settings.rules
    if section == "housed":
        return [bar_chart("households", "Households housed, by municipality",
                          [Bar(names[c], ev.housed.households) for c, ev in report.by_municipality.items()], "households"),
                bar_chart("persons", "Persons housed, by municipality",
                          [Bar(names[c], ev.housed.persons) for c, ev in report.by_municipality.items()], "persons")]
    if section == "temporary":
        return [bar_chart("stays", "Time in temporary housing of the tenancies that ended", _stay_bins(report),
                          "tenancies")]
    if section == "to-permanent":
        months = ev_rules.permanent_within_months
        return [bar_chart("within", f"Share in permanent housing within {months} months of moving in",
                          [Bar(names[c], ev.to_permanent.share_within) for c, ev in report.by_municipality.items()],
                          "%", scale_max=100)]
    if section == "permanent":
        kp, months = report.overall.kept_permanent, ev_rules.kept_permanent_months
        return [bar_chart("kept", "Tenants who moved on to permanent housing: did they keep it?", [
            Bar(f"kept it {months} months or more", kp.kept, "positive"),
            Bar(f"left it within {months} months", kp.left_early, "negative"),
            Bar("still there, too early to tell", kp.so_far), Bar("not followed up", kp.not_followed)], "tenants")]
    if section == "destinations":
        destinations = report.settings.destinations
        return [bar_chart("destinations", "Where tenants moved on moving out", [
            Bar(destinations[key].name, n, "positive" if destinations[key].positive else "negative")
            for key, n in report.overall.destinations.by_destination.items()], "tenancies")]
    if section == "education-work":
        bars = []
        for code, ev in report.by_municipality.items():
            bars += [Bar(f"{names[code]}, at entry", ev.education_work.share_at_entry, "entry"),
                     Bar(f"{names[code]}, at exit", ev.education_work.share_at_exit, "exit")]
        return [bar_chart("education-work", "In education or work, share of the tenancies that ended", bars, "%",
                          scale_max=100)]
    if section == "spread":
        share = ev_rules.max_area_share
        return [bar_chart(f"areas-{sp.municipality}", f"{names.get(sp.municipality, sp.municipality)}: temporary "
                          f"dwellings by area", [Bar(area, n, "negative" if area in sp.concentrated_areas else "neutral")
                                                  for area, n in sp.by_area.items()], "dwellings",
                          threshold=(float(share) * sp.dwellings, f"{danish_number(share * 100)} % of the dwellings"))
                for sp in report.spread if sp.dwellings]
    return []


def _spread_table(report: EvaluationReport) -> str:
    rows = ["<tr><th>municipality</th><th>figure</th><th>value</th><th>unit</th></tr>"]
    for sp in report.spread:
        name = report.municipalities.get(sp.municipality, sp.municipality)
        for fig in spread_figures(sp):
            rows.append(f"<tr><td>{escape(name)} ({escape(sp.municipality)})</td><td>{escape(fig.label)}</td>"
                        f'<td class="num" data-figure="spread/{escape(fig.key)}" data-municipality="{escape(sp.municipality)}">'
                        f"{escape(danish_number(fig.value))}</td><td>{escape(fig.unit)}</td></tr>")
    notes = []
    for sp in report.spread:
        name = report.municipalities.get(sp.municipality, sp.municipality)
        for area in sp.concentrated_areas:
            notes.append(f'<p class="flag">{escape(name)}: area {escape(area)} holds more than '
                         f"{danish_number(report.settings.evaluation.max_area_share * 100)} % of the temporary dwellings.</p>")
        for site in sp.crowded_sites:
            notes.append(f'<p class="flag">{escape(name)}: site {escape(report.sites[site][0])} holds more than '
                         f"{report.settings.evaluation.max_dwellings_per_site} temporary dwellings.</p>")
    if not notes:
        notes.append("<p>No area or site holds more than the configured share or number of temporary dwellings.</p>")
    return "<table>\n" + "\n".join(rows) + "\n</table>\n" + "\n".join(notes)


def html_report(report: EvaluationReport) -> str:
    period = f"{report.start.isoformat()} to {report.end.isoformat()}"
    municipalities = ", ".join(f"{name} ({code})" for code, name in report.municipalities.items())
    body = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Temporary housing trial: evaluation {escape(period)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f'<h1 id="report-title">Temporary housing trial: evaluation {escape(period)}</h1>',
        f'<p class="lead">Midlertidige boliger, evaluation figures promised in section 5 of the trial application, '
        f"for {escape(municipalities)}, as known on {escape(report.end.isoformat())}. Days are calendar days, "
        "counted inclusively; the figures per tenancy are in evaluation-tenancies.csv.</p>",
    ]
    for section, title in SECTIONS.items():
        body.append(f'<section id="{escape(section)}">')
        body.append(f"<h2>{escape(title)}</h2>")
        body.append(_spread_table(report) if section == "spread" else _figure_table(section, report))
        body += _charts(section, report)
        body.append("</section>")
    body += [
        "<footer>Generated by disbursement evaluate from the stored tenancy reports; every figure is defined in "
        "docs/temporary-housing.md. No scripts; the charts are inline SVG.</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(body)
