"""The one CSV writer: Danish conventions (docs/exports.md) and no cell a spreadsheet would run as a formula.

Semicolon separator, comma as decimal separator with no thousands separator ('-7395,00'), ISO 8601 dates, UTF-8
with a byte-order mark (so a Danish Excel opens it as UTF-8), CRLF line ends and a header row (RFC 4180 otherwise,
written by the standard library's csv module).

Text comes from intake files (department, site and organisation names): a text cell starting with '=', '+', '-',
'@', a tab or a carriage return gets a leading apostrophe (OWASP, CSV injection), so `=HYPERLINK(...)` is shown as
text. Figures are written as `Number`s and kept as they are: a negative amount stays a number.
"""
import csv
import io
from decimal import Decimal

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Number(str):
    """A cell that is a figure, written as it is."""


def amount(value: Decimal | None) -> Number:
    """1234.5 -> '1234,50': comma decimal separator, two decimals, no thousands separator; None -> ''."""
    return Number("" if value is None else f"{value:.2f}".replace(".", ","))


def number(value) -> Number:
    """7 -> '7', Decimal('412.5') -> '412,5', None -> ''."""
    if value is None:
        return Number("")
    return Number(str(value).replace(".", ",") if isinstance(value, Decimal) else str(value))


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Number) or not isinstance(value, str):
        return str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_bytes(header: tuple[str, ...], rows: list[list]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows([[cell(value) for value in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")
