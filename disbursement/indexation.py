"""Indexation on 1 January (V 2.2.2, 2.2.3; SPEC 2.2).

Amount in year Y = base amount x index(Y) / index(price year of the base amount). An index table maps a year to
the value applying from 1 January of that year; a missing year is an error, never a guess.
"""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping


class MissingIndexValue(LookupError):
    """The index table has no value for a year a computation needs; the operator must add it to config/."""


@dataclass(frozen=True)
class IndexTable:
    name: str
    values: Mapping[int, Decimal]
    # factor() memoised per (year, base year): a national run asks it once per dwelling
    _factors: dict[tuple[int, int], Decimal] = field(default_factory=dict, init=False, repr=False, compare=False)

    def value(self, year: int) -> Decimal:
        try:
            return self.values[year]
        except KeyError:
            raise MissingIndexValue(
                f"index {self.name!r} has no value for {year}; add it to the index table in config/"
            ) from None

    def factor(self, year: int, base_year: int) -> Decimal:
        """Index(year) / index(base_year), unrounded: callers round the amount a person sees."""
        factor = self._factors.get((year, base_year))
        if factor is None:
            factor = self._factors[(year, base_year)] = self.value(year) / self.value(base_year)
        return factor
