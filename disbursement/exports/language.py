"""What recipients and evaluators read is Danish first, English with `--lang en` (issue 16): the one place that
formats their amounts, numbers and dates (Babel's CLDR data: 1.234,56 kr., 28. juni 2019), picks a noun's
singular or plural, and names the support types and booked components. The CLI's own messages stay English."""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LANGUAGES = ("da", "en")
LOCALES = {"da": "da_DK", "en": "en_DK"}


def money(amount: Decimal, lang: str) -> str:
    """13260 -> '13.260,00 kr.' (da), '13.260,00 kr.' (en too: English labels, Danish
    amounts, as a Danish recipient reads them: the en_DK locale)."""
    return format_currency(amount, "DKK", locale=LOCALES[lang])


def number(value: Decimal | int, lang: str, decimals: int | None = None) -> str:
    """1234.5 -> '1.234,5' (da); with `decimals`, exactly that many (half up, as SPEC 3 rounds what a person sees)."""
    if decimals is None:
        return format_decimal(value, locale=LOCALES[lang])
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)  # Babel rounds half even
    return format_decimal(rounded, format=pattern, locale=LOCALES[lang], decimal_quantization=True)


def long_date(day: date, lang: str) -> str:
    """2019-06-28 -> '28. juni 2019' (da), '28 June 2019' (en)."""
    return format_date(day, format="long", locale=LOCALES[lang])


def month(day: date, lang: str) -> str:
    """The month of `day`: 2019-06-28 -> 'juni 2019' (da), 'June 2019' (en)."""
    return format_date(day, format="LLLL y", locale=LOCALES[lang])


def quarter(day: date, lang: str) -> str:
    """The quarter of `day`: 2021-05-01 -> '2. kvt. 2021' (da), 'Q2 2021' (en)."""
    return format_date(day, format="QQQ y", locale=LOCALES[lang])


def plural(count: int, singular: str, plural_form: str) -> str:
    """'1 tenancy', '2 tenancies' (both languages count 1 as the only singular)."""
    return f"{count} {singular if count == 1 else plural_form}"


SUPPORTS = {
    "da": {"rent_subsidy": "Huslejetilskud", "social_support": "Tilskud til sociale støttefunktioner",
           "conversion_grant": "Tilskud til ombygning og indretning", "loss_refund": "Refusion af tab ved fraflytning",
           "temporary_rent": "Midlertidigt huslejetilskud"},
    "en": {"rent_subsidy": "Rent subsidy", "social_support": "Social-support subsidy",
           "conversion_grant": "Conversion grant", "loss_refund": "Refund of losses on moving out",
           "temporary_rent": "Temporary rent subsidy"},
}
# The booked components in Danish, phrase by phrase (engine/booking.py keeps them in English); a temporary
# tenancy's id and the years are shown as booked.
PHRASES_DA = (("unspent conversion grant", "ubrugt tilskud til ombygning"),
              ("conversion grant", "tilskud til ombygning"), ("repayment offset", "modregnet tilbagebetaling"),
              ("repayment", "tilbagebetaling"), ("reconciliation", "regulering"), ("instalment", "acontorate"),
              ("quarter", "kvartal"), ("late claim accepted", "sen anmeldelse godkendt"), ("cohort", "årgang"),
              ("earlier bookings", "tidligere bogført"))


def support(name: str, lang: str) -> str:
    """'rent_subsidy' -> 'Huslejetilskud' (da), 'Rent subsidy' (en); a support not named here as it is."""
    return SUPPORTS[lang].get(name, name)


def component(name: str, lang: str) -> str:
    """A booked component as the recipient reads it: 'reconciliation 2018' -> 'regulering 2018' (da)."""
    if lang == "da":
        for english, danish in PHRASES_DA:
            name = name.replace(english, danish)
    return name
