"""The one money type and the one rounding rule (SPEC 3): Decimal kroner, ROUND_HALF_UP to øre."""
from decimal import ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")
ZERO = Decimal("0.00")


def to_ore(amount: Decimal) -> Decimal:
    """Round an amount a person will see to whole øre, half up."""
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def parse_money(text: str) -> Decimal:
    """Read an amount written with a point and at most two decimals, e.g. '1234.50'."""
    value = Decimal(text)
    if value != value.quantize(ORE):
        raise ValueError(f"{text!r} has more than two decimals")
    return value.quantize(ORE)
