"""The evaluation as one self-contained HTML file: inline CSS, inline SVG charts, no script, no external resource,
so it opens anywhere without network access and prints as it shows. Danish first, English with `lang="en"`; the
page says which (`<html lang>`). Nothing may be cut off at any width: tables wrap their cells and, on a narrow
screen, show each row as a block of labelled cells; the charts scale down. Pure: the same report gives the same
bytes."""
from datetime import timedelta
from decimal import Decimal
from html import escape

from dateutil.relativedelta import relativedelta

from ....exports.language import long_date, money, month, number, quarter
from ..rules.business_case import Costs
from .figures import SECTIONS, evaluation_figures, spread_figures
from .labels import count, text
from .report import EvaluationReport
from .svg import Bar, bar_chart

ALL = "all"  # the whole trial, as the data-municipality attribute names it

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 60rem;
       color: #1d2630; line-height: 1.4; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem;
     border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; }
p.lead { color: #4a5561; margin-top: 0; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .92rem; }
th, td { border: 1px solid #d0d7de; padding: .25rem .6rem; text-align: left; overflow-wrap: break-word; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } th { background: #f3f5f7; }
tr.total td { font-weight: 600; }
svg.chart { display: block; margin: 1rem 0; font-size: 12px; max-width: 100%; height: auto; }
svg.chart .chart-title { font-weight: 600; font-size: 13px; }
svg.chart rect { fill: #5b7fa6; } svg.chart .positive rect { fill: #3c8d5a; }
svg.chart .negative rect { fill: #c2543f; }
svg.chart .entry rect { fill: #9aa8b6; } svg.chart .exit rect { fill: #2f5f8a; }
svg.chart .threshold { stroke: #c2543f; stroke-dasharray: 4 3; } svg.chart .threshold-label { fill: #c2543f; }
.flag { color: #a33b26; font-weight: 600; } .illustrative { font-weight: 600; }
footer { margin-top: 3rem; color: #6b7683; font-size: .85rem; }
@media (max-width: 50rem) {
  body { margin: 1rem auto; padding: 0 .6rem; }
  table, tbody, tr, td { display: block; } tr.head { display: none; }
  tr { border: 1px solid #d0d7de; margin-bottom: .5rem; } td { border: none; }
  td.num { text-align: left; white-space: normal; }
  td[data-head]::before { content: attr(data-head) ": "; color: #4a5561; }
}
"""


def shown(value: int | Decimal | None, lang: str) -> str:
    """A figure as the page shows it: with the decimals it has (62,9; 319,0), '–' where it does not exist."""
    if value is None:
        return text(lang, "missing")
    return number(value, lang, -value.as_tuple().exponent if isinstance(value, Decimal) else None)


def _row(cells: list[tuple[str, str, str]], css: str = "") -> str:
    """A table row of (heading it sits under, cell's attributes, escaped content)."""
    tds = "".join(f'<td data-head="{escape(head)}"{attributes}>{content}</td>' for head, attributes, content in cells)
    attributes = f' class="{css}"' if css else ""
    return f"<tr{attributes}>{tds}</tr>"


def _table(heads: list[str], rows: list[str]) -> str:
    header = '<tr class="head">' + "".join(f"<th>{escape(h)}</th>" for h in heads) + "</tr>"
    return "<table>\n" + "\n".join([header, *rows]) + "\n</table>"


def _columns(report: EvaluationReport, lang: str) -> list[tuple[str, str]]:
    return [(ALL, text(lang, "all-column")),
            *[(code, f"{report.municipalities[code]} ({code})") for code in report.by_municipality]]


def _group_names(report: EvaluationReport) -> dict[str, str]:
    return {key: group.name for key, group in report.settings.target_groups.items()}


def _figure_table(section: str, report: EvaluationReport, lang: str) -> str:
    ev_rules = report.settings.rules
    columns = _columns(report, lang)
    evaluations = {ALL: report.overall, **report.by_municipality}
    by_column = {code: {f.key: f for f in evaluation_figures(evaluations[code], ev_rules.permanent_within_months,
                                                             ev_rules.kept_permanent_months, _group_names(report),
                                                             lang) if f.section == section}
                 for code, _ in columns}
    figure_head, unit_head = text(lang, "figure"), text(lang, "unit")
    rows = []
    for key, fig in by_column[ALL].items():
        cells = [(figure_head, "", escape(fig.label))]
        for code, name in columns:
            value = by_column[code][key].value if key in by_column[code] else None
            cells.append((name, f' class="num" data-figure="{escape(section)}/{escape(key)}" '
                                f'data-municipality="{escape(code)}"', escape(shown(value, lang))))
        cells.append((unit_head, "", escape(text(lang, f"unit.{fig.unit}"))))
        rows.append(_row(cells))
    return _table([figure_head, *(name for _, name in columns), unit_head], rows)


def _months(t, end) -> int:
    gap = relativedelta((t.moved_out or end) + timedelta(days=1), t.moved_in)
    return gap.years * 12 + gap.months


def _stay_bins(report: EvaluationReport, lang: str) -> list[Bar]:
    bins = [(0, 6), (6, 12), (12, 18), (18, 24), (24, 10_000)]
    ended = [_months(t, report.end) for t in report.tenancies if t.moved_out is not None]
    counts = [sum(1 for m in ended if low <= m < high) for low, high in bins]
    return [Bar(text(lang, f"stay.{low}"), n, count(n, "tenancy", lang)) for (low, _), n in zip(bins, counts)]


def _share(value: Decimal | None, lang: str) -> str:
    return f"{shown(value, lang)} %" if value is not None else text(lang, "missing")


def _charts(section: str, report: EvaluationReport, lang: str) -> list[str]:
    names = {code: report.municipalities[code] for code in report.by_municipality}
    ev_rules = report.settings.rules
    months = {"within_months": ev_rules.permanent_within_months, "kept_months": ev_rules.kept_permanent_months}
    if section == "housed":
        return [bar_chart("households", text(lang, "chart.households"),
                          [Bar(names[c], ev.housed.households, count(ev.housed.households, "household", lang))
                           for c, ev in report.by_municipality.items()]),
                bar_chart("persons", text(lang, "chart.persons"),
                          [Bar(names[c], ev.housed.persons, count(ev.housed.persons, "person", lang))
                           for c, ev in report.by_municipality.items()])]
    if section == "temporary":
        return [bar_chart("stays", text(lang, "chart.stays"), _stay_bins(report, lang))]
    if section == "to-permanent":
        return [bar_chart("within", text(lang, "chart.within", **months),
                          [Bar(names[c], ev.to_permanent.share_within, _share(ev.to_permanent.share_within, lang))
                           for c, ev in report.by_municipality.items()], scale_max=100)]
    if section == "permanent":
        kp = report.overall.kept_permanent
        return [bar_chart("kept", text(lang, "chart.kept"), [
            Bar(text(lang, "bar.kept", **months), kp.kept, count(kp.kept, "tenant", lang), "positive"),
            Bar(text(lang, "bar.left-early", **months), kp.left_early, count(kp.left_early, "tenant", lang),
                "negative"),
            Bar(text(lang, "bar.so-far"), kp.so_far, count(kp.so_far, "tenant", lang)),
            Bar(text(lang, "bar.not-followed"), kp.not_followed, count(kp.not_followed, "tenant", lang))])]
    if section == "destinations":
        destinations = report.settings.destinations
        return [bar_chart("destinations", text(lang, "chart.destinations"), [
            Bar(destinations[key].name, n, count(n, "tenancy", lang),
                "positive" if destinations[key].positive else "negative")
            for key, n in report.overall.destinations.by_destination.items()])]
    if section == "education-work":
        bars = []
        for code, ev in report.by_municipality.items():
            ew = ev.education_work
            bars += [Bar(text(lang, "bar.at-entry", municipality=names[code]), ew.share_at_entry,
                         _share(ew.share_at_entry, lang), "entry"),
                     Bar(text(lang, "bar.at-exit", municipality=names[code]), ew.share_at_exit,
                         _share(ew.share_at_exit, lang), "exit")]
        return [bar_chart("education-work", text(lang, "chart.education-work"), bars, scale_max=100)]
    if section == "spread":
        share = ev_rules.max_area_share
        threshold = text(lang, "chart.threshold", share=number(share * 100, lang, 0))
        return [bar_chart(f"areas-{sp.municipality}",
                          text(lang, "chart.areas", municipality=report.municipalities.get(sp.municipality,
                                                                                           sp.municipality)),
                          [Bar(area, n, count(n, "dwelling", lang),
                               "negative" if area in sp.concentrated_areas else "neutral")
                           for area, n in sp.by_area.items()], threshold=(float(share) * sp.dwellings, threshold))
                for sp in report.spread if sp.dwellings]
    if section == "business-case":
        bars = []
        for first, costs in report.business_case.by_quarter.items():
            name = quarter(first, lang)
            for kind, key, amount in (("entry", "bar.subsidy", costs.subsidy),
                                      ("exit", "bar.alternative", costs.alternative)):
                value = costs.per_person_month(amount)
                bars.append(Bar(text(lang, key, quarter=name), value,
                                money(value, lang) if value is not None else text(lang, "missing"), kind))
        return [bar_chart("business-case", text(lang, "chart.business"), bars)] if bars else []
    return []


def _spread_table(report: EvaluationReport, lang: str) -> str:
    heads = [text(lang, "municipality"), text(lang, "figure"), text(lang, "value"), text(lang, "unit")]
    rows = []
    for sp in report.spread:
        name = report.municipalities.get(sp.municipality, sp.municipality)
        for fig in spread_figures(sp, lang):
            rows.append(_row([
                (heads[0], "", f"{escape(name)} ({escape(sp.municipality)})"), (heads[1], "", escape(fig.label)),
                (heads[2], f' class="num" data-figure="spread/{escape(fig.key)}" '
                           f'data-municipality="{escape(sp.municipality)}"', escape(shown(fig.value, lang))),
                (heads[3], "", escape(text(lang, f"unit.{fig.unit}")))]))
    evaluation = report.settings.evaluation
    notes = []
    for sp in report.spread:
        name = report.municipalities.get(sp.municipality, sp.municipality)
        for area in sp.concentrated_areas:
            notes.append(text(lang, "spread/concentrated-note", municipality=name, area=area,
                              share=number(evaluation.max_area_share * 100, lang, 0)))
        for site in sp.crowded_sites:
            notes.append(text(lang, "spread/crowded-note", municipality=name, site=report.sites[site][0],
                              count=count(evaluation.max_dwellings_per_site, "temporary-dwelling", lang)))
    flagged = "".join(f'<p class="flag">{escape(note)}</p>' for note in notes)
    return _table(heads, rows) + "\n" + (flagged or f"<p>{escape(text(lang, 'spread/no-concentration'))}</p>")


def _costs_cells(costs: Costs, heads: dict[str, str], where: str, lang: str) -> list[tuple[str, str, str]]:
    """Person-months, the subsidy, the alternative and the saving per person-month, and the saving in total, as
    table cells (the other sums are in evaluation-business-case.csv)."""
    person_months = Decimal(costs.person_months.numerator) / costs.person_months.denominator
    amounts = [(key, costs.per_person_month(amount)) for key, amount in (
        ("subsidy-per-pm", costs.subsidy), ("alternative-per-pm", costs.alternative),
        ("saving-per-pm", costs.saving))] + [("saving", costs.saving)]
    return [(heads["person-months"], f' class="num" data-figure="business-case/person-months"{where}',
             escape(number(person_months, lang, 2)))] + [
        (heads[key], f' class="num" data-figure="business-case/{key}"{where}',
         escape(money(amount, lang) if amount is not None else text(lang, "missing")))
        for key, amount in amounts]


def _business_case(report: EvaluationReport, lang: str) -> str:
    case, setting = report.business_case, report.settings.alternative_cost
    if not case.months:
        return f"<p>{escape(text(lang, 'business/no-months'))}</p>"
    rates = ", ".join([text(lang, "business/rate", municipality=report.municipalities.get(code, code),
                            rate=money(rate, lang)) for code, rate in sorted(setting.municipalities.items())]
                      + [text(lang, "business/default-rate", rate=money(setting.daily_rate, lang))])
    months = f"{month(case.months[0], lang)} – {month(case.months[-1], lang)}"
    keys = ("person-months", "subsidy-per-pm", "alternative-per-pm", "saving-per-pm", "saving")
    heads = {key: text(lang, f"business/{key}") for key in keys}
    group_head, municipality_head = text(lang, "business/target-group"), text(lang, "municipality")
    group_names = _group_names(report)
    rows = [_row([(group_head, "", escape(group_names.get(group, group))),
                  (municipality_head, "", f"{escape(report.municipalities.get(code, code))} ({escape(code)})"),
                  *_costs_cells(costs, heads, f' data-group="{escape(group)}" data-municipality="{escape(code)}"',
                                lang)])
            for (group, code), costs in case.by_group.items()]
    rows.append(_row([(group_head, "", escape(text(lang, "business/total"))), (municipality_head, "", ""),
                      *_costs_cells(case.total, heads, f' data-group="{ALL}" data-municipality="{ALL}"', lang)],
                     "total"))
    quarter_head = text(lang, "business/quarter")
    quarters = [_row([(quarter_head, "", escape(quarter(first, lang))),
                      *_costs_cells(costs, heads, f' data-quarter="{first.isoformat()}"', lang)])
                for first, costs in case.by_quarter.items()]
    return "\n".join([
        f"<p>{escape(text(lang, 'business/lead', months=months, alternative=setting.name))}</p>",
        f'<p class="illustrative">{escape(text(lang, "business/illustrative", rates=rates))}</p>',
        _table([group_head, municipality_head, *heads.values()], rows),
        _table([quarter_head, *heads.values()], quarters),
    ])


def _section(section: str, report: EvaluationReport, lang: str) -> str:
    if section == "spread":
        return _spread_table(report, lang)
    if section == "business-case":
        return _business_case(report, lang)
    table = _figure_table(section, report, lang)
    if section == "education-work":
        table += f"\n<p>{escape(text(lang, 'education-work/after-note'))}</p>"
    return table


def html_report(report: EvaluationReport, lang: str) -> str:
    title = text(lang, "title", start=long_date(report.start, lang), end=long_date(report.end, lang))
    municipalities = ", ".join(f"{name} ({code})" for code, name in report.municipalities.items())
    body = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f'<h1 id="report-title">{escape(title)}</h1>',
        f'<p class="lead">{escape(text(lang, "lead", municipalities=municipalities, end=long_date(report.end, lang)))}'
        "</p>",
    ]
    for section in SECTIONS:
        body += [f'<section id="{escape(section)}">', f"<h2>{escape(text(lang, f'section.{section}'))}</h2>",
                 _section(section, report, lang), *_charts(section, report, lang), "</section>"]
    body += [f"<footer>{escape(text(lang, 'footer'))}</footer>", "</body>", "</html>", ""]
    return "\n".join(body)
