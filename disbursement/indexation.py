"""Indexation on 1 January (V 2.2.2, 2.2.3; SPEC 2.2).

Amount in year Y = base amount x index(Y) / index(price year of the base amount). An index table maps a year to
the value applying from 1 January of that year; a missing year is an error, never a guess.
"""
from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping


class MissingIndexValue(LookupError):
    """The index table has no value for a year a computation needs; the operator must add it to config/."""


@dataclass(frozen=True)
class IndexTable:
    name: str
    values: Mapping[int, Decimal]
    file: str = "config/"  # where the operator adds a missing value
    source: str = ""  # where the values are published

    def value(self, year: int) -> Decimal:
        try:
            return self.values[year]
        except KeyError:
            where = f" (source: {self.source})" if self.source else ""
            raise MissingIndexValue(
                f"{self.file}: the {self.name} has no value for {year} (the value applying from 1 January {year}); "
                f"add it under [values]{where}"
            ) from None

    def indexed(self, amount: Decimal, year: int, base_year: int) -> Decimal:
        """`amount` in `base_year` prices as an amount in `year`: amount x index(year) / index(base_year),
        unrounded (callers round the amount a person sees).

        Multiplied before divided: the product is exact, so the quotient is exact whenever the exact value is a
        terminating decimal, which every half øre is, and rounding it once to øre half up is the exact rational
        rounding (SPEC 3). Dividing the indices first, as a factor, rounds the factor at 28 digits and can turn an
        exact half øre into x.xx4999... (tests/rules/test_limits_and_index_boundaries.py has such a case).
        """
        return amount * self.value(year) / self.value(base_year)
