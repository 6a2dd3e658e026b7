"""The authority's decisions in words: English for the operators (`status`), Danish first for the recipients who
read them on their statement. One template per kind of decision and language, filled from the decision's columns;
amounts and dates through exports/language.py."""
from ...cases import InForce
from ...exports.language import long_date, number, support
from .rules.decisions import Decided

REDUCING = ("reduction", "stop")
TEXT = {
    "en": {
        "transfer": "grant {grant} transferred to organisation {organisation}",
        "grant-change": "grant {grant} changed: {changes}", "added": "departments and dwellings added",
        "duration": "duration {value} years", "social-support": "social support {value} a year",
        "price-year": "price year {value}", "conversion": "conversion grant {value}",
        "reduction": "grant {grant} {support} reduced by {by}", "stop": "grant {grant} {support} stopped by {by}",
        "a-year": "{amount} a year",
        "resume": "grant {grant} {support} resumed",
        "repayment": "grant {grant} social-support repayment for {year}: {action}{part}",
        "collect": "collect", "offset": "offset", "offset-part": "offset-part",
        "late-claim": "late loss claim {year} of municipality {municipality} accepted",
        "cohort-reserve": "reserve of cohort {cohort} set to {amount}",
        "waive": "grant {grant} lapse waived", "limit": "grant {grant} lapse limited to {support}",
        "line": "{case} decided {decided}: {what}; {when}", "from": "from {start}", "until": " until {end}",
        "ends": "ends what it supersedes", "superseded": "superseded before it took effect",
    },
    "da": {
        "transfer": "tilsagn {grant} overdraget til organisation {organisation}",
        "grant-change": "tilsagn {grant} ændret: {changes}", "added": "afdelinger og boliger tilføjet",
        "duration": "varighed {value} år", "social-support": "sociale støttefunktioner {value} om året",
        "price-year": "prisniveau {value}", "conversion": "tilskud til ombygning {value}",
        "reduction": "tilsagn {grant}: {support} nedsat med {by}",
        "stop": "tilsagn {grant}: {support} standset med {by}", "a-year": "{amount} om året",
        "resume": "tilsagn {grant}: {support} genoptaget",
        "repayment": "tilsagn {grant}: tilbagebetaling af sociale støttefunktioner for {year}: {action}{part}",
        "collect": "opkræves", "offset": "modregnes", "offset-part": "modregnes delvis",
        "late-claim": "sen anmeldelse af tab {year} fra kommune {municipality} godkendt",
        "cohort-reserve": "reserven for årgang {cohort} fastsat til {amount}",
        "waive": "tilsagn {grant}: bortfald frafaldet", "limit": "tilsagn {grant}: bortfald begrænset til {support}",
        "line": "{case} afgjort {decided}: {what}; {when}", "from": "fra {start}", "until": " til {end}",
        "ends": "afslutter det, den afløser", "superseded": "afløst, før den fik virkning",
    },
}


def describe(d: Decided, lang: str = "en") -> str:
    """What the decision decides, in words."""
    t = TEXT[lang]

    def kroner(amount) -> str:
        return number(amount, lang, 2) if lang == "da" else f"{amount:,.2f}"

    named = support(d.support, lang).lower() if d.support and lang == "da" else d.support
    if d.kind == "grant-change":
        changes = [t[key].format(value=value) for key, value in (
            ("duration", d.duration_years), ("social-support", d.social_support_annual
                                             and kroner(d.social_support_annual)),
            ("price-year", d.social_support_price_year),
            ("conversion", d.conversion_amount is not None and kroner(d.conversion_amount))) if value]
        return t["grant-change"].format(grant=d.grant_id, changes=", ".join(changes) or t["added"])
    if d.kind in REDUCING:
        by = f"{number(d.percent, lang) if lang == 'da' else d.percent} %" if d.percent is not None else \
            t["a-year"].format(amount=kroner(d.amount))
        return t[d.kind].format(grant=d.grant_id, support=named, by=by)
    if d.kind == "repayment":
        part = f" ({kroner(d.amount)})" if d.amount is not None else ""
        return t["repayment"].format(grant=d.grant_id, year=d.year, action=t[d.action], part=part)
    if d.kind == "lapse":
        return t[d.action].format(grant=d.grant_id, support=named)
    return t[d.kind].format(grant=d.grant_id, support=named, organisation=d.organisation_cvr, year=d.year,
                            municipality=d.municipality_code, cohort=d.cohort,
                            amount=d.amount is not None and kroner(d.amount))


def decision_line(d: Decided, period: InForce | None, lang: str = "en") -> str:
    """Case, date decided, what it decides and when it is in force."""
    t = TEXT[lang]

    def day(value) -> str:
        return long_date(value, lang) if lang == "da" else str(value)

    if period is not None:
        when = t["from"].format(start=day(period.start)) + (t["until"].format(end=day(period.end)) if period.end else "")
    else:
        when = t["ends"] if d.kind == "resume" else t["superseded"]
    return t["line"].format(case=d.case_ref, decided=day(d.decided), what=describe(d, lang), when=when)
