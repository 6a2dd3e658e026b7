"""Every word the evaluation's files show, Danish first, English with `evaluate --lang en` (issue 16): one table per
language with the same keys (a test keeps them so), filled in with `str.format`. Numbers, amounts, dates and
plurals are formatted by exports/language.py; names from the config (target groups, destinations, statuses) are
shown as configured."""
from ....exports import language

LABELS = {
    "da": {
        # the page
        "title": "Forsøg med midlertidige boliger: evaluering {start} – {end}",
        "lead": "Evalueringspunkterne i afsnit 5 i forsøgsansøgningen om midlertidige boliger for {municipalities}, "
                "som de kendes den {end}. Dage er kalenderdage, talt med begge ender; tallene for hvert lejemål står "
                "i evaluation-tenancies.csv.",
        "footer": "Dannet af disbursement evaluate ud fra de gemte indberetninger og bogføringen; hvert tal er "
                  "defineret i docs/temporary-housing.md. Ingen scripts; graferne er indlejret SVG.",
        "all": "alle", "all-column": "Alle",
        "figure": "Nøgletal", "unit": "Enhed", "municipality": "Kommune", "value": "Værdi",
        "unit.count": "antal", "unit.days": "dage", "unit.percent": "%",
        "missing": "–",
        # sections: what each answers in T
        "section.housed": "Borgere og husstande i midlertidig bolig (T 5: Antal borgere, som får et tilbud om "
                          "midlertidig bolig)",
        "section.temporary": "Tid i midlertidig bolig (T 5: Fastholdelse i midlertidig og varig bolig)",
        "section.to-permanent": "Tid til varig bolig (T 5: hvor hurtigt borgeren flytter til en varig bolig; T 2: "
                                "inden for 2 år)",
        "section.permanent": "Tid i den varige bolig (T 2: den varige bolig fastholdes i mindst 2 år)",
        "section.destinations": "Hvor lejerne flyttede hen (T 5: positiv eller negativ udvikling)",
        "section.education-work": "Uddannelse og arbejde ved ind- og fraflytning (T 5: Borgerens udvikling, "
                                   "uddannelse/arbejdsmarked)",
        "section.spread": "Spredning af de midlertidige boliger (T 5: Beliggenhed - spredning af den midlertidige "
                          "boligmasse)",
        "section.business-case": "Business case: tilskuddet mod et botilbud eller forsorgshjem (T 2: Økonomiske mål)",
        # figures
        "housed/tenancies": "Lejemål i perioden", "housed/households": "Husstande",
        "housed/persons": "Personer (husstandens medlemmer medregnet)",
        "housed/moved-in-during": "Lejemål begyndt i perioden", "housed/households-in-group": "Husstande, {group}",
        "temporary/ended": "Lejemål afsluttet (fraflyttet)", "temporary/ended-mean-days": "Ophold for de fraflyttede, "
        "gennemsnit", "temporary/ended-median-days": "Ophold for de fraflyttede, median",
        "temporary/ended-shortest-days": "Korteste ophold", "temporary/ended-longest-days": "Længste ophold",
        "temporary/ongoing": "Lejemål i gang ved periodens slutning",
        "temporary/ongoing-median-days": "Ophold indtil nu for dem, der stadig bor der, median",
        "to-permanent/reached": "Flyttet videre til varig bolig",
        "to-permanent/reached-mean-days": "Tid fra indflytning til varig bolig, gennemsnit",
        "to-permanent/reached-median-days": "Tid fra indflytning til varig bolig, median",
        "to-permanent/observable": "Lejemål begyndt mindst {within_months} måneder før periodens slutning",
        "to-permanent/within": "... heraf flyttet til varig bolig inden for {within_months} måneder",
        "to-permanent/within-share": "Andel i varig bolig inden for {within_months} måneder",
        "permanent/moved-to-permanent": "Lejere flyttet videre til varig bolig",
        "permanent/kept": "Har beholdt den mindst {kept_months} måneder",
        "permanent/left-early": "Forlod den inden for {kept_months} måneder",
        "permanent/so-far": "Bor der stadig ved sidste opfølgning, under {kept_months} måneder efter",
        "permanent/not-followed": "Ikke fulgt op", "permanent/known-median-days": "Kendt tid i varig bolig, median",
        "destinations/moved-out": "Fraflyttede lejemål", "destinations/positive": "Positive fraflytninger",
        "destinations/negative": "Negative fraflytninger", "destinations/positive-share": "Andel positive",
        "education-work/ended": "Afsluttede lejemål",
        "education-work/active-at-entry": "I uddannelse eller arbejde ved indflytning",
        "education-work/active-at-exit": "I uddannelse eller arbejde ved fraflytning",
        "education-work/share-at-entry": "Andel i uddannelse eller arbejde ved indflytning",
        "education-work/share-at-exit": "Andel i uddannelse eller arbejde ved fraflytning",
        "education-work/started": "Kommet i uddannelse eller arbejde (ingen af delene ved indflytning)",
        "education-work/kept": "Fastholdt uddannelse eller arbejde (ved både ind- og fraflytning)",
        "education-work/stopped": "Ude af uddannelse eller arbejde ved fraflytning",
        "education-work/never": "Hverken ved ind- eller fraflytning",
        "education-work/after-note": "Om uddannelse eller arbejde fastholdes efter fraflytningen, kan ikke opgøres: "
                                     "indberetningerne bærer status ved ind- og fraflytning, og opfølgningerne "
                                     "siger kun, om lejeren stadig bor i den varige bolig.",
        "spread/dwellings": "Midlertidige boliger ved periodens slutning",
        "spread/areas": "Bydele med midlertidige boliger", "spread/sites": "Grunde",
        "spread/largest-area-share": "Største bydels andel af boligerne",
        "spread/largest-site": "Flest boliger på én grund",
        "spread/concentrated-areas": "Bydele over den fastsatte andel",
        "spread/crowded-sites": "Grunde over det fastsatte antal",
        "spread/concentrated-note": "{municipality}: bydelen {area} har mere end {share} % af de midlertidige boliger.",
        "spread/crowded-note": "{municipality}: grunden {site} har mere end {count}.",
        "spread/no-concentration": "Ingen bydel eller grund har mere end den fastsatte andel eller det fastsatte "
                                   "antal midlertidige boliger.",
        # business case
        "business/lead": "Det midlertidige huslejetilskud, som det er bogført for periodens hele kalendermåneder "
                         "({months}), mod hvad de samme personers dage ville have kostet på {alternative}. En "
                         "personmåned er én person i en hel kalendermåned. Sammenligningen omfatter kun "
                         "huslejetilskuddet: støtte i den midlertidige bolig er ikke med.",
        "business/illustrative": "Døgntaksterne pr. person er ILLUSTRATIVE, ikke kommunernes faktiske priser: "
                                 "{rates}.",
        "business/rate": "{municipality} {rate}", "business/default-rate": "ellers {rate}",
        "business/no-months": "Perioden rummer ingen hel kalendermåned at sammenligne.",
        "business/target-group": "Målgruppe", "business/quarter": "Kvartal",
        "business/person-months": "Personmåneder",
        "business/saving": "Besparelse i alt",
        "business/subsidy-per-pm": "Tilskud pr. personmåned",
        "business/alternative-per-pm": "Alternativ pr. personmåned (illustrativ)",
        "business/saving-per-pm": "Besparelse pr. personmåned",
        "business/total": "I alt",
        # charts
        "chart.households": "Husstande i midlertidig bolig, pr. kommune",
        "chart.persons": "Personer i midlertidig bolig, pr. kommune",
        "chart.stays": "Tid i midlertidig bolig for de afsluttede lejemål",
        "chart.within": "Andel i varig bolig inden for {within_months} måneder efter indflytning",
        "chart.kept": "Lejere flyttet til varig bolig: har de beholdt den?",
        "chart.destinations": "Hvor lejerne flyttede hen ved fraflytning",
        "chart.education-work": "I uddannelse eller arbejde, andel af de afsluttede lejemål",
        "chart.areas": "{municipality}: midlertidige boliger pr. bydel",
        "chart.threshold": "{share} % af boligerne",
        "chart.business": "Pr. personmåned og kvartal: tilskud mod alternativ (illustrativ)",
        "bar.at-entry": "{municipality}, ved indflytning", "bar.at-exit": "{municipality}, ved fraflytning",
        "bar.kept": "beholdt {kept_months} måneder eller mere",
        "bar.left-early": "forladt inden for {kept_months} måneder",
        "bar.so-far": "bor der stadig, for tidligt at sige", "bar.not-followed": "ikke fulgt op",
        "bar.subsidy": "{quarter}, tilskud", "bar.alternative": "{quarter}, alternativ",
        "stay.0": "under 6 måneder", "stay.6": "6-11 måneder", "stay.12": "12-17 måneder", "stay.18": "18-23 måneder",
        "stay.24": "24 måneder eller mere",
        # nouns, singular and plural
        "noun.tenancy": ("lejemål", "lejemål"), "noun.household": ("husstand", "husstande"),
        "noun.person": ("person", "personer"), "noun.tenant": ("lejer", "lejere"),
        "noun.dwelling": ("bolig", "boliger"), "noun.temporary-dwelling": ("midlertidig bolig", "midlertidige boliger"),
        # csv
        "csv.figures": ("afsnit", "nøgletal", "kommune", "værdi", "enhed", "betegnelse"),
        "csv.tenancies": ("lejemål", "kommune", "person", "husstandsstørrelse", "målgruppe", "bolig", "grund", "bydel",
                          "indflyttet", "lejemål_udløber", "fraflyttet", "dage", "fraflytningssted", "udfald", "varig",
                          "status_ved_indflytning", "status_ved_fraflytning", "seneste_opfølgning", "bor_der_stadig",
                          "forlod_varig_bolig"),
        "csv.destinations": ("kommune", "fraflytningssted", "navn", "udfald", "varig", "lejemål"),
        "csv.education-work": ("kommune", "status_ved_indflytning", "status_ved_fraflytning", "lejemål"),
        "csv.areas": ("kommune", "bydel", "boliger", "andel_procent", "lejemål", "koncentration"),
        "csv.sites": ("kommune", "grund", "navn", "bydel", "boliger", "tilladelse_til", "for_mange"),
        "csv.business-case": ("periode", "målgruppe", "kommune", "persondage", "personmåneder", "tilskud",
                              "døgntakst_illustrativ", "alternativ_illustrativ", "besparelse", "tilskud_pr_personmåned",
                              "alternativ_pr_personmåned", "besparelse_pr_personmåned"),
        "csv.whole-period": "hele perioden",
        "yes": "ja", "no": "nej", "positive": "positiv", "negative": "negativ",
    },
    "en": {
        "title": "Temporary housing trial: evaluation {start} – {end}",
        "lead": "The evaluation figures promised in section 5 of the temporary-housing trial application for "
                "{municipalities}, as known on {end}. Days are calendar days, counted inclusively; the figures per "
                "tenancy are in evaluation-tenancies.csv.",
        "footer": "Generated by disbursement evaluate from the stored reports and the ledger; every figure is defined "
                  "in docs/temporary-housing.md. No scripts; the charts are inline SVG.",
        "all": "all", "all-column": "All",
        "figure": "Figure", "unit": "Unit", "municipality": "Municipality", "value": "Value",
        "unit.count": "number", "unit.days": "days", "unit.percent": "%",
        "missing": "–",
        "section.housed": "Persons and households housed (T 5: Antal borgere, som får et tilbud om midlertidig bolig)",
        "section.temporary": "Time in temporary housing (T 5: Fastholdelse i midlertidig og varig bolig)",
        "section.to-permanent": "Time to permanent housing (T 5: hvor hurtigt borgeren flytter til en varig bolig; "
                                "T 2: inden for 2 år)",
        "section.permanent": "Time kept in permanent housing (T 2: den varige bolig fastholdes i mindst 2 år)",
        "section.destinations": "Destinations on moving out (T 5: positiv eller negativ udvikling)",
        "section.education-work": "Education and work at entry and exit (T 5: Borgerens udvikling, "
                                   "uddannelse/arbejdsmarked)",
        "section.spread": "Spread of the temporary dwellings (T 5: Beliggenhed - spredning af den midlertidige "
                          "boligmasse)",
        "section.business-case": "Business case: the subsidy against a botilbud or forsorgshjem (T 2: Økonomiske mål)",
        "housed/tenancies": "Tenancies (leases) in the period", "housed/households": "Households housed",
        "housed/persons": "Persons housed (household members included)",
        "housed/moved-in-during": "Tenancies begun in the period", "housed/households-in-group": "Households, {group}",
        "temporary/ended": "Tenancies ended (moved out)", "temporary/ended-mean-days": "Stay of those who moved out, "
        "mean", "temporary/ended-median-days": "Stay of those who moved out, median",
        "temporary/ended-shortest-days": "Shortest stay", "temporary/ended-longest-days": "Longest stay",
        "temporary/ongoing": "Tenancies ongoing at the end of the period",
        "temporary/ongoing-median-days": "Stay so far of those still living there, median",
        "to-permanent/reached": "Moved on to permanent housing",
        "to-permanent/reached-mean-days": "Time from move-in to permanent housing, mean",
        "to-permanent/reached-median-days": "Time from move-in to permanent housing, median",
        "to-permanent/observable": "Tenancies begun at least {within_months} months before the end",
        "to-permanent/within": "... of which moved on to permanent housing within {within_months} months",
        "to-permanent/within-share": "Share in permanent housing within {within_months} months",
        "permanent/moved-to-permanent": "Tenants who moved on to permanent housing",
        "permanent/kept": "Kept it at least {kept_months} months",
        "permanent/left-early": "Left it within {kept_months} months",
        "permanent/so-far": "Still there at the last follow-up, less than {kept_months} months on",
        "permanent/not-followed": "Not followed up",
        "permanent/known-median-days": "Time in permanent housing as known, median",
        "destinations/moved-out": "Moved out", "destinations/positive": "Positive destinations",
        "destinations/negative": "Negative destinations", "destinations/positive-share": "Share positive",
        "education-work/ended": "Tenancies ended",
        "education-work/active-at-entry": "In education or work at entry",
        "education-work/active-at-exit": "In education or work at exit",
        "education-work/share-at-entry": "Share in education or work at entry",
        "education-work/share-at-exit": "Share in education or work at exit",
        "education-work/started": "Started education or work (neither at entry)",
        "education-work/kept": "Kept education or work (at both entry and exit)",
        "education-work/stopped": "Out of education or work at exit",
        "education-work/never": "Neither at entry nor at exit",
        "education-work/after-note": "Whether education or work is kept after moving out cannot be told: the reports "
                                     "carry the status at entry and exit, and the follow-ups say only whether the "
                                     "tenant still lives in the permanent dwelling.",
        "spread/dwellings": "Temporary dwellings standing at the end of the period",
        "spread/areas": "Areas (districts) with temporary dwellings", "spread/sites": "Sites",
        "spread/largest-area-share": "Largest area's share of the dwellings",
        "spread/largest-site": "Most dwellings on one site",
        "spread/concentrated-areas": "Areas above the configured share",
        "spread/crowded-sites": "Sites above the configured number",
        "spread/concentrated-note": "{municipality}: area {area} holds more than {share} % of the temporary dwellings.",
        "spread/crowded-note": "{municipality}: site {site} holds more than {count}.",
        "spread/no-concentration": "No area or site holds more than the configured share or number of temporary "
                                   "dwellings.",
        "business/lead": "The temporary rent subsidy as booked for the whole calendar months of the period "
                         "({months}), against what the same persons' days would have cost in {alternative}. A "
                         "person-month is one person for a whole calendar month. The comparison covers the rent "
                         "subsidy only: support given in the temporary dwelling is not included.",
        "business/illustrative": "The daily rates per person are ILLUSTRATIVE, not the municipalities' actual "
                                 "prices: {rates}.",
        "business/rate": "{municipality} {rate}", "business/default-rate": "otherwise {rate}",
        "business/no-months": "The period holds no whole calendar month to compare.",
        "business/target-group": "Target group", "business/quarter": "Quarter",
        "business/person-months": "Person-months",
        "business/saving": "Saving in total",
        "business/subsidy-per-pm": "Subsidy per person-month",
        "business/alternative-per-pm": "Alternative per person-month (illustrative)",
        "business/saving-per-pm": "Saving per person-month",
        "business/total": "Total",
        "chart.households": "Households housed, by municipality",
        "chart.persons": "Persons housed, by municipality",
        "chart.stays": "Time in temporary housing of the tenancies that ended",
        "chart.within": "Share in permanent housing within {within_months} months of moving in",
        "chart.kept": "Tenants who moved on to permanent housing: did they keep it?",
        "chart.destinations": "Where tenants moved on moving out",
        "chart.education-work": "In education or work, share of the tenancies that ended",
        "chart.areas": "{municipality}: temporary dwellings by area",
        "chart.threshold": "{share} % of the dwellings",
        "chart.business": "Per person-month and quarter: subsidy against the alternative (illustrative)",
        "bar.at-entry": "{municipality}, at entry", "bar.at-exit": "{municipality}, at exit",
        "bar.kept": "kept it {kept_months} months or more", "bar.left-early": "left it within {kept_months} months",
        "bar.so-far": "still there, too early to tell", "bar.not-followed": "not followed up",
        "bar.subsidy": "{quarter}, subsidy", "bar.alternative": "{quarter}, alternative",
        "stay.0": "under 6 months", "stay.6": "6-11 months", "stay.12": "12-17 months", "stay.18": "18-23 months",
        "stay.24": "24 months or more",
        "noun.tenancy": ("tenancy", "tenancies"), "noun.household": ("household", "households"),
        "noun.person": ("person", "persons"), "noun.tenant": ("tenant", "tenants"),
        "noun.dwelling": ("dwelling", "dwellings"), "noun.temporary-dwelling": ("temporary dwelling",
                                                                                "temporary dwellings"),
        "csv.figures": ("section", "figure", "municipality", "value", "unit", "label"),
        "csv.tenancies": ("tenancy", "municipality", "person", "household_size", "target_group", "dwelling", "site",
                          "area", "moved_in", "lease_end", "moved_out", "days", "destination", "outcome", "permanent",
                          "entry_status", "exit_status", "last_follow_up", "still_housed", "left_permanent"),
        "csv.destinations": ("municipality", "destination", "name", "outcome", "permanent", "tenancies"),
        "csv.education-work": ("municipality", "entry_status", "exit_status", "tenancies"),
        "csv.areas": ("municipality", "area", "dwellings", "share_percent", "tenancies", "concentrated"),
        "csv.sites": ("municipality", "site", "name", "area", "dwellings", "permission_until", "crowded"),
        "csv.business-case": ("period", "target_group", "municipality", "person_days", "person_months", "subsidy",
                              "daily_rate_illustrative", "alternative_illustrative", "saving",
                              "subsidy_per_person_month", "alternative_per_person_month", "saving_per_person_month"),
        "csv.whole-period": "whole period",
        "yes": "yes", "no": "no", "positive": "positive", "negative": "negative",
    },
}


def text(lang: str, key: str, **values) -> str:
    """The label `key` in `lang`, its {fields} filled in."""
    return LABELS[lang][key].format(**values)


def count(n: int, noun: str, lang: str) -> str:
    """'1 lejemål', '2 husstande'; '1 household', '2 households'."""
    singular, plural_form = LABELS[lang][f"noun.{noun}"]
    return language.plural(n, singular, plural_form)


def header(lang: str, key: str) -> tuple[str, ...]:
    """A CSV file's header row in `lang` (labels "csv.*")."""
    return LABELS[lang][f"csv.{key}"]
